"""Items' Age counts to the day the reports are as of: after `loupe refresh --as-of DAY`
Excel's Age formula on Items (recalculated here by LibreOffice) shows the same days as the
Cost Layers report for the same piece; a refresh without a date goes back to today."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest

from addin.sheets import schema
from tests.macros import shopbook
from tests.macros.conftest import loupe
from tests.workbook.libreoffice import convert, soffice

AS_OF = dt.date(2026, 2, 15)


def names(path) -> dict[str, str]:
    wb = openpyxl.load_workbook(path, keep_vba=True)
    return {n: d.attr_text for n, d in wb.defined_names.items()}


def test_a_refresh_given_a_date_writes_it_for_the_items_ages(shop):
    assert loupe("refresh", shop["path"], "--as-of", AS_OF.isoformat()).exit_code == 0
    got = names(shop["path"])
    assert got["RefreshedAsOf"] == "DATE(2026,2,15)"
    assert got["AsOfDate"].startswith('IF(RefreshedAsOf<>"",RefreshedAsOf,')
    assert loupe("refresh", shop["path"]).exit_code == 0  # no date: today again
    assert names(shop["path"])["RefreshedAsOf"] == '""'


def test_a_book_from_the_earlier_template_gets_the_new_age_date_on_refresh(shop):
    wb = openpyxl.load_workbook(shop["path"], keep_vba=True)
    del wb.defined_names["RefreshedAsOf"]
    wb.defined_names["AsOfDate"].attr_text = (
        'IF(ReportAsOf="",TODAY(),IF(ISNUMBER(ReportAsOf),ReportAsOf,DATEVALUE(ReportAsOf)))')
    wb.save(shop["path"])
    assert loupe("refresh", shop["path"], "--as-of", AS_OF.isoformat()).exit_code == 0
    got = names(shop["path"])
    assert got["RefreshedAsOf"] == "DATE(2026,2,15)" and "RefreshedAsOf" in got["AsOfDate"]


@pytest.mark.libreoffice
@pytest.mark.skipif(soffice() is None, reason="needs LibreOffice (make system-deps)")
def test_items_age_and_the_reports_age_agree_for_each_piece(shop, tmp_path):
    path = shop["path"]
    assert loupe("refresh", path, "--as-of", AS_OF.isoformat()).exit_code == 0
    copy = tmp_path / "recalc.xlsm"
    shutil.copyfile(path, copy)
    calc = openpyxl.load_workbook(convert(copy, "xlsx", tmp_path / "calc"), data_only=True)
    items = {r["Serial"]: r for r in shopbook.read_rows(path, schema.ITEMS)}
    ws = calc["Items"]
    col = {c.value: i for i, c in enumerate(ws[1])}
    shown = {row[col["Serial"]].value: row[col["Age (days)"]].value
             for row in ws.iter_rows(min_row=2) if row[col["Serial"]].value}
    layers = calc["Cost Layers"]
    rows = [[c.value for c in r] for r in layers.iter_rows()]
    head = next(i for i, r in enumerate(rows) if r[:3] == ["Style", "Category", "Serial"])
    h = rows[head]
    reported = {r[h.index("Serial")]: r[h.index("Age (days)")] for r in rows[head + 1:]
                if r[h.index("Serial")]}
    in_stock = [s for s, i in items.items() if i["Status"] == "In Stock"]
    assert len(in_stock) == 2 and set(in_stock) <= set(reported)
    for serial in in_stock:  # worked out by hand: the days from receipt to AS_OF
        by_hand = (AS_OF - items[serial]["Received"].date()).days
        assert shown[serial] == reported[serial] == by_hand, serial
    sold = shop["sold"]  # a sold piece counts to its sale, whatever the date
    assert shown[sold] == (items[sold]["Sold Date"] - items[sold]["Received"]).days
