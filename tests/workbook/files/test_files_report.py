"""Report sheets on a saved book: made when missing, rewritten whole, never over data."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from addin.core.errors import BookError
from addin.sheets import schema
from addin.workbook.files import FilesBook

ON_HAND = [
    ["Style", "Qty", "Value", "Last Received"],
    ["RG-101", 2.0, 850.0, dt.datetime(2024, 3, 1)],
    ["EA-200", 36.0, 441.0, dt.datetime(2024, 3, 4)],
]


def report(path, name, rows, title=""):
    with FilesBook.open(path) as b:
        b.write_report(name, rows, title=title)
        b.save()


def test_a_new_report_sheet_comes_last_with_title_header_and_rows(book, kit):
    report(book, "On Hand", ON_HAND, title="On hand by style, 2024-03-31")
    with FilesBook.open(book) as b:
        assert b.sheet_names()[-2:] == [kit.OWNER_SHEET, "On Hand"]
    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb["On Hand"]
    assert wb.sheetnames[-1] == "On Hand"
    assert ws["A1"].value == "On hand by style, 2024-03-31" and ws["A1"].font.b
    assert [c.value for c in ws[2]] == [None] * 4
    assert [c.value for c in ws[3]] == ON_HAND[0] and all(c.font.b for c in ws[3])
    assert [c.value for c in ws[4]] == ["RG-101", 2, 850, dt.datetime(2024, 3, 1)]
    assert ws["D5"].is_date and not ws["C5"].is_date
    assert ws.column_dimensions["A"].width >= 8
    content_types = zipfile.ZipFile(book).read("[Content_Types].xml").decode()
    assert content_types.count("worksheet+xml") == len(schema.DATA_SHEETS) + 2


def test_without_a_title_the_header_is_row_1(book):
    report(book, "Slow Movers", ON_HAND)
    ws = openpyxl.load_workbook(book)["Slow Movers"]
    assert [c.value for c in ws[1]] == ON_HAND[0]


def test_rewriting_a_report_replaces_every_old_value(book):
    report(book, "On Hand", ON_HAND, title="first")
    report(book, "on hand", [["Style", "Qty"], ["RG-101", 1.0]], title="second")
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames.count("On Hand") == 1 and "on hand" not in wb.sheetnames
    ws = wb["On Hand"]
    assert [[c.value for c in r] for r in ws.iter_rows(min_row=1, max_row=5, max_col=4)] == [
        ["second", None, None, None],
        [None, None, None, None],
        ["Style", "Qty", None, None],
        ["RG-101", 1, None, None],
        [None, None, None, None],
    ]


def test_report_text_stays_text(book):
    report(book, "Notes", [["Note"], ["=1+1"], ["-5%"], ["@vendor"]])
    ws = openpyxl.load_workbook(book)["Notes"]
    assert [ws.cell(r, 1).value for r in (2, 3, 4)] == ["=1+1", "-5%", "@vendor"]
    assert all(ws.cell(r, 1).data_type == "s" for r in (2, 3, 4))


def test_two_new_reports_in_one_run(book):
    with FilesBook.open(book) as b:
        b.write_report("Ageing", [["Bucket", "Value"], ["0-90", 10.0]], title="Ageing")
        b.write_report("Margins", [["Style", "Margin"], ["RG-101", 520.0]], title="Margins")
        b.save()
    wb = openpyxl.load_workbook(book, keep_vba=True)
    assert wb.sheetnames[-2:] == ["Ageing", "Margins"]
    assert wb["Margins"]["B4"].value == 520


@pytest.mark.parametrize("name", ["Ledger", "receiving"])
def test_a_report_never_replaces_a_data_sheet(book, name):
    with FilesBook.open(book) as b, pytest.raises(BookError, match="data sheet"):
        b.write_report(name, ON_HAND)


@pytest.mark.parametrize("name", ["", "Q1/Q2", "A name far too long for any Excel sheet tab"])
def test_names_excel_refuses_are_refused(book, name):
    with FilesBook.open(book) as b, pytest.raises(BookError, match="pick another name"):
        b.write_report(name, ON_HAND)


def test_a_report_rewritten_twice_in_one_run_holds_only_the_second(book):
    with FilesBook.open(book) as b:
        b.write_report("On Hand", ON_HAND * 3, title="first")
        b.write_report("On Hand", [["Style"], ["RG-101"]], title="second")
        b.save()
    ws = openpyxl.load_workbook(book)["On Hand"]
    assert [c.value for c in ws["A"]][:4] == ["second", None, "Style", "RG-101"]
    assert all(c.value is None for row in ws.iter_rows(min_row=5) for c in row)
