"""Reverse an entry: the only way to undo a posted mistake (entries are never edited).

A REVERSAL carries the Date of the entry it undoes: the two sit together in the order of
events, so every figure, as of any date, is as though the mistake had never been made
(the costing engine leaves such a pair out altogether: queue places, averages, latest
cost, ages, returnable quantities). A reversal dated later (`day`) undoes from that date
on instead (so does the reversal of an entry in closed books: it is dated on the first
open day, and the closed month keeps its figures): a REVERSAL of an out-going entry (a
sale, a shortage, a vendor return) then brings back exactly the layers it consumed. A
REVERSAL of an in-coming entry (a receipt, a return, a surplus) takes away exactly the
layer it made, and so is refused once any of that layer has been sold or moved. The two
halves of a move (transfer, memo, convert) are reversed together: the in-half first,
then the out-half.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd

from addin.core.errors import Problem
from addin.core.ledger import EntryKind, closes
from addin.core.posting import Draft, EntryDraft, Posting, settle
from addin.core.posting.shop import Shop
from addin.sheets.schema import CELL_UNITS, cell_units

SHEET = "Ledger"
PAIRED = {EntryKind.TRANSFER, EntryKind.MEMO_OUT, EntryKind.MEMO_BACK, EntryKind.CONVERT}


def reverse_entry(shop: Shop, entry: int, day: dt.date | None = None, why: str = "") -> Posting:
    """REVERSAL entries that undo `entry` (and the other half of its move)."""
    d = Draft(0, f"REVERSE E{entry}")
    lf = shop.ledger
    rows = _group(lf, entry)
    d.problem = _refusal(shop, lf, entry, rows) or _why_too_long(why)
    if d.problem is None:
        for r in rows.sort_values("qty", ascending=False).itertuples():
            d.entries.append(
                EntryDraft(
                    date=day or reversal_date(shop, pd.Timestamp(r.date).date()),
                    kind=EntryKind.REVERSAL,
                    doc=d.doc,
                    style=r.style,
                    serial=r.serial,
                    qty=-int(r.qty),
                    unit_cost=int(r.unit_cost),
                    unit_price=int(r.unit_price),
                    location=r.location,
                    party=why or r.party,
                    reverses=int(r.entry),
                )
            )
    return settle(SHEET, [d], shop.next_entry, shop.now)


def _why_too_long(why: str) -> Problem | None:
    """The reason is written into the REVERSAL's Party cell: it must fit one cell."""
    if cell_units(why) <= CELL_UNITS:
        return None
    return Problem(SHEET, None, "Why", f"the reason is {cell_units(why):,} characters long as "
                   "Excel counts them (an emoji counts 2)",
                   f"give a reason of {CELL_UNITS:,} characters or fewer (one cell)")


def reversal_date(shop: Shop, entry_date: dt.date) -> dt.date:
    """The entry's own date, or the first open day if that date is in closed books."""
    first_open = shop.settings.first_open_day()
    return max(entry_date, first_open) if first_open else entry_date


def _group(lf: pd.DataFrame, entry: int) -> pd.DataFrame:
    """The entry and the other halves of its move, if it is part of one."""
    me = lf[lf["entry"] == entry]
    if me.empty or me["kind"].iloc[0] not in PAIRED:
        return me
    source = int(me["reverses"].iloc[0]) if int(me["qty"].iloc[0]) > 0 else entry
    kind = me["kind"].iloc[0]
    return lf[(lf["kind"] == kind) & ((lf["entry"] == source) | (lf["reverses"] == source))]


def _not_on_ledger(lf: pd.DataFrame, entry: int) -> Problem:
    """An entry the Ledger does not hold: archived by a close, or never posted."""
    if closes.starts_after_close(lf) and entry < int(lf["entry"].iloc[0]):
        through = closes.close_days(lf.iloc[:1]).iloc[0]
        return Problem(
            SHEET, None, "Entry",
            f"entry {entry} is in the archive of the books closed through "
            f"{through:%Y-%m-%d}; a closed period's entries cannot be undone",
            "post a correcting row dated in the open period instead (a count, a return, a "
            "vendor return), or undo the close first if nothing was posted since "
            "(loupe close with --undo)")
    return Problem(SHEET, None, "Entry", f"there is no entry {entry}",
                   "give an Entry number from the Ledger sheet")


def _refusal(shop: Shop, lf: pd.DataFrame, entry: int, rows: pd.DataFrame) -> Problem | None:
    if rows.empty:
        return _not_on_ledger(lf, entry)
    if rows["kind"].iloc[0] == EntryKind.COST_ADJUST:
        return Problem(
            SHEET,
            None,
            "Entry",
            f"entry {entry} is a cost adjustment: it follows what the costing says entry "
            f"{int(rows['reverses'].iloc[0])} cost, and undoing it alone would change nothing "
            "but the Ledger's column",
            "reverse the row that caused it (a late receipt, a stock arrival, an undone "
            "entry): Loupe then posts the adjustment back itself",
        )
    if rows["kind"].iloc[0] == EntryKind.REVERSAL:
        return Problem(
            SHEET,
            None,
            "Entry",
            f"entry {entry} is itself a reversal",
            "post the original again instead of reversing a reversal",
        )
    done = lf[(lf["kind"] == EntryKind.REVERSAL) & lf["reverses"].isin(rows["entry"])]
    if len(done):
        return Problem(
            SHEET,
            None,
            "Entry",
            f"entry {entry} was already reversed by entry {int(done['entry'].iloc[0])}",
            "nothing to do",
        )
    returned = lf[(lf["kind"] == EntryKind.RETURN) & lf["reverses"].isin(rows["entry"])]
    if len(returned):
        return Problem(
            SHEET,
            None,
            "Entry",
            f"entry {entry} was partly returned (entry {int(returned['entry'].iloc[0])})",
            "reverse the return first, then this sale",
        )
    for r in rows[rows["qty"] > 0].itertuples():
        left = _left_of(shop, int(r.entry))
        if left < int(r.qty):
            takers = _takers(shop, lf, r)
            if not takers:
                return Problem(
                    SHEET,
                    None,
                    "Entry",
                    f"the stock entry {int(r.entry)} brought in has already been sold or moved",
                    "reverse those entries first, or post a count adjustment instead",
                )
            names = _and(f"entry {e}" if len(takers) == 1 else str(e) for e in takers)
            took = f"{'entries ' if len(takers) > 1 else ''}{names}"
            last_first = ", then ".join(f"entry {e}" for e in reversed(takers)) + (
                " first (the latest first)" if len(takers) > 1 else " first")
            return Problem(
                SHEET,
                None,
                "Entry",
                f"{int(r.qty) - left} of the {int(r.qty)} pieces entry {int(r.entry)} brought "
                f"in have gone since: {took} took them",
                f"reverse {last_first}, then this one; or post a "
                "count adjustment instead",
            )
    return None


def _takers(shop: Shop, lf: pd.DataFrame, r: Any) -> list[int]:
    """The standing entries that took pieces of the layer entry `r` brought in, at its
    location, in Ledger order."""
    used = shop.books.consumed
    mine = used[(used["origin"] == int(r.entry)) & (used["location"] == r.location)
                & (used["serial"] == r.serial)]
    undone = set(lf.loc[lf["kind"] == EntryKind.REVERSAL, "reverses"])
    return sorted({int(e) for e in mine["entry"]} - undone)


def _and(words: Iterable[str]) -> str:
    """'5', '5 and 7', '5, 7 and 9'."""
    items = list(words)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _left_of(shop: Shop, entry: int) -> int:
    """How much of the layer that `entry` brought in is still there, untouched."""
    lay = shop.books.layers
    return int(lay.loc[lay["arrived"] == entry, "qty"].sum())
