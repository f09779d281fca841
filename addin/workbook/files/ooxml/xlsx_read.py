"""Reading a sheet's cells fast, shaped as xlwings hands them over.

calamine (Rust) reads a 100,000-row Ledger about ten times faster than openpyxl
(`bench/ledger_post_bench.py` measures it). It reads each cell as what it is, without
guessing a column's type from its first rows: a number typed as text ("12") stays str,
a date typed as text stays str, and a number is a date only when its cell's number format
is a date format. Cells then take the shapes of the port: None for empty, float for every
number, datetime for every date or time.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, BinaryIO

import python_calamine

from addin.workbook.a1 import Area

ReadFailed = (
    python_calamine.CalamineError,
    python_calamine.ZipError,
    python_calamine.XmlError,
    ValueError,
    OSError,
)
_TIME_ZERO = dt.datetime(1899, 12, 30)
_AS_IS = {float, str, bool, dt.datetime}


class SheetReader:
    """A calamine workbook that parses each sheet once: a press reads some sheets (Items,
    Receiving) several times, and parsing is most of a read."""

    def __init__(self, book: python_calamine.CalamineWorkbook):
        self._book = book
        self._sheets: dict[str, Any] = {}

    def get_sheet_by_name(self, name: str, keep: bool = True) -> Any:
        """The parsed sheet; kept for the next read unless not `keep` (the Ledger, read
        once, is too big to hold on to)."""
        if name in self._sheets:
            return self._sheets[name]
        found = self._book.get_sheet_by_name(name)
        if keep:
            self._sheets[name] = found
        return found

    def close(self) -> None:
        self._sheets.clear()
        self._book.close()


def open_reader(source: Path | BinaryIO) -> SheetReader:
    if isinstance(source, Path):
        return SheetReader(python_calamine.CalamineWorkbook.from_path(str(source)))
    return SheetReader(python_calamine.CalamineWorkbook.from_filelike(source))


def sheet_cells(reader: SheetReader, sheet: str, area: Area | None, *, keep: bool = True
                ) -> list[list[Any]]:
    """The cells of `area` on `sheet` (the used range from A1 when `area` is None).

    A merged range reads as its value in every cell it covers (an invoice's Date and Doc are
    often typed once, merged down its lines): what the eye sees is what Loupe reads.
    """
    found = reader.get_sheet_by_name(sheet, keep)
    grid = found.to_python(skip_empty_area=False, nrows=area.bottom if area else None)
    _spread_merged(grid, getattr(found, "merged_cell_ranges", None) or [])
    if area is None:
        area = used_area(grid)
        if area is None:
            return []
    rows = grid[area.top - 1 : area.bottom]
    rows += [[] for _ in range(area.bottom - area.top + 1 - len(rows))]
    return _shaped([_cut(row, area.left, area.right) for row in rows])


def _spread_merged(grid: list[list[Any]], merged) -> None:
    """Copy each merged range's top-left value into the cells it covers (0-based ranges)."""
    for (top, left), (bottom, right) in merged:
        if top >= len(grid) or left >= len(grid[top]):
            continue
        value = grid[top][left]
        for r in range(top, min(bottom, len(grid) - 1) + 1):
            row = grid[r]
            if len(row) <= right:
                row.extend([""] * (right + 1 - len(row)))
            for c in range(left, right + 1):
                row[c] = value


def _cut(row: list[Any], left: int, right: int) -> list[Any]:
    """Columns left..right of a grid row, padded with empty cells."""
    if left == 1 and len(row) == right:
        return row
    part = row[left - 1 : right]
    return part + [""] * (right - left + 1 - len(part))


def used_area(grid: list[list[Any]]) -> Area | None:
    """From A1 to the last row and column holding anything; None for an empty sheet."""
    last_row = last_col = 0
    for r, row in enumerate(grid, 1):
        filled = [c for c, v in enumerate(row, 1) if v != ""]
        if filled:
            last_row, last_col = r, max(last_col, filled[-1])
    return Area(1, 1, last_row, last_col) if last_row else None


def _shaped(rows: list[list[Any]]) -> list[list[Any]]:
    """Cells in the port's shapes, in place. A column of plain numbers and text (most of a
    Ledger) is left as it is; only the other columns are looked at cell by cell."""
    for i, column in enumerate(zip(*rows, strict=True)):
        if set(map(type, column)) <= _AS_IS and "" not in column:
            continue
        for row, v in zip(rows, column, strict=True):
            row[i] = None if v == "" else (v if type(v) in _AS_IS else _cell(v))
    return rows


def _cell(v: Any) -> Any:
    t = type(v)
    if t is str:
        return v or None
    if t is float or t is bool:
        return v
    if t is dt.datetime:
        return v
    if t is dt.date:
        return dt.datetime(v.year, v.month, v.day)
    if t is int:
        return float(v)
    if t is dt.time:
        return dt.datetime.combine(_TIME_ZERO.date(), v)
    if t is dt.timedelta:
        return v / dt.timedelta(days=1)
    return v
