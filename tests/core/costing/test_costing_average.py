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


def test_a_receipt_reversed_later_takes_its_own_units_not_the_first_in_the_queue():
    books = book("""
        #  date        kind      style  serial  qty  cost   price  location  rev
        1  2024-01-01  RECEIPT   CH-1   .       5    10.00  .      Main      .
        2  2024-01-02  RECEIPT   CH-1   .       5    20.00  .      Main      .
        3  2024-01-03  RECEIPT   CH-1   .       5    30.00  .      Main      .
        4  2024-01-20  REVERSAL  CH-1   .       -5   20.00  .      Main      2
        5  2024-01-25  SALE      CH-1   .       -7   .      50.00  Main      .
    """, AVERAGE)
    # receipt 2 never enters the average: 50.00 + 150.00 for 10 = 20.00 each; the sale
    # takes 7 x 20.00 = 140.00; the reversal takes receipt 2's own 100.00 off the books;
    # 3 left: of receipt 3 by FIFO dates (not receipt 1's), at the average: 60.00
    assert cogs(books) == {4: 100_00, 5: 140_00}
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        CH-1   Main      .       3       2024-01-03  3    20.00      60.00  yes
    """)


def test_negative_stock_in_an_average_group_is_trued_up_by_the_stock_that_covers_it():
    books = book("""
        #  date        kind     style  serial  qty  cost  price  location  rev
        1  2024-01-01  RECEIPT  CH-1   .       2    5.00  .      Main      .
        2  2024-01-02  SALE     CH-1   .       -2   .     9.00   Main      .
        3  2024-01-03  SALE     CH-1   .       -1   .     9.00   Main      .
        4  2024-01-04  RECEIPT  CH-1   .       3    6.00  .      Main      .
        5  2024-01-05  SALE     CH-1   .       -2   .     9.00   Main      .
    """, AVERAGE)
    # sale 2 empties the group (10.00); sale 3 has nothing: first 1 x the last 5.00; the
    # first unit of receipt 4 covers it, so it cost 6.00; the group keeps 2 @ 6.00 = 12.00
    # and sale 5 empties it: 12.00. in 10.00 + 18.00 = out 10.00 + 6.00 + 12.00
    assert cogs(books) == {2: 10_00, 3: 6_00, 5: 12_00}
    assert books.layers.empty


# receive 10 @ 10.00, sell 15, then stock arrives: the 5 units sold below zero went out at
# the last unit cost 10.00 and are trued up to the cost of the units that cover them
SOLD_BELOW_ZERO = """
    #  date        kind     style  serial  qty  cost   price  location  rev
    1  2024-01-01  RECEIPT  CH-1   .       10   10.00  .      Main      .
    2  2024-01-02  SALE     CH-1   .       -15  .      25.00  Main      .
"""


def _as_of(text: str, day: str) -> costing.Books:
    lf = ledger_table(text)
    return costing.book(lf[lf["date"] <= pd.Timestamp(day)].reset_index(drop=True), AVERAGE)


def _figures(books: costing.Books) -> tuple[int, int, int]:
    """(cost of goods, ending value, units on hand) of CH-1 at Main."""
    return (int(books.cost_of_goods.sum()), costing.owned_value(books),
            int(books.on_hand["qty"].sum()))


def test_stock_arriving_after_a_sale_below_zero_trues_the_sale_up_and_holds_no_value():
    text = SOLD_BELOW_ZERO + """
    3  2024-01-03  RECEIPT  CH-1   .       5    20.00  .      Main      .
    4  2024-01-04  RECEIPT  CH-1   .       8    30.00  .      Main      .
    """
    # as of  received  cost of goods                 ending value           on hand
    # 01-01  100.00      0.00                        10 x 10.00 = 100.00    10
    # 01-02  100.00    150.00 (10 x 10 + 5 x 10)     -5 x 10.00 = -50.00    -5
    # 01-03  200.00    200.00 (the 5 cost 20.00)     0.00                   0
    # 01-04  440.00    200.00                        8 x 30.00 = 240.00     8
    # cost of goods + ending value = cost received on every day
    assert _figures(_as_of(text, "2024-01-01")) == (0, 100_00, 10)
    assert _figures(_as_of(text, "2024-01-02")) == (150_00, -50_00, -5)
    assert _figures(_as_of(text, "2024-01-03")) == (200_00, 0, 0)
    assert _figures(_as_of(text, "2024-01-04")) == (200_00, 240_00, 8)
    books = _as_of(text, "2024-01-04")
    assert cogs(books) == {2: 200_00}
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value   owned
        CH-1   Main      .       4       2024-01-04  8    30.00      240.00  yes
    """)
    # the sale's cost explained: 10 of receipt 1, 5 of receipt 3 (which covered them)
    took = books.consumed[["origin", "qty", "cost"]].values.tolist()
    assert took == [[1, 10, 100_00], [3, 5, 100_00]]
    below = _as_of(text, "2024-01-02").short
    assert below[["style", "location", "qty", "value"]].values.tolist() == [
        ["CH-1", "Main", -5, -50_00]]


def test_stock_covering_part_of_a_sale_below_zero_trues_up_those_units_only():
    text = SOLD_BELOW_ZERO + """
    3  2024-01-03  RECEIPT  CH-1   .       3    20.00  .      Main      .
    4  2024-01-04  RECEIPT  CH-1   .       4    25.00  .      Main      .
    """
    # as of  received  cost of goods                          ending value         on hand
    # 01-02  100.00    150.00                                 -5 x 10.00 = -50.00  -5
    # 01-03  160.00    150.00 + 3 x (20 - 10) = 180.00        -2 x 10.00 = -20.00  -2
    # 01-04  260.00    180.00 + 2 x (25 - 10) = 210.00        2 x 25.00 = 50.00    2
    assert _figures(_as_of(text, "2024-01-02")) == (150_00, -50_00, -5)
    assert _figures(_as_of(text, "2024-01-03")) == (180_00, -20_00, -2)
    assert _figures(_as_of(text, "2024-01-04")) == (210_00, 50_00, 2)
    assert layers(_as_of(text, "2024-01-04")) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        CH-1   Main      .       4       2024-01-04  2    25.00      50.00  yes
    """)


def test_two_sales_below_zero_are_covered_in_the_order_they_were_made():
    books = book("""
        #  date        kind     style  serial  qty  cost   price  location  rev
        1  2024-01-01  RECEIPT  CH-1   .       1    10.00  .      Main      .
        2  2024-01-02  SALE     CH-1   .       -2   .      25.00  Main      .
        3  2024-01-03  SALE     CH-1   .       -2   .      25.00  Main      .
        4  2024-01-04  RECEIPT  CH-1   .       2    16.00  .      Main      .
        5  2024-01-05  RECEIPT  CH-1   .       4    12.00  .      Main      .
    """, AVERAGE)
    # sale 2: 10.00 + 1 below zero; sale 3: 2 below zero (first at 10.00 each).
    # receipt 4's 2 units cover sale 2's missing unit and sale 3's first: 16.00 each;
    # receipt 5's first unit covers sale 3's second: 12.00; 3 @ 12.00 = 36.00 are left.
    # sale 2 = 10 + 16 = 26.00; sale 3 = 16 + 12 = 28.00. in 10 + 32 + 48 = 90 = 26 + 28 + 36
    assert cogs(books) == {2: 26_00, 3: 28_00}
    assert costing.owned_value(books) == 36_00


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
