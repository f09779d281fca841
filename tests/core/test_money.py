"""One way to turn a typed number into cents: the scalar and the column rule agree."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from addin.core.money import cents_series, share, to_cents

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
