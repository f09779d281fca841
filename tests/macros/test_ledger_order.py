"""One order of events and exact undo, on a real book posted through `loupe`.

Each test types rows the way the bookkeeper would (possibly out of date order), presses
Post, and reads back what a user sees: the Ledger sheet, the Status cells and the
exports (live, and `--as-of`). Every expected figure is worked out by hand in a comment.
"""

from __future__ import annotations

import json

import openpyxl
import pytest

from addin.sheets import schema
from tests.macros import shopbook
from tests.macros.conftest import loupe
from tests.macros.shopbook import day

RECV, SALE, COUNT = schema.RECEIVING, schema.SALES, schema.COUNTS
CASE = "Main Case"


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.setenv("LOUPE_NOW", "2026-03-20T17:00:00")
    return shopbook.new_book(tmp_path)


def receive(path, date, qty, cost, style="CH-301", doc=None):
    shopbook.type_rows(path, RECV, [[day(date), doc or f"PO-{date}", "Northstar", style, qty,
                                     cost, None, CASE, "Owned"]])
    return loupe("post", "receipts", path)


def sell(path, date, qty, style="CH-301", doc=None, kind="Sale", price=120.0):
    shopbook.type_rows(path, SALE, [[day(date), doc or f"T-{date}", None, style, qty, price,
                                     "Ann", CASE, kind]])
    return loupe("post", "sales", path)


def count(path, date, *counted, style="CH-301"):
    shopbook.type_rows(path, COUNT, [[day(date), CASE, None, style, c] for c in counted])
    return loupe("post", "counts", path)


def ledger(path) -> list[dict]:
    return shopbook.read_rows(path, schema.LEDGER)


def exported(path, what: str, as_of: str | None = None) -> list[dict]:
    extra = ["--as-of", as_of] if as_of else []
    result = loupe("export", path, "--what", what, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def on_hand(path, as_of: str | None = None, style="CH-301") -> int:
    return sum(r["On Hand"] for r in exported(path, "onhand", as_of) if r["Style"] == style)


def statuses(path, sheet) -> list[str]:
    return [r["Status"] for r in shopbook.read_rows(path, sheet)]


def test_a_late_packing_slip_costs_the_sale_the_same_live_and_as_of(book):
    # ledger: E1 02-10 5 @ 20 (posted first), E2 02-01 5 @ 10 (typed later), E3 02-05 sell 2
    assert receive(book, "2026-02-10", 5, 20.0).exit_code == 0
    assert receive(book, "2026-02-01", 5, 10.0).exit_code == 0
    assert sell(book, "2026-02-05", 2).exit_code == 0
    # by date the sale takes 2 of the 02-01 layer: 2 x 10.00 = 20.00, both ways
    sale = ledger(book)[-1]
    assert (sale["Kind"], sale["Cost of Goods"]) == ("SALE", 20.0)
    live = [r for r in exported(book, "sales") if r["Kind"] == "Sale"]
    past = [r for r in exported(book, "sales", "2026-02-05") if r["Kind"] == "Sale"]
    assert [r["Cost of Goods"] for r in live] == [r["Cost of Goods"] for r in past] == ["20.00"]


def test_a_sale_dated_before_its_stock_arrived_is_refused(book):
    receive(book, "2026-03-05", 5, 20.0)
    result = sell(book, "2026-03-01", 3)
    assert result.exit_code == 1
    status = statuses(book, SALE)[0]
    assert status.startswith("Error:")
    assert "had 0 on hand at Main Case on 2026-03-01, 3 asked" in status
    assert len(ledger(book)) == 1
    assert on_hand(book, "2026-03-02") == 0


def test_a_back_dated_sale_may_not_take_a_later_sale_below_zero(book):
    receive(book, "2026-03-01", 5, 20.0)  # E1
    sell(book, "2026-03-10", 5)  # E2 takes all 5
    result = sell(book, "2026-03-05", 1)
    assert result.exit_code == 1
    status = statuses(book, SALE)[1]
    assert "had 5 on hand at Main Case on 2026-03-05, but only 0 can go: E2 on 2026-03-10" in status
    assert len(ledger(book)) == 2


def test_a_count_is_compared_with_the_stock_of_its_own_date(book):
    receive(book, "2026-02-01", 10, 20.0)  # E1
    sell(book, "2026-03-05", 3)  # E2
    assert count(book, "2026-03-01", 10).exit_code == 0
    # on 03-01 the books held 10: no variance; today 10 - 3 = 7
    row = shopbook.read_rows(book, COUNT)[0]
    assert (row["Expected Qty"], row["Variance"], row["Status"]) == (10, 0, "Posted")
    assert len(ledger(book)) == 2
    assert on_hand(book) == 7


def test_two_trays_of_one_style_counted_on_one_day_add_up(book):
    receive(book, "2026-02-01", 10, 20.0)
    assert count(book, "2026-03-01", 6, 4).exit_code == 0
    # 6 + 4 = 10 counted, 10 expected: nothing to adjust
    assert len(ledger(book)) == 1
    assert on_hand(book) == 10
    assert [r["Variance"] for r in shopbook.read_rows(book, COUNT)] == [0, 0]


def test_two_trays_short_post_one_shortage_for_the_style(book):
    receive(book, "2026-02-01", 10, 20.0)
    count(book, "2026-03-01", 6, 3)
    # 9 counted of 10: one ADJUST of -1, on the last tray's row
    adjust = ledger(book)[-1]
    assert (adjust["Kind"], adjust["Qty"], adjust["Cost of Goods"]) == ("ADJUST", -1, 20.0)
    assert [r["Ledger Ref"] for r in shopbook.read_rows(book, COUNT)] == ["no change", "E2"]
    assert on_hand(book) == 9


def test_a_refused_oversell_stays_refused_after_later_stock_arrives(book):
    receive(book, "2026-03-01", 2, 20.0)
    assert sell(book, "2026-03-05", 3).exit_code == 1
    receive(book, "2026-03-10", 5, 30.0)
    assert loupe("post", "sales", book).exit_code == 1
    # on 03-05 there were still only 2: the row stays refused, no SALE on the Ledger
    assert "had 2 on hand at Main Case on 2026-03-05, 3 asked" in statuses(book, SALE)[0]
    assert [r["Kind"] for r in ledger(book)] == ["RECEIPT", "RECEIPT"]


def test_undoing_a_mistaken_sale_gives_its_units_back_their_place_in_the_queue(book):
    receive(book, "2026-01-02", 5, 10.0)  # E1
    receive(book, "2026-01-03", 5, 20.0)  # E2
    sell(book, "2026-01-04", 3)  # E3, a mistake
    assert loupe("reverse", book, "3").exit_code == 0  # E4
    sell(book, "2026-01-05", 3, doc="T-real")  # E5
    # as if E3 never happened: the real sale takes 3 of the @10 layer = 30.00
    rows = ledger(book)
    assert (rows[3]["Kind"], rows[3]["Date"]) == ("REVERSAL", day("2026-01-04"))
    assert (rows[4]["Kind"], rows[4]["Cost of Goods"]) == ("SALE", 30.0)


def test_undoing_a_return_lets_the_real_return_come_back(book):
    receive(book, "2026-01-02", 5, 10.0)  # E1
    sell(book, "2026-01-04", 3)  # E2
    sell(book, "2026-01-05", 1, doc="R-1", kind="Return")  # E3, a mistake
    assert loupe("reverse", book, "3").exit_code == 0  # E4
    assert sell(book, "2026-01-06", 3, doc="R-2", kind="Return").exit_code == 0
    assert statuses(book, SALE)[-1] == "Posted"
    assert on_hand(book) == 5


def test_a_reversed_receipt_leaves_no_latest_cost_behind(book):
    receive(book, "2026-01-02", 5, 120.0)  # E1
    receive(book, "2026-01-03", 5, 1.2)  # E2, a mistake
    assert loupe("reverse", book, "2").exit_code == 0  # E3
    count(book, "2026-01-10", 6)
    # a surplus of 1 enters at the latest real cost, 120.00
    surplus = ledger(book)[-1]
    assert (surplus["Kind"], surplus["Qty"], surplus["Unit Cost"]) == ("ADJUST", 1, 120.0)


# --- the Ledger ties out by itself -----------------------------------------------------------


def cost_of_goods(path) -> dict[int, float]:
    return {r["Entry"]: r["Cost of Goods"] for r in ledger(path)}


def set_setting(path, name: str, value) -> None:
    row = next(r["_row"] for r in shopbook.read_rows(path, schema.SETTINGS)
               if r["Setting"] == name)
    shopbook.set_cell(path, "Settings", f"B{row}", value)


def test_a_back_dated_receipt_posts_a_cost_adjustment_for_the_sale_it_re_costs(book):
    receive(book, "2026-02-10", 5, 20.0)  # E1
    sell(book, "2026-02-12", 2)  # E2: 2 x 20.00 = 40.00
    receive(book, "2026-02-01", 5, 10.0)  # E3: now the sale takes 2 x 10.00 = 20.00
    adjust = ledger(book)[-1]
    assert (adjust["Entry"], adjust["Kind"], adjust["Qty"], adjust["Reverses"]) == (
        4, "COST_ADJUST", 0, 2)
    assert (adjust["Date"], adjust["Cost of Goods"]) == (day("2026-02-12"), -20.0)
    # the sale's row is untouched; with its adjustment the column says 20.00
    assert cost_of_goods(book) == {1: 0, 2: 40.0, 3: 0, 4: -20.0}
    sale = next(r for r in exported(book, "sales") if r["Kind"] == "Sale")
    assert sale["Cost of Goods"] == "20.00"
    assert loupe("verify", book).exit_code == 0


def test_a_return_carries_the_cost_it_brings_back(book):
    receive(book, "2026-01-02", 5, 10.0)  # E1
    sell(book, "2026-01-04", 3)  # E2: 30.00
    sell(book, "2026-01-05", 1, doc="R-1", kind="Return")  # E3: one unit back, -10.00
    assert cost_of_goods(book) == {1: 0, 2: 30.0, 3: -10.0}
    # received 50.00 - net cost of goods 20.00 = 30.00 on hand (3 x 10.00)
    value = sum(float(r["Owned Value"]) for r in exported(book, "onhand"))
    assert value == 30.0


def test_an_undo_re_costs_the_sales_after_it(book):
    receive(book, "2026-01-02", 5, 10.0)  # E1
    receive(book, "2026-01-03", 5, 20.0)  # E2
    sell(book, "2026-01-04", 3)  # E3 (a mistake): 30.00
    sell(book, "2026-01-05", 3, doc="T-real")  # E4: 2 x 10 + 1 x 20 = 40.00
    assert loupe("reverse", book, "3").exit_code == 0
    # E5 undoes E3 (-30.00); without E3, E4 takes 3 x 10.00 = 30.00: E6 adjusts it by -10.00
    rows = ledger(book)
    assert [(r["Entry"], r["Kind"], r["Cost of Goods"], r["Reverses"]) for r in rows[4:]] == [
        (5, "REVERSAL", -30.0, 3), (6, "COST_ADJUST", -10.0, 4)]
    assert sum(cost_of_goods(book).values()) == 30.0


def test_rows_in_closed_books_are_refused_with_the_setting_named(book):
    set_setting(book, "Books Closed Through", day("2026-01-31"))
    assert receive(book, "2026-01-15", 5, 10.0).exit_code == 1
    status = statuses(book, RECV)[0]
    assert "2026-01-15 is in closed books (Books Closed Through 2026-01-31)" in status
    assert ledger(book) == []
    receive(book, "2026-02-01", 5, 10.0)  # the open period posts (the refused row stays)
    assert statuses(book, RECV)[1] == "Posted"
    assert [r["Date"] for r in ledger(book)] == [day("2026-02-01")]


def test_undoing_an_entry_in_closed_books_is_dated_the_first_open_day(book):
    receive(book, "2026-01-02", 5, 10.0)  # E1
    sell(book, "2026-01-20", 2)  # E2
    set_setting(book, "Books Closed Through", day("2026-01-31"))
    assert loupe("reverse", book, "2").exit_code == 0
    undo = ledger(book)[-1]
    assert (undo["Kind"], undo["Date"], undo["Cost of Goods"]) == (
        "REVERSAL", day("2026-02-01"), -20.0)
    # January keeps its figures: 3 on hand on 01-31, 5 from 02-01
    assert on_hand(book, "2026-01-31") == 3
    assert on_hand(book, "2026-02-01") == 5


def test_a_sale_undone_from_closed_books_keeps_its_month_and_counts_the_undo_in_the_next(book):
    receive(book, "2026-01-05", 5, 10.0)  # E1
    sell(book, "2026-01-10", 3, price=40.0)  # E2: 3 x 40.00 = 120.00, cost 3 x 10.00 = 30.00
    set_setting(book, "Books Closed Through", day("2026-01-31"))
    assert loupe("reverse", book, "E2").exit_code == 0  # E3, dated the first open day 02-01
    # January keeps 3 / 120.00 / 30.00; the undo counts in February, negative
    assert margin_by_month(book) == {"2026-01": (3, 120.0, 30.0),
                                     "2026-02": (-3, -120.0, -30.0)}
    # the other sections are not by month: the sale and its undo net to nothing
    assert margin_by(book, "By style") == {"CH-301": (0, 0.0, 0.0)}
    assert margin_by(book, "By vendor") == {"Northstar": (0, 0.0, 0.0)}
    wb = openpyxl.load_workbook(book)
    rows = [[c.value for c in r] for r in wb["Sale Lines"].iter_rows()]
    head = next(r for r in rows if r[0] == "Date")
    lines = [dict(zip(head, r, strict=False)) for r in rows[rows.index(head) + 1:]
             if r[0] and r[0] != "Total"]
    assert [(r["Date"], r["Entry"], r["Kind"], r["Customer"], r["Qty"], r["Sales"],
             r["Cost of Goods"]) for r in lines] == [
        (day("2026-01-10"), 2, "Sale", "Ann", 3, 120.0, 30.0),
        (day("2026-02-01"), 3, "Reversal", "Ann", -3, -120.0, -30.0)]
    sales = exported(book, "sales")
    assert [(r["Date"], r["Kind"], r["Qty"], r["Sales"], r["Cost of Goods"]) for r in sales] == [
        ("2026-01-10", "Sale", 3, "120.00", "30.00"),
        ("2026-02-01", "Reversal", -3, "-120.00", "-30.00")]
    # as of 01-31 the undo had not happened: January alone, as it was
    assert margin_by_month(book, "2026-01-31") == {"2026-01": (3, 120.0, 30.0)}


def test_a_return_undone_from_closed_books_counts_back_in_the_next_month(book):
    receive(book, "2026-01-05", 5, 10.0)  # E1
    sell(book, "2026-01-10", 3, price=40.0)  # E2: 120.00, cost 30.00
    sell(book, "2026-01-20", 1, doc="R-1", kind="Return", price=40.0)  # E3: refunds 40.00
    set_setting(book, "Books Closed Through", day("2026-01-31"))
    assert loupe("reverse", book, "E3").exit_code == 0  # E4 dated 02-01
    # January: 3 - 1 = 2 units, 120.00 - 40.00 = 80.00, 30.00 - 10.00 = 20.00; the undone
    # return sells the unit again in February, at the refund's price and cost
    assert margin_by_month(book) == {"2026-01": (2, 80.0, 20.0), "2026-02": (1, 40.0, 10.0)}


def test_stock_covering_a_sale_made_below_zero_trues_it_up_on_the_day_it_arrives(book):
    set_setting(book, "Allow Negative Stock", "Yes")
    receive(book, "2026-01-05", 1, 10.0)  # E1
    sell(book, "2026-01-20", 2)  # E2: 1 x 10.00 + 1 beyond stock at the last cost 10.00
    set_setting(book, "Books Closed Through", day("2026-01-31"))
    receive(book, "2026-02-10", 5, 30.0)  # E3 covers the missing unit: it cost 30.00
    adjust = ledger(book)[-1]
    assert (adjust["Kind"], adjust["Reverses"], adjust["Cost of Goods"]) == (
        "COST_ADJUST", 2, 20.0)
    assert adjust["Date"] == day("2026-02-10")  # not back in closed January
    assert sum(cost_of_goods(book).values()) == 40.0
    # closed January's margin does not change: the 20.00 counts in February
    assert margin_by_month(book) == {"2026-01": (2, 240.0, 20.0), "2026-02": (0, 0.0, 20.0)}


def test_average_stock_covering_a_sale_made_below_zero_trues_it_up_and_holds_no_value(book):
    set_setting(book, "Allow Negative Stock", "Yes")
    avg = "ST-401"  # Cost Method Average
    receive(book, "2026-01-05", 10, 10.0, style=avg)  # E1
    sell(book, "2026-01-20", 15, style=avg)  # E2: 10 x 10.00 + 5 at the last 10.00 = 150.00
    assert ledger(book)[-1]["Cost of Goods"] == 150.0
    receive(book, "2026-02-10", 5, 20.0, style=avg)  # E3 covers the 5: they cost 20.00
    adjust = ledger(book)[-1]
    assert (adjust["Kind"], adjust["Reverses"], adjust["Cost of Goods"], adjust["Date"]) == (
        "COST_ADJUST", 2, 50.0, day("2026-02-10"))
    # cost of goods 150.00 + 50.00 = 200.00 = cost received 100.00 + 100.00; nothing left
    assert sum(cost_of_goods(book).values()) == 200.0
    assert on_hand(book, style=avg) == 0
    receive(book, "2026-02-20", 8, 30.0, style=avg)  # E5: no sale to true up
    assert ledger(book)[-1]["Kind"] == "RECEIPT"
    layers = [r for r in exported(book, "layers") if r["Style"] == avg]
    assert [(r["Qty"], r["Unit Cost"], r["Value"]) for r in layers] == [(8, "30.00", "240.00")]
    # the true-up counts in February, when the stock arrived: January's margin stays put
    assert margin_by_month(book) == {"2026-01": (15, 1800.0, 150.0), "2026-02": (0, 0.0, 50.0)}


def test_two_deliveries_posted_together_true_up_a_sale_on_each_ones_day(book):
    set_setting(book, "Allow Negative Stock", "Yes")
    avg = "ST-401"
    receive(book, "2026-01-10", 10, 10.0, style=avg)  # E1
    sell(book, "2026-01-20", 15, style=avg)  # E2: 150.00, 5 below zero
    shopbook.type_rows(book, RECV, [
        [day("2026-02-10"), "PO-2", "Silverline", avg, 3, 20.0, None, CASE, "Owned"],
        [day("2026-03-10"), "PO-3", "Silverline", avg, 4, 25.0, None, CASE, "Owned"]])
    assert loupe("post", "receipts", book).exit_code == 0  # one press, two dates
    adjust = [(r["Reverses"], r["Cost of Goods"], r["Date"]) for r in ledger(book)
              if r["Kind"] == "COST_ADJUST"]
    # 3 covered at 20.00 on 02-10 (+30.00), the other 2 at 25.00 on 03-10 (+30.00), as two
    # presses would have posted them
    assert adjust == [(2, 30.0, day("2026-02-10")), (2, 30.0, day("2026-03-10"))]
    assert margin_by_month(book) == {"2026-01": (15, 1800.0, 150.0), "2026-02": (0, 0.0, 30.0),
                                     "2026-03": (0, 0.0, 30.0)}
    assert sum(cost_of_goods(book).values()) == 210.0  # received 100 + 60 + 100 - 2 @ 25.00


def test_fifo_stock_covering_part_of_a_sale_below_zero_prices_only_the_units_it_covers(book):
    set_setting(book, "Allow Negative Stock", "Yes")
    receive(book, "2026-01-05", 1, 10.0)  # E1
    sell(book, "2026-01-20", 3)  # E2: 1 x 10.00 + 2 beyond stock at the last cost 10.00
    assert ledger(book)[-1]["Cost of Goods"] == 30.0
    receive(book, "2026-02-10", 1, 20.0)  # E3 covers the 2nd unit only: +10.00
    assert [(r["Kind"], r["Reverses"], r["Cost of Goods"]) for r in ledger(book)[-2:]] == [
        ("RECEIPT", None, 0), ("COST_ADJUST", 2, 10.0)]
    receive(book, "2026-03-10", 1, 30.0)  # E5 covers the 3rd: +20.00 (the 2nd stays 20.00)
    assert [(r["Kind"], r["Reverses"], r["Cost of Goods"]) for r in ledger(book)[-2:]] == [
        ("RECEIPT", None, 0), ("COST_ADJUST", 2, 20.0)]
    # 10 + 20 + 30 received, all three sold: 60.00, January 30, February 10, March 20
    assert sum(cost_of_goods(book).values()) == 60.0
    assert margin_by_month(book) == {"2026-01": (3, 360.0, 30.0), "2026-02": (0, 0.0, 10.0),
                                     "2026-03": (0, 0.0, 20.0)}


def test_fifo_deliveries_posted_together_price_a_sale_below_zero_as_each_arrives(book):
    set_setting(book, "Allow Negative Stock", "Yes")
    receive(book, "2026-01-05", 1, 10.0)  # E1
    sell(book, "2026-01-20", 3)  # E2: 30.00, 2 below zero
    shopbook.type_rows(book, RECV, [
        [day("2026-02-10"), "PO-2", "Northstar", "CH-301", 1, 20.0, None, CASE, "Owned"],
        [day("2026-03-10"), "PO-3", "Northstar", "CH-301", 1, 30.0, None, CASE, "Owned"]])
    assert loupe("post", "receipts", book).exit_code == 0
    adjust = [(r["Reverses"], r["Cost of Goods"], r["Date"]) for r in ledger(book)
              if r["Kind"] == "COST_ADJUST"]
    assert adjust == [(2, 10.0, day("2026-02-10")), (2, 20.0, day("2026-03-10"))]


def margin_by_month_as_of(path, as_of: str) -> dict[str, float]:
    """Margin sheet, By month, as of a day: month -> Cost of Goods."""
    assert loupe("refresh", path, "--as-of", as_of).exit_code == 0
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(path)["Margin"].iter_rows()]
    at = next(i for i, r in enumerate(rows) if r[0] == "By month")
    head = rows[at + 1]
    out = {}
    for r in rows[at + 2:]:
        if not r[0] or r[0] == "Total":
            break
        out[r[0]] = r[head.index("Cost of Goods")]
    return out


def column_through(path, as_of: str) -> float:
    """The Ledger's Cost of Goods column, entries dated on or before `as_of`."""
    return round(sum(r["Cost of Goods"] for r in ledger(path) if r["Date"] <= day(as_of)), 2)


def test_a_receipt_dated_before_a_sale_made_below_zero_re_prices_it_on_each_date(book):
    set_setting(book, "Allow Negative Stock", "Yes")
    receive(book, "2026-01-10", 1, 10.0)  # E1
    sell(book, "2026-01-20", 3)  # E2: 1 x 10.00 + 2 below zero at the last cost 10.00 = 30.00
    receive(book, "2026-02-10", 5, 20.0)  # E3 covers the 2: 20.00 each, E4 +20.00 on 02-10
    receive(book, "2026-01-15", 1, 15.0)  # E5, back-dated
    adjust = [(r["Reverses"], r["Cost of Goods"], r["Date"]) for r in ledger(book)
              if r["Kind"] == "COST_ADJUST"]
    # as of 01-20 the sale took 1 @ 10, 1 @ 15 and 1 below zero at the last cost, 15:
    # 40.00 (+10.00 on 01-20); on 02-10 the one left is covered at 20.00: 45.00 in all, so
    # 02-10 says 20.00 - 15.00 = +5.00 (its +20.00 and -15.00)
    assert adjust == [(2, 20.0, day("2026-02-10")), (2, 10.0, day("2026-01-20")),
                      (2, -15.0, day("2026-02-10"))]
    assert column_through(book, "2026-01-20") == 40.0
    assert margin_by_month_as_of(book, "2026-01-31") == {"2026-01": 40.0}
    assert margin_by_month_as_of(book, "2026-06-30") == {"2026-01": 40.0, "2026-02": 5.0}
    # received 10 + 100 + 15 = 125.00; sold 45.00; on hand 4 @ 20.00 = 80.00
    assert sum(cost_of_goods(book).values()) == 45.0
    assert loupe("verify", book).exit_code == 0


def test_an_average_receipt_dated_before_a_sale_below_zero_re_prices_it_on_each_date(book):
    set_setting(book, "Allow Negative Stock", "Yes")
    avg = "ST-401"  # Cost Method Average
    receive(book, "2026-01-10", 10, 10.0, style=avg)  # E1
    sell(book, "2026-01-20", 15, style=avg)  # E2: 10 x 10 + 5 below zero at 10 = 150.00
    receive(book, "2026-02-10", 5, 20.0, style=avg)  # E3 covers the 5: E4 +50.00 on 02-10
    receive(book, "2026-01-15", 5, 12.0, style=avg)  # E5, back-dated
    # as of 01-20: a pool of 10 @ 10 + 5 @ 12 = 160.00 for 15, all sold: 160.00 (+10.00);
    # covered on 02-10 by nothing more (none below zero now): 160.00, so -50.00 on 02-10
    adjust = [(r["Reverses"], r["Cost of Goods"], r["Date"]) for r in ledger(book)
              if r["Kind"] == "COST_ADJUST"]
    assert adjust == [(2, 50.0, day("2026-02-10")), (2, 10.0, day("2026-01-20")),
                      (2, -50.0, day("2026-02-10"))]
    assert margin_by_month_as_of(book, "2026-01-31") == {"2026-01": 160.0}
    assert margin_by_month_as_of(book, "2026-06-30") == {"2026-01": 160.0, "2026-02": 0.0}
    assert column_through(book, "2026-01-20") == 160.0
    assert sum(cost_of_goods(book).values()) == 160.0


def test_a_cost_adjustment_cannot_be_reversed_on_its_own(book):
    receive(book, "2026-02-10", 5, 20.0)  # E1
    sell(book, "2026-02-12", 2)  # E2: 40.00
    receive(book, "2026-02-01", 5, 10.0, doc="PS-1")  # E3, and E4: COST_ADJUST -20.00
    assert ledger(book)[-1]["Kind"] == "COST_ADJUST"
    before = ledger(book)
    result = loupe("reverse", book, "E4")
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert "entry 4 is a cost adjustment: it follows what the costing says entry 2 cost" in said
    assert "reverse the row that caused it" in said
    assert ledger(book) == before


def margin_by_month(path, as_of: str | None = None) -> dict[str, tuple]:
    """Margin sheet, By month: month -> (Qty, Sales, Cost of Goods), after a refresh."""
    return margin_by(path, "By month", as_of)


def margin_by(path, title: str, as_of: str | None = None) -> dict[str, tuple]:
    """A Margin section after a refresh: first cell -> (Qty, Sales, Cost of Goods)."""
    extra = ["--as-of", as_of] if as_of else []
    assert loupe("refresh", path, *extra).exit_code == 0
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(path)["Margin"].iter_rows()]
    at = next(i for i, r in enumerate(rows) if r[0] == title)
    head = rows[at + 1]
    out = {}
    for r in rows[at + 2:]:
        if not r[0] or r[0] == "Total":
            break
        out[r[0]] = (r[head.index("Qty")], r[head.index("Sales")], r[head.index("Cost of Goods")])
    return out


# --- checks posting makes --------------------------------------------------------------------


def test_a_refund_above_what_the_sale_was_priced_at_is_refused(book):
    receive(book, "2026-01-02", 5, 10.0)
    sell(book, "2026-01-04", 1, price=100.0)  # E2
    assert sell(book, "2026-01-05", 1, doc="R-1", kind="Return", price=2000.0).exit_code == 1
    status = statuses(book, SALE)[-1]
    assert "refund of 2,000.00 each is more than sale E2 was priced at (100.00)" in status
    # the fix it offers is one the sheet takes (Unit Price may not be blank)
    assert "type the price refunded each, at most 100.00 (what the customer paid)" in status
    assert len(ledger(book)) == 2
    assert sell(book, "2026-01-05", 1, doc="R-2", kind="Return", price=100.0).exit_code == 1
    assert statuses(book, SALE)[-1] == "Posted"  # (the refused row above stays refused)


def test_a_serialized_transfer_of_two_is_refused(book):
    shopbook.type_rows(book, RECV, [[day("2026-01-02"), "PO-1", "Aurum", "RG-101", 1, 800.0,
                                     None, CASE, "Owned"]])
    loupe("post", "receipts", book)
    serial = shopbook.read_rows(book, schema.ITEMS)[0]["Serial"]
    shopbook.type_rows(book, schema.MOVEMENTS, [
        [day("2026-01-05"), "TR-1", "Transfer", serial, None, 2, CASE, "Vault"],
        [day("2026-01-05"), "VR-1", "Vendor Return", serial, None, 3, CASE, None, "Aurum"]])
    assert loupe("post", "movements", book).exit_code == 1
    assert all("Qty 2 for one serialized piece" in s or "Qty 3 for one serialized piece" in s
               for s in statuses(book, schema.MOVEMENTS))
    assert len(ledger(book)) == 1


def test_posting_refuses_a_styles_sheet_that_repeats_a_code(book):
    shopbook.type_rows(book, schema.STYLES, [
        ["ch-301 ", "Rope chain again", "Chains", "14K", "Northstar", "N-1", "Serialized",
         "FIFO", 120.0, None, "Yes"]])
    result = receive(book, "2026-01-02", 5, 10.0)
    assert result.exit_code == 2
    assert "repeats 'CH-301'" in result.output
    assert ledger(book) == []


def test_refresh_reports_works_with_stock_below_zero(book):
    set_setting(book, "Allow Negative Stock", "Yes")
    for style in ("CH-301", "ST-401"):  # FIFO and Average
        receive(book, "2026-01-05", 10, 10.0, style=style)
        assert sell(book, "2026-01-20", 15, style=style).exit_code == 0
    result = loupe("refresh", book)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    sheets = openpyxl.load_workbook(book, read_only=True).sheetnames
    assert {"Valuation", "Cost Layers", "Margin"} <= set(sheets)
    # 10 in, 15 out: 5 below zero at Main Case, for each method
    assert on_hand(book, style="CH-301") == -5 and on_hand(book, style="ST-401") == -5
    # the sheets read back: each style -5 units worth -5 x 10.00 = -50.00 (the cost they
    # were sold at); cost of goods 150.00 each, and 150.00 + -50.00 = 100.00 received
    wb = openpyxl.load_workbook(book, data_only=True)
    rows = [[c.value for c in r] for r in wb["Valuation"].iter_rows()]
    start = next(i for i, r in enumerate(rows) if r[0] == "By style")
    header = next(r for r in rows[start + 1:] if r[0] == "Style")
    by_style = {r[0]: dict(zip(header, r, strict=False)) for r in rows[start + 1:]
                if r[0] in ("CH-301", "ST-401")}
    for style in ("CH-301", "ST-401"):
        line = by_style[style]
        assert (line["On Hand"], line["Owned Qty"], line["Owned Value"]) == (-5, -5, -50.0)
    total = next(r for r in rows[start + 1:] if r[0] == "Total")
    assert total[header.index("Owned Value")] == -100.0
    margin = [[c.value for c in r] for r in wb["Margin"].iter_rows()]
    start = next(i for i, r in enumerate(margin) if r[0] == "By style")
    header = next(r for r in margin[start + 1:] if r[0] == "Style")
    cogs = {r[0]: r[header.index("Cost of Goods")] for r in margin[start + 1:]
            if r[0] in ("CH-301", "ST-401")}
    assert cogs == {"CH-301": 150.0, "ST-401": 150.0}
    ageing = [[c.value for c in r] for r in wb["Ageing"].iter_rows()]
    assert ageing[0][0].startswith("My Jewelry Store")  # the sheet is whole, and says
    assert any("Stock below zero (-10 units, -100.00 at cost) has no age" in str(r[0])
               for r in ageing)
    # Cost Layers holds no layer for them (Owned total 0.00) and says why it is not
    # Valuation's -100.00
    layers = [[c.value for c in r] for r in wb["Cost Layers"].iter_rows()]
    assert any("Stock below zero (-10 units, -100.00 at cost) has no layer" in str(r[0])
               and "Owned Value is the Owned total here plus it" in str(r[0]) for r in layers)


def _received_piece(book, date="2026-03-02") -> str:
    shopbook.type_rows(book, RECV, [[day(date), "PO-R", "Aurum", "RG-101", 1, 500.0, None,
                                     CASE, "Owned"]])
    assert loupe("post", "receipts", book).exit_code == 0
    return shopbook.read_rows(book, schema.ITEMS)[0]["Serial"]


def sell_piece(book, date, serial, doc, kind="Sale", price=900.0):
    shopbook.type_rows(book, SALE, [[day(date), doc, serial, None, 1, price, "Ann", None,
                                     kind]])


def test_a_piece_sold_and_back_later_cannot_be_sold_again_on_the_first_sale_day(book):
    serial = _received_piece(book)  # E1 03-02 in at Main Case
    sell_piece(book, "2026-03-10", serial, "T-1")
    assert loupe("post", "sales", book).exit_code == 0  # E2 03-10 sold to Ann
    sell_piece(book, "2026-03-10", serial, "T-2")  # the same piece, the same day: sold twice
    sell_piece(book, "2026-03-12", serial, "R-1", kind="Return")  # back on 03-12
    loupe("post", "sales", book)  # R-1 posts (E3); T-2 refused: the piece is sold
    assert loupe("post", "sales", book).exit_code == 1  # pressed again, nothing typed
    # on 03-10 the piece was sold (E2); it was back only from 03-12: T-2 stays refused
    assert [r["Kind"] for r in ledger(book)] == ["RECEIPT", "SALE", "RETURN"]
    status = statuses(book, SALE)[1]
    assert status.startswith("Error:") and f"serial {serial} was not in stock at " \
        f"{CASE} on 2026-03-10" in status


def test_a_back_dated_sale_cannot_take_a_piece_a_later_sale_took(book):
    serial = _received_piece(book)  # E1 03-02
    sell_piece(book, "2026-03-15", serial, "T-1")
    assert loupe("post", "sales", book).exit_code == 0  # E2 sold 03-15
    sell_piece(book, "2026-03-16", serial, "R-1", kind="Return")
    assert loupe("post", "sales", book).exit_code == 0  # E3 back 03-16
    sell_piece(book, "2026-03-10", serial, "T-2")  # in stock on 03-10, but E2 sells it 03-15
    assert loupe("post", "sales", book).exit_code == 1
    status = statuses(book, SALE)[-1]
    assert f"serial {serial} leaves {CASE} again in E2 on 2026-03-15" in status
    assert len(ledger(book)) == 3


def test_a_return_typed_below_its_sale_posts_in_the_same_press(book):
    receive(book, "2026-03-02", 5, 20.0)  # E1 5 @ 20.00
    shopbook.type_rows(book, SALE, [
        [day("2026-03-10"), "T-3", None, "CH-301", 2, 120.0, "Ann", CASE, "Sale"],
        [day("2026-03-10"), "T-9", None, "CH-301", 1, 120.0, None, CASE, "Return"]])
    assert loupe("post", "sales", book).exit_code == 0  # one press posts both
    rows = ledger(book)
    # E2 sells 2 @ 20.00 (Cost of Goods 40.00); E3 takes 1 back against E2 at its cost
    assert [(r["Entry"], r["Kind"], r["Qty"], r["Reverses"]) for r in rows[1:]] == [
        (2, "SALE", -2, None), (3, "RETURN", 1, 2)]
    assert statuses(book, SALE) == ["Posted", "Posted"]
    assert loupe("post", "sales", book).exit_code == 0  # pressed again: nothing new
    assert len(ledger(book)) == 3
    assert on_hand(book) == 4  # 5 in, 2 out, 1 back


def test_a_serial_sold_and_returned_in_one_press_is_back_in_stock(book):
    serial = _received_piece(book)  # E1
    sell_piece(book, "2026-03-10", serial, "T-1")
    sell_piece(book, "2026-03-11", serial, "R-1", kind="Return")
    assert loupe("post", "sales", book).exit_code == 0
    assert [(r["Kind"], r["Reverses"]) for r in ledger(book)] == [
        ("RECEIPT", None), ("SALE", None), ("RETURN", 2)]
    assert shopbook.read_rows(book, schema.ITEMS)[0]["Status"] == "In Stock"


def test_a_refund_above_a_sale_typed_above_it_names_that_row(book):
    receive(book, "2026-03-02", 5, 20.0)
    shopbook.type_rows(book, SALE, [
        [day("2026-03-10"), "T-3", None, "CH-301", 1, 120.0, "Ann", CASE, "Sale"],
        [day("2026-03-10"), "T-9", None, "CH-301", 1, 200.0, None, CASE, "Return"]])
    assert loupe("post", "sales", book).exit_code == 1
    assert "refund of 200.00 each is more than sale on row 2 was priced at (120.00)" in \
        statuses(book, SALE)[1]
    assert [r["Kind"] for r in ledger(book)] == ["RECEIPT", "SALE"]


def test_a_return_dated_before_its_sale_is_refused_and_kept(book):
    receive(book, "2026-01-05", 10, 10.0)  # E1 10 chains @ 10.00
    serial = _received_piece(book, "2026-01-05")  # E2 one ring @ 500.00
    shopbook.type_rows(book, SALE, [
        [day("2026-02-03"), "T-1", None, "CH-301", 1, 120.0, "Ann", CASE, "Sale"],
        [day("2026-02-03"), "T-2", serial, None, 1, 900.0, "Ann", None, "Sale"]])
    assert loupe("post", "sales", book).exit_code == 0  # E3 chain, E4 ring, both on 02-03
    shopbook.type_rows(book, SALE, [
        [day("2026-02-01"), "R-1", None, "CH-301", 1, 120.0, "Ann", CASE, "Return"],
        [day("2026-02-01"), "R-2", serial, None, 1, 900.0, "Ann", None, "Return"]])
    result = loupe("post", "sales", book)
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert "Sales row 4, column Date" in said and "Sales row 5, column Date" in said
    assert statuses(book, SALE)[2:] == [
        "Error: Date: a return cannot be dated before the sale it returns (sale E3 dated "
        "2026-02-03); date it on or after 2026-02-03",
        "Error: Date: a return cannot be dated before the sale it returns (sale E4 dated "
        "2026-02-03); date it on or after 2026-02-03"]
    kept = shopbook.read_rows(book, SALE)[2:]
    assert [(r["Date"], r["Doc"], r["Kind"]) for r in kept] == [
        (day("2026-02-01"), "R-1", "Return"), (day("2026-02-01"), "R-2", "Return")]
    assert [r["Kind"] for r in ledger(book)] == ["RECEIPT", "RECEIPT", "SALE", "SALE"]
    # on 02-01 the shop held the 10 chains it received, not 11; the ring is still sold
    assert on_hand(book, "2026-02-01") == 10
    assert shopbook.read_rows(book, schema.ITEMS)[0]["Status"] == "Sold"
    # dated on the sale's day, both come back at the cost their sales took
    shopbook.set_cell(book, "Sales", "A4", day("2026-02-03"))
    shopbook.set_cell(book, "Sales", "A5", day("2026-02-03"))
    assert loupe("post", "sales", book).exit_code == 0
    back = ledger(book)[4:]
    assert [(r["Kind"], r["Reverses"], r["Cost of Goods"]) for r in back] == [
        ("RETURN", 3, -10.0), ("RETURN", 4, -500.0)]


def test_a_return_dated_between_two_sales_undoes_the_earlier_one(book):
    receive(book, "2026-01-05", 10, 10.0)  # E1
    sell(book, "2026-01-10", 1, doc="T-1", price=100.0)  # E2 to Ann at 100.00
    sell(book, "2026-02-10", 1, doc="T-2", price=120.0)  # E3 to Ann at 120.00
    # dated 02-01, the return can only undo the January sale (the later one came after it)
    assert sell(book, "2026-02-01", 1, doc="R-1", kind="Return", price=100.0).exit_code == 0
    back = ledger(book)[-1]
    assert (back["Kind"], back["Reverses"], back["Cost of Goods"]) == ("RETURN", 2, -10.0)
