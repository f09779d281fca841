"""A close changes no figure after it (hypothesis).

A random shop (receipts, memo-in, sales, returns, transfers, memo out and back, counts,
vendor returns, reversals, method switches; a FIFO, an Average and a serialized style) is
closed after some entry; more entries follow (none returns or reverses anything from
before the close: that is archived). The closed Ledger is the carried entries, then the
later entries renumbered after them. For the close date and every later date, the figures
of the closed Ledger equal those of the whole history: stock on hand, open layers (qty,
value and receipt date, owned or consigned), the cost of goods of every later entry and
the receipt dates of the pieces it took, layer ages, and each style's latest cost.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from addin.core import closing, costing, ledger
from addin.core.costing.carried_runs import carried_runs
from addin.core.ledger import closes
from addin.core.posting.counting import latest_cost
from tests.core.costing.costing_ledgers import AVERAGE, OPS, STYLES, build

METHODS = {s: "Average" for s in AVERAGE}
CLOSED_AT = dt.datetime(2030, 1, 1, 9, 0)

ops = st.lists(st.tuples(st.integers(0, len(OPS) - 1), st.integers(0, 50), st.integers(1, 5),
                         st.integers(1, 999)), min_size=1, max_size=40)
checks = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def closed_ledger(full: pd.DataFrame, k: int) -> tuple[closing.Close, pd.DataFrame]:
    """Close `full` after entry k; the later entries renumbered after the carried ones."""
    head, tail = full[full["entry"] <= k], full[full["entry"] > k].copy()
    through = pd.Timestamp(head["date"].max()).date()
    close = closing.plan_close(head.reset_index(drop=True), METHODS, through, CLOSED_AT)
    m = len(close.carried)
    tail["entry"] += m
    tail.loc[tail["reverses"] > k, "reverses"] += m
    return close, ledger.normalize(pd.concat([close.carried, tail], ignore_index=True))


def _layers(books: costing.Books) -> pd.DataFrame:
    keys = ["style", "location", "serial", "received", "owned"]
    return (books.layers.groupby(keys, dropna=False)[["qty", "value"]].sum()
            .sort_index().reset_index())


def _on_hand(books: costing.Books) -> pd.DataFrame:
    return books.on_hand.sort_values(["style", "location", "serial"]).reset_index(drop=True)


def _taken(books: costing.Books, first: int, shift: int) -> pd.DataFrame:
    c = books.consumed[books.consumed["entry"] >= first].copy()
    c["entry"] -= shift
    return (c.groupby(["entry", "received", "owned"], dropna=False)[["qty", "cost"]].sum()
            .sort_index().reset_index())


def _tail_cogs(books: costing.Books, first: int, shift: int) -> pd.Series:
    s = books.cost_of_goods[books.cost_of_goods.index >= first]
    return pd.Series(s.to_numpy(), index=s.index - shift).sort_index()


def assert_same_figures(full: pd.DataFrame, closed: pd.DataFrame, k: int, m: int,
                        day: pd.Timestamp) -> None:
    a = costing.book(full[full["date"] <= day], METHODS)
    b = costing.book(closed[closed["date"] <= day], METHODS)
    pd.testing.assert_frame_equal(_on_hand(a), _on_hand(b))
    pd.testing.assert_frame_equal(_layers(a), _layers(b))
    pd.testing.assert_series_equal(_tail_cogs(a, k + 1, 0), _tail_cogs(b, k + m + 1, m),
                                   check_names=False)
    pd.testing.assert_frame_equal(_taken(a, k + 1, 0), _taken(b, k + m + 1, m))
    pd.testing.assert_frame_equal(costing.layer_ages(a, day).by_style,
                                  costing.layer_ages(b, day).by_style)
    pd.testing.assert_frame_equal(costing.ageing_buckets(a, day), costing.ageing_buckets(b, day))
    for style in STYLES:
        assert (latest_cost(SimpleNamespace(ledger=full[full["date"] <= day]), style, day)
                == latest_cost(SimpleNamespace(ledger=closed[closed["date"] <= day]), style,
                               day)), style


def _carried_whole(full: pd.DataFrame, k: int) -> bool:
    """Every layer open at the close is carried as one row (so no later entry can take
    units across two carried rows of one layer; see the limit below)."""
    lay = costing.book(full[full["entry"] <= k], METHODS).layers
    return len(carried_runs(lay)) == len(lay)


@checks
@given(before=ops, after=ops)
def test_every_figure_after_a_close_is_unchanged(before, after):
    sim = build(before)
    k = sim.close()
    assume(k > 0)
    assume(_carried_whole(sim.frame(), k))
    build(after, sim)
    full = sim.frame()
    close, closed = closed_ledger(full, k)
    if not close.ok:  # only a ledger below zero refuses; ShopSim never goes there
        pytest.fail(str(close.problems))
    m = len(close.carried)
    through = pd.Timestamp(close.through)
    for day in sorted({through, *full.loc[full["entry"] > k, "date"]}):
        assert_same_figures(full, closed, k, m, pd.Timestamp(day))


@pytest.mark.xfail(strict=True, reason=(
    "known limit: a layer carried in several rows (3 worth 0.01: 0.00, 0.01, 0.00), taken "
    "across two of them after the close and then moved in part, can put its odd cent on "
    "another piece than the whole history does"))
def test_an_uneven_layer_moved_in_part_after_a_close_keeps_each_piece_cost():
    # 3 consigned @ 0.0017 (worth 0.01), then 2 of them made serialized pieces
    sim = build([(0, 0, 3, 17)])
    k = sim.close()
    build([(0, 0, 1, 1), (16, 0, 2, 1)], sim)
    full = sim.frame()
    close, closed = closed_ledger(full, k)
    for day in sorted(set(full.loc[full["entry"] > k, "date"])):
        assert_same_figures(full, closed, k, len(close.carried), pd.Timestamp(day))


def test_carried_entries_start_the_chain_again():
    sim = build([(0, 1, 3, 120), (0, 2, 1, 500), (3, 1, 1, 0), (0, 4, 2, 130)])
    full = sim.frame()
    close = closing.plan_close(full, METHODS, pd.Timestamp(full["date"].max()).date(),
                               CLOSED_AT)
    carried = close.carried
    assert list(carried["entry"]) == list(range(len(full) + 1, len(full) + 1 + len(carried)))
    assert set(carried["doc"]) == {closes.close_doc(close.through)}
    assert closes.carried(carried).all()
    assert not closes.carried(full).any()
