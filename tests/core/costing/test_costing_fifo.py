"""FIFO costing, case by case: given entries, expected open layers and cost of goods.

Every expected figure below was worked out by hand from the entries above it (the
working is in the comments), never copied from the engine's output.
"""

from __future__ import annotations

import pandas as pd

from addin.core import costing
from tests.core.costing.fifo_tables import (
    book,
    cogs,
    expected_cogs,
    expected_layers,
    layers,
    ledger_table,
)


def test_sale_takes_the_oldest_layer_first_and_leaves_the_rest_of_a_partial_one():
    books = book("""
        #  date        kind     style  serial  qty  cost   price  location  rev
        1  2024-01-02  RECEIPT  RG-1   .       10   12.00  .      Main      .
        2  2024-02-01  RECEIPT  RG-1   .       5    13.00  .      Main      .
        3  2024-03-01  SALE     RG-1   .       -12  .      30.00  Main      .
    """)
    # 10 x 12.00 + 2 x 13.00 = 146.00; 3 x 13.00 = 39.00 left
    assert cogs(books) == expected_cogs("""
        entry  cogs
        3      146.00
    """)
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        RG-1   Main      .       2       2024-02-01  3    13.00      39.00  yes
    """)


def test_each_location_keeps_its_own_queue():
    books = book("""
        #  date        kind     style  serial  qty  cost   price  location  rev
        1  2024-01-02  RECEIPT  RG-1   .       4    10.00  .      Main      .
        2  2024-01-05  RECEIPT  RG-1   .       4    11.00  .      Vault     .
        3  2024-01-10  SALE     RG-1   .       -2   .      25.00  Vault     .
        4  2024-01-11  SALE     RG-1   .       -3   .      25.00  Main      .
    """)
    # the Vault sale takes the Vault's (newer) layer: 2 x 11.00, not Main's older one
    assert cogs(books) == expected_cogs("""
        entry  cogs
        3      22.00
        4      30.00
    """)
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        RG-1   Main      .       1       2024-01-02  1    10.00      10.00  yes
        RG-1   Vault     .       2       2024-01-05  2    11.00      22.00  yes
    """)


def test_customer_return_comes_back_at_the_cost_its_sale_took():
    books = book("""
        #  date        kind     style  serial  qty  cost    price   location  rev
        1  2024-01-01  RECEIPT  RG-1   .       3    100.00  .       Main      .
        2  2024-02-01  RECEIPT  RG-1   .       3    130.00  .       Main      .
        3  2024-03-01  SALE     RG-1   .       -4   .       250.00  Main      .
        4  2024-03-05  RETURN   RG-1   .       2    .       250.00  Main      3
        5  2024-04-01  SALE     RG-1   .       -3   .       250.00  Main      .
    """)
    # sale 3: 3 x 100 + 1 x 130 = 430.00. The return takes the sale's first two units
    # back (2 x 100.00, received 2024-01-01) and queues them behind the 2 x 130 left.
    # sale 5: 2 x 130 + 1 x 100 = 360.00; one returned unit at 100.00 stays.
    assert cogs(books) == expected_cogs("""
        entry  cogs
        3      430.00
        5      360.00
    """)
    assert int(books.cost_in[4]) == 200_00
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value   owned
        RG-1   Main      .       1       2024-01-01  1    100.00     100.00  yes
    """)
    assert books.layers["arrived"].tolist() == [4]


def test_vendor_return_of_a_serial_takes_that_piece_and_of_a_quantity_the_oldest_layer():
    books = book("""
        #  date        kind           style  serial  qty  cost    price  location  rev
        1  2024-01-01  RECEIPT        PD-9   LP-1    1    850.00  .      Main      .
        2  2024-01-02  RECEIPT        PD-9   LP-2    1    910.00  .      Main      .
        3  2024-01-03  VENDOR_RETURN  PD-9   LP-2    -1   .       .      Main      .
        4  2024-01-04  RECEIPT        RG-1   .       5    10.00   .      Main      .
        5  2024-01-05  RECEIPT        RG-1   .       5    12.00   .      Main      .
        6  2024-01-06  VENDOR_RETURN  RG-1   .       -6   .       .      Main      .
    """)
    # LP-2 leaves at its own 910.00; RG-1: 5 x 10 + 1 x 12 = 62.00
    assert cogs(books) == expected_cogs("""
        entry  cogs
        3      910.00
        6      62.00
    """)
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value   owned
        PD-9   Main      LP-1    1       2024-01-01  1    850.00     850.00  yes
        RG-1   Main      .       5       2024-01-05  4    12.00      48.00   yes
    """)


def test_reversing_a_sale_restores_exactly_the_layers_it_took():
    books = book("""
        #  date        kind      style  serial  qty  cost   price  location  rev
        1  2024-01-01  RECEIPT   RG-1   .       2    10.00  .      Main      .
        2  2024-02-01  RECEIPT   RG-1   .       2    20.00  .      Main      .
        3  2024-03-01  SALE      RG-1   .       -3   .      40.00  Main      .
        4  2024-03-02  REVERSAL  RG-1   .       3    .      .      Main      3
    """)
    # the sale took 2 x 10 (Jan) + 1 x 20 (Feb) = 40.00; the reversal puts those very
    # pieces back, with their own costs and dates, behind the 1 x 20 still there
    assert cogs(books) == expected_cogs("""
        entry  cogs
        3      40.00
    """)
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        RG-1   Main      .       2       2024-02-01  1    20.00      20.00  yes
        RG-1   Main      .       1       2024-01-01  2    10.00      20.00  yes
        RG-1   Main      .       2       2024-02-01  1    20.00      20.00  yes
    """)
    assert books.layers["value"].sum() == 2 * 10_00 + 2 * 20_00


def test_reversing_a_receipt_takes_its_layer_away():
    books = book("""
        #  date        kind      style  serial  qty  cost   price  location  rev
        1  2024-01-01  RECEIPT   RG-1   .       5    10.00  .      Main      .
        2  2024-02-01  RECEIPT   RG-1   .       3    11.00  .      Main      .
        3  2024-03-01  SALE      RG-1   .       -2   .      30.00  Main      .
        4  2024-03-02  REVERSAL  RG-1   .       -3   .      .      Main      2
        5  2024-03-03  RECEIPT   RG-1   .       3    12.00  .      Main      .
        6  2024-03-04  SALE      RG-1   .       -4   .      30.00  Main      .
    """)
    # the reversal removes the 3 x 11.00 layer (33.00 off the books); sale 6 then takes
    # the 3 x 10 left of receipt 1 and 1 x 12 of receipt 5 = 42.00; 2 x 12 remain
    assert cogs(books) == expected_cogs("""
        entry  cogs
        3      20.00
        4      33.00
        6      42.00
    """)
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        RG-1   Main      .       5       2024-03-03  2    12.00      24.00  yes
    """)


def test_transfer_keeps_receipt_dates_and_queues_behind_stock_already_there():
    given = """
        #  date        kind      style  serial  qty  cost   price  location  rev
        1  2024-01-10  RECEIPT   RG-1   .       4    10.00  .      Main      .
        2  2024-02-10  RECEIPT   RG-1   .       2    15.00  .      Vault     .
        3  2024-03-01  TRANSFER  RG-1   .       -3   .      .      Main      .
        4  2024-03-01  TRANSFER  RG-1   .       3    .      .      Vault     3
        5  2024-03-15  SALE      RG-1   .       -3   .      40.00  Vault     .
    """
    books = book(given)
    # out of Main: 3 x 10.00 = 30.00 moves; the Vault sells its own 2 x 15 first, then
    # 1 x 10 of what came in: 40.00
    assert cogs(books) == expected_cogs("""
        entry  cogs
        3      30.00
        5      40.00
    """)
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        RG-1   Main      .       1       2024-01-10  1    10.00      10.00  yes
        RG-1   Vault     .       1       2024-01-10  2    10.00      20.00  yes
    """)
    # 2024-01-10 to 2024-04-09 is 21 + 29 + 31 + 9 = 90 days: age counts from receipt
    ages = costing.layer_ages(books, "2024-04-09").layers
    assert ages["age_days"].tolist() == [90, 90]


def test_count_shortage_consumes_like_a_sale_and_surplus_adds_its_own_layer():
    books = book("""
        #  date        kind     style  serial  qty  cost   price  location  rev
        1  2024-01-01  RECEIPT  RG-1   .       3    10.00  .      Main      .
        2  2024-02-01  RECEIPT  RG-1   .       3    14.00  .      Main      .
        3  2024-03-01  ADJUST   RG-1   .       -2   .      .      Main      .
        4  2024-03-01  ADJUST   RG-1   .       1    16.00  .      Main      .
    """)
    # shortage: 2 x 10.00 (oldest); the surplus is a layer of its own: nothing averaged
    assert cogs(books) == expected_cogs("""
        entry  cogs
        3      20.00
    """)
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        RG-1   Main      .       1       2024-01-01  1    10.00      10.00  yes
        RG-1   Main      .       2       2024-02-01  3    14.00      42.00  yes
        RG-1   Main      .       4       2024-03-01  1    16.00      16.00  yes
    """)


def test_memo_in_stock_is_on_hand_not_owned_and_costed_when_sold():
    given = """
        #  date        kind     style  serial  qty  cost      price     location  rev
        1  2024-01-01  MEMO_IN  PD-9   LP-7    1    2,400.00  .         Main      .
        2  2024-01-01  RECEIPT  PD-9   LP-8    1    1,000.00  .         Main      .
        3  2024-01-02  MEMO_IN  RG-2   .       5    3.00      .         Main      .
    """
    books = book(given)
    assert costing.owned_value(books) == 1_000_00
    assert costing.on_hand_by(books, by=("style",)).values.tolist() == [["PD-9", 2], ["RG-2", 5]]
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value     owned
        PD-9   Main      LP-7    1       2024-01-01  1    2,400.00   2,400.00  no
        PD-9   Main      LP-8    2       2024-01-01  1    1,000.00   1,000.00  yes
        RG-2   Main      .       3       2024-01-02  5    3.00       15.00     no
    """)
    sold = book(given + """
        4  2024-02-01  SALE     PD-9   LP-7    -1   .         3,900.00  Main      .
    """)
    assert cogs(sold) == {4: 2_400_00}
    assert sold.consumed["owned"].tolist() == [False]
    assert costing.owned_value(sold) == 1_000_00


def test_memo_out_stock_is_owned_but_not_on_hand():
    given = """
        #  date        kind       style  serial  qty  cost   price  location   rev
        1  2024-01-01  RECEIPT    RG-1   .       5    10.00  .      Main       .
        2  2024-01-05  MEMO_OUT   RG-1   .       -2   .      .      Main       .
        3  2024-01-05  MEMO_OUT   RG-1   .       2    .      .      Memo: Bob  2
    """
    books = book(given)
    by_place = costing.on_hand_by(books)
    assert by_place.values.tolist() == [["RG-1", "Main", 3], ["RG-1", "Memo: Bob", 2]]
    assert costing.owned_value(books) == 50_00  # 5 x 10.00, the 2 with Bob included
    assert layers(books) == expected_layers("""
        style  location   serial  origin  received    qty  unit_cost  value  owned
        RG-1   Main       .       1       2024-01-01  3    10.00      30.00  yes
        RG-1   Memo: Bob  .       1       2024-01-01  2    10.00      20.00  yes
    """)
    back = book(given + """
        4  2024-02-01  MEMO_BACK  RG-1   .       -1   .      .      Memo: Bob  .
        5  2024-02-01  MEMO_BACK  RG-1   .       1    .      .      Main       4
    """)
    assert layers(back) == expected_layers("""
        style  location   serial  origin  received    qty  unit_cost  value  owned
        RG-1   Main       .       1       2024-01-01  3    10.00      30.00  yes
        RG-1   Main       .       1       2024-01-01  1    10.00      10.00  yes
        RG-1   Memo: Bob  .       1       2024-01-01  1    10.00      10.00  yes
    """)


QUANTITY_TO_SERIALS = """
    #  date        kind     style  serial  qty  cost   price  location  rev
    1  2024-01-05  RECEIPT  RG-1   .       2    10.00  .      Main      .
    2  2024-02-05  RECEIPT  RG-1   .       1    12.00  .      Main      .
    3  2024-03-01  SALE     RG-1   .       -1   .      30.00  Main      .
    4  2024-04-01  CONVERT  RG-1   .       -2   .      .      Main      .
    5  2024-04-01  CONVERT  RG-1   LP-1    1    .      .      Main      4
    6  2024-04-01  CONVERT  RG-1   LP-2    1    .      .      Main      4
"""


def test_switch_to_serialized_makes_one_piece_per_unit_keeping_cost_and_receipt_date():
    books = book(QUANTITY_TO_SERIALS)
    # on hand before: 1 x 10.00 (Jan 5) and 1 x 12.00 (Feb 5), in that order
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        RG-1   Main      LP-1    1       2024-01-05  1    10.00      10.00  yes
        RG-1   Main      LP-2    2       2024-02-05  1    12.00      12.00  yes
    """)
    assert costing.on_hand_by(books, by=("style", "serial")).values.tolist() == [
        ["RG-1", "LP-1", 1], ["RG-1", "LP-2", 1]]


def test_reversing_a_switch_brings_the_quantity_layers_back():
    books = book(QUANTITY_TO_SERIALS + """
        7  2024-04-02  REVERSAL  RG-1   LP-2    -1   .      .      Main      6
        8  2024-04-02  REVERSAL  RG-1   LP-1    -1   .      .      Main      5
        9  2024-04-02  REVERSAL  RG-1   .       2    .      .      Main      4
    """)
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        RG-1   Main      .       1       2024-01-05  1    10.00      10.00  yes
        RG-1   Main      .       2       2024-02-05  1    12.00      12.00  yes
    """)
    assert costing.on_hand_by(books, by=("style", "serial")).values.tolist() == [
        ["RG-1", "", 2]]


def test_switch_to_quantity_folds_pieces_into_layers_with_their_own_costs_and_dates():
    books = book("""
        #  date        kind     style  serial  qty  cost    price   location  rev
        1  2024-01-10  RECEIPT  BR-3   LP-1    1    500.00  .       Main      .
        2  2024-02-10  RECEIPT  BR-3   LP-2    1    520.00  .       Main      .
        3  2024-03-01  CONVERT  BR-3   LP-1    -1   .       .       Main      .
        4  2024-03-01  CONVERT  BR-3   .       1    .       .       Main      3
        5  2024-03-01  CONVERT  BR-3   LP-2    -1   .       .       Main      .
        6  2024-03-01  CONVERT  BR-3   .       1    .       .       Main      5
        7  2024-04-01  SALE     BR-3   .       -1   .       900.00  Main      .
    """)
    # the pool queues LP-1's 500.00 (Jan 10) then LP-2's 520.00 (Feb 10): the sale takes 500
    assert cogs(books)[7] == 500_00
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value   owned
        BR-3   Main      .       2       2024-02-10  1    520.00     520.00  yes
    """)


def test_cost_received_equals_cost_of_goods_plus_what_is_left_to_the_cent():
    books = book("""
        #  date        kind      style  serial  qty  cost   price  location  rev
        1  2024-01-01  RECEIPT   RG-1   .       3    0.10   .      Main      .
        2  2024-01-02  RECEIPT   RG-1   .       7    0.20   .      Main      .
        3  2024-01-03  SALE      RG-1   .       -4   .      1.00   Main      .
        4  2024-01-04  RETURN    RG-1   .       1    .      1.00   Main      3
        5  2024-01-05  TRANSFER  RG-1   .       -5   .      .      Main      .
        6  2024-01-05  TRANSFER  RG-1   .       5    .      .      Vault     5
        7  2024-01-06  SALE      RG-1   .       -2   .      1.00   Vault     .
    """)
    # in: 0.30 + 1.40 = 1.70. Sale 3: 0.30 + 0.20 = 0.50; return 1 x 0.10 back; transfer
    # 5 x 0.20 = 1.00; Vault sale 2 x 0.20 = 0.40; left: Main 1 x 0.20 + 1 x 0.10 (the
    # return), Vault 3 x 0.20 = 0.90. 1.70 = (0.50 + 1.00 + 0.40) - (0.10 + 1.00) + 0.90
    assert cogs(books) == {3: 50, 5: 100, 7: 40}
    assert int(books.layers["value"].sum()) == 90
    derived = books.cost_in[[4, 6]].sum()
    assert 170 == books.cogs.sum() - derived + books.layers["value"].sum()


def test_a_return_of_more_than_its_sale_took_books_the_extra_at_its_own_unit_cost():
    books = book("""
        #  date        kind     style  serial  qty  cost   price  location  rev
        1  2024-01-01  RECEIPT  RG-1   .       3    10.00  .      Main      .
        2  2024-01-01  RECEIPT  RG-2   .       3    20.00  .      Main      .
        3  2024-01-02  SALE     RG-1   .       -1   .      30.00  Main      .
        4  2024-01-02  SALE     RG-2   .       -1   .      30.00  Main      .
        5  2024-01-03  RETURN   RG-1   .       2    9.00   30.00  Main      3
        6  2024-01-03  RETURN   RG-2   .       2    8.00   30.00  Main      4
    """)
    # each sale took 1 unit (10.00, 20.00); the second unit back was never sold: booked at
    # the return's own Unit Cost (9.00, 8.00), queued after the unit that was sold
    assert books.cost_in[[5, 6]].tolist() == [19_00, 28_00]
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        RG-1   Main      .       1       2024-01-01  2    10.00      20.00  yes
        RG-1   Main      .       1       2024-01-01  1    10.00      10.00  yes
        RG-1   Main      .       5       2024-01-03  1    9.00       9.00   yes
        RG-2   Main      .       2       2024-01-01  2    20.00      40.00  yes
        RG-2   Main      .       2       2024-01-01  1    20.00      20.00  yes
        RG-2   Main      .       6       2024-01-03  1    8.00       8.00   yes
    """)


def test_units_sold_beyond_all_received_are_costed_at_the_last_unit_cost():
    books = book("""
        #  date        kind     style  serial  qty  cost   price  location  rev
        1  2024-01-01  RECEIPT  RG-1   .       2    10.00  .      Main      .
        2  2024-02-01  SALE     RG-1   .       -3   .      30.00  Main      .
    """)
    # 2 x 10.00 received + 1 unit nobody received, at the last known 10.00
    assert cogs(books) == {2: 30_00}
    assert books.on_hand.values.tolist() == [["RG-1", "Main", "", -1]]
    assert books.layers.empty
    nobody = books.consumed[books.consumed["origin"] == 0]
    assert nobody["qty"].tolist() == [1] and nobody["received"].isna().all()


def test_a_receipt_after_a_negative_sale_covers_it_at_its_own_cost():
    books = book("""
        #  date        kind     style  serial  qty  cost   price  location  rev
        1  2024-01-01  RECEIPT  RG-1   .       2    10.00  .      Main      .
        2  2024-02-01  SALE     RG-1   .       -3   .      30.00  Main      .
        3  2024-03-01  RECEIPT  RG-1   .       4    12.00  .      Main      .
    """)
    # the third unit sold is the first of receipt 3: 2 x 10 + 1 x 12 = 32.00; 3 x 12 left
    assert cogs(books) == {2: 32_00}
    assert layers(books) == expected_layers("""
        style  location  serial  origin  received    qty  unit_cost  value  owned
        RG-1   Main      .       3       2024-03-01  3    12.00      36.00  yes
    """)


def test_selling_what_never_came_in_and_taking_it_back_does_not_crash():
    books = book("""
        #  date        kind     style  serial  qty  cost   price  location  rev
        1  2024-01-01  RECEIPT  RG-1   .       1    10.00  .      Main      .
        2  2024-01-02  SALE     RG-1   .       -1   .      30.00  Main      .
        3  2024-01-03  SALE     RG-1   .       -1   .      30.00  Main      .
        4  2024-01-04  RETURN   RG-1   .       1    7.00   30.00  Main      3
        5  2024-01-05  SALE     RG-2   .       -2   .      30.00  Main      .
    """)
    # sale 3 can only be covered by its own return (a cycle): the return is booked at its
    # own Unit Cost 7.00, so sale 3 costs 7.00; RG-2 never had a cost: 0
    assert cogs(books) == {2: 10_00, 3: 7_00, 5: 0}
    assert books.layers.empty


def test_an_empty_ledger_has_empty_books():
    books = costing.book(ledger_table("""
        #  date  kind  style  serial  qty  cost  price  location  rev
    """), {})
    assert books.layers.empty and books.consumed.empty and books.on_hand.empty
    assert books.cogs.empty and costing.owned_value(books) == 0


def test_ledger_rows_in_any_order_give_the_same_books():
    text = """
        #  date        kind     style  serial  qty  cost   price  location  rev
        1  2024-01-01  RECEIPT  RG-1   .       2    10.00  .      Main      .
        2  2024-01-02  RECEIPT  RG-1   .       2    11.00  .      Main      .
        3  2024-01-03  SALE     RG-1   .       -3   .      30.00  Main      .
    """
    lf = ledger_table(text)
    shuffled = lf.iloc[[2, 0, 1]]
    assert cogs(costing.book(shuffled, {})) == {3: 31_00}  # 2 x 10.00 + 1 x 11.00


def test_cogs_explain_lists_the_layers_each_sale_consumed():
    books = book("""
        #  date        kind     style  serial  qty  cost   price  location  rev
        1  2024-01-02  RECEIPT  RG-1   .       10   12.00  .      Main      .
        2  2024-02-01  RECEIPT  RG-1   .       5    13.00  .      Main      .
        3  2024-03-01  SALE     RG-1   .       -12  .      30.00  Main      .
    """)
    explain = books.consumed[["entry", "origin", "received", "qty", "unit_cost", "cost"]]
    assert explain.values.tolist() == [  # unit cost in ten-thousandths, cost in cents
        [3, 1, pd.Timestamp("2024-01-02"), 10, 12_0000, 120_00],
        [3, 2, pd.Timestamp("2024-02-01"), 2, 13_0000, 26_00],
    ]
