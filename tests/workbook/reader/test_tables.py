"""Reading typed tables: what a bookkeeper typed comes back typed, or named with its fix.

Raw tables are built two ways: as the adapters hand them over (floats for every number,
datetimes for dates, None for empty cells), and from real .xlsx files written by openpyxl
and read back by a tiny openpyxl reader (values only), the way a saved book arrives.
Expected values are worked out by hand in each test.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.table import Table

from addin.core import ledger
from addin.core.errors import BookError, LedgerTampered
from addin.core.ledger import chain
from addin.sheets import schema
from addin.workbook.port import RawTable
from addin.workbook.reader.tables import ledger_frame, typed_table

D = dt.datetime(2026, 3, 1)
RECV = schema.RECEIVING


def receiving(*rows: list, header: list | None = None, first_row: int = 2) -> RawTable:
    """Receiving rows in schema order, each padded with blanks to the header's width."""
    header = list(header or RECV.headers)
    body = [list(r) + [None] * (len(header) - len(r)) for r in rows]
    return RawTable("Receiving", header, body, first_row)


def good(**changes) -> list:
    """One good Receiving row (schema order), with some cells changed by header."""
    row = dict(zip(RECV.headers, [D, "PO-1", "Aurum", "CH-301", 3.0, 12.5, None,
                                  "Main Case", "Owned", None, None, None], strict=True))
    row.update(changes)
    return list(row.values())


def problems_of(t) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.message) for p in t.problems]


# --- the frame ----------------------------------------------------------------------------


def test_a_good_table_types_every_column_and_numbers_its_rows():
    t = typed_table(receiving(good(), good(Doc="PO-2", Qty=10.0, **{"Unit Cost": 4.0})), RECV)
    assert t.problems == [] and t.sheet_problems == [] and t.warnings == []
    f = t.frame
    assert list(f.columns) == [*RECV.headers, "_row"]
    assert list(f["_row"]) == [2, 3]
    assert list(f["Doc"]) == ["PO-1", "PO-2"]
    assert list(f["Qty"]) == [3, 10] and str(f["Qty"].dtype) == "Int64"
    assert list(f["Unit Cost"]) == [12.5, 4.0] and f["Unit Cost"].dtype == "float64"
    assert list(f["Date"]) == [pd.Timestamp("2026-03-01")] * 2
    assert f["Date"].dtype == "datetime64[ns]"
    assert list(f["Serial"]) == ["", ""]  # blank text is "", not None or NaN
    assert list(f["Ledger Ref"]) == ["", ""]


def test_columns_in_another_order_are_read_by_their_headers():
    order = ["Qty", "Style", "Date", *[h for h in RECV.headers if h not in ("Qty", "Style",
                                                                           "Date")]]
    row = dict(zip(RECV.headers, good(), strict=True))
    t = typed_table(receiving([row[h] for h in order], header=order), RECV)
    assert t.sheet_problems == [] and t.problems == []
    assert t.frame.loc[0, "Qty"] == 3 and t.frame.loc[0, "Style"] == "CH-301"
    assert list(t.frame.columns[:3]) == ["Date", "Doc", "Vendor"]  # schema order out


def test_blank_rows_are_skipped_wherever_they_are_and_rows_keep_their_numbers():
    t = typed_table(receiving(good(Doc="A"), [None] * 12, ["", "  ", None], good(Doc="B"),
                              [None] * 12, [None] * 12, first_row=5), RECV)
    assert t.problems == []
    assert list(t.frame["Doc"]) == ["A", "B"]
    assert list(t.frame["_row"]) == [5, 8]


def test_an_empty_table_gives_an_empty_frame_with_every_column():
    t = typed_table(receiving(), RECV)
    assert len(t.frame) == 0
    assert list(t.frame.columns) == [*RECV.headers, "_row"]


def test_a_bad_row_is_kept_with_the_bad_cell_blank():
    t = typed_table(receiving(good(Doc="A"), good(Doc="B", Qty="two"), good(Doc="C")), RECV)
    assert list(t.frame["Doc"]) == ["A", "B", "C"]
    assert t.frame["Qty"].isna().tolist() == [False, True, False]
    assert problems_of(t) == [(3, "Qty", "'two' is not a whole number")]


def test_a_problem_names_sheet_row_column_and_fix():
    t = typed_table(receiving(good(), good(Qty="2")), RECV)
    (p,) = t.problems
    assert str(p) == ("Receiving row 3, column Qty: '2' is a number stored as text; retype it "
                      "as a number (Excel: select the cell, then Convert to Number)")
    assert p.status.startswith("Error: Qty: '2' is a number stored as text")


def test_problems_come_in_sheet_order_row_then_column():
    t = typed_table(receiving(good(Qty="x", Date="y"), good(**{"Unit Cost": "z"})), RECV)
    assert [(p.row, p.column) for p in t.problems] == [(2, "Date"), (2, "Qty"),
                                                      (3, "Unit Cost")]


# --- headers ------------------------------------------------------------------------------


def test_a_missing_header_stops_the_sheet_and_says_what_to_add():
    header = [h for h in RECV.headers if h != "Terms"]
    t = typed_table(receiving(good()[:8] + good()[9:], header=header), RECV)
    (p,) = t.sheet_problems
    assert p.column == "Terms" and p.row is None
    assert "no 'Terms' column" in p.message and "add a column headed Terms" in p.fix
    assert list(t.frame["Terms"]) == [""]  # still a full frame
    assert t.problems == []  # no cell problems for a column not found


def test_a_renamed_header_is_named_with_the_header_it_should_be():
    header = ["Unit Cst" if h == "Unit Cost" else h for h in RECV.headers]
    t = typed_table(receiving(good(), header=header), RECV)
    (p,) = t.sheet_problems
    assert p.column == "Unit Cost"
    assert p.message == "the header 'Unit Cst' in column 6 of the table should read 'Unit Cost'"
    assert p.fix.startswith("rename it back to Unit Cost")
    assert t.warnings == []  # the renamed column is the problem, not also an extra column


def test_a_repeated_header_stops_the_sheet():
    header = [*RECV.headers, "Qty"]
    t = typed_table(receiving(good() + [5.0], header=header), RECV)
    (p,) = t.sheet_problems
    assert p.column == "Qty"
    assert "column 5 of the table and column 13 of the table" in p.message


def test_extra_columns_are_allowed_and_only_warned_about():
    header = [*RECV.headers, "Bin", None]
    t = typed_table(receiving(good() + ["B-7", None], header=header), RECV)
    assert t.sheet_problems == [] and t.problems == []
    assert [w.column for w in t.warnings] == ["Bin"]  # the empty, unheaded one says nothing
    assert "left alone" in t.warnings[0].message
    assert t.cells is not None and "Bin" not in t.frame and "Bin" not in t.cells


def test_an_unheaded_column_with_data_is_warned_about():
    t = typed_table(receiving(good() + ["stray"], header=[*RECV.headers, None]), RECV)
    assert t.sheet_problems == []
    assert ["column 13 of the table has data but no header" in w.message
            for w in t.warnings] == [True]


def test_header_case_and_spacing_do_not_matter_but_are_warned_about():
    header = ["  unit   COST " if h == "Unit Cost" else h for h in RECV.headers]
    t = typed_table(receiving(good(), header=header), RECV)
    assert t.sheet_problems == []
    assert t.frame.loc[0, "Unit Cost"] == 12.5
    assert [(w.column, w.fix) for w in t.warnings] == [("Unit Cost", "retype it as Unit Cost")]


# --- whole numbers ------------------------------------------------------------------------


@pytest.mark.parametrize("typed, message", [
    ("two", "'two' is not a whole number"),
    (2.5, "2.5 is not a whole number"),
    ("12", "'12' is a number stored as text"),
    (True, "TRUE is not a whole number"),
    (dt.datetime(2026, 1, 3), "2026-01-03 is a date, not a number"),
])
def test_qty_that_is_not_a_whole_number_is_a_problem(typed, message):
    t = typed_table(receiving(good(Qty=typed)), RECV)
    assert problems_of(t) == [(2, "Qty", message)]
    assert t.frame["Qty"].isna().all()


def test_whole_numbers_read_from_floats_and_ints():
    t = typed_table(receiving(good(Qty=3.0), good(Qty=7), good(Qty=-2.0)), RECV)
    assert t.problems == []
    assert list(t.frame["Qty"]) == [3, 7, -2]  # the sign is the models' business


# --- money --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, message", [
    ("cheap", "'cheap' is not an amount"),
    ("12.50", "'12.50' is a number stored as text"),
    ("$1,200.00", "'$1,200.00' is a number stored as text"),
    (False, "FALSE is not an amount"),
])
def test_unit_cost_that_is_not_an_amount_is_a_problem(typed, message):
    t = typed_table(receiving(good(**{"Unit Cost": typed})), RECV)
    assert problems_of(t) == [(2, "Unit Cost", message)]


def test_amounts_keep_their_decimals_until_posting_rounds_them_to_the_cent():
    t = typed_table(receiving(good(**{"Unit Cost": 12.345}), good(**{"Unit Cost": -4.0})), RECV)
    assert t.problems == []
    assert list(t.frame["Unit Cost"]) == [12.345, -4.0]


def test_a_number_too_large_to_be_right_is_a_problem_not_a_crash():
    t = typed_table(receiving(good(Qty=1e20, **{"Unit Cost": 5e15})), RECV)
    assert problems_of(t) == [(2, "Qty", "1e+20 is too large to be right"),
                              (2, "Unit Cost", "5e+15 is too large to be right")]


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, message", [
    ("2026-03-01", "'2026-03-01' is a date typed as text"),
    ("3/1/26", "'3/1/26' is a date typed as text"),
    ("31/12/2026", "'31/12/2026' is a date typed as text"),  # day first: a real day
    ("2026-13-05", "'2026-13-05' is not a real date: there is no month 13"),
    ("13/13/2026", "'13/13/2026' is not a real date: there is no month 13"),
    ("2026-02-30", "'2026-02-30' is not a real date: February 2026 has 28 days"),
    ("31/04/2026", "'31/04/2026' is not a real date: April 2026 has 30 days"),
    ("2024-02-29", "'2024-02-29' is a date typed as text"),  # a leap day is a real day
    ("3-Feb-26", "'3-Feb-26' is a date typed as text"),  # Excel's own d-mmm-yy shape
    ("Feb 3 2026", "'Feb 3 2026' is a date typed as text"),
    ("March 3", "'March 3' is not a date"),
    (12.0, "12 is not a date"),
    (True, "TRUE is not a date"),
    (dt.datetime(3026, 3, 1), "3026-03-01 is not a date Loupe can use"),
])
def test_a_date_that_is_not_a_date_is_a_problem(typed, message):
    t = typed_table(receiving(good(Date=typed)), RECV)
    assert problems_of(t) == [(2, "Date", message)]
    assert t.frame["Date"].isna().all()


def test_a_date_typed_as_text_is_told_to_be_retyped():
    (p,) = typed_table(receiving(good(Date="3/1/26")), RECV).problems
    assert "retype it so Excel stores a date" in p.fix


def test_dates_keep_the_day_and_drop_the_time():
    t = typed_table(receiving(good(Date=dt.datetime(2026, 3, 1, 17, 45)),
                              good(Date=dt.date(2026, 3, 2))), RECV)
    assert t.problems == []
    assert list(t.frame["Date"]) == [pd.Timestamp("2026-03-01"), pd.Timestamp("2026-03-02")]


def test_an_excel_date_serial_reads_as_its_date():
    # 45000 days after 1899-12-30 is 2023-03-15 (1900-03-01 is day 61; 2023-03-15 - 1900-03-01
    # = 44939 days).
    assert (dt.date(2023, 3, 15) - dt.date(1900, 3, 1)).days + 61 == 45000
    t = typed_table(receiving(good(Date=45000.0), good(Date=45000.75)), RECV)
    assert t.problems == []
    assert list(t.frame["Date"]) == [pd.Timestamp("2023-03-15")] * 2


def test_a_datetime_column_keeps_the_time_to_the_second():
    raw = RawTable("Ledger", list(schema.LEDGER.headers),
                   [[1.0, dt.datetime(2026, 3, 1, 9, 30, 15, 999_700), D, "RECEIPT"] +
                    [None] * 11], 2)
    t = typed_table(raw, schema.LEDGER)
    assert t.frame.loc[0, "Posted At"] == pd.Timestamp("2026-03-01 09:30:16")


# --- text ---------------------------------------------------------------------------------


def test_numbers_typed_into_text_columns_become_the_text_excel_shows():
    t = typed_table(receiving(good(Doc=1001.0, Serial=123456.0, Note=12.5, Vendor=True),
                              good(Doc="  PO-7  ", Note=dt.datetime(2026, 3, 1, 8, 5))), RECV)
    assert t.problems == []
    assert list(t.frame["Doc"]) == ["1001", "PO-7"]
    assert list(t.frame["Serial"]) == ["123456", ""]
    assert list(t.frame["Note"]) == ["12.5", "2026-03-01 08:05:00"]
    assert t.frame.loc[0, "Vendor"] == "TRUE"


def test_choices_match_any_case_and_spacing_and_keep_the_canonical_spelling():
    t = typed_table(receiving(good(Terms="memo"), good(Terms="  OWNED "), good(Terms=None)),
                    RECV)
    assert t.problems == []
    assert list(t.frame["Terms"]) == ["Memo", "Owned", ""]
    moves = RawTable("Movements", list(schema.MOVEMENTS.headers),
                     [[D, "X-1", "memo   out", None, "CH-301", 1.0] + [None] * 6], 2)
    assert typed_table(moves, schema.MOVEMENTS).frame.loc[0, "Kind"] == "Memo Out"


def test_a_value_not_among_the_choices_lists_them():
    (p,) = typed_table(receiving(good(Terms="Loan")), RECV).problems
    assert (p.column, p.message, p.fix) == ("Terms", "'Loan' is not a Terms choice",
                                           "use one of Owned, Memo")


def test_a_near_miss_choice_suggests_the_right_one_and_true_false_mean_yes_no():
    styles = RawTable("Styles", list(schema.STYLES.headers), [
        ["RG-101", None, "Rings", None, None, None, "Serialised", None, None, None, True],
        ["RG-102", None, "Rings", None, None, None, "Quantity", None, None, None, False],
    ], 2)
    t = typed_table(styles, schema.STYLES)
    assert [(p.row, p.column, p.message) for p in t.problems] == [
        (2, "Tracking", "'Serialised' is not a Tracking choice (did you mean Serialized?)")]
    assert list(t.frame["Active"]) == ["Yes", "No"]


def test_a_required_cell_left_blank_is_a_problem():
    t = typed_table(receiving(good(Style=None, Doc="   ")), RECV)
    assert problems_of(t) == [(2, "Doc", "Doc is blank"), (2, "Style", "Style is blank")]


def test_formula_columns_are_read_without_complaint():
    items = RawTable("Items", list(schema.ITEMS.headers),
                     [["LP-0000011", "RG-101"] + [None] * 14 + ["=TODAY()-K2", "#VALUE!"]], 2)
    t = typed_table(items, schema.ITEMS)
    assert t.problems == []
    assert pd.isna(t.frame.loc[0, "Age (days)"]) and np.isnan(t.frame.loc[0, "Margin"])


def test_the_raw_cells_come_back_as_typed_beside_the_frame():
    t = typed_table(receiving(good(Qty="two"), [None] * 12, good(Note="  keep  ")), RECV)
    assert list(t.cells["Qty"]) == ["two", 3.0]
    assert list(t.cells["Note"]) == [None, "  keep  "]


# --- real files ---------------------------------------------------------------------------


def write_book(path, sheet: schema.Sheet, header: list, rows: list[list]) -> None:
    """A one-table .xlsx as a person would leave it: typed cells under a header row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet.name
    ws.append(header)
    for r in rows:
        ws.append(r)
    last = openpyxl.utils.get_column_letter(len(header))
    ws.add_table(Table(displayName=sheet.table, ref=f"A1:{last}{len(rows) + 1}"))
    wb.save(path)


def read_book(path, sheet: schema.Sheet) -> RawTable:
    """A tiny reader: the table's cells as openpyxl hands them back (values only)."""
    ws = openpyxl.load_workbook(path)[sheet.name]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    return RawTable(sheet.name, values[0], values[1:], 2)


def test_a_real_file_reads_back_typed_with_its_problems(tmp_path):
    path = tmp_path / "receiving.xlsx"
    write_book(path, RECV, list(RECV.headers), [
        [dt.datetime(2026, 3, 1), "PO-1", "Aurum", "CH-301", 3, 12.1, None, "Main Case", "Owned"],
        [None] * 12,
        [dt.datetime(2026, 3, 2), 1001, None, "rg-101", 1, 900, 2231, None, "memo"],
        ["2026-03-03", "PO-3", None, "CH-301", "4", "cheap", None, None, "Loan"],
    ])
    t = typed_table(read_book(path, RECV), RECV)
    assert t.sheet_problems == []
    f = t.frame
    assert list(f["_row"]) == [2, 4, 5]
    assert list(f["Doc"]) == ["PO-1", "1001", "PO-3"]
    assert list(f["Serial"]) == ["", "2231", ""]
    assert f["Qty"].tolist()[:2] == [3, 1]
    assert f["Unit Cost"].tolist()[:2] == [12.1, 900.0]
    assert list(f["Terms"]) == ["Owned", "Memo", ""]
    assert [(p.row, p.column) for p in t.problems] == [
        (5, "Date"), (5, "Qty"), (5, "Unit Cost"), (5, "Terms")]


def test_a_real_file_with_columns_moved_and_a_header_renamed(tmp_path):
    header = ["Style", "Qty", "Date", "Doc", "Vendor", "Unit Price", "Serial", "Location",
              "Terms", "Note", "Status", "Ledger Ref"]  # Unit Cost renamed Unit Price
    path = tmp_path / "moved.xlsx"
    write_book(path, RECV, header, [["CH-301", 3, dt.datetime(2026, 3, 1), "PO-1"]])
    t = typed_table(read_book(path, RECV), RECV)
    assert [(p.column, p.message) for p in t.sheet_problems] == [
        ("Unit Cost", "the header 'Unit Price' in column 6 of the table should read "
                      "'Unit Cost'")]
    assert t.frame.loc[0, "Style"] == "CH-301" and t.frame.loc[0, "Qty"] == 3


# --- the Ledger ---------------------------------------------------------------------------


def sealed_ledger() -> pd.DataFrame:
    """Three entries as posting makes them, sealed onto the hash chain."""
    at = dt.datetime(2026, 3, 1, 17, 0, 0)
    return chain.seal(ledger.frame([
        dict(entry=1, posted_at=at, date=dt.date(2026, 1, 10), kind="RECEIPT", doc="PO-1",
             style="CH-301", qty=10, unit_cost=12_1000, location="Main Case", party="Aurum"),
        dict(entry=2, posted_at=at, date=dt.date(2026, 2, 1), kind="SALE", doc="2231",
             style="CH-301", qty=-3, unit_price=29_9900, location="Main Case", cogs=3630),
        dict(entry=3, posted_at=at, date=dt.date(2026, 2, 2), kind="RETURN", doc="R-1",
             style="CH-301", qty=1, unit_price=29_9900, location="Main Case", reverses=2),
    ]))


def sheet_rows(lf: pd.DataFrame) -> list[list]:
    """Ledger rows as the writers put them in the sheet: dollars, datetimes, None blanks."""
    out = []
    for rec in lf.to_dict("records"):
        row = []
        for col in ledger.COLUMNS:
            v = rec[col]
            if col in ("unit_cost", "unit_price"):  # ten-thousandths
                v = int(v) / 10_000 if v else None
            elif col == "cogs":
                v = int(v) / 100 if v else None
            elif col in ("date", "posted_at"):
                v = pd.Timestamp(v).to_pydatetime()
            elif col in ("entry", "qty", "reverses"):
                v = int(v) or None
            elif v == "":
                v = None
            row.append(v)
        out.append(row)
    return out


def ledger_raw(rows: list[list]) -> RawTable:
    return RawTable("Ledger", list(schema.LEDGER.headers), rows, 2)


def test_the_ledger_reads_back_exactly_from_a_real_file(tmp_path):
    lf = sealed_ledger()
    path = tmp_path / "ledger.xlsx"
    write_book(path, schema.LEDGER, list(schema.LEDGER.headers), sheet_rows(lf))
    got = ledger_frame(read_book(path, schema.LEDGER))
    assert list(got.columns) == list(ledger.COLUMNS)
    assert list(got["unit_cost"]) == [12_1000, 0, 0]  # 12.10 dollars, in ten-thousandths
    assert list(got["unit_price"]) == [0, 29_9900, 29_9900]  # 29.99, in ten-thousandths
    assert list(got["cogs"]) == [0, 3630, 0]
    assert list(got["qty"]) == [10, -3, 1]
    assert list(got["reverses"]) == [0, 0, 2]
    assert list(got["doc"]) == ["PO-1", "2231", "R-1"]
    assert list(got["party"]) == ["Aurum", "", ""]
    assert list(got["date"]) == [pd.Timestamp(d) for d in ("2026-01-10", "2026-02-01",
                                                            "2026-02-02")]
    pd.testing.assert_frame_equal(got, ledger.normalize(got))
    assert chain.verify(got).ok


def test_the_ledger_reads_numbers_excel_turned_into_text_or_text_into_numbers():
    rows = sheet_rows(sealed_ledger())
    rows[0][7] = "10"  # Qty stored as text
    rows[1][4] = 2231.0  # Doc 2231 turned into a number
    got = ledger_frame(ledger_raw(rows))
    assert got.loc[0, "qty"] == 10 and got.loc[1, "doc"] == "2231"
    assert chain.verify(got).ok


def test_ledger_text_is_read_as_it_is_so_an_edit_still_breaks_the_chain():
    rows = sheet_rows(sealed_ledger())
    rows[2][4] = "R-1 "  # a trailing space typed by hand
    got = ledger_frame(ledger_raw(rows))
    assert got.loc[2, "doc"] == "R-1 "
    result = chain.verify(got)
    assert (result.ok, result.row) == (False, 4)


@pytest.mark.parametrize("col, value, words", [
    (7, 3.5, "3.5 is not a whole number"),
    (8, "free", "'free' is not an amount"),
    (2, "someday", "'someday' is not a date"),
])
def test_a_ledger_cell_no_reading_makes_sense_of_is_refused_naming_the_row(col, value, words):
    rows = sheet_rows(sealed_ledger())
    rows[1][col] = value
    with pytest.raises(LedgerTampered) as e:
        ledger_frame(ledger_raw(rows))
    assert (e.value.row, e.value.entry) == (3, 2)
    header = schema.LEDGER.headers[col]
    assert f"Ledger row 3, column {header}: {words}" in str(e.value)
    assert "edited by hand" in str(e.value)


def test_trailing_blank_ledger_rows_are_ignored_but_a_blank_row_between_entries_is_not():
    rows = sheet_rows(sealed_ledger())
    assert len(ledger_frame(ledger_raw(rows + [[None] * 15, [""] * 15]))) == 3
    with pytest.raises(LedgerTampered) as e:
        ledger_frame(ledger_raw(rows[:1] + [[None] * 15] + rows[1:]))
    assert e.value.row == 3


def test_a_ledger_without_its_headers_cannot_be_read():
    header = [h for h in schema.LEDGER.headers if h != "Hash"]
    with pytest.raises(BookError, match="no 'Hash' column"):
        ledger_frame(RawTable("Ledger", header, [], 2))


def test_an_empty_ledger_is_an_empty_frame_of_the_right_types():
    got = ledger_frame(ledger_raw([[None] * 15]))
    pd.testing.assert_frame_equal(got, ledger.empty())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-10**11, 10**11), min_size=1, max_size=30))
def test_money_written_as_dollars_reads_back_as_the_same_cents(cents):
    """Excel holds 12.10 as the float 12.1 (or 12.099999999999998): the cents survive."""
    rows = [[float(i + 1), D, D, "ADJUST", None, "CH-301", None, 1.0, None, None, None,
             None, c / 100, None, "x"] for i, c in enumerate(cents)]
    got = ledger_frame(ledger_raw(rows))
    assert list(got["cogs"]) == cents


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-10**12, 10**12), min_size=1, max_size=30))
def test_a_unit_cost_written_as_dollars_reads_back_as_the_same_ten_thousandths(units):
    """0.125 written as the float 0.125, 12.3456 as 12.3456: every typed decimal survives (a
    Unit Cost or a Unit Price)."""
    rows = [[float(i + 1), D, D, "ADJUST", None, "CH-301", None, 1.0, u / 10_000, u / 10_000,
             None, None, None, None, "x"] for i, u in enumerate(units)]
    got = ledger_frame(ledger_raw(rows))
    assert list(got["unit_cost"]) == units and list(got["unit_price"]) == units
