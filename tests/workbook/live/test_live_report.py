"""Report sheets through the live adapter: the whole layout, in a fixed number of calls.

A report goes to "Excel" (the xlwings stand-in) as one block of values and formulas, one
number-format call per formatted column, one width call per run of equal widths, the page
setup and one chart call per chart. The saved copy is then read back with openpyxl.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from addin.workbook.live import LiveBook
from tests.macros import shopbook
from tests.workbook.live.fake_xlwings import FakeBook
from tests.workbook.reports import ON_HAND, VALUE_CHART, chart_refs, small_layout


@pytest.fixture
def book(tmp_path):
    return shopbook.new_book(tmp_path)


def pressed(path, *layouts):
    fake = FakeBook.open(path)
    live = LiveBook(fake)
    kept = [live.write_report(x) for x in layouts]
    live.save()
    return fake, kept


def test_a_report_lands_with_values_formulas_formats_widths_and_page(book, tmp_path):
    fake, kept = pressed(book, small_layout())
    assert kept == [None]
    wb = openpyxl.load_workbook(fake.save_copy(tmp_path / "after.xlsm"))
    assert wb.sheetnames[-1] == "On Hand"
    ws = wb["On Hand"]
    assert ws["A1"].value == "Gem & Co: On hand by style"
    assert [ws["A3"].value, ws["A4"].value] == ["As of 2024-03-31",
                                               "Ledger: last entry 7, Hash ab12"]
    assert [c.value for c in ws[7]][:4] == ["Style", "Qty", "Value", "Last Received"]
    assert [c.value for c in ws[8]][:4] == ["RG-101", 2, 850, dt.datetime(2024, 3, 1)]
    assert ws["C10"].value == "=SUM($C$8:$C$9)"
    assert ws["C8"].number_format == "#,##0.00" and ws["D9"].number_format == "yyyy-mm-dd"
    assert ws["B8"].number_format == "#,##0"
    assert ws.column_dimensions["C"].width >= 8
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert (ws.page_setup.useFirstPageNumber, ws.page_setup.firstPageNumber) == (True, 1)
    assert ws.oddFooter.left.text == "On Hand"


def test_the_calls_do_not_grow_with_the_rows(book):
    def calls(rows: int) -> int:
        frame = pd.concat([ON_HAND] * rows, ignore_index=True)
        fake, _ = pressed(book, small_layout(frame=frame, chart=VALUE_CHART))
        return fake.trips.total

    assert calls(5) == calls(5000)


def test_charts_are_drawn_from_the_reports_own_cells(book, tmp_path):
    fake, _ = pressed(book, small_layout(chart=VALUE_CHART))
    after = fake.save_copy(tmp_path / "after.xlsm")
    assert chart_refs(after) == [["'On Hand'!A8:A9", "'On Hand'!C7", "'On Hand'!C8:C9"]]
    assert [c.name for c in fake.sheets["On Hand"].charts] == ["Loupe: Value by style"]


def test_refreshing_again_replaces_loupes_chart_and_values(book):
    fake = FakeBook.open(book)
    for frame in (ON_HAND, ON_HAND.iloc[:1]):
        live = LiveBook(fake)
        assert live.write_report(small_layout(frame=frame, chart=VALUE_CHART)) is None
        live.save()
    ws = fake.sheets["On Hand"]
    assert len(ws.charts) == 1
    assert ws.range("A8:A10").value == ["RG-101", "Total", None]


def test_the_owners_sheet_and_a_logo_are_kept_and_the_clash_reported(book):
    fake = FakeBook.open(book)
    fake.sheets.add("On Hand")
    fake.sheets["On Hand"].range("A1").value = "my own notes"
    live = LiveBook(fake)
    [kept] = [live.write_report(small_layout())]
    assert "not one Loupe made" in kept.message
    live.save()
    assert fake.sheets["On Hand"].range("A1").value == "my own notes"

    other = LiveBook(fake)
    assert other.write_report(small_layout("Margins")) is None
    other.save()
    fake.sheets["Margins"].add_picture("Logo")
    again = LiveBook(fake)
    kept = again.write_report(small_layout("Margins", title="again"))
    assert "carries a picture Loupe did not put there" in kept.message
    again.save()
    assert fake.sheets["Margins"].range("A1").value == "Gem & Co: On hand by style"


def test_a_report_looks_as_the_files_adapter_draws_it(book, tmp_path):
    """The small layout (title; as-of and Ledger lines; a header row at 7, two body rows, a
    totals row at 10): fonts, fills, rules, alignment, heights, gridlines, frozen header and
    margins, as set out in report_look and written by hand here."""
    fake, _ = pressed(book, small_layout())
    ws = openpyxl.load_workbook(fake.save_copy(tmp_path / "after.xlsm"))["On Hand"]
    navy = "FF1F3864"
    title, label, header = ws["A1"], ws["A3"], ws["B7"]
    assert (title.font.b, title.font.sz, title.font.color.rgb) == (True, 16, navy)
    assert (label.font.b, label.font.sz) == (True, 10)
    assert (header.font.b, header.font.color.rgb, header.fill.fgColor.rgb) == (
        True, "FFFFFFFF", navy)
    assert (header.alignment.horizontal, header.alignment.vertical,
            header.alignment.wrap_text) == ("center", "center", True)
    text, figure = ws["A8"], ws["C8"]
    assert (text.alignment.horizontal, text.alignment.indent, text.alignment.vertical) == (
        "left", 1, "top")
    assert (bool(figure.font.b), figure.font.sz, figure.alignment.vertical) == (False, 10, "top")
    assert figure.alignment.horizontal is None and figure.fill.fill_type is None
    total = ws["C10"]
    assert (total.font.b, total.fill.fgColor.rgb) == (True, "FFDDE3EE")
    assert (total.border.top.style, total.border.top.color.rgb) == ("thin", navy)
    assert (total.border.bottom.style, total.border.bottom.color.rgb) == ("double", navy)
    assert ws["A8"].border.top.style is None and not ws["E10"].font.b  # past the table
    assert (ws.row_dimensions[1].height, ws.row_dimensions[7].height) == (24, 30)
    assert ws.sheet_view.showGridLines is False
    assert ws.freeze_panes == "A8"  # one table: its header row stays in view
    assert (ws.page_margins.left, ws.page_margins.bottom, ws.page_margins.footer) == (
        pytest.approx(0.4), pytest.approx(0.6), pytest.approx(0.3))
    assert ws.print_options.horizontalCentered is True


def test_the_sheet_the_user_was_on_is_shown_again_after_the_header_is_frozen(book):
    fake = FakeBook.open(book)
    fake.wb.active = fake.wb.worksheets.index(fake.wb["Sales"])
    live = LiveBook(fake)
    live.write_report(small_layout())
    live.save()
    assert fake.wb.active.title == "Sales"
    assert fake.wb["On Hand"].freeze_panes == "A8"


def test_the_calls_do_not_grow_with_the_rows_of_wrapped_text(book):
    """Every body row's text too long for its column: Excel fits those rows to their lines
    in one call per section, however many there are."""
    def calls(rows: int) -> int:
        frame = pd.concat([ON_HAND] * rows, ignore_index=True)
        frame["Style"] = "RG-101 in 14K yellow gold with a 0.50 ct round brilliant"
        fake, _ = pressed(book, small_layout(frame=frame))
        return fake.trips.total

    assert calls(5) == calls(2000)
