"""Stock over time: how many of a quantity style sit at a location on any date.

Posting checks a row against the stock *as of its own date*, in the one order of events
(Date, ties by Entry; a row being posted comes after every entry of its date). A row that
takes units out must also leave every later entry standing: a sale back-dated to the 1st
cannot take units that a sale on the 5th already took. So what a row dated ``d`` may take
is the smallest quantity on hand from ``d`` onwards, not the quantity on ``d``.

`StockDates` holds, per (style key, location), the quantity after each posted entry
(built once per press, vectorized over the ledger), and the rows drafted so far in this
press (a handful), which it adds in at their own dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

NEVER = np.iinfo(np.int64).max


def _day(d: dt.date | pd.Timestamp | None) -> int:
    """A date as a day number (None: after every date)."""
    if d is None:
        return NEVER
    return int(pd.Timestamp(d).to_datetime64().astype("datetime64[D]").astype(np.int64))


@dataclass(frozen=True)
class Spare:
    """What a row dated `day` may take: `have` on that day, `spare` without taking any
    later entry below zero; `blocker` is the later entry that would go below (0 if none)."""

    have: int
    spare: int
    blocker: int = 0
    blocker_date: dt.date | None = None


@dataclass
class StockDates:
    """Quantity on hand per (style key, location) after each event, in event order."""

    days: dict[tuple[str, str], np.ndarray]
    balance: dict[tuple[str, str], np.ndarray]
    entry: dict[tuple[str, str], np.ndarray]
    drafted: dict[tuple[str, str], list[tuple[int, int]]] = field(default_factory=dict)

    @classmethod
    def of(cls, moves: pd.DataFrame) -> StockDates:
        """From ledger rows in event order with columns key, location, date, qty, entry."""
        days, balance, entry = {}, {}, {}
        if len(moves):
            day = moves["date"].to_numpy("datetime64[D]").astype(np.int64)
            qty = moves["qty"].to_numpy(np.int64)
            no = moves["entry"].to_numpy(np.int64)
            for key, idx in moves.groupby(["key", "location"], sort=False).indices.items():
                days[key], entry[key] = day[idx], no[idx]
                balance[key] = np.cumsum(qty[idx])
        return cls(days, balance, entry)

    def draft(self, key: tuple[str, str], delta: int, on: dt.date | None) -> None:
        """A row drafted in this press moves `delta` units on its date."""
        self.drafted.setdefault(key, []).append((_day(on), delta))

    def on(self, key: tuple[str, str], day: dt.date | None) -> int:
        """Units on hand at the end of `day` (every entry of that date in)."""
        d = _day(day)
        days, bal = self.days.get(key), self.balance.get(key)
        k = int(np.searchsorted(days, d, side="right")) if days is not None else 0
        base = int(bal[k - 1]) if k and bal is not None else 0
        return base + sum(q for when, q in self.drafted.get(key, ()) if when <= d)

    def spare(self, key: tuple[str, str], day: dt.date | None) -> Spare:
        """How many units a new row dated `day` can take out (see the module docstring)."""
        d = _day(day)
        have = self.on(key, day)
        spare, blocker, blocker_day = have, 0, None
        days, bal = self.days.get(key), self.balance.get(key)
        drafted = self.drafted.get(key, [])
        if days is not None and bal is not None:
            k = int(np.searchsorted(days, d, side="right"))
            later = bal[k:].copy()
            for when, q in drafted:  # a drafted row comes after posted entries of its date
                later += np.where(days[k:] > when, q, 0)
            if len(later) and int(later.min()) < spare:
                i = int(later.argmin())
                spare, blocker = int(later[i]), int(self.entry[key][k + i])
                blocker_day = pd.Timestamp(np.datetime64(int(days[k + i]), "D")).date()
        for i, (when, _) in enumerate(drafted):
            if when > d:  # a later row of this press must stay standing too
                after = self.on(key, _date(when)) - sum(
                    q for w, q in drafted[i + 1:] if w == when)
                if after < spare:
                    spare, blocker, blocker_day = after, 0, _date(when)
        return Spare(have, spare, blocker, blocker_day)


@dataclass(frozen=True)
class PieceMoves:
    """Every posted move of a serialized piece, in the order of events, grouped by serial.

    A piece is a stock of one: on hand 1 at its location, 0 elsewhere. A press asks about a
    handful of pieces, so their timelines are built when asked (`dates_of`), not per press
    over every piece. Never changed once built: a batch's copy of the stock shares it."""

    serials: np.ndarray  # sorted; rows of one serial keep their order of events
    moves: pd.DataFrame  # key ("#" + serial), location, date, qty, entry (and kind, doc,
    # party: to name the entry that took a piece)

    def __deepcopy__(self, memo: dict[int, object]) -> PieceMoves:
        return self

    @classmethod
    def of(cls, moves: pd.DataFrame) -> PieceMoves:
        """From ledger rows in event order with columns serial, location, date, qty, entry,
        kind, doc and party."""
        serials = moves["serial"].to_numpy(str)
        order = np.argsort(serials, kind="stable")
        sorted_moves = moves.iloc[order].reset_index(drop=True)
        return cls(serials[order], sorted_moves.assign(key="#" + sorted_moves["serial"]))

    def last_out(self, serial: str) -> tuple[int, dt.date, str, str, str] | None:
        """(entry, date, kind, doc, party) of the posted move that took the piece out of
        stock, when its last posted move did (None: the Ledger still has it in stock)."""
        hi = int(np.searchsorted(self.serials, serial, side="right"))
        if hi == 0 or self.serials[hi - 1] != serial:
            return None
        last = self.moves.iloc[hi - 1]
        if int(last["qty"]) >= 0:
            return None
        return (int(last["entry"]), pd.Timestamp(last["date"]).date(), str(last["kind"]),
                str(last["doc"]), str(last["party"]))

    def dates_of(self, serial: str) -> StockDates:
        """The piece's stock over time at each location it has been."""
        lo = int(np.searchsorted(self.serials, serial, side="left"))
        hi = int(np.searchsorted(self.serials, serial, side="right"))
        return StockDates.of(self.moves.iloc[lo:hi])


def piece_key(serial: str, location: str) -> tuple[str, str]:
    """Where a serialized piece's own stock over time is kept (never a style key)."""
    return ("#" + serial, location)


def _date(day: int) -> dt.date:
    return pd.Timestamp(np.datetime64(day, "D")).date()
