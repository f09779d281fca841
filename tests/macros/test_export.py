"""`loupe export`: figures as CSV and JSON, money exact, text that looks like a formula kept
as text. The shop is tests/macros/conftest.py's (see test_refresh.py for its figures)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pandas as pd
import pytest

from addin.macros.exporting import decimal_dollars, export_frame, guard_text, render
from addin.sheets import schema
from addin.workbook.files import FilesBook
from tests.macros import shopbook
from tests.macros.conftest import PRESSED, loupe
from tests.macros.shopbook import day


def exported(path, what, fmt):
    result = loupe("export", path, "--what", what, "--format", fmt)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_sales_csv_has_cost_of_goods_and_margin_per_line_to_the_cent(shop):
    rows = list(csv.DictReader(io.StringIO(exported(shop["path"], "sales", "csv"))))
    ring = next(r for r in rows if r["Serial"] == shop["sold"])
    assert (ring["Sales"], ring["Cost of Goods"], ring["Margin"]) == (
        "1999.99",
        "800.00",
        "1199.99",
    )
    chains = next(r for r in rows if r["Style"] == "CH-301")
    assert (chains["Qty"], chains["Sales"], chains["Cost of Goods"]) == ("2", "240.00", "100.00")
    assert chains["Cost Explained"] == "2 @ 50.00 from 2026-01-12"
    assert chains["Date"] == "2026-02-02"


def test_json_money_is_exact_decimal_text(shop):
    records = json.loads(exported(shop["path"], "onhand", "json"))
    owned = sum(Decimal(r["Owned Value"]) for r in records)
    assert owned == Decimal("1620.00")
    studs = next(r for r in records if r["Style"] == "ST-401")
    assert studs["Owned Value"] == "100.00" and studs["On Hand"] == 20


def test_ledger_export_is_every_entry_with_its_hash(shop):
    records = json.loads(exported(shop["path"], "ledger", "json"))
    sheet = shopbook.read_rows(shop["path"], schema.LEDGER)
    assert [r["Entry"] for r in records] == [r["Entry"] for r in sheet]
    assert [r["Hash"] for r in records] == [r["Hash"] for r in sheet]
    sale = next(r for r in records if r["Kind"] == "SALE" and r["Serial"])
    assert (sale["Unit Price"], sale["Cost of Goods"]) == ("1999.99", "800.00")
    assert records[0]["Posted At"].startswith("2026-03-01T17:00")


def test_layers_and_ageing_exports_agree_on_owned_value(shop):
    layers = list(csv.DictReader(io.StringIO(exported(shop["path"], "layers", "csv"))))
    ageing = list(csv.DictReader(io.StringIO(exported(shop["path"], "ageing", "csv"))))
    owned = sum(Decimal(r["Value"]) for r in layers if r["Terms"] == "Owned")
    assert owned == sum(Decimal(r["Value"]) for r in ageing) == Decimal("1620.00")
    assert {r["Bucket"] for r in ageing} == {"0-90"}


def test_csv_keeps_formula_looking_text_as_text(shop):
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
                "=cmd|'/c calc'!A1",
                "Main Case",
                "Sale",
            ]
        ],
    )
    assert loupe("post", "sales", shop["path"]).exit_code == 0
    text = exported(shop["path"], "sales", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[-1]["Customer"] == "'=cmd|'/c calc'!A1"
    as_json = json.loads(exported(shop["path"], "sales", "json"))
    assert as_json[-1]["Customer"] == "=cmd|'/c calc'!A1"  # JSON text is never run


def test_export_frame_gives_exact_decimals(shop):
    with FilesBook.open(shop["path"]) as book:
        frame = export_frame(book, "sales", now=PRESSED)
    assert frame["Sales"].sum() == Decimal("2239.99")
    with FilesBook.open(shop["path"]) as book, pytest.raises(ValueError, match="onhand"):
        export_frame(book, "everything", now=PRESSED)


def test_decimal_dollars_is_exact_for_big_and_negative_amounts():
    cents = pd.Series([123456789012, -5, 0, None], dtype="Int64")
    assert decimal_dollars(cents).tolist()[:3] == [
        Decimal("1234567890.12"),
        Decimal("-0.05"),
        Decimal("0.00"),
    ]
    assert pd.isna(decimal_dollars(cents).iloc[3])


def test_guard_text_marks_every_formula_start_and_nothing_else():
    values = pd.Series(["=1+1", "+44 20", "-x", "@SUM(A1)", "\tx", "plain", "a=b", None])
    guarded = guard_text(values).tolist()
    assert guarded[:7] == ["'=1+1", "'+44 20", "'-x", "'@SUM(A1)", "'\tx", "plain", "a=b"]
    assert pd.isna(guarded[7])


def test_render_refuses_unknown_formats():
    with pytest.raises(ValueError, match="csv or json"):
        render(pd.DataFrame({"a": [1]}), "xml")


def test_margin_percent_is_a_ratio_to_four_places_not_a_long_float(shop):
    rows = list(csv.DictReader(io.StringIO(exported(shop["path"], "sales", "csv"))))
    # ring: 1199.99 / 1999.99 = 0.59999...; chains: 140 / 240 = 0.58333...
    assert sorted(r["Margin %"] for r in rows) == ["0.5833", "0.6"]


def test_export_to_dash_writes_to_standard_output_not_a_file(shop, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = loupe("export", shop["path"], "--what", "onhand", "--format", "csv", "-o", "-")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split(",")
    assert "Style" in header and "On Hand" in header  # the CSV itself, on standard output
    assert not (tmp_path / "-").exists()
