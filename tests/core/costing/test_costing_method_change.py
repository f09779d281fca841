"""A change of cost method (METHOD entry) in the costing engine, case by case.

Entries before the change keep their cost; the stock on hand at each location is carried
across at its exact value. Every expected figure is worked out by hand in the comments.
"""

from __future__ import annotations

from tests.core.costing.fifo_tables import book, cogs, expected_layers, layers

GIVEN = """
    #  date        kind     style  serial  qty  cost   price  location  rev  party
    1  2026-01-10  RECEIPT  CH-1   .       5    10.00  .      Main      .    .
    2  2026-01-20  RECEIPT  CH-1   .       5    20.00  .      Main      .    .
    3  2026-01-25  RECEIPT  CH-1   .       3    30.00  .      Vault     .    .
    4  2026-02-10  SALE     CH-1   .       -2   .      50.00  Main      .    .
    5  2026-03-10  SALE     CH-1   .       -2   .      50.00  Main      .    .
    6  2026-03-11  SALE     CH-1   .       -1   .      50.00  Vault     .    .
"""
CHANGE = ("    7  2026-03-01  METHOD   CH-1   .       0    .      .      .         .    "
          "FIFO to Average\n")


def test_fifo_to_average_pools_each_location_from_its_date():
    books = book(GIVEN + CHANGE, {"CH-1": "Average"})
    # 02-10 (FIFO): 2 @ 10.00 = 20.00. At 03-01, Main: 3 @ 10 + 5 @ 20 = 130.00 for 8,
    # sale 5: 130.00 x 2/8 = 32.50 -> 97.50 for 6 (16.25). Vault: 3 @ 30 = 90.00, one
    # sold: 30.00 -> 60.00 for 2. The METHOD entry itself costs nothing.
    assert cogs(books) == {4: 20_00, 5: 32_50, 6: 30_00}
    assert books.cost_of_goods[7] == 0
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        CH-1   Main      .       1       2026-01-10  1    16.25      16.25  yes
        CH-1   Main      .       2       2026-01-20  5    16.25      81.25  yes
        CH-1   Vault     .       3       2026-01-25  2    30.00      60.00  yes
    """)
    assert set(books.layers["arrived"]) == {7}  # carried by the METHOD entry
    assert sorted(map(tuple, books.on_hand[["location", "qty"]].to_numpy())) == [
        ("Main", 6), ("Vault", 2)]


def test_without_the_change_the_same_ledger_is_fifo_throughout():
    books = book(GIVEN, {})
    assert cogs(books) == {4: 20_00, 5: 20_00, 6: 30_00}


def test_a_change_reversed_on_its_date_leaves_the_old_method_throughout():
    undo = "    8  2026-03-01  REVERSAL  CH-1  .       0    .      .      .         7    .\n"
    # the Styles cell already says Average: the Ledger's METHOD entries decide
    books = book(GIVEN + CHANGE + undo, {"CH-1": "Average"})
    assert cogs(books) == {4: 20_00, 5: 20_00, 6: 30_00}


def test_a_change_reversed_later_changes_back_from_that_date():
    undo = "    8  2026-03-05  REVERSAL  CH-1  .       0    .      .      .         7    .\n"
    books = book(GIVEN + CHANGE + undo, {"CH-1": "Average"})
    # Average 03-01..03-05 (nothing sold), then FIFO again: Main's 8 units carry the
    # pool's pieces at 16.25 each, oldest first; sale 5 takes 2 x 16.25 = 32.50.
    assert cogs(books) == {4: 20_00, 5: 32_50, 6: 30_00}


def test_average_to_fifo_keeps_each_units_receipt_date_and_the_exact_value():
    books = book("""
        #  date        kind     style  serial  qty  cost   price  location  rev  party
        1  2026-01-10  RECEIPT  CH-1   .       1    10.00  .      Main      .    .
        2  2026-01-20  RECEIPT  CH-1   .       2    10.00  .      Main      .    .
        3  2026-01-21  RECEIPT  CH-1   .       1    70.01  .      Main      .    .
        4  2026-02-10  SALE     CH-1   .       -1   .      90.00  Main      .    .
        5  2026-03-01  METHOD   CH-1   .       0    .      .      .         .    Average to FIFO
        6  2026-03-10  SALE     CH-1   .       -1   .      90.00  Main      .    .
    """, {"CH-1": "FIFO"})
    # Average: 100.01 for 4; sale 4: 100.01 / 4 = 25.0025 -> 25.00; 75.01 left for 3.
    # At 03-01 the pool becomes FIFO: 3 units worth 75.01, shared by units (25.01, 25.00,
    # 25.00), each keeping its receipt date; sale 6 takes the oldest (01-20): 25.01.
    assert cogs(books) == {4: 25_00, 6: 25_01}
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        CH-1   Main      .       2       2026-01-20  1    25.00      25.00  yes
        CH-1   Main      .       3       2026-01-21  1    25.00      25.00  yes
    """)


def test_a_receipt_dated_before_the_change_but_posted_after_it_is_carried_too():
    late = "    8  2026-02-20  RECEIPT  CH-1   .       2    40.00  .      Main      .    .\n"
    books = book(GIVEN + CHANGE + late, {"CH-1": "Average"})
    # At 03-01 Main holds 3 @ 10 + 5 @ 20 + 2 @ 40 = 210.00 for 10; sale 5: 42.00.
    assert cogs(books)[5] == 42_00
