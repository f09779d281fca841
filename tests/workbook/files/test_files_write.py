"""Writing into a saved book: only the cells asked for change, typed and styled as Excel
would have them, and every part Loupe does not own comes through byte for byte."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from addin.core.errors import BookError
from addin.sheets import schema
from addin.workbook.files import FilesBook

D = dt.datetime
NEW_ENTRY = [
    3,
    D(2024, 3, 1, 9, 0),
    D(2024, 3, 1),
    "RECEIPT",
    "R-100",
    "RG-101",
    "LP-0000033",
    1,
    420.0,
    None,
    "Main Case",
    None,
    None,
    None,
    "f00d",
]
SALE = [
    D(2024, 3, 5),
    "T-1",
    "LP-0000017",
    "RG-101",
    1,
    950.0,
    "Ann",
    "Main Case",
    "Sale",
    None,
    None,
]


def edit(path: Path, change) -> None:
    with FilesBook.open(path) as book:
        change(book)
        book.save()


def load(path: Path):
    return openpyxl.load_workbook(path, keep_vba=True)


def row_values(ws, row: int) -> list:
    return [c.value for c in ws[row]]


# -- Status and Ledger Ref into existing rows --------------------------------------------


def test_statuses_and_refs_land_in_their_rows_only(any_book):
    edit(
        any_book,
        lambda b: b.write_cells(
            schema.RECEIVING,
            {
                "Status": {2: "Posted", 4: "Error: Qty: '12' is text; type a number"},
                "Ledger Ref": {2: "3"},
            },
        ),
    )
    ws = load(any_book)["Receiving"]
    assert row_values(ws, 2)[9:] == ["first ring", "Posted", "3"]
    assert row_values(ws, 3)[9:] == ["=SUM(A1) typed as a note", None, None]
    assert row_values(ws, 4)[:5] == ["2024-03-04", "R-102", "Bravo", "EA-200", "12"]
    assert row_values(ws, 4)[10:] == ["Error: Qty: '12' is text; type a number", None]
    assert ws["L2"].data_type == "s"  # a ref that looks like a number stays text


def test_clearing_a_cell_keeps_its_format(book):
    edit(book, lambda b: b.write_cells(schema.RECEIVING, {"Unit Cost": {2: None}}))
    ws = load(book)["Receiving"]
    assert ws["F2"].value is None and ws["F2"].number_format == "#,##0.00##"
    assert ws["F3"].value == 12.25


def test_a_row_outside_the_table_is_refused(book):
    with FilesBook.open(book) as b, pytest.raises(BookError, match="row 9 is outside"):
        b.write_cells(schema.RECEIVING, {"Status": {9: "Posted"}})


def test_a_renamed_header_is_named_with_the_fix(book, tmp_path):
    wb = load(book)
    wb["Receiving"]["E1"] = "Quantity"
    wb["Receiving"].tables["tblReceiving"].tableColumns[4].name = "Quantity"
    wb.save(book)
    with FilesBook.open(book) as b:
        b.write_cells(schema.RECEIVING, {"Status": {2: "Posted"}})  # still fine
        with pytest.raises(BookError, match="no column 'Qty'.*put the header back"):
            b.append_rows(schema.RECEIVING, [[None] * 12])


# -- appending ---------------------------------------------------------------------------


def test_appended_ledger_rows_read_back_typed_and_formatted(any_book):
    edit(any_book, lambda b: b.append_rows(schema.LEDGER, [NEW_ENTRY]))
    ws = load(any_book)["Ledger"]
    assert ws.tables["tblLedger"].ref == "A1:O4"
    assert row_values(ws, 4) == [
        3,
        D(2024, 3, 1, 9, 0),
        D(2024, 3, 1),
        "RECEIPT",
        "R-100",
        "RG-101",
        "LP-0000033",
        1,
        420,
        None,
        "Main Case",
        None,
        None,
        None,
        "f00d",
    ]
    assert [c.number_format for c in ws[4]] == [c.number_format for c in ws[3]]
    assert ws["B4"].number_format == "yyyy-mm-dd hh:mm" and ws["I4"].number_format == "#,##0.00##"


def test_the_first_rows_fill_an_empty_tables_blank_row(book):
    edit(book, lambda b: b.append_rows(schema.SALES, [SALE, SALE]))
    ws = load(book)["Sales"]
    assert ws.tables["tblSales"].ref == "A1:K3"
    assert ws.tables["tblSales"].autoFilter.ref == "A1:K3"
    assert (
        row_values(ws, 2)
        == row_values(ws, 3)
        == [
            D(2024, 3, 5),
            "T-1",
            "LP-0000017",
            "RG-101",
            1,
            950,
            "Ann",
            "Main Case",
            "Sale",
            None,
            None,
        ]
    )
    assert ws["A3"].number_format == "yyyy-mm-dd" and ws["F3"].number_format == "#,##0.00##"


def test_appends_in_one_run_follow_each_other_and_read_back_before_saving(book):
    second = [4] + NEW_ENTRY[1:]
    with FilesBook.open(book) as b:
        b.append_rows(schema.LEDGER, [NEW_ENTRY])
        b.append_rows(schema.LEDGER, [second])
        raw = b.read_table(schema.LEDGER)
        assert [r[0] for r in raw.body] == [1.0, 2.0, 3.0, 4.0]
        assert raw.body[3][1] == D(2024, 3, 1, 9, 0)
        b.save()
    assert load(book)["Ledger"].tables["tblLedger"].ref == "A1:O5"


def test_dropdowns_follow_the_table_down(book):
    edit(
        book,
        lambda b: b.append_rows(
            schema.RECEIVING,
            [
                [
                    D(2024, 3, 9),
                    "R-103",
                    "Acme",
                    "RG-101",
                    1,
                    400.0,
                    None,
                    "Vault",
                    "Owned",
                    None,
                    None,
                    None,
                ]
            ]
            * 2,
        ),
    )
    ws = load(book)["Receiving"]
    assert ws.tables["tblReceiving"].ref == "A1:L6"
    assert [str(dv.sqref) for dv in ws.data_validations.dataValidation] == ["I2:I6"]


def test_the_sheet_dimension_grows_so_streaming_readers_see_new_rows(book):
    edit(book, lambda b: b.append_rows(schema.LEDGER, [NEW_ENTRY] * 5))
    # the Ledger keeps no dimension (its part then changes only where rows are added):
    # a streaming reader reads every row all the same
    ws = openpyxl.load_workbook(book, read_only=True)["Ledger"]
    assert len(list(ws.iter_rows(values_only=True))) == 8
    assert len(pd.read_excel(book, sheet_name="Ledger", engine="openpyxl")) == 7
    receiving_row = [dt.datetime(2024, 3, 9), "R-9", "Acme", "RG-101", 1, 10.0, None,
                     "Main Case", "Owned", None, None, None]
    edit(book, lambda b: b.append_rows(schema.RECEIVING, [receiving_row] * 5))
    ws = openpyxl.load_workbook(book, read_only=True)["Receiving"]
    assert ws.max_row == len(list(ws.iter_rows(values_only=True)))


def test_cells_under_the_table_stop_it_growing_over_them(book):
    wb = load(book)
    wb["Ledger"]["C6"] = "owner's scribble"
    wb.save(book)
    with FilesBook.open(book) as b, pytest.raises(BookError, match="row 6, under its table"):
        b.append_rows(schema.LEDGER, [NEW_ENTRY] * 3)
    edit(book, lambda b: b.append_rows(schema.LEDGER, [NEW_ENTRY] * 2))  # rows 4-5 are free
    assert load(book)["Ledger"]["C6"].value == "owner's scribble"


def test_rows_of_the_wrong_width_are_a_programming_error(book):
    with FilesBook.open(book) as b, pytest.raises(ValueError, match="must have 15 cells"):
        b.append_rows(schema.LEDGER, [NEW_ENTRY[:-1]])


# -- text stays text ---------------------------------------------------------------------

TRICKY = [
    "=SUM(A1)",
    "+44 20 7946",
    "-5 off",
    "@home",
    "<b>bold</b> & \"quoted\" 'x'",
    "  padded  ",
    "line one\nline two\ttabbed",
    "_x0041_ stays",
    "emoji 💍 ok",
]


def test_text_that_looks_like_a_formula_or_markup_stays_exactly_that_text(book):
    rows = [SALE[:6] + [t] + SALE[7:] for t in TRICKY]
    with FilesBook.open(book) as b:
        b.append_rows(schema.SALES, rows)
        b.save()
        assert [r[6] for r in b.read_table(schema.SALES).body] == TRICKY
    ws = load(book)["Sales"]
    for r, text in enumerate(TRICKY[:7] + TRICKY[8:], 2):
        cell = ws.cell(r if r < 9 else r + 1, 7)
        assert cell.value == text and cell.data_type == "s"


def test_characters_xml_cannot_hold_are_written_as_excel_escapes_them_and_read_back(book):
    typed = "bell\x07 ring\x00 \x1f#7 _x0041_"
    with FilesBook.open(book) as b:
        b.write_cells(schema.RECEIVING, {"Note": {2: typed}})
        b.save()
        assert b.read_table(schema.RECEIVING).body[0][9] == typed
    # openpyxl shows the cell's stored form: Excel's escapes, which Excel itself decodes
    assert load(book)["Receiving"]["J2"].value == "bell_x0007_ ring_x0000_ _x001F_#7 _x005F_x0041_"


def test_dates_get_a_date_format_and_numbers_lose_one(book):
    edit(
        book,
        lambda b: b.write_cells(
            schema.RECEIVING, {"Note": {2: D(2024, 5, 6)}, "Date": {3: 45000.5}}
        ),
    )
    with FilesBook.open(book) as b:
        body = b.read_table(schema.RECEIVING).body
    assert body[0][9] == D(2024, 5, 6)
    assert body[1][0] == 45000.5
    ws = load(book)["Receiving"]
    assert ws["J2"].is_date and not ws["A3"].is_date
    assert ws["A2"].is_date  # the untouched row keeps its own format


def test_booleans_and_decimals(book):
    from decimal import Decimal

    edit(book, lambda b: b.write_cells(schema.SETTINGS, {"Value": {2: True, 3: Decimal("12.50")}}))
    ws = load(book)["Settings"]
    assert ws["B2"].value is True
    assert ws["B3"].value == 12.5


# -- replacing a whole table -------------------------------------------------------------

# The Items formulas as Excel stores them, written out by hand.
AGE = ('=IF(tblItems[[#This Row],[Received]]="","",IF(tblItems[[#This Row],[Sold Date]]="",'
       'AsOfDate,tblItems[[#This Row],[Sold Date]])-tblItems[[#This Row],[Received]])')
MARGIN = ('=IF(tblItems[[#This Row],[Sold Price]]="","",'
          'tblItems[[#This Row],[Sold Price]]-tblItems[[#This Row],[Cost]])')


def test_replaced_items_get_their_formulas_and_the_table_fits(book, kit):
    items = kit.SAMPLE_ROWS["Items"]
    edit(book, lambda b: b.replace_rows(schema.ITEMS, items + [items[0], items[1]]))
    ws = load(book)["Items"]
    assert ws.tables["tblItems"].ref == "A1:S5"
    assert [ws.cell(r, 17).value for r in range(2, 6)] == [AGE] * 4
    assert [ws.cell(r, 18).value for r in range(2, 6)] == [MARGIN] * 4
    assert row_values(ws, 5)[:3] == ["LP-0000025", "RG-101", "Solitaire ring"]
    assert ws["K5"].number_format == "yyyy-mm-dd"
    workbook_xml = zipfile.ZipFile(book).read("xl/workbook.xml").decode()
    assert re.search(r'<calcPr[^>]*fullCalcOnLoad="1"', workbook_xml)


def test_a_shrinking_table_clears_the_rows_it_gives_up(book, kit):
    items = kit.SAMPLE_ROWS["Items"]
    edit(book, lambda b: b.replace_rows(schema.ITEMS, items * 2))
    edit(book, lambda b: b.replace_rows(schema.ITEMS, [items[1]]))
    ws = load(book)["Items"]
    assert ws.tables["tblItems"].ref == "A1:S2"
    assert row_values(ws, 2)[0] == "LP-0000025"
    assert all(v is None for r in range(3, 6) for v in row_values(ws, r))
    with FilesBook.open(book) as b:
        assert len(b.read_table(schema.ITEMS).body) == 1


def test_a_row_holding_only_formulas_counts_as_blank_when_appending(book, kit):
    edit(book, lambda b: b.replace_rows(schema.ITEMS, [[None] * len(schema.ITEMS.headers)]))
    assert load(book)["Items"]["Q2"].value == AGE
    edit(book, lambda b: b.append_rows(schema.ITEMS, kit.SAMPLE_ROWS["Items"][:1]))
    ws = load(book)["Items"]
    assert ws.tables["tblItems"].ref == "A1:S2"
    assert ws["A2"].value == "LP-0000017" and ws["Q2"].value == AGE


def test_replacing_with_nothing_leaves_one_blank_row(book):
    edit(book, lambda b: b.replace_rows(schema.RECEIVING, []))
    ws = load(book)["Receiving"]
    assert ws.tables["tblReceiving"].ref == "A1:L2"
    with FilesBook.open(book) as b:
        assert b.read_table(schema.RECEIVING).body == [[None] * 12]


def test_replaced_rows_that_shift_keep_values_typed(book):
    with FilesBook.open(book) as b:
        raw = b.read_table(schema.RECEIVING)
        b.replace_rows(schema.RECEIVING, [raw.body[2], raw.body[0], raw.body[0]])
        b.save()
    with FilesBook.open(book) as b:
        body = b.read_table(schema.RECEIVING).body
    assert body == [raw.body[2], raw.body[0], raw.body[0]]  # "12" still text, dates dates


# -- what Loupe does not own -------------------------------------------------------------


def post_like_a_button(b: FilesBook) -> None:
    b.append_rows(schema.LEDGER, [NEW_ENTRY])
    b.write_cells(schema.RECEIVING, {"Status": {2: "Posted"}, "Ledger Ref": {2: "3"}})


def test_only_the_edited_sheets_and_table_change(any_book, kit):
    before = kit.parts_of(any_book)
    edit(any_book, post_like_a_button)
    after = kit.parts_of(any_book)
    changed = {n for n in before if before[n] != after.get(n)}
    assert set(after) == set(before)
    assert changed == {
        kit.sheet_part(any_book, "Ledger"),
        kit.sheet_part(any_book, "Receiving"),
        "xl/tables/table8.xml",
        "xl/workbook.xml",  # the Ledger's tip record
    }


def test_untouched_parts_are_copied_compressed_as_they_were(book, kit):
    with zipfile.ZipFile(book) as z:
        before = {i.filename: (i.CRC, i.compress_size, i.compress_type) for i in z.infolist()}
    edit(book, post_like_a_button)
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None
        after = {i.filename: (i.CRC, i.compress_size, i.compress_type) for i in z.infolist()}
        assert list(after) == list(before)  # same parts, same order
    for name in (
        kit.VBA_PART,
        kit.RIBBON_PART,
        kit.DRAWING_PART,
        kit.IMAGE_PART,
        "xl/styles.xml",
        kit.sheet_part(book, kit.OWNER_SHEET),
    ):
        assert after[name] == before[name], name


def test_vba_ribbon_comment_shape_and_picture_survive(book, kit):
    before = kit.parts_of(book)
    edit(book, post_like_a_button)
    after = kit.parts_of(book)
    for name in (
        kit.VBA_PART,
        kit.RIBBON_PART,
        kit.DRAWING_PART,
        kit.IMAGE_PART,
        "xl/drawings/_rels/drawing1.xml.rels",
        "xl/comments/comment1.xml",
    ):
        assert after[name] == before[name], name
    wb = load(book)
    owner = wb[kit.OWNER_SHEET]
    assert owner["A1"].value == "Owner's own list" and owner["B1"].value == 42
    assert owner["A2"].value == "=keep me as text" and owner["A2"].data_type == "s"
    assert owner["A1"].comment.text == "Call Acme about the late order"
    assert wb.vba_archive is not None
    assert wb.vba_archive.read(kit.VBA_PART) == before[kit.VBA_PART]


def test_nothing_written_until_save(book, kit):
    before = kit.parts_of(book)
    with FilesBook.open(book) as b:
        post_like_a_button(b)
    assert kit.parts_of(book) == before
