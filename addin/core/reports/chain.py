"""A chain of stores: each store's stock and value, side by side, as of one day.

`store_valuation` costs one store's whole history (archive + Ledger) as of a day and splits
what it holds: owned stock on its own shelves, owned stock travelling to another store of
the chain (out on memo to that store: still the sender's until it arrives), owned stock out
on memo elsewhere, and consigned (memo-in) stock, which is on hand but not owned. Adding the
stores' owned value counts every piece once: a shipment is the sender's while it travels
and the receiver's once received.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import pandas as pd

from addin.core import costing
from addin.core.ledger import MEMO_PREFIX, memo_location

VALUATION_COLUMNS = ("store", "units_in_store", "owned_in_store", "to_other_stores",
                     "out_on_memo", "consigned_in", "owned_value")


def store_valuation(store: str, history: pd.DataFrame, methods: Mapping[str, str],
                    as_of: dt.date, stores: Iterable[str]) -> dict:
    """One row of the chain's valuation (money in cents)."""
    _, books = costing.book_as_of(history.reset_index(drop=True), methods, as_of)
    lay = books.layers
    memo = lay["location"].str.startswith(MEMO_PREFIX)
    to_store = lay["location"].isin([memo_location(s) for s in stores if s != store])
    owned = lay["owned"].astype(bool)
    on_hand = books.on_hand[~books.on_hand["location"].str.startswith(MEMO_PREFIX)]
    short = books.short  # sold below zero, not yet covered: minus what those units cost
    short_here = short.loc[~short["location"].str.startswith(MEMO_PREFIX), "value"]
    return {
        "store": store,
        "units_in_store": int(on_hand["qty"].sum()),
        "owned_in_store": int(lay.loc[owned & ~memo, "value"].sum() + short_here.sum()),
        "to_other_stores": int(lay.loc[owned & to_store, "value"].sum()),
        "out_on_memo": int(lay.loc[owned & memo & ~to_store, "value"].sum()),
        "consigned_in": int(lay.loc[~owned, "value"].sum()),
        "owned_value": int(lay.loc[owned, "value"].sum() + short["value"].sum()),
    }
