"""Figures read off the Books: on hand by any key, owned value, layer ages, ageing buckets,
and sale lines with their margin. Pure and vectorized; money stays in int64 cents.

Reports, UDFs and the Items sheet build on these so that every place a number shows
says the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from addin.core.ledger import EntryKind
from addin.core.money import value_cents

if TYPE_CHECKING:
    from addin.core.costing import Books

DEFAULT_LIMITS = (90, 180, 365, 730)


def on_hand_by(books: Books, by: Sequence[str] = ("style", "location")) -> pd.DataFrame:
    """Units on hand summed by the given columns of `books.on_hand` (nonzero rows only).

    Memo locations ("Memo: <party>") are included as they are; filter them out for
    "in the store" figures.
    """
    keys = list(by)
    out = books.on_hand.groupby(keys, sort=True, as_index=False)["qty"].sum()
    return out[out["qty"] != 0].reset_index(drop=True)


def owned_value(books: Books) -> int:
    """Cents the shop has in stock: every owned layer (stock out on memo included,
    consigned-in memo stock excluded), plus what groups below zero hold (negative: minus
    the cost of units sold that no stock has covered yet)."""
    layers = books.layers
    return int(layers.loc[layers["owned"], "value"].sum()) + int(books.short["value"].sum())


@dataclass(frozen=True)
class LayerAges:
    """Ages on a given day.

    layers    `books.layers` plus age_days (whole days since the layer's receipt date)
    by_style  style, qty, value, owned_value, age_days: the quantity-weighted age of the
              style's open layers (a float; every open layer counts, memo ones too)
    """

    layers: pd.DataFrame
    by_style: pd.DataFrame


def layer_ages(books: Books, as_of: dt.date | pd.Timestamp | str) -> LayerAges:
    """How old each open layer is on `as_of`, and each style's quantity-weighted age.

    A layer received after `as_of` counts as 0 days old (cost reports filter the ledger
    to the as-of date first).
    """
    layers = books.layers.copy()
    day = pd.Timestamp(as_of).normalize()
    age = (day - layers["received"]).dt.days.fillna(0).clip(lower=0)
    layers["age_days"] = age.astype("int64")
    parts = pd.DataFrame({
        "style": layers["style"],
        "qty": layers["qty"],
        "value": layers["value"],
        "owned_value": layers["value"].where(layers["owned"], 0),
        "unit_days": layers["qty"] * layers["age_days"],
    })
    by_style = parts.groupby("style", sort=True, as_index=False).sum()
    by_style["age_days"] = by_style["unit_days"] / by_style["qty"]
    return LayerAges(layers, by_style.drop(columns="unit_days"))


def bucket_labels(limits: Sequence[int] = DEFAULT_LIMITS) -> list[str]:
    """Names of the age buckets: (90, 180) -> ['0-90', '91-180', 'over 180']."""
    lows = [0, *(int(x) + 1 for x in limits)]
    return [f"{lo}-{hi}" for lo, hi in zip(lows, limits, strict=False)] + [
        f"over {limits[-1]}"
    ]


def ageing_buckets(books: Books, as_of: dt.date | pd.Timestamp | str,
                   limits: Sequence[int] = DEFAULT_LIMITS,
                   by: Sequence[str] = ("style",)) -> pd.DataFrame:
    """Units and value of open layers per age bucket (an age of exactly 90 is in '0-90').

    Columns: *by, bucket (label), bucket_no (0 = youngest), qty, value, owned_value.
    Only nonempty buckets are listed.
    """
    limits = tuple(int(x) for x in limits)
    layers = layer_ages(books, as_of).layers
    no = np.searchsorted(np.asarray(limits), layers["age_days"].to_numpy(), side="left")
    parts = layers[list(by)].copy()
    parts["bucket_no"] = no.astype("int64")
    parts["qty"] = layers["qty"]
    parts["value"] = layers["value"]
    parts["owned_value"] = layers["value"].where(layers["owned"], 0)
    keys = [*by, "bucket_no"]
    out = parts.groupby(keys, sort=True, as_index=False).sum()
    labels = np.asarray(bucket_labels(limits), dtype=object)
    out.insert(len(by), "bucket", pd.array(labels[out["bucket_no"].to_numpy()], dtype="str"))
    return out


SALE_LINE_COLUMNS = ("entry", "date", "doc", "kind", "style", "serial", "location", "party",
                     "qty", "unit_price", "revenue", "cogs", "margin", "margin_pct")


def sale_lines(ledger: pd.DataFrame, books: Books) -> pd.DataFrame:
    """One line per SALE entry, and per customer RETURN as a negative line.

    qty is units sold (a return's are negative), unit_price in ten-thousandths of a dollar,
    revenue = qty x unit price rounded half up to the cent (`money.value_cents`), cogs is
    what the units cost (a return gives back the cost its sale took), margin = revenue -
    cogs, all in cents; margin_pct = margin / revenue (NaN when revenue is 0). A return
    that names no price refunds its sale's.

    A sale or return undone by a REVERSAL dated in its own month is left out with that
    reversal, as though never made. One undone in a later month (an entry in closed books is
    undone on the first open day) keeps its line in its month, and the REVERSAL is a line of
    its own on its date: the undone line's qty, revenue and cost of goods negated, and its
    customer. So a closed month keeps its figures (`undone_in_their_month`).
    """
    lf = ledger
    kind = lf["kind"]
    entries = lf["entry"].to_numpy(np.int64)
    reverses = lf["reverses"].to_numpy(np.int64)
    is_sale = kind.isin([EntryKind.SALE.value, EntryKind.RETURN.value]).to_numpy(bool)
    is_undo = ((kind == EntryKind.REVERSAL.value).to_numpy(bool)
               & np.isin(reverses, entries[is_sale]))
    is_line = (is_sale | is_undo) & ~undone_in_their_month(lf, is_undo)
    price = lf["unit_price"].to_numpy(np.int64).copy()
    refund = np.flatnonzero((kind == EntryKind.RETURN.value).to_numpy(bool) & (price == 0))
    price[refund] = _lookup(_by_entry(entries, price), reverses[refund])
    undo = np.flatnonzero(is_undo)  # a reversal undoes at the price of the line it undoes
    price[undo] = _lookup(_by_entry(entries, price), reverses[undo])
    lines = lf[["entry", "date", "doc", "kind", "style", "serial", "location", "party", "qty"]]
    lines = lines[is_line]
    entry = lines["entry"].to_numpy(np.int64)
    qty = -lines["qty"].to_numpy(np.int64)
    # what left stock with the line (a sale, the undo of a return), less what came back
    # with it (a return, the undo of a sale)
    cogs = _lookup(books.cogs, entry) - _lookup(books.cost_in, entry)
    out = lines[["entry", "date", "doc", "kind", "style", "serial", "location", "party"]]
    out = out.reset_index(drop=True)
    if is_undo.any():  # a reversal's Party holds why: the line names the customer undone
        party = pd.Series(lf["party"].to_numpy(), index=entries)
        undo_line = (out["kind"] == EntryKind.REVERSAL.value).to_numpy(bool)
        out.loc[undo_line, "party"] = party.reindex(
            reverses[is_line][undo_line]).to_numpy()
    out["qty"] = qty
    out["unit_price"] = price[is_line]
    out["revenue"] = value_cents(qty, price[is_line])  # rounded to the cent once, per line
    out["cogs"] = cogs.astype(np.int64)
    out["margin"] = out["revenue"] - out["cogs"]
    revenue = out["revenue"].to_numpy(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["margin_pct"] = np.where(revenue != 0, out["margin"].to_numpy() / revenue, np.nan)
    return out[list(SALE_LINE_COLUMNS)]


def undone_in_their_month(lf: pd.DataFrame, is_undo: np.ndarray) -> np.ndarray:
    """Rows of `lf` left out of the sale lines: each reversal `is_undo` marks that is dated
    in the month of the entry it undoes, and that entry."""
    out = np.zeros(len(lf), bool)
    undo = np.flatnonzero(is_undo)
    if not len(undo):
        return out
    entries = lf["entry"].to_numpy(np.int64)
    by_entry = np.argsort(entries, kind="stable")
    src = by_entry[np.searchsorted(entries[by_entry], lf["reverses"].to_numpy(np.int64)[undo])]
    month = lf["date"].to_numpy("datetime64[ns]").astype("datetime64[M]")
    same = month[undo] == month[src]
    out[undo[same]] = True
    out[src[same]] = True
    return out


def _by_entry(entries: np.ndarray, values: np.ndarray) -> pd.Series:
    """Values indexed by entry number, sorted (for `_lookup`)."""
    return pd.Series(values, index=entries).sort_index()


def _lookup(by_entry: pd.Series, entries: np.ndarray) -> np.ndarray:
    """Values of a Series indexed by sorted entry numbers, 0 where an entry is missing."""
    keys = by_entry.index.to_numpy(np.int64)
    values = by_entry.to_numpy(np.int64)
    if not len(keys):
        return np.zeros(len(entries), np.int64)
    at = np.minimum(np.searchsorted(keys, entries), len(keys) - 1)
    return np.where(keys[at] == entries, values[at], 0)
