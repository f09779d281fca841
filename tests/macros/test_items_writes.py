"""A post writes to Items only what changed, and the sheet ends up as a full rewrite would
leave it (the full rewrite is forced on a copy of the same book, for comparison)."""

from __future__ import annotations

import shutil

import pytest

from addin import session
from addin.sheets import schema
from addin.workbook.files import FilesBook
from tests.macros import shopbook
from tests.macros.conftest import loupe
from tests.macros.shopbook import day

RINGS = [[day("2026-02-20"), "PO-30", "Aurum", "RG-101", 1, 700.0, None, "Main Case", "Owned"],
         [day("2026-02-20"), "PO-30", "Aurum", "PD-201", 1, 310.0, None, "Vault", "Owned"]]
CHAIN = [[day("2026-02-20"), "PO-31", "Northstar", "CH-301", 4, 55.0, None, "Main Case", "Owned"]]


def posted_both_ways(shop, tmp_path, monkeypatch, rows):
    shortcut, full = shop["path"], tmp_path / "full.xlsm"
    shopbook.type_rows(shortcut, schema.RECEIVING, rows)
    shutil.copyfile(shortcut, full)
    assert loupe("post", "receipts", shortcut).exit_code == 0
    with monkeypatch.context() as m:
        m.setattr(session, "_rows_held", lambda raw, at_most: None)  # always rewrite all
        assert loupe("post", "receipts", full).exit_code == 0
    return shopbook.read_rows(shortcut, schema.ITEMS), shopbook.read_rows(full, schema.ITEMS)


@pytest.mark.parametrize("rows", [RINGS, CHAIN], ids=["new pieces", "quantity stock"])
def test_items_after_a_post_equal_a_full_rewrite(shop, tmp_path, monkeypatch, rows):
    mine, full = posted_both_ways(shop, tmp_path, monkeypatch, rows)
    assert mine == full
    assert len(mine) == 3 + (2 if rows is RINGS else 0)  # two rings and a pendant before


def test_a_post_of_quantity_stock_leaves_the_items_sheet_alone(shop):
    path = shop["path"]
    shopbook.type_rows(path, schema.RECEIVING, CHAIN)
    calls = []
    real = session.write_items

    def spy(book, rows, raw=None):
        calls.append(len(rows))
        return real(book, rows, raw)

    with pytest.MonkeyPatch.context() as m:
        m.setattr(session, "write_items", spy)
        replaced = []
        real_replace = FilesBook.replace_rows
        m.setattr(FilesBook, "replace_rows",
                  lambda s, sheet, r: replaced.append(sheet.name) or real_replace(s, sheet, r))
        assert loupe("post", "receipts", path).exit_code == 0
    assert calls == [3] and "Items" not in replaced


def test_an_items_sheet_edited_out_of_shape_is_rewritten_in_full(shop):
    path = shop["path"]
    rows = shopbook.read_rows(path, schema.ITEMS)
    shopbook.set_cell(path, "Items", f"I{rows[0]['_row']}", 1.0)  # Cost overwritten by hand
    shopbook.type_rows(path, schema.RECEIVING, CHAIN)
    assert loupe("post", "receipts", path).exit_code == 0
    after = shopbook.read_rows(path, schema.ITEMS)
    assert after[0]["Cost"] == rows[0]["Cost"]  # the ledger's cost, back in its cell
