"""The in-memory adapter: the Workbook port over sheets held in Python lists.

For tests of macros and of the core that need no file and no Excel, in the spirit of
httpx's `MockTransport`: a macro runs on a `MemoryBook` exactly as on a saved file or an
open book, and the test reads what it wrote from `book.tables` and `book.reports`.

    book = MemoryBook.blank()                       # every data sheet, Settings defaults
    book.type(schema.RECEIVING, [[date, "PO-1", ...]])
    outcome = buttons.post_receipts(book)
    book.rows(schema.LEDGER)                        # header -> value, per posted entry

Cells hold raw values the way the other adapters hand them over (None, str, float, bool,
datetime). Writes wait for `save`, as on the other adapters: a press that fails half-way
leaves the book as it was; `saves` counts the saves. Formula columns read as None (as a
book open in Excel reads a formula Loupe just wrote) and their formulas are kept in
`formulas`. A report is kept as the `Layout` it was given.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from addin.core.errors import BookError, Problem
from addin.sheets import schema
from addin.sheets.schema import Sheet
from addin.workbook.layout import formulas
from addin.workbook.layout.report_layout import Layout
from addin.workbook.layout.report_look import not_loupes
from addin.workbook.port import Cell, RawTable


class MemoryBook:
    """The Workbook port over tables in memory (see the module docstring)."""

    def __init__(self, tables: dict[str, list[list[Cell]]], others: tuple[str, ...] = ()):
        """`tables`: sheet name -> rows, the header row first. `others`: sheets that are
        not Loupe's (an owner's own sheets), by name."""
        self.tables = tables
        self.others = list(others)
        self.reports: dict[str, Layout] = {}
        self.formulas: dict[tuple[str, int], dict[str, str]] = {}  # (sheet, row) -> formulas
        self.saves = 0
        self.items_as_of: dt.date | None = None  # the day Items' Age counts to (None: today)
        self._pending: tuple[dict, dict, dict] | None = None

    @classmethod
    def blank(cls) -> MemoryBook:
        """Every data sheet with its headers; Settings with the template's defaults."""
        tables: dict[str, list[list[Cell]]] = {s.name: [list(s.headers)] for s in
                                               schema.DATA_SHEETS}
        tables[schema.SETTINGS.name] += [[k, v] for k, v, _ in schema.DEFAULT_SETTINGS]
        return cls(tables)

    # -- helpers for tests ----------------------------------------------------------------

    def type(self, sheet: Sheet, rows: list[list[Any]]) -> None:
        """Rows typed under the table (schema order, short rows padded), saved at once."""
        width = len(sheet.headers)
        self.tables[sheet.name].extend([_raw(v) for v in r] + [None] * (width - len(r))
                                       for r in rows)

    def rows(self, sheet: Sheet) -> list[dict[str, Cell]]:
        """The saved body of a table, header -> value per row."""
        header, *body = self.tables[sheet.name]
        return [dict(zip(header, r, strict=True)) for r in body]

    # -- the port -------------------------------------------------------------------------

    def sheet_names(self) -> list[str]:
        tables, reports, _ = self._now()
        return [*tables, *self.others, *(n for n in reports if n not in tables)]

    def read_table(self, sheet: Sheet) -> RawTable:
        header, *body = self._table(sheet)
        return RawTable(sheet.name, list(header), [list(r) for r in body], 2)

    def write_cells(self, sheet: Sheet, updates: dict[str, dict[int, Cell]]) -> None:
        table = self._table(sheet, writing=True)
        for header, cells in updates.items():
            c = self._column(table, sheet, header)
            for row, value in cells.items():
                if not 2 <= row < len(table) + 1:
                    raise BookError(f"{sheet.name} row {row} is outside the table")
                table[row - 1][c] = _raw(value)

    def append_rows(self, sheet: Sheet, rows: list[list[Cell]]) -> None:
        table = self._table(sheet, writing=True)
        start = len(table) + 1
        table.extend(self._row(table, sheet, r) for r in rows)
        self._fill_formulas(sheet, start, len(rows))

    def replace_rows(self, sheet: Sheet, rows: list[list[Cell]]) -> None:
        table = self._table(sheet, writing=True)
        del table[1:]
        table.extend(self._row(table, sheet, r) for r in rows)
        self._fill_formulas(sheet, 2, len(rows))

    def set_items_as_of(self, day: dt.date | None) -> None:
        self.items_as_of = day

    def add_columns(self, sheet: Sheet, headers: list[str]) -> None:
        table = self._table(sheet, writing=True)
        table[0].extend(headers)
        for row in table[1:]:
            row.extend([None] * len(headers))

    def write_report(self, layout: Layout) -> Problem | None:
        tables, reports, _ = self._now(writing=True)
        name = layout.sheet
        if name.casefold() in {n.casefold() for n in tables}:
            raise BookError(f"{name} is a data sheet; a report cannot be written over it")
        if name.casefold() in {n.casefold() for n in self.others}:
            return not_loupes(name, "this sheet is not one Loupe made")
        reports[name] = layout
        return None

    def save(self) -> None:
        if self._pending is not None:
            self.tables, self.reports, self.formulas = self._pending
            self._pending = None
            self.saves += 1

    # -- inside ---------------------------------------------------------------------------

    def _now(self, writing: bool = False) -> tuple[dict, dict, dict]:
        if writing and self._pending is None:
            self._pending = copy.deepcopy((self.tables, self.reports, self.formulas))
        if self._pending is not None:
            return self._pending
        return self.tables, self.reports, self.formulas

    def _table(self, sheet: Sheet, writing: bool = False) -> list[list[Cell]]:
        tables = self._now(writing)[0]
        if sheet.name not in tables:
            raise BookError(f"the book has no {sheet.name} sheet; restore it from the template")
        return tables[sheet.name]

    @staticmethod
    def _column(table: list[list[Cell]], sheet: Sheet, header: str) -> int:
        if header not in table[0]:
            raise BookError(f"{sheet.name}: there is no {header!r} column")
        return table[0].index(header)

    def _row(self, table: list[list[Cell]], sheet: Sheet, values: list[Cell]) -> list[Cell]:
        if len(values) != len(sheet.headers):
            raise ValueError(f"{sheet.name} rows must have {len(sheet.headers)} cells "
                             f"(schema order); got {len(values)}")
        row: list[Cell] = [None] * len(table[0])
        for header, value in zip(sheet.headers, values, strict=True):
            row[self._column(table, sheet, header)] = _raw(value)
        return row

    def _fill_formulas(self, sheet: Sheet, first: int, count: int) -> None:
        texts = formulas.formulas_for(sheet)
        if not texts:
            return
        table, kept = self._now(writing=True)[0][sheet.name], self._now()[2]
        for row in range(first, first + count):
            kept[(sheet.name, row)] = dict(texts)
            for header in texts:
                table[row - 1][self._column(table, sheet, header)] = None


def _raw(value: Any) -> Cell:
    """A value as the adapters hand cells over: numbers as float, dates as datetime,
    missing values (None, NaN, NaT) as None, text as typed."""
    if value is None or isinstance(value, str | bool | np.bool_):
        return bool(value) if isinstance(value, np.bool_) else value
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, int | float | Decimal | np.number):
        number = float(value)
        return None if math.isnan(number) else number
    if value is pd.NaT or value is pd.NA:
        return None
    raise TypeError(f"a cell cannot hold {value!r} ({type(value).__name__})")
