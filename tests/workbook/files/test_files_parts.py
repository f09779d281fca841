"""The pieces under the files adapter, on the cases a shop's files throw at them: Excel's
date serials, date formats, sheets written without row numbers, 1904-dated books, text
Excel would misread, formulas read back, and a book that is open in Excel."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from addin.core.errors import BookError
from addin.sheets import schema
from addin.workbook.a1 import Area, letters, number
from addin.workbook.files import FilesBook
from addin.workbook.files.ooxml.cell_xml import excel_serial
from addin.workbook.files.ooxml.xlsx_styles import is_date_code
from addin.workbook.files.ooxml.xml_text import cell_text, clean


@pytest.mark.parametrize(
    "day, serial",
    [
        (dt.date(1900, 1, 1), 1),  # Excel's day 1
        (dt.date(1900, 2, 28), 59),
        (dt.date(1900, 3, 1), 61),  # 60 is Excel's phantom 1900-02-29
        (dt.date(2024, 3, 1), 45352),
        (dt.datetime(2024, 3, 1, 18, 0), 45352.75),
    ],
)
def test_excel_serials(day, serial):
    assert excel_serial(day) == serial


def test_1904_serials_count_from_1904():
    assert excel_serial(dt.date(1904, 1, 2), date1904=True) == 1
    assert excel_serial(dt.date(2024, 3, 1), date1904=True) == 45352 - 1462


@pytest.mark.parametrize(
    "code, is_date",
    [
        ("yyyy-mm-dd", True),
        ("m/d/yy h:mm", True),
        ("[h]:mm:ss", True),
        ("[$-409]d-mmm", True),
        ("#,##0.00", False),
        ('0.00" days"', False),
        ("[Red]0.00;[Blue]-0.00", False),
        ("General", False),
        ("0%", False),
        ('"Date: "@', False),
        ("\\d0", False),
    ],
)
def test_date_formats_are_told_apart(code, is_date):
    assert is_date_code(code) is is_date


def test_column_letters_and_areas():
    assert [letters(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
    assert number("XFD") == 16384
    assert str(Area.parse("$B$3:D10").union(Area.parse("A12"))) == "A3:D12"


def test_text_is_escaped_and_cleaned_but_not_otherwise_changed():
    assert cell_text('<a href="x">&</a>') == '&lt;a href="x"&gt;&amp;&lt;/a&gt;'
    assert cell_text("_x0041_") == "_x005F_x0041_"
    assert clean("ok\x00\x0b\ufffe\t\n\r done") == "ok\t\n\r done"
    assert clean("x" * 40000) == "x" * 32767


def strip_row_numbers(path, part):
    """Rewrite a sheet the way some tools save it: rows and cells without r= attributes."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts[part] = re.sub(rb'(<(?:row|c)) r="[A-Z]*\d+"', rb"\1", parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_a_sheet_without_row_numbers_is_edited_in_the_right_places(book, kit):
    strip_row_numbers(book, kit.sheet_part(book, "Receiving"))
    with FilesBook.open(book) as b:
        b.write_cells(schema.RECEIVING, {"Status": {3: "Posted"}})
        b.append_rows(
            schema.RECEIVING,
            [
                [
                    dt.datetime(2024, 3, 9),
                    "R-9",
                    None,
                    "RG-101",
                    1,
                    5.0,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                ]
            ],
        )
        b.save()
    ws = openpyxl.load_workbook(book)["Receiving"]
    assert ws["B3"].value == "R-101" and ws["K3"].value == "Posted"
    assert ws["B4"].value == "R-102" and ws["K4"].value is None
    assert ws["B5"].value == "R-9" and ws.tables["tblReceiving"].ref == "A1:L5"


def test_a_1904_dated_book_gets_its_dates_right(tmp_path):
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Sales"
    ws.append(list(schema.SALES.headers))
    ws.append([dt.datetime(2024, 3, 1)] + [None] * 10)
    ws["A2"].number_format = "yyyy-mm-dd"
    ws.add_table(openpyxl.worksheet.table.Table(displayName="tblSales", ref="A1:K2"))
    wb.save(tmp_path / "mac.xlsx")
    with FilesBook.open(tmp_path / "mac.xlsx") as b:
        b.append_rows(schema.SALES, [[dt.datetime(2024, 3, 2)] + [None] * 10])
        b.save()
        assert [r[0] for r in b.read_table(schema.SALES).body] == [
            dt.datetime(2024, 3, 1),
            dt.datetime(2024, 3, 2),
        ]
    assert openpyxl.load_workbook(tmp_path / "mac.xlsx")["Sales"]["A3"].value == dt.datetime(
        2024, 3, 2
    )


def test_a_book_open_in_excel_is_not_saved_over(book):
    owner = book.with_name("~$" + book.name)
    owner.write_bytes(b"Excel's owner file")
    with FilesBook.open(book) as b:
        assert b.read_table(schema.RECEIVING).first_row == 2  # reading is fine
        b.write_cells(schema.RECEIVING, {"Status": {2: "Posted"}})
        with pytest.raises(BookError, match=r"open in Excel.*close it there"):
            b.save()
    owner.unlink()
    with FilesBook.open(book) as b:
        assert b.read_table(schema.RECEIVING).body[0][10] is None


class _Unseekable:
    """A file that can only be written forward, as a stream (zip then uses data
    descriptors: sizes after each part, not in its header)."""

    def __init__(self, f):
        self.f = f

    def write(self, data):
        return self.f.write(data)

    def flush(self):
        self.f.flush()

    def tell(self):
        return self.f.tell()

    def seekable(self):
        return False


def test_a_zip_written_as_a_stream_is_edited_and_saved_soundly(book, kit):
    parts = kit.parts_of(book)
    with open(book, "wb") as f, zipfile.ZipFile(_Unseekable(f), "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with zipfile.ZipFile(book) as z:
        assert all(i.flag_bits & 0x08 for i in z.infolist())
    with FilesBook.open(book) as b:
        b.write_cells(schema.RECEIVING, {"Status": {2: "Posted"}})
        b.save()
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None
        assert z.read(kit.VBA_PART) == parts[kit.VBA_PART]
    assert openpyxl.load_workbook(book, keep_vba=True)["Receiving"]["K2"].value == "Posted"
