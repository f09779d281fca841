"""One order of events: the engine costs entries by Date (ties by Entry), and an undo dated
on its entry's own date leaves every figure as if the mistake never happened.

Entries are numbered in the order they were posted; their dates need not follow. Every
expected figure was worked out by hand from the entries above it.
"""

from __future__ import annotations

from tests.core.costing.fifo_tables import (
    book,
    cogs,
    expected_cogs,
    expected_layers,
    layers,
)


def signed(books) -> dict[int, int]:
    """The Ledger's Cost of Goods per entry as the engine sees it (nonzero ones)."""
    return {int(e): int(c) for e, c in books.cost_of_goods.items() if c}


def test_a_packing_slip_typed_late_still_comes_first_by_its_date():
    books = book("""
        #  date        kind     style  serial  qty  cost   price  location  rev
        1  2026-02-10  RECEIPT  CH-1   .       5    20.00  .      Main      .
        2  2026-02-01  RECEIPT  CH-1   .       5    10.00  .      Main      .
        3  2026-02-05  SALE     CH-1   .       -2   .      50.00  Main      .
    """)
    # by date: 5 @ 10 (02-01), then the sale of 2 (02-05) takes 2 x 10.00 = 20.00
    assert cogs(books) == expected_cogs("""
        entry  cogs
        3      20.00
    """)
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value   owned
        CH-1   Main      .       2       2026-02-01  3    10.00      30.00   yes
        CH-1   Main      .       1       2026-02-10  5    20.00      100.00  yes
    """)


def test_entries_of_one_date_go_by_entry_number():
    books = book("""
        #  date        kind     style  serial  qty  cost   price  location  rev
        1  2026-02-10  RECEIPT  CH-1   .       2    30.00  .      Main      .
        2  2026-02-01  RECEIPT  CH-1   .       2    10.00  .      Main      .
        3  2026-02-10  RECEIPT  CH-1   .       2    40.00  .      Main      .
        4  2026-02-10  SALE     CH-1   .       -5   .      90.00  Main      .
    """)
    # order: E2 (02-01), then E1, E3, E4 (02-10, by entry): 2x10 + 2x30 + 1x40 = 120.00
    assert cogs(books) == expected_cogs("""
        entry  cogs
        4      120.00
    """)


def test_a_sale_reversed_on_its_own_date_never_held_a_place_in_the_queue():
    books = book("""
        #  date        kind      style  serial  qty  cost   price  location  rev
        1  2026-01-02  RECEIPT   CH-1   .       5    10.00  .      Main      .
        2  2026-01-03  RECEIPT   CH-1   .       5    20.00  .      Main      .
        3  2026-01-04  SALE      CH-1   .       -3   .      50.00  Main      .
        4  2026-01-04  REVERSAL  CH-1   .       3    .      50.00  Main      3
        5  2026-01-05  SALE      CH-1   .       -3   .      50.00  Main      .
    """)
    # the mistake never happened: the real sale takes 3 x 10.00 = 30.00
    assert cogs(books) == expected_cogs("""
        entry  cogs
        5      30.00
    """)
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value   owned
        CH-1   Main      .       1       2026-01-02  2    10.00      20.00   yes
        CH-1   Main      .       2       2026-01-03  5    20.00      100.00  yes
    """)
    # the undone pair nets to nothing on the Ledger's Cost of Goods column
    assert signed(books) == {5: 3000}


def test_a_receipt_reversed_on_its_own_date_leaves_no_layer_and_takes_its_cost_off():
    books = book("""
        #  date        kind      style  serial  qty  cost    price  location  rev
        1  2026-01-02  RECEIPT   CH-1   .       5    120.00  .      Main      .
        2  2026-01-03  RECEIPT   CH-1   .       5    1.20    .      Main      .
        3  2026-01-03  REVERSAL  CH-1   .       -5   1.20    .      Main      2
        4  2026-01-05  SALE      CH-1   .       -1   .       200.00  Main      .
    """)
    assert cogs(books) == expected_cogs("""
        entry  cogs
        4      120.00
    """)
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value   owned
        CH-1   Main      .       1       2026-01-02  4    120.00     480.00  yes
    """)
    # the reversal takes the receipt's 5 x 1.20 = 6.00 back off the books
    assert signed(books) == {3: 600, 4: 12000}


def test_a_return_carries_the_cost_it_brings_back_as_negative_cost_of_goods():
    books = book("""
        #  date        kind     style  serial  qty  cost   price  location  rev
        1  2026-01-02  RECEIPT  CH-1   .       2    10.00  .      Main      .
        2  2026-01-03  RECEIPT  CH-1   .       2    14.00  .      Main      .
        3  2026-01-04  SALE     CH-1   .       -3   .      50.00  Main      .
        4  2026-01-06  RETURN   CH-1   .       1    .      50.00  Main      3
    """)
    # the sale took 10 + 10 + 14 = 34.00; the return gives back its first unit, 10.00
    assert signed(books) == {3: 3400, 4: -1000}
    # received 48.00 - net cost of goods 24.00 = 24.00 on hand (14.00 + 10.00)
    assert sum(v for _, _, _, _, _, _, _, v, _ in layers(books)) == 2400


def test_an_average_style_costs_by_date_too():
    books = book("""
        #  date        kind     style  serial  qty  cost   price  location  rev
        1  2026-02-10  RECEIPT  ST-1   .       2    30.00  .      Main      .
        2  2026-02-01  RECEIPT  ST-1   .       2    10.00  .      Main      .
        3  2026-02-05  SALE     ST-1   .       -1   .      50.00  Main      .
    """, {"ST-1": "Average"})
    # as of 02-05 only the 02-01 receipt is in: average 10.00
    assert cogs(books) == expected_cogs("""
        entry  cogs
        3      10.00
    """)
