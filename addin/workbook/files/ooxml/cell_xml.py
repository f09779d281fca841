"""One cell as worksheet XML: each value written as its own type, text always as text.

Strings go in as inline strings (`t="inlineStr"`), so a value that starts with `=`, `+`,
`-` or `@` stays exactly that text and can never become a formula; only the schema's
formula columns are written as formulas, through `formula_cell`. Numbers are numbers,
booleans booleans, dates and times Excel serial numbers (their style makes them show as
dates; see `xlsx_styles`). Missing values (None, "", NaN, NaT) leave the cell empty but
keep its style, as clearing a cell in Excel does.

A cell is written in two halves: `written` turns the value into what follows the cell's
`r=` and `s=` attributes, and says which kind of value it is (a date, a date with a time,
a number, anything else), the one thing its style depends on (`StyleSheet.for_kind`).
Whole sheets of cells go through here, so the common types take the shortest way.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from addin.workbook.files.ooxml.xml_text import cell_text, formula_text, needs_preserve

_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
_MARCH_1900 = 61  # Excel counts a 1900-02-29 (serial 60) that never was
_MIDNIGHT = dt.time()

# What a value is, as far as its cell's style cares (see `StyleSheet.for_kind`).
AS_IS = "as is"  # text, booleans, empty cells: any style will do
NUMBER = "number"  # must not show as a date
DATE = "date"  # must show as a date
TIMED = "date and time"  # must show as a date with its time (or a time of day)


def plain(value: object) -> object:
    """A value as a plain Python scalar: numpy scalars unwrapped, missing values -> None."""
    kind = type(value)
    if kind is str:
        return value or None
    if kind is int or kind is bool or kind is dt.datetime:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if kind.__module__ == "numpy" and hasattr(value, "item"):
        value = value.item()
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        return None
    if isinstance(value, dt.datetime | dt.date) and value != value:  # pandas NaT
        return None
    return value


def excel_serial(value: dt.date | dt.time, date1904: bool = False) -> float:
    """A date, datetime or time as Excel's day number (time of day as the fraction)."""
    if isinstance(value, dt.time):
        return (
            value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        ) / 86400
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    value = value.replace(tzinfo=None)
    delta = value - (_EPOCH_1904 if date1904 else _EPOCH_1900)
    serial = delta.days + delta.seconds / 86400 + delta.microseconds / 86_400e6
    if not date1904 and serial < _MARCH_1900:
        serial -= 1  # before March 1900 Excel counts from 1900-01-01 = 1
    return serial


def value_cell(ref: str, value: object, style: int | None, date1904: bool = False) -> str:
    """`<c>` for a plain value; "" when there is nothing to keep (empty and unstyled)."""
    return styled_cell(ref, style, written(value, date1904)[1])


def styled_cell(ref: str, style: int | None, tail: str | None) -> str:
    """`<c>` at `ref` in `style` around a `tail` from `written` (None: an empty cell,
    kept only when it has a style to keep)."""
    if tail is None:
        return f'<c r="{ref}" s="{style}"/>' if style else ""
    if style:
        return f'<c r="{ref}" s="{style}"{tail}'
    return f'<c r="{ref}"{tail}'


def written(value: object, date1904: bool = False) -> tuple[str, str | None]:
    """(the value's kind, the cell's XML after its attributes r= and s=) for any value;
    None instead of XML when the value is missing and the cell stays empty."""
    kind = type(value)
    if kind is str:
        return (AS_IS, _text(value)) if value else (AS_IS, None)
    if kind is float:
        return (NUMBER, f"><v>{_number(value)}</v></c>") if math.isfinite(value) else (AS_IS, None)
    if kind is int:
        return NUMBER, f"><v>{value}</v></c>"
    if kind is dt.datetime:
        return _date(value, date1904)
    return _written(plain(value), date1904)


def formula_cell(ref: str, formula: str, style: int | None) -> str:
    """`<c>` holding a formula (no cached value: Excel computes it on open)."""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s}><f>{formula_text(formula)}</f></c>'


def _written(value: object, date1904: bool) -> tuple[str, str | None]:
    """`written` for a value already made plain, of any type."""
    if value is None:
        return AS_IS, None
    if isinstance(value, bool):
        return AS_IS, f' t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return NUMBER, f"><v>{_number(value)}</v></c>"
    if isinstance(value, dt.date | dt.time):
        return _date(value, date1904)
    return AS_IS, _text(str(value))


def _date(value: dt.date | dt.time, date1904: bool) -> tuple[str, str]:
    timed = isinstance(value, dt.time) or (
        isinstance(value, dt.datetime) and value.time() != _MIDNIGHT
    )
    return (TIMED if timed else DATE), f"><v>{_number(excel_serial(value, date1904))}</v></c>"


def _text(text: str) -> str:
    space = ' xml:space="preserve"' if needs_preserve(text) else ""
    return f' t="inlineStr"><is><t{space}>{cell_text(text)}</t></is></c>'


def _number(value: int | float | Decimal) -> str:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))
