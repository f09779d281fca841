"""Cost routes: which units every ledger row takes from which rows, before any cost is known.

Costs depend on each other (a return costs what its sale took, which is what the layers
it consumed cost, which may themselves have come back with an earlier return), but the
*quantities* never do. This module works out, once and vectorized, everything that only
depends on quantities:

- each row's **role**: an own-cost receipt, a derived receipt (takes over the cost of the
  units its source entry took), an out-going row that consumes its group's queue, a
  reversal that removes one in-coming row's layer, or a vendor return that names its
  receipt (Reverses) and *trims* that receipt's layer: it takes the receipt's last units,
  at the receipt's cost, as though the receipt had come in that many units short;
- per group (style, location, serial), the FIFO **matches**: out-going row ``o`` takes
  units ``[lo, hi)`` of in-coming row ``i`` (cumulative positions + `np.searchsorted`);
  units beyond everything the group ever received are the row's **excess**;
- the unit range of its source each derived receipt takes (several receipts naming one
  source take consecutive ranges, in the order of events);
- the **chains** of moving-average groups: their events in order (each needs the one
  before it; `addin.core.costing.average.AverageChains` walks them);
- the dependency **edges** (row A must be costed before row B) for the scheduler.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from addin.core.costing.layer_pieces import explode, stable_order
from addin.core.ledger import EntryKind

KINDS: tuple[str, ...] = tuple(k.value for k in EntryKind)
OWN_COST_KINDS = (EntryKind.RECEIPT, EntryKind.MEMO_IN, EntryKind.ADJUST, EntryKind.OPENING)

NONE, OWN, DERIVED, OUT, REMOVE, TRIM = 0, 1, 2, 3, 4, 5  # row roles


def kind_code(kind: EntryKind) -> int:
    return KINDS.index(kind.value)


@dataclass(frozen=True)
class LedgerArrays:
    """The ledger as numpy arrays in the order of events: by date, ties by entry (the
    costing engine's only input)."""

    entry: np.ndarray
    kind: np.ndarray  # codes into KINDS, -1 for an unknown kind
    qty: np.ndarray
    unit_cost: np.ndarray  # ten-thousandths of a dollar, as typed (0.125 -> 1250)
    date: np.ndarray  # int64 nanoseconds
    reverses: np.ndarray
    group: np.ndarray  # code of (style, location, serial)
    average: np.ndarray  # per group: True for a moving-average group

    def __len__(self) -> int:
        return len(self.entry)

    @property
    def groups(self) -> int:
        return len(self.average)


@dataclass(frozen=True)
class Matches:
    """Out-going row `out` takes units [lo, hi) of in-coming row `inn`, at its own unit `at`."""

    out: np.ndarray
    inn: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    at: np.ndarray
    ahead: np.ndarray  # the in-coming row comes after the out-going one (negative stock)
    first: np.ndarray  # per ledger row: index of its first match
    count: np.ndarray  # per ledger row: number of matches


@dataclass(frozen=True)
class Routes:
    role: np.ndarray
    source: np.ndarray  # derived: the row it takes cost from; remove: the row it removes
    take_lo: np.ndarray  # derived, trim: units [take_lo, take_hi) of the source's pieces
    take_hi: np.ndarray
    kept: np.ndarray  # per row: its units less those trimmed off it (in-coming rows)
    extra: np.ndarray  # derived: units beyond what the source took (at own Unit Cost)
    stream_in: np.ndarray  # in-coming rows that queue in their group
    in_order: np.ndarray  # stream_in rows, by group then entry (arrival order)
    open_lo: np.ndarray  # stream_in rows: units from here on are still on hand
    excess: np.ndarray  # out rows: units beyond all the group ever received
    last_in: np.ndarray  # out rows with excess: the group's last in-coming row before it, else -1
    matches: Matches
    chain: np.ndarray  # row is an event of a moving-average group
    chain_order: np.ndarray  # those rows by group, then entry
    edge_from: np.ndarray
    edge_to: np.ndarray


def plan(led: LedgerArrays) -> Routes:
    """Roles, matches, derived ranges, chains and dependency edges of a ledger."""
    role, source = _roles(led)
    removed = np.zeros(len(led), bool)
    removed[source[role == REMOVE]] = True
    stream_in = ((role == OWN) | (role == DERIVED)) & ~removed
    by_group = stable_order(led.group)
    in_order = by_group[stream_in[by_group]]
    kept, trim_lo, trim_hi = _trims(led, role, source)
    out_order = by_group[(role == OUT)[by_group]]
    matches, open_lo, excess, last_in = _match(led, in_order, out_order, kept)
    take_lo, take_hi, extra = _derived_ranges(led, role, source)
    trimming = role == TRIM
    take_lo[trimming], take_hi[trimming] = trim_lo[trimming], trim_hi[trimming]
    chain = ((role == OWN) | (role == DERIVED) | (role == OUT)) & ~removed
    chain &= led.average[led.group]
    edge_from, edge_to = _edges(led, role, source, matches, excess, last_in)
    return Routes(role, source, take_lo, take_hi, kept, extra, stream_in, in_order, open_lo,
                  excess, last_in, matches, chain, by_group[chain[by_group]], edge_from,
                  edge_to)


def _roles(led: LedgerArrays) -> tuple[np.ndarray, np.ndarray]:
    """Role of every row, and the row its Reverses names (only if earlier and found)."""
    n = len(led)
    by_entry = np.argsort(led.entry, kind="stable")
    pos = np.searchsorted(led.entry[by_entry], led.reverses)
    safe = by_entry[np.minimum(pos, max(n - 1, 0))] if n else pos
    found = (led.reverses > 0) & (pos < n) & (led.entry[safe] == led.reverses)
    found &= safe < np.arange(n)  # the source comes first in the order of events
    src = np.where(found, safe, -1)
    src_qty = np.where(found, led.qty[safe], 0)
    inn, out = led.qty > 0, led.qty < 0
    own_kind = np.zeros(len(KINDS) + 1, bool)
    own_kind[[kind_code(k) for k in OWN_COST_KINDS]] = True
    own_kind = own_kind[led.kind]  # an unknown kind (-1) lands on the last, False
    derived = inn & (src_qty < 0) & ~own_kind
    reversal = out & (src_qty > 0) & (led.kind == kind_code(EntryKind.REVERSAL))
    candidates = np.flatnonzero(reversal)
    _, firsts = np.unique(src[candidates], return_index=True)  # one removal per row
    remove = np.zeros(n, bool)
    remove[candidates[firsts]] = True
    trim = out & (src_qty > 0) & (led.kind == kind_code(EntryKind.VENDOR_RETURN))
    trim &= np.where(found, own_kind[safe], False) & ~led.average[led.group]
    trim &= np.where(found, led.group[safe] == led.group, False)
    trim = _fitting(led, trim, src)
    role = np.select([derived, inn, remove, trim, out], [DERIVED, OWN, REMOVE, TRIM, OUT], NONE)
    source = np.where(derived | remove | trim, src, -1)
    return role.astype(np.int8), source


def _fitting(led: LedgerArrays, trim: np.ndarray, src: np.ndarray) -> np.ndarray:
    """Trims that fit inside their receipt (in the order of events); a trim asking more
    than is left of its receipt is an ordinary out-going row (oldest units first)."""
    rows = np.flatnonzero(trim)
    if not len(rows):
        return trim
    rows = rows[stable_order(src[rows])]
    q = -led.qty[rows]
    before = _before_in_run(src[rows], q)
    out = trim.copy()
    out[rows[before + q > led.qty[src[rows]]]] = False
    return out


def _trims(led: LedgerArrays, role: np.ndarray,
           source: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: units kept after trims; per trim: the source's units [lo, hi) it takes,
    from the source's last unit backwards, in the order of events."""
    n = len(led)
    kept = led.qty.copy()
    lo, hi = np.zeros(n, np.int64), np.zeros(n, np.int64)
    rows = np.flatnonzero(role == TRIM)
    if not len(rows):
        return kept, lo, hi
    rows = rows[stable_order(source[rows])]
    src, q = source[rows], -led.qty[rows]
    before = _before_in_run(src, q)
    hi[rows] = led.qty[src] - before
    lo[rows] = hi[rows] - q
    np.subtract.at(kept, src, q)
    return kept, lo, hi


def _before_in_run(keys: np.ndarray, q: np.ndarray) -> np.ndarray:
    """For rows in runs of equal `keys`: the units of the rows before each in its run."""
    heads = np.r_[True, keys[1:] != keys[:-1]]
    before = np.cumsum(q) - q
    return before - before[np.maximum.accumulate(np.where(heads, np.arange(len(q)), 0))]


def _match(
    led: LedgerArrays, ins: np.ndarray, outs: np.ndarray, kept: np.ndarray
) -> tuple[Matches, np.ndarray, np.ndarray, np.ndarray]:
    """FIFO by cumulative position: the k-th unit out of a group is its k-th unit in (the
    units trimmed off a receipt are not in its group's queue)."""
    n, groups = len(led), led.groups
    q_in, g_in = kept[ins], led.group[ins]
    q_out, g_out = -led.qty[outs], led.group[outs]
    total_in = sum_by(g_in, q_in, groups)
    total_out = sum_by(g_out, q_out, groups)
    in_at = np.cumsum(q_in) - q_in  # on one axis for all groups, group after group
    in_base = np.cumsum(total_in) - total_in
    out_local = np.cumsum(q_out) - q_out - (np.cumsum(total_out) - total_out)[g_out]
    cap = total_in[g_out]
    lo, hi = np.minimum(out_local, cap), np.minimum(out_local + q_out, cap)
    excess = np.zeros(n, np.int64)
    excess[outs] = q_out - (hi - lo)
    has = hi > lo
    want_lo, want_hi = (in_base[g_out] + lo)[has], (in_base[g_out] + hi)[has]
    head = np.searchsorted(in_at, want_lo, side="right") - 1
    tail = np.searchsorted(in_at, want_hi, side="left") - 1
    per_out = tail - head + 1
    which, rank = explode(per_out)
    k = head[which] + rank
    start = np.maximum(want_lo[which], in_at[k])
    end = np.minimum(want_hi[which], in_at[k] + q_in[k])
    m_out, m_in = outs[has][which], ins[k]
    first, count = np.zeros(n, np.int64), np.zeros(n, np.int64)
    first[outs[has]] = np.cumsum(per_out) - per_out
    count[outs[has]] = per_out
    ahead = (m_in > m_out) & led.average[led.group[m_out]]
    matches = Matches(m_out, m_in, start - in_at[k], end - in_at[k], start - want_lo[which],
                      ahead, first, count)
    open_lo = np.zeros(n, np.int64)
    open_lo[ins] = np.clip(total_out[g_in] - (in_at - in_base[g_in]), 0, q_in)
    return matches, open_lo, excess, _last_in(led, ins, g_in, outs, excess)


def _last_in(
    led: LedgerArrays, ins: np.ndarray, g_in: np.ndarray, outs: np.ndarray, excess: np.ndarray
) -> np.ndarray:
    """For out rows with excess: the group's last in-coming row before it in the order of
    events, else -1. Its cost is the last known unit cost *as of the sale*, so units still
    uncovered keep the cost they went out at while later stock covers the others (the k-th
    unit out is the k-th unit in; a later delivery never re-prices units it does not cover)."""
    last_in = np.full(len(led), -1, np.int64)
    short = outs[excess[outs] > 0]
    if not len(short) or not len(ins):
        return last_in
    key_in = g_in.astype(np.int64) * len(led) + ins  # `ins` run group by group, in order
    key_out = led.group[short].astype(np.int64) * len(led) + short
    at = np.searchsorted(key_in, key_out) - 1
    found = at >= 0
    found[found] = g_in[at[found]] == led.group[short[found]]
    last_in[short[found]] = ins[at[found]]
    return last_in


def _derived_ranges(
    led: LedgerArrays, role: np.ndarray, source: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Derived rows naming one source take consecutive ranges of its units, in event order.

    A REVERSAL starts again from the source's first unit: it takes back everything the
    source took, whatever returns or in-halves also name it.
    """
    n = len(led)
    rows = np.flatnonzero(role == DERIVED)
    reversal = led.kind[rows] == kind_code(EntryKind.REVERSAL)
    key = source[rows] * 2 + reversal
    rows, key = rows[stable_order(key)], np.sort(key)
    src, q = source[rows], led.qty[rows]
    span = np.where(role[src] == REMOVE, led.qty[source[src]], -led.qty[src])
    before = np.cumsum(q) - q
    heads = np.r_[True, key[1:] != key[:-1]] if len(src) else np.zeros(0, bool)
    run_start = np.maximum.accumulate(np.where(heads, np.arange(len(src)), 0))
    local = before - before[run_start]
    lo, hi = np.minimum(local, span), np.minimum(local + q, span)
    take_lo, take_hi, extra = (np.zeros(n, np.int64) for _ in range(3))
    take_lo[rows], take_hi[rows], extra[rows] = lo, hi, q - (hi - lo)
    return take_lo, take_hi, extra


def _edges(
    led: LedgerArrays, role: np.ndarray, source: np.ndarray, m: Matches, excess: np.ndarray,
    last_in: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(before, after) pairs: `after` cannot be costed until `before` is.

    Own-cost receipts are costed up front and so never appear as `before`. The order of
    events within a moving-average group is not an edge: `AverageChains` keeps it, and a
    moving-average out-going row only takes units from rows earlier in its own chain.
    """
    derived = np.flatnonzero(role == DERIVED)
    fifo_match = (role[m.inn] == DERIVED) & ~led.average[led.group[m.out]]
    short = np.flatnonzero((last_in >= 0) & (excess > 0))
    short = short[(role[last_in[short]] == DERIVED) & ~led.average[led.group[short]]]
    removes = np.flatnonzero(role == REMOVE)
    removes = removes[role[source[removes]] == DERIVED]
    edge_from = np.concatenate([source[derived], m.inn[fifo_match], last_in[short],
                                source[removes]])
    edge_to = np.concatenate([derived, m.out[fifo_match], short, removes])
    return edge_from.astype(np.int64), edge_to.astype(np.int64)


def sum_by(group: np.ndarray, values: np.ndarray, groups: int) -> np.ndarray:
    """Whole-number totals per group (bincount adds in float64: exact below 2**53 units)."""
    return np.rint(np.bincount(group, weights=values, minlength=groups)).astype(np.int64)
