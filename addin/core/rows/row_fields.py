"""The field types the row models share: reading one cell, and saying what is wrong with it.

Each reader takes a cell as the typed frame holds it (or a raw cell: None, str, float,
bool, datetime) and returns the field's value, or raises a pydantic error that carries
the fix the user should make (`wrong`; a blank required cell raises type "blank"). The
models (`addin.core.rows.models`) turn those errors into `Problem`s naming sheet, row and
column. The rules match the typed reader (`addin.workbook.reader.cells`): a number stored as
text is named as such, a date must be a date, choices match any case and spacing.

Money: from a sheet (validation context `FROM_SHEET`) an amount is dollars, rounded half
up to the cent; built in code, a model is given cents, as it holds them. A unit cost
(`unit_cost`) is kept as typed to 4 decimals, in ten-thousandths of a dollar (0.125 ->
1250; built in code, a model is given ten-thousandths); more decimals are refused.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

import pandas as pd
from pydantic import BeforeValidator, ValidationInfo
from pydantic_core import PydanticCustomError

from addin.core.money import PLACES, SCALE, fmt, fmt_unit_cost, to_cents, unit_cost_units
from addin.sheets import schema

EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_DATES = (20000, 80000)  # Excel day numbers read as dates, as the typed reader does
FROM_SHEET = "from_sheet"  # validation context: money arrives in dollars
RETYPE = "retype it as a number (Excel: select the cell, then Convert to Number)"
MOST_PIECES = 1_000_000  # pieces on one row: more is a typing slip, not a delivery
MOST_CENTS = 10_000_000_000  # 100,000,000.00: the largest amount one cell may hold
MOST_UNIT_COST = MOST_CENTS * (SCALE // 100)  # the same largest amount, in ten-thousandths
# Together they keep every Qty x Unit Cost (1e6 x 1e12 ten-thousandths = 1e18 < 9.2e18, and
# `money.value_cents` multiplies far smaller parts) and any ledger's sum inside int64.


def wrong(message: str, fix: str) -> PydanticCustomError:
    """A validation error that carries the fix the user should make."""
    return PydanticCustomError("loupe", message, {"fix": fix})


def blank(fix: str) -> PydanticCustomError:
    """The error of a required cell left blank (the model names the column)."""
    return PydanticCustomError("blank", "blank", {"fix": fix})


def is_blank(v: Any) -> bool:
    """None, NaN, NA, NaT, or text of spaces only."""
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    return isinstance(v, str) and not v.strip()


def as_typed(n: float) -> str:
    """A number as a person typed it and Excel shows it (15 significant digits):
    20260301, not 2.02603e+07; 3, not 2.9999999999999996."""
    return f"{n:.15g}" if math.isfinite(n) else str(n)


def near_whole(n: float) -> bool:
    """Is `n` a whole number once float noise is gone (2.9999999999999996 is 3)?"""
    return math.isfinite(n) and float(as_typed(n)).is_integer()


def shown(v: Any) -> str:
    """A cell as a message quotes it: TRUE, 12, 2.5, 'text', 2026-03-01."""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, dt.datetime) and v.time() == dt.time():
        return v.date().isoformat()
    if isinstance(v, float | int):
        return as_typed(float(v))
    return repr(v) if isinstance(v, str) else str(v)


def as_text(v: Any) -> str:
    """Any cell -> its text: blank "", 1001.0 -> '1001', surrounding spaces off."""
    if is_blank(v):
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime) and v.time() == dt.time():
        return v.date().isoformat()
    return fits_a_cell(str(v).strip())


def fits_a_cell(text: str) -> str:
    """`text`, or an error when it is longer than one Excel cell holds."""
    if len(text) * 2 > schema.CELL_UNITS and schema.cell_units(text) > schema.CELL_UNITS:
        raise wrong(too_long(text), f"shorten it to {schema.CELL_UNITS:,} or fewer: that is "
                    "all one cell holds")
    return text


def too_long(text: str) -> str:
    return (f"the text is {schema.cell_units(text):,} characters long as Excel counts them "
            "(an emoji or a rare character counts 2)")


def as_number(v: Any, fix: str) -> float | None:
    """A cell that must hold a number -> the number (None when blank)."""
    if is_blank(v):
        return None
    if isinstance(v, bool) or isinstance(v, dt.date):
        raise wrong(f"{shown(v)} is not a number", fix)
    if isinstance(v, str):
        try:
            float(v.strip().replace(",", "").lstrip("$"))
        except ValueError:
            raise wrong(f"{v!r} is not a number", fix) from None
        raise wrong(f"{v!r} is a number stored as text", RETYPE)
    try:
        return float(v)
    except (TypeError, ValueError):
        raise wrong(f"{shown(v)} is not a number", fix) from None


def needed(fix: str) -> Callable[[Any], str]:
    """Text that must not be blank; `fix` says what to type."""

    def check(v: Any) -> str:
        text = as_text(v)
        if not text:
            raise blank(fix)
        return text

    return check


def day(required: str | None = None) -> Callable[[Any], dt.date | None]:
    """A date cell -> datetime.date; `required` is the fix when it is blank."""

    def check(v: Any) -> dt.date | None:
        if is_blank(v):
            if required:
                raise blank(required)
            return None
        if isinstance(v, dt.datetime | pd.Timestamp):
            return pd.Timestamp(v).date()
        if isinstance(v, dt.date):
            return v
        if isinstance(v, float | int) and not isinstance(v, bool):
            if SERIAL_DATES[0] <= v <= SERIAL_DATES[1]:
                return EXCEL_EPOCH + dt.timedelta(days=int(v))
        if isinstance(v, str):
            raise wrong(f"{v!r} is text, not a date", "retype it so Excel stores a date (it "
                        "then sits at the right of the cell)")
        raise wrong(f"{shown(v)} is not a date", "type a date, like 2026-03-01")

    return check


def whole(v: Any, fix: str) -> int | None:
    """A whole number, or None when blank."""
    n = as_number(v, fix)
    if n is None:
        return None
    if not near_whole(n):
        raise wrong(f"{as_typed(n)} is not a whole number", fix)
    return round(n)


def pieces(doing: str, negative_fix: str = "") -> Callable[[Any], int]:
    """Qty: a whole number of pieces, 1 or more. `doing` says what the pieces did."""
    fix = f"enter how many pieces {doing} (1 or more)"

    def check(v: Any) -> int:
        n = whole(v, fix)
        if n is None:
            raise blank(fix)
        if n == 0:
            raise wrong("0 is not a quantity", fix)
        if n < 0:
            raise wrong(f"{n} is not a quantity", negative_fix or fix)
        return at_most_pieces(n)

    return check


def at_most_pieces(n: int) -> int:
    """`n`, or an error when it is more pieces than one row may hold."""
    if n > MOST_PIECES:
        raise wrong(f"{n:,} is more pieces than one row may hold ({MOST_PIECES:,})",
                    "check the number (a stray digit?); split a larger lot over several rows")
    return n


def whole_number(fix: str = "type a whole number, like 3", *, required: bool = False,
                  least: int | None = None, pieces: bool = False) -> Callable[[Any], int | None]:
    """A whole number (None when blank), at least `least` when given; with `pieces`, no
    more than one row may hold."""

    def check(v: Any) -> int | None:
        n = whole(v, fix)
        if n is None and required:
            raise blank(fix)
        if n is not None and least is not None and n < least:
            raise wrong(f"{n} is negative" if least == 0 else f"{n} is below {least}", fix)
        return at_most_pieces(n) if n is not None and pieces else n

    return check


def yes_no(v: Any) -> bool:
    """Active: Yes/No from the sheet (blank is Yes), or a bool given as such."""
    return v if isinstance(v, bool) else choice(schema.YES_NO, "Yes")(v) == "Yes"


def signed_cents(v: Any, info: ValidationInfo) -> int | None:
    """Margin: cents, may be negative (a piece sold below cost)."""
    n = as_number(v, "leave Margin to Loupe: it is a formula")
    if n is None or not math.isfinite(n):
        return None
    return to_cents(n) if from_sheet(info) else whole_cents(n, "margin")


def from_sheet(info: ValidationInfo) -> bool:
    """Values from a sheet are dollars; a model built in code is given cents."""
    return bool(info.context and info.context.get(FROM_SHEET))


def whole_cents(n: float, what: str) -> int:
    if not n.is_integer():
        raise wrong(f"{as_typed(n)} is not whole cents", f"give the {what} in cents (an int)")
    return int(n)


def _an_amount(v: Any, fix: str, required: bool) -> float | None:
    """A typed amount as a finite number (None: blank, unless `required`)."""
    n = as_number(v, fix)
    if n is None:
        if required:
            raise blank(fix)
        return None
    if not math.isfinite(n):
        raise wrong(f"{shown(v)} is not an amount", fix)
    return n


def amount(what: str, required: bool = False) -> Callable[[Any, ValidationInfo], int | None]:
    """Money -> whole cents, never negative; `what` names the amount in the fix.

    From a sheet (`from_typed`) the value is dollars, rounded half up to the cent; a model
    built in code is given cents, as it holds them.
    """
    fix = f"type the {what} as a number, like 12.50"

    def check(v: Any, info: ValidationInfo) -> int | None:
        n = _an_amount(v, fix, required)
        if n is None:
            return None
        cents = to_cents(n) if from_sheet(info) else whole_cents(n, what)
        if cents < 0:
            raise wrong(f"{cents / 100:,.2f} is negative",
                         f"type the {what} without a minus sign")
        if cents > MOST_CENTS:
            raise wrong(f"{fmt(cents)} is more than the largest amount a cell may hold "
                        f"({fmt(MOST_CENTS)})", f"check the {what} (a stray digit?)")
        return cents

    return check


def unit_cost(what: str = "unit cost", required: bool = False
              ) -> Callable[[Any, ValidationInfo], int | None]:
    """A unit cost -> whole ten-thousandths of a dollar, as typed (0.125 -> 1250), never
    negative; a cost with more than 4 decimals is refused, naming the nearest one to type.

    From a sheet the value is dollars; a model built in code is given ten-thousandths."""
    fix = f"type the {what} as a number, like 12.50 (up to 4 decimals: 0.125)"

    def check(v: Any, info: ValidationInfo) -> int | None:
        n = _an_amount(v, fix, required)
        if n is None:
            return None
        if not from_sheet(info):
            units = whole_cents(n, f"{what} (in ten-thousandths)")
        else:
            units, typed = unit_cost_units(n)
            if not typed:
                unit = Decimal(1).scaleb(-PLACES)  # 0.0001, the smallest amount kept
                exact = Decimal(as_typed(n))
                shown_as = format(exact, "f")  # 0.00001, not 1e-05
                nearest = exact.quantize(unit, ROUND_HALF_UP)
                if nearest == 0:  # rounding would leave nothing: 0.0000 is no suggestion
                    raise wrong(f"{shown_as} has more than {PLACES} decimals and is less "
                                f"than {unit}, the smallest {what} Loupe keeps",
                                f"type at most {PLACES} decimals: {unit} or more, or 0")
                raise wrong(f"{shown_as} has more than {PLACES} decimals",
                            f"type at most {PLACES} ({nearest})")
        if units < 0:
            raise wrong(f"{fmt_unit_cost(units)} is negative",
                        f"type the {what} without a minus sign")
        if units > MOST_UNIT_COST:
            raise wrong(f"{fmt_unit_cost(units)} is more than the largest amount a cell may "
                        f"hold ({fmt(MOST_CENTS)})", f"check the {what} (a stray digit?)")
        return units

    return check


def measure(what: str) -> Callable[[Any], float | None]:
    """A decimal that is not money (grams, carats): a number, not negative."""
    fix = f"type the {what} as a number, like 1.5"

    def check(v: Any) -> float | None:
        n = as_number(v, fix)
        if n is not None and n < 0:
            raise wrong(f"{as_typed(n)} is negative", fix)
        return n

    return check


def choice(
    choices: tuple[str, ...], default: str | None = None, required: bool = False
) -> Callable[[Any], str | None]:
    """One of `choices`, whatever its case and spacing; blank -> `default`."""
    canon = {c.casefold(): c for c in choices}
    if choices == schema.YES_NO:
        canon.update({"true": "Yes", "false": "No"})
    allowed = ", ".join(choices)

    def check(v: Any) -> str | None:
        text = as_text(v)
        if not text:
            if required:
                raise blank(f"pick one of {allowed}")
            return default
        found = canon.get(" ".join(text.split()).casefold())
        if found is None:
            raise wrong(f"{text!r} is not one of {allowed}", f"pick one of {allowed}")
        return found

    return check


Text = Annotated[str, BeforeValidator(as_text)]
Date = Annotated[dt.date | None, BeforeValidator(day())]
Signed = Annotated[int | None, BeforeValidator(whole_number())]


def row_error(column: str, message: str, fix: str) -> PydanticCustomError:
    """An error about the row as a whole, pinned on the cell to fix."""
    return PydanticCustomError("loupe", message, {"fix": fix, "column": column})
