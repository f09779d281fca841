"""Report sheets on a saved book: the whole layout in the one save, only on Loupe's sheets."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from addin.core.errors import BookError
from addin.sheets import schema
from addin.workbook.files import FilesBook
from addin.workbook.files.safe_save import backup_path
from tests.workbook.reports import ON_HAND, VALUE_CHART
from tests.workbook.reports import small_layout as layout


def report(path, *layouts):
    with FilesBook.open(path) as b:
        kept = [b.write_report(x) for x in layouts]
        b.save()
    return kept


def test_a_new_report_sheet_comes_last_with_everything_it_shows(book, kit):
    assert report(book, layout()) == [None]
    wb = openpyxl.load_workbook(book, keep_vba=True)
    assert wb.sheetnames[-2:] == [kit.OWNER_SHEET, "On Hand"]
    ws = wb["On Hand"]
    assert ws["A1"].value == "Gem & Co: On hand by style" and ws["A1"].font.b
    assert [ws["A3"].value, ws["A4"].value] == ["As of 2024-03-31",
                                               "Ledger: last entry 7, Hash ab12"]
    # A3, A4, blank row 5, section title row 6, header row 7, body rows 8-9, total row 10
    assert [c.value for c in ws[7]] == ["Style", "Qty", "Value", "Last Received"]
    assert [c.value for c in ws[8]] == ["RG-101", 2, 850, dt.datetime(2024, 3, 1)]
    assert ws["C8"].number_format == "#,##0.00" and ws["D8"].number_format == "yyyy-mm-dd"
    assert ws["B9"].number_format == "#,##0"
    assert ws["C10"].value == "=SUM($C$8:$C$9)"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.oddFooter.left.text == "On Hand"
    assert ws.column_dimensions["C"].width >= 8
    content_types = zipfile.ZipFile(book).read("[Content_Types].xml").decode()
    assert content_types.count("worksheet+xml") == len(schema.DATA_SHEETS) + 2


def test_one_save_per_press_and_the_backup_is_the_book_before_it(book):
    before = book.read_bytes()
    report(book, layout(), layout("Margins", title="Margins"))
    assert backup_path(book).read_bytes() == before
    assert openpyxl.load_workbook(book).sheetnames[-2:] == ["On Hand", "Margins"]


def test_charts_are_written_in_the_same_save(book):
    chart = VALUE_CHART
    report(book, layout(chart=chart))
    z = zipfile.ZipFile(book)
    charts = [n for n in z.namelist() if n.startswith("xl/charts/")]
    assert len(charts) == 1
    xml = z.read(charts[0]).decode()
    assert re.findall(r"<c:f>([^<]+)</c:f>", xml) == [
        "'On Hand'!$C$7", "'On Hand'!$A$8:$A$9", "'On Hand'!$C$8:$C$9"]
    report(book, layout(chart=chart))  # refreshed again: still one chart, Loupe's own
    assert len([n for n in zipfile.ZipFile(book).namelist() if n.startswith("xl/charts/")]) == 1


def test_rewriting_a_report_replaces_every_old_value(book):
    report(book, layout())
    report(book, layout(frame=ON_HAND.iloc[:1], title="second"))
    ws = openpyxl.load_workbook(book)["On Hand"]
    assert ws["A1"].value == "Gem & Co: second"
    assert [c.value for c in ws["A"]][7:] == ["RG-101", "Total"]


def test_report_text_stays_text(book):
    frame = pd.DataFrame({"Style": ["=1+1", "-5%", "@vendor"], "Qty": [1, 2, 3],
                          "Value": [1, 2, 3], "Last Received": [pd.NaT] * 3})
    report(book, layout(frame=frame))
    ws = openpyxl.load_workbook(book)["On Hand"]
    assert [ws.cell(r, 1).value for r in (8, 9, 10)] == ["=1+1", "-5%", "@vendor"]
    assert all(ws.cell(r, 1).data_type == "s" for r in (8, 9, 10))


@pytest.mark.parametrize("name", ["Ledger", "receiving"])
def test_a_report_never_replaces_a_data_sheet(book, name):
    with FilesBook.open(book) as b, pytest.raises(BookError, match="data sheet"):
        b.write_report(layout(name))


@pytest.mark.parametrize("name", ["", "Q1/Q2", "A name far too long for any Excel sheet tab"])
def test_names_excel_refuses_are_refused(book, name):
    with FilesBook.open(book) as b, pytest.raises(BookError, match="pick another name"):
        b.write_report(layout(name))


def test_the_owners_own_sheet_named_like_a_report_is_kept_and_the_clash_reported(book, kit):
    wb = openpyxl.load_workbook(book, keep_vba=True)
    wb.create_sheet("On Hand")["A1"] = "my own stock notes"
    wb.save(book)
    before = kit.parts_of(book)
    [kept] = report(book, layout())
    assert kept.sheet == "On Hand" and "not one Loupe made" in kept.message
    assert "rename that sheet" in kept.fix
    assert kit.parts_of(book) == before  # nothing else changed, so nothing was saved
    assert openpyxl.load_workbook(book)["On Hand"]["A1"].value == "my own stock notes"


def test_a_logo_on_a_report_sheet_is_kept_and_the_clash_reported(book, kit):
    report(book, layout())
    kit.add_logo(book, "On Hand")
    [kept] = report(book, layout(title="again"))
    assert "carries a picture Loupe did not put there" in kept.message
    parts = kit.parts_of(book)
    assert "xl/drawings/logo.xml" in parts
    assert openpyxl.load_workbook(book)["On Hand"]["A1"].value == "Gem & Co: On hand by style"


def test_a_report_rewritten_twice_in_one_run_holds_only_the_second(book):
    report(book, layout(frame=pd.concat([ON_HAND] * 3)), layout(frame=ON_HAND.iloc[:1]))
    ws = openpyxl.load_workbook(book)["On Hand"]
    assert [c.value for c in ws["A"]][7:] == ["RG-101", "Total"]
