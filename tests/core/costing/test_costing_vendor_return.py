"""A vendor return that names its receipt goes back at that receipt's cost.

Every expected figure was worked out by hand from the entries above it.
"""

from __future__ import annotations

from tests.core.costing.fifo_tables import book, cogs, expected_cogs, expected_layers, layers

TWO_DELIVERIES = """
    #  date        kind           style  serial  qty  cost   price  location  rev
    1  2026-01-10  RECEIPT        CH-1   .       5    10.00  .      Main      .
    2  2026-01-20  RECEIPT        CH-1   .       5    20.00  .      Main      .
"""


def test_the_return_takes_the_named_receipts_cost_and_leaves_the_queue_alone():
    books = book(TWO_DELIVERIES + """
    3  2026-02-01  VENDOR_RETURN  CH-1   .       -2   .      .      Main      2
    4  2026-02-05  SALE           CH-1   .       -4   .      30.00  Main      .
    """)
    # entry 3 goes back against entry 2: 2 x 20.00 = 40.00 (the oldest layer would say 20.00).
    # entry 4 then takes the oldest: 4 x 10.00 = 40.00.
    # left: 1 x 10.00 (entry 1) and 3 x 20.00 (entry 2): 70.00; 150.00 in = 40 + 40 + 70.
    assert cogs(books) == expected_cogs("""
        entry  cogs
        3      40.00
        4      40.00
    """)
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        CH-1   Main      .       1       2026-01-10  1    10.00      10.00  yes
        CH-1   Main      .       2       2026-01-20  3    20.00      60.00  yes
    """)


def test_two_returns_against_one_receipt_take_its_units_in_turn():
    books = book(TWO_DELIVERIES + """
    3  2026-02-01  VENDOR_RETURN  CH-1   .       -2   .      .      Main      2
    4  2026-02-02  VENDOR_RETURN  CH-1   .       -3   .      .      Main      2
    """)
    # 2 x 20.00 then 3 x 20.00: all of entry 2 goes back; entry 1's 5 x 10.00 stay.
    assert cogs(books) == expected_cogs("""
        entry  cogs
        3      40.00
        4      60.00
    """)
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        CH-1   Main      .       1       2026-01-10  5    10.00      50.00  yes
    """)


def test_a_return_asking_more_than_its_receipt_brought_takes_the_oldest_units():
    books = book(TWO_DELIVERIES + """
    3  2026-02-01  VENDOR_RETURN  CH-1   .       -6   .      .      Main      2
    """)
    # 6 > the 5 of entry 2: FIFO, 5 x 10.00 + 1 x 20.00 = 70.00; 4 x 20.00 left.
    assert cogs(books) == expected_cogs("""
        entry  cogs
        3      70.00
    """)
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        CH-1   Main      .       2       2026-01-20  4    20.00      80.00  yes
    """)


def test_undoing_the_return_puts_the_units_back_at_the_receipts_cost():
    books = book(TWO_DELIVERIES + """
    3  2026-02-01  VENDOR_RETURN  CH-1   .       -2   .      .      Main      2
    4  2026-02-03  REVERSAL       CH-1   .       2    .      .      Main      3
    """)
    # the reversal (dated later) takes back what entry 3 took: 2 x 20.00 from entry 2,
    # queued behind the rest. 5 x 10 + 3 x 20 + 2 x 20 = 150.00: nothing lost.
    assert int(books.cost_in[4]) == 40_00
    assert sum(v for *_, v, _ in layers(books)) == 150_00
