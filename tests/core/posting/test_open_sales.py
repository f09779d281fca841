"""Returns are matched to the open sales of the batch's own copy of the stock: a batch that
returns units leaves the shop's open sales as they were read, so judging the same rows
again (Validate, then Post; a worksheet function asking twice) gives the same answer.
Pressed on a book held in memory.
"""

from __future__ import annotations

import datetime as dt

import pytest

from addin import session
from addin.core.posting.selling import post_sales
from addin.core.rows import models
from addin.macros import buttons
from addin.sheets import schema
from addin.workbook.memory import MemoryBook
from tests.macros.shopbook import STYLES, day

NOW = dt.datetime(2026, 3, 1, 17)


def sale_row(doc, qty, customer, kind="Sale", date="2026-02-10"):
    return [day(date), doc, None, "CH-301", qty, 120.0, customer, "Main Case", kind]


@pytest.fixture
def book():
    """10 chains received; 3 sold to A. Moreno (T-1)."""
    book = MemoryBook.blank()
    book.type(schema.STYLES, STYLES)
    book.type(schema.RECEIVING, [[day("2026-01-12"), "PO-1", "Northstar", "CH-301", 10, 50.0,
                                  None, "Main Case", "Owned"]])
    assert buttons.post_receipts(book, now=NOW).refused == 0
    book.type(schema.SALES, [sale_row("T-1", 3, "A. Moreno")])
    assert buttons.post_sales(book, now=NOW).refused == 0
    return book


def test_judging_the_same_returns_twice_gives_the_same_answer(book):
    book.type(schema.SALES, [sale_row("R-1", 2, "A. Moreno", "Return", "2026-02-11"),
                             sale_row("R-2", 2, "A. Moreno", "Return", "2026-02-12")])
    shop, _ = session.load_shop(book, NOW)
    rows = session.typed_rows(book, schema.SALES, models.SaleRow)
    first, again = post_sales(rows, shop), post_sales(rows, shop)
    for posting in (first, again):
        status = {o.row: o.status for o in posting.outcomes}
        by_doc = {r.doc: status.get(r.row, "") for r in rows}
        assert by_doc["R-1"] == "Posted"  # 2 of the 3 sold come back
        assert by_doc["R-2"].startswith("Error: Qty: no sale of 2 CH-301 to A. Moreno is open "
                                        "to return (1 sold and not yet returned)")
    assert shop.stock.sales["CH-301"][0][1] == 3  # the shop's own: 3 sold, none back
