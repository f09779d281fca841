"""Moving-average costing, case by case (style method "Average").

Each out-going entry takes round-half-up(value x qty / on hand); emptying a group takes
exactly what is left. Every expected figure is worked out by hand in the comments.
"""

from __future__ import annotations

import pandas as pd

from addin.core import costing
from tests.core.costing.fifo_tables import book, cogs, expected_layers, layers, ledger_table

AVERAGE = {"CH-1": "Average"}


def test_sales_take_the_running_average_and_layers_share_the_ending_value():
    books = book("""
        #  date        kind     style  serial  qty  cost  price  location  rev
        1  2024-01-01  RECEIPT  CH-1   .       10   1.00  .      Main      .
        2  2024-02-01  RECEIPT  CH-1   .       20   1.30  .      Main      .
        3  2024-03-01  SALE     CH-1   .       -5   .     3.00   Main      .
        4  2024-04-01  RECEIPT  CH-1   .       5    1.50  .      Main      .
        5  2024-05-01  SALE     CH-1   .       -7   .     3.00   Main      .
    """, AVERAGE)
    # 10.00 + 26.00 = 36.00 for 30; sale 3: 36.00 x 5/30 = 6.00 -> 30.00 for 25;
    # + 7.50 -> 37.50 for 30; sale 5: 37.50 x 7/30 = 8.75 -> 28.75 for 23 (1.25 each).
    # FIFO dates: sales took receipt 1's 10 and 2 of receipt 2: 18 (Feb) + 5 (Apr) left.
    assert cogs(books) == {3: 6_00, 5: 8_75}
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        CH-1   Main      .       2       2024-02-01  18   1.25       22.50  yes
        CH-1   Main      .       4       2024-04-01  5    1.25       6.25   yes
    """)


def test_rounding_is_half_up_and_emptying_takes_exactly_what_is_left():
    books = book("""
        #  date        kind     style  serial  qty  cost  price  location  rev
        1  2024-01-01  RECEIPT  CH-1   .       1    3.34  .      Main      .
        2  2024-01-01  RECEIPT  CH-1   .       2    3.33  .      Main      .
        3  2024-01-02  SALE     CH-1   .       -1   .     9.00   Main      .
        4  2024-01-03  SALE     CH-1   .       -1   .     9.00   Main      .
        5  2024-01-04  SALE     CH-1   .       -1   .     9.00   Main      .
    """, AVERAGE)
    # 10.00 for 3: 1000/3 = 333.3 -> 3.33 (6.67 for 2); 667/2 = 333.5 -> 3.34 (half up);
    # the last unit takes the 3.33 left. 3.33 + 3.34 + 3.33 = 10.00 exactly.
    assert cogs(books) == {3: 3_33, 4: 3_34, 5: 3_33}
    assert books.layers.empty


def test_customer_return_enters_the_average_at_its_sales_cost():
    books = book("""
        #  date        kind     style  serial  qty  cost  price  location  rev
        1  2024-01-01  RECEIPT  CH-1   .       10   1.00  .      Main      .
        2  2024-01-02  RECEIPT  CH-1   .       10   2.00  .      Main      .
        3  2024-01-03  SALE     CH-1   .       -4   .     5.00   Main      .
        4  2024-01-04  RETURN   CH-1   .       2    .     5.00   Main      3
        5  2024-01-05  SALE     CH-1   .       -6   .     5.00   Main      .
    """, AVERAGE)
    # 30.00 for 20; sale 3: 6.00 -> 24.00 for 16; the return brings 2 of the sale's
    # units back at 6.00 x 2/4 = 3.00 -> 27.00 for 18 (1.50); sale 5: 6 x 1.50 = 9.00
    assert cogs(books) == {3: 6_00, 5: 9_00}
    assert int(books.cost_in[4]) == 3_00
    assert int(books.layers["value"].sum()) == 18_00
    assert int(books.layers["qty"].sum()) == 12


def test_transfer_moves_average_cost_from_one_location_to_the_other():
    books = book("""
        #  date        kind      style  serial  qty  cost   price  location  rev
        1  2024-01-01  RECEIPT   CH-1   .       4    10.00  .      Main      .
        2  2024-01-01  RECEIPT   CH-1   .       2    16.00  .      Vault     .
        3  2024-01-02  TRANSFER  CH-1   .       -2   .      .      Main      .
        4  2024-01-02  TRANSFER  CH-1   .       2    .      .      Vault     3
        5  2024-01-03  SALE      CH-1   .       -1   .      30.00  Vault     .
    """, AVERAGE)
    # Main 40.00 for 4 sends 2 at 20.00; Vault 32.00 + 20.00 = 52.00 for 4: 13.00 each
    assert cogs(books) == {3: 20_00, 5: 13_00}
    by_place = books.layers.groupby("location")["value"].sum().to_dict()
    assert by_place == {"Main": 20_00, "Vault": 39_00}


def test_a_reversed_receipt_never_enters_the_average():
    books = book("""
        #  date        kind      style  serial  qty  cost  price  location  rev
        1  2024-01-01  RECEIPT   CH-1   .       10   1.00  .      Main      .
        2  2024-01-02  RECEIPT   CH-1   .       10   2.00  .      Main      .
        3  2024-01-03  SALE      CH-1   .       -4   .     5.00   Main      .
        4  2024-01-04  REVERSAL  CH-1   .       -10  .     .      Main      2
    """, AVERAGE)
    # as though receipt 2 was never made: sale 3 = 4 x 1.00; the reversal takes 20.00 off
    assert cogs(books) == {3: 4_00, 4: 20_00}
    assert int(books.layers["value"].sum()) == 6_00


def test_negative_stock_in_an_average_group_uses_the_last_average_then_catches_up():
    books = book("""
        #  date        kind     style  serial  qty  cost  price  location  rev
        1  2024-01-01  RECEIPT  CH-1   .       2    5.00  .      Main      .
        2  2024-01-02  SALE     CH-1   .       -2   .     9.00   Main      .
        3  2024-01-03  SALE     CH-1   .       -1   .     9.00   Main      .
        4  2024-01-04  RECEIPT  CH-1   .       3    6.00  .      Main      .
        5  2024-01-05  SALE     CH-1   .       -2   .     9.00   Main      .
    """, AVERAGE)
    # sale 2 empties the group (10.00); sale 3 has nothing: 1 x the last 5.00, leaving
    # -1 unit worth -5.00; receipt 4 makes it 2 units worth 13.00; sale 5 empties: 13.00.
    # in 10.00 + 18.00 = out 10.00 + 5.00 + 13.00
    assert cogs(books) == {2: 10_00, 3: 5_00, 5: 13_00}
    assert books.layers.empty


def test_serialized_pieces_of_an_average_style_keep_their_exact_cost():
    books = book("""
        #  date        kind     style  serial  qty  cost   price   location  rev
        1  2024-01-01  RECEIPT  CH-1   .       2    1.00   .       Main      .
        2  2024-01-01  RECEIPT  CH-1   LP-5    1    99.99  .       Main      .
        3  2024-01-02  RECEIPT  CH-1   .       1    2.00   .       Main      .
        4  2024-01-03  SALE     CH-1   LP-5    -1   .      150.00  Main      .
        5  2024-01-04  SALE     CH-1   .       -1   .      5.00    Main      .
    """, AVERAGE)
    # LP-5 is its own layer; the pool is 4.00 for 3: 400/3 = 133.3 -> 1.33
    assert cogs(books) == {4: 99_99, 5: 1_33}


def test_switch_to_serialized_shares_the_average_over_the_new_pieces_exactly():
    books = book("""
        #  date        kind     style  serial  qty  cost  price  location  rev
        1  2024-01-05  RECEIPT  CH-1   .       2    4.00  .      Main      .
        2  2024-02-05  RECEIPT  CH-1   .       1    2.00  .      Main      .
        3  2024-03-01  CONVERT  CH-1   .       -3   .     .      Main      .
        4  2024-03-01  CONVERT  CH-1   LP-1    1    .     .      Main      3
        5  2024-03-01  CONVERT  CH-1   LP-2    1    .     .      Main      3
        6  2024-03-01  CONVERT  CH-1   LP-3    1    .     .      Main      3
    """, AVERAGE)
    # the pool empties: 10.00 for 3 units, received Jan 5 (2) and Feb 5 (1). Shared by
    # units: the Jan 5 pair gets round(1000 x 2/3) = 6.67, the Feb 5 unit 3.33; LP-1 takes
    # round(667/2) = 3.34 of the pair, LP-2 the other 3.33. Total 10.00.
    assert cogs(books) == {3: 10_00}
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        CH-1   Main      LP-1    1       2024-01-05  1    3.34       3.34   yes
        CH-1   Main      LP-2    1       2024-01-05  1    3.33       3.33   yes
        CH-1   Main      LP-3    2       2024-02-05  1    3.33       3.33   yes
    """)


def test_method_names_are_read_loosely_and_unnamed_styles_are_fifo():
    text = """
        #  date        kind     style  serial  qty  cost  price  location  rev
        1  2024-01-01  RECEIPT  CH-1   .       1    1.00  .      Main      .
        2  2024-01-02  RECEIPT  CH-1   .       1    2.00  .      Main      .
        3  2024-01-03  SALE     CH-1   .       -1   .     5.00   Main      .
    """
    lf = ledger_table(text)
    assert cogs(costing.book(lf, pd.Series({"CH-1": " average "}))) == {3: 1_50}
    assert cogs(costing.book(lf, {"OTHER": "Average"})) == {3: 1_00}  # FIFO: oldest 1.00


def test_consigned_units_stay_out_of_the_average_and_leave_at_their_own_cost():
    books = book("""
        #  date        kind     style  serial  qty  cost   price  location  rev
        1  2024-01-01  RECEIPT  CH-1   .       2    10.00  .      Main      .
        2  2024-01-02  MEMO_IN  CH-1   .       1    40.00  .      Main      .
        3  2024-01-03  RECEIPT  CH-1   .       2    13.00  .      Main      .
        4  2024-01-04  SALE     CH-1   .       -3   .      60.00  Main      .
    """, AVERAGE)
    # owned: 20.00 + 26.00 = 46.00 for 4 (11.50); the memo unit is not averaged in.
    # The sale takes, in arrival order, receipt 1's two units (owned: 2 x 11.50 = 23.00)
    # and the consigned unit at its own 40.00: 63.00. Left: 2 owned units worth 23.00.
    assert cogs(books) == {4: 63_00}
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        CH-1   Main      .       3       2024-01-03  2    11.50      23.00  yes
    """)
    assert costing.owned_value(books) == 23_00
    assert books.owned_in.to_dict() == {1: 20_00, 2: 0, 3: 26_00}
