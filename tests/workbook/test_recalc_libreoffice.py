"""Excel's formulas agree with Python's figures: every formula cell of a refreshed book,
recalculated by LibreOffice Calc.

A realistic book (bench/refresh_book.py: 3,000 ledger entries, 60 styles, Report As Of
2026-11-20) is refreshed with `loupe refresh`. Python's figure for each report formula is
the value Loupe cached in the cell; for the Items sheet's Age and Margin it is worked out
here from the row's own Received, Sold Date, Sold Price and Cost. Then every cached value is
stripped from the file, LibreOffice opens it in a fresh profile that recalculates every
formula on load, saves it as xlsx, and each formula cell's result is compared with
Python's figure: money to the cent, ratios to 1e-9, blanks as blanks.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from addin.core.reports import REPORT_SHEETS
from bench.refresh_book import PLACES, make_book
from tests.macros.conftest import loupe
from tests.workbook.libreoffice import convert, soffice

AS_OF = dt.date(2026, 11, 20)
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        soffice() is None, reason="LibreOffice is not installed (make system-deps installs it)"
    ),
]


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("recalc")
    book = make_book(tmp / "shop.xlsm", rows=3000, styles=60, seed=11, as_of=AS_OF)
    result = loupe("refresh", book)
    assert result.exit_code == 0, result.output
    python = _formula_cells(book)
    stripped = tmp / "stripped.xlsm"
    _strip_cached_values(book, stripped)
    assert not _cached_values(stripped), "the stripped copy still carries cached values"
    calc = convert(stripped, "xlsx", tmp / "out")
    return python, openpyxl.load_workbook(calc, data_only=True)


def test_every_report_formula_recalculates_to_pythons_figure(recalculated):
    python, calc = recalculated
    checked = 0
    for (sheet, ref), (formula, expected) in python.items():
        if sheet not in REPORT_SHEETS:
            continue
        got = calc[sheet][ref].value
        assert _same(got, expected), f"{sheet}!{ref} ={formula}: Excel {got!r}, Python {expected!r}"
        checked += 1
    assert checked > 2000  # sale lines alone carry two formulas each


def test_items_age_and_margin_formulas_agree_with_the_rows(recalculated):
    python, calc = recalculated
    items = [(ref, f) for (sheet, ref), (f, _) in python.items() if sheet == "Items"]
    assert len(items) > 200
    ws = calc["Items"]
    header = {c.value: c.column_letter for c in ws[1]}
    for ref, formula in items:
        row = int(re.sub(r"[A-Z]+", "", ref))
        cell = {h: ws[f"{col}{row}"].value for h, col in header.items() if h}
        if ref.startswith(header["Age (days)"]):
            received = cell["Received"]
            end = cell["Sold Date"] or dt.datetime.combine(AS_OF, dt.time())
            expected = None if received is None else (end - received).days
        else:
            price, cost = cell["Sold Price"], cell["Cost"]
            expected = None if price is None else Decimal(str(price)) - Decimal(str(cost))
        got = ws[ref].value
        assert _same(got, expected), f"Items!{ref} ={formula}: Excel {got!r}, row says {expected!r}"


def test_every_other_formula_agrees_with_the_settings(recalculated):
    """The template's own formulas (the Lists sheet splits Settings Locations for the
    dropdowns): the n-th cell is the n-th location, blank past the last."""
    python, calc = recalculated
    others = {k: v for k, v in python.items() if k[0] not in (*REPORT_SHEETS, "Items")}
    places = list(PLACES.values())
    for (sheet, ref), (formula, _) in others.items():
        assert sheet == "Lists", f"a formula on {sheet} this test does not know: {formula}"
        n = int(re.sub(r"[A-Z]+", "", ref)) - 2
        expected = places[n] if n < len(places) else None
        got = calc[sheet][ref].value
        assert _same(got, expected), f"{sheet}!{ref} ={formula}: {got!r} vs {expected!r}"


def _formula_cells(path: Path) -> dict[tuple[str, str], tuple[str, object]]:
    """(sheet, cell) -> (formula, the value cached in the file: Python's figure)."""
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.data_type == "f":
                    out[(ws.title, c.coordinate)] = (c.value, values[ws.title][c.coordinate].value)
    return out


def _strip_cached_values(src: Path, dst: Path) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                text = data.decode("utf-8")
                text = re.sub(r"(</f>)<v>[^<]*</v>", r"\1", text)
                text = re.sub(r'(<c\b[^>]*?) t="str"', r"\1", text)
                data = text.encode("utf-8")
            zout.writestr(info, data)


def _cached_values(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        return sum(
            len(re.findall(r"</f><v>", z.read(n).decode("utf-8")))
            for n in z.namelist()
            if n.startswith("xl/worksheets/")
        )


def _same(got, expected) -> bool:
    if expected in (None, ""):
        return got in (None, "")
    if isinstance(expected, str):
        return got == expected
    if isinstance(got, str) or got is None:
        return False
    if isinstance(expected, float) and not float(expected).is_integer():
        return got == pytest.approx(expected, rel=1e-9, abs=1e-9)
    return Decimal(str(got)).quantize(Decimal("0.01")) == Decimal(str(expected)).quantize(
        Decimal("0.01")
    )
