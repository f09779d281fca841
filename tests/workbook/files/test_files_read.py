"""Reading a saved book: each table's cells exactly as typed, in the shapes xlwings gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.table import Table

from addin.core.errors import BookError
from addin.sheets import schema
from addin.workbook.files import FilesBook

D = dt.datetime


def read(path: Path, sheet: schema.Sheet):
    with FilesBook.open(path) as book:
        return book.read_table(sheet)


def test_receiving_reads_as_typed(any_book):
    raw = read(any_book, schema.RECEIVING)
    assert raw.header == list(schema.RECEIVING.headers)
    assert raw.first_row == 2
    assert raw.body[0] == [
        D(2024, 3, 1),
        "R-100",
        "Acme",
        "RG-101",
        1.0,
        420.0,
        "LP-0000033",
        "Main Case",
        "Owned",
        "first ring",
        None,
        None,
    ]
    assert len(raw.body) == 3


def test_numbers_and_dates_typed_as_text_stay_text(any_book):
    row = read(any_book, schema.RECEIVING).body[2]
    assert row[0] == "2024-03-04" and row[4] == "12"  # text, not a date and not 12.0
    assert isinstance(read(any_book, schema.RECEIVING).body[1][4], float)


def test_text_that_looks_like_a_formula_reads_as_that_text(any_book):
    assert read(any_book, schema.RECEIVING).body[1][9] == "=SUM(A1) typed as a note"


def test_every_number_is_a_float_and_times_are_kept(any_book):
    first = read(any_book, schema.LEDGER).body[0]
    assert first[0] == 1.0 and type(first[0]) is float
    assert first[1] == D(2024, 1, 5, 10, 30)
    assert first[2] == D(2024, 1, 5) and type(first[2]) is D


def test_an_empty_table_reads_its_one_blank_row(any_book):
    raw = read(any_book, schema.SALES)
    assert raw.header == list(schema.SALES.headers)
    assert raw.body == [[None] * len(schema.SALES.headers)]


def test_every_data_sheet_reads_the_same_whoever_wrote_the_file(tmp_path, kit, any_book):
    reference = kit.make_book(tmp_path / "reference.xlsm")
    for sheet in schema.DATA_SHEETS:
        assert read(any_book, sheet) == read(reference, sheet), sheet.name


def test_the_table_is_found_by_its_range_not_by_position(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Settings"
    ws["A1"] = "Shop settings, typed by the owner"
    ws["A5"] = "left of the table"
    ws["C3"], ws["D3"] = "Setting", "Value"
    ws["C4"], ws["D4"] = "Store Name", "Gem & Co"
    ws["C5"], ws["D5"] = "Allow Negative Stock", True
    ws["F4"] = "right of the table"
    ws.add_table(Table(displayName="tblSettings", ref="C3:D5"))
    wb.save(tmp_path / "offset.xlsx")
    raw = read(tmp_path / "offset.xlsx", schema.SETTINGS)
    assert raw.header == ["Setting", "Value"]
    assert raw.body == [["Store Name", "Gem & Co"], ["Allow Negative Stock", True]]
    assert raw.first_row == 4


def test_a_sheet_without_a_table_reads_its_used_range_from_row_1(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Styles"
    ws.append(["Style", "Description", "Category"])
    ws.append(["RG-101", "Ring", "Rings"])
    ws.append([None, None, None])
    ws.append(["EA-200", None, "Earrings", "stray note"])
    wb.save(tmp_path / "plain.xlsx")
    raw = read(tmp_path / "plain.xlsx", schema.STYLES)
    assert raw.header == ["Style", "Description", "Category", None]
    assert raw.body == [
        ["RG-101", "Ring", "Rings", None],
        [None] * 4,
        ["EA-200", None, "Earrings", "stray note"],
    ]
    assert raw.first_row == 2


def test_sheet_names_in_workbook_order(book, kit):
    with FilesBook.open(book) as b:
        assert b.sheet_names() == [s.name for s in schema.DATA_SHEETS] + [kit.OWNER_SHEET]


def test_a_missing_sheet_is_named_with_the_fix(tmp_path):
    wb = Workbook()
    wb.active.title = "Receiving"
    wb.save(tmp_path / "thin.xlsx")
    with FilesBook.open(tmp_path / "thin.xlsx") as b, pytest.raises(BookError) as e:
        b.read_table(schema.LEDGER)
    assert "no sheet 'Ledger'" in str(e.value) and "Receiving" in str(e.value)
    assert "template" in str(e.value)


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    fake = tmp_path / "shop.xlsm"
    fake.write_text("Date,Doc\n2024-03-01,R-1\n")
    with pytest.raises(BookError, match="shop.xlsm is not an Excel workbook"):
        with FilesBook.open(fake):
            pass


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    import zipfile

    odd = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(odd, "w") as z:
        z.writestr("photo.txt", "not a workbook")
    with pytest.raises(BookError, match="not an Excel workbook"):
        with FilesBook.open(odd):
            pass


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(BookError, match="does not exist"):
        with FilesBook.open(tmp_path / "nowhere.xlsm"):
            pass


def test_a_table_read_again_in_one_press_holds_every_change_made_since(any_book):
    """A press reads a sheet several times; each read gives the sheet as it is then."""
    with FilesBook.open(any_book) as book:
        first = book.read_table(schema.RECEIVING)
        first.body[0][1] = "typed over by a caller"  # a caller's copy is its own
        again = book.read_table(schema.RECEIVING)
        assert again.body[0][1] == "R-100"
        book.write_cells(schema.RECEIVING, {"Doc": {again.first_row: "R-101"}})
        assert book.read_table(schema.RECEIVING).body[0][1] == "R-101"
        row = [D(2024, 3, 2), "R-102", "Acme", "CH-301", 2.0, 5.0, None, "Main Case",
               "Owned", None, None, None]
        book.append_rows(schema.RECEIVING, [row])
        after = book.read_table(schema.RECEIVING)
        assert len(after.body) == len(again.body) + 1 and after.body[-1][1] == "R-102"
        book.save()
        assert book.read_table(schema.RECEIVING).body[-1][1] == "R-102"  # the file saved
