"""Refusal paths of Sales, Convert Style and Reverse, pressed on a book held in memory."""

from __future__ import annotations

import datetime as dt

import pytest

from addin.macros import buttons
from addin.sheets import schema
from addin.workbook.memory import MemoryBook
from tests.macros.shopbook import STYLES, day

NOW = dt.datetime(2026, 3, 1, 17)  # when every press of these tests happens


@pytest.fixture
def shop():
    book = MemoryBook.blank()
    book.type(schema.STYLES, STYLES)
    book.type(schema.RECEIVING, [
        [day("2026-01-10"), "PO-1", "Aurum", "RG-101", 1, 800.0, "LP-000001N", "Vault", "Owned"],
        [day("2026-01-12"), "PO-2", "Northstar", "CH-301", 10, 50.0, None, "Main Case", "Owned"],
    ])
    assert buttons.post_receipts(book, now=NOW).refused == 0
    return book


def said(outcome) -> str:
    return " | ".join(str(p) for p in outcome.problems)


def sale(serial, style, qty, loc):
    return [day("2026-02-01"), "T-1", serial, style, qty, 1999.99, "B. Chen", loc, "Sale"]


def test_a_serialized_sale_of_two_is_refused(shop):
    shop.type(schema.SALES, [sale("LP-000001N", None, 2, None)])
    outcome = buttons.post_sales(shop, now=NOW)
    assert outcome.refused == 1 and "Qty 2 for one serialized piece" in said(outcome)


def test_a_serialized_sale_at_the_wrong_place_is_refused(shop):
    shop.type(schema.SALES, [sale("LP-000001N", None, 1, "Main Case")])
    outcome = buttons.post_sales(shop, now=NOW)
    assert "serial is at Vault, not Main Case" in said(outcome)


def test_a_serial_never_received_is_refused(shop):
    shop.type(schema.SALES, [sale("LP-000099X", None, 1, None)])
    assert buttons.post_sales(shop, now=NOW).refused == 1


def test_convert_refuses_an_unknown_style_a_bad_target_and_no_change(shop):
    assert "unknown style 'ZZ-1'" in said(buttons.convert_style(shop, "ZZ-1", "Quantity", now=NOW))
    assert "cannot convert to 'sideways'" in said(
        buttons.convert_style(shop, "CH-301", "sideways", now=NOW))
    assert "CH-301 is already Quantity" in said(
        buttons.convert_style(shop, "CH-301", "quantity", now=NOW))
    assert [e["Kind"] for e in shop.rows(schema.LEDGER)] == ["RECEIPT", "RECEIPT"]


def test_reverse_refuses_an_entry_that_does_not_exist(shop):
    outcome = buttons.reverse(shop, 99, now=NOW)
    assert outcome.refused == 1 or outcome.problems
    assert [e["Kind"] for e in shop.rows(schema.LEDGER)] == ["RECEIPT", "RECEIPT"]


def test_reverse_refuses_a_receipt_whose_stock_has_been_sold(shop):
    shop.type(schema.SALES, [sale(None, "CH-301", 2, "Main Case")])
    assert buttons.post_sales(shop, now=NOW).refused == 0
    outcome = buttons.reverse(shop, 2, now=NOW)
    assert outcome.problems
    assert "REVERSAL" not in [e["Kind"] for e in shop.rows(schema.LEDGER)]
