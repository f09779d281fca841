"""`loupe chain`: three demo store books (two with archives) read as one chain.

Every figure is checked against a second way of getting it: the chain's SQL margin against
the costing engine's sale lines of each store's whole history, the chain's valuation (the
whole history, from the archives) against the store's own closed Ledger alone.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from addin import session
from addin.chain import chain_view
from addin.chain_demo import make_chain_demo
from addin.core import closing, costing
from addin.core.errors import BookError
from addin.core.posting.shop import methods_of
from addin.macros.refreshing import archived_entries
from addin.workbook.archive import Archive
from addin.workbook.files import FilesBook
from tests.macros.conftest import loupe

DAY = dt.date(2025, 12, 31)


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    return make_chain_demo(tmp_path_factory.mktemp("chain"))


def _store(path):
    with FilesBook.open(path, writing=False) as book:
        settings, _ = session.read_settings(book)
        styles, _ = session.read_styles(book)
        lf = session.read_ledger(book)
        archived = archived_entries(book, lf)
    methods = methods_of(styles, settings.default_cost_method)
    return settings.store_name, lf, archived, methods


def test_the_demo_stores_close_years_into_archives_that_verify(stores):
    closes = {p.stem: len(Archive.beside(p).closes()) for p in stores}
    assert closes == {"downtown": 1, "uptown": 0, "harbor": 2}
    for p in stores:
        assert loupe("verify", p).exit_code == 0


def test_valuation_by_store_equals_each_closed_ledger_on_its_own(stores):
    view = chain_view(stores, DAY)
    by_store = view.valuation.set_index("store")
    for p in stores:
        name, lf, _, methods = _store(p)
        alone = costing.book(lf[lf["date"] <= "2025-12-31"], methods)
        assert by_store.loc[name, "owned_value"] == costing.owned_value(alone), name
    # Downtown's shipments still belong to it; Uptown holds its received one on memo
    assert by_store.loc["Downtown", "to_other_stores"] > 0
    assert by_store.loc["Uptown", "consigned_in"] == 3 * 6400


def test_margin_by_store_in_sql_equals_the_engines_sale_lines(stores):
    view = chain_view(stores, DAY)
    margin = view.margin.set_index("store")
    for p in stores:
        name, lf, archived, methods = _store(p)
        whole = lf if archived is None else closing.history(archived, lf)
        lines = costing.sale_lines(whole, costing.book(whole, methods))
        assert margin.loc[name, "revenue_cents"] == lines["revenue"].sum(), name
        assert margin.loc[name, "cogs_cents"] == lines["cogs"].sum(), name
    months = view.margin_by_month
    harbor = months[months["store"] == "Harbor"]["month"]
    assert harbor.min() == "2023-01" and harbor.max() == "2025-12"  # closed years read too


def test_shipments_between_stores_say_which_are_in_transit(stores):
    ships = chain_view(stores, DAY).shipments
    rows = {r["doc"]: r for r in ships.to_dict("records")}
    assert rows["SHIP-2025-02"]["status"] == "in transit"
    assert (rows["SHIP-2025-02"]["from_store"], rows["SHIP-2025-02"]["to_store"]) == (
        "Downtown", "Harbor")
    assert rows["SHIP-2025-01"]["status"] == "received"
    assert rows["SHIP-2025-01"]["received"] == "2025-12-22"
    assert list(ships["status"]) == ["in transit", "received"]  # what is travelling first
    before = chain_view(stores, dt.date(2025, 12, 21)).shipments
    assert set(before["status"]) == {"in transit"}


def test_the_chain_command_prints_the_reports_and_keeps_the_database(stores, tmp_path):
    import sqlite3

    db = tmp_path / "chain.sqlite"
    result = loupe("chain", *stores, "--as-of", "2025-12-31", "--db", db)
    assert result.exit_code == 0, result.output
    assert "Valuation by store" in result.output and "in transit" in result.output
    with sqlite3.connect(db) as con:
        assert {r[0] for r in con.execute("SELECT DISTINCT store FROM entries")} == {
            "Downtown", "Uptown", "Harbor"}


def test_two_books_of_one_store_are_refused(stores, tmp_path):
    twin = tmp_path / "twin.xlsm"
    shutil.copyfile(stores[1], twin)
    with pytest.raises(BookError, match="both called 'Uptown'"):
        chain_view([stores[1], twin], DAY)
    result = loupe("chain")
    assert result.exit_code == 2


@pytest.mark.slow
@pytest.mark.parametrize("store", ["harbor", "downtown"])
def test_a_closed_three_year_book_gives_the_figures_of_its_whole_history_every_day(stores,
                                                                                   store):
    """Harbor closed 2023 and 2024, Downtown 2024: as of every day of 2025 that has an
    entry (Harbor; between them only ages move, by the day), and every month end
    (Downtown), the closed Ledger alone (what posting, Items and the worksheet functions
    read) costs like the whole history: stock, layers, ages, the cost of every sale and
    each style's latest cost."""
    from types import SimpleNamespace

    import pandas as pd

    from addin.core.posting.counting import latest_cost

    path = next(p for p in stores if p.stem == store)
    _, lf, archived, methods = _store(path)
    whole = closing.history(archived, lf)
    later = lf.loc[lf["date"] > "2024-12-31", "entry"]
    keys = ["style", "location", "serial", "received", "owned"]
    days = (sorted({pd.Timestamp("2025-01-01"), *lf.loc[lf["date"] > "2024-12-31", "date"]})
            if store == "harbor" else pd.date_range("2025-01-31", "2025-12-31", freq="ME"))
    for day in days:
        a = costing.book(whole[whole["date"] <= day], methods)
        b = costing.book(lf[lf["date"] <= day], methods)
        pd.testing.assert_frame_equal(
            a.on_hand.sort_values(keys[:3]).reset_index(drop=True),
            b.on_hand.sort_values(keys[:3]).reset_index(drop=True))
        pd.testing.assert_frame_equal(
            a.layers.groupby(keys)[["qty", "value"]].sum(),
            b.layers.groupby(keys)[["qty", "value"]].sum())
        sold = later[later.isin(a.cost_of_goods.index) & later.isin(b.cost_of_goods.index)]
        assert (a.cost_of_goods.loc[sold] == b.cost_of_goods.loc[sold]).all()
        pd.testing.assert_frame_equal(costing.ageing_buckets(a, day),
                                      costing.ageing_buckets(b, day))
        for style in sorted(set(whole["style"])):
            assert (latest_cost(SimpleNamespace(ledger=whole[whole["date"] <= day]), style, day)
                    == latest_cost(SimpleNamespace(ledger=lf[lf["date"] <= day]), style, day))


def test_a_store_with_stock_sold_below_zero_is_valued_as_its_own_valuation_says():
    from addin.core import ledger
    from addin.core.reports.chain import store_valuation

    def entry(no, day, kind, qty, cost=0):
        return dict(entry=no, posted_at=dt.datetime(2026, 2, 1), date=dt.date(2026, 1, day),
                    kind=kind, doc=f"D{no}", style="CH-1", qty=qty, unit_cost=cost * 100,
                    unit_price=2000 if kind == "SALE" else 0, location="Main")

    # 10 @ 10.00 received, 15 sold: -5 on hand, at minus the 10.00 each was sold at
    history = ledger.frame([entry(1, 5, "RECEIPT", 10, 1000), entry(2, 20, "SALE", -15)])
    row = store_valuation("North", history, {"CH-1": "FIFO"}, dt.date(2026, 1, 31), ["North"])
    assert (row["units_in_store"], row["owned_in_store"], row["owned_value"]) == (
        -5, -5000, -5000)


def test_margin_in_sql_rounds_each_sale_line_to_the_cent_once_as_the_engine_does():
    # by hand: 333 @ 0.375 = 124.875 -> 124.88; 3 @ 0.125 = 0.375 -> 0.38; a return of 100
    # naming no price refunds the first sale's: -100 x 0.375 = -37.50. 87.76 in all.
    from addin.core import ledger
    from addin.workbook.archive.chain_store import ChainStore

    at = dt.datetime(2026, 3, 1, 17)

    def entry(n, kind, qty, **more):
        return dict(entry=n, posted_at=at, date=dt.date(2026, 2, n), kind=kind, style="JR-500",
                    qty=qty, location="Main Case", **more)

    lf = ledger.frame([
        entry(1, "RECEIPT", 1000, unit_cost=1250),
        entry(2, "SALE", -333, unit_price=3750),
        entry(3, "SALE", -3, unit_price=1250),
        entry(4, "RETURN", 100, unit_price=0, reverses=2),
    ])
    store = ChainStore()
    store.add_store("Harbor", "harbor.xlsm", lf)
    got = store.margin_by_store(dt.date(2026, 3, 1)).set_index("store")
    assert got.loc["Harbor", "revenue_cents"] == 124_88 + 38 - 37_50
    lines = costing.sale_lines(lf, costing.book(lf, {}))
    assert list(lines["revenue"]) == [124_88, 38, -37_50]
    store.close()


def test_a_sale_undone_from_closed_books_keeps_its_month_in_the_chains_margin(tmp_path,
                                                                              monkeypatch):
    from tests.macros import shopbook
    from tests.macros.shopbook import day
    from tests.macros.test_ledger_order import receive, sell, set_setting

    monkeypatch.setenv("LOUPE_NOW", "2026-03-20T17:00:00")
    book = shopbook.new_book(tmp_path)
    receive(book, "2026-01-05", 5, 10.0)  # E1
    sell(book, "2026-01-10", 3, price=40.0)  # E2: 3 x 40.00, cost 3 x 10.00
    set_setting(book, "Books Closed Through", day("2026-01-31"))
    assert loupe("reverse", book, "E2").exit_code == 0  # E3 dated 02-01
    # as the store's own Margin: January keeps its figures, the undo counts in February
    months = chain_view([book], dt.date(2026, 3, 20)).margin_by_month
    assert months[["month", "units", "revenue_cents", "cogs_cents"]].values.tolist() == [
        ["2026-01", 3, 12000, 3000], ["2026-02", -3, -12000, -3000]]
    before = chain_view([book], dt.date(2026, 1, 31)).margin_by_month
    assert before[["month", "units", "revenue_cents", "cogs_cents"]].values.tolist() == [
        ["2026-01", 3, 12000, 3000]]
