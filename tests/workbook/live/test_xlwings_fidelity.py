"""The stand-in follows xlwings 0.37.8, case by case, and the live adapter copes with each.

The expected values are xlwings' documented behaviour, written out by hand here; the
stand-in produces them by running xlwings' own conversion code (`xlwings_windows`) and
xlwings' own chunking rule. Each case is then read through the live adapter and the files
adapter from the same saved book: both must hand the typed reader the same thing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
import pytest

from addin.sheets import schema
from addin.workbook.files import FilesBook
from addin.workbook.live import LiveBook
from addin.workbook.reader.tables import typed_table
from tests.macros import shopbook
from tests.workbook.live import xlwings_windows
from tests.workbook.live.fake_xlwings import FakeBook


@pytest.fixture
def book(tmp_path):
    return shopbook.new_book(tmp_path)


def with_receiving(path, cells: dict[str, object], formats: dict[str, str] | None = None):
    """Receiving row 2 typed with `cells` (by column letter) on top of a plain receipt."""
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb["Receiving"]
    plain = {"A2": dt.datetime(2026, 1, 2), "B2": "PO-1", "C2": "Aurum", "D2": "CH-301",
             "E2": 2, "F2": 12.5, "H2": "Main Case", "I2": "Owned"}
    for ref, value in {**plain, **cells}.items():
        ws[ref] = value
    for ref, code in (formats or {}).items():
        ws[ref].number_format = code
    ws.tables["tblReceiving"].ref = "A1:L2"
    wb.save(path)


def both_read(path):
    """Row 2 of Receiving as each adapter hands it over, and each one's typed problems."""
    with FilesBook.open(path) as files:
        on_file = files.read_table(schema.RECEIVING)
    in_excel = LiveBook(FakeBook.open(path)).read_table(schema.RECEIVING)
    problems = [[str(p) for p in typed_table(raw, schema.RECEIVING).problems]
                for raw in (on_file, in_excel)]
    return on_file.body[0], in_excel.body[0], problems


def test_an_na_error_reads_none_in_xlwings_and_both_adapters_say_the_cell_is_blank(book):
    with_receiving(book, {"F2": "#N/A"})
    assert FakeBook.open(book).sheets["Receiving"].range("F2").value is None
    on_file, in_excel, (files_said, excel_said) = both_read(book)
    assert on_file[5] is None and in_excel[5] is None
    assert excel_said == files_said == [
        "Receiving row 2, column Unit Cost: Unit Cost is blank; type the amount"]


def test_a_time_only_cell_reads_as_a_datetime_on_excels_day_zero(book):
    with_receiving(book, {"A2": dt.time(9, 30)})
    assert FakeBook.open(book).sheets["Receiving"].range("A2").value == \
        dt.datetime(1899, 12, 30, 9, 30)
    on_file, in_excel, (files_said, excel_said) = both_read(book)
    assert on_file[0] == in_excel[0] == dt.datetime(1899, 12, 30, 9, 30)
    assert excel_said == files_said and "column Date" in excel_said[0]


def test_a_currency_formatted_number_reads_as_decimal_and_posts_the_same_cost(book):
    with_receiving(book, {"F2": 12.5}, {"F2": '"$"#,##0.00'})
    assert FakeBook.open(book).sheets["Receiving"].range("F2").value == Decimal("12.5")
    on_file, in_excel, (files_said, excel_said) = both_read(book)
    assert (on_file[5], in_excel[5]) == (12.5, Decimal("12.5"))
    assert excel_said == files_said == []
    with FilesBook.open(book) as files:
        on_file = typed_table(files.read_table(schema.RECEIVING), schema.RECEIVING).frame
    in_excel = typed_table(LiveBook(FakeBook.open(book)).read_table(schema.RECEIVING),
                           schema.RECEIVING).frame
    assert on_file["Unit Cost"].tolist() == in_excel["Unit Cost"].tolist() == [12.5]


@pytest.mark.parametrize("blank", [np.nan, pd.NaT, None], ids=["NaN", "NaT", "None"])
def test_writing_nan_or_nat_blanks_the_cell(book, tmp_path, blank):
    fake = FakeBook.open(book)
    cell = fake.sheets["Ledger"].range("J2")
    cell.value = 5.0
    cell.value = [[blank]]
    ws = openpyxl.load_workbook(fake.save_copy(tmp_path / "after.xlsm"))["Ledger"]
    assert ws["J2"].value is None


def test_numpy_numbers_are_written_as_numbers(book, tmp_path):
    fake = FakeBook.open(book)
    fake.sheets["Ledger"].range("J2").value = [[np.int64(7), np.float32(2.5)]]
    ws = openpyxl.load_workbook(fake.save_copy(tmp_path / "after.xlsm"))["Ledger"]
    assert (ws["J2"].value, ws["K2"].value) == (7, 2.5)


def test_text_into_a_text_formatted_cell_stays_text(book, tmp_path):
    fake = FakeBook.open(book)
    sheet = fake.sheets["Ledger"]
    sheet.range("J2:K2").number_format = "@"
    sheet.range("L2").number_format = "General"
    sheet.range("J2").value = [["00123", "=1+1", "00123"]]
    ws = openpyxl.load_workbook(fake.save_copy(tmp_path / "after.xlsm"))["Ledger"]
    assert (ws["J2"].value, ws["K2"].value, ws["L2"].value) == ("00123", "=1+1", 123)


def test_the_live_adapter_keeps_a_serial_of_digits_as_typed(book):
    """Loupe marks every string it writes as text, so the Text format does not matter."""
    fake = FakeBook.open(book)
    live = LiveBook(fake)
    receipt = [dt.datetime(2026, 1, 2), "00123", "Aurum", "CH-301", 1, 12.5, "000457",
               "Main Case", "Owned", None, None, None]
    live.append_rows(schema.RECEIVING, [receipt])
    live.save()
    row = LiveBook(fake).read_table(schema.RECEIVING).body[0]
    assert (row[1], row[6]) == ("00123", "000457")


def test_xlwings_splits_big_reads_and_writes_and_the_stand_in_counts_each_call():
    # xlwings' own budgets, as its source says them
    assert FakeBook(openpyxl.Workbook(), "x.xlsx").max_cells_per_read == 4_000_000
    assert FakeBook(openpyxl.Workbook(), "x.xlsx", mac=True).max_cells_per_read == 1_500_000
    assert FakeBook(openpyxl.Workbook(), "x.xlsx").max_cells_per_write == 100_000
    fake = FakeBook(openpyxl.Workbook(), "x.xlsx")
    fake.max_cells_per_read, fake.max_cells_per_write = 12, 12
    sheet = fake.sheets[0]
    sheet.range("A1").value = [[i, i, i] for i in range(10)]  # 30 cells, 4 rows a call
    assert fake.trips.values == 3
    fake.trips.reset()
    assert len(sheet.range("A1:C10").value) == 10
    assert fake.trips.values == 3
    fake.trips.reset()
    sheet.range("A1:C10").value = 0  # a scalar fills the range in one call
    assert fake.trips.values == 1


def test_the_stand_in_runs_xlwings_own_conversion_code():
    assert xlwings_windows.SOURCE.name == "_xlwindows.py"
    assert xlwings_windows.CELL_ERRORS[-2146826246] == "#N/A"
    assert xlwings_windows.to_com(np.int64(3)) == 3.0
    assert xlwings_windows.to_com(float("nan")) == ""
    assert xlwings_windows.from_com(-2146826246) is None
