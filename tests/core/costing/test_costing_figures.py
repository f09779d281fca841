"""Figures read off the Books: sale lines and margin, layer ages, ageing buckets."""

from __future__ import annotations

import math

from addin.core import costing
from addin.core.costing import figures
from tests.core.costing.fifo_tables import book, ledger_table

SALES = """
    #  date        kind      style  serial  qty  cost    price   location  rev
    1  2024-01-01  RECEIPT   RG-1   .       3    100.00  .       Main      .
    2  2024-02-01  RECEIPT   RG-1   .       3    130.00  .       Main      .
    3  2024-03-01  SALE      RG-1   .       -4   .       250.00  Main      .
    4  2024-03-05  RETURN    RG-1   .       2    .       .       Main      3
    5  2024-04-01  SALE      RG-1   .       -3   .       250.00  Main      .
    6  2024-04-02  SALE      RG-1   .       -1   .       260.00  Main      .
    7  2024-04-03  REVERSAL  RG-1   .       1    .       .       Main      6
"""


def test_sale_lines_carry_revenue_cost_and_margin_in_cents():
    lf = ledger_table(SALES)
    lines = costing.sale_lines(lf, costing.book(lf, {}))
    # sale 3: 4 x 250 = 1,000.00 revenue, 3 x 100 + 1 x 130 = 430.00 cost, 570.00 margin.
    # return 4 names no price, so it refunds its sale's 250.00: -500.00, and gives back
    # the 2 x 100.00 its units cost. sale 5: 750.00 - (2 x 130 + 1 x 100) = 390.00.
    # sale 6 was reversed: no line.
    got = lines[["entry", "kind", "qty", "revenue", "cogs", "margin"]].values.tolist()
    assert got == [
        [3, "SALE", 4, 1_000_00, 430_00, 570_00],
        [4, "RETURN", -2, -500_00, -200_00, -300_00],
        [5, "SALE", 3, 750_00, 360_00, 390_00],
    ]
    assert lines["margin_pct"].round(6).tolist() == [0.57, 0.6, 0.52]


def test_a_sale_at_no_price_has_no_margin_percentage():
    lf = ledger_table("""
        #  date        kind     style  serial  qty  cost   price  location  rev
        1  2024-01-01  RECEIPT  RG-1   .       1    10.00  .      Main      .
        2  2024-01-02  SALE     RG-1   .       -1   .      .      Main      .
    """)
    line = costing.sale_lines(lf, costing.book(lf, {})).iloc[0]
    assert line["margin"] == -10_00 and math.isnan(line["margin_pct"])


AGES = """
    #  date        kind     style  serial  qty  cost    price  location  rev
    1  2022-01-01  RECEIPT  RG-1   .       1    10.00   .      Main      .
    2  2023-10-03  RECEIPT  RG-1   .       2    20.00   .      Main      .
    3  2024-10-02  RECEIPT  RG-1   .       3    30.00   .      Main      .
    4  2024-10-01  MEMO_IN  PD-9   LP-1    1    500.00  .      Main      .
"""


def test_layer_ages_count_days_since_receipt_and_weigh_them_by_quantity():
    ages = costing.layer_ages(book(AGES), "2024-12-31")
    # 2022-01-01 -> 2024-12-31: 365 + 366 - 1 + 365 = 1095 days; 2023-10-03: 455;
    # 2024-10-02: 90; 2024-10-01: 91
    assert ages.layers["age_days"].tolist() == [1095, 455, 90, 91]
    rg = ages.by_style.set_index("style").loc["RG-1"]
    # (1 x 1095 + 2 x 455 + 3 x 90) / 6 = 2275 / 6
    assert math.isclose(rg["age_days"], 2275 / 6)
    assert rg["qty"] == 6 and rg["value"] == 10_00 + 40_00 + 90_00


def test_ageing_buckets_put_an_age_on_a_limit_into_the_younger_bucket():
    buckets = costing.ageing_buckets(book(AGES), "2024-12-31")
    got = buckets[["style", "bucket", "qty", "value", "owned_value"]].values.tolist()
    assert got == [
        ["PD-9", "91-180", 1, 500_00, 0],  # memo stock: valued, not owned
        ["RG-1", "0-90", 3, 90_00, 90_00],
        ["RG-1", "366-730", 2, 40_00, 40_00],
        ["RG-1", "over 730", 1, 10_00, 10_00],
    ]


def test_bucket_labels_follow_the_limits():
    assert figures.bucket_labels((30, 60)) == ["0-30", "31-60", "over 60"]
