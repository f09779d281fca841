"""Cost pieces: runs of units that share one cost, origin, receipt date and ownership.

Every ledger row that moves stock is described by its *pieces*. An in-coming row's pieces
are what it put on the shelf; an out-going row's pieces are what it took off. The pieces
of one row tile its units ``[0, |qty|)`` in order. A piece of ``n`` units costing ``c``
cents is cut into consecutive runs with `money.share`, so the runs always add back up to ``c``
exactly, however a piece is cut (a FIFO piece with a whole-cent unit cost cuts to exactly
``units * unit_cost``; 1,000 @ 0.125 = 125.00 cuts 333 of them to 41.63, the rest to 83.37).

`PieceBook` keeps the pieces of many rows in one flat, growing set of numpy arrays: each
row's pieces contiguous, each row given its own span on one global unit axis, so that
"units ``[lo, hi)`` of row ``r``" is answered with two `np.searchsorted` calls for any
number of questions at once (`PieceBook.take`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from addin.core.money import share

NO_DATE = np.iinfo(np.int64).min  # NaT, as datetime64[ns] viewed as int64


def explode(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For counts [2, 0, 3]: owners [0, 0, 2, 2, 2] and ranks [0, 1, 0, 1, 2]."""
    owners = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    ranks = np.arange(len(owners)) - np.repeat(starts, counts)
    return owners, ranks


def stable_order(codes: np.ndarray) -> np.ndarray:
    """np.argsort(codes, kind="stable") for codes in [0, 2**32), as two 16-bit radix passes
    (numpy radix-sorts 16-bit keys; a general stable sort of a million codes is slower)."""
    if not len(codes) or codes.max() >= 2**32 or codes.min() < 0:
        return np.argsort(codes, kind="stable")
    order = np.argsort((codes & 0xFFFF).astype(np.uint16), kind="stable")
    if codes.max() < 2**16:
        return order
    high = (codes[order] >> 16).astype(np.uint16)
    return order[np.argsort(high, kind="stable")]


@dataclass(frozen=True)
class Cuts:
    """Where cut pieces sit in the stored pieces they were cut from: the stored piece's
    units before the cut (`at`), its units and its cost. Unit i of a stored piece of n
    units costing c costs share(c, i + 1, n) - share(c, i, n), wherever it is cut."""

    at: np.ndarray
    whole: np.ndarray
    whole_cost: np.ndarray


@dataclass
class Pieces:
    """Pieces as parallel arrays; `row` is the ledger row (position) a piece belongs to."""

    row: np.ndarray
    qty: np.ndarray
    cost: np.ndarray
    origin: np.ndarray  # entry no. of the receipt that first gave the units their cost
    received: np.ndarray  # int64 nanoseconds (NO_DATE when unknown)
    owned: np.ndarray  # bool; False for memo (consigned-in) stock

    def __len__(self) -> int:
        return len(self.qty)

    def select(self, index: np.ndarray | slice) -> Pieces:
        return Pieces(*(getattr(self, f.name)[index] for f in fields(self)))

    @staticmethod
    def concat(parts: list[Pieces]) -> Pieces:
        return Pieces(*(np.concatenate([getattr(p, f.name) for p in parts])
                        for f in fields(Pieces)))

    @staticmethod
    def empty() -> Pieces:
        i = np.zeros(0, np.int64)
        return Pieces(i, i, i, i, i, np.zeros(0, bool))


class PieceBook:
    """The pieces of every row resolved so far, searchable by (row, unit range)."""

    def __init__(self, n_rows: int, capacity: int = 1024):
        self.first = np.full(n_rows, -1, np.int64)  # index of a row's first piece
        self.count = np.zeros(n_rows, np.int64)
        self.span_start = np.zeros(n_rows, np.int64)  # the row's first unit on the axis
        self.size = 0
        self.units = 0  # the global axis used so far
        self._key = np.empty(capacity, np.int64)  # global axis position of each piece
        self._store = Pieces(*(np.empty(capacity, bool if f.name == "owned" else np.int64)
                               for f in fields(Pieces)))

    @property
    def pieces(self) -> Pieces:
        """All pieces stored, in the order they were added."""
        return self._store.select(slice(0, self.size))

    def add(self, new: Pieces) -> None:
        """Store the pieces of rows not seen before; each row's pieces contiguous, in order."""
        n = len(new)
        if n == 0:
            return
        self._reserve(self.size + n)
        key = self.units + np.cumsum(new.qty) - new.qty
        head = np.ones(n, bool)
        np.not_equal(new.row[1:], new.row[:-1], out=head[1:])
        heads = np.flatnonzero(head)
        rows = new.row[heads]
        self.first[rows] = self.size + heads
        self.count[rows] = np.diff(heads, append=n)
        self.span_start[rows] = key[heads]
        end = self.size + n
        self._key[self.size:end] = key
        for f in fields(Pieces):
            getattr(self._store, f.name)[self.size:end] = getattr(new, f.name)
        self.size = end
        self.units = int(key[-1] + new.qty[-1])

    def take(self, rows: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[Pieces, np.ndarray]:
        """Units [lo, hi) of each of `rows` (resolved rows, lo < hi), cut from their pieces.

        Returns the cut pieces (their `row` is the row they were cut from) and, for each,
        the index of the question it answers; answers come in question order.
        """
        cut, which, _ = self.take_cut(rows, lo, hi)
        return cut, which

    def take_cut(self, rows: np.ndarray, lo: np.ndarray,
                 hi: np.ndarray) -> tuple[Pieces, np.ndarray, Cuts]:
        """As `take`, and where each cut sits in the stored piece it was cut from."""
        key = self._key[: self.size]
        want_lo = self.span_start[rows] + lo
        want_hi = self.span_start[rows] + hi
        head = self.first[rows].copy()
        tail = head.copy()
        several = np.flatnonzero(self.count[rows] > 1)  # most rows are one piece: no search
        head[several] = np.searchsorted(key, want_lo[several], side="right") - 1
        tail[several] = np.searchsorted(key, want_hi[several], side="left") - 1
        which, rank = explode(tail - head + 1)
        p = head[which] + rank
        at = key[p]
        whole = self._store.qty[p]
        a = np.maximum(want_lo[which], at) - at
        b = np.minimum(want_hi[which], at + whole) - at
        cost = self._store.cost[p]
        cut = Pieces(
            row=self._store.row[p],
            qty=b - a,
            cost=share(cost, b, whole) - share(cost, a, whole),
            origin=self._store.origin[p],
            received=self._store.received[p],
            owned=self._store.owned[p],
        )
        return cut, which, Cuts(a, whole, cost)

    def amend(self, at: np.ndarray, cost: np.ndarray, origin: np.ndarray,
              received: np.ndarray) -> None:
        """Pieces `at` (stored indexes, once each) cost `cost` more and now come from
        `origin`, received then (a sale below zero, trued up when stock arrives)."""
        self._store.cost[at] += cost
        self._store.origin[at] = origin
        self._store.received[at] = received

    def last_unit_cost(self, rows: np.ndarray) -> np.ndarray:
        """The unit cost (rounded) of the last piece of each resolved row."""
        p = self.first[rows] + self.count[rows] - 1
        return share(self._store.cost[p], 1, self._store.qty[p])

    def _reserve(self, need: int) -> None:
        cap = len(self._key)
        if need <= cap:
            return
        while cap < need:
            cap *= 2
        self._key = _grown(self._key, cap)
        for f in fields(Pieces):
            setattr(self._store, f.name, _grown(getattr(self._store, f.name), cap))


def _grown(a: np.ndarray, cap: int) -> np.ndarray:
    out = np.empty(cap, a.dtype)
    out[: len(a)] = a
    return out
