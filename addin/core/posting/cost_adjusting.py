"""Cost adjustments: the Ledger's own Cost of Goods column always ties to the engine.

Each entry's Cost of Goods is what it took out of stock (+) or brought back (-: returns,
in-halves of moves, undone sales); an own-cost receipt's cost is its Qty x Unit Cost.
Posted entries are never rewritten. When the rows of one press change the cost of
entries already on the Ledger -- a back-dated receipt re-costs a later sale, an undo
re-costs the sales after it, stock arriving covers a sale made below zero -- Loupe posts
COST_ADJUST entries for each re-costed entry: Qty 0, Reverses = that entry, Cost of Goods =
the change. So, entry by entry, the column (adjustments included) sums to what the
costing engine computes from the whole Ledger, and so does its total.

A press also brings in line any entry whose column does not say what the engine computes
before the press (books posted by an earlier version: customer returns written at 0.00),
with one COST_ADJUST dated on that entry's own date; after that, such entries tie too.

The rule for dates: as of every date on which an entry's cost can change -- its own date
(or the earliest date of the rows that caused the change, if that is later: a report as of
a day before the cause does not see it), the dates of the in-coming rows that cover what it
took below zero (`cover_dates`) and the dates of its adjustments -- the entry and its
adjustments dated on or before that date sum to what the engine says it cost as of that
date; one COST_ADJUST per entry and date where they do not. So a plain re-cost is one
adjustment, dated on the entry's date or the cause's; a receipt dated before a sale made
below zero re-prices it on the sale's date and on each cover's. A date in closed books
(Settings: Books Closed Through) moves to the first open day, so a closed month's figures
never change. A REVERSAL dated on its entry's date carries the change
itself (the undone pair then nets to nothing, or for a receipt to its cost taken off).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from addin.core import costing, ledger
from addin.core.ledger import EntryKind
from addin.core.posting.cover_dates import cover_dates

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
    carried = stale.index.intersection(pd.Index(new_keys))
    if len(carried):  # the new entry of that key (a same-day REVERSAL) carries the gap
        last = pd.Series(np.arange(len(out)), index=new_keys).groupby(level=0).last()
        rows = last.reindex(carried).to_numpy()
        out.iloc[rows, out.columns.get_loc("cogs")] += stale.reindex(carried).to_numpy(np.int64)
        stale = stale.drop(carried)
    priced_rows = mine.copy()  # the new rows with the Cost of Goods they have so far
    cogs = out.set_index("entry")["cogs"]
    is_new = np.arange(len(mine)) >= len(past_entries)
    priced_rows.loc[is_new, "cogs"] = cogs.reindex(mine["entry"][is_new]).to_numpy(np.int64)
    dated = _dated_changes(priced_rows, mine, books, moved, stale, out, methods)
    out, dated = _on_own_rows(out, dated, new_keys)
    if not len(dated) and not len(stale):
        return out, _joined(past, out), books, recosted
    adjust = [_adjustments(full, stale, out, first_open_day, free, on_own_date=True),
              _adjustments(mine, dated, out, first_open_day, free + len(stale))]
    out = ledger.normalize(pd.concat([out, *adjust], ignore_index=True))
    return out, _joined(past, out), books, recosted


def _dated_changes(posted: pd.DataFrame, mine: pd.DataFrame, books: costing.Books,
                   moved: pd.Series, stale: pd.Series, new: pd.DataFrame,
                   methods: Mapping[str, str]) -> pd.Series:
    """(entry, date) -> the COST_ADJUST that makes the Ledger's column, as of that date,
    say what the engine says the entry cost as of that date.

    `posted`: the rows of the styles the press names, the new ones with the Cost of Goods
    they have so far; `mine`: the same rows as drafted; `books`: the Books with the new
    rows; `moved`: the posted entries whose cost the new rows change; `stale`: the gaps
    brought in line on their entries' own dates. Looked at: the moved entries, the
    entries stock arriving re-prices (`cover_dates`) and those adjusted after their own
    date before.
    The dates looked at: the entry's date (or the new rows' first date, if later), the
    dates of the rows that cover it and of its adjustments, from then on. As of a date
    after all of its covers, an entry costs what it costs now; before, what the engine
    says of the Ledger cut at that date."""
    key = _cost_keys(mine)
    own = pd.Series(posted["date"].to_numpy(), index=posted["entry"].to_numpy(np.int64))
    adjusted = posted[(posted["kind"] == EntryKind.COST_ADJUST).to_numpy(bool)]
    adjusted = pd.DataFrame({"key": adjusted["reverses"].to_numpy(np.int64),
                             "date": adjusted["date"].to_numpy()})
    covers = cover_dates(mine)
    covers = pd.DataFrame({"key": key.reindex(covers["entry"].to_numpy(np.int64)).to_numpy(),
                           "date": covers["date"].to_numpy()})
    late = adjusted[adjusted["date"].to_numpy() > own.reindex(adjusted["key"]).to_numpy()]
    wanted = pd.Index(np.unique(np.concatenate([moved.index.to_numpy(np.int64),
                                                covers["key"].to_numpy(np.int64),
                                                late["key"].to_numpy(np.int64)])))
    if not len(wanted):
        return pd.Series(dtype="int64")
    start = own.reindex(wanted).clip(lower=new["date"].min())
    dates = pd.concat([pd.DataFrame({"key": wanted, "date": start.to_numpy()}), covers,
                       adjusted], ignore_index=True)
    dates = dates[dates["key"].isin(wanted)]
    dates = dates[dates["date"].to_numpy() >= start.reindex(dates["key"]).to_numpy()]
    dates = dates.drop_duplicates().sort_values(["key", "date"], ignore_index=True)
    final = _by_key(books.cost_of_goods, key)
    last_cover = covers.groupby("key")["date"].max()
    early = (dates["date"] < last_cover.reindex(dates["key"]).to_numpy()).to_numpy(bool)
    should = final.reindex(dates["key"]).fillna(0).to_numpy(np.int64).copy()
    for day in pd.unique(dates.loc[early, "date"]):
        at = np.flatnonzero(early & (dates["date"] == day).to_numpy(bool))
        styles = mine.set_index("entry")["style"].reindex(dates["key"].iloc[at]).unique()
        rows = mine[mine["style"].isin(styles).to_numpy(bool)].reset_index(drop=True)
        _, then = costing.book_as_of(rows, methods, pd.Timestamp(day).date())
        should[at] = _by_key(then.cost_of_goods, key).reindex(dates["key"].iloc[at]).fillna(
            0).to_numpy(np.int64)
    said = _said_through(posted, key, dates) + stale.reindex(dates["key"]).fillna(0).to_numpy(
        np.int64)
    needed = pd.Series(should - said, index=pd.MultiIndex.from_frame(dates))
    change = needed - needed.groupby(level=0).shift(fill_value=0)
    return change[change != 0].astype("int64")


def _on_own_rows(new: pd.DataFrame, dated: pd.Series, new_keys: np.ndarray
                 ) -> tuple[pd.DataFrame, pd.Series]:
    """A change dated on the date of a new row of its entry goes into that row's Cost of
    Goods: a new entry's own (a sale made below zero in the press that also brings the
    stock covering it later), or a same-day REVERSAL's, which carries the change itself."""
    if not len(dated):
        return new, dated
    last = pd.Series(np.arange(len(new)), index=new_keys).groupby(level=0).last()
    entry = dated.index.get_level_values(0).to_numpy(np.int64)
    row = last.reindex(entry)
    day = new["date"].to_numpy()[row.fillna(0).to_numpy(np.int64)]
    mine = row.notna().to_numpy() & (day == dated.index.get_level_values(1).to_numpy())
    if not mine.any():
        return new, dated
    out = new.copy()
    rows = row.to_numpy()[mine].astype(np.int64)
    cogs = out["cogs"].to_numpy(np.int64).copy()
    np.add.at(cogs, rows, dated.to_numpy(np.int64)[mine])
    out["cogs"] = cogs
    return out, dated[~mine]


def _by_key(cost: pd.Series, key: pd.Series) -> pd.Series:
    """Per-entry cost of goods summed by the entry it belongs with (`_cost_keys`)."""
    at = cost.index.to_numpy(np.int64)
    return pd.Series(cost.to_numpy(np.int64), index=key.reindex(at).to_numpy()).groupby(
        level=0).sum()


def _said_through(posted: pd.DataFrame, key: pd.Series, dates: pd.DataFrame) -> np.ndarray:
    """What the Ledger's column says each (key, date) of `dates` cost as of that date: the
    entry and its adjustments dated on or before it."""
    entry = posted["entry"].to_numpy(np.int64)
    names = np.where((posted["kind"] == EntryKind.COST_ADJUST).to_numpy(bool),
                     posted["reverses"].to_numpy(np.int64), key.reindex(entry).to_numpy())
    parts = pd.DataFrame({"key": names, "date": posted["date"].to_numpy(),
                          "cogs": posted["cogs"].to_numpy(np.int64)})
    parts = parts[parts["key"].isin(dates["key"])].sort_values(["key", "date"])
    parts["said"] = parts.groupby("key")["cogs"].cumsum()
    last = parts.drop_duplicates(["key", "date"], keep="last")
    got = pd.merge_asof(dates.reset_index().sort_values("date"),
                        last[["key", "date", "said"]].sort_values("date"),
                        on="date", by="key", direction="backward")
    return got.sort_values("index")["said"].fillna(0).to_numpy(np.int64)


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
    """One COST_ADJUST entry per re-costed entry (rows of `lf`) and date, numbered from
    `first`. `moved`: by (entry, date) (`_dated_changes`), or with `on_own_date` by entry,
    dated on its entry's date. A date in closed books moves to the first open day."""
    if not len(moved):
        return ledger.empty()
    if on_own_date:
        at = moved.index.to_numpy(np.int64)
        day = lf.set_index("entry")["date"].reindex(at)
    else:
        at = moved.index.get_level_values(0).to_numpy(np.int64)
        day = pd.Series(moved.index.get_level_values(1), index=at)
    if first_open_day is not None:
        day = day.where(day >= pd.Timestamp(first_open_day), pd.Timestamp(first_open_day))
        moved = pd.Series(moved.to_numpy(np.int64), index=pd.MultiIndex.from_arrays(
            [at, day.to_numpy()])).groupby(level=[0, 1], sort=True).sum()
        moved = moved[moved != 0]
        at = moved.index.get_level_values(0).to_numpy(np.int64)
        day = pd.Series(moved.index.get_level_values(1), index=at)
    src = lf.set_index("entry").loc[at]
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
