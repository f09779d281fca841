"""The live adapter on the xlwings stand-in: bulk reads and writes, text kept as text.

Each test opens a real shop book (the template, typed into with openpyxl), works on it
through `LiveBook` as a button would in Excel, then saves what "Excel" holds and reads it
back with openpyxl, independently of the adapter.
"""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest

from addin.core.errors import BookError
from addin.sheets import schema
from addin.workbook.live import LiveBook
from tests.macros import shopbook
from tests.macros.shopbook import day
from tests.macros.test_fractions_of_a_cent import OLD_BOOK
from tests.workbook.files.test_files_write import AGE, MARGIN
from tests.workbook.live.fake_xlwings import FakeBook
from tests.workbook.reports import small_layout

RECEIPT = [day("2026-01-10"), "PO-1", "Aurum", "CH-301", 2, 12.5, None, "Main Case", "Owned",
           "=not a formula", None, None]


@pytest.fixture
def book(tmp_path):
    return shopbook.new_book(tmp_path)


def opened(path):
    fake = FakeBook.open(path)
    return fake, LiveBook(fake)


def saved(fake, tmp_path, name="after.xlsm"):
    return fake.save_copy(tmp_path / name)


def table_ref(path, sheet: schema.Sheet) -> str:
    wb = openpyxl.load_workbook(path, keep_vba=True)
    return wb[sheet.name].tables[sheet.table].ref


def test_a_table_is_read_once_with_the_values_xlwings_gives(book):
    shopbook.type_rows(book, schema.RECEIVING, [RECEIPT])
    fake, live = opened(book)
    raw = live.read_table(schema.RECEIVING)
    assert raw.header == list(schema.RECEIVING.headers)
    assert raw.first_row == 2
    assert raw.body == [[dt.datetime(2026, 1, 10), "PO-1", "Aurum", "CH-301", 2.0, 12.5, None,
                         "Main Case", "Owned", "=not a formula", None, None]]
    live.read_table(schema.RECEIVING)
    assert fake.trips.values == 1


def test_scattered_status_cells_go_out_as_one_write(book, tmp_path):
    rows = [[day("2026-01-10"), f"PO-{i}", "Aurum", "CH-301", 1, 5.0, None, "Main Case",
             "Owned", f"note {i}", "Error: old", None] for i in range(1000)]
    shopbook.type_rows(book, schema.RECEIVING, rows)
    fake, live = opened(book)
    picked = range(2, 1002, 3)  # every third Excel row
    live.write_cells(schema.RECEIVING, {"Status": {r: "Posted" for r in picked},
                                        "Ledger Ref": {r: f"E{r}" for r in picked}})
    assert fake.trips.values == 1  # only the read: writes wait for save()
    live.save()
    assert fake.trips.values == 2
    after = {r["_row"]: r for r in shopbook.read_rows(saved(fake, tmp_path), schema.RECEIVING)}
    assert [after[r]["Status"] for r in (2, 3, 4, 5)] == ["Posted", "Error: old", "Error: old",
                                                          "Posted"]
    assert after[1001]["Ledger Ref"] == "E1001" and after[1000]["Ledger Ref"] is None
    assert after[3]["Note"] == "note 1" and len(after) == 1000


def test_text_that_excel_would_turn_into_a_formula_or_number_stays_text(book, tmp_path):
    tricky = ["=HYPERLINK(\"http://x\")", "+1 555 0100", "-5", "@home", "00123",
              "1234567890123456", "TRUE", "2026-03-01"]
    fake, live = opened(book)
    rows = [[i + 1, dt.datetime(2026, 3, 1, 17), dt.datetime(2026, 3, 1), "RECEIPT", text,
             "CH-301", None, 1, 5.0, 0, "Main Case", text, 0, None, text]
            for i, text in enumerate(tricky)]
    live.append_rows(schema.LEDGER, rows)
    live.save()
    ws = openpyxl.load_workbook(saved(fake, tmp_path), keep_vba=True)["Ledger"]
    for r, text in enumerate(tricky, start=2):
        for col in ("E", "L", "O"):  # Doc, Party, Hash
            assert (ws[f"{col}{r}"].value, ws[f"{col}{r}"].data_type) == (text, "s")


def test_the_stand_in_does_what_excel_does_with_unmarked_text(book, tmp_path):
    # Without the adapter's apostrophe these would not survive: the check above can fail.
    fake, _ = opened(book)
    fake.sheets["Ledger"].range("E2:H2").number_format = "General"
    fake.sheets["Ledger"].range("E2").value = [["=1+1", "00123", "TRUE", "'=1+1"]]
    ws = openpyxl.load_workbook(saved(fake, tmp_path), keep_vba=True)["Ledger"]
    assert [ws[c].value for c in ("E2", "F2", "G2", "H2")] == ["=1+1", 123, True, "=1+1"]
    assert [ws[c].data_type for c in ("E2", "H2")] == ["f", "s"]


def test_appends_fill_the_templates_blank_row_then_grow_the_table_once(book, tmp_path):
    fake, live = opened(book)
    assert table_ref(book, schema.LEDGER) == "A1:O2"
    entry = [None, dt.datetime(2026, 3, 1, 17), dt.datetime(2026, 3, 1), "RECEIPT", "PO-1",
             "CH-301", None, 1, 5.0, 0, "Main Case", None, 0, None, "abc"]
    live.append_rows(schema.LEDGER, [[n, *entry[1:]] for n in (1, 2, 3)])
    live.save()
    assert fake.trips.log[-3:] == ["table: resize tblLedger to $A$1:$O$4",
                                   "value: write Ledger!$A$2",
                                   "format: Ledger!$I$2:$J$4 #,##0.00##"]  # Unit Cost, Price
    live.append_rows(schema.LEDGER, [[n, *entry[1:]] for n in (4, 5)])
    live.save()
    path = saved(fake, tmp_path)
    assert table_ref(path, schema.LEDGER) == "A1:O6"
    assert [r["Entry"] for r in shopbook.read_rows(path, schema.LEDGER)] == [1, 2, 3, 4, 5]


def test_a_unit_cost_written_into_a_2_decimal_column_shows_to_4_decimals(tmp_path):
    # The earlier template formatted Unit Cost as money (#,##0.00), and Excel gives a row
    # a Table grows by the format of the row above: 0.125 would show as 0.13.
    path = tmp_path / "old.xlsm"
    shutil.copyfile(OLD_BOOK, path)
    fake, live = opened(path)
    fake.sheets["Ledger"].range("I9:I10").number_format = "#,##0.00"  # as Excel would
    entry = [8, dt.datetime(2026, 3, 1, 17), dt.datetime(2026, 3, 1), "RECEIPT", "INV-80",
             "JR-500", None, 1000, 0.125, 0, "Main Case", "Findings Co", 0, None, "abc"]
    live.append_rows(schema.LEDGER, [entry, [9, *entry[1:7], 10, 12.5, *entry[9:]]])
    live.save()
    ws = openpyxl.load_workbook(saved(fake, tmp_path), keep_vba=True)["Ledger"]
    assert [(ws[f"I{r}"].value, ws[f"I{r}"].number_format) for r in (8, 9, 10)] == [
        (0, "#,##0.00"),  # the row above (a sale), as it was
        (0.125, "#,##0.00##"), (12.5, "#,##0.00##")]  # shows 0.125 and 12.50


def test_replacing_rows_resizes_clears_what_is_left_and_fills_formulas(book, tmp_path):
    fake, live = opened(book)
    piece = ["LP-000001N", "RG-101", None, None, None, None, None, None, 800.0, 1999.99,
             dt.datetime(2026, 1, 10), "Aurum", "Main Case", "In Stock", None, None, None, None,
             "E2801160600002"]
    live.replace_rows(schema.ITEMS, [piece] + [[f"LP-00000{n}X", *piece[1:]] for n in (2, 3)])
    live.save()
    path = saved(fake, tmp_path, "three.xlsm")
    assert table_ref(path, schema.ITEMS) == "A1:S4"
    ws = openpyxl.load_workbook(path, keep_vba=True)["Items"]
    assert ws["Q3"].value == AGE and ws["R4"].value == MARGIN
    live.replace_rows(schema.ITEMS, [piece])
    live.save()
    path = saved(fake, tmp_path, "one.xlsm")
    ws = openpyxl.load_workbook(path, keep_vba=True)["Items"]
    assert table_ref(path, schema.ITEMS) == "A1:S2"
    assert ws["A2"].value == "LP-000001N"
    assert all(ws.cell(r, c).value is None for r in (3, 4) for c in range(1, 20))
    live.replace_rows(schema.ITEMS, [])
    live.save()
    path = saved(fake, tmp_path, "none.xlsm")
    assert table_ref(path, schema.ITEMS) == "A1:S2"
    assert shopbook.read_rows(path, schema.ITEMS) == []


def test_nothing_reaches_excel_before_save(book, tmp_path):
    shopbook.type_rows(book, schema.RECEIVING, [RECEIPT])
    before = shopbook.read_rows(book, schema.RECEIVING)
    fake, live = opened(book)
    live.write_cells(schema.RECEIVING, {"Status": {2: "Posted"}})
    live.append_rows(schema.RECEIVING, [RECEIPT])
    assert live.waiting == 4 and live.writes_sent == 0  # Status; resize, row, its Unit Cost format
    assert shopbook.read_rows(saved(fake, tmp_path, "untouched.xlsm"), schema.RECEIVING) == before
    assert live.read_table(schema.RECEIVING).body[0][10] == "Posted"  # the press sees its edits
    live.save()
    after = shopbook.read_rows(saved(fake, tmp_path), schema.RECEIVING)
    assert [r["Status"] for r in after] == ["Posted", None] and live.writes_sent == 4


def test_columns_are_found_by_header_and_the_owners_column_is_left_alone(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Receiving"
    headers = list(reversed(schema.RECEIVING.headers))
    headers.insert(3, "My Notes")
    ws.append(headers)
    for i in range(3):
        row = dict(zip(schema.RECEIVING.headers, RECEIPT, strict=True))
        row["Doc"], row["My Notes"] = f"PO-{i}", f"mine {i}"
        ws.append([row[h] for h in headers])
    ws.add_table(openpyxl.worksheet.table.Table(displayName="Deliveries", ref="A1:M4"))
    wb.save(tmp_path / "own.xlsx")
    fake, live = opened(tmp_path / "own.xlsx")
    assert [r[headers.index("Doc")] for r in live.read_table(schema.RECEIVING).body] == [
        "PO-0", "PO-1", "PO-2"]
    live.write_cells(schema.RECEIVING, {"Status": {2: "Posted"}, "Doc": {4: "PO-9"}})
    live.replace_rows(schema.RECEIVING, [RECEIPT[:1] + ["PO-7"] + RECEIPT[2:]])
    live.save()
    ws = openpyxl.load_workbook(saved(fake, tmp_path, "own-after.xlsx"))["Receiving"]
    assert [ws.cell(r, 4).value for r in (2, 3, 4)] == ["mine 0", "mine 1", "mine 2"]
    assert ws.cell(2, headers.index("Doc") + 1).value == "PO-7"
    assert ws.cell(3, headers.index("Doc") + 1).value is None
    assert ws.tables["Deliveries"].ref == "A1:M2"


def test_a_missing_sheet_or_a_row_outside_the_table_is_named(book, tmp_path):
    wb = openpyxl.load_workbook(book, keep_vba=True)
    del wb["Counts"]
    wb["Sales"].tables["tblSales"].displayName = "MySales"
    wb.save(book)
    fake, live = opened(book)
    with pytest.raises(BookError, match="no Counts sheet"):
        live.read_table(schema.COUNTS)
    assert live.read_table(schema.SALES).header == list(schema.SALES.headers)
    with pytest.raises(BookError, match="Sales row 9 is outside the MySales table"):
        live.write_cells(schema.SALES, {"Status": {9: "Posted"}})


def test_a_report_never_lands_on_a_data_sheet_and_rows_must_fit_the_schema(book):
    fake, live = opened(book)
    with pytest.raises(BookError, match="items is a data sheet"):
        live.write_report(small_layout("items"))
    with pytest.raises(BookError, match="holds one of"):
        live.write_report(small_layout("On/Hand"))
    with pytest.raises(ValueError, match="Receiving rows must have 12 cells"):
        live.append_rows(schema.RECEIVING, [RECEIPT[:5]])
    assert live.waiting == 0


def test_rows_typed_under_the_table_are_taken_into_it(book, tmp_path):
    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb["Receiving"]
    first = int(table_ref(book, schema.RECEIVING).split(":")[1][1:]) + 1
    for c, v in enumerate(RECEIPT[:9], start=1):  # typed under the table, one row left blank
        ws.cell(first, c).value = v
        ws.cell(first + 2, c).value = v
    ws.cell(first + 2, 2).value = "PO-2"
    wb.save(book)
    fake, live = opened(book)
    raw = live.read_table(schema.RECEIVING)
    docs = [r[1] for r in raw.body]
    assert docs[-3:] == ["PO-1", None, "PO-2"]
    live.save()
    after = saved(fake, tmp_path)
    assert table_ref(after, schema.RECEIVING) == f"A1:L{first + 2}"


def merged_invoice(path) -> int:
    """PO-60 typed once in Date and Doc, merged down its three lines at the end of Receiving
    (in a new book: rows 2-4); returns the first of them."""
    shopbook.type_rows(path, schema.RECEIVING, [
        [day("2026-02-20"), "PO-60", "Aurum", "CH-301", 2, 5.0],
        [None, None, "Aurum", "ST-401", 3, 2.0],
        [None, None, "Aurum", "ST-401", 1, 2.0],
    ])
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb["Receiving"]
    last = int(ws.tables["tblReceiving"].ref.split(":")[1][1:])
    for column in ("A", "B"):
        ws.merge_cells(f"{column}{last - 2}:{column}{last}")
    wb.save(path)
    return last - 2


def test_a_merged_date_and_doc_read_as_their_value_on_every_line(book, tmp_path):
    merged_invoice(book)
    fake, live = opened(book)
    raw = live.read_table(schema.RECEIVING)
    assert [r[:4] for r in raw.body] == [
        [dt.datetime(2026, 2, 20), "PO-60", "Aurum", "CH-301"],
        [dt.datetime(2026, 2, 20), "PO-60", "Aurum", "ST-401"],
        [dt.datetime(2026, 2, 20), "PO-60", "Aurum", "ST-401"],
    ]
    live.write_cells(schema.RECEIVING, {"Status": {2: "Posted", 3: "Posted", 4: "Posted"}})
    live.save()
    ws = openpyxl.load_workbook(saved(fake, tmp_path))["Receiving"]
    assert {str(m) for m in ws.merged_cells.ranges} == {"A2:A4", "B2:B4"}  # still merged
    assert [ws.cell(r, 11).value for r in (2, 3, 4)] == ["Posted"] * 3


def test_a_table_without_merged_cells_costs_one_call_to_know_it(book):
    shopbook.type_rows(book, schema.RECEIVING, [RECEIPT[:9]] * 50)
    fake, live = opened(book)
    live.read_table(schema.RECEIVING)
    asked = [line for line in fake.trips.log if line.startswith("merge")]
    assert len(asked) == 1 and "merge_cells" in asked[0]
