"""Row models: a typed row becomes an immutable model, or problems naming the cell and fix.

Records are built the way `typed_table` hands them over (header -> value, blanks as None,
NaN, NA or NaT), and in one test straight from a real .xlsx read back with openpyxl.
"""

from __future__ import annotations

import datetime as dt
import math

import openpyxl
import pandas as pd
import pydantic
import pytest

from addin.core.rows.models import (
    CountRow,
    Item,
    MovementRow,
    ReceivingRow,
    SaleRow,
    Style,
    duplicate_styles,
    style_key,
)
from addin.sheets import schema
from addin.workbook.port import RawTable
from addin.workbook.reader.tables import typed_table

D = pd.Timestamp("2026-03-01")


def receipt(**changes):
    rec = {"Date": D, "Doc": "PO-1", "Vendor": "Aurum", "Style": "CH-301", "Qty": 3,
           "Unit Cost": 12.5, "Serial": "", "Location": "Main Case", "Terms": "Owned",
           "Note": "", "Status": "", "Ledger Ref": "", "_row": 7}
    rec.update(changes)
    return ReceivingRow.from_typed(rec, 7)


def sale(**changes):
    rec = {"Date": D, "Doc": "T-1", "Serial": "", "Style": "CH-301", "Qty": 1,
           "Unit Price": 29.99, "Customer": "", "Location": "", "Kind": "", "Status": "",
           "Ledger Ref": ""}
    rec.update(changes)
    return SaleRow.from_typed(rec, 9)


def style(**changes):
    rec = {"Style": "RG-101", "Description": "Solitaire", "Category": "Rings", "Metal": "",
           "Vendor": "", "Vendor Style": "", "Tracking": "Serialized", "Cost Method": "",
           "Retail Price": 1999.99, "Reorder Point": pd.NA, "Active": ""}
    rec.update(changes)
    return Style.from_typed(rec, 4)


def said(result) -> list[str]:
    model, problems = result
    assert model is None
    return [str(p) for p in problems]


# --- Receiving ----------------------------------------------------------------------------


def test_a_good_receiving_row_becomes_a_model_with_its_unit_cost_in_ten_thousandths():
    r, problems = receipt()
    assert problems == []
    assert r == ReceivingRow(row=7, date=dt.date(2026, 3, 1), doc="PO-1", vendor="Aurum",
                             style="CH-301", qty=3, unit_cost=12_5000, location="Main Case",
                             terms="Owned")
    assert type(r.date) is dt.date  # posting compares it with date.today()


@pytest.mark.parametrize("dollars, units", [(12.1, 12_1000), (0.29, 2900), (19.995, 19_9950),
                                            (4.004, 4_0040), (0.125, 1250), (0.3333, 3333),
                                            (0.0, 0), (100_000_000.0, 100_000_000_0000)])
def test_unit_cost_is_kept_as_typed_to_4_decimals(dollars, units):
    assert receipt(**{"Unit Cost": dollars})[0].unit_cost == units


@pytest.mark.parametrize("dollars, fix", [(0.12345, "0.1235"), (12.00001, "12.0000"),
                                          (0.33335, "0.3334")])
def test_a_unit_cost_with_more_than_4_decimals_is_refused_with_the_nearest_to_type(dollars, fix):
    assert said(receipt(**{"Unit Cost": dollars})) == [
        f"Receiving row 7, column Unit Cost: {dollars} has more than 4 decimals; type at most "
        f"4 ({fix})"]


def test_a_unit_cost_above_the_largest_a_cell_may_hold_is_refused():
    assert said(receipt(**{"Unit Cost": 100_000_000.0001})) == [
        "Receiving row 7, column Unit Cost: 100,000,000.0001 is more than the largest amount "
        "a cell may hold (100,000,000.00); check the unit cost (a stray digit?)"]


def test_qty_zero_says_what_to_enter():
    assert said(receipt(Qty=0)) == ["Receiving row 7, column Qty: 0 is not a quantity; enter "
                                    "how many pieces arrived (1 or more)"]


@pytest.mark.parametrize("qty, message", [
    (-2, "-2 is not a quantity"),
    (2.5, "2.5 is not a whole number"),
    ("two", "'two' is not a number"),
    ("3", "'3' is a number stored as text"),
    (pd.NA, "Qty is blank"),
    (True, "TRUE is not a number"),
])
def test_qty_that_is_not_a_count_of_pieces_is_named(qty, message):
    model, problems = receipt(Qty=qty)
    assert model is None
    assert [(p.sheet, p.row, p.column, p.message) for p in problems] == [
        ("Receiving", 7, "Qty", message)]


def test_a_negative_receipt_points_to_a_vendor_return():
    (p,) = receipt(Qty=-1)[1]
    assert "Vendor Return on Movements" in p.fix


def test_blank_style_and_negative_cost_are_both_named_on_one_row():
    assert said(receipt(Style="  ", **{"Unit Cost": -4.0})) == [
        "Receiving row 7, column Style: Style is blank; type the style code (it must be on "
        "the Styles sheet)",
        "Receiving row 7, column Unit Cost: -4.00 is negative; type the unit cost without a "
        "minus sign",
    ]


def test_blank_date_doc_and_cost_are_required():
    model, problems = receipt(Date=pd.NaT, Doc="", **{"Unit Cost": math.nan})
    assert model is None
    assert [(p.column, p.message) for p in problems] == [
        ("Date", "Date is blank"), ("Doc", "Doc is blank"), ("Unit Cost", "Unit Cost is blank")]


def test_terms_blank_means_owned_and_case_does_not_matter():
    assert receipt(Terms="")[0].terms == "Owned"
    assert receipt(Terms="MEMO")[0].terms == "Memo"
    assert said(receipt(Terms="Loan")) == [
        "Receiving row 7, column Terms: 'Loan' is not one of Owned, Memo; pick one of Owned, "
        "Memo"]


def test_numbers_in_text_cells_read_as_excel_shows_them():
    r, _ = receipt(Doc=1001.0, Serial=2231.0, Note="  fragile  ")
    assert (r.doc, r.serial, r.note) == ("1001", "2231", "fragile")


def test_a_date_typed_as_text_is_named():
    (p,) = receipt(Date="2026-03-01")[1]
    assert (p.column, p.message) == ("Date", "'2026-03-01' is text, not a date")


# --- Sales --------------------------------------------------------------------------------


def test_a_sale_defaults_to_kind_sale_and_a_return_is_recognised_in_any_case():
    assert sale()[0].kind == "Sale"
    r, _ = sale(Kind="return")
    assert (r.kind, r.unit_price) == ("Return", 29_9900)  # 29.99 in ten-thousandths


def test_a_sale_kind_outside_the_choices_is_named():
    (p,) = sale(Kind="Refund")[1]
    assert (p.column, p.message) == ("Kind", "'Refund' is not one of Sale, Return")


def test_a_negative_price_and_a_negative_qty_are_refused_with_their_fixes():
    problems = {p.column: p for p in sale(Qty=-1, **{"Unit Price": -5.0})[1]}
    assert problems["Unit Price"].message == "-5.00 is negative"
    assert "set Kind to Return and keep Qty positive" in problems["Qty"].fix


def test_a_sale_must_name_a_serial_or_a_style():
    assert said(sale(Style="")) == ["Sales row 9, column Style: neither Serial nor Style is "
                                    "filled; scan the piece's Serial, or type the Style"]
    assert sale(Style="", Serial="LP-000001X")[0].serial == "LP-000001X"


# --- Movements and Counts -----------------------------------------------------------------


def move(**changes):
    rec = {"Date": D, "Doc": "MO-1", "Kind": "Memo Out", "Serial": "", "Style": "CH-301",
           "Qty": 2, "From": "Vault", "To": "", "Party": "Harbor", "Due Date": pd.NaT}
    rec.update(changes)
    return MovementRow.from_typed(rec, 5)


def test_from_and_to_become_from_location_and_to_location():
    m, _ = move(Kind="transfer", To="Window")
    assert (m.kind, m.from_location, m.to_location, m.due_date) == ("Transfer", "Vault",
                                                                   "Window", None)


def test_movement_kind_is_required_and_must_be_one_of_the_five():
    (p,) = move(Kind=None)[1]
    assert (p.column, p.message) == ("Kind", "Kind is blank")
    assert "Vendor Return" in p.fix
    (p,) = move(Kind="Loan")[1]
    assert p.message == ("'Loan' is not one of Transfer, Memo Out, Memo Back, Memo Return, "
                         "Vendor Return")


def test_a_due_date_before_the_move_is_named_on_the_due_date():
    assert said(move(**{"Due Date": pd.Timestamp("2026-02-01")})) == [
        "Movements row 5, column Due Date: 2026-02-01 is before the move's Date 2026-03-01; "
        "type the date the piece is due back"]
    assert move(**{"Due Date": pd.Timestamp("2026-04-01")})[0].due_date == dt.date(2026, 4, 1)


def count(**changes):
    rec = {"Count Date": D, "Location": "Vault", "Serial": "", "Style": "CH-301",
           "Counted Qty": 0, "Expected Qty": pd.NA, "Variance": pd.NA}
    rec.update(changes)
    return CountRow.from_typed(rec, 6)


def test_a_count_may_find_nothing_but_not_less_than_nothing():
    c, _ = count()
    assert (c.counted_qty, c.expected_qty, c.ledger_ref) == (0, None, "")
    (p,) = count(**{"Counted Qty": -1})[1]
    assert (p.column, p.message) == ("Counted Qty", "-1 is negative")
    assert count(**{"Expected Qty": 4, "Variance": -4})[0].variance == -4


def test_a_count_needs_its_location():
    (p,) = count(Location=None)[1]
    assert (p.sheet, p.row, p.column, p.message) == ("Counts", 6, "Location",
                                                     "Location is blank")


# --- Styles and Items ---------------------------------------------------------------------


def test_a_style_reads_its_choices_in_any_case_and_blank_active_means_yes():
    s, problems = style(Tracking="quantity", **{"Cost Method": "average", "Reorder Point": 12})
    assert problems == []
    assert (s.tracking, s.cost_method, s.active, s.retail_price, s.reorder_point) == (
        "Quantity", "Average", True, 199999, 12)
    assert style(Active="no")[0].active is False
    assert style()[0].cost_method is None  # blank: the Settings default applies


@pytest.mark.parametrize("changes, column, message", [
    ({"Style": ""}, "Style", "Style is blank"),
    ({"Category": None}, "Category", "Category is blank"),
    ({"Tracking": ""}, "Tracking", "Tracking is blank"),
    ({"Tracking": "Lot"}, "Tracking", "'Lot' is not one of Serialized, Quantity"),
    ({"Cost Method": "LIFO"}, "Cost Method", "'LIFO' is not one of FIFO, Average"),
    ({"Active": "maybe"}, "Active", "'maybe' is not one of Yes, No"),
    ({"Retail Price": -10.0}, "Retail Price", "-10.00 is negative"),
    ({"Reorder Point": -3}, "Reorder Point", "-3 is negative"),
])
def test_a_bad_style_row_is_named(changes, column, message):
    model, problems = style(**changes)
    assert model is None
    assert [(p.sheet, p.row, p.column, p.message) for p in problems] == [
        ("Styles", 4, column, message)]


def test_an_item_keeps_what_the_owner_typed():
    rec = {"Serial": "LP-0000011", "Style": "RG-101", "Metal Weight (g)": 3.2, "Karat": 14.0,
           "Carat": 0.5, "Cost": 812.5, "Received": D, "Status": "in stock",
           "Sold Date": pd.NaT, "Margin": -12.0}
    item, problems = Item.from_typed(rec, 3)
    assert problems == []
    assert (item.karat, item.metal_weight_g, item.cost, item.status, item.margin) == (
        "14", 3.2, 81250, "In Stock", -1200)
    (p,) = Item.from_typed({**rec, "Carat": -0.5}, 3)[1]
    assert (p.column, p.message) == ("Carat", "-0.5 is negative")


# --- across rows, keys, immutability -------------------------------------------------------


def test_style_codes_compare_without_case_or_spaces():
    assert style_key("rg 101") == style_key(" RG101 ") == "RG101"
    assert style_key("RG-101") != style_key("RG-102")
    assert style_key(None) == ""


def test_duplicate_styles_are_named_on_the_repeat_with_the_first_row():
    rows = [style(Style=code)[0].model_copy(update={"row": n})
            for n, code in ((2, "RG-101"), (3, "PD-201"), (4, "rg-101 "), (5, "RG - 101"))]
    problems = duplicate_styles(rows)
    assert [(p.row, p.column) for p in problems] == [(4, "Style"), (5, "Style")]
    assert problems[0].message == ("'rg-101' repeats 'RG-101' on row 2 (case and spaces do "
                                   "not count)")
    assert duplicate_styles(rows[:2]) == []


def test_models_are_immutable_and_refuse_unknown_fields():
    r, _ = receipt()
    with pytest.raises(pydantic.ValidationError):
        r.qty = 5
    with pytest.raises(pydantic.ValidationError):
        ReceivingRow(**r.model_dump(), colour="gold")


# --- from a real file, through the typed reader ---------------------------------------------


def test_rows_typed_in_a_real_file_become_models_or_named_problems(tmp_path):
    path = tmp_path / "sales.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(schema.SALES.headers))
    ws.append([dt.datetime(2026, 3, 1), 2231, None, "CH-301", 2, 29.99, "B. Chen", None, None])
    ws.append([dt.datetime(2026, 3, 1), "T-2", None, "CH-301", 0, 29.99])
    ws.append([dt.datetime(2026, 3, 2), "T-3", "LP-0000011", None, 1, 1500, None, None,
               "return"])
    wb.save(path)
    values = [list(r) for r in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]
    body = [r + [None] * (len(values[0]) - len(r)) for r in values[1:]]
    t = typed_table(RawTable("Sales", values[0], body, 2), schema.SALES)
    assert t.problems == []
    results = [SaleRow.from_typed(rec, rec["_row"]) for rec in t.frame.to_dict("records")]
    first, second, third = results
    assert first[0] == SaleRow(row=2, date=dt.date(2026, 3, 1), doc="2231", style="CH-301",
                               qty=2, unit_price=29_9900, customer="B. Chen")
    assert [str(p) for p in second[1]] == [
        "Sales row 3, column Qty: 0 is not a quantity; enter how many pieces were sold or "
        "returned (1 or more)"]
    assert (third[0].kind, third[0].serial, third[0].unit_price) == ("Return", "LP-0000011",
                                                                      1500_0000)


def test_text_longer_than_a_cell_is_named_counted_as_excel_counts_it():
    # 16,383 gems are 32,766 UTF-16 units, plus "ab" = 32,768: one more than a cell holds
    assert said(receipt(Note="\U0001f48e" * 16_383 + "ab")) == [
        "Receiving row 7, column Note: the text is 32,768 characters long as Excel counts them "
        "(an emoji or a rare character counts 2); shorten it to 32,767 or fewer: that is all "
        "one cell holds"]
    assert receipt(Note="\U0001f48e" * 16_383 + "a")[1] == []  # 32,767: it fits
