"""Reading one column of raw cells as its schema kind, and saying which cells cannot be read.

Raw cells are what the adapters give (port.py): None, str, float, bool, datetime (and,
from other readers, int, date or Timestamp). Each column is read at once with pandas;
Python only touches the few cells that become problems.

The rules, per kind of column. Text that merely looks like a number or a date is
reported, never guessed at, so nothing posts on a misread:

- TEXT: text is stripped of surrounding spaces. A number becomes its text the way Excel
  shows it in General format: 1001.0 -> "1001" (a Doc or Serial typed as a number), 12.5
  -> "12.5". TRUE/FALSE -> "TRUE"/"FALSE"; a date -> "2026-03-01" (with " HH:MM:SS" when
  it has a time). A column with choices matches them ignoring case and spacing and holds
  the canonical spelling (`memo  out` -> `Memo Out`; TRUE/FALSE count as Yes/No);
  anything else is a problem listing the allowed values.
- INT: a whole number. 2.5, text ("two"), a number stored as text ("12"), TRUE/FALSE
  and dates are problems; a number stored as text says "retype it as a number".
- NUMBER, MONEY, UNIT_COST, PERCENT: any number. Text, numbers stored as text ("12.50",
  "$1,200"), TRUE/FALSE and dates are problems. More than two decimals is fine for money:
  the amount rounds half up to the cent when posted, which is what a currency format
  shows. A unit cost keeps up to 4 decimals; more is for the row models to refuse, as
  are negative amounts.
- DATE: a date; a time of day is dropped. A number from 20000 to 80000 (1954-10-03 to
  2119-01-10) is an Excel date serial whose date format the reader lost, and reads as that
  date; any other number is a problem. Text, even text that looks like a date
  ("2026-03-01", "3/1/26"), is a problem: Excel keeps it as text, so it does not sort or
  compare as a date, and "3/1/26" means March or January depending on the PC.
- DATETIME: like DATE, keeping the time, rounded to the second (Excel stores a time as a
  fraction of a day and hands it back a hair off).
- Years outside 1900-2261 are problems: a typo, and more than a datetime64[ns] can hold.
- A required column (schema `required`) left blank is a problem.
- A cell that cannot be read is blank in the typed column.

The faithful reading (`faithful=True`) is the Ledger's, whose cells Loupe wrote: text is
kept exactly (not stripped, choices not re-spelled) so that a hand edit still changes a
row's Hash; numbers and dates stored as text are read, as the hash chain reads them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from addin.core.rows.row_fields import as_typed, near_whole
from addin.sheets.schema import YES_NO, Column, Kind

EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # day 0 of Excel's 1900 date system
SERIAL_DATES = (20000, 80000)  # date serials accepted from a reader that lost the format
FIRST_YEAR, LAST_YEAR = 1900, 2261
LARGEST = 1e12  # no quantity or amount in a shop is this big; cents stay exact below 2**53
NUMERIC_KINDS = (Kind.INT, Kind.NUMBER, Kind.MONEY, Kind.UNIT_COST, Kind.PERCENT)
AMOUNT_KINDS = (Kind.MONEY, Kind.UNIT_COST)
MOMENT_KINDS = (Kind.DATE, Kind.DATETIME)
YES_NO_ALIASES = {"true": "Yes", "false": "No"}
RETYPE = "retype it as a number (Excel: select the cell, then Convert to Number)"
TYPE_A_DATE = "type a date, like 2026-03-01"
DATE_SHAPE = re.compile(
    r"^\s*(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}[ -]?[A-Za-z]{3,9}\.?[-, ]*\d{2,4}"
    r"|[A-Za-z]{3,9}\.? \d{1,2},? \d{2,4})\b"
)

# What sort of value a cell holds.
BLANK, TEXT, NUMBER, FLAG, MOMENT, OTHER = range(6)
_SORT_OF_TYPE: dict[type, int] = {
    str: TEXT, np.str_: TEXT,
    float: NUMBER, int: NUMBER, np.float64: NUMBER, np.float32: NUMBER,
    np.int64: NUMBER, np.int32: NUMBER, Decimal: NUMBER,
    bool: FLAG, np.bool_: FLAG,
    dt.datetime: MOMENT, dt.date: MOMENT, pd.Timestamp: MOMENT, np.datetime64: MOMENT,
    type(None): BLANK, type(pd.NaT): BLANK, type(pd.NA): BLANK,
}
_SORT_OF_COLUMN = {
    "string": TEXT, "floating": NUMBER, "integer": NUMBER, "mixed-integer-float": NUMBER,
    "decimal": NUMBER, "boolean": FLAG, "datetime": MOMENT, "date": MOMENT,
    "datetime64": MOMENT, "empty": BLANK,
}

Bad = list[tuple[int, str, str]]  # (position in the column, message, fix)


@dataclass(frozen=True)
class Cells:
    """One column's raw cells and the sort of each, found once for the whole column."""

    raw: pd.Series  # object, RangeIndex
    sort: np.ndarray  # int8: BLANK, TEXT, NUMBER, FLAG, MOMENT or OTHER per cell
    spaces: np.ndarray  # text of spaces only: blank, but kept as typed on the Ledger
    words: pd.Series  # every text cell (spaces only too) as str dtype, index = position

    @classmethod
    def of(cls, raw: pd.Series) -> Cells:
        raw = raw.astype(object).reset_index(drop=True)
        missing = raw.isna().to_numpy()
        one = _SORT_OF_COLUMN.get(infer_dtype(raw, skipna=True))
        if one is not None:  # the usual case: one sort of value, and blanks
            sort = np.full(len(raw), one, dtype=np.int8)
        else:
            sorts = raw.map(type).map(_SORT_OF_TYPE)
            unknown = sorts.isna()
            if unknown.any():
                sorts[unknown] = raw[unknown].map(_sort_by_isinstance)
            sort = sorts.to_numpy(dtype=np.int8)
        sort[missing] = BLANK
        spaces = np.zeros(len(raw), dtype=bool)
        words = raw[sort == TEXT].astype("str")
        if len(words):
            spaces[words.index] = (words.str.strip() == "").to_numpy()
            sort[spaces] = BLANK
        return cls(raw, sort, spaces, words)

    def take(self, keep: np.ndarray | slice) -> Cells:
        """The cells of the rows kept (a mask or a slice), renumbered from 0."""
        if isinstance(keep, slice):
            mask = np.zeros(len(self.raw), dtype=bool)
            mask[keep] = True
            keep = mask
        renumber = np.cumsum(keep) - 1
        words = self.words[keep[self.words.index]]
        words.index = renumber[words.index]
        return Cells(self.raw.iloc[keep].reset_index(drop=True), self.sort[keep],
                     self.spaces[keep], words)

    @property
    def blank(self) -> np.ndarray:
        return self.sort == BLANK

    def of_sort(self, *sorts: int) -> pd.Series:
        """The raw cells of these sorts (index = position in the column)."""
        return self.raw[np.isin(self.sort, sorts)]

    def numbers(self) -> pd.Series:
        """float64, NaN where the cell is not a number."""
        out = np.full(len(self.raw), np.nan)
        m = self.sort == NUMBER
        if m.any():
            out[m] = self.raw[m].astype("float64").to_numpy()
        return pd.Series(out)

    def moments(self) -> pd.Series:
        """datetime64[us], NaT where the cell is not a date."""
        out = pd.Series(pd.NaT, index=self.raw.index, dtype="datetime64[us]")
        m = self.sort == MOMENT
        if m.any():
            when = pd.to_datetime(self.raw[m], errors="coerce")
            out[m] = when.astype("datetime64[us]").to_numpy()
        return out

    def texts(self, *, keep_spaces: bool) -> pd.Series:
        """The text cells as str dtype (index = position in the column)."""
        if keep_spaces:
            return self.words
        return self.words[self.sort[self.words.index] == TEXT]


def _sort_by_isinstance(v: object) -> int:
    for kind, sort in _SORT_OF_TYPE.items():
        if isinstance(v, kind):
            return sort
    return OTHER


def read_column(column: Column, cells: Cells, *, faithful: bool = False
                ) -> tuple[pd.Series, Bad]:
    """One column's cells -> its typed Series and the cells that cannot be read.

    TEXT -> str ("" blank), INT -> Int64, NUMBER/MONEY/UNIT_COST/PERCENT -> float64, DATE and
    DATETIME -> datetime64[ns]. `faithful` is the Ledger's reading (module docstring).
    """
    if column.kind in NUMERIC_KINDS:
        typed, bad = _numbers(column, cells, faithful)
    elif column.kind in MOMENT_KINDS:
        typed, bad = _moments(column, cells, faithful)
    else:
        typed, bad = _texts(cells, faithful), []
        if column.choices and not faithful:
            typed, wrong = _choices(column, typed)
            bad += wrong
    if column.required and not faithful:
        bad += [(int(p), f"{column.header} is blank", _blank_fix(column))
                for p in np.flatnonzero(cells.blank)]
    return typed, bad


def blank_column(column: Column, n: int) -> pd.Series:
    """A column of n blanks of the column's typed dtype."""
    if column.kind == Kind.INT:
        return pd.Series(pd.NA, index=range(n), dtype="Int64")
    if column.kind in NUMERIC_KINDS:
        return pd.Series(np.nan, index=range(n), dtype="float64")
    if column.kind in MOMENT_KINDS:
        return pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    return pd.Series("", index=range(n), dtype="str")


# --- numbers ------------------------------------------------------------------------------


def _numbers(column: Column, cells: Cells, faithful: bool) -> tuple[pd.Series, Bad]:
    values = cells.numbers()
    bad: Bad = []
    words = cells.texts(keep_spaces=False)
    if len(words) and faithful:  # the hash chain reads "3" as 3, and so do we
        plain = pd.to_numeric(words.str.strip(), errors="coerce").astype("float64")
        values[plain.index] = plain.to_numpy()
        bad += _each(words[plain.isna()], lambda v: _not_a_number(column, repr(v)))
    elif len(words):
        looks = _numeric_text(words)
        bad += _each(words[looks], lambda v: (f"{v!r} is a number stored as text", RETYPE))
        bad += _each(words[~looks], lambda v: _not_a_number(column, repr(v)))
    bad += _each(cells.of_sort(FLAG, OTHER), lambda v: _not_a_number(column, shown(v)))
    bad += _each(cells.of_sort(MOMENT), lambda v: (
        f"{shown(v)} is a date, not a number",
        f"format the cell as Number, then {_number_fix(column)}"))
    huge = values.abs() >= LARGEST
    bad += _each(values[huge], lambda v: (f"{as_typed(v)} is too large to be right",
                                          "check the number"))
    values[huge] = np.nan
    if column.kind != Kind.INT:
        return values, bad
    fraction = values.notna() & ~values.fillna(0).map(near_whole).astype(bool)
    bad += _each(values[fraction], lambda v: (f"{as_typed(v)} is not a whole number",
                                              "type a whole number, like 3"))
    values[fraction] = np.nan
    return values.round().astype("Int64"), bad


def _not_a_number(column: Column, shown_value: str) -> tuple[str, str]:
    what = {Kind.MONEY: "an amount", Kind.UNIT_COST: "an amount",
            Kind.INT: "a whole number"}.get(column.kind, "a number")
    return f"{shown_value} is not {what}", _number_fix(column)


def _number_fix(column: Column) -> str:
    if column.kind in AMOUNT_KINDS:
        return "type the amount as a number, like 12.50"
    if column.kind == Kind.INT:
        return "type a whole number, like 3"
    return "type a number, like 1.5"


def _numeric_text(words: pd.Series) -> pd.Series:
    """Text that is a number once currency signs, thousands commas and % are taken off."""
    bare = words.str.strip().str.replace(r"[\s$€£¥,%]", "", regex=True)
    bare = bare.str.replace(r"^\((.*)\)$", r"-\1", regex=True)  # accounting style (12.50)
    return pd.to_numeric(bare, errors="coerce").notna() & (bare != "")


# --- dates --------------------------------------------------------------------------------


def _moments(column: Column, cells: Cells, faithful: bool) -> tuple[pd.Series, Bad]:
    when = cells.moments()
    numbers = cells.numbers()
    serial = numbers.between(*SERIAL_DATES)
    if serial.any():
        days = EXCEL_EPOCH + pd.to_timedelta(numbers[serial], unit="D")
        when[serial] = days.astype("datetime64[us]").to_numpy()
    bad = _each(numbers[numbers.notna() & ~serial], lambda v: (f"{as_typed(v)} is not a date",
                                                                TYPE_A_DATE))
    words = cells.texts(keep_spaces=False)
    if len(words) and faithful:
        parsed = pd.to_datetime(words, errors="coerce", format="mixed")
        when[parsed.index] = parsed.astype("datetime64[us]").to_numpy()
        bad += _each(words[parsed.isna()], lambda v: (f"{v!r} is not a date", TYPE_A_DATE))
    elif len(words):
        bad += _each(words, _date_as_text)
    bad += _each(cells.of_sort(FLAG, OTHER), lambda v: (f"{shown(v)} is not a date",
                                                        TYPE_A_DATE))
    off = when.notna() & ((when.dt.year < FIRST_YEAR) | (when.dt.year > LAST_YEAR))
    bad += _each(when[off], lambda v: (f"{v:%Y-%m-%d} is not a date Loupe can use",
                                       "check the year"))
    when[off] = pd.NaT
    when = when.dt.normalize() if column.kind == Kind.DATE else when.dt.round("s")
    return when.astype("datetime64[ns]"), bad


NUMERIC_DATE = re.compile(r"^\s*(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})\s*$")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def _no_such_day(v: str) -> str | None:
    """Why digits shaped like a date name no day of the calendar, or None if some reading
    of them (year first, month first or day first) is a real date."""
    m = NUMERIC_DATE.match(v)
    if not m:
        return None
    a, b, c = (int(x) for x in m.groups())
    if len(m.group(1)) == 4:
        readings = [(a, b, c)]
    else:
        year = c + 2000 if len(m.group(3)) <= 2 else c
        readings = [(year, a, b), (year, b, a)]
    for year, month, day in readings:
        try:
            dt.date(year, month, day)
            return None
        except ValueError:
            continue
    months = [mo for _, mo, _ in readings]
    if not any(1 <= mo <= 12 for mo in months):
        return f"there is no month {max(months)}"
    year, month, day = next(r for r in readings if 1 <= r[1] <= 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None
    if day == 0:
        return "there is no day 0"
    return f"{MONTHS[month - 1]} {year} has {calendar.monthrange(year, month)[1]} days"


def _date_as_text(v: str) -> tuple[str, str]:
    why = _no_such_day(v)
    if why:
        return (f"{v!r} is not a real date: {why}",
                "type the date again, like 2026-03-01 (year, month, day)")
    if DATE_SHAPE.match(v):
        return (f"{v!r} is a date typed as text",
                "retype it so Excel stores a date (it then sits at the right of the cell), "
                "or use Data > Text to Columns")
    return f"{v!r} is not a date", TYPE_A_DATE


# --- text ---------------------------------------------------------------------------------


def _texts(cells: Cells, faithful: bool) -> pd.Series:
    out = np.full(len(cells.raw), "", dtype=object)
    words = cells.texts(keep_spaces=faithful)
    if len(words):
        out[words.index] = (words if faithful else words.str.strip()).to_numpy(dtype=object)
    numbers = cells.numbers().dropna()
    if len(numbers):
        out[numbers.index] = number_words(numbers).to_numpy(dtype=object)
    flags = cells.of_sort(FLAG)
    if len(flags):
        out[flags.index] = ["TRUE" if v else "FALSE" for v in flags]
    moments = cells.moments().dropna()
    if len(moments):
        day = moments.dt.strftime("%Y-%m-%d")
        timed = moments.dt.strftime("%Y-%m-%d %H:%M:%S")
        out[moments.index] = day.where(moments == moments.dt.normalize(), timed).to_numpy()
    other = cells.of_sort(OTHER)
    if len(other):
        out[other.index] = [str(v) for v in other]
    return pd.Series(out, dtype="str")


def number_words(numbers: pd.Series) -> pd.Series:
    """Numbers as Excel's General format shows them: 1001.0 -> '1001', 12.5 -> '12.5'."""
    whole = (numbers == np.round(numbers)) & (numbers.abs() < 1e15)
    out = pd.Series("", index=numbers.index, dtype=object)
    out[whole] = numbers[whole].astype("int64").astype(str).to_numpy(dtype=object)
    out[~whole] = numbers[~whole].map(repr).to_numpy(dtype=object)
    return out


def _choices(column: Column, typed: pd.Series) -> tuple[pd.Series, Bad]:
    canon = {c.casefold(): c for c in column.choices}
    if column.choices == YES_NO:
        canon.update(YES_NO_ALIASES)
    # a choice column holds few distinct values: match each once, then map the column
    spelled = {v: canon.get(" ".join(v.split()).casefold()) for v in typed.unique()}
    matched = typed.map(spelled)
    wrong = matched.isna() & (typed != "")
    allowed = ", ".join(column.choices)

    def complaint(v: str) -> tuple[str, str]:
        near = difflib.get_close_matches(v, column.choices, n=1, cutoff=0.6)
        hint = f" (did you mean {near[0]}?)" if near else ""
        return f"{v!r} is not a {column.header} choice{hint}", f"use one of {allowed}"

    return matched.fillna("").astype("str"), _each(typed[wrong], complaint)


def _blank_fix(column: Column) -> str:
    if column.choices:
        return f"pick one of {', '.join(column.choices)}"
    if column.kind in MOMENT_KINDS:
        return "type the date"
    if column.kind == Kind.INT:
        return "type a whole number"
    if column.kind in AMOUNT_KINDS:
        return "type the amount"
    return f"fill in {column.header}"


# --- saying it ----------------------------------------------------------------------------


def _each(values: pd.Series, say: Callable[[object], tuple[str, str]]) -> Bad:
    """(position, message, fix) for each of a few bad cells."""
    return [(int(pos), *say(v)) for pos, v in values.items()]


def shown(v: object) -> str:
    """A raw cell as a message quotes it."""
    if isinstance(v, bool | np.bool_):
        return "TRUE" if v else "FALSE"
    if isinstance(v, dt.datetime | dt.date):
        t = pd.Timestamp(v)
        return f"{t:%Y-%m-%d}" if t == t.normalize() else f"{t:%Y-%m-%d %H:%M}"
    if isinstance(v, float | int):
        return as_typed(float(v))
    return repr(v) if isinstance(v, str) else str(v)
