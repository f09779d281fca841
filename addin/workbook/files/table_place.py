"""Where a schema sheet's data sits in a book: its sheet, its Excel Table, header and body.

A sheet is found by its Excel Table: the one the schema names, or the sheet's only table.
A sheet without any table is taken as its used range from A1, header in row 1. Columns
are matched to the schema's headers by their text, ignoring case and spacing, so a
column the owner moved still works and a renamed one is reported with its fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from addin.core.errors import BookError
from addin.sheets import schema
from addin.workbook.a1 import Area
from addin.workbook.files.ooxml.table_xml import TableInfo
from addin.workbook.files.ooxml.xlsx_parts import SheetEntry
from addin.workbook.files.ooxml.xlsx_read import used_area
from addin.workbook.reader.headers import header_key


@dataclass(frozen=True)
class Place:
    """A schema sheet's data: its sheet, its table (if any), header row + body."""

    entry: SheetEntry
    table: TableInfo | None
    area: Area | None  # header row through last body row; None: an empty, table-less sheet
    headers: tuple[str, ...]

    @property
    def where(self) -> str:
        return f"table {self.table.name}" if self.table else "row 1"

    def columns(self) -> dict[str, int]:
        """Header key -> column number (the first, if a header repeats)."""
        found: dict[str, int] = {}
        if self.area is not None:
            for i, h in enumerate(self.headers):
                found.setdefault(header_key(h), self.area.left + i)
        return found


def pick_table(sheet: schema.Sheet, entry: SheetEntry, tables: list[TableInfo]) -> TableInfo | None:
    """The sheet's table for `sheet`: by the schema's name, else the only one; None if none."""
    named = [t for t in tables if t.name.casefold() == sheet.table.casefold()]
    if named:
        return named[0]
    if len(tables) == 1:
        return tables[0]
    if tables:
        raise BookError(
            f"sheet {entry.name} has tables {', '.join(t.name for t in tables)} "
            f"but none is called {sheet.table}; rename its main table to "
            f"{sheet.table} (Table Design tab)"
        )
    return None


def in_table(entry: SheetEntry, table: TableInfo, *, writing: bool) -> Place:
    if table.header_rows != 1:
        raise BookError(
            f"table {table.name} on {entry.name} has its header row turned "
            f"off; turn Header Row back on (Table Design tab)"
        )
    if writing and table.totals_rows:
        raise BookError(
            f"table {table.name} on {entry.name} has a Total Row; turn it off "
            f"(Table Design tab) so Loupe can add rows"
        )
    a = table.area
    return Place(entry, table, Area(a.top, a.left, table.last_row, a.right), table.columns)


def in_used_range(
    sheet: schema.Sheet, entry: SheetEntry, grid: list[list[Any]], *, writing: bool
) -> Place:
    """A table-less sheet: its used range from A1 (`grid` is the sheet's cells from A1)."""
    area = used_area(grid)
    if area is None and writing:
        raise BookError(
            f"sheet {entry.name} is empty; put back its header row "
            f"({', '.join(sheet.headers)}) or copy the sheet from the template"
        )
    header = grid[0] if grid else []
    return Place(entry, None, area, tuple("" if h is None else str(h) for h in header))


def columns_of(place: Place, sheet: schema.Sheet, headers: list[str]) -> dict[str, int]:
    """Schema header -> column number; BookError naming the first header not found."""
    found = place.columns()
    missing = [h for h in headers if header_key(h) not in found]
    if missing:
        raise BookError(
            f"{sheet.name} has no column {missing[0]!r} in its {place.where}; "
            f"put the header back as the template has it "
            f"({', '.join(sheet.headers)})"
        )
    return {h: found[header_key(h)] for h in headers}


def formula_columns(place: Place, sheet: schema.Sheet) -> dict[str, int]:
    """The schema's formula columns that the sheet has: header -> column number."""
    found = place.columns()
    return {
        c.header: found[header_key(c.header)]
        for c in sheet.columns
        if c.formula and header_key(c.header) in found
    }


def own_formats(place: Place, sheet: schema.Sheet) -> dict[int, str]:
    """Column number -> the number format Loupe writes its values in, for the columns whose
    look is Loupe's to keep: Unit Cost shows up to 4 decimals, even where an earlier
    template formatted the column to 2 (a new 0.125 would show as 0.13)."""
    found = place.columns()
    return {
        found[header_key(c.header)]: schema.UNIT_COST_FORMAT
        for c in sheet.columns
        if c.kind == schema.Kind.UNIT_COST and header_key(c.header) in found
    }


def check_widths(sheet: schema.Sheet, rows: list[list[Any]]) -> None:
    """Rows handed to the port are in schema order, one cell per header (a caller's bug
    otherwise, so a ValueError rather than a message for the shop)."""
    width = len(sheet.headers)
    bad = next((i for i, r in enumerate(rows) if len(r) != width), None)
    if bad is not None:
        raise ValueError(
            f"{sheet.name} rows must have {width} cells (schema order); "
            f"row {bad} has {len(rows[bad])}"
        )
