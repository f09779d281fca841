"""Cost method changes: a style costed by one method up to a date and by the other after.

A METHOD entry (Qty 0, Party ``FIFO to Average``) changes its style's cost method at its
place in the order of events (Date, ties by Entry). The engine carries the style's stock
across it, per location, as a pair it makes itself (never written to the Ledger): an
out-half that takes everything on hand under the old method, and an in-half, under the
new method, that takes over the pieces the out-half took (cost, receipt date, origin,
ownership), as the in-half of a transfer does. So:

- FIFO -> Average: the open layers at each location pool into one average; its value is
  the sum of the layers' values, to the cent.
- Average -> FIFO: the pool becomes the FIFO stock at its exact value, shared by units
  over the pool's units, each keeping its own receipt date (ageing reads as before; FIFO
  then takes the oldest first).

Entries before the change keep their cost exactly: they are costed as before. The REVERSAL
of a METHOD entry on its own date leaves the change out (the old method throughout); one
dated later changes the method back from its own date. A style the Ledger has a METHOD
entry for is costed by the Ledger alone: before its first change by that change's old
method (even if the change was reversed); a style that never changed takes the method it
is given (the Styles sheet, which Validate holds to the Ledger's). Stock below zero at a
change stays with the old method.
Serialized pieces are exact under either method and are not carried.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from addin.core.ledger import EntryKind

METHOD = EntryKind.METHOD.value
REVERSAL = EntryKind.REVERSAL.value
NAMES = {"fifo": "FIFO", "average": "Average"}


def method_party(old: str, new: str) -> str:
    """The Party of a METHOD entry: which method it changes from and to."""
    return f"{old} to {new}"


def party_methods(party: str) -> tuple[str, str]:
    """(old, new) from a METHOD entry's Party; ("", "") if it does not say."""
    words = str(party).split()
    if len(words) != 3 or words[1].casefold() != "to":
        return "", ""
    return NAMES.get(words[0].casefold(), ""), NAMES.get(words[2].casefold(), "")


def ledger_methods(lf: pd.DataFrame) -> dict[str, str]:
    """Style (as the Ledger spells it) -> its cost method now by its METHOD entries, for
    every style the Ledger has one for (a change undone on its own date leaves the style
    with the method it had before)."""
    marks = lf[lf["kind"] == METHOD]
    if marks.empty:
        return {}
    now = _first_methods(marks)
    undo = lf[(lf["kind"] == REVERSAL) & lf["reverses"].isin(marks["entry"])]
    dated = dict(zip(marks["entry"], marks["date"], strict=True))
    gone = set(undo.loc[undo["reverses"].map(dated) == undo["date"], "reverses"])
    marks = marks[~marks["entry"].isin(gone)]
    undo = undo[~undo["reverses"].isin(gone)]
    switch = {int(e): party_methods(p) for e, p in zip(marks["entry"], marks["party"],
                                                      strict=True)}
    steps = [(r.date, int(r.entry), r.style, switch[int(r.entry)][1])
             for r in marks.itertuples()]
    steps += [(r.date, int(r.entry), r.style, switch[int(r.reverses)][0])
              for r in undo.itertuples()]
    for _, _, style, method in sorted(steps, key=lambda t: t[:2]):
        now[style] = method
    return {s: m for s, m in now.items() if m}


def before_changes(lf: pd.DataFrame, methods: Mapping[str, str]) -> dict[str, str]:
    """`methods`, with every style `lf` has a METHOD entry for given the method its first
    change changes from: the method in force before it, whatever the Styles sheet says
    now. The Ledger cut at a day before a style's change keeps no METHOD entry of it, so
    a report as of that day costs it by this."""
    marks = lf[lf["kind"] == METHOD]
    first = {s: m for s, m in _first_methods(marks).items() if m} if len(marks) else {}
    return {**{str(s): str(m) for s, m in methods.items()}, **first}


def _first_methods(marks: pd.DataFrame) -> dict[str, str]:
    """Style -> the method its first METHOD entry changes from (reversed or not)."""
    first = marks.sort_values(["date", "entry"]).drop_duplicates("style")
    return {str(s): party_methods(p)[0] for s, p in zip(first["style"], first["party"],
                                                        strict=True)}


@dataclass(frozen=True)
class Carried:
    """The ledger rows in the order of events with the carrying pairs put in.

    frame, at   as `_Events`: the frame (Ledger rows, then the carry rows) and positions
    epoch       per event row: how many changes of its style came before it (0 for
                serialized rows and styles that never changed)
    average     (style, epoch) -> True for Average, for styles that changed method
    last_entry  entries above this number are carry rows, not the Ledger's (0: none)
    marker      per carry row (entry - last_entry - 1): the METHOD entry it carries for
    """

    frame: pd.DataFrame
    at: np.ndarray
    epoch: np.ndarray
    average: dict[tuple[str, int], bool]
    last_entry: int = 0
    marker: np.ndarray | None = None


def carry(frame: pd.DataFrame, at: np.ndarray) -> Carried:
    """Put in the pairs that carry each style's stock across its method changes."""
    every = frame[frame["kind"] == METHOD]
    if every.empty:
        return Carried(frame, at, np.zeros(len(at), np.int64), {})
    average = {(s, 0): m == "Average" for s, m in _first_methods(every).items()}
    kind = frame["kind"].to_numpy(object)[at]
    marks = kind == METHOD
    entry = frame["entry"].to_numpy(np.int64)[at]
    reverses = frame["reverses"].to_numpy(np.int64)[at]
    style = frame["style"].to_numpy(object)[at]
    blank = (frame["serial"].to_numpy(object)[at] == "")
    switch = {int(e): party_methods(p) for e, p in
              zip(entry[marks], frame["party"].to_numpy(object)[at][marks], strict=True)}
    undoes = (kind == REVERSAL) & np.isin(reverses, list(switch))
    bounds = np.flatnonzero(marks | undoes)
    epoch = np.zeros(len(at), np.int64)
    for s in dict.fromkeys(style[bounds]):
        mine = bounds[style[bounds] == s]
        rows = np.flatnonzero((style == s) & blank)
        epoch[rows] = np.searchsorted(mine, rows, side="left")
        for k, b in enumerate(mine):
            _, new = switch[int(entry[b])] if marks[b] else switch[int(reverses[b])][::-1]
            average[(s, k + 1)] = new == "Average"
    return _with_pairs(frame, at, epoch, average, bounds, style, blank)


def _with_pairs(frame: pd.DataFrame, at: np.ndarray, epoch: np.ndarray,
                average: dict[tuple[str, int], bool], bounds: np.ndarray, style: np.ndarray,
                blank: np.ndarray) -> Carried:
    """One out-half and one in-half per location holding stock at each change."""
    qty = frame["qty"].to_numpy(np.int64)[at]
    location = frame["location"].to_numpy(object)[at]
    last = int(frame["entry"].max())
    made: list[tuple[int, int, str, int, int]] = []  # (bound, epoch, location, qty, reverses)
    carried_in: dict[tuple[str, int], dict[str, int]] = {}
    for b in bounds:
        s, k = style[b], int(epoch[b])
        before = np.flatnonzero((style[:b] == s) & blank[:b] & (epoch[:b] == k))
        held = pd.Series(qty[before]).groupby(location[before]).sum().to_dict()
        for loc, q in carried_in.get((s, k), {}).items():
            held[loc] = held.get(loc, 0) + q
        for loc, q in sorted(held.items()):
            if q > 0:
                out = last + 1 + len(made)
                made.append((b, k, loc, -int(q), 0))
                made.append((b, k + 1, loc, int(q), out))
                carried_in.setdefault((s, k + 1), {})[loc] = int(q)
    if not made:
        return Carried(frame, at, epoch, average)
    b_of = np.array([m[0] for m in made], np.int64)
    pairs = frame.iloc[at[b_of]].copy()
    pairs["entry"] = np.arange(last + 1, last + 1 + len(made), dtype=np.int64)
    pairs["kind"] = METHOD
    pairs["location"] = [m[2] for m in made]
    pairs["qty"] = np.array([m[3] for m in made], np.int64)
    pairs["reverses"] = np.array([m[4] for m in made], np.int64)
    pairs["serial"] = ""
    pairs["unit_cost"] = 0
    whole = pd.concat([frame, pairs], ignore_index=True)
    new_at = np.insert(at, b_of + 1, np.arange(len(frame), len(frame) + len(made)))
    new_epoch = np.insert(epoch, b_of + 1, np.array([m[1] for m in made], np.int64))
    marker = frame["entry"].to_numpy(np.int64)[at[b_of]]
    return Carried(whole, new_at, new_epoch, average, last, marker)
