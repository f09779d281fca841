"""A per-row stock-queue replay: the obviously-correct reference for the costing engine.

This is how an ERP replays its stock: walk the ledger one entry at a time, keep a deque
of lots per (style, location, serial), take from the front on the way out, push on the
way in. It is deliberately plain Python, one step per row, so that it is easy to believe;
the tests compare `addin.core.costing.book` with it on random ledgers and the benchmark
times both. It follows the same written rules as the engine (see `addin.core.costing`):

- a derived receipt (RETURN, in-half of a pair, REVERSAL of an out-going entry) takes
  the next units of what its source consumed, cutting pieces with round-half-up shares
  (a REVERSAL counts from the source's first unit);
- the REVERSAL of an in-coming entry removes that entry's lots (which must be untouched);
  a reversed receipt never enters a moving average;
- moving-average groups (style method Average, serial "") cost the owned units of an
  out-going entry at round-half-up(value * q / on hand), or all that is left when it
  empties the group; memo (consigned) units keep their own cost.

It refuses negative stock (raises `Oversold`): the engine's rules for it are checked by
hand-worked tables instead.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import pandas as pd

OWN_KINDS = {"RECEIPT", "MEMO_IN", "ADJUST"}


class Oversold(Exception):
    """The ledger takes more than a group holds; the reference does not model that."""


def share(cost: int, part: int, whole: int) -> int:
    """round-half-up(cost * part / whole), in Python's exact integers."""
    return (2 * cost * part + whole) // (2 * whole)


def received_cents(qty: int, unit_cost: int) -> int:
    """What qty units at a unit cost in ten-thousandths are worth: whole cents, half up."""
    return (2 * qty * unit_cost + 100) // 200


@dataclass
class Lot:
    qty: int  # units left
    whole: int  # units the lot arrived with
    cost: int  # cost of the whole lot
    origin: int
    received: int  # int64 ns
    owned: bool
    arrived: int  # entry that put it here
    taken: int = 0

    def take(self, k: int) -> tuple:
        cost = share(self.cost, self.taken + k, self.whole) - share(self.cost, self.taken,
                                                                    self.whole)
        self.taken += k
        self.qty -= k
        return (k, cost, self.origin, self.received, self.owned)


@dataclass
class Replay:
    cogs: dict[int, int] = field(default_factory=dict)
    cost_in: dict[int, int] = field(default_factory=dict)
    consumed: dict[int, list[tuple]] = field(default_factory=dict)  # entry -> pieces
    layers: list[tuple] = field(default_factory=list)  # (style, location, serial, origin,
    # received, qty, value, owned, arrived) in queue order per group


def replay(ledger: pd.DataFrame, average_styles: set[str] = frozenset()) -> Replay:  # type: ignore[assignment]
    """Replay `ledger` (a ledger frame, any order) one entry at a time, in the order of
    events: by date, ties by entry."""
    lf = ledger.sort_values(["date", "entry"], kind="stable")
    cols = ["entry", "kind", "style", "location", "serial", "qty", "unit_cost", "reverses"]
    rows = list(zip(*(lf[c].tolist() for c in cols), lf["date"].to_numpy().view("int64").tolist(),
                    strict=True))
    qty_of = {r[0]: r[5] for r in rows}
    removal = _removals(rows, qty_of)
    removed = set(removal.values())
    out = Replay()
    queues: dict[tuple, deque] = {}
    avg: dict[tuple, list[int]] = {}  # group -> [on hand, value, last unit cost]
    handed_back: dict[tuple, int] = {}  # (source entry, reversal?) -> units already taken
    for entry, kind, style, loc, serial, q, unit_cost, rev, date in rows:
        group = (style, loc, serial)
        queue = queues.setdefault(group, deque())
        average = style in average_styles and serial == ""
        if q > 0:
            derived = rev in out.consumed and qty_of.get(rev, 0) < 0 and kind not in OWN_KINDS
            if derived:
                key = (rev, kind == "REVERSAL")  # a reversal takes back from the first unit
                pieces = _cut(out.consumed[rev], handed_back.get(key, 0), q)
                handed_back[key] = handed_back.get(key, 0) + q
                have = sum(p[0] for p in pieces)
                if have < q:
                    pieces.append((q - have, received_cents(q - have, unit_cost), entry, date,
                                   True))
            else:
                pieces = [(q, received_cents(q, unit_cost), entry, date, kind != "MEMO_IN")]
            out.cost_in[entry] = sum(p[1] for p in pieces)
            for k, cost, origin, received, owned in pieces:
                queue.append(Lot(k, k, cost, origin, received, owned, entry))
            if average and entry not in removed:  # the average holds owned units only
                owned = [p for p in pieces if p[4]]
                _receive(avg.setdefault(group, [0, 0, 0]), sum(p[0] for p in owned),
                         sum(p[1] for p in owned))
        elif q < 0 and removal.get(entry) is not None:
            target = removal[entry]
            mine = [lot for lot in queue if lot.arrived == target]
            if any(lot.taken for lot in mine):
                raise Oversold(f"entry {entry} reverses entry {target}, already consumed")
            for lot in mine:
                queue.remove(lot)
            pieces = [(lot.whole, lot.cost, lot.origin, lot.received, lot.owned) for lot in mine]
            _settle(out, entry, pieces)
        elif q < 0:
            pieces = _take(queue, -q, entry)
            if average:
                pieces = _average_out(avg.setdefault(group, [0, 0, 0]), pieces)
            _settle(out, entry, pieces)
    out.layers = _layers(queues, avg, average_styles)
    return out


def _removals(rows: list[tuple], qty_of: dict[int, int]) -> dict[int, int]:
    """REVERSAL entry -> the in-coming entry it removes (the first reversal only)."""
    found: dict[int, int] = {}
    taken: set[int] = set()
    for entry, kind, _style, _loc, _serial, q, _cost, rev, _date in rows:
        if kind == "REVERSAL" and q < 0 and 0 < rev < entry and qty_of.get(rev, 0) > 0:
            if rev not in taken:
                found[entry] = rev
                taken.add(rev)
    return found


def _cut(pieces: list[tuple], start: int, q: int) -> list[tuple]:
    """Units [start, start + q) of a consumption, as pieces (costs shared exactly)."""
    out, at = [], 0
    for k, cost, origin, received, owned in pieces:
        lo, hi = max(start - at, 0), min(start + q - at, k)
        if lo < hi:
            part = share(cost, hi, k) - share(cost, lo, k)
            out.append((hi - lo, part, origin, received, owned))
        at += k
    return out


def _take(queue: deque, q: int, entry: int) -> list[tuple]:
    pieces = []
    while q:
        if not queue:
            raise Oversold(f"entry {entry} takes more than its group holds")
        lot = queue[0]
        k = min(lot.qty, q)
        pieces.append(lot.take(k))
        q -= k
        if lot.qty == 0:
            queue.popleft()
    return pieces


def _receive(state: list[int], q: int, cost: int) -> None:
    state[0] += q
    state[1] += cost
    if state[0] > 0:
        state[2] = share(state[1], 1, state[0])


def _average_out(state: list[int], pieces: list[tuple]) -> list[tuple]:
    """Owned units leave at the average (shared over them by units); memo units keep
    their own cost."""
    q = sum(p[0] for p in pieces if p[4])
    on_hand, value = state[0], state[1]
    total = 0 if q == 0 else value if q == on_hand else share(value, q, on_hand)
    state[0] -= q
    state[1] -= total
    out, before = [], 0
    for k, cost, origin, received, owned in pieces:
        if owned:
            cost = share(total, before + k, q) - share(total, before, q)
            before += k
        out.append((k, cost, origin, received, owned))
    return out


def _settle(out: Replay, entry: int, pieces: list[tuple]) -> None:
    out.consumed[entry] = pieces
    out.cogs[entry] = sum(p[1] for p in pieces)


def _layers(queues: dict, avg: dict, average_styles) -> list[tuple]:
    layers = []
    for (style, loc, serial), queue in queues.items():
        lots = [lot for lot in queue if lot.qty]
        if not lots:
            continue
        values = [lot.cost - share(lot.cost, lot.taken, lot.whole) for lot in lots]
        if style in average_styles and serial == "":
            whole = sum(lot.qty for lot in lots if lot.owned)
            value, before = avg[(style, loc, serial)][1], 0
            for i, lot in enumerate(lots):
                if lot.owned:
                    values[i] = share(value, before + lot.qty, whole) - share(value, before,
                                                                            whole)
                    before += lot.qty
        for lot, value in zip(lots, values, strict=True):
            layers.append((style, loc, serial, lot.origin, lot.received, lot.qty, value,
                           lot.owned, lot.arrived))
    return layers
