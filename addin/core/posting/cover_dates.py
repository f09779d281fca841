"""The days an entry's cost can still change on: when stock arrives for units it took
below zero.

FIFO and Average alike, the k-th unit out of a group (style, location, serial) is its k-th
unit in (`addin.core.costing`). An out-going entry that takes its group below zero is
costed, as of each later day, by the in-coming rows that have covered its units by then
and, for the rest, at the last cost known at the sale; so its cost as of a day can change
only on its own date and on the dates of the in-coming rows that cover those units. A row
that brings units back from such an entry (a customer return, the in-half of a move, the
reversal of a sale) takes over that entry's cost, so it changes on the same dates.

Undone pairs and the reversals of in-coming entries (and those entries) stay out of the
count, as they stay out of the queue.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from addin.core import costing
from addin.core.ledger import EntryKind


def cover_dates(lf: pd.DataFrame) -> pd.DataFrame:
    """(entry, date) for each entry of `lf` (the whole ledger of some styles) whose cost
    changes when later stock arrives, and each date of the in-coming rows that cover it."""
    order = costing.event_order(lf)
    ev = lf.iloc[order[~_left_out(lf)[order]]]
    qty = ev["qty"].to_numpy(np.int64)
    group = pd.factorize(pd.MultiIndex.from_arrays(
        [ev["style"].to_numpy(object), ev["location"].to_numpy(object),
         ev["serial"].to_numpy(object)]))[0].astype(np.int64)
    by = np.lexsort((np.arange(len(ev)), group))  # rows by group, in the order of events
    g, q = group[by], qty[by]
    head = np.r_[True, g[1:] != g[:-1]] if len(g) else np.zeros(0, bool)
    came = _running(np.where(q > 0, q, 0), head)
    went = _running(np.where(q < 0, -q, 0), head)
    short = np.flatnonzero((q < 0) & (went > came))  # out of stock at its own turn
    ins = np.flatnonzero(q > 0)
    if not len(short) or not len(ins):
        return _none()
    span = int(came.max()) + int(went.max()) + len(g) + 1
    at_key = g[ins] * span + np.arange(len(g))[ins]  # in-rows by (group, turn)
    before_key = g[ins] * span + (came[ins] - q[ins])  # by (group, units in before it)
    lo = np.searchsorted(at_key, g[short] * span + short, side="right")
    hi = np.searchsorted(before_key, g[short] * span + went[short], side="left")
    count = np.maximum(hi - lo, 0)
    which = np.repeat(short, count)
    j = ins[np.repeat(lo, count) + _ranks(count)]
    entry = ev["entry"].to_numpy(np.int64)[by]
    date = ev["date"].to_numpy("datetime64[ns]")[by]
    out = pd.DataFrame({"entry": entry[which], "date": date[j]})
    back = _brought_back(ev, out)
    return pd.concat([out, back], ignore_index=True).drop_duplicates(ignore_index=True)


def _left_out(lf: pd.DataFrame) -> np.ndarray:
    """Rows the queue leaves out: undone pairs, reversals of in-coming entries and those."""
    out = costing.undone_pairs(lf).copy()
    rev = ((lf["kind"] == EntryKind.REVERSAL.value) & (lf["qty"] < 0)).to_numpy(bool)
    out |= rev | lf["entry"].isin(lf.loc[rev, "reverses"]).to_numpy(bool)
    return out


def _brought_back(ev: pd.DataFrame, covered: pd.DataFrame) -> pd.DataFrame:
    """The in-coming rows that take over a covered entry's cost, with its cover dates."""
    source = ev["reverses"].to_numpy(np.int64)
    back = ev[(ev["qty"].to_numpy(np.int64) > 0) & np.isin(source, covered["entry"])]
    if back.empty:
        return _none()
    pairs = back[["entry", "reverses"]].merge(covered, left_on="reverses", right_on="entry",
                                              suffixes=("", "_source"))
    return pairs[["entry", "date"]]


def _running(values: np.ndarray, head: np.ndarray) -> np.ndarray:
    """Running sum of `values` restarting at each `head`."""
    total = np.cumsum(values)
    start = np.maximum.accumulate(np.where(head, np.arange(len(values)), 0))
    return total - (total[start] - values[start])


def _ranks(count: np.ndarray) -> np.ndarray:
    """0, 1, ..., n-1 for each n in `count`, one after another."""
    total = int(count.sum())
    starts = np.repeat(np.cumsum(count) - count, count)
    return np.arange(total) - starts


def _none() -> pd.DataFrame:
    return pd.DataFrame({"entry": pd.Series(dtype="int64"),
                         "date": pd.Series(dtype="datetime64[ns]")})
