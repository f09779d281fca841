"""Period close: the entries that carry a Ledger's end state, so its history can be archived.

`plan_close(ledger, methods, through, closed_at)` says what closing the books through a date
would do: the entries that move to the archive (every posted entry; a close refuses while
any entry is dated after the close date, or any stock is below zero) and the *carried*
entries the Ledger starts again from (`addin.core.ledger.closes`):

- one entry per open cost layer, in each FIFO queue's order: OPENING for owned stock (at
  its location, or at ``Memo: <party>`` when it is out on memo), MEMO_IN for consigned
  stock; Date = the layer's original receipt date, Unit Cost = its cost per unit (to 4
  decimals: 1,000 worth 125.00 carry at 0.125), Party =
  the vendor (or consignor) its receipt named, the serial for a piece;
- a layer whose units do not all cost the same whole cent is carried so that every unit
  keeps its exact cost (`addin.core.costing.carried_runs`): a few rows of whole cents
  around one row at its 4-decimal unit cost (999 left of 1,000 @ 0.125: 1 @ 0.12 and
  998 @ 0.125); a moving-average group's uneven share (3 worth 1.00) in two rows;
- per style, the latest unit cost on the books (what a count surplus enters at) when no
  carried layer ends on it: an OPENING entry of Qty 0 at that cost.

Costing the carried entries gives the same layers, values, receipt dates, on-hand
quantities and latest costs as the whole history, so every figure as of a date after the
close is unchanged, and so is the cost of every unit a later entry takes -- with one
limit: where a later entry takes units across two carried rows of one layer and part of
what it took comes back or moves on (a partial return, a move of a move), its odd cent can
land on another unit than in the whole history (docs/archive.md; a test marks it). What
does not carry: a customer return of a sale made before the close (that sale is in the
archive; posting refuses it and says so), and the reversal of an archived entry (the period
lock refuses it). `history(archived, ledger)` puts the archive back in front of a closed Ledger (the
carried entries left out), for reports that span closed periods.

This module may import `addin.core.costing` and `addin.core.ledger`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from addin.core import costing, ledger
from addin.core.costing.carried_runs import carried_runs
from addin.core.costing.cost_routes import OWN_COST_KINDS
from addin.core.errors import Problem
from addin.core.ledger import EntryKind, closes

SHEET = "Ledger"


@dataclass(frozen=True)
class Close:
    """What closing through `through` would do: archive `archived`, start from `carried`."""

    through: dt.date
    archived: pd.DataFrame
    carried: pd.DataFrame  # unsealed, numbered after the last archived entry
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def plan_close(lf: pd.DataFrame, methods: Mapping[str, str], through: dt.date,
               closed_at: dt.datetime) -> Close:
    """The close of `lf` (the whole verified Ledger) through `through`."""
    problems = _refusals(lf, through)
    if problems:
        return Close(through, lf, ledger.empty(), problems)
    books = costing.book(lf, methods)
    short = books.on_hand[books.on_hand["qty"] < 0]
    if len(short):
        first = short.iloc[0]
        problems.append(Problem(
            SHEET, None, None,
            f"{len(short)} stock group(s) are below zero (first: {first['style']} at "
            f"{first['location']}, {int(first['qty'])})",
            "post the missing receipt or a count first, then close"))
        return Close(through, lf, ledger.empty(), problems)
    runs = _layer_runs(books.layers, lf)
    rows = pd.concat([runs, _latest_costs(lf, runs)],
                     ignore_index=True)
    first_entry = int(lf["entry"].max()) + 1
    rows["entry"] = np.arange(first_entry, first_entry + len(rows), dtype=np.int64)
    rows["posted_at"] = pd.Timestamp(closed_at).floor("s")
    rows["doc"] = closes.close_doc(through)
    return Close(through, lf, ledger.normalize(rows))


def _refusals(lf: pd.DataFrame, through: dt.date) -> list[Problem]:
    if lf.empty:
        return [Problem(SHEET, None, None, "the Ledger has no entries to close",
                        "post something first; there is nothing to archive")]
    later = lf[lf["date"] > pd.Timestamp(through)]
    if len(later):
        e = later.iloc[0]
        return [Problem(
            SHEET, None, None,
            f"{len(later)} entries are dated after {through:%Y-%m-%d} (first: entry "
            f"{int(e['entry'])}, {pd.Timestamp(e['date']):%Y-%m-%d})",
            f"close through {pd.Timestamp(lf['date'].max()):%Y-%m-%d} or later, or close "
            "before posting into the next period")]
    return []


def _layer_runs(layers: pd.DataFrame, lf: pd.DataFrame) -> pd.DataFrame:
    """Every open layer as carried rows, in queue order, each unit at its exact cost
    (`carried_runs`: 1,000 worth 125.00 carry as one row at 0.125)."""
    lay = layers.reset_index(drop=True)
    runs = carried_runs(lay)
    rows = lay.iloc[runs["layer"].to_numpy()]
    party = lf.set_index("entry")["party"]
    return pd.DataFrame({
        "date": rows["received"].to_numpy("datetime64[ns]"),
        "kind": np.where(rows["owned"].to_numpy(bool), EntryKind.OPENING.value,
                         EntryKind.MEMO_IN.value),
        "style": rows["style"].to_numpy(object),
        "serial": rows["serial"].to_numpy(object),
        "qty": runs["qty"].to_numpy(np.int64),
        "unit_cost": runs["unit_cost"].to_numpy(np.int64),
        "location": rows["location"].to_numpy(object),
        "party": rows["origin"].map(party).fillna("").to_numpy(object),
    })


def _latest_costs(lf: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """Qty-0 OPENING rows keeping each style's latest unit cost where no carried row ends
    on it (`runs`: the carried layer rows; carried entries sort on the close date, by
    entry, so a style's last carried row is the cost the closed Ledger would otherwise
    take as its latest, whatever its receipt date)."""
    events = _standing(costing.in_event_order(lf))
    own = events[events["kind"].isin([k.value for k in OWN_COST_KINDS])
                 & (events["unit_cost"] > 0)]
    latest = own.assign(key=own["style"].map(_key)).groupby("key", sort=False).tail(1)
    ends = runs[runs["unit_cost"] > 0]  # carried rows sort on the close date, by entry
    ends = ends.assign(key=ends["style"].map(_key))
    last_carried = ends.groupby("key").tail(1).set_index("key")["unit_cost"]
    keep = latest[latest["unit_cost"].to_numpy() != latest["key"].map(last_carried).to_numpy()]
    return pd.DataFrame({
        "date": keep["date"].to_numpy("datetime64[ns]"),
        "kind": EntryKind.OPENING.value,
        "style": keep["style"].to_numpy(object),
        "serial": "",
        "qty": 0,
        "unit_cost": keep["unit_cost"].to_numpy(np.int64),
        "location": "",
        "party": keep["party"].to_numpy(object),
    })


def _standing(lf: pd.DataFrame) -> pd.DataFrame:
    """Without entries undone by a reversal, and without those reversals (as posting reads
    the latest cost)."""
    rev = lf[lf["kind"] == EntryKind.REVERSAL.value]
    undone = set(rev["reverses"]) - set(rev["entry"])
    gone = lf["entry"].isin(undone) | (lf["entry"].isin(rev.loc[rev["reverses"].isin(undone),
                                                                 "entry"]))
    return lf[~gone]


def _key(style: object) -> str:
    return "".join(str(style).split()).upper()


def history(archived: pd.DataFrame, lf: pd.DataFrame) -> pd.DataFrame:
    """The whole history of a closed Ledger: the archive's entries, then the Ledger's own,
    the carried entries of every close left out (the entries before them hold what they
    carry)."""
    both = pd.concat([archived, lf], ignore_index=True) if len(archived) else lf
    return both[~closes.carried(both)].reset_index(drop=True) if len(both) else both
