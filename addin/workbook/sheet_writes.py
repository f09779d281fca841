"""Putting values into a worksheet part's rows the way typing them in Excel would.

A cell that already exists keeps its style (its number format, fill, font) and only its
value changes. A new cell takes the style of the nearest cell above it in its column
inside the table (a row appended under a formatted row looks like it), else its column's
style. A date in a non-date style, or a plain number in a date style, gets the style's
twin with the right number format, so what is written reads back as the same type.
"""

from __future__ import annotations

from collections.abc import Callable

from addin.workbook.a1 import cell_name
from addin.workbook.cell_xml import formula_cell, plain, value_cell
from addin.workbook.sheet_xml import (
    SheetXml,
    cell_style,
    has_content,
    merged_row,
    split_row,
)
from addin.workbook.xlsx_styles import StyleSheet

Restyle = Callable[[int, int, int | None], int | None]


class Formula(str):
    """Text to be written as a cell formula (only the schema's formula columns are)."""


def write_rows(
    sx: SheetXml,
    new_cells: dict[int, dict[int, object]],
    *,
    first_body: int,
    styles: StyleSheet,
    date1904: bool,
    restyle: Restyle | None = None,
) -> SheetXml:
    """`sx` with `new_cells` (row -> column -> value) written, every other cell kept.
    `restyle(row, col, style)` may change the style a cell would get (report headers)."""
    if not new_cells:
        return sx
    lo, hi = max(first_body, min(new_cells) - 1), max(new_cells)
    existing = {s.number: sx.xml[s.start : s.end] for s in sx.rows_from(lo) if s.number <= hi}
    col_styles = sx.column_styles()
    above: dict[int, bytes] = {}
    changes: dict[int, bytes | None] = {}
    for r in sorted(set(existing) | set(new_cells)):
        old = existing.get(r)
        old_cells = split_row(old, r)[1] if old else {}
        if r in new_cells:
            cells = {}
            for c, value in new_cells[r].items():
                if c in old_cells:
                    base = cell_style(old_cells[c])
                elif c in above:
                    base = cell_style(above[c])
                else:
                    base = col_styles.get(c)
                if restyle is not None:
                    base = restyle(r, c, base)
                cells[c] = _cell(r, c, value, base, styles, date1904)
            changes[r] = merged_row(r, old, cells)
        above.update(old_cells)
    return sx.with_rows(changes)


def last_filled_row(sx: SheetXml, lo: int, hi: int, columns: set[int]) -> int:
    """The last row in lo..hi with a value or formula in one of `columns`; lo-1 if none."""
    for span in sx.rows_backward():
        if span.number < lo:
            break
        if span.number <= hi and _filled(sx.cells_of(span), columns):
            return span.number
    return lo - 1


def first_filled_below(sx: SheetXml, row: int, left: int, right: int) -> int | None:
    """The first row after `row` with a value in columns left..right (None if none)."""
    found = None
    for span in sx.rows_backward():
        if span.number <= row:
            break
        if _filled(sx.cells_of(span), set(range(left, right + 1))):
            found = span.number
    return found


def cleared(sx: SheetXml) -> SheetXml:
    """Every value and formula removed, every cell's style kept (Excel's Clear Contents)."""
    changes: dict[int, bytes | None] = {}
    for span in sx.rows_backward():
        head, cells = split_row(sx.xml[span.start : span.end], span.number)
        keep = {
            c: (_style_only(x, span.number, c) if has_content(x) else x) for c, x in cells.items()
        }
        changes[span.number] = merged_row(span.number, head + b"</row>", keep)
    return sx.with_rows(changes)


def _cell(
    row: int, col: int, value: object, base: int | None, styles: StyleSheet, date1904: bool
) -> bytes:
    ref = cell_name(row, col)
    if isinstance(value, Formula):
        return formula_cell(ref, value, base).encode("utf-8")
    value = plain(value)
    return value_cell(ref, value, styles.for_value(base, value), date1904).encode("utf-8")


def _filled(cells: dict[int, bytes], columns: set[int]) -> bool:
    return any(c in columns and has_content(x) for c, x in cells.items())


def _style_only(cell: bytes, row: int, col: int) -> bytes:
    s = cell_style(cell)
    return f'<c r="{cell_name(row, col)}" s="{s}"/>'.encode() if s else b""
