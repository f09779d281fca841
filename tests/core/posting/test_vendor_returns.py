"""A Vendor Return may name, in To, the receipt (Doc) it goes back against: it is then
credited at that receipt's cost. Pressed on a book held in memory."""

from __future__ import annotations

import datetime as dt

import pytest

from addin.macros import buttons
from addin.sheets import schema
from addin.workbook.memory import MemoryBook
from tests.macros.shopbook import STYLES, day

NOW = dt.datetime(2026, 3, 1, 17)  # when every press of these tests happens


def received(date, doc, qty, cost):
    return [day(date), doc, "Northstar", "CH-301", qty, cost, None, "Main Case", "Owned"]


def vendor_return(doc, qty, against, date="2026-02-10"):
    return [day(date), doc, "Vendor Return", None, "CH-301", qty, "Main Case", against,
            "Northstar"]


@pytest.fixture
def shop():
    """CH-301 at Main Case: PO-1 5 @ 10.00 (01-10), PO-2 5 @ 20.00 (01-20)."""
    book = MemoryBook.blank()
    book.type(schema.STYLES, STYLES)
    book.type(schema.RECEIVING, [received("2026-01-10", "PO-1", 5, 10.0),
                                 received("2026-01-20", "PO-2", 5, 20.0)])
    assert buttons.post_receipts(book, now=NOW).refused == 0
    return book


def returns(book):
    return [(e["Qty"], e["Cost of Goods"], e["Reverses"]) for e in book.rows(schema.LEDGER)
            if e["Kind"] == "VENDOR_RETURN"]


def statuses(book):
    buttons.post_movements(book, now=NOW)
    return [r["Status"] for r in book.rows(schema.MOVEMENTS)]


def test_the_vendor_is_credited_at_the_named_receipts_cost(shop):
    shop.type(schema.MOVEMENTS, [vendor_return("RMA-1", 2, " po-2")])  # as a clerk types it
    assert statuses(shop) == ["Posted"]
    # 2 x 20.00 from PO-2 (entry 2), not 2 x 10.00 from the oldest layer
    assert returns(shop) == [(-2, 40.0, 2)]


def test_without_a_receipt_the_oldest_stock_goes_back(shop):
    shop.type(schema.MOVEMENTS, [vendor_return("RMA-1", 2, None)])
    assert statuses(shop) == ["Posted"]
    assert returns(shop) == [(-2, 20.0, None)]  # 2 x 10.00, PO-1 first


def test_a_receipt_with_too_little_left_is_refused_counting_rows_of_the_same_press(shop):
    shop.type(schema.MOVEMENTS, [vendor_return("RMA-1", 4, "PO-2"),
                                 vendor_return("RMA-2", 2, "PO-2")])
    # RMA-1 takes 4 of PO-2's 5; RMA-2 then finds 1 left
    assert statuses(shop) == [
        "Posted",
        "Error: Qty: receipt PO-2 has 1 of CH-301 left at Main Case (the rest sold, moved or "
        "sent back), 2 asked; return at most 1 against PO-2, the rest on another row, or "
        "clear To"]


def test_a_receipt_sold_out_has_nothing_left_to_return(shop):
    shop.type(schema.SALES, [[day("2026-02-01"), "T-1", None, "CH-301", 6, 50.0, "Ann",
                              "Main Case", "Sale"]])
    assert buttons.post_sales(shop, now=NOW).refused == 0  # FIFO: PO-1's 5, then 1 of PO-2
    shop.type(schema.MOVEMENTS, [vendor_return("RMA-1", 1, "PO-1")])
    assert statuses(shop)[0].startswith(
        "Error: Qty: receipt PO-1 has 0 of CH-301 left at Main Case")


def test_a_return_dated_before_its_receipt_is_refused(shop):
    shop.type(schema.MOVEMENTS, [vendor_return("RMA-1", 1, "PO-2", date="2026-01-15")])
    assert statuses(shop) == [
        "Error: Date: 2026-01-15 is before receipt PO-2 arrived (2026-01-20); date the return "
        "on or after the delivery"]


def test_a_return_against_a_receipt_can_be_undone(shop):
    shop.type(schema.MOVEMENTS, [vendor_return("RMA-1", 2, "PO-2")])
    assert statuses(shop) == ["Posted"]
    entry = next(e["Entry"] for e in shop.rows(schema.LEDGER) if e["Kind"] == "VENDOR_RETURN")
    assert not buttons.reverse(shop, entry, now=NOW).problems
    shop.type(schema.MOVEMENTS, [vendor_return("RMA-2", 5, "PO-2")])
    assert statuses(shop)[-1] == "Posted"  # all 5 of PO-2 are back to return
