"""One way to turn a typed number into cents: the scalar and the column rule agree."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from addin.core.money import (
    cents_series,
    fmt_unit_cost,
    share,
    to_cents,
    unit_cost_of,
    unit_cost_series,
    value_cents,
)
from addin.core.rows.row_fields import MOST_CENTS, MOST_PIECES, MOST_UNIT_COST

# (what Excel hands over, the cents a person expects, why)
CASES = [
    (2.675, 268, "shows 2.675: half a cent rounds up, although the float is 2.67499999..."),
    (2.67499999999, 267, "eleven decimals typed: below half a cent"),
    (12.099999999999998, 1210, "the float Excel gives for a typed 12.1"),
    (0.125, 13, "an eighth of a dollar: 12.5 cents, half up"),
    (0.005, 1, "half a cent rounds up"),
    (0.0049, 0, "below half a cent"),
    (-0.005, -1, "half up is away from zero, as a till rounds a refund"),
    (1.005, 101, "the float is 1.00499999999999989"),
    (99_999_999.995, 10_000_000_000, "the largest amount a cell may hold, reached by rounding"),
    (0.0, 0, "nothing"),
    (7, 700, "a whole number of dollars"),
]


@pytest.mark.parametrize(("typed", "cents", "why"), CASES)
def test_a_typed_amount_becomes_the_cents_a_person_expects(typed, cents, why):
    assert to_cents(typed) == cents, why
    assert cents_series(pd.Series([typed])).iloc[0] == cents, why


def test_a_column_is_rounded_like_each_of_its_cells_and_keeps_blanks():
    column = pd.Series([c[0] for c in CASES] + [None, "x"], dtype=object)
    got = cents_series(column)
    assert got.iloc[:-2].tolist() == [c[1] for c in CASES]
    assert got.iloc[-2:].isna().all()


def test_a_decimal_is_taken_exactly():
    assert to_cents(Decimal("2.675")) == 268
    assert to_cents(Decimal("2.67499999999999999")) == 267


def test_no_amount_is_not_zero():
    with pytest.raises(ValueError):
        to_cents(None)
    with pytest.raises(ValueError):
        to_cents(float("nan"))


def test_shares_round_half_up_and_consecutive_parts_add_up_to_the_whole():
    # 100 cents over 3 units: 33.33.. -> 33, 66.66.. -> 67, 100: parts 33, 34, 33.
    cuts = share(np.array([100, 100, 100, 100]), np.array([0, 1, 2, 3]), np.array([3, 3, 3, 3]))
    assert cuts.tolist() == [0, 33, 67, 100]
    assert np.diff(cuts).tolist() == [33, 34, 33]
    # 5 cents over 2 units: 2.5 -> 3 (half up).
    assert share(5, 1, 2) == 3


# --- unit costs in ten-thousandths -------------------------------------------------------

@pytest.mark.parametrize("qty, unit, cents", [
    (1000, 1250, 125_00),  # 1,000 @ 0.125 = 125.00, not 1,000 x 0.13 = 130.00
    (3, 3333, 1_00),  # 3 @ 0.3333 = 0.9999 -> 1.00
    (1, 1250, 13),  # one @ 0.125: half a cent up
    (1, 1249, 12),
    (7, 0, 0),
    (-3, 3333, -1_00),  # a reversal takes off what the receipt brought
])
def test_a_receipt_is_worth_qty_times_unit_cost_rounded_half_up_once(qty, unit, cents):
    assert int(value_cents(qty, unit)) == cents


def test_the_largest_row_at_the_largest_unit_cost_stays_exact_in_int64():
    # 1,000,000 pieces at 100,000,000.00 = 100,000,000,000,000.00: 1e16 cents, by hand
    assert MOST_UNIT_COST == MOST_CENTS * 100 == 10**12
    got = value_cents(np.array([MOST_PIECES], np.int64), np.array([MOST_UNIT_COST], np.int64))
    assert got.dtype == np.int64 and int(got[0]) == 10**16
    odd = value_cents(np.array([MOST_PIECES]), np.array([MOST_UNIT_COST - 1]))  # ...99.9999
    assert int(odd[0]) == 10**16 - 100_00  # 1e6 x 0.0001 = 100.00 less, exactly


def test_a_value_per_unit_divides_before_it_scales():
    # 9e18 cents is near int64's end; times 100 it would wrap, divided first it does not
    big = np.array([9 * 10**18], np.int64)
    assert int(unit_cost_of(big, np.array([10**6]))[0]) == 9 * 10**12 * 100
    assert int(unit_cost_of(12500, 1000)) == 1250  # 125.00 for 1,000: 0.125
    assert int(unit_cost_of(100, 3)) == 3333  # 1.00 for 3: 0.3333 (rounded)


def test_unit_costs_read_from_a_sheet_keep_4_decimals_and_show_as_typed():
    typed = pd.Series([0.125, 12.1, 0.3333, None, 12.099999999999998])
    assert list(unit_cost_series(typed)) == [1250, 12_1000, 3333, 0, 12_1000]
    assert [fmt_unit_cost(u) for u in (1250, 12_1000, 3333, 1_234_5678)] == [
        "0.125", "12.10", "0.3333", "1,234.5678"]
