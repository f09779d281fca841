"""The template's sheets as a bookkeeper meets them: tables, formats, dropdowns, red errors."""

from __future__ import annotations

import pytest
from openpyxl.utils import get_column_letter

from addin.sheets import schema

# Worked out by counting the schema's columns (and the 14 default settings) by hand.
TABLE_REFS = {
    "Settings": ("tblSettings", "A1:B15"),
    "Styles": ("tblStyles", "A1:K2"),
    "Items": ("tblItems", "A1:S2"),
    "Receiving": ("tblReceiving", "A1:L2"),
    "Sales": ("tblSales", "A1:K2"),
    "Movements": ("tblMovements", "A1:L2"),
    "Counts": ("tblCounts", "A1:I2"),
    "Scans": ("tblScans", "A1:B2"),
    "Count Reconciliation": ("tblCountReconciliation", "A1:O2"),
    "Ledger": ("tblLedger", "A1:O2"),
}
# From the issue: the number format each kind of column shows.
FORMATS = {
    schema.Kind.MONEY: "#,##0.00",
    schema.Kind.UNIT_COST: "#,##0.00##",  # 0.125 shows 0.125, 12.5 shows 12.50
    schema.Kind.DATE: "yyyy-mm-dd",
    schema.Kind.DATETIME: "yyyy-mm-dd hh:mm:ss",
    schema.Kind.INT: "0",
    schema.Kind.PERCENT: "0.0%",
}
LOCATION_CELLS = {  # sheet -> columns of location cells, by letter
    "Receiving": ("H",),
    "Sales": ("H",),
    "Movements": ("G", "H"),
    "Counts": ("B",),
    "Items": ("M",),
}


def test_sheets_are_the_schema_sheets_in_order_then_the_helpers(book):
    names = [s.name for s in schema.DATA_SHEETS]
    assert book.sheetnames == [*names, "Lists", "xlwings.conf"]
    assert book["Lists"].sheet_state == "hidden"
    assert all(book[n].sheet_state == "visible" for n in names)


@pytest.mark.parametrize("sheet", schema.DATA_SHEETS, ids=lambda s: s.name)
def test_each_sheet_is_one_table_with_the_schema_headers(book, sheet):
    ws = book[sheet.name]
    name, ref = TABLE_REFS[sheet.name]
    assert list(ws.tables) == [name]
    table = ws.tables[name]
    assert table.ref == ref
    assert table.tableStyleInfo.name.startswith("TableStyle")
    assert [c.name for c in table.tableColumns] == list(sheet.headers)
    header_row = [c.value for c in ws[1]]
    assert header_row[: len(sheet.headers)] == list(sheet.headers)
    assert set(header_row[len(sheet.headers) :]) <= {None}  # nothing beside the headers
    assert ws.freeze_panes == "A2"


@pytest.mark.parametrize(
    "sheet", [s for s in schema.DATA_SHEETS if s is not schema.SETTINGS], ids=lambda s: s.name
)
def test_an_empty_table_has_one_fully_blank_body_row(book, sheet):
    ws = book[sheet.name]
    assert ws.max_row == 2
    assert all(cell.value is None for cell in ws[2])


def test_settings_ship_with_their_defaults_and_notes_beside_the_table(book):
    ws = book["Settings"]
    rows = [tuple(c.value for c in row[:3]) for row in ws.iter_rows(min_row=2)]
    assert rows[0] == ("Store Name", "My Jewelry Store", "Printed on every report")
    assert ("Locations", "Main Case,Vault,Window") in [r[:2] for r in rows]
    assert ("Report As Of", None) in [r[:2] for r in rows]  # blank means today
    assert [r[0] for r in rows] == [s[0] for s in schema.DEFAULT_SETTINGS]


@pytest.mark.parametrize("sheet", schema.DATA_SHEETS, ids=lambda s: s.name)
def test_columns_have_schema_widths_and_kind_formats_also_below_the_table(book, sheet):
    ws = book[sheet.name]
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        assert ws.column_dimensions[letter].width == column.width, (sheet.name, column.header)
        expected = FORMATS.get(column.kind)
        if expected is None:
            continue
        assert ws.cell(row=2, column=index).number_format == expected, column.header
        # whole-column format: rows typed later get it too
        assert ws.column_dimensions[letter].number_format == expected, column.header


def test_money_and_dates_where_a_bookkeeper_types_them(book):
    receiving = book["Receiving"]
    assert receiving["A2"].number_format == "yyyy-mm-dd"  # Date
    assert receiving["F2"].number_format == "#,##0.00##"  # Unit Cost: 0.125 shows 0.125
    assert book["Sales"]["F2"].number_format == "#,##0.00##"  # Unit Price: 0.125 too
    assert receiving["E2"].number_format == "0"  # Qty
    assert book["Ledger"]["B2"].number_format == "yyyy-mm-dd hh:mm:ss"  # Posted At


def test_text_columns_keep_codes_as_text(book):
    # A style "3-5" must not turn into a date, nor "=..." into a formula.
    assert book["Styles"]["A2"].number_format == "@"
    assert book["Receiving"]["G2"].number_format == "@"  # Serial


def _validation_at(ws, cell: str):
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, f"{ws.title}!{cell} has {len(found)} dropdowns"
    return found[0]


@pytest.mark.parametrize(
    "sheet,header",
    [(s, c.header) for s in schema.DATA_SHEETS for c in s.columns if c.choices],
    ids=lambda v: getattr(v, "name", v),
)
def test_every_column_with_choices_has_a_dropdown_of_exactly_those(book, sheet, header):
    column = sheet.column(header)
    letter = get_column_letter(sheet.headers.index(header) + 1)
    ws = book[sheet.name]
    for row in (2, 500, 1_048_576):  # the empty row, rows added later, the last row
        dv = _validation_at(ws, f"{letter}{row}")
        assert dv.type == "list"
        assert dv.formula1.strip('"').split(",") == list(column.choices)
        assert dv.errorStyle == "stop" and dv.showErrorMessage


def test_tracking_dropdown_offers_serialized_and_quantity(book):
    dv = _validation_at(book["Styles"], "G7")
    assert dv.formula1 == '"Serialized,Quantity"'


@pytest.mark.parametrize("sheet_name,letters", LOCATION_CELLS.items())
def test_location_columns_drop_down_the_settings_locations(book, sheet_name, letters):
    ws = book[sheet_name]
    for letter in letters:
        assert ws[f"{letter}1"].value in ("Location", "From", "To")
        dv = _validation_at(ws, f"{letter}42")
        assert dv.type == "list" and dv.formula1 == "LocationList"


def test_location_list_is_a_name_over_the_hidden_lists_sheet(book):
    target = book.defined_names["LocationList"].attr_text
    assert target.startswith("Lists!$A$2:INDEX(Lists!$A$2:$A$51,")
    lists = book["Lists"]
    assert lists["A2"].value.startswith("=TRIM(MID(SUBSTITUTE(LocationsSetting,")
    assert book.defined_names["LocationsSetting"].attr_text == (
        'INDEX(Settings!$B:$B,MATCH("Locations",Settings!$A:$A,0))'
    )


@pytest.mark.parametrize("sheet", schema.INPUT_SHEETS, ids=lambda s: s.name)
def test_status_cells_starting_with_error_are_painted_red(book, sheet):
    ws = book[sheet.name]
    letter = get_column_letter(sheet.headers.index("Status") + 1)
    ranges = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
    assert list(ranges) == [f"{letter}2:{letter}1048576"]
    (rule,) = ranges[f"{letter}2:{letter}1048576"]
    assert rule.type == "beginsWith" and rule.text == "Error:"
    assert rule.formula == [f'LEFT({letter}2,6)="Error:"']
    assert rule.dxf.fill.bgColor.rgb == "FFFFC7CE"  # light red fill
    assert rule.dxf.font.color.rgb == "FF9C0006"  # dark red text


def test_items_age_and_margin_are_calculated_columns(book):
    columns = {c.name: c for c in book["Items"].tables["tblItems"].tableColumns}
    age = columns["Age (days)"].calculatedColumnFormula.attr_text
    margin = columns["Margin"].calculatedColumnFormula.attr_text
    assert age == (
        'IF(tblItems[[#This Row],[Received]]="","",IF(tblItems[[#This Row],[Sold Date]]="",'
        "AsOfDate,tblItems[[#This Row],[Sold Date]])-tblItems[[#This Row],[Received]])"
    )
    assert margin == (
        'IF(tblItems[[#This Row],[Sold Price]]="","",'
        "tblItems[[#This Row],[Sold Price]]-tblItems[[#This Row],[Cost]])"
    )
    others = [c for name, c in columns.items() if name not in ("Age (days)", "Margin")]
    assert all(c.calculatedColumnFormula is None for c in others)


def test_as_of_date_is_the_refreshs_date_or_report_as_of_or_today(book):
    assert book.defined_names["AsOfDate"].attr_text == (
        'IF(RefreshedAsOf<>"",RefreshedAsOf,IF(ReportAsOf="",TODAY(),'
        'IF(ISNUMBER(ReportAsOf),ReportAsOf,DATEVALUE(ReportAsOf))))'
    )
    assert book.defined_names["RefreshedAsOf"].attr_text == '""'  # a new book: none given
    assert book.defined_names["ReportAsOf"].attr_text == (
        'INDEX(Settings!$B:$B,MATCH("Report As Of",Settings!$A:$A,0))'
    )


def test_xlwings_conf_sheet_as_xlwings_reads_it(book):
    ws = book["xlwings.conf"]
    # xlwings reads keys in A from A1 down to the first blank, values in B.
    conf = {}
    for row in ws.iter_rows(min_row=1, max_col=2):
        if row[0].value is None:
            break
        conf[row[0].value] = row[1].value
    assert conf == {"UDF Modules": "addin.udfs.functions", "Use UDF Server": False}
    # no key without a value: a blank key there would hide the user's ~/.xlwings/xlwings.conf
    assert all(v is not None for v in conf.values())
    below = [ws.cell(r, 1).value for r in range(len(conf) + 2, ws.max_row + 1)]
    assert "Interpreter_Win" in below and "Interpreter_Mac" in below  # listed, not read


def test_the_conf_sheet_records_the_xlwings_runtime_its_vba_carries(book, macros):
    import re

    ws = book["xlwings.conf"]
    recorded = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    vba = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', macros["xlwings"]).group(1)
    assert recorded["Loupe: xlwings runtime in this book"] == vba


def test_sheets_carry_vba_code_names(book):
    assert book.code_name == "ThisWorkbook"
    assert book["Settings"].sheet_properties.codeName == "shSettings"
    assert book["xlwings.conf"].sheet_properties.codeName == "shXlwingsConf"


@pytest.mark.parametrize("sheet", schema.DATA_SHEETS, ids=lambda s: s.name)
def test_each_sheet_prints_landscape_one_page_wide_with_its_header_on_every_page(book, sheet):
    ws = book[sheet.name]
    assert ws.page_setup.orientation == "landscape"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"  # the header row
    assert ws.oddFooter.left.text == sheet.name and ws.oddFooter.right.text == "Page &P"
    assert ws.page_setup.firstPageNumber == 1 and ws.page_setup.useFirstPageNumber


# Text a shop types into the column (the demo shop's longest, or a customer with a double
# name), counted by hand: a column narrower than
# it cuts the text when the next cell is filled (as it is on a printed page).
LONG_TEXT = {
    ("Receiving", "Vendor"): "Meridian Watch Group",
    ("Items", "Vendor"): "Brilliant Stones Ltd",
    ("Items", "Location"): "Memo: Harbor Jewelers",
    ("Items", "Status"): "Returned to Vendor",
    ("Movements", "Party"): "Estate Buyers Guild",
    ("Sales", "Customer"): "D. Lindqvist-Moreno",
}


@pytest.mark.parametrize("where", LONG_TEXT, ids="-".join)
def test_columns_are_wide_enough_for_what_a_shop_types(book, where):
    sheet, header = where
    headers = next(s for s in schema.DATA_SHEETS if s.name == sheet).headers
    letter = get_column_letter(headers.index(header) + 1)
    assert book[sheet].column_dimensions[letter].width >= len(LONG_TEXT[where]) + 1
