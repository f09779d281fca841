"""One cell as worksheet XML: each value written as its own type, text always as text.

Strings go in as inline strings (`t="inlineStr"`), so a value that starts with `=`, `+`,
`-` or `@` stays exactly that text and can never become a formula; only the schema's
formula columns are written as formulas, through `formula_cell`. Numbers are numbers,
booleans booleans, dates and times Excel serial numbers (their style makes them show as
dates; see `xlsx_styles`). Missing values (None, "", NaN, NaT) leave the cell empty but
keep its style, as clearing a cell in Excel does.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from addin.workbook.xml_text import cell_text, formula_text, needs_preserve

_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
_MARCH_1900 = 61  # Excel counts a 1900-02-29 (serial 60) that never was


def plain(value: object) -> object:
    """A value as a plain Python scalar: numpy scalars unwrapped, missing values -> None."""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
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
    value = plain(value)
    s = f' s="{style}"' if style else ""
    if value is None:
        return f'<c r="{ref}"{s}/>' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"{s}><v>{_number(value)}</v></c>'
    if isinstance(value, dt.date | dt.time):
        return f'<c r="{ref}"{s}><v>{_number(excel_serial(value, date1904))}</v></c>'
    text = str(value)
    space = ' xml:space="preserve"' if needs_preserve(text) else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{cell_text(text)}</t></is></c>'


def formula_cell(ref: str, formula: str, style: int | None) -> str:
    """`<c>` holding a formula (no cached value: Excel computes it on open)."""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s}><f>{formula_text(formula)}</f></c>'


def _number(value: int | float | Decimal) -> str:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))
