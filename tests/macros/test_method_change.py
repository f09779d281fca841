"""Change Method: a style's cost method changes from a date as a METHOD entry on the Ledger.

Given (CH-301, a quantity style, FIFO, all at Main Case):
    2026-01-10  receive 5 @ 10.00
    2026-01-20  receive 5 @ 20.00
    2026-02-10  sell 2        FIFO: 2 @ 10.00 = 20.00
    2026-03-10  sell 2        FIFO: 2 @ 10.00 = 20.00
Change to Average from 2026-03-01: on hand then 3 @ 10.00 + 5 @ 20.00 = 130.00 for 8,
average 16.25; the 03-10 sale costs 2 x 16.25 = 32.50 (COST_ADJUST +12.50), the 02-10 sale
keeps 20.00. Reversing the change gives FIFO back from 03-01 (COST_ADJUST -12.50).
"""

from __future__ import annotations

import openpyxl
import pytest

from addin.sheets import schema
from tests.macros import shopbook
from tests.macros.conftest import loupe
from tests.macros.shopbook import day

NOW = "2026-03-31T17:00:00"


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.setenv("LOUPE_NOW", NOW)
    path = shopbook.new_book(tmp_path)
    shopbook.type_rows(path, schema.RECEIVING, [
        [day("2026-01-10"), "PO-1", "Northstar", "CH-301", 5, 10.0, None, "Main Case", "Owned"],
        [day("2026-01-20"), "PO-2", "Northstar", "CH-301", 5, 20.0, None, "Main Case", "Owned"],
    ])
    assert loupe("post", "receipts", path).exit_code == 0
    shopbook.type_rows(path, schema.SALES, [
        [day("2026-02-10"), "T-1", None, "CH-301", 2, 50.0, "A. Buyer", "Main Case", "Sale"],
        [day("2026-03-10"), "T-2", None, "CH-301", 2, 50.0, "B. Buyer", "Main Case", "Sale"],
    ])
    result = loupe("post", "sales", path)
    assert result.exit_code == 0, result.output
    return path


def ledger(path) -> list[dict]:
    return shopbook.read_rows(path, schema.LEDGER)


def cost_of(path, doc: str) -> float:
    """A sale's Cost of Goods on the Ledger, its COST_ADJUST entries included."""
    rows = ledger(path)
    (sale,) = [r for r in rows if r["Doc"] == doc and r["Kind"] == "SALE"]
    adjusted = [r for r in rows if r["Kind"] == "COST_ADJUST" and r["Reverses"] == sale["Entry"]]
    return round(sale["Cost of Goods"] + sum(r["Cost of Goods"] for r in adjusted), 2)


def cost_method_cell(path, style: str):
    (row,) = [r for r in shopbook.read_rows(path, schema.STYLES) if r["Style"] == style]
    return row["Cost Method"], row["_row"]


def retype_cost_method(path, style: str, method: str) -> int:
    _, row = cost_method_cell(path, style)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb[schema.STYLES.name]
    header = next(r for r in ws.iter_rows(min_row=1, max_row=row) if "Cost Method" in
                  [c.value for c in r])
    column = next(c.column for c in header if c.value == "Cost Method")
    ws.cell(row, column).value = method
    wb.save(path)
    return row


def margins(path) -> dict[str, tuple[str, str]]:
    """Sale Doc -> (Cost of Goods, Margin), as the sales report gives them."""
    return {r["Doc"]: (r["Cost of Goods"], r["Margin"]) for r in exported(path, "sales")
            if r["Style"] == "CH-301"}


def test_fifo_to_average_from_march_keeps_february_and_averages_march(book):
    assert (cost_of(book, "T-1"), cost_of(book, "T-2")) == (20.0, 20.0)
    assert margins(book) == {"T-1": ("20.00", "80.00"), "T-2": ("20.00", "80.00")}
    result = loupe("method", book, "CH-301", "--to", "Average", "--date", "2026-03-01")
    assert result.exit_code == 0, result.output
    assert "CH-301 is costed by Average from 2026-03-01" in result.output
    (change,) = [r for r in ledger(book) if r["Kind"] == "METHOD"]
    assert (change["Style"], change["Qty"], change["Party"]) == ("CH-301", 0, "FIFO to Average")
    assert change["Date"].date().isoformat() == "2026-03-01"
    assert cost_of(book, "T-1") == 20.0  # February's margin is unchanged
    assert cost_of(book, "T-2") == 32.5
    assert margins(book) == {"T-1": ("20.00", "80.00"), "T-2": ("32.50", "67.50")}
    adjust = [r for r in ledger(book) if r["Kind"] == "COST_ADJUST"]
    assert [(r["Cost of Goods"], r["Date"].date().isoformat()) for r in adjust] == [
        (12.5, "2026-03-10")]
    assert cost_method_cell(book, "CH-301")[0] == "Average"
    result = loupe("validate", book)
    assert result.exit_code == 0, result.output
    layers = [r for r in exported(book, "layers") if r["Style"] == "CH-301"]
    assert sum(r["Qty"] for r in layers) == 6
    assert {r["Unit Cost"] for r in layers} == {"16.25"}


def test_reversing_the_change_gives_fifo_back_from_its_date(book):
    assert loupe("method", book, "CH-301", "--to", "Average", "--date", "2026-03-01"
                 ).exit_code == 0
    (change,) = [r for r in ledger(book) if r["Kind"] == "METHOD"]
    result = loupe("reverse", book, f"E{change['Entry']}")
    assert result.exit_code == 0, result.output
    assert "CH-301 is costed by FIFO again" in result.output
    assert (cost_of(book, "T-1"), cost_of(book, "T-2")) == (20.0, 20.0)
    assert margins(book) == {"T-1": ("20.00", "80.00"), "T-2": ("20.00", "80.00")}
    adjust = [r["Cost of Goods"] for r in ledger(book) if r["Kind"] == "COST_ADJUST"]
    assert adjust == [12.5, -12.5]
    assert cost_method_cell(book, "CH-301")[0] == "FIFO"
    result = loupe("validate", book)
    assert result.exit_code == 0, result.output


def test_average_back_to_fifo_later_keeps_the_pool_value(book):
    assert loupe("method", book, "CH-301", "--to", "Average", "--date", "2026-03-01"
                 ).exit_code == 0
    result = loupe("method", book, "CH-301", "--to", "FIFO", "--date", "2026-03-15")
    assert result.exit_code == 0, result.output
    # 6 left at 16.25 = 97.50; as FIFO layers they keep their receipt dates
    layers = [r for r in exported(book, "layers") if r["Style"] == "CH-301"]
    assert sum(float(r["Value"]) for r in layers) == 97.5
    assert (cost_of(book, "T-1"), cost_of(book, "T-2")) == (20.0, 32.5)


def test_a_retyped_cost_method_is_refused_by_validate_and_post(book):
    before = ledger(book)
    row = retype_cost_method(book, "CH-301", "Average")
    message = (f"Styles row {row}, column Cost Method: CH-301 has posted history costed by "
               "FIFO; to change its method from a date, run `loupe method shop.xlsm CH-301 --to "
               "Average --date YYYY-MM-DD` (or press Change Method); put FIFO back in this "
               "cell")
    result = loupe("validate", book)
    assert result.exit_code == 1 and message in " ".join(result.output.split()), result.output
    shopbook.type_rows(book, schema.SALES, [
        [day("2026-03-20"), "T-3", None, "CH-301", 1, 50.0, "C. Buyer", "Main Case", "Sale"],
    ])
    result = loupe("post", "sales", book)
    assert result.exit_code != 0 and message in " ".join(result.output.split()), result.output
    assert ledger(book) == before  # nothing posted, nothing re-costed
    assert cost_method_cell(book, "CH-301")[0] == "Average"  # what was typed is kept


def test_a_retyped_cost_method_re_costs_no_report_or_export(book):
    row = retype_cost_method(book, "CH-301", "Average")
    result = loupe("refresh", book)
    assert (f"Styles row {row}, column Cost Method: CH-301 has posted history costed by FIFO"
            in " ".join(result.output.split())), result.output
    sales = {r["Doc"]: r for r in exported(book, "sales") if r["Style"] == "CH-301"}
    # by FIFO, as posted: 2 @ 10.00 each time (Average would make the March sale 15.00 each)
    assert {doc: (sales[doc]["Cost of Goods"], sales[doc]["Margin"]) for doc in sales} == {
        "T-1": ("20.00", "80.00"), "T-2": ("20.00", "80.00")}


def test_the_change_command_works_from_a_retyped_cell(book):
    retype_cost_method(book, "CH-301", "Average")
    result = loupe("method", book, "CH-301", "--to", "Average", "--date", "2026-03-01")
    assert result.exit_code == 0, result.output
    assert (cost_of(book, "T-1"), cost_of(book, "T-2")) == (20.0, 32.5)
    assert loupe("validate", book).exit_code == 0


def test_a_style_without_history_changes_method_freely(book):
    retype_cost_method(book, "ST-401", "FIFO")  # never received: nothing to re-cost
    result = loupe("validate", book)
    assert result.exit_code == 0, result.output
    assert cost_method_cell(book, "ST-401")[0] == "FIFO"


def test_a_change_to_the_method_it_has_is_refused(book):
    result = loupe("method", book, "CH-301", "--to", "fifo", "--date", "2026-03-01")
    assert result.exit_code == 1
    assert "CH-301 is already costed by FIFO" in result.output
    assert not [r for r in ledger(book) if r["Kind"] == "METHOD"]


def exported(path, what: str, as_of: str | None = None) -> list[dict]:
    import json

    extra = ["--as-of", as_of] if as_of else []
    result = loupe("export", path, "--what", what, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("args, code, said", [
    # a style or a method that does not exist is a bad argument (exit 2); a date that
    # cannot be taken is a refused change (exit 1)
    (["ZZ-9", "--to", "Average"], 2, "Styles, column Style: unknown style 'ZZ-9'; type a "
     "style code from the Styles sheet"),
    # the option given names the problem: Styles has no Date column, and a --to typed
    # wrong is not what its Cost Method cell says
    (["CH-301", "--to", "LIFO"], 2, "--to: cannot change the cost method to 'LIFO'; "
     "change it to FIFO or Average"),
    (["CH-301", "--to", "Average", "--date", "2026-04-02"], 1, "--date: 2026-04-02 is in "
     "the future"),
])
def test_a_change_that_cannot_be_made_says_why_and_posts_nothing(book, args, code, said):
    before = ledger(book)
    result = loupe("method", book, *args)
    assert result.exit_code == code and said in " ".join(result.output.split()), result.output
    assert ledger(book) == before
    assert cost_method_cell(book, "CH-301")[0] == "FIFO"


def test_a_problem_with_what_was_asked_names_no_styles_column(book):
    result = loupe("method", book, "CH-301", "--to", "LIFO")
    said = " ".join(result.output.split())
    assert "column Cost Method" not in said and "column Date" not in said


def test_a_blank_cost_method_and_a_changed_default_says_so_and_marks_the_sales_rows(book):
    # CH-301's history is FIFO (2 @ 10.00 twice). Its Cost Method cell is emptied while the
    # default is FIFO (nothing changes), then Settings' Default Cost Method becomes Average:
    # the blank cell now means Average, which would re-cost that history.
    retype_cost_method(book, "CH-301", None)
    assert loupe("validate", book).exit_code == 0
    settings = {r["Setting"]: r["_row"] for r in shopbook.read_rows(book, schema.SETTINGS)}
    shopbook.set_cell(book, "Settings", f"B{settings['Default Cost Method']}", "Average")
    _, row = cost_method_cell(book, "CH-301")
    shopbook.type_rows(book, schema.SALES, [
        [day("2026-03-20"), "T-3", None, "CH-301", 1, 50.0, "C. Buyer", "Main Case", "Sale"],
    ])
    before = ledger(book)
    result = loupe("post", "sales", book)
    said = " ".join(result.output.split())
    problem = (f"Styles row {row}, column Cost Method: CH-301 has posted history costed by "
               "FIFO, but this cell is blank, so it takes Settings' Default Cost Method, now "
               "Average; type FIFO in this cell (or set Default Cost Method back to FIFO); to "
               "change its method from a date, run `loupe method shop.xlsm CH-301 --to "
               "Average --date YYYY-MM-DD` (or press Change Method)")
    assert result.exit_code == 2 and problem in said, said
    assert "put FIFO back" not in said  # nothing was in the cell to put back
    assert ledger(book) == before
    sales = {r["Doc"]: r for r in shopbook.read_rows(book, schema.SALES)}
    assert sales["T-3"]["Status"] == f"Error: not posted until Styles is fixed: {problem}"
    assert sales["T-1"]["Status"] == "Posted"  # posted rows keep their Status


def test_a_change_dated_before_the_last_change_is_refused(book):
    assert loupe("method", book, "CH-301", "--to", "Average", "--date", "2026-03-01"
                 ).exit_code == 0
    (change,) = [r for r in ledger(book) if r["Kind"] == "METHOD"]
    result = loupe("method", book, "CH-301", "--to", "FIFO", "--date", "2026-02-01")
    assert result.exit_code == 1
    assert (f"CH-301 changed cost method on 2026-03-01 (entry {change['Entry']}); a change "
            "dated 2026-02-01 would come before it; date the change on or after 2026-03-01, "
            f"or reverse entry {change['Entry']} first") in " ".join(result.output.split())


def test_a_bad_date_option_is_named(book):
    result = loupe("method", book, "CH-301", "--to", "Average", "--date", "March")
    assert result.exit_code == 2 and "--date 'March' is not a date; use YYYY-MM-DD" in result.output


def set_setting(path, name: str, value) -> None:
    row = next(r["_row"] for r in shopbook.read_rows(path, schema.SETTINGS)
               if r["Setting"] == name)
    shopbook.set_cell(path, "Settings", f"B{row}", value)


def test_a_style_below_zero_must_be_counted_before_its_method_changes(book):
    set_setting(book, "Allow Negative Stock", "Yes")
    shopbook.type_rows(book, schema.SALES, [
        [day("2026-03-20"), "T-3", None, "CH-301", 8, 50.0, "C. Buyer", "Main Case", "Sale"],
    ])
    assert loupe("post", "sales", book).exit_code == 0  # 6 on hand, 8 sold: -2
    result = loupe("method", book, "CH-301", "--to", "Average", "--date", "2026-03-25")
    assert result.exit_code == 1
    assert ("CH-301 is below zero now (-2 at Main Case); receive (or count) the missing "
            "stock first, then change its method") in " ".join(result.output.split())


def test_a_change_dated_while_the_style_was_below_zero_is_refused_once_covered_too(book):
    set_setting(book, "Allow Negative Stock", "Yes")
    before = shopbook.read_rows(book, schema.LEDGER)
    shopbook.type_rows(book, schema.SALES, [
        [day("2026-03-20"), "T-3", None, "CH-301", 8, 50.0, "C. Buyer", "Main Case", "Sale"],
    ])
    assert loupe("post", "sales", book).exit_code == 0  # 6 on hand, 8 sold: -2 from 03-20
    shopbook.type_rows(book, schema.RECEIVING, [
        [day("2026-03-28"), "PO-9", "Northstar", "CH-301", 5, 30.0, None, "Main Case", "Owned"],
    ])
    assert loupe("post", "receipts", book).exit_code == 0  # covered on 03-28: 3 on hand
    posted = shopbook.read_rows(book, schema.LEDGER)
    result = loupe("method", book, "CH-301", "--to", "Average", "--date", "2026-03-25")
    assert result.exit_code == 1
    assert ("CH-301 was below zero at Main Case on 2026-03-25 (-2 on hand): a cost method "
            "cannot change while units sold are not yet covered by stock") in " ".join(
                result.output.split())
    assert shopbook.read_rows(book, schema.LEDGER) == posted  # nothing posted, nothing undone
    assert len(posted) > len(before)
    # dated once the stock had arrived, the change goes through
    assert loupe("method", book, "CH-301", "--to", "Average", "--date", "2026-03-29"
                 ).exit_code == 0


def test_a_change_in_closed_books_is_refused_and_a_reversal_there_changes_back_later(book):
    assert loupe("method", book, "CH-301", "--to", "Average", "--date", "2026-03-01"
                 ).exit_code == 0
    set_setting(book, "Books Closed Through", day("2026-03-05"))
    result = loupe("method", book, "CH-301", "--to", "FIFO", "--date", "2026-03-02")
    assert result.exit_code == 1 and "2026-03-02 is in closed books" in result.output
    (change,) = [r for r in ledger(book) if r["Kind"] == "METHOD"]
    result = loupe("reverse", book, f"E{change['Entry']}")
    assert result.exit_code == 0, result.output
    (undo,) = [r for r in ledger(book) if r["Kind"] == "REVERSAL"]
    assert undo["Date"] == day("2026-03-06")  # the first open day
    # FIFO again from 03-06 (03-01..03-05 are closed): the pool's 8 units become FIFO at
    # 16.25 each, so the 03-10 sale keeps its 32.50 and no new COST_ADJUST is posted
    assert (cost_of(book, "T-1"), cost_of(book, "T-2")) == (20.0, 32.5)
    assert len([r for r in ledger(book) if r["Kind"] == "COST_ADJUST"]) == 1
    assert cost_method_cell(book, "CH-301")[0] == "FIFO"
    assert loupe("validate", book).exit_code == 0


def report_figure(path, sheet: str, column: str, row: str):
    """The figure in `column` of the first row headed `row` below the header naming `column`, on a
    report sheet as the last refresh wrote it."""
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(path)[sheet].iter_rows()]
    at = next(i for i, r in enumerate(rows) if column in r)
    return next(r for r in rows[at + 1:] if r[0] == row)[rows[at].index(column)]


def test_a_report_as_of_a_day_before_the_change_costs_by_the_method_in_force_then(book):
    assert loupe("method", book, "CH-301", "--to", "Average", "--date", "2026-03-01"
                 ).exit_code == 0
    assert cost_method_cell(book, "CH-301")[0] == "Average"  # the Styles cell says so now
    result = loupe("refresh", book, "--as-of", "2026-02-28")
    assert result.exit_code == 0, result.output
    # FIFO until 03-01: the 02-10 sale took 2 @ 10.00 = 20.00, as the Ledger says; left
    # 3 @ 10.00 + 5 @ 20.00 = 130.00
    assert report_figure(book, "Margin", "Cost of Goods", "2026-02") == 20.0
    assert report_figure(book, "Valuation", "Owned Value", "Chains") == 130.0
    (sale,) = [r for r in exported(book, "sales", "2026-02-28") if r["Kind"] == "Sale"]
    assert (sale["Doc"], sale["Cost of Goods"]) == ("T-1", "20.00")
    layers = exported(book, "layers", "2026-02-28")
    assert [(r["Qty"], r["Unit Cost"]) for r in layers if r["Style"] == "CH-301"] == [
        (3, "10.00"), (5, "20.00")]
    # as of the end of March, Average from 03-01: 6 left at 16.25 = 97.50
    assert loupe("refresh", book, "--as-of", "2026-03-31").exit_code == 0
    assert report_figure(book, "Valuation", "Owned Value", "Chains") == 97.5


def test_a_report_before_a_change_from_average_costs_by_average(tmp_path, monkeypatch):
    monkeypatch.setenv("LOUPE_NOW", NOW)
    path = shopbook.new_book(tmp_path)
    shopbook.type_rows(path, schema.RECEIVING, [  # ST-401 is costed by Average
        [day("2026-01-10"), "PO-1", "Silverline", "ST-401", 5, 10.0, None, "Main Case", "Owned"],
        [day("2026-01-20"), "PO-2", "Silverline", "ST-401", 5, 20.0, None, "Main Case", "Owned"],
    ])
    assert loupe("post", "receipts", path).exit_code == 0
    shopbook.type_rows(path, schema.SALES, [
        [day("2026-01-25"), "T-1", None, "ST-401", 2, 50.0, "A. Buyer", "Main Case", "Sale"]])
    assert loupe("post", "sales", path).exit_code == 0
    result = loupe("method", path, "ST-401", "--to", "FIFO", "--date", "2026-02-01")
    assert result.exit_code == 0, result.output
    result = loupe("refresh", path, "--as-of", "2026-01-31")
    assert result.exit_code == 0, result.output
    # Average in January: 150.00 for 10, the sale 2 @ 15.00 = 30.00; 8 left, 120.00
    assert report_figure(path, "Margin", "Cost of Goods", "2026-01") == 30.0
    assert report_figure(path, "Valuation", "Owned Value", "Studs") == 120.0
