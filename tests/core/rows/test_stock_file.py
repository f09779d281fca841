"""Reading a shop's own stock list: header spellings, date shapes, money, problems by row."""

from __future__ import annotations

import datetime as dt

import pytest

from addin.core.rows.stock_file import map_columns, read_stock_list


@pytest.mark.parametrize("header, field", [
    ("Tag #", "tag"), ("tag no.", "tag"), ("SERIAL NUMBER", "tag"), ("Style No", "style"),
    ("SKU", "style"), ("Date Rec'd", "received"), ("Purchase Date", "received"),
    ("Our Cost", "unit_cost"), ("Cost Ea.", "unit_cost"), ("Qty On Hand", "qty"),
    ("Kt", "karat"), ("Wt (g)", "weight"), ("Metal Weight (g)", "weight"), ("TCW", "carat"),
    ("Ring Size", "size"), ("Case", "location"), ("Supplier", "vendor"), ("Tag Price", "retail"),
])
def test_common_header_spellings_are_recognised(header, field):
    assert map_columns([header])[0] == {0: field}


def test_unknown_headers_are_reported_not_guessed():
    fields, unmapped, repeated = map_columns(["Style", "Notes", " Photo ", "Cost", "Price", "MSRP"])
    assert fields == {0: "style", 3: "unit_cost", 4: "retail"}
    assert unmapped == ["Notes", "Photo"]
    assert repeated == ["MSRP"]


@pytest.mark.parametrize("text, day", [
    ("2019-03-04", dt.date(2019, 3, 4)), ("3/4/2019", dt.date(2019, 3, 4)),
    ("03/04/19", dt.date(2019, 3, 4)), ("04 Mar 2019", dt.date(2019, 3, 4)),
    ("March 4, 2019", dt.date(2019, 3, 4)), ("2019/03/04", dt.date(2019, 3, 4)),
    ("2019-03-04 00:00:00", dt.date(2019, 3, 4)), (43528, dt.date(2019, 3, 4)),
    (dt.datetime(2019, 3, 4, 0, 0), dt.date(2019, 3, 4)),
])
def test_dates_in_the_shapes_shops_type_them(text, day):
    (line,) = read_stock_list("f.csv", ["Style", "Received"], [["RG-1", text]]).lines
    assert line.received == day


def test_day_first_reads_the_day_before_the_month():
    got = read_stock_list("f.csv", ["Style", "Date"], [["RG-1", "04/03/2019"]], day_first=True)
    assert got.lines[0].received == dt.date(2019, 3, 4)


def test_money_spaces_and_tags_are_cleaned_as_written():
    got = read_stock_list("f.csv", ["Tag", "Style", "Cost", "Description"],
                          [[" sj 10442 ", " RG-1 ", " $1,234.505 ", "  Old   ring "]])
    (line,) = got.lines
    assert (line.tag, line.typed_tag, line.style) == ("SJ10442", "sj 10442", "RG-1")
    assert line.unit_cost == 1234_5050  # kept as written, in ten-thousandths
    assert line.description == "Old ring"


def test_a_cost_with_more_than_4_decimals_is_refused_naming_the_nearest_to_type():
    got = read_stock_list("old.csv", ["Style", "Cost", "Qty"],
                          [["JR-1", "0.125", "1000"], ["JR-2", "0.12345", "10"]])
    assert [line.unit_cost for line in got.lines if line.style == "JR-1"] == [1250]
    assert [(p.row, p.column, p.message, p.fix) for p in got.problems] == [
        (3, "Cost", "0.12345 has more than 4 decimals", "type at most 4 (0.1235)")]


def test_each_unreadable_cell_is_a_problem_naming_file_row_and_column():
    got = read_stock_list("old.csv", ["Style", "Date Rec'd", "Cost", "Qty"],
                          [["RG-1", "soon", "12", "1"], ["", "", "", ""],
                           ["RG-2", "2019-01-01", "ten", "2.5"]])
    found = {(p.row, p.column, p.message) for p in got.problems}
    assert found == {
        (2, "Date Rec'd", "'soon' is not a date Loupe can read"),
        (4, "Cost", "'ten' is not an amount"),
        (4, "Qty", "2.5 is not a whole number of pieces"),
    }
    assert [ln.row for ln in got.lines] == [2, 4]  # the blank row 3 is skipped
