"""Costing again only the styles a press names gives the Books of costing everything.

A press costs the ledger with its new rows. Styles never share stock or cost, so only the
styles the new rows name are costed again and every other style keeps its figures from
before the press (`costing.rebook`). Checked on random shop ledgers (hypothesis, every
kind of entry: moves, memos, counts, conversions, reversals) against costing the whole
ledger from scratch.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.core import costing, ledger
from tests.core.costing.costing_ledgers import AVERAGE, OPS, ShopSim, build

METHODS = {s: "Average" for s in AVERAGE}
operations = st.lists(
    st.tuples(st.integers(0, len(OPS) - 1), st.integers(0, 10_000), st.integers(1, 6),
              st.integers(1, 50_000)),
    min_size=1, max_size=40,
)
checks = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _same_rows(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """The same rows, and in each style the same order (the queue order of its layers)."""
    assert sorted(a.columns) == sorted(b.columns)
    for style in set(a["style"]) | set(b["style"]):
        mine = a[a["style"] == style].reset_index(drop=True)
        theirs = b[b["style"] == style][list(a.columns)].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, theirs, check_dtype=True)


@checks
@given(operations, operations)
def test_costing_the_named_styles_again_books_what_costing_everything_books(first, then):
    sim = build(first)
    past = sim.frame()
    build(then, sim)
    full = sim.frame()
    if len(full) == len(past):
        return
    before = costing.book(past, METHODS)
    got, want = costing.rebook(before, past, full, METHODS), costing.book(full, METHODS)
    for frame in ("layers", "consumed", "on_hand", "short"):
        _same_rows(getattr(got, frame), getattr(want, frame))
    for series in ("cogs", "cost_in", "owned_in", "cost_of_goods"):
        pd.testing.assert_series_equal(getattr(got, series), getattr(want, series))


def test_a_row_of_one_style_leaves_the_others_as_they_were():
    sim = ShopSim()
    sim.post("RECEIPT", "RG-1", "Main", 5, cost=10_0000)  # ten-thousandths: 10.00
    sim.post("RECEIPT", "CH-2", "Main", 4, cost=2_5000)
    sim.post("SALE", "CH-2", "Main", -1, price=900)
    past = sim.frame()
    before = costing.book(past, METHODS)
    # a packing slip for RG-1, typed with the style spelled another way
    late = ledger.frame([dict(entry=4, posted_at=past["posted_at"].max(), date=past["date"].min(),
                              kind="RECEIPT", doc="PO-9", style="rg-1", location="Main",
                              qty=2, unit_cost=5_0000)])
    full = pd.concat([past, late], ignore_index=True)
    got = costing.rebook(before, past, full, METHODS)
    chains = got.layers[got.layers["style"] == "CH-2"]
    assert list(zip(chains["qty"], chains["value"], strict=True)) == [(3, 750)]  # as before
    rings = got.layers[got.layers["style"].str.upper() == "RG-1"]
    assert sorted(zip(rings["qty"], rings["value"], strict=True)) == [(2, 1000), (5, 5000)]
    assert got.cost_of_goods.to_dict() == costing.book(full, METHODS).cost_of_goods.to_dict()
