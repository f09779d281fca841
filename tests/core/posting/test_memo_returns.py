"""A quantity Memo Return sends back consigned (memo-in) units only, never owned stock.

FIFO sends back the units next in line at the place they leave from, so a Memo Return is
allowed only while those units are the consignor's. Pressed on a book held in memory.
"""

from __future__ import annotations

import datetime as dt

import pytest

from addin.macros import buttons
from addin.sheets import schema
from addin.workbook.memory import MemoryBook
from tests.macros.shopbook import STYLES, day

NOW = dt.datetime(2026, 3, 1, 17)  # when every press of these tests happens


def received(date, doc, qty, cost, loc, terms, vendor="Northstar"):
    return [day(date), doc, vendor, "CH-301", qty, cost, None, loc, terms]


def memo_return(doc, qty, loc, date="2026-02-10"):
    return [day(date), doc, "Memo Return", None, "CH-301", qty, loc, None, "Gemline"]


@pytest.fixture
def shop():
    """Main Case: 10 owned (01-12) then 5 on memo (01-15). Vault: 5 on memo only.
    Window: 2 on memo (01-15) then 3 owned (01-20)."""
    book = MemoryBook.blank()
    book.type(schema.STYLES, STYLES)
    book.type(schema.RECEIVING, [
        received("2026-01-12", "PO-1", 10, 50.0, "Main Case", "Owned"),
        received("2026-01-15", "MI-1", 5, 40.0, "Main Case", "Memo", "Gemline"),
        received("2026-01-15", "MI-2", 5, 40.0, "Vault", "Memo", "Gemline"),
        received("2026-01-15", "MI-3", 2, 40.0, "Window", "Memo", "Gemline"),
        received("2026-01-20", "PO-2", 3, 60.0, "Window", "Owned"),
    ])
    assert buttons.post_receipts(book, now=NOW).refused == 0
    return book


def statuses(book):
    return [r["Status"] for r in book.rows(schema.MOVEMENTS)]


def test_memo_stock_goes_back_to_its_consignor(shop):
    shop.type(schema.MOVEMENTS, [memo_return("MR-1", 3, "Vault")])
    assert buttons.post_movements(shop, now=NOW).refused == 0
    back = [e for e in shop.rows(schema.LEDGER) if e["Kind"] == "MEMO_RETURN"]
    assert [(e["Qty"], e["Location"]) for e in back] == [(-3, "Vault")]


def test_a_memo_return_of_owned_stock_is_refused_and_validate_says_the_same(shop):
    # Main Case queues the 10 owned chains (01-12) before the 5 on memo (01-15).
    shop.type(schema.MOVEMENTS, [memo_return("MR-1", 1, "Main Case")])
    want = ("Error: Kind: CH-301 at Main Case is owned stock, none of it on memo from a "
            "consignor; use Vendor Return for owned stock")
    buttons.validate_styles(shop, now=NOW)
    assert statuses(shop) == [want]
    outcome = buttons.post_movements(shop, now=NOW)
    assert outcome.refused == 1 and statuses(shop) == [want]
    assert "MEMO_RETURN" not in [e["Kind"] for e in shop.rows(schema.LEDGER)]


def test_a_memo_return_may_not_reach_past_the_memo_units_into_owned_ones(shop):
    # Window: 2 on memo next in line, then 3 owned: 3 asked is 1 owned too many.
    shop.type(schema.MOVEMENTS, [memo_return("MR-1", 3, "Window")])
    assert statuses_after_post(shop) == [
        "Error: Qty: only 2 of CH-301 at Window are on memo from a consignor (next in line), "
        "3 asked; return 2 on this row and send owned stock back with a Vendor Return"]


def test_rows_of_one_press_use_up_the_memo_units_in_turn(shop):
    # Window's 2 memo chains go back on MR-1; MR-2 would then take an owned one.
    shop.type(schema.MOVEMENTS, [memo_return("MR-1", 2, "Window"),
                                 memo_return("MR-2", 1, "Window")])
    assert statuses_after_post(shop)[1].startswith(
        "Error: Kind: CH-301 at Window is owned stock")
    assert statuses(shop)[0] == "Posted"


def test_memo_stock_moved_to_an_empty_place_can_go_back_from_there():
    book = MemoryBook.blank()
    book.type(schema.STYLES, STYLES)
    book.type(schema.RECEIVING, [received("2026-01-15", "MI-1", 5, 40.0, "Vault", "Memo")])
    assert buttons.post_receipts(book, now=NOW).refused == 0
    # One press: 3 memo chains Vault -> Window (which holds none), then back from Window.
    book.type(schema.MOVEMENTS, [
        [day("2026-02-05"), "TR-1", "Transfer", None, "CH-301", 3, "Vault", "Window"],
        memo_return("MR-1", 3, "Window"),
    ])
    assert statuses_after_post(book) == ["Posted", "Posted"]


def statuses_after_post(book):
    buttons.post_movements(book, now=NOW)
    return statuses(book)


def vendor_return(doc, qty, loc, against=None):
    return [day("2026-02-10"), doc, "Vendor Return", None, "CH-301", qty, loc, against,
            "Northstar"]


def test_a_vendor_return_never_sends_a_consignors_units_to_the_vendor(shop):
    # Vault: memo units only; Window: 2 memo next in line, then PO-2's 3 owned;
    # Main Case: PO-1's 10 owned first (the vendor return of 1 takes one of those).
    shop.type(schema.MOVEMENTS, [vendor_return("VR-1", 1, "Vault"),
                                 vendor_return("VR-2", 1, "Window"),
                                 vendor_return("VR-3", 1, "Window", against="PO-2"),
                                 vendor_return("VR-4", 1, "Main Case")])
    refused = ("Error: Kind: the CH-301 next in line at {} are on memo from a consignor, not "
               "owned; send those back with a Memo Return first, or name in To the receipt "
               "the owned stock came on")
    assert statuses_after_post(shop) == [refused.format("Vault"), refused.format("Window"),
                                         "Posted", "Posted"]
