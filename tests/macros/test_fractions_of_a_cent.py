"""Unit costs in fractions of a cent, on a real book: typed into Receiving with openpyxl,
posted and refreshed by the `loupe` command, read back from the Ledger and the reports.

Given (by hand, not by Loupe):

    Receiving  INV-77  JR-500 jump rings  1,000 @ 0.125  -> booked at 125.00 (not 130.00)
    Sales      T-5     JR-500              -333           -> cost of goods 333/1000 of
                                                             125.00 = 41.625 -> 41.63
    left       667 rings worth 125.00 - 41.63 = 83.37, shown as lines that multiply out:
               333 @ 0.13 = 43.29 and 334 @ 0.12 = 40.08 (8337 = 12 x 667 + 333)
    sale       41.63 = 167 @ 0.13 (21.71) + 166 @ 0.12 (19.92)

and 41.63 + 83.37 = 125.00, the invoice, to the cent.
"""

from __future__ import annotations

import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from addin.sheets import schema
from tests.macros import shopbook
from tests.macros.conftest import loupe
from tests.macros.shopbook import day
from tests.macros.test_refresh import sheet_rows, table_after
from tests.ooxml import schema_problems

OLD_BOOK = Path(__file__).resolve().parents[1] / "data" / "books" / "whole_cents_book.xlsm"
JUMP_RINGS = ["JR-500", "Jump rings 5mm", "Findings", "Sterling Silver", "Findings Co", "F-5",
              "Quantity", "FIFO", 0.5, None, "Yes"]
UNIT_COST_FORMAT = "#,##0.00##"  # two decimals, up to 4 when the cost has them


def cents(v) -> Decimal:
    return Decimal(str(v)).quantize(Decimal("0.01"))


def ok(*args):
    result = loupe(*args)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def findings(tmp_path, monkeypatch):
    monkeypatch.setenv("LOUPE_NOW", "2026-03-01T17:00:00")
    path = shopbook.new_book(tmp_path)
    shopbook.type_rows(path, schema.STYLES, [JUMP_RINGS])
    shopbook.type_rows(path, schema.RECEIVING, [
        [day("2026-01-15"), "INV-77", "Findings Co", "JR-500", 1000, 0.125, None, "Main Case",
         "Owned"],
    ])
    ok("post", "receipts", path)
    return path


def ledger_cell(path: Path, entry: int, header: str):
    wb = openpyxl.load_workbook(path)
    ws = wb["Ledger"]
    headers = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == entry)
    return row[headers.index(header)]


def test_a_receipt_at_a_fraction_of_a_cent_is_booked_at_the_invoice_and_shows_as_typed(
        findings):
    (receipt,) = [r for r in shopbook.read_rows(findings, schema.LEDGER) if r["Doc"] == "INV-77"]
    assert (receipt["Qty"], receipt["Unit Cost"]) == (1000, 0.125)
    cell = ledger_cell(findings, receipt["Entry"], "Unit Cost")
    assert cell.number_format == UNIT_COST_FORMAT  # 0.125 shows 0.125, 12.5 shows 12.50
    ok("refresh", findings)
    _, rows = sheet_rows(findings, "Cost Layers")
    _, body, _ = table_after(rows, "Open cost layers")
    rings = [(r["Qty"], r["Unit Cost"], cents(r["Value"])) for r in body if r["Style"] == "JR-500"]
    assert rings == [(1000, 0.125, Decimal("125.00"))]  # not 130.00
    ok("verify", findings)


def test_a_partial_sale_splits_the_layer_exactly_and_every_line_multiplies_out(findings):
    shopbook.type_rows(findings, schema.SALES, [
        [day("2026-02-01"), "T-5", None, "JR-500", 333, 0.5, "A. Moreno", "Main Case", "Sale"],
    ])
    ok("post", "sales", findings)
    (sale,) = [r for r in shopbook.read_rows(findings, schema.LEDGER) if r["Doc"] == "T-5"]
    assert cents(sale["Cost of Goods"]) == Decimal("41.63")
    ok("refresh", findings)

    _, rows = sheet_rows(findings, "Cost Layers")
    _, body, _ = table_after(rows, "Open cost layers")
    left = [(r["Qty"], r["Unit Cost"], cents(r["Value"])) for r in body if r["Style"] == "JR-500"]
    assert left == [(333, 0.13, Decimal("43.29")), (334, 0.12, Decimal("40.08"))]
    assert sum(v for _, _, v in left) + Decimal("41.63") == Decimal("125.00")

    _, rows = sheet_rows(findings, "Sale Lines")
    (line,) = [dict(zip(rows[i - 1], r, strict=False)) for i, r in enumerate(rows)
               if "T-5" in r and i]  # the header sits right above the first line
    assert cents(line["Cost of Goods"]) == Decimal("41.63")
    assert line["Cost Explained"] == ("167 @ 0.13 from 2026-01-15; 166 @ 0.12 from 2026-01-15")

    _, rows = sheet_rows(findings, "COGS Explain")
    _, body, _ = table_after(rows, "Layers taken by each sale")
    taken = [(r["Qty"], r["Unit Cost"], cents(r["Cost"])) for r in body if r["Style"] == "JR-500"]
    assert taken == [(167, 0.13, Decimal("21.71")), (166, 0.12, Decimal("19.92"))]
    ok("verify", findings)


def test_three_at_a_third_of_a_dollar_are_booked_at_one_dollar(findings):
    shopbook.type_rows(findings, schema.RECEIVING, [
        [day("2026-01-20"), "INV-78", "Findings Co", "JR-500", 3, 0.3333, None, "Vault",
         "Owned"],
    ])
    ok("post", "receipts", findings)
    ok("refresh", findings)
    _, rows = sheet_rows(findings, "Cost Layers")
    _, body, _ = table_after(rows, "Open cost layers")
    vault = [(r["Qty"], r["Unit Cost"], cents(r["Value"])) for r in body
             if r["Style"] == "JR-500" and r["Location"] == "Vault"]
    assert vault == [(1, 0.34, Decimal("0.34")), (2, 0.33, Decimal("0.66"))]  # 1.00 in all


def test_a_unit_cost_of_5_decimals_is_refused_naming_the_cell_and_the_fix(findings):
    shopbook.type_rows(findings, schema.RECEIVING, [
        [day("2026-01-20"), "INV-79", "Findings Co", "JR-500", 100, 0.12345, None, "Main Case",
         "Owned"],
    ])
    before = shopbook.read_rows(findings, schema.LEDGER)
    result = loupe("post", "receipts", findings)
    assert result.exit_code != 0
    said = ("column Unit Cost: 0.12345 has more than 4 decimals; type at most 4 (0.1235)")
    assert f"Receiving row 3, {said}" in result.output
    row = next(r for r in shopbook.read_rows(findings, schema.RECEIVING) if r["Doc"] == "INV-79")
    assert row["Status"].startswith("Error:") and "0.12345 has more than 4 decimals" in (
        row["Status"])
    assert row["Unit Cost"] == 0.12345  # what was typed stays
    assert shopbook.read_rows(findings, schema.LEDGER) == before


def test_a_unit_cost_below_the_smallest_kept_says_so_instead_of_suggesting_zero(findings):
    # 0.00001 rounded to 4 decimals is 0.0000: no cost to suggest
    shopbook.type_rows(findings, schema.RECEIVING, [
        [day("2026-01-20"), "INV-81", "Findings Co", "JR-500", 100, 0.00001, None, "Main Case",
         "Owned"],
    ])
    result = loupe("post", "receipts", findings)
    said = " ".join(result.output.split())
    assert "1e-05" not in said and "(0.0000)" not in said, said
    assert ("Receiving row 3, column Unit Cost: 0.00001 has more than 4 decimals and is less "
            "than 0.0001, the smallest unit cost Loupe keeps; type at most 4 decimals: 0.0001 "
            "or more, or 0") in said, said


def test_a_book_sealed_before_unit_costs_kept_4_decimals_still_verifies_and_carries_on(
        tmp_path, monkeypatch):
    monkeypatch.setenv("LOUPE_NOW", "2026-03-01T17:00:00")
    path = tmp_path / "old.xlsm"
    shutil.copyfile(OLD_BOOK, path)
    sealed = [(r["Entry"], r["Hash"]) for r in shopbook.read_rows(path, schema.LEDGER)]
    assert len(sealed) == 7
    assert "Ledger OK: 7 entries" in ok("verify", path).output

    shopbook.type_rows(path, schema.STYLES, [JUMP_RINGS])
    shopbook.type_rows(path, schema.RECEIVING, [
        [day("2026-02-10"), "INV-80", "Findings Co", "JR-500", 1000, 0.125, None, "Main Case",
         "Owned"],
    ])
    ok("post", "receipts", path)
    after = shopbook.read_rows(path, schema.LEDGER)
    assert [(r["Entry"], r["Hash"]) for r in after[:7]] == sealed
    assert (after[7]["Unit Cost"], after[7]["Qty"]) == (0.125, 1000)
    assert "Ledger OK: 8 entries" in ok("verify", path).output
    ok("refresh", path)
    _, rows = sheet_rows(path, "Cost Layers")
    _, body, _ = table_after(rows, "Open cost layers")
    chains = [(r["Qty"], r["Unit Cost"], cents(r["Value"])) for r in body
              if r["Style"] == "CH-301"]
    assert chains == [(7, 12.34, Decimal("86.38"))]  # 10 x 12.34, 3 sold


def test_a_unit_price_of_a_fraction_of_a_cent_is_kept_and_the_line_rounded_once(findings):
    # by hand: 333 @ 0.375 = 124.875 -> 124.88 (not 333 x 0.38 = 126.54); its cost 41.63
    # (as above), margin 124.88 - 41.63 = 83.25. A return of 100 naming no price (0) refunds
    # the sale's 0.375: -100 x 0.375 = -37.50.
    shopbook.type_rows(findings, schema.SALES, [
        [day("2026-02-01"), "T-6", None, "JR-500", 333, 0.375, "A. Moreno", "Main Case", "Sale"],
    ])
    ok("post", "sales", findings)
    (sale,) = [r for r in shopbook.read_rows(findings, schema.LEDGER) if r["Doc"] == "T-6"]
    assert (sale["Unit Price"], cents(sale["Cost of Goods"])) == (0.375, Decimal("41.63"))
    assert ledger_cell(findings, sale["Entry"], "Unit Price").number_format == UNIT_COST_FORMAT
    shopbook.type_rows(findings, schema.SALES, [
        [day("2026-02-03"), "R-6", None, "JR-500", 100, 0, "A. Moreno", "Main Case", "Return"],
    ])
    ok("post", "sales", findings)
    ok("refresh", findings)
    _, rows = sheet_rows(findings, "Sale Lines")
    header = next(r for r in rows if "Unit Price" in r)
    lines = {r[header.index("Doc")]: dict(zip(header, r, strict=False)) for r in rows
             if r[header.index("Doc")] in ("T-6", "R-6")}
    t6, r6 = lines["T-6"], lines["R-6"]
    assert (t6["Unit Price"], cents(t6["Sales"]), cents(t6["Margin"])) == (
        0.375, Decimal("124.88"), Decimal("83.25"))
    assert (r6["Unit Price"], cents(r6["Sales"])) == (0.375, Decimal("-37.50"))
    ok("verify", findings)


def test_a_unit_price_of_5_decimals_is_refused_naming_the_cell_and_the_fix(findings):
    shopbook.type_rows(findings, schema.SALES, [
        [day("2026-02-01"), "T-7", None, "JR-500", 10, 0.12345, "A. Moreno", "Main Case", "Sale"],
    ])
    before = shopbook.read_rows(findings, schema.LEDGER)
    result = loupe("post", "sales", findings)
    assert result.exit_code != 0
    said = "column Unit Price: 0.12345 has more than 4 decimals; type at most 4 (0.1235)"
    assert f"Sales row 2, {said}" in " ".join(result.output.split())
    (row,) = shopbook.read_rows(findings, schema.SALES)
    assert row["Unit Price"] == 0.12345 and "0.12345 has more than 4 decimals" in row["Status"]
    assert shopbook.read_rows(findings, schema.LEDGER) == before


def test_a_refund_above_a_fractional_sale_price_names_both_prices(findings):
    shopbook.type_rows(findings, schema.SALES, [
        [day("2026-02-01"), "T-8", None, "JR-500", 10, 0.375, "A. Moreno", "Main Case", "Sale"],
        [day("2026-02-02"), "R-8", None, "JR-500", 1, 0.3751, "A. Moreno", "Main Case",
         "Return"],
    ])
    result = loupe("post", "sales", findings)
    said = " ".join(result.output.split())
    assert "Sales row 3, column Unit Price: refund of 0.3751 each is more than sale on row 2 was " \
           "priced at (0.375)" in said


def styles_part(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("xl/styles.xml").decode()


def test_a_book_whose_unit_cost_column_shows_2_decimals_shows_a_new_cost_to_4(
        tmp_path, monkeypatch):
    # The earlier template formatted Unit Cost as money (#,##0.00): a 0.125 posted into it
    # would read 0.13. The cells Loupe writes show it as 0.125 (12.5 as 12.50).
    monkeypatch.setenv("LOUPE_NOW", "2026-03-01T17:00:00")
    path = tmp_path / "old.xlsm"
    shutil.copyfile(OLD_BOOK, path)
    assert UNIT_COST_FORMAT not in styles_part(path)  # the book has no such format yet
    shopbook.type_rows(path, schema.STYLES, [JUMP_RINGS])
    shopbook.type_rows(path, schema.RECEIVING, [
        [day("2026-02-10"), "INV-80", "Findings Co", "JR-500", 1000, 0.125, None, "Main Case",
         "Owned"],
    ])
    ok("post", "receipts", path)
    assert ledger_cell(path, 1, "Unit Cost").number_format == "#,##0.00"  # as it was
    new = ledger_cell(path, 8, "Unit Cost")
    assert (new.value, new.number_format) == (0.125, UNIT_COST_FORMAT)
    assert schema_problems(path) == []

    # a row typed in the old column (2 decimals) and cloned: both rows show 0.125
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb["Receiving"]
    ws["F6"].number_format = "#,##0.00"
    wb.save(path)
    assert ws["B6"].value == "INV-80"
    ok("clone", path, "--sheet", "Receiving", "--row", 6, "--count", 1)
    ws = openpyxl.load_workbook(path)["Receiving"]
    assert [(ws[f"B{r}"].value, ws[f"F{r}"].value, ws[f"F{r}"].number_format)
            for r in (6, 7)] == [("INV-80", 0.125, UNIT_COST_FORMAT)] * 2
    assert schema_problems(path) == []
    assert "Ledger OK: 8 entries" in ok("verify", path).output


def test_an_export_gives_a_unit_cost_column_one_way_top_to_bottom(findings):
    import json

    def costs() -> list[str]:
        out = ok("export", findings, "--what", "ledger", "--format", "json").output
        return [r["Unit Cost"] for r in json.loads(out)]

    assert costs() == ["0.1250"]  # a fraction of a cent: 4 places
    shopbook.type_rows(findings, schema.RECEIVING, [
        [day("2026-01-20"), "INV-78", "Findings Co", "JR-500", 10, 12.3, None, "Main Case",
         "Owned"]])
    ok("post", "receipts", findings)
    assert costs() == ["0.1250", "12.3000"]  # and every cost of the column with it


def test_an_export_of_whole_cent_costs_keeps_them_to_the_cent(tmp_path, monkeypatch):
    import json

    monkeypatch.setenv("LOUPE_NOW", "2026-03-01T17:00:00")
    path = shopbook.new_book(tmp_path)
    shopbook.type_rows(path, schema.RECEIVING, [
        [day("2026-01-15"), "PO-1", "Northstar", "CH-301", 4, 12.3, None, "Main Case", "Owned"]])
    ok("post", "receipts", path)
    out = ok("export", path, "--what", "ledger", "--format", "json").output
    assert [r["Unit Cost"] for r in json.loads(out)] == ["12.30"]
