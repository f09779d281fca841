"""Cost adjustments: the Ledger's own Cost of Goods column always ties to the engine.

Each entry's Cost of Goods is what it took out of stock (+) or brought back (-: returns,
in-halves of moves, undone sales); an own-cost receipt's cost is its Qty x Unit Cost.
Posted entries are never rewritten. When the rows of one press change the cost of
entries already on the Ledger -- a back-dated receipt re-costs a later sale, an undo
re-costs the sales after it, stock arriving covers a sale made below zero -- Loupe posts
one COST_ADJUST entry per re-costed entry: Qty 0, Reverses = that entry, Cost of Goods =
the change. So, entry by entry, the column (adjustments included) sums to what the
costing engine computes from the whole Ledger, and so does its total.

A press also brings in line any entry whose column does not say what the engine computes
before the press (books posted by an earlier version: customer returns written at 0.00),
with one COST_ADJUST dated on that entry's own date; after that, such entries tie too.

An adjustment is dated on its entry's date, or on the earliest date of the rows that
caused it if that is later (a report as of a day before the cause does not see it); a date
in closed books (Settings: Books Closed Through) moves to the first open day, so a closed
month's figures never change. A REVERSAL dated on its entry's date carries the change
itself (the undone pair then nets to nothing, or for a receipt to its cost taken off).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from addin.core import costing, ledger
from addin.core.ledger import EntryKind

RECOSTED = "re-costed"  # the Party of a COST_ADJUST entry


def priced(new: pd.DataFrame, past: pd.DataFrame, before: costing.Books,
           methods: Mapping[str, str], first_open_day: dt.date | None = None
           ) -> tuple[pd.DataFrame, pd.DataFrame, costing.Books]:
    """(new entries with Cost of Goods, plus any COST_ADJUST entries; the whole ledger
    with them; its Books). `before` is the Books of `past` alone.

    Rows of several dates that re-cost posted entries are priced date by date, as though
    each date's rows were posted in a press of their own: each adjustment is dated by the
    rows that caused it (stock arriving on 02-10 and on 03-10 trues a sale up twice, on
    each day), never all on the earliest."""
    new = ledger.normalize(new)
    free = int(new["entry"].max()) + 1 if len(new) else 0  # adjustments are numbered from
    out, full, books, moved = _priced_once(new, past, before, methods, first_open_day, free)
    days: np.ndarray = np.unique(new["date"].to_numpy("datetime64[D]"))
    if not moved or len(days) < 2:
        return out, full, books
    parts, ledger_so_far, books = [], past, before
    for day in days:
        part = new[(new["date"].to_numpy("datetime64[D]") == day)]
        done, ledger_so_far, books, _ = _priced_once(part, ledger_so_far, books, methods,
                                                     first_open_day, free)
        free += len(done) - len(part)
        parts.append(done)
    out = ledger.normalize(pd.concat(parts, ignore_index=True).sort_values("entry",
                                                                           kind="stable"))
    return out, _joined(past, out), books


def _priced_once(new: pd.DataFrame, past: pd.DataFrame, before: costing.Books,
                 methods: Mapping[str, str], first_open_day: dt.date | None, free: int
                 ) -> tuple[pd.DataFrame, pd.DataFrame, costing.Books, bool]:
    """`priced` of rows in one go (adjustments numbered from `free`), and whether it
    re-costed any posted entry."""
    full = _joined(past, new)
    named = costing.named_styles(full, len(past))
    touched = full["style"].isin(named).to_numpy(bool)
    books = costing.rebook(before, past, full, methods, named)  # the styles the rows name
    if not len(new):
        return new, full, books, False
    after = books.cost_of_goods
    mine = full.iloc[np.flatnonzero(touched)]  # the other styles' costs are as they were
    key = _cost_keys(mine)
    past_entries = mine["entry"].to_numpy(np.int64)[: int(touched[: len(past)].sum())]
    change = (after.reindex(past_entries).fillna(0).to_numpy(np.int64)
              - before.cost_of_goods.reindex(past_entries).fillna(0).to_numpy(np.int64))
    moved = pd.Series(change, index=key.reindex(past_entries).to_numpy()).groupby(level=0).sum()
    moved = moved[moved != 0]
    recosted = bool(len(moved))
    stale = not_on_ledger(mine.iloc[: len(past_entries)], before)  # of the styles named
    out = new.copy()
    out["cogs"] = after.reindex(out["entry"].to_numpy(np.int64)).fillna(0).to_numpy(np.int64)
    new_keys = key.reindex(out["entry"].to_numpy(np.int64)).to_numpy()
    both = moved.add(stale, fill_value=0)
    carried = both.index.intersection(pd.Index(new_keys))
    if len(carried):  # the new entry of that key (a same-day REVERSAL) carries the change
        last = pd.Series(np.arange(len(out)), index=new_keys).groupby(level=0).last()
        rows = last.reindex(carried).to_numpy()
        out.iloc[rows, out.columns.get_loc("cogs")] += both.reindex(carried).to_numpy(np.int64)
        moved, stale = moved.drop(carried, errors="ignore"), stale.drop(carried, errors="ignore")
    if not len(moved) and not len(stale):
        return out, _joined(past, out), books, recosted
    adjust = [_adjustments(full, stale, out, first_open_day, free, on_own_date=True),
              _adjustments(mine, moved, out, first_open_day, free + len(stale))]
    out = ledger.normalize(pd.concat([out, *adjust], ignore_index=True))
    return out, _joined(past, out), books, recosted


def not_on_ledger(past: pd.DataFrame, before: costing.Books) -> pd.Series:
    """Per re-costable entry: what the engine (`before`, the Books of `past`) says its Cost
    of Goods is, less what the Ledger's column says (its adjustments counted with it).

    Zero for every entry this version posted. Books posted by an earlier version can differ:
    customer returns and in-halves of moves were written with Cost of Goods 0.00 (the cost
    they bring back was left off the column), and a changed costing rule re-costs old
    entries. The next press of the entry's style brings it in line with one COST_ADJUST."""
    if not len(past):
        return pd.Series(dtype="int64")
    key = _cost_keys(past)
    entry = past["entry"].to_numpy(np.int64)
    should = pd.Series(before.cost_of_goods.reindex(entry).fillna(0).to_numpy(np.int64),
                       index=key.reindex(entry).to_numpy())
    names = np.where((past["kind"] == EntryKind.COST_ADJUST).to_numpy(bool),
                     past["reverses"].to_numpy(np.int64), entry)
    said = pd.Series(past["cogs"].to_numpy(np.int64), index=key.reindex(names).to_numpy())
    said = said[said.index.notna()]
    gap = should.groupby(level=0).sum().sub(said.groupby(level=0).sum(), fill_value=0)
    gap = gap[gap != 0].astype("int64")
    gap.index = gap.index.astype("int64")
    return gap


def _joined(past: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The ledger and its new entries, both already in the ledger frame's dtypes."""
    return pd.concat([past, new], ignore_index=True)


def _cost_keys(lf: pd.DataFrame) -> pd.Series:
    """entry -> the entry whose cost it belongs with: itself, or for a REVERSAL undoing
    its entry on that entry's date, the entry undone (the pair ties as one)."""
    entry = lf["entry"].to_numpy(np.int64)
    key = entry.copy()
    pair = costing.undone_pairs(lf) & (lf["kind"] == EntryKind.REVERSAL).to_numpy(bool)
    key[pair] = lf["reverses"].to_numpy(np.int64)[pair]
    return pd.Series(key, index=entry)


def _adjustments(lf: pd.DataFrame, moved: pd.Series, new: pd.DataFrame,
                 first_open_day: dt.date | None, first: int,
                 on_own_date: bool = False) -> pd.DataFrame:
    """One COST_ADJUST entry per re-costed entry (rows of `lf`), numbered from `first`:
    dated on the later of its entry's date and the new rows' (`on_own_date`: its entry's
    date)."""
    if not len(moved):
        return ledger.empty()
    src = lf.set_index("entry").loc[moved.index.to_numpy(np.int64)]
    cause = new["date"].min()
    day = src["date"] if on_own_date else src["date"].where(src["date"] > cause, cause)
    if first_open_day is not None:
        day = day.where(day >= pd.Timestamp(first_open_day), pd.Timestamp(first_open_day))
    return pd.DataFrame({
        "entry": np.arange(first, first + len(src)),
        "posted_at": new["posted_at"].iloc[0],
        "date": day.to_numpy(),
        "kind": EntryKind.COST_ADJUST.value,
        "doc": [f"COST E{e}" for e in src.index],
        "style": src["style"].to_numpy(),
        "serial": src["serial"].to_numpy(),
        "qty": 0,
        "location": src["location"].to_numpy(),
        "party": RECOSTED,
        "cogs": moved.to_numpy(np.int64),
        "reverses": src.index.to_numpy(np.int64),
    })


def untied_styles(lf: pd.DataFrame, books: costing.Books) -> set[str]:
    """Styles (as the Ledger spells them) with an entry whose Cost of Goods, adjustments
    included, is not what the costing engine computes from the whole Ledger now."""
    if not len(lf):
        return set()
    key = _cost_keys(lf)
    entry = lf["entry"].to_numpy(np.int64)
    own = np.where((lf["kind"] == EntryKind.COST_ADJUST).to_numpy(bool),
                   lf["reverses"].to_numpy(np.int64), key.to_numpy(np.int64))
    column = pd.Series(lf["cogs"].to_numpy(np.int64), index=own).groupby(level=0).sum()
    engine = books.cost_of_goods.reindex(entry).fillna(0).to_numpy(np.int64)
    computed = pd.Series(engine, index=key.to_numpy(np.int64)).groupby(level=0).sum()
    gap = column.sub(computed, fill_value=0)
    off = gap.index[gap.to_numpy() != 0]
    style = pd.Series(lf["style"].to_numpy(object), index=entry)
    return set(style.reindex(off).dropna().astype(str))
