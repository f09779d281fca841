"""Money as integer cents: exact totals, no float drift.

Excel hands us floats (12.1 may arrive as 12.099999999999998); we round each cell to the
cent once, at the edge, and from then on add integers only.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

CENT = Decimal("0.01")


def to_cents(value: object) -> int:
    """One typed amount -> whole cents (half up, as a till rounds)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        raise ValueError("no amount")
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    return int((d * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cents_series(values: pd.Series) -> pd.Series:
    """A column of amounts (floats from Excel) -> nullable int64 cents, vectorized."""
    as_float = pd.to_numeric(values, errors="coerce").astype("float64")
    cents = np.floor(np.abs(as_float) * 100 + 0.5 + 1e-9) * np.sign(as_float)
    return pd.Series(cents, index=values.index).round().astype("Int64")


def to_decimal(cents: int) -> Decimal:
    """Whole cents -> Decimal dollars, for display and for writing back to Excel."""
    return (Decimal(int(cents)) / 100).quantize(CENT)


def fmt(cents: int) -> str:
    """Cents -> '1,234.56' (negative with a minus sign)."""
    return f"{to_decimal(cents):,.2f}"
