"""Putting values into a worksheet part's rows the way typing them in Excel would.

A cell that already exists keeps its style (its number format, fill, font) and only its
value changes. A new cell takes the style of the nearest cell above it in its column
inside the table (a row appended under a formatted row looks like it), else its column's
style. A date in a non-date style, or a plain number in a date style, gets the style's
twin with the right number format, so what is written reads back as the same type. A
column given a number format of its own (`formats`: a Unit Cost column) gets it on every
value written there, whatever the style it would have taken: a book from an earlier
template, whose Unit Cost column shows 2 decimals, shows a new 0.125 as 0.125.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from addin.workbook.a1 import letters
from addin.workbook.files.ooxml.cell_xml import formula_cell, styled_cell, written
from addin.workbook.files.ooxml.sheet_xml import (
    SheetXml,
    cell_style,
    has_content,
    split_row,
)
from addin.workbook.files.ooxml.xlsx_styles import StyleSheet


class Formula(str):
    """Text to be written as a cell formula (only the schema's formula columns are)."""


def write_rows(
    sx: SheetXml,
    new_cells: dict[int, dict[int, object]],
    *,
    first_body: int,
    styles: StyleSheet,
    date1904: bool,
    bold_rows: Collection[int] = (),
    clear: bool = False,
    formats: dict[int, str] | None = None,
) -> SheetXml:
    """`sx` with `new_cells` (row -> column -> value) written, every other cell kept.
    Cells in `bold_rows` get a bold twin of their style (report titles and headers);
    values in a column of `formats` (column -> number format code) show in that format.
    With `clear`, the sheet is `cleared` first (each row read once for both)."""
    if not new_cells:
        return cleared(sx) if clear else sx
    lo, hi = max(first_body, min(new_cells) - 1), max(new_cells)
    if clear:
        sx = cleared(sx, besides=(lo, hi))  # rows lo..hi are cleared below, as they are read
    existing = {s.number: sx.xml[s.start : s.end] for s in sx.rows_from(lo) if s.number <= hi}
    write = _RowWriter(styles, date1904, sx.column_styles(), bold_rows, formats or {})
    above: dict[int, bytes] = {}
    changes: dict[int, bytes | None] = {}
    for r in sorted(existing.keys() | new_cells.keys()):
        old = existing.get(r)
        head, old_cells = split_row(old, r) if old else (None, {})
        if clear and head is not None:
            old_cells = _contents_cleared(old_cells, r)
            if r not in new_cells:
                changes[r] = _laid_over(r, head, old_cells, {})
        if r in new_cells:
            cells = write(r, new_cells[r], old_cells, above)
            changes[r] = (
                _new_row(r, cells) if head is None else _laid_over(r, head, old_cells, cells)
            )
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


def cleared(sx: SheetXml, *, besides: tuple[int, int] | None = None) -> SheetXml:
    """Every value and formula removed, every cell's style kept (Excel's Clear Contents);
    rows in the range `besides` (first, last) are left as they are."""
    changes: dict[int, bytes | None] = {}
    for span in sx.rows_backward():
        if besides is not None and besides[0] <= span.number <= besides[1]:
            continue
        head, cells = split_row(sx.xml[span.start : span.end], span.number)
        changes[span.number] = _laid_over(
            span.number, head, _contents_cleared(cells, span.number), {}
        )
    return sx.with_rows(changes)


def _contents_cleared(cells: dict[int, bytes], row: int) -> dict[int, bytes]:
    """A row's cells with values and formulas gone; a cell left with no style goes too."""
    kept = {}
    for c, x in cells.items():
        if has_content(x):
            s = cell_style(x)
            if not s:
                continue
            x = f'<c r="{letters(c)}{row}" s="{s}"/>'.encode()
        kept[c] = x
    return kept


class _RowWriter:
    """Rows of cells as XML text, for a whole sheet at once. This runs once per cell of a
    report, so what repeats is worked out once: a style per (style, kind of value) (see
    `StyleSheet.for_kind`), column letters, each distinct value, each formula."""

    def __init__(
        self,
        styles: StyleSheet,
        date1904: bool,
        col_styles: dict[int, int],
        bold_rows: Collection[int],
        formats: dict[int, str],
    ):
        self.choose = styles.for_kind
        self.bold = styles.bold
        self.with_format = styles.with_format
        self.formats = formats
        self.date1904 = date1904
        self.col_styles = col_styles
        self.bold_rows = bold_rows
        self.letters: dict[int, str] = {}
        # Values written before, by type: equal values of these types (naive datetimes
        # only: aware ones equal across zones show different times) are written alike.
        self.seen: dict[type, dict] = {str: {}, int: {}, float: {}, dt.datetime: {}}
        self.formulas: dict[tuple[str, int | None], list[str]] = {}

    def __call__(
        self,
        r: int,
        values: dict[int, object],
        old_cells: dict[int, bytes],
        above: dict[int, bytes],
    ) -> dict[int, str]:
        """Column -> `<c>` ("" for none) for `values` written into row `r`, each cell in
        the style of the cell it replaces, else of the one above, else of its column."""
        row_number = str(r)
        bold = self.bold if r in self.bold_rows else None
        choose, seen, col_styles, date1904 = self.choose, self.seen, self.col_styles, self.date1904
        cells = {}
        for c, value in values.items():
            if c in old_cells:
                base = cell_style(old_cells[c])
            elif c in above:
                base = cell_style(above[c])
            else:
                base = col_styles.get(c)
            if bold is not None:
                base = bold(base)
            ref = (self.letters.get(c) or self._letters(c)) + row_number
            same = seen.get(type(value))
            if same is not None and (type(value) is not dt.datetime or value.tzinfo is None):
                found = same.get(value)
                if found is None:
                    found = same[value] = written(value, date1904)
                kind, tail = found
            elif isinstance(value, Formula):
                cells[c] = self._formula(ref, value, base)
                continue
            else:
                kind, tail = written(value, date1904)
            if tail is not None and c in self.formats:
                base = self.with_format(base, self.formats[c])
            cells[c] = styled_cell(ref, choose(base, kind), tail)
        return cells

    def _letters(self, col: int) -> str:
        name = self.letters[col] = letters(col)
        return name

    def _formula(self, ref: str, formula: str, style: int | None) -> str:
        # Every row of a formula column holds the same text: escape it once.
        key = (formula, style)
        halves = self.formulas.get(key)
        if halves is None:
            marker = "\x00"  # cannot be in a formula: clean() drops it
            halves = self.formulas[key] = formula_cell(marker, formula, style).split(marker)
        return halves[0] + ref + halves[1]


def _new_row(r: int, cells: dict[int, str]) -> bytes | None:
    """A row that was not in the sheet, holding `cells` (None when none of them is kept)."""
    kept = [cells[c] for c in sorted(cells) if cells[c]]
    if not kept:
        return None
    return f'<row r="{r}">{"".join(kept)}</row>'.encode()


def _laid_over(
    number: int, head: bytes, old_cells: dict[int, bytes], cells: dict[int, str]
) -> bytes | None:
    """`merged_row` for a row already split into its start tag and cells."""
    current = dict(old_cells)
    for col, cell in cells.items():
        if cell:
            current[col] = cell.encode()
        else:
            current.pop(col, None)
    if not current and head == _plain_head(number):
        return None
    return head + b"".join(current[c] for c in sorted(current)) + b"</row>"


def _plain_head(number: int) -> bytes:
    """The start tag of a row with no formatting of its own."""
    return f'<row r="{number}">'.encode()


def _filled(cells: dict[int, bytes], columns: set[int]) -> bool:
    return any(c in columns and has_content(x) for c, x in cells.items())
