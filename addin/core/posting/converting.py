"""Convert Style: switch a style between serialized and quantity tracking, losing nothing.

Quantity -> serialized: every unit on hand becomes one piece with a fresh serial, each
keeping the cost and receipt date of the FIFO layer it came from. Serialized ->
quantity: every piece in stock folds into the quantity pool as a layer of its own, with
its own cost and receipt date. Both are CONVERT pairs (out of the old form, into the new)
so the costing engine carries the layers across, and both can be reversed.
Stock out on memo must come back first (a memo names pieces or counts that must not
change form while away).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd

from addin.core.errors import Problem
from addin.core.ledger import EntryKind, is_memo_location
from addin.core.posting import Draft, Drafted, EntryDraft, Posting, settle
from addin.core.posting.shop import Shop, style_key
from addin.core.rows.models import Style
from addin.core.rows.serials import next_serial

SHEET = "Styles"


def convert_style(
    shop: Shop, style_text: str, to: str, day: dt.date | None = None, row: int | None = None
) -> Posting:
    """CONVERT entries that switch `style_text` to `to` ('Serialized' or 'Quantity')."""
    style = shop.style(style_text)
    day = day or shop.today
    d = Draft(row or 0, f"CONVERT {style_text}")
    if style is None:
        d.problem = Problem(
            SHEET,
            row,
            "Style",
            f"unknown style {style_text!r}",
            "type a style code from the Styles sheet",
        )
        return settle(SHEET, [d], shop.next_entry, shop.now)
    typed, to = to, to.strip().capitalize()
    d.doc = f"CONVERT {style.style}"
    if to not in ("Serialized", "Quantity"):
        d.problem = Problem(
            SHEET, row, "Tracking", f"cannot convert to {typed!r}",
            "convert to Serialized or Quantity"
        )
    elif str(style.tracking) == to:
        d.problem = Problem(
            SHEET, row, "Tracking", f"{style.style} is already {to}", "nothing to convert"
        )
    else:
        d.problem = _away_on_memo(shop, style)
    if d.problem is None:
        d.entries = (_to_serials(shop, style, day, d.row) if to == "Serialized"
                     else _to_quantity(shop, style, day, d.row))
        d.writes["Tracking"] = to
    return settle(SHEET, [d], shop.next_entry, shop.now)


def _away_on_memo(shop: Shop, style: Style) -> Problem | None:
    oh = shop.books.on_hand
    mine = oh[(oh["style"].map(style_key) == style_key(style.style)) & (oh["qty"] != 0)]
    away = mine[mine["location"].map(is_memo_location)]
    if len(away):
        return Problem(
            SHEET,
            None,
            "Tracking",
            f"{int(away['qty'].sum())} of {style.style} "
            f"are out on memo ({', '.join(sorted(set(away['location'])))})",
            "post their Memo Back first, then convert",
        )
    if (mine["qty"] < 0).any():
        return Problem(
            SHEET,
            None,
            "Tracking",
            f"{style.style} has negative stock",
            "count it and post the count first, then convert",
        )
    return None


def _held(shop: Shop, style: Style, as_serials: bool) -> pd.DataFrame:
    """The style's stock on hand now: its serialized pieces, or its quantity pool."""
    oh = shop.books.on_hand
    mine = (oh["style"].map(style_key) == style_key(style.style)) & (oh["qty"] > 0)
    return oh[mine & ((oh["serial"] != "") == as_serials)]


def _to_serials(shop: Shop, style: Style, day: dt.date, row: int) -> list[EntryDraft]:
    """One out-half per location, then one in-half per unit with a fresh serial; `row`:
    the draft's, which its in-halves name their out-half by."""
    pool = _held(shop, style, as_serials=False)
    fresh = iter(next_serial(shop.settings, shop.stock.seen, int(pool["qty"].sum())))
    entry = partial(EntryDraft, date=day, kind=EntryKind.CONVERT, doc=f"CONVERT {style.style}",
                    style=style.style, party="to Serialized")
    entries: list[EntryDraft] = []
    for loc, qty in zip(pool["location"], pool["qty"], strict=True):
        out = Drafted(row, len(entries))
        entries.append(entry(qty=-int(qty), location=loc))
        entries += [
            entry(qty=1, serial=next(fresh), location=loc, reverses=out)
            for _ in range(int(qty))
        ]
    return entries


def _to_quantity(shop: Shop, style: Style, day: dt.date, row: int) -> list[EntryDraft]:
    """Each piece: out of its serial, into the quantity pool at the same place."""
    pieces = _held(shop, style, as_serials=True)
    entry = partial(EntryDraft, date=day, kind=EntryKind.CONVERT, doc=f"CONVERT {style.style}",
                    style=style.style, party="to Quantity")
    entries: list[EntryDraft] = []
    for serial, loc in zip(pieces["serial"], pieces["location"], strict=True):
        out = Drafted(row, len(entries))
        entries.append(entry(qty=-1, serial=serial, location=loc))
        entries.append(entry(qty=1, location=loc, reverses=out))
    return entries
