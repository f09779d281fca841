"""A second, independent spreadsheet program opens the template: its VBA and formulas work.

LibreOffice imports the VBA project (modules land under Basic/ in an .ods) and
recalculates every formula when it converts, so Age, Margin and the location list are
checked against values worked out by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile

import openpyxl
import pytest

from addin.sheets import schema
from addin.template import ribbon
from addin.workbook.layout import formulas
from tests.template.office import convert

pytestmark = pytest.mark.libreoffice

ITEMS_HEADERS = list(schema.ITEMS.headers)


def test_libreoffice_imports_every_vba_module(built, book, tmp_path):
    convert(built, "ods", tmp_path)
    with zipfile.ZipFile(tmp_path / "workbook_template.ods") as ods:
        names = ods.namelist()
        loupe = ods.read("Basic/VBAProject/Loupe.xml").decode()
        runtime = ods.read("Basic/VBAProject/xlwings.xml").decode()
    modules = {n.split("/")[-1][:-4] for n in names if n.startswith("Basic/VBAProject/")}
    sheets = {ws.sheet_properties.codeName for ws in book.worksheets}
    assert modules - {"script-lb"} == {"ThisWorkbook", "xlwings", "Dictionary", "Loupe", *sheets}
    subs = re.findall(r"^Sub (Loupe\w+)\(control As IRibbonControl\)", loupe, re.M)
    assert sorted(subs) == sorted(button.callback for button in ribbon.BUTTONS)
    assert "e.run(&apos;post_receipts&apos;)" in loupe
    assert "XLWINGS_VERSION As String = &quot;0.37.8&quot;" in runtime


def _items_book(built, path, report_as_of):
    """The template with three Items rows, formulas written as the files adapter will."""
    wb = openpyxl.load_workbook(built, keep_vba=True)
    ws = wb["Items"]
    rows = [
        {"Serial": "LP-1", "Received": dt.datetime(2024, 1, 10), "Cost": 100.5},
        {
            "Serial": "LP-2",
            "Received": dt.datetime(2024, 1, 10),
            "Cost": 100.5,
            "Sold Date": dt.datetime(2024, 2, 10),
            "Sold Price": 250,
        },
        {"Serial": "LP-3"},
    ]
    for excel_row, values in enumerate(rows, start=2):
        for header, value in values.items():
            ws.cell(row=excel_row, column=ITEMS_HEADERS.index(header) + 1, value=value)
        for header in formulas.ITEM_FORMULAS:
            ws.cell(
                row=excel_row,
                column=ITEMS_HEADERS.index(header) + 1,
                value=formulas.cell_formula(schema.ITEMS, header),
            )
    table = ws.tables["tblItems"]
    table.ref = table.autoFilter.ref = "A1:R4"
    settings = wb["Settings"]
    (row,) = [r for r in settings.iter_rows(min_row=2) if r[0].value == "Report As Of"]
    row[1].value = report_as_of
    wb.save(path)


def _sheet_csv(built, tmp_path, report_as_of, sheet):
    book_path = tmp_path / "items.xlsm"
    _items_book(built, book_path, report_as_of)
    # CSV filter options: comma, quote, UTF-8, from row 1, ..., last token -1 = every sheet
    convert(
        book_path,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        tmp_path,
    )
    with open(tmp_path / f"items-{sheet}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f)) if sheet == "Items" else list(csv.reader(f))


@pytest.mark.parametrize(
    "report_as_of", ["2024-03-01", dt.datetime(2024, 3, 1)], ids=["typed-as-text", "typed-as-date"]
)
def test_age_counts_to_report_as_of_and_margin_is_price_less_cost(built, tmp_path, report_as_of):
    items = _sheet_csv(built, tmp_path, report_as_of, "Items")
    # In stock: 10 Jan to 1 Mar 2024 = 21 days left in January + 29 in February + 1 = 51.
    # Sold 10 Feb: 31 days. Margin 250 - 100.50 = 149.50. The blank row stays blank.
    assert [(r["Serial"], r["Age (days)"], r["Margin"]) for r in items] == [
        ("LP-1", "51", ""),
        ("LP-2", "31", "149.5"),
        ("LP-3", "", ""),
    ]


def test_age_counts_to_today_when_report_as_of_is_blank(built, tmp_path):
    items = _sheet_csv(built, tmp_path, None, "Items")
    today = dt.date.today()
    assert int(items[0]["Age (days)"]) in {
        (day - dt.date(2024, 1, 10)).days for day in (today, today - dt.timedelta(days=1))
    }
    assert items[1]["Age (days)"] == "31"


def test_lists_sheet_splits_settings_locations_one_per_row(built, tmp_path):
    rows = _sheet_csv(built, tmp_path, None, "Lists")
    assert [r[0] for r in rows[1:5]] == ["Main Case", "Vault", "Window", ""]
