"""Costing invariants over random valid ledgers (hypothesis).

The ledgers come from `costing_ledgers.ShopSim`: receipts (owned and memo), sales within
stock, partial returns of earlier sales, transfers, memo out and back, count shortages
and surpluses, vendor returns, reversals of sales / receipts / returns / moves, and
method switches both ways, over a FIFO, an Average and a serialized style. The engine is
checked against the per-row replay in `bench/fifo_replay.py` and against bookkeeping
identities computed here from the ledger alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.core import costing, ledger
from bench.fifo_replay import replay
from tests.core.costing.costing_ledgers import AVERAGE, OPS, ShopSim, build

METHODS = {s: "Average" for s in AVERAGE}
OWN_COST = {"RECEIPT", "MEMO_IN", "ADJUST"}

operations = st.lists(
    st.tuples(st.integers(0, len(OPS) - 1), st.integers(0, 10_000), st.integers(1, 6),
              st.integers(1, 50_000)),
    min_size=1, max_size=60,
)
checks = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def received(qty: int, unit_cost: int) -> int:
    """A receipt's value in cents: qty x unit cost (ten-thousandths), half up, once."""
    return int((Decimal(qty * unit_cost) / 100).quantize(Decimal(1), ROUND_HALF_UP))


def _books(sim: ShopSim) -> costing.Books:
    return costing.book(sim.frame(), METHODS)


@checks
@given(operations)
def test_engine_books_what_a_per_row_replay_books(ops):
    sim = build(ops)
    books, ref = _books(sim), replay(sim.frame(), AVERAGE)
    assert books.cogs.to_dict() == ref.cogs
    assert books.cost_in.to_dict() == ref.cost_in
    lay = books.layers
    mine = list(zip(lay["style"], lay["location"], lay["serial"], lay["origin"],
                    lay["received"].astype("int64"), lay["qty"], lay["value"], lay["owned"],
                    lay["arrived"], strict=True))
    assert mine == ref.layers
    taken = defaultdict(list)
    for r in books.consumed.itertuples():
        taken[r.entry].append((r.qty, r.cost, r.origin, r.received.value, r.owned))
    assert dict(taken) == ref.consumed


@checks
@given(operations)
def test_cost_received_is_cost_of_goods_plus_ending_value_to_the_cent(ops):
    sim = build(ops)
    books = _books(sim)
    own, derived = 0, 0
    for row in sim.rows:  # which entries bring their own cost, read off the ledger itself
        if row["qty"] > 0:
            cost = int(books.cost_in[row["entry"]])
            if row["kind"] in OWN_COST:
                assert cost == received(row["qty"], row["unit_cost"])
                own += cost
            else:
                derived += cost
    assert own == int(books.cogs.sum()) - derived + int(books.layers["value"].sum())
    # and the same for the shop's own money alone (memo stock is not the shop's)
    comes = [r for r in sim.rows if r["qty"] > 0]
    owned_own = sum(received(r["qty"], r["unit_cost"]) for r in comes
                    if r["kind"] in OWN_COST - {"MEMO_IN"})
    owned_derived = sum(int(books.owned_in[r["entry"]]) for r in comes
                        if r["kind"] not in OWN_COST)
    used = books.consumed
    owned_out = int(used.loc[used["owned"], "cost"].sum())
    assert owned_own == owned_out - owned_derived + costing.owned_value(books)


@checks
@given(operations)
def test_on_hand_is_in_minus_out_and_the_layers_hold_exactly_that(ops):
    sim = build(ops)
    books = _books(sim)
    counted: dict[tuple, int] = defaultdict(int)
    for row in sim.rows:
        counted[(row["style"], row["location"], row["serial"])] += row["qty"]
    expected = {k: q for k, q in counted.items() if q}
    on_hand = {(r.style, r.location, r.serial): r.qty for r in books.on_hand.itertuples()}
    assert on_hand == expected
    in_layers: dict[tuple, int] = defaultdict(int)
    for r in books.layers.itertuples():
        in_layers[(r.style, r.location, r.serial)] += r.qty
    assert dict(in_layers) == expected


@checks
@given(operations)
def test_layers_are_never_negative_when_nothing_is_oversold(ops):
    books = _books(build(ops))
    lay = books.layers
    assert (lay["qty"] > 0).all()
    assert (lay["value"] >= 0).all() and (lay["unit_cost"] >= 0).all()
    assert (books.cogs >= 0).all()
    assert (books.consumed["received"].notna()).all()  # every unit sold had been received


@checks
@given(operations)
def test_reversing_everything_leaves_no_stock_and_no_value(ops):
    sim = build(ops)
    for row in reversed(list(sim.rows)):
        if row["kind"] == "REVERSAL" or row["entry"] in sim.undone:
            continue
        sim.undone.add(row["entry"])
        sim.rows.append(dict(row, entry=len(sim.rows) + 1, kind="REVERSAL", qty=-row["qty"],
                             unit_cost=row["unit_cost"], reverses=row["entry"]))
    books = costing.book(ledger.frame(sim.rows), METHODS)  # each undo on its entry's date
    assert books.on_hand.empty
    assert books.layers.empty
    assert costing.owned_value(books) == 0
    own = sum(received(r["qty"], r["unit_cost"]) for r in sim.rows
              if r["qty"] > 0 and r["kind"] in OWN_COST)
    assert own == int(books.cost_of_goods.sum())  # every receipt taken back off the books


@checks
@given(operations)
def test_reversing_everything_on_a_later_date_leaves_no_stock_and_no_value(ops):
    sim = build(ops)
    later = max((r["date"] for r in sim.rows), default=None)
    later = later and later + dt.timedelta(days=1)  # after every entry: no pair is undone
    for row in reversed(list(sim.rows)):
        if row["kind"] == "REVERSAL" or row["entry"] in sim.undone:
            continue
        sim.undone.add(row["entry"])
        sim.rows.append(dict(row, entry=len(sim.rows) + 1, kind="REVERSAL", qty=-row["qty"],
                             date=later, unit_cost=row["unit_cost"], reverses=row["entry"]))
    books = costing.book(ledger.frame(sim.rows), METHODS)
    assert books.on_hand.empty
    assert books.layers.empty
    assert costing.owned_value(books) == 0
    own = sum(int(books.cost_in[r["entry"]]) for r in sim.rows
              if r["qty"] > 0 and r["kind"] in OWN_COST)
    derived = int(books.cost_in.sum()) - own
    assert own == int(books.cogs.sum()) - derived
    assert own == int(books.cost_of_goods.sum())


@checks
@given(operations, st.randoms(use_true_random=False))
def test_the_order_of_ledger_rows_does_not_matter(ops, rnd):
    sim = build(ops)
    lf = sim.frame()
    shuffled = lf.sample(frac=1.0, random_state=rnd.randint(0, 2**31))
    a, b = costing.book(lf, METHODS), costing.book(shuffled, METHODS)
    assert a.cogs.to_dict() == b.cogs.to_dict()
    assert a.layers.equals(b.layers)
