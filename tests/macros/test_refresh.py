"""Refresh Reports on a real book: `loupe refresh`, then read the sheets back with openpyxl.

The shop (tests/macros/conftest.py, as of 2026-03-01): RG-101 rings at 800.00 and 820.00
(the 800.00 one sold for 1,999.99), a PD-201 pendant at 300.00, 10 CH-301 chains at 50.00
(2 sold at 120.00) and 20 ST-401 studs at 5.00. Owned stock at cost: 820.00 + 300.00 +
8 x 50.00 + 20 x 5.00 = 1,620.00. Sales 1,999.99 + 240.00 = 2,239.99; cost of goods 800.00 +
100.00 = 900.00; margin 1,339.99.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from addin.core.reports import REPORT_SHEETS
from addin.macros import refreshing
from addin.sheets import schema
from addin.workbook.files import FilesBook
from tests.macros import shopbook
from tests.macros.conftest import PRESSED, loupe
from tests.macros.shopbook import day

STORE = "My Jewelry Store"  # the template's default Store Name


def refreshed(path, *args):
    result = loupe("refresh", path, *args)
    assert result.exit_code == 0, result.output
    return result


def sheet_rows(path, name, data_only=True):
    wb = openpyxl.load_workbook(path, data_only=data_only)
    ws = wb[name]
    return ws, [[c.value for c in row] for row in ws.iter_rows()]


def table_after(rows, title):
    """header -> column, and the body rows up to the totals row, of the section `title`."""
    start = next(i for i, r in enumerate(rows) if r and r[0] == title)
    at = next(
        i for i in range(start + 1, len(rows)) if sum(v is not None for v in rows[i]) > 1
    )  # past the section's note
    header = rows[at]
    body = []
    for r in rows[at + 1 :]:
        if r[0] in (None, "Total") or (isinstance(r[0], str) and r[0].startswith("All ")):
            return header, body, r
        body.append(dict(zip(header, r, strict=False)))
    return header, body, None


def money(v) -> Decimal:
    return Decimal(str(v)).quantize(Decimal("0.01"))


def test_refresh_writes_every_report_sheet_headed_by_store_date_and_ledger(shop):
    refreshed(shop["path"])
    wb = openpyxl.load_workbook(shop["path"])
    assert set(REPORT_SHEETS) <= set(wb.sheetnames)
    ledger = shopbook.read_rows(shop["path"], schema.LEDGER)
    last = ledger[-1]
    for name in REPORT_SHEETS:
        ws = wb[name]
        assert ws["A1"].value.startswith(f"{STORE}: "), name
        assert ws["A3"].value == "As of 2026-03-01"
        assert ws["A4"].value == f"Ledger: last entry {last['Entry']}, Hash {last['Hash']}"


def test_valuation_totals_tie_to_the_owned_stock(shop):
    refreshed(shop["path"])
    _, rows = sheet_rows(shop["path"], "Valuation")
    header, body, total = table_after(rows, "By category")
    by_cat = {r["Category"]: r for r in body}
    assert money(by_cat["Rings"]["Owned Value"]) == Decimal("820.00")
    assert by_cat["Chains"]["On Hand"] == 8
    assert money(total[header.index("Owned Value")]) == Decimal("1620.00")


def test_margin_sheet_holds_live_formulas_with_python_figures_cached(shop):
    refreshed(shop["path"])
    ws, formulas = sheet_rows(shop["path"], "Margin", data_only=False)
    _, values = sheet_rows(shop["path"], "Margin")
    header, body, total = table_after(values, "By category")
    row = next(i for i, r in enumerate(values) if r[0] == "Rings")
    assert formulas[row][header.index("Margin")] == f"=C{row + 1}-D{row + 1}"
    assert money(values[row][header.index("Margin")]) == Decimal("1199.99")
    t = values.index(total)
    assert formulas[t][header.index("Sales")].startswith("=SUM($C$")
    assert money(total[header.index("Sales")]) == Decimal("2239.99")
    assert money(total[header.index("Cost of Goods")]) == Decimal("900.00")
    assert total[header.index("Margin %")] == pytest.approx(1339.99 / 2239.99)


def test_refresh_rebuilds_items_from_the_ledger(shop):
    refreshed(shop["path"])
    items = {i["Serial"]: i for i in shopbook.read_rows(shop["path"], schema.ITEMS)}
    assert items[shop["sold"]]["Status"] == "Sold"
    assert items[shop["in_stock"]]["Status"] == "In Stock"
    assert items[shop["in_stock"]]["Cost"] == 820.0


def test_as_of_leaves_out_later_entries_and_says_so(shop):
    refreshed(shop["path"], "--as-of", "2026-01-31")
    _, rows = sheet_rows(shop["path"], "Margin")
    assert rows[2][0] == "As of 2026-01-31"
    assert "entries dated after the as-of date left out" in rows[3][0]
    _, body, _ = table_after(rows, "By month")
    assert [r["Month"] for r in body] == ["(none)"]


def test_refreshing_twice_changes_nothing_and_styles_do_not_grow(shop):
    refreshed(shop["path"])
    first = _parts(shop["path"])
    refreshed(shop["path"])
    second = _parts(shop["path"])
    changed = {n for n in first if first[n] != second.get(n)}
    assert changed <= {"docProps/core.xml"}
    assert set(first) == set(second)


def test_vba_ribbon_and_data_sheets_survive_byte_for_byte(shop):
    before = _parts(shop["path"])
    refreshed(shop["path"])
    after = _parts(shop["path"])
    for name in ("xl/vbaProject.bin", "customUI/customUI.xml"):
        assert after[name] == before[name]


def test_charts_are_native_chart_parts_on_their_report_sheets(shop):
    refreshed(shop["path"])
    parts = _parts(shop["path"])
    charts = sorted(n for n in parts if n.startswith("xl/charts/"))
    assert len(charts) == 3  # value by category, ageing, monthly sales and margin
    types = parts["[Content_Types].xml"].decode()
    for name in charts:
        assert f'PartName="/{name}"' in types
        xml = parts[name].decode()
        assert "<c:barChart>" in xml and "<c:val><c:numRef>" in xml
    margin_chart = next(
        parts[n].decode() for n in charts if "Sales and margin by month" in parts[n].decode()
    )
    assert "'Margin'!$C$" in margin_chart  # the series read the report's own cells


def test_text_typed_like_a_formula_stays_text_on_the_reports(shop):
    shopbook.type_rows(
        shop["path"],
        schema.SALES,
        [
            [
                day("2026-02-20"),
                "T-9",
                None,
                "ST-401",
                1,
                35.0,
                '=HYPERLINK("x")',
                "Main Case",
                "Sale",
            ]
        ],
    )
    assert loupe("post", "sales", shop["path"]).exit_code == 0
    refreshed(shop["path"])
    ws, _ = sheet_rows(shop["path"], "Sale Lines", data_only=False)
    cells = [c for row in ws.iter_rows() for c in row if c.value == '=HYPERLINK("x")']
    assert cells and all(c.data_type == "s" for c in cells)


def test_refresh_refuses_a_tampered_ledger(shop):
    ledger = shopbook.read_rows(shop["path"], schema.LEDGER)
    shopbook.set_cell(shop["path"], "Ledger", f"H{ledger[0]['_row']}", 99)
    result = loupe("refresh", shop["path"])
    assert result.exit_code == 2
    assert "Valuation" not in openpyxl.load_workbook(shop["path"]).sheetnames


def test_refresh_button_docstring_names_what_it_does():
    from addin.macros import buttons, refreshing

    assert "report" in buttons.refresh_reports.__doc__.lower()
    assert refreshing.refresh.__doc__


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_report_dates_are_real_dates(shop):
    refreshed(shop["path"])
    _, rows = sheet_rows(shop["path"], "Cost Layers")
    header, body, _ = table_after(rows, "Open cost layers")
    assert all(isinstance(r["Received"], dt.datetime) for r in body)
    assert {r["Style"] for r in body} == {"RG-101", "PD-201", "CH-301", "ST-401"}
    assert not any(re.match(r"^\d+\.\d{3,}", str(r["Value"])) for r in body)


def test_a_first_day_book_with_one_quantity_delivery_refreshes(tmp_path, monkeypatch):
    """Nothing sold yet, the chains slow movers: report columns still empty write fine."""
    monkeypatch.setenv("LOUPE_NOW", "2026-12-01T17:00:00")
    path = shopbook.new_book(tmp_path)
    shopbook.type_rows(path, schema.RECEIVING, [
        [day("2026-02-02"), "PO-1", "Northstar", "CH-301", 10, 12.5, None, "Main Case", "Owned"],
    ])
    assert loupe("post", "receipts", path).exit_code == 0
    refreshed(path)
    _, rows = sheet_rows(path, "Cost Layers")
    (layer,) = [r for r in rows if "CH-301" in r]
    assert 10 in layer and 125 in layer  # 10 chains at 12.50 = 125.00


def test_one_save_per_press_the_backup_is_the_book_before_it(shop):
    from addin.workbook.files.safe_save import backup_path

    before = shop["path"].read_bytes()
    refreshed(shop["path"])
    assert backup_path(shop["path"]).read_bytes() == before


def test_the_owners_sheet_named_like_a_report_is_kept_and_the_press_says_so(shop):
    wb = openpyxl.load_workbook(shop["path"], keep_vba=True)
    wb.create_sheet("Memos")["A1"] = "consignment notes, mine"
    wb.save(shop["path"])
    result = loupe("refresh", shop["path"])
    assert result.exit_code == 1, result.output
    assert "1 sheet(s) left alone (not Loupe's)" in result.output and "Memos" in result.output
    with FilesBook.open(shop["path"]) as book:
        [kept] = refreshing.refresh(book, PRESSED).problems
    assert str(kept).startswith("Memos: this sheet is not one Loupe made")
    wb = openpyxl.load_workbook(shop["path"])
    assert wb["Memos"]["A1"].value == "consignment notes, mine"
    assert wb["Valuation"]["A1"].value.endswith("Stock on hand and its value")


def test_each_report_prints_landscape_one_page_wide_numbering_its_own_pages(shop):
    # checked as a person would in docs: LibreOffice's PDF of the demo book shows "Page 1" at
    # the start of every report; here the page setup those pages come from, read by openpyxl
    assert loupe("refresh", shop["path"]).exit_code == 0
    wb = openpyxl.load_workbook(shop["path"], keep_vba=True)
    for name in REPORT_SHEETS:
        ws = wb[name]
        page = ws.page_setup
        assert (page.orientation, page.fitToWidth, page.fitToHeight) == ("landscape", 1, 0), name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert (page.useFirstPageNumber, page.firstPageNumber) == (True, 1), name
        assert ws.oddFooter.right.text == "Page &P", name
        assert ws.oddFooter.left.text == name.replace("&", "&&"), name
