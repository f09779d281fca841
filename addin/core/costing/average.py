"""Moving-average cost for (style, location) groups of styles whose Cost Method is Average.

A group keeps its owned units on hand and their value in whole cents. An in-coming entry
adds its units and its cost (a receipt its own cost; a return or transfer-in the cost its
source took). An out-going entry of ``q`` units takes ``round-half-up(value * q / on
hand)`` cents, and when it empties the group it takes exactly what is left, so for every
group: cost in = cost out + ending value, to the cent.

Consigned (memo-in) units are not the shop's and never enter the average: in an Average
group they keep their own memo cost, like a FIFO layer, and leave at that cost. Which
units an out-going entry takes (owned or memo, and their receipt dates) still follows
arrival order.

Negative stock (only if the shop allows it): while a group has fewer units than asked,
it gives what it has at its value and the units beyond are costed at the group's last
known unit cost (0 if it never had stock). When stock arrives at that group, the k-th
unit out is its k-th unit in, as for FIFO (`Covers`: the units of each in-coming row that
cover units sold before it): the sale that took an uncovered unit is trued up to the cost
of the unit that covers it, and the group keeps only the units really on hand, at their
cost. A group below zero holds minus the cost its uncovered units went out at.

`AverageChains` walks the events of all groups as a wavefront: step k applies the next
event of every group at once (vectorized across groups), and a group simply waits at an
event whose cost is not known yet (a return or transfer-in whose source is still being
costed). No Python code runs per ledger row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from addin.core.costing.layer_pieces import explode
from addin.core.money import share


@dataclass(frozen=True)
class Covers:
    """Units of in-coming rows that cover units an earlier out-going row of their group
    sold below zero: cover k gives units [lo, hi) of in-coming row `inn` to row `out`.
    Covers of one in-coming row are contiguous (`first`, `count` per ledger row); `tail`
    says which piece of `out` the covered units are, counted back from its last piece."""

    inn: np.ndarray
    out: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    tail: np.ndarray
    first: np.ndarray
    count: np.ndarray

    @staticmethod
    def of(inn: np.ndarray, out: np.ndarray, lo: np.ndarray, hi: np.ndarray,
           tail: np.ndarray, n_rows: int) -> Covers:
        order = np.lexsort((lo, inn))
        count = np.bincount(inn, minlength=n_rows).astype(np.int64)
        return Covers(inn[order], out[order], lo[order], hi[order], tail[order],
                      np.cumsum(count) - count, count)


class AverageChains:
    """The events of every moving-average group, in order, and how far each group got."""

    def __init__(self, group: np.ndarray, qty: np.ndarray, events: np.ndarray, groups: int,
                 covers: Covers):
        self.group, self.qty, self.events = group, qty, events  # events: by group, in order
        head = np.ones(len(events), bool)
        np.not_equal(group[events][1:], group[events][:-1], out=head[1:])
        self.start = np.flatnonzero(head)
        self.length = np.diff(self.start, append=len(events))
        self.done = np.zeros(len(self.start), np.int64)
        self.ready = np.zeros(len(group), bool)  # per ledger row: its own inputs are known
        self.cost = np.zeros(len(group), np.int64)  # per out-going row: owned units' cost
        self.book = AverageBook(groups)
        self.covers = covers
        self.short_unit = np.zeros(len(group), np.int64)  # out-going: cost of units below 0
        self.true_up = np.zeros(len(covers.inn), np.int64)  # per cover: what its sale gains
        self.trued: list[np.ndarray] = []  # covers applied, not yet handed on

    def advance(self, owned_qty: np.ndarray, owned_cost: np.ndarray,
                owned_taken: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        """Apply, group by group in order, every event that is ready; return those rows.

        In-coming rows add their owned units and cost (`owned_qty`, `owned_cost` per
        row); out-going rows take `owned_taken(rows)` owned units at the average.
        """
        live = np.flatnonzero(self.done < self.length)
        passed = []
        while len(live):
            row = self.events[self.start[live] + self.done[live]]
            go = self.ready[row]
            live, row = live[go], row[go]
            if not len(live):
                break
            inn, out = row[self.qty[row] > 0], row[self.qty[row] < 0]
            gained = self._cover(inn, owned_qty, owned_cost)
            self.book.receive(self.group[inn], owned_qty[inn], owned_cost[inn] - gained)
            self.book.arrived(self.group[inn], owned_qty[inn], owned_cost[inn])
            self.short_unit[out] = self.book.unit_cost[self.group[out]]
            self.cost[out] = self.book.issue(self.group[out], owned_taken(out))
            passed.append(row)
            self.done[live] += 1
            live = live[self.done[live] < self.length[live]]
        return np.concatenate(passed) if passed else np.zeros(0, np.int64)

    def _cover(self, inn: np.ndarray, owned_qty: np.ndarray,
               owned_cost: np.ndarray) -> np.ndarray:
        """True up the sales whose units below zero the in-coming rows `inn` cover: each
        covered unit now costs what its covering unit cost, instead of the last known unit
        cost it went out at. Returns, per row, what its sales gained (it stays out of the
        group's value). Only owned units cover."""
        c = self.covers
        which, rank = explode(c.count[inn])
        if not len(which):
            return np.zeros(len(inn), np.int64)
        k = c.first[inn][which] + rank
        row = inn[which]
        oq, oc = owned_qty[row], owned_cost[row]
        lo, hi = np.minimum(c.lo[k], oq), np.minimum(c.hi[k], oq)
        whole = np.maximum(oq, 1)
        real = share(oc, hi, whole) - share(oc, lo, whole)
        self.true_up[k] = real - (hi - lo) * self.short_unit[c.out[k]]
        self.trued.append(k[hi > lo])
        gained = np.zeros(len(inn), np.int64)
        np.add.at(gained, which, self.true_up[k])
        return gained

    def handed_on(self) -> np.ndarray:
        """The covers applied since the last call (their sales' pieces are to be trued up)."""
        done = np.concatenate(self.trued) if self.trued else np.zeros(0, np.int64)
        self.trued = []
        return done


class AverageBook:
    """Units on hand, value and last known unit cost of every moving-average group."""

    def __init__(self, groups: int):
        self.value = np.zeros(groups, np.int64)
        self.on_hand = np.zeros(groups, np.int64)
        self.unit_cost = np.zeros(groups, np.int64)

    def receive(self, group: np.ndarray, qty: np.ndarray, cost: np.ndarray) -> None:
        """Add in-coming units and their cost (each group at most once per call)."""
        self.value[group] += cost
        self.on_hand[group] += qty
        stocked = group[self.on_hand[group] > 0]
        self.unit_cost[stocked] = share(self.value[stocked], 1, self.on_hand[stocked])

    def arrived(self, group: np.ndarray, qty: np.ndarray, cost: np.ndarray) -> None:
        """Groups still short, or just covered, after units arrived at `cost`: their last
        known unit cost is the arriving units'."""
        short = (self.on_hand[group] <= 0) & (qty > 0)
        self.unit_cost[group[short]] = share(cost[short], 1, qty[short])

    def issue(self, group: np.ndarray, qty: np.ndarray) -> np.ndarray:
        """Take out-going units (each group at most once per call); returns their cost."""
        cost = issue_cost(self.value[group], self.on_hand[group], qty, self.unit_cost[group])
        self.value[group] -= cost
        self.on_hand[group] -= qty
        return cost


def issue_cost(value: np.ndarray, on_hand: np.ndarray, qty: np.ndarray,
               unit_cost: np.ndarray) -> np.ndarray:
    """The cost of taking `qty` units from groups holding `on_hand` units worth `value`."""
    stocked = np.maximum(on_hand, 0)
    part = share(value, qty, np.maximum(stocked, 1))
    emptied = np.where(stocked > 0, value, 0) + (qty - stocked) * unit_cost
    return np.where(qty < stocked, part, emptied)


def spread(total: np.ndarray, whole: np.ndarray, qty: np.ndarray,
           head: np.ndarray) -> np.ndarray:
    """Share each owner's `total` cents over its pieces by units, exactly.

    Pieces of one owner are contiguous; `head` marks each owner's first piece; `total` and
    `whole` (the owner's units) are given per piece. The shares add up to `total`.
    """
    start = np.cumsum(qty) - qty
    base = np.maximum.accumulate(np.where(head, start, 0))
    before = start - base
    return share(total, before + qty, whole) - share(total, before, whole)


def units_per_run(owner: np.ndarray, qty: np.ndarray) -> np.ndarray:
    """For pieces in runs of one owner: each piece's owner's total units."""
    if not len(owner):
        return qty
    head = np.ones(len(owner), bool)
    np.not_equal(owner[1:], owner[:-1], out=head[1:])
    starts = np.flatnonzero(head)
    return np.repeat(np.add.reduceat(qty, starts), np.diff(starts, append=len(owner)))
