"""Reading the tables people typed: raw cells -> a typed frame, plus every problem found.

Both adapters hand over a `RawTable` of raw cells (port.py); both call `typed_table`, so
bad input is reported in the same words whichever adapter read it. It returns:

- `frame`: one column per schema header, in schema order, plus `_row`, the Excel row
  number of each body row. TEXT is str ("" when blank); INT is Int64 (NA when blank);
  NUMBER, MONEY, UNIT_COST and PERCENT are float64 (NaN; money is rounded to the cent
  later, by `money.cents_series` or the row models, a unit cost kept to 4 decimals); DATE
  and DATETIME are datetime64[ns] (NaT).
- `problems`: one `Problem` per cell that cannot be read, naming sheet, Excel row,
  column and fix (the rules per kind of column are in `addin.workbook.reader.cells`). A bad
  cell is blank in the frame, and its row is kept: a caller must not post a row that has
  a problem, and must tell the user about it.
- `sheet_problems`: the header row is wrong (`addin.workbook.reader.headers`): do not use the
  sheet. The frame is still built, with blank columns for the headers not found, and
  those columns raise no cell problems.
- `warnings`: worth telling, stop nothing (an extra column, a header in another case).
- `cells`: the raw cells of the rows in `frame`, per schema header found, for callers
  that must write back exactly what was typed (a bad cell is blank in `frame`).

Blank rows: a row whose Loupe columns are all blank (None, "" or only spaces) is skipped
silently, wherever it is: people leave gaps, and Excel Tables grow empty rows at the
end. Such a row holds nothing to post, so nothing typed is lost. (A row with data only
in extra, non-Loupe columns counts as blank.)

Formula columns (schema `formula`, written by Loupe and kept live by Excel) are read
leniently: a value that is not of the column's kind is blank, never a problem.

`ledger_frame` is the fast path for the Ledger (100k+ rows): the frame the core computes
on (`addin.core.ledger.COLUMNS`: money in exact int cents, Unit Cost in ten-thousandths,
blank numbers 0, text "" when
blank), read faithfully (see `cells`). Trailing blank rows are ignored; a blank row
between entries, or a cell no reading can make sense of, can only be a hand edit and
raises `LedgerTampered` naming the row; a missing or renamed header raises `BookError`.
Row k of the frame is Excel row `raw.first_row + k`, as `chain.verify` assumes.

Everything runs per column (pandas), never per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from addin.core import ledger
from addin.core.errors import BookError, LedgerTampered, Problem
from addin.core.money import cents_series, unit_cost_series
from addin.sheets.schema import LEDGER, Column, Kind, Sheet
from addin.workbook.port import RawTable
from addin.workbook.reader.cells import Cells, blank_column, read_column
from addin.workbook.reader.headers import find_headers

ROW = "_row"


@dataclass(frozen=True)
class TypedTable:
    """A table read and typed: the frame, and what is wrong with it."""

    frame: pd.DataFrame  # schema headers (schema order) + `_row`
    problems: list[Problem] = field(default_factory=list)  # per cell: that row cannot post
    sheet_problems: list[Problem] = field(default_factory=list)  # the sheet cannot be used
    warnings: list[Problem] = field(default_factory=list)  # worth telling, stop nothing
    cells: pd.DataFrame | None = None  # raw cells of the rows in `frame`, same order


def typed_table(raw: RawTable, sheet: Sheet) -> TypedTable:
    """A table as typed -> its typed frame, its cell problems and its sheet problems."""
    found = find_headers(raw, sheet)
    cells = _columns(raw, found.positions)
    keep = ~_blank_rows(cells, len(raw.body))
    cells = {h: c.take(keep) for h, c in cells.items()}
    rows = pd.Series(raw.first_row + np.flatnonzero(keep), dtype="int64")
    typed: dict[str, pd.Series] = {}
    complaints = []
    for order, column in enumerate(sheet.columns):
        if column.header not in cells:
            typed[column.header] = blank_column(column, len(rows))
            continue
        typed[column.header], bad = read_column(column, cells[column.header])
        if not column.formula:
            complaints += [(pos, order, column.header, m, f) for pos, m, f in bad]
    typed[ROW] = rows
    problems = [Problem(raw.sheet, int(rows.iat[pos]), header, message, fix)
                for pos, _, header, message, fix in sorted(complaints, key=lambda c: c[:2])]
    frame = pd.DataFrame(typed, index=pd.RangeIndex(len(rows)))
    as_typed = pd.DataFrame({h: c.raw for h, c in cells.items()}, index=frame.index)
    return TypedTable(frame, problems, found.problems, found.warnings, as_typed)


def ledger_frame(raw: RawTable, sheet: Sheet = LEDGER) -> pd.DataFrame:
    """The Ledger sheet -> the core's ledger frame (`ledger.COLUMNS`), vectorized.

    Raises BookError when a header is missing or renamed, LedgerTampered when a cell
    cannot be read or a blank row sits between entries (both can only be hand edits).
    """
    found = find_headers(raw, sheet)
    if found.problems:
        raise BookError("; ".join(str(p) for p in found.problems))
    cells = _columns(raw, found.positions)
    end = _end_of_entries(raw, cells)
    names = {header: name for name, header in ledger.HEADERS.items()}
    out: dict[str, pd.Series] = {}
    edits: list[tuple[int, int, str, str]] = []
    for order, column in enumerate(sheet.columns):
        typed, bad = read_column(column, cells[column.header].take(slice(0, end)),
                                 faithful=True)
        edits += [(pos, order, column.header, message) for pos, message, _ in bad]
        out[names[column.header]] = _as_ledger(column, typed)
    if edits:
        _refuse_edited_cell(raw, min(edits), out["entry"])
    return pd.DataFrame(out, index=pd.RangeIndex(end))[list(ledger.COLUMNS)]


# --- the body -----------------------------------------------------------------------------


def _columns(raw: RawTable, positions: dict[str, int]) -> dict[str, Cells]:
    """The raw body, one `Cells` per schema header found."""
    width, n = len(raw.header), len(raw.body)
    if not width or not n:
        return {h: Cells.of(pd.Series([None] * n, dtype=object)) for h in positions}
    body = raw.body
    if min(map(len, body)) != width or max(map(len, body)) != width:
        body = [(list(r) + [None] * width)[:width] for r in body]
    grid = pd.DataFrame(body, dtype=object)
    return {h: Cells.of(grid[pos]) for h, pos in positions.items()}


def _blank_rows(cells: dict[str, Cells], n: int) -> np.ndarray:
    """True for rows whose Loupe columns are all blank."""
    blank = np.ones(n, dtype=bool)
    for c in cells.values():
        blank &= c.blank
    return blank


def _end_of_entries(raw: RawTable, cells: dict[str, Cells]) -> int:
    """How many Ledger rows hold entries; a blank row between them is refused."""
    blank = _blank_rows(cells, len(raw.body))
    filled = np.flatnonzero(~blank)
    end = int(filled[-1]) + 1 if len(filled) else 0
    gaps = np.flatnonzero(blank[:end])
    if len(gaps):
        row = raw.first_row + int(gaps[0])
        raise LedgerTampered(0, row, str(Problem(
            raw.sheet, row, None, "a blank row sits between posted entries (a row was "
            "inserted or cleared by hand)", "delete the empty row; if it held an entry, "
            "restore the book from the backup beside it")))
    return end


def _as_ledger(column: Column, typed: pd.Series) -> pd.Series:
    """A typed Ledger column -> the ledger frame's dtype (blank numbers are 0)."""
    if column.kind == Kind.MONEY:
        return cents_series(typed).fillna(0).astype("int64")
    if column.kind == Kind.UNIT_COST:
        return unit_cost_series(typed)
    if column.kind == Kind.INT:
        return typed.fillna(0).astype("int64")
    return typed


def _refuse_edited_cell(raw: RawTable, edit: tuple[int, int, str, str],
                        entries: pd.Series) -> None:
    pos, _, header, message = edit
    row = raw.first_row + pos
    problem = Problem(raw.sheet, row, header, f"{message}: the Ledger is written by Loupe "
                      "only, so this cell was edited by hand",
                      "undo the edit (the backup beside the book holds the last good copy)")
    raise LedgerTampered(int(entries.iat[pos]), row, str(problem))
