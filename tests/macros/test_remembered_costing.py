"""The Books a press leaves beside the Ledger it saved, and what the next press makes of them.

A press on an unchanged Ledger takes the Ledger's Books (the costing of every entry) from
what Loupe remembered instead of costing the whole Ledger again. The figures must not depend
on it: the same presses run on two copies of a real book, one with what Loupe remembered
and one whose memory is deleted before every press (as on another computer), must leave
every cell of every sheet the same, the Ledger's included. A book changed in between is
read fresh and costed in full.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from addin import session
from addin.core import costing, ledger
from addin.core.posting import shop as shop_module
from addin.core.posting.shop import shop_methods
from addin.sheets import schema
from addin.workbook.files import FilesBook, ledger_memory
from addin.workbook.reader.tables import ledger_frame
from tests.macros import shopbook
from tests.macros.conftest import loupe
from tests.macros.shopbook import day


def every_cell(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's cells as openpyxl reads them back (formulas as their text)."""
    wb = openpyxl.load_workbook(path, keep_vba=True)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()]
            for ws in wb.worksheets}


def typed_by_script(path: Path, sheet: schema.Sheet, rows: list[dict]) -> None:
    """Rows added through Loupe's own files adapter, which leaves the Ledger's parts as
    they are (as a till or `loupe import` would): what Loupe remembered still holds."""
    with FilesBook.open(path) as book:
        book.append_rows(sheet, [[r.get(h) for h in sheet.headers] for r in rows])
        book.save()


class WholeLedgerCostings:
    """Counts the presses that cost the whole Ledger (`open_shop` without Books)."""

    def __init__(self, monkeypatch):
        self.count = 0
        real = costing.book

        class Counting:
            def __getattr__(self, name):
                return getattr(costing, name)

            @staticmethod
            def book(*args, **kwargs):
                self.count += 1
                return real(*args, **kwargs)

        monkeypatch.setattr(shop_module, "costing", Counting())


SALE_OF_CHAINS = {"Date": day("2026-02-21"), "Doc": "T-7", "Style": "CH-301", "Qty": 3,
                  "Unit Price": 120.0, "Customer": "D. Lindqvist", "Location": "Main Case",
                  "Kind": "Sale"}
STUDS_AND_A_RING = [
    {"Date": day("2026-02-22"), "Doc": "PO-11", "Vendor": "Silverline", "Style": "ST-401",
     "Qty": 7, "Unit Cost": 5.125, "Location": "Main Case", "Terms": "Owned"},
    {"Date": day("2026-02-22"), "Doc": "PO-11", "Vendor": "Aurum", "Style": "RG-101",
     "Qty": 1, "Unit Cost": 845.0, "Location": "Vault", "Terms": "Owned"},
]
CHAINS_IN = {"Date": day("2026-02-20"), "Doc": "PO-9", "Vendor": "Northstar", "Style": "CH-301",
             "Qty": 4, "Unit Cost": 55.0, "Location": "Main Case", "Terms": "Owned"}


@pytest.fixture
def warm_and_cold(shop, tmp_path):
    """The stocked shop after a post that left its Books remembered, and a copy of it."""
    warm = shop["path"]
    typed_by_script(warm, schema.RECEIVING, [CHAINS_IN])
    assert loupe("post", "receipts", warm).exit_code == 0  # remembers the Ledger's Books
    cold = tmp_path / "cold" / "shop.xlsm"
    cold.parent.mkdir()
    shutil.copyfile(warm, cold)
    return warm, cold


def press_both(warm: Path, cold: Path, *args: str) -> None:
    """The same press on both copies; then every cell of every sheet is the same."""
    ledger_memory.forget(cold)  # nothing remembered: read, verified and costed in full
    for path in (warm, cold):
        result = loupe(*args, path)
        assert result.exit_code == 0, result.output
    got, want = every_cell(warm), every_cell(cold)
    assert got.keys() == want.keys()
    for sheet in want:
        assert got[sheet] == want[sheet], f"{sheet} after {' '.join(args)}"


def test_presses_with_the_books_remembered_leave_every_cell_as_presses_without(
    warm_and_cold, monkeypatch
):
    warm, cold = warm_and_cold
    costed = WholeLedgerCostings(monkeypatch)
    for path in (warm, cold):
        typed_by_script(path, schema.SALES, [SALE_OF_CHAINS])
    press_both(warm, cold, "post", "sales")
    for path in (warm, cold):
        typed_by_script(path, schema.RECEIVING, STUDS_AND_A_RING)
    press_both(warm, cold, "post", "receipts")
    assert costed.count == 2  # the cold copy's two posts; the warm copy's none
    press_both(warm, cold, "refresh")  # every report, from each copy's Ledger
    # the figures themselves, worked out by hand: chains are FIFO; 10 came in at 50.00 and
    # 2 were sold before 4 more came at 55.00, so the 3 sold now cost 3 x 50.00
    rows = shopbook.read_rows(warm, schema.LEDGER)
    sale = next(r for r in rows if r["Doc"] == "T-7")
    assert sale["Cost of Goods"] == 150.0
    studs = next(r for r in rows if r["Doc"] == "PO-11" and r["Style"] == "ST-401")
    assert (studs["Qty"], studs["Unit Cost"]) == (7, 5.125)


def test_the_books_remembered_are_the_costing_of_the_ledger_read_fresh(warm_and_cold):
    warm, _ = warm_and_cold
    with FilesBook.open(warm, writing=False) as book:
        settings, _ = session.read_settings(book)
        styles, _ = session.read_styles(book)
        methods = shop_methods(styles, settings)
        assert book.known_ledger(None) is not None
        got = book.known_costing(methods)
        other = {**methods, "CH-301": "Average"}
        assert book.known_costing(other) is None  # costed by other methods: not these
        fresh = ledger_frame(book.read_table(schema.LEDGER))
    assert got is not None
    want = costing.in_style_order(costing.book(ledger.normalize(fresh), methods))
    for name in ledger_memory.BOOK_FRAMES:
        pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name))
    for name in ledger_memory.BOOK_SERIES:
        pd.testing.assert_series_equal(getattr(got, name), getattr(want, name))
    # 14 chains received, 2 sold: 8 left at 50.00 and 4 at 55.00
    chains = got.layers[got.layers["style"] == "CH-301"]
    assert list(zip(chains["qty"], chains["value"], strict=True)) == [(8, 400_00), (4, 220_00)]


def test_items_typed_between_presses_are_read_fresh(warm_and_cold, monkeypatch):
    warm, cold = warm_and_cold
    costed = WholeLedgerCostings(monkeypatch)
    for path in (warm, cold):
        items = shopbook.read_rows(path, schema.ITEMS)
        ring = next(i for i in items if i["Style"] == "RG-101" and i["Status"] == "In Stock")
        with FilesBook.open(path) as book:
            book.write_cells(schema.ITEMS, {"Description": {ring["_row"]: "Hand engraved"},
                                            "Location": {ring["_row"]: "Window"}})
            book.save()
        typed_by_script(path, schema.RECEIVING, STUDS_AND_A_RING)
    press_both(warm, cold, "post", "receipts")
    assert costed.count == 1  # the cold copy's
    ring = next(i for i in shopbook.read_rows(warm, schema.ITEMS) if i["_row"] == ring["_row"])
    assert ring["Description"] == "Hand engraved"  # the owner's, kept
    assert ring["Location"] == "Main Case"  # the Ledger's: where the ring is


def test_a_book_saved_by_another_program_is_costed_in_full(warm_and_cold, monkeypatch):
    warm, _ = warm_and_cold
    wb = openpyxl.load_workbook(warm, keep_vba=True)
    wb.save(warm)  # nothing edited; every part rewritten, as Excel would
    costed = WholeLedgerCostings(monkeypatch)
    typed_by_script(warm, schema.RECEIVING, STUDS_AND_A_RING)
    assert loupe("post", "receipts", warm).exit_code == 0
    assert costed.count == 1
    costed.count = 0
    typed_by_script(warm, schema.SALES, [SALE_OF_CHAINS])
    assert loupe("post", "sales", warm).exit_code == 0
    assert costed.count == 0  # that post left its Books for this one


def test_a_ledger_edited_after_its_books_were_remembered_is_caught(warm_and_cold):
    warm, _ = warm_and_cold
    rows = shopbook.read_rows(warm, schema.LEDGER)
    chains = next(r for r in rows if r["Doc"] == "PO-9")
    qty_column = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[list(rows[0]).index("Qty") - 1]
    shopbook.set_cell(warm, "Ledger", f"{qty_column}{chains['_row']}", 40)
    typed_by_script(warm, schema.SALES, [SALE_OF_CHAINS])
    result = loupe("post", "sales", warm)
    assert result.exit_code == 2
    assert f"Ledger row {chains['_row']}" in result.output
    assert "T-7" not in {r["Doc"] for r in shopbook.read_rows(warm, schema.LEDGER)}


def test_damaged_books_in_the_memory_are_not_taken(warm_and_cold, monkeypatch):
    warm, cold = warm_and_cold
    memory = ledger_memory.memory_file(warm)
    data = bytearray(memory.read_bytes())
    data[-40] ^= 0xFF  # inside the Books' bytes, the last thing in the file
    memory.write_bytes(bytes(data))
    costed = WholeLedgerCostings(monkeypatch)
    for path in (warm, cold):
        typed_by_script(path, schema.SALES, [SALE_OF_CHAINS])
    press_both(warm, cold, "post", "sales")
    assert costed.count == 2  # the Ledger frame taken from memory, its Books costed again


def test_a_backdated_receipt_that_re_costs_a_sale_leaves_the_same_cells(warm_and_cold,
                                                                      monkeypatch):
    """Studs are costed at their moving average: 5 sold on 02-21 went out at 5.00 (20 in at
    5.00); a receipt of 20 at 6.50 typed late, dated 02-20, makes the average 5.75 before
    that sale, so the post adds a cost adjustment of 5 x 0.75 = 3.75 to it."""
    warm, cold = warm_and_cold
    costed = WholeLedgerCostings(monkeypatch)
    studs_sold = {**SALE_OF_CHAINS, "Doc": "T-8", "Style": "ST-401", "Qty": 5,
                  "Unit Price": 35.0}
    late = {**STUDS_AND_A_RING[0], "Date": day("2026-02-20"), "Qty": 20, "Unit Cost": 6.5}
    for path in (warm, cold):
        typed_by_script(path, schema.SALES, [studs_sold])
    press_both(warm, cold, "post", "sales")
    for path in (warm, cold):
        typed_by_script(path, schema.RECEIVING, [late])
    press_both(warm, cold, "post", "receipts")
    assert costed.count == 2  # the cold copy's
    adjusted = [r for r in shopbook.read_rows(warm, schema.LEDGER) if r["Kind"] == "COST_ADJUST"]
    assert [r["Cost of Goods"] for r in adjusted] == [3.75]
