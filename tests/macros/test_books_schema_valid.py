"""Every XML part of every kind of book Loupe writes is valid against the OOXML schemas.

Desktop Excel repairs or refuses a part that breaks its schema, and nobody here can open
Excel, so the published schemas (tests/data/ooxml) stand in for it: the template, a fresh
book, a book with receipts and sales posted and refreshed, one after a style conversion and
a reversal, one after a change of cost method, and the demo shop.
"""

from __future__ import annotations

import zipfile

import pytest

from tests.macros.conftest import loupe
from tests.macros.shopbook import TEMPLATE
from tests.ooxml import schema_problems, xml_parts


def test_the_template_is_schema_valid():
    assert len(xml_parts(TEMPLATE)) > 20
    assert schema_problems(TEMPLATE) == []


def test_a_fresh_book_is_schema_valid(tmp_path):
    book = tmp_path / "new.xlsm"
    assert loupe("new", book).exit_code == 0
    assert schema_problems(book) == []


def test_a_posted_and_refreshed_book_is_schema_valid(shop):
    assert loupe("refresh", shop["path"]).exit_code == 0
    parts = xml_parts(shop["path"])
    assert any(name.startswith("xl/charts/") for name in parts)  # the report charts too
    assert schema_problems(shop["path"]) == []


def test_a_converted_and_reversed_book_is_schema_valid(shop):
    assert loupe("convert", shop["path"], "CH-301", "--to", "serialized").exit_code == 0
    reversed_ = loupe("reverse", shop["path"], "5", "--why", "keyed twice")  # the studs' receipt
    assert reversed_.exit_code == 0, reversed_.output
    assert loupe("refresh", shop["path"]).exit_code == 0
    assert schema_problems(shop["path"]) == []


def test_a_book_with_a_method_change_is_schema_valid(shop):
    changed = loupe("method", shop["path"], "CH-301", "--to", "Average", "--date", "2026-02-15")
    assert changed.exit_code == 0, changed.output
    assert loupe("refresh", shop["path"]).exit_code == 0
    assert schema_problems(shop["path"]) == []


@pytest.mark.slow
def test_the_demo_shop_is_schema_valid(tmp_path):
    book = tmp_path / "demo.xlsm"
    assert loupe("new", "--demo", book).exit_code == 0
    assert loupe("refresh", book, "--as-of", "2026-11-20").exit_code == 0
    assert schema_problems(book) == []


def test_the_check_catches_a_broken_part(tmp_path):
    broken = tmp_path / "broken.xlsm"
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(broken, "w") as out:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/styles.xml":
                data = data.replace(b"<fonts ", b"<fontz ", 1).replace(b"</fonts>", b"</fontz>")
            out.writestr(name, data)
    (problem,) = [p for p in schema_problems(broken) if p.startswith("xl/styles.xml")]
    assert "fontz" in problem


def test_a_book_with_opening_stock_imported_and_set_up_for_excel_is_schema_valid(tmp_path,
                                                                                monkeypatch):
    monkeypatch.setenv("LOUPE_NOW", "2026-03-01T10:00:00")
    book = tmp_path / "opened.xlsm"
    stock = TEMPLATE.parent / "tests" / "data" / "opening" / "old_inventory.xlsx"
    assert loupe("new", book).exit_code == 0
    assert loupe("import", book, stock).exit_code == 0
    assert loupe("refresh", book).exit_code == 0
    setup = loupe("excel", "setup", book, "--for", "windows", "--python", r"C:\py\python.exe")
    assert setup.exit_code == 0
    assert schema_problems(book) == []
