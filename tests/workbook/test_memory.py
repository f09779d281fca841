"""The in-memory adapter: buttons run on it as on a file, with no file at all."""

from __future__ import annotations

import datetime as dt

import pytest

from addin.core.errors import BookError
from addin.macros import buttons
from addin.sheets import schema
from addin.workbook.memory import MemoryBook
from tests.macros.shopbook import STYLES, day

NOW = dt.datetime(2026, 3, 1, 17)  # when every press of these tests happens


@pytest.fixture
def shop():
    book = MemoryBook.blank()
    book.type(schema.STYLES, STYLES)
    return book


def test_receipts_post_to_the_ledger_and_the_press_saves_once(shop):
    shop.type(schema.RECEIVING, [
        [day("2026-01-12"), "PO-2", "Northstar", "CH-301", 10, 50.0, None, "Main Case", "Owned"],
        [day("2026-01-12"), "PO-3", "Nobody", "ZZ-999", 1, 10.0, None, "Main Case", "Owned"],
    ])
    outcome = buttons.post_receipts(shop, now=NOW)
    assert (outcome.posted, outcome.refused) == (1, 1)
    assert shop.saves == 1
    [entry] = shop.rows(schema.LEDGER)
    assert (entry["Kind"], entry["Style"], entry["Qty"], entry["Unit Cost"]) == (
        "RECEIPT", "CH-301", 10.0, 50.0)
    statuses = [r["Status"] for r in shop.rows(schema.RECEIVING)]
    assert statuses[0] == "Posted" and statuses[1].startswith("Error: Style: ")


def test_a_refresh_keeps_every_report_layout_and_saves_once(shop):
    shop.type(schema.RECEIVING, [
        [day("2026-01-12"), "PO-2", "Northstar", "CH-301", 10, 50.0, None, "Main Case", "Owned"]])
    buttons.post_receipts(shop, now=NOW)
    outcome = buttons.refresh_reports(shop, now=NOW)
    assert shop.saves == 2 and outcome.problems == []
    assert len(shop.reports) == 10
    assert shop.reports["Valuation"].heading == "My Jewelry Store: Stock on hand and its value"


def test_the_owners_sheet_named_like_a_report_is_left_alone(shop):
    shop.others.append("Reorder")
    outcome = buttons.refresh_reports(shop, now=NOW)
    assert [p.sheet for p in outcome.problems] == ["Reorder"]
    assert "Reorder" not in shop.reports and len(shop.reports) == 9


def test_a_press_that_fails_leaves_the_book_as_it_was(shop):
    del shop.tables["Ledger"]
    before = {name: [list(r) for r in rows] for name, rows in shop.tables.items()}
    with pytest.raises(BookError, match="no Ledger sheet"):
        buttons.post_receipts(shop, now=NOW)
    assert shop.tables == before and shop.saves == 0
