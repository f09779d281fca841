"""Cost flow: give every ledger row its cost pieces, in dependency order, wave by wave.

`cost_routes.plan` fixed who takes which units from whom. Here costs flow along those
routes. Own-cost receipts are costed up front. Then, in waves, every row whose inputs are
all known is costed at once (vectorized): derived receipts cut their source's pieces,
out-going rows cut the pieces of the in-coming rows they match. A wave releases the rows
that waited on it (Kahn's algorithm on the dependency edges), so the number of waves is
the depth of the longest chain of derived costs (a return of a sale that took a returned
layer...), never the number of rows.

Moving-average groups need their events in order; in each wave `AverageChains` walks
every group as far as it can (a wavefront across groups) and stops a group at a derived
receipt whose cost is not known yet; the out-going rows it passed then get their pieces
(for receipt dates) and their share of the average cost.

A cycle can only arise with negative stock (a sale that took units received after it,
then returned): if nothing can move, the waiting derived receipts whose source reached
ahead are booked at their own Unit Cost, which breaks every such cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from addin.core.costing.average import AverageChains, Covers, spread, units_per_run
from addin.core.costing.cost_routes import (
    DERIVED,
    OUT,
    OWN,
    REMOVE,
    TRIM,
    LedgerArrays,
    Routes,
    kind_code,
)
from addin.core.costing.layer_pieces import NO_DATE, PieceBook, Pieces, explode, stable_order
from addin.core.ledger import EntryKind
from addin.core.money import value_cents


@dataclass(frozen=True)
class Flow:
    pieces: PieceBook  # every costed row's pieces (in-coming: put; out-going: taken)
    row_cost: np.ndarray  # per ledger row: the cost of its pieces
    owned_cost: np.ndarray  # per ledger row: the cost of its owned (not memo) pieces
    average: AverageChains  # end state of the moving-average groups
    waves: int


def run(led: LedgerArrays, routes: Routes) -> Flow:
    """Cost every row of the ledger along its routes."""
    book = PieceBook(len(led), capacity=max(1024, 2 * len(led)))
    chains = AverageChains(led.group, led.qty, routes.chain_order, led.groups,
                           _covers(len(led), routes))
    wave = _Wave(led, routes, book, chains)
    wave.store(_own_pieces(led, np.flatnonzero(routes.role == OWN)))
    graph = _Graph(len(led), routes.edge_from, routes.edge_to)
    waiting = ((routes.role != OWN) & (routes.role != 0)) | routes.chain
    ready = np.flatnonzero(waiting & (graph.needs == 0))
    left, waves = int(waiting.sum()), 0
    while left:
        done = wave.resolve(ready)
        if not len(done):
            ready = _cycle_breakers(routes, waiting, graph.needs)
            wave.forced[ready] = True
            continue
        waiting[done] = False
        left -= len(done)
        waves += 1
        released = graph.release(done)
        ready = released[waiting[released]]
    return Flow(book, wave.row_cost, wave.owned_cost, chains, waves)


def _covers(n: int, routes: Routes) -> Covers:
    """The moving-average matches ahead (units sold below zero, covered by a later
    in-coming row), and which of its sale's pieces each is: `_Wave._unknown` gives a sale
    one piece per match ahead, in order, then one for its excess."""
    m = routes.matches
    a = np.flatnonzero(m.ahead)
    out = m.out[a]
    head = np.r_[True, out[1:] != out[:-1]] if len(a) else np.zeros(0, bool)
    rank = np.arange(len(a)) - np.maximum.accumulate(np.where(head, np.arange(len(a)), 0))
    ahead = np.bincount(out, minlength=n)
    tail = ahead[out] - rank + (routes.excess[out] > 0)
    return Covers.of(m.inn[a], out, m.lo[a], m.hi[a], tail, n)


def _own_pieces(led: LedgerArrays, rows: np.ndarray) -> Pieces:
    return Pieces(rows, led.qty[rows], value_cents(led.qty[rows], led.unit_cost[rows]),
                  led.entry[rows],
                  led.date[rows], led.kind[rows] != kind_code(EntryKind.MEMO_IN))


def _cycle_breakers(routes: Routes, waiting: np.ndarray, needs: np.ndarray) -> np.ndarray:
    """Derived receipts to book at their own Unit Cost so that waiting rows can go on."""
    stuck = np.flatnonzero(waiting & (routes.role == DERIVED) & (needs > 0))
    m = routes.matches
    reached = np.zeros(len(routes.role), bool)
    reached[m.out[m.inn > m.out]] = True
    chosen = stuck[reached[routes.source[stuck]]]
    if not len(chosen):
        chosen = stuck
    if not len(chosen):
        raise RuntimeError("costing: rows wait on each other without a derived receipt")
    return chosen


class _Graph:
    """Dependency edges, and how many unmet inputs each row still has."""

    def __init__(self, n: int, edge_from: np.ndarray, edge_to: np.ndarray):
        order = stable_order(edge_from)
        self.after = edge_to[order]
        self.out_degree = np.bincount(edge_from, minlength=n)
        self.first = np.cumsum(self.out_degree) - self.out_degree
        self.needs = np.bincount(edge_to, minlength=n)

    def release(self, done: np.ndarray) -> np.ndarray:
        """Mark `done` rows costed; return the rows that now have every input."""
        done = done[self.out_degree[done] > 0]  # most rows have nothing waiting on them
        which, rank = explode(self.out_degree[done])
        after = self.after[self.first[done][which] + rank]
        np.subtract.at(self.needs, after, 1)
        fresh = np.zeros(len(self.needs), bool)
        fresh[after[self.needs[after] == 0]] = True  # once each, in entry order
        return np.flatnonzero(fresh)


class _Wave:
    """Costs one wave of ready rows: in-coming first, then out-going, then the averages."""

    def __init__(self, led: LedgerArrays, routes: Routes, book: PieceBook,
                 chains: AverageChains):
        self.led, self.routes, self.book, self.chains = led, routes, book, chains
        n = len(led)
        self.row_cost, self.owned_cost = np.zeros(n, np.int64), np.zeros(n, np.int64)
        self.owned_qty = np.zeros(n, np.int64)
        self.forced = np.zeros(n, bool)
        # consigned units can only reach an Average group if some entry brought them in
        memo = (led.kind == kind_code(EntryKind.MEMO_IN)).any() and led.average.any()
        self.owned_taken = self._owned_taken if memo else _all_owned(led)

    def resolve(self, ready: np.ndarray) -> np.ndarray:
        """Cost what can be costed now; return the rows finished (ready or not before)."""
        role, chained = self.routes.role[ready], self.routes.chain[ready]
        derived = ready[(role == DERIVED) & (self.book.first[ready] < 0)]  # not priced yet
        if len(derived):
            forced = self.forced[derived]
            self.store(self._derive(derived[~forced]))
            self.store(_own_pieces(self.led, derived[forced]))
        outs = ready[(role == OUT) & ~chained]
        if len(outs):
            self.store(self._consume(outs))
        removes = ready[role == REMOVE]
        if len(removes):
            self.store(self._remove(removes))
        trims = ready[role == TRIM]
        if len(trims):
            self.store(self._trim(trims))
        self.chains.ready[ready[chained]] = True
        passed = self.chains.advance(self.owned_qty, self.owned_cost, self.owned_taken)
        averaged = passed[self.led.qty[passed] < 0]
        if len(averaged):
            self.store(self._consume(averaged))
        self._true_up(self.chains.handed_on())
        return np.concatenate([ready[~chained], passed])

    def _true_up(self, k: np.ndarray) -> None:
        """Sales below zero whose units stock has now covered: the piece of each cover
        takes the covering units' origin, receipt date and cost (the sale's cost moves by
        the difference)."""
        if not len(k):
            return
        c, gain = self.chains.covers, self.chains.true_up[k]
        np.add.at(self.row_cost, c.out[k], gain)
        np.add.at(self.owned_cost, c.out[k], gain)
        np.add.at(self.chains.cost, c.out[k], gain)
        src, _ = self.book.take(c.inn[k], c.lo[k], c.lo[k] + 1)
        piece = self.book.first[c.out[k]] + self.book.count[c.out[k]] - c.tail[k]
        self.book.amend(piece, gain, src.origin, src.received)

    def store(self, pieces: Pieces) -> None:
        """Keep the pieces of newly costed rows, and each row's cost (all, owned)."""
        if not len(pieces):
            return
        self.book.add(pieces)
        heads = np.flatnonzero(_heads(pieces.row))
        rows = pieces.row[heads]
        self.row_cost[rows] = np.add.reduceat(pieces.cost, heads)
        self.owned_cost[rows] = np.add.reduceat(np.where(pieces.owned, pieces.cost, 0), heads)
        self.owned_qty[rows] = np.add.reduceat(np.where(pieces.owned, pieces.qty, 0), heads)

    def _owned_taken(self, rows: np.ndarray) -> np.ndarray:
        """Owned units each moving-average out-going row takes (its matches, less memo)."""
        m, led = self.routes.matches, self.led
        which, rank = explode(m.count[rows])
        k = m.first[rows][which] + rank
        known = ~m.ahead[k]  # units matched ahead (negative stock) count as owned
        which, k = which[known], k[known]
        own = self.routes.role[m.inn[k]] == OWN
        memo_own = own & (led.kind[m.inn[k]] == kind_code(EntryKind.MEMO_IN))
        cut, w = self.book.take(m.inn[k[~own]], m.lo[k[~own]], m.hi[k[~own]])
        owner = np.concatenate([which[memo_own], which[~own][w]])
        units = np.concatenate([(m.hi - m.lo)[k[memo_own]], np.where(cut.owned, 0, cut.qty)])
        memo = np.zeros(len(rows), np.int64)
        np.add.at(memo, owner, units)
        return -led.qty[rows] - memo

    def _derive(self, rows: np.ndarray) -> Pieces:
        """Derived receipts: the units of their source's pieces they take over."""
        if not len(rows):
            return Pieces.empty()
        r = self.routes
        lo, hi, extra = r.take_lo[rows], r.take_hi[rows], r.extra[rows]
        has = np.flatnonzero(hi > lo)
        cut, which = self.book.take(r.source[rows[has]], lo[has], hi[has])
        cut.row = rows[has][which]
        short = np.flatnonzero(extra > 0)
        if not len(short):
            return cut
        own = _own_pieces(self.led, rows[short])
        own.qty = extra[short]
        own.cost = value_cents(own.qty, self.led.unit_cost[rows[short]])
        order = np.argsort(np.concatenate([has[which], short]), kind="stable")
        return Pieces.concat([cut, own]).select(order)

    def _consume(self, rows: np.ndarray) -> Pieces:
        """Out-going rows: the pieces of the in-coming rows they match, then any excess."""
        m = self.routes.matches
        which, rank = explode(m.count[rows])
        k = m.first[rows][which] + rank
        known = ~m.ahead[k]
        cut, w = self.book.take(m.inn[k[known]], m.lo[k[known]], m.hi[k[known]])
        owner = which[known][w]
        cut.row = rows[owner]
        if known.all() and not self.routes.excess[rows].any():
            self._average_out(rows, cut)
            return cut
        extra_owner, extra = self._unknown(rows, which, k, known)
        if len(extra_owner):
            unknown = self._excess_pieces(rows, extra_owner, extra)
            order = np.argsort(np.concatenate([owner, extra_owner]), kind="stable")
            cut = Pieces.concat([cut, unknown]).select(order)
        self._average_out(rows, cut)
        return cut

    def _unknown(
        self, rows: np.ndarray, which: np.ndarray, k: np.ndarray, known: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Units with no known layer: moving-average matches ahead, and the excess."""
        m, excess = self.routes.matches, self.routes.excess[rows]
        ahead = np.flatnonzero(~known)
        short = np.flatnonzero(excess > 0)
        owner = np.concatenate([which[ahead], short])
        qty = np.concatenate([m.hi[k[ahead]] - m.lo[k[ahead]], excess[short]])
        order = np.argsort(owner, kind="stable")
        return owner[order], qty[order]

    def _excess_pieces(self, rows: np.ndarray, owner: np.ndarray, qty: np.ndarray) -> Pieces:
        """Units nobody received: at the group's last known unit cost (0 if none)."""
        out = rows[owner]
        last = self.routes.last_in[out]
        unit = np.zeros(len(out), np.int64)
        fifo = (last >= 0) & ~self.led.average[self.led.group[out]]  # average: see _average_out
        unit[fifo] = self.book.last_unit_cost(last[fifo])
        none = np.zeros(len(out), np.int64)
        return Pieces(out, qty, qty * unit, none, np.full(len(out), NO_DATE),
                      np.ones(len(out), bool))

    def _average_out(self, rows: np.ndarray, cut: Pieces) -> None:
        """Moving-average rows: the cost their chain gave them, shared over their owned
        pieces (memo pieces keep their own cost)."""
        led = self.led
        mine = np.flatnonzero(led.average[led.group[cut.row]] & cut.owned)
        if not len(mine):
            return
        row = cut.row[mine]
        cut.cost[mine] = spread(self.chains.cost[row], units_per_run(row, cut.qty[mine]),
                                cut.qty[mine], _heads(row))

    def _remove(self, rows: np.ndarray) -> Pieces:
        """Reversals of in-coming rows: exactly the pieces that row put on the shelf."""
        target = self.routes.source[rows]
        cut, which = self.book.take(target, np.zeros(len(rows), np.int64),
                                    self.led.qty[target])
        cut.row = rows[which]
        return cut


    def _trim(self, rows: np.ndarray) -> Pieces:
        """Vendor returns against a receipt: the receipt's last units, at its cost."""
        r = self.routes
        cut, which = self.book.take(r.source[rows], r.take_lo[rows], r.take_hi[rows])
        cut.row = rows[which]
        return cut


def _all_owned(led: LedgerArrays) -> Callable[[np.ndarray], np.ndarray]:
    return lambda rows: -led.qty[rows]


def _heads(row: np.ndarray) -> np.ndarray:
    """True where a run of equal values starts."""
    head = np.ones(len(row), bool)
    np.not_equal(row[1:], row[:-1], out=head[1:])
    return head
