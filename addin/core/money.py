"""Money as integer cents: exact totals, no float drift, and one way to round.

A unit cost is the one amount finer than a cent: findings and jump rings are priced in
fractions of a cent (0.125), so a unit cost is kept in whole ten-thousandths of a dollar
(`unit_cost_units`: 0.125 -> 1250), exactly as typed, and refused with more than 4
decimals. What a receipt is worth is Qty x Unit Cost rounded half up to the cent once, at
receipt (`value_cents`: 1,000 @ 0.125 -> 12500 cents); from then on only that exact cent
value is split (`share`).

Excel hands us floats (12.1 may arrive as 12.099999999999998, 2.675 as 2.67499999999999982);
each cell is turned into cents once, at the edge, by `cents_series` (or `to_cents` for one
value: the same rule), and from then on only integers are added. The rule: a number that is
a whole number of ten-thousandths as typed (what Excel shows, up to 4 decimals) is taken as
that decimal and rounded half up to the cent (2.675 -> 268); a number with more decimals than
that is rounded half up as it is (2.67499999999 -> 267). Whole-cent shares of an amount
(`share`) round half up too, in integers.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

CENT = Decimal("0.01")
PLACES = 4  # decimals a typed amount may carry (a unit cost of 0.1250)
SCALE = 10**PLACES  # ten-thousandths of a dollar per dollar
_NEAR = 1e-12  # how far (relative) a float may sit from the decimal it stands for


def ten_thousandths(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Floats (dollars) -> (nearest whole ten-thousandths, True where that is what was
    typed: the float is the nearest double to a number of at most 4 decimals)."""
    scaled = np.asarray(values, dtype="float64") * SCALE
    nearest = np.rint(scaled)
    typed = np.abs(scaled - nearest) <= _NEAR * np.maximum(1.0, np.abs(nearest))
    return nearest, typed


def half_up_cents(values: np.ndarray) -> np.ndarray:
    """Floats (dollars) -> whole cents, half up (away from zero), as float64 (NaN kept)."""
    x = np.asarray(values, dtype="float64")
    nearest, typed = ten_thousandths(x)
    exact = np.floor((np.abs(nearest) + SCALE // 200) / (SCALE // 100))  # integer arithmetic
    loose = np.floor(np.abs(x) * 100 + 0.5)
    return np.where(typed, exact, loose) * np.sign(x)


def cents_series(values: pd.Series) -> pd.Series:
    """A column of amounts (floats from Excel) -> nullable int64 cents, vectorized."""
    as_float = pd.to_numeric(values, errors="coerce").astype("float64")
    return pd.Series(half_up_cents(as_float.to_numpy()), index=values.index).astype("Int64")


def unit_cost_series(values: pd.Series) -> pd.Series:
    """A column of unit costs (floats from Excel, dollars) -> int64 ten-thousandths (blank
    0): what was typed, to 4 decimals; more decimals round half up to the nearest."""
    x = pd.to_numeric(values, errors="coerce").astype("float64").fillna(0).to_numpy()
    nearest, typed = ten_thousandths(x)
    loose = np.floor(np.abs(x) * SCALE + 0.5) * np.sign(x)
    return pd.Series(np.where(typed, nearest, loose), index=values.index).astype("int64")


def to_cents(value: object) -> int:
    """One typed amount -> whole cents (half up, as a till rounds): `cents_series`'s rule."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        raise ValueError("no amount")
    if isinstance(value, Decimal):
        return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return int(half_up_cents(np.array([float(value)]))[0])  # type: ignore[arg-type]


def unit_cost_units(value: float) -> tuple[int, bool]:
    """One typed unit cost (dollars) -> (whole ten-thousandths, True when that is exactly
    what was typed: at most 4 decimals)."""
    nearest, typed = ten_thousandths(np.array([float(value)]))
    return int(nearest[0]), bool(typed[0])


def value_cents(qty: np.ndarray | int, unit_cost: np.ndarray | int) -> np.ndarray:
    """Qty x Unit Cost (ten-thousandths) -> whole cents, half up (away from zero), in int64.

    Splitting the unit cost into cents and the rest keeps the products small: 1,000,000
    pieces at 100,000,000.0000 stay far inside int64."""
    q = np.asarray(qty, dtype=np.int64)
    unit = np.asarray(unit_cost, dtype=np.int64)
    sign = np.sign(q) * np.sign(unit)
    q, unit = np.abs(q), np.abs(unit)
    whole, rest = np.divmod(unit, SCALE // 100)
    return sign * (q * whole + (q * rest + SCALE // 200) // (SCALE // 100))


def unit_cost_of(cents: np.ndarray | int, qty: np.ndarray | int) -> np.ndarray:
    """A value (cents) per unit, in ten-thousandths, half up (qty > 0): 12500 cents for
    1,000 -> 1250 (0.125). Divides before it scales, so no value int64 holds overflows."""
    whole, rest = np.divmod(cents, qty)
    return whole * (SCALE // 100) + share(rest * (SCALE // 100), 1, qty)


def is_whole_unit_cost(cents: np.ndarray | int, qty: np.ndarray | int) -> np.ndarray:
    """True where a value (cents) divides by its units to a whole ten-thousandth."""
    return (np.mod(cents, qty) * (SCALE // 100)) % qty == 0


def share(cents: np.ndarray | int, part: np.ndarray | int, whole: np.ndarray | int) -> np.ndarray:
    """round-half-up(cents * part / whole) in whole cents, exact in int64 (whole > 0).

    Splitting the amount first (``cents = q * whole + r``) keeps the products small, so no
    realistic amount overflows. Shares of consecutive parts taken as differences
    (``share(c, k + n, w) - share(c, k, w)``) always add up to the whole.
    """
    q, r = np.divmod(cents, whole)
    return q * part + (2 * r * part + whole) // (2 * whole)


def to_decimal(cents: int) -> Decimal:
    """Whole cents -> Decimal dollars, for display and for writing back to Excel."""
    return (Decimal(int(cents)) / 100).quantize(CENT)


def fmt(cents: int) -> str:
    """Cents -> '1,234.56' (negative with a minus sign)."""
    return f"{to_decimal(cents):,.2f}"


def unit_cost_decimal(units: int) -> Decimal:
    """Ten-thousandths -> Decimal dollars as a unit cost is shown: 2 decimals, or up to 4
    when the cost has them (1250 -> 0.125, 1200 -> 0.12)."""
    exact = Decimal(int(units)).scaleb(-PLACES)
    return exact.quantize(CENT) if int(units) % (SCALE // 100) == 0 else exact.normalize()


def fmt_unit_cost(units: int) -> str:
    """Ten-thousandths -> '0.125', '1,234.56' (a unit cost as the Ledger shows it)."""
    return f"{unit_cost_decimal(units):,}"
