"""The worksheet functions' answers from a ledger, without Excel: figures worked by hand.

The shop's ledger, as of 2026-03-01:

    entry  date        kind       style   serial      qty  cost   price    place
    1      2026-01-12  RECEIPT    CH-301              10   50.00           Main Case
    2      2026-01-20  RECEIPT    CH-301               5   55.00           Main Case
    3      2026-02-02  SALE       CH-301             -12          120.00   Main Case  T-2
    4      2026-01-10  RECEIPT    RG-101  LP-000001N   1   800.00          Main Case
    5      2026-01-11  RECEIPT    RG-101  LP-000002L   1   820.00          Vault
    6      2026-02-01  SALE       RG-101  LP-000001N  -1         1999.99   Main Case  T-1
    7, 8   2026-02-05  TRANSFER   CH-301  1 unit, Main Case -> Vault
    9, 10  2026-02-06  MEMO_OUT   CH-301  1 unit, Main Case -> Memo: Harbor
    11     2026-02-20  RECEIPT    CH-301               4   10.01           Main Case
    12/13  2026-01-05  RECEIPT    ST-401 (Average) 10 @ 5.00, 10 @ 6.00; 14 SALE 4

The sale of 12 chains took all 10 at 50.00 and 2 at 55.00 (610.00); the 3 left of entry 2
went one to the Vault, one out on memo, one stayed; entry 11 queues behind them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from addin.core import ledger
from addin.core.rows.models import Style
from addin.core.rows.serials import check_serial
from addin.core.rows.settings import Settings
from addin.udfs.answers import LAYER_HEADER, Answers, Unanswerable

TODAY = dt.date(2026, 3, 1)
MAIN, VAULT, HARBOR = "Main Case", "Vault", "Memo: Harbor"


def E(entry, date, kind, style, qty, cost=0, price=0, place=MAIN, serial="", doc="", rev=0):
    """A ledger entry; cost and price in cents (the frame holds a unit cost and a unit price
    in ten-thousandths)."""
    return dict(entry=entry, posted_at=dt.datetime(2026, 3, 1, 17),
                date=dt.date.fromisoformat(date), kind=kind, doc=doc, style=style,
                serial=serial, qty=qty, unit_cost=cost * 100, unit_price=price * 100,
                location=place, reverses=rev)


LEDGER = [
    E(1, "2026-01-12", "RECEIPT", "CH-301", 10, cost=5000, doc="PO-2"),
    E(2, "2026-01-20", "RECEIPT", "CH-301", 5, cost=5500, doc="PO-3"),
    E(3, "2026-02-02", "SALE", "CH-301", -12, price=12000, doc="T-2"),
    E(4, "2026-01-10", "RECEIPT", "RG-101", 1, cost=80000, serial="LP-000001N", doc="PO-1"),
    E(5, "2026-01-11", "RECEIPT", "RG-101", 1, cost=82000, serial="LP-000002L", place=VAULT,
      doc="PO-1"),
    E(6, "2026-02-01", "SALE", "RG-101", -1, price=199999, serial="LP-000001N", doc="T-1"),
    E(7, "2026-02-05", "TRANSFER", "CH-301", -1, doc="X-1"),
    E(8, "2026-02-05", "TRANSFER", "CH-301", 1, place=VAULT, doc="X-1", rev=7),
    E(9, "2026-02-06", "MEMO_OUT", "CH-301", -1, doc="MO-1"),
    E(10, "2026-02-06", "MEMO_OUT", "CH-301", 1, place=HARBOR, doc="MO-1", rev=9),
    E(11, "2026-02-20", "RECEIPT", "CH-301", 4, cost=1001, doc="PO-4"),
    E(12, "2026-01-05", "RECEIPT", "ST-401", 10, cost=500, doc="PO-5"),
    E(13, "2026-01-05", "RECEIPT", "ST-401", 10, cost=600, doc="PO-5"),
    E(14, "2026-02-03", "SALE", "ST-401", -4, price=3500, doc="T-3"),
]


def style(code, category, tracking, method="FIFO"):
    return Style(style=code, category=category, tracking=tracking, cost_method=method)


STYLES = {s.key: s for s in (style("CH-301", "Chains", "Quantity"),
                             style("RG-101", "Rings", "Serialized"),
                             style("ST-401", "Studs", "Quantity", "Average"))}


def answers(entries=LEDGER, settings=None) -> Answers:
    return Answers(ledger.frame(entries), STYLES, settings or Settings(), TODAY)


@pytest.fixture(scope="module")
def shop() -> Answers:
    return answers()


def test_on_hand_counts_the_store_and_leaves_memo_out_stock_out(shop):
    assert shop.on_hand("CH-301") == 1 + 1 + 4  # Main Case 1 + 4, Vault 1; Harbor has 1
    assert shop.on_hand(" ch-301 ", "vault") == 1  # case and spaces do not count
    assert shop.on_hand("CH-301", HARBOR) == 1  # a memo place counts when named
    assert shop.on_hand("RG-101") == 1
    assert shop.on_hand("ST-401") == 16


def test_fifo_cost_takes_the_units_that_arrived_first(shop):
    assert shop.fifo_cost("CH-301") == 5500
    assert shop.fifo_cost("CH-301", 3) == 5500 + 5500 + 1001
    assert shop.fifo_cost("CH-301", 2.0, MAIN) == 5500 + 1001
    assert shop.fifo_cost("CH-301", 6) == 2 * 5500 + 4 * 1001  # the memo unit is away


def test_fifo_cost_of_an_average_style_is_the_average(shop):
    # 10 @ 5.00 + 10 @ 6.00, 4 sold at the 5.50 average: 16 units worth 88.00 left
    assert shop.fifo_cost("ST-401", 3) == 1650
    assert shop.fifo_cost("ST-401", 16) == 8800


def test_a_serial_costs_its_own_cost_while_in_stock(shop):
    assert shop.fifo_cost("lp-000002l") == 82000
    with pytest.raises(Unanswerable, match="LP-000001N is not in stock \\(Sold\\)"):
        shop.fifo_cost("LP-000001N")
    with pytest.raises(Unanswerable, match="one piece"):
        shop.fifo_cost("LP-000002L", 2)


def test_asking_for_more_than_is_there_says_how_many_are(shop):
    with pytest.raises(Unanswerable, match="only 6 of CH-301 are in stock in the store; 7 asked"):
        shop.fifo_cost("CH-301", 7)
    with pytest.raises(Unanswerable, match="only 1 of CH-301 is in stock at Vault; 2 asked"):
        shop.fifo_cost("CH-301", 2, "Vault")


def test_age_of_a_piece_runs_to_its_sale_or_to_the_report_date(shop):
    assert shop.age("LP-000002L") == 49  # Jan 11 -> Mar 1
    assert shop.age("LP-000001N") == 22  # Jan 10 -> sold Feb 1
    as_of = answers(settings=Settings(report_as_of=dt.date(2026, 2, 15)))
    assert as_of.age("LP-000002L") == 35  # Jan 11 -> Feb 15


def test_age_of_a_style_weights_each_layer_by_its_units(shop):
    # three units received Jan 20 (40 days: Main Case, Vault, out on memo) and four Feb 20 (9)
    assert shop.age("CH-301") == pytest.approx((3 * 40 + 4 * 9) / 7)
    sold_out = answers([e for e in LEDGER if e["entry"] in (4, 6)])
    with pytest.raises(Unanswerable, match="nothing of RG-101 is in stock, so it has no age"):
        sold_out.age("RG-101")


def test_margin_of_a_ticket_or_of_a_sold_piece(shop):
    assert shop.margin("T-2") == 12 * 12000 - (10 * 5000 + 2 * 5500)
    assert shop.margin("t-1") == 199999 - 80000
    assert shop.margin("LP-000001N") == 199999 - 80000
    with pytest.raises(Unanswerable, match="LP-000002L has not been sold"):
        shop.margin("LP-000002L")
    with pytest.raises(Unanswerable, match="no sale or return with Doc or serial 'T-9'"):
        shop.margin("T-9")


def test_a_returned_piece_gives_its_margin_back():
    back = E(15, "2026-02-10", "RETURN", "RG-101", 1, price=199999, serial="LP-000001N",
             doc="R-1", rev=6)
    shop = answers(LEDGER + [back])
    assert shop.margin("LP-000001N") == 0
    assert shop.margin("R-1") == -(199999 - 80000)
    assert shop.on_hand("RG-101") == 2


def test_next_serial_follows_every_serial_seen(shop):
    serial = shop.next_serial("RG-101")
    assert serial[:-1] == "LP-000003" and check_serial(serial, Settings()) is None
    assert shop.next_serial("RG-101", ["LP-000007X"])[:-1] == "LP-000008"
    with pytest.raises(Unanswerable, match="CH-301 is a Quantity style"):
        shop.next_serial("CH-301")


def test_layers_list_each_open_layer_by_place_in_fifo_order(shop):
    jan20, feb20 = dt.datetime(2026, 1, 20), dt.datetime(2026, 2, 20)
    assert shop.layers("CH-301") == [
        LAYER_HEADER,  # unit cost in ten-thousandths (55.00, 10.01)
        [MAIN, jan20, 1, 55_0000, 40],
        [MAIN, feb20, 4, 10_0100, 9],
        [HARBOR, jan20, 1, 55_0000, 40],
        [VAULT, jan20, 1, 55_0000, 40],
    ]


def test_a_layer_that_does_not_divide_is_listed_on_lines_that_multiply_out():
    jan5 = dt.datetime(2026, 1, 5)
    receipt = E(1, "2026-01-05", "RECEIPT", "ST-401", 3, doc="PO-1")
    receipt["unit_cost"] = 3_3333  # 3 @ 3.3333 is worth 10.00: no 4-decimal unit cost is
    studs = answers([receipt])  # a third of it, so two lines: 1 @ 3.34 and 2 @ 3.33
    assert studs.layers("ST-401") == [LAYER_HEADER, [MAIN, jan5, 1, 3_3400, 55],
                                      [MAIN, jan5, 2, 3_3300, 55]]


@pytest.mark.parametrize(("ask", "words"), [
    (lambda a: a.on_hand(None), "give a style code"),
    (lambda a: a.on_hand("ZZ-999"), "no style 'ZZ-999' on the Styles sheet or in the Ledger"),
    (lambda a: a.on_hand("CH-301", "Attic"), "no location 'Attic'"),
    (lambda a: a.fifo_cost("CH-301", "abc"), "quantity 'abc' is not a number"),
    (lambda a: a.fifo_cost("CH-301", 0), "quantity 0 is not a whole number of units"),
    (lambda a: a.fifo_cost("CH-301", 2.5), "quantity 2.5 is not a whole number"),
    (lambda a: a.margin(None), "give a sale's Doc"),
    (lambda a: a.layers("RG-101") and a.layers("PD-201"), "no style 'PD-201'"),
])
def test_bad_arguments_say_what_to_type(shop, ask, words):
    with pytest.raises(Unanswerable, match=words):
        ask(shop)
