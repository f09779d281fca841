"""The live adapter: the Workbook port over a book open in Excel, through xlwings.

Every call to Excel is a round trip (a COM or AppleScript message), so `LiveBook` talks
to Excel in bulk only, and never once per row:

- **Reads.** One read per table per button press: the whole Excel Table, header and
  body, as one 2-D block (``table.range.options(ndim=2).value``). The values are kept
  for the rest of the press (the *model*); nothing else edits the book while a macro
  runs, so a second read of the same table costs nothing.
- **Writes wait for `save`.** `write_cells`, `append_rows`, `replace_rows` and
  `write_report` change the model at once and queue their Excel writes; `save` sends
  them in order. A macro that fails half-way has then changed nothing in the open
  book, just as a failed headless run leaves the file alone. `save` does *not* save the
  file: the user saves in Excel (and can close without saving to undo a whole press).
- **One write per block.** Cells set in one column and in neighbouring columns go out
  as one rectangle (e.g. Status and Ledger Ref of 1,000 scattered rows: one write);
  cells in between keep the value read at the start of the press. Appends resize the
  Table once and write the new rows once; a table replaced is resized and written once
  (rows it no longer holds are cleared).
- **Text stays text.** Excel reads a string written into a cell as if it were typed:
  ``=1+1`` becomes a formula, ``00123`` a number, a Hash of all digits loses digits. So
  every string goes out with a leading apostrophe, which Excel keeps out of the value
  and which makes the cell text. Only the formula columns of the schema are written as
  formulas. Dates go out as datetimes, money as floats of dollars.
- **Unit Cost and Unit Price show to 4 decimals.** A block written over those columns sets
  their number format for the block's rows (one call for neighbouring columns), so a book
  whose column an earlier template formatted to 2 decimals shows a new 0.125 as 0.125.

Columns an owner added to a Loupe table are never written. A formula typed into an
input column between two rows Loupe updates is replaced by its value.

`press` wraps a button press: screen updating off, calculation manual, progress in the
status bar, everything restored in ``finally`` even when the macro fails.

This package is the live adapter: `LiveBook` here and `log` (the log beside an open
book). It is the only place that talks to xlwings objects of a book; it may import
`addin.workbook` (port, reader, layout, a1), `addin.core.errors` and `addin.sheets`,
never the files adapter.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from addin.core.errors import BookError, Problem
from addin.sheets.schema import DATA_SHEETS, TYPED_SHEETS, UNIT_COST_FORMAT, Kind, Sheet
from addin.workbook.layout import formulas
from addin.workbook.layout.report_layout import Layout
from addin.workbook.layout.report_sheet import name_problem
from addin.workbook.live.report import ClearReport, ReportWrite, grid, ownership_of
from addin.workbook.port import Cell, RawTable
from addin.workbook.reader.tables import find_headers

TEXT_MARK = "'"  # Excel keeps a cell starting with it as text, without the mark


@dataclass(frozen=True)
class Formula:
    """A live Excel formula in the model: written as a formula, read back as unknown."""

    text: str  # with its leading "="


# --- values to and from Excel ------------------------------------------------------------


def to_excel(value: Any) -> Cell:
    """A value as it goes into a cell: text marked as text, dates as datetime, numbers as
    float. Raises TypeError for anything a cell cannot hold."""
    if isinstance(value, Formula):
        return value.text
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, str):
        return TEXT_MARK + value if value else None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating | Decimal):
        number = float(value)
        return None if math.isnan(number) else number
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).to_pydatetime()
    raise TypeError(f"a cell cannot hold {value!r} ({type(value).__name__})")


def as_read(value: Any) -> Cell:
    """What a read of the cell returns once `value` is written (xlwings' types)."""
    if isinstance(value, Formula):
        return None  # Excel's result is not known here; formula columns read leniently
    sent = to_excel(value)
    if isinstance(sent, str):
        return sent[len(TEXT_MARK):]
    return sent


# --- what waits for save() ---------------------------------------------------------------


@dataclass(frozen=True)
class _Write:
    """One rectangle of cells, top-left at (row, column), values as sent to Excel."""

    sheet: str
    row: int
    column: int
    values: list[list[Cell]]

    def send(self, xw_book) -> None:
        xw_book.sheets[self.sheet].range((self.row, self.column)).value = self.values


@dataclass(frozen=True)
class _Format:
    """Rows first..last of columns left..right shown in a number format."""

    sheet: str
    first: int
    last: int
    left: int
    right: int
    code: str

    def send(self, xw_book) -> None:
        ws = xw_book.sheets[self.sheet]
        ws.range((self.first, self.left), (self.last, self.right)).number_format = self.code


@dataclass(frozen=True)
class _Resize:
    """The Table's new extent, header row included."""

    sheet: str
    table: str
    top: int
    left: int
    rows: int
    columns: int

    def send(self, xw_book) -> None:
        ws = xw_book.sheets[self.sheet]
        corner = (self.top + self.rows - 1, self.left + self.columns - 1)
        ws.tables[self.table].resize(ws.range((self.top, self.left), corner))


@dataclass(frozen=True)
class _NewSheet:
    name: str

    def send(self, xw_book) -> None:
        sheets = xw_book.sheets
        sheets.add(self.name, after=sheets[len(sheets) - 1])


# --- the model of one table ----------------------------------------------------------------


@dataclass
class _Table:
    """One Excel Table as read this press, with the changes made to it since.

    `body` holds what a read would return (xlwings' types); formulas Loupe wrote this
    press sit in `live` by (body index, column offset), to be written as formulas.
    """

    sheet: Sheet
    name: str  # the Table's name in Excel
    top: int  # Excel row of the header
    left: int  # Excel column of the first column
    header: list[Cell]
    body: list[list[Cell]]
    positions: dict[str, int] = field(default_factory=dict)  # schema header -> column offset
    live: dict[tuple[int, int], Formula] = field(default_factory=dict)
    # merged blocks of the body: (first, last) body index, (first, last) column offset
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def first_row(self) -> int:
        return self.top + 1

    @property
    def width(self) -> int:
        return len(self.header)

    def raw(self) -> RawTable:
        """The table as read; a merged block reads as its value in every cell it covers (the
        model keeps Excel's own cells, so no write ever lands in part of a merged block)."""
        body = [list(r) for r in self.body]
        for top, bottom, left, right in self.merged:
            for at in range(top, min(bottom, len(body) - 1) + 1):
                body[at][left:right + 1] = [self.body[top][left]] * (right + 1 - left)
        return RawTable(self.sheet.name, list(self.header), body, self.first_row)

    def offset(self, header: str) -> int:
        if header not in self.positions:
            raise BookError(f"{self.sheet.name}: there is no {header!r} column in the "
                            f"{self.name} table; add it back (the template has it)")
        return self.positions[header]

    def index(self, row: int) -> int:
        at = row - self.first_row
        if not 0 <= at < len(self.body):
            raise BookError(f"{self.sheet.name} row {row} is outside the {self.name} table "
                            f"(rows {self.first_row}-{self.first_row + len(self.body) - 1})")
        return at

    def put(self, at: int, col: int, value: Any) -> None:
        self.body[at][col] = as_read(value)
        if isinstance(value, Formula):
            self.live[(at, col)] = value
        else:
            self.live.pop((at, col), None)

    def filled_rows(self) -> int:
        """Rows up to the last one holding anything (blank rows at the end do not count)."""
        for at in range(len(self.body) - 1, -1, -1):
            if any(v is not None for v in self.body[at]) or any(
                    (at, col) in self.live for col in range(self.width)):
                return at + 1
        return 0

    def schema_runs(self) -> list[tuple[int, int]]:
        """(first, last) column offsets of each run of neighbouring Loupe columns."""
        return _runs(sorted(self.positions.values()))

    def formula_columns(self) -> set[int]:
        return {self.positions[h] for h in formulas.formulas_for(self.sheet)
                if h in self.positions}

    def block(self, first: int, last: int, left: int, right: int) -> _Write:
        """The write of body rows first..last, column offsets left..right, from the model."""
        values = [[to_excel(self.live.get((at, col), self.body[at][col]))
                   for col in range(left, right + 1)] for at in range(first, last + 1)]
        return _Write(self.sheet.name, self.first_row + first, self.left + left, values)

    def formats(self, first: int, last: int, left: int, right: int) -> list[_Format]:
        """The number formats Loupe keeps for the columns of a block it writes (body rows
        first..last, column offsets left..right): a Unit Cost or Unit Price shows up to 4
        decimals. Neighbouring columns go as one call (Ledger's Unit Cost and Unit Price)."""
        mine = sorted(self.positions[c.header] for c in self.sheet.columns
                      if c.kind == Kind.UNIT_COST and c.header in self.positions
                      and left <= self.positions[c.header] <= right)
        return [_Format(self.sheet.name, self.first_row + first, self.first_row + last,
                        self.left + a, self.left + b, UNIT_COST_FORMAT) for a, b in _runs(mine)]

    def set_row(self, at: int, values: list[Any], with_formulas: bool) -> None:
        """Body row `at` := `values` (schema order); the owner's own columns are untouched."""
        for i, header in enumerate(self.sheet.headers):
            self.put(at, self.positions[header], values[i] if i < len(values) else None)
        for header in formulas.formulas_for(self.sheet):
            text = formulas.cell_formula(self.sheet, header)
            self.put(at, self.positions[header], Formula(text) if with_formulas else None)


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """[1, 2, 3, 7, 8] -> [(1, 3), (7, 8)]."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


# --- the adapter ---------------------------------------------------------------------------


class LiveBook:
    """The Workbook port over an open xlwings Book (see the module docstring)."""

    def __init__(self, xw_book, progress: Callable[[str], None] | None = None):
        self.xw = xw_book
        self._progress = progress or (lambda text: None)
        self._tables: dict[str, _Table] = {}
        self._sheet_names: list[str] | None = None
        self._waiting: list[_Write | _Format | _Resize | _NewSheet | ClearReport | ReportWrite] = []
        self._loupe_sheets: set[str] = set()  # report sheets found Loupe's (or added) this press
        self.writes_sent = 0  # writes sent to Excel so far (0: the book is as it was)

    # -- reading ------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The open book's file name (shop.xlsm), as messages name it."""
        return str(getattr(self.xw, "name", "") or "")

    def sheet_names(self) -> list[str]:
        """Sheet names in workbook order (report sheets added this press included)."""
        if self._sheet_names is None:
            self._sheet_names = [s.name for s in self.xw.sheets]
        return list(self._sheet_names)

    def read_table(self, sheet: Sheet) -> RawTable:
        """The sheet's Excel Table, header and body: one read per press."""
        return self._model(sheet).raw()

    def _model(self, sheet: Sheet) -> _Table:
        if sheet.name not in self._tables:
            self._tables[sheet.name] = self._read(sheet)
        return self._tables[sheet.name]

    def _read(self, sheet: Sheet) -> _Table:
        if sheet.name not in self.sheet_names():
            raise BookError(f"the workbook has no {sheet.name} sheet; Loupe needs it (copy it "
                            "from the template, or rename the sheet back to "
                            f"{sheet.name!r})")
        self._progress(f"reading {sheet.name}")
        xw_table = find_table(self.xw.sheets[sheet.name], sheet)
        area = xw_table.range
        rows = area.shape[0]
        typed = sheet in TYPED_SHEETS  # read a margin under the Table in the same trip
        grid = (area.resize(row_size=rows + BELOW) if typed else area).options(ndim=2).value
        grid = [list(r) for r in (grid or [[]])]
        model = _Table(sheet, xw_table.name, area.row, area.column, grid[0], grid[1:rows])
        if typed:
            model.merged = merged_blocks(self.xw.sheets[sheet.name], model)
            below = _through_last_typed(grid[rows:])
            if len(below) == BELOW:  # more may follow: read on, a block at a time
                below += typed_below(self.xw.sheets[sheet.name], area.row + rows + BELOW,
                                     area.column, model.width)
            if below:  # rows typed under the Table become the Table's: nothing is skipped
                model.body += below
                self._queue(_Resize(sheet.name, model.name, model.top, model.left,
                                    1 + len(model.body), model.width))
        seen = RawTable(sheet.name, model.header, model.body, model.first_row)
        model.positions = find_headers(seen, sheet).positions
        return model

    # -- writing (sent by save) -------------------------------------------------------------

    def write_cells(self, sheet: Sheet, updates: dict[str, dict[int, Cell]]) -> None:
        """Set cells by header and Excel row; each block of neighbouring columns is one write."""
        model = self._model(sheet)
        touched: dict[int, list[int]] = {}  # column offset -> body indexes
        for header, by_row in updates.items():
            col = model.offset(header)
            for row, value in by_row.items():
                at = model.index(row)
                model.put(at, col, value)
                touched.setdefault(col, []).append(at)
        live = model.formula_columns()
        for left, right in _runs(sorted(c for c in touched if c not in live)):
            rows = [at for c in range(left, right + 1) for at in touched.get(c, [])]
            self._queue(model.block(min(rows), max(rows), left, right))
            self._queue(*model.formats(min(rows), max(rows), left, right))
        for col in sorted(c for c in touched if c in live):  # never rewrite a neighbour's formula
            for first, last in _runs(sorted(set(touched[col]))):
                self._queue(model.block(first, last, col, col))

    def append_rows(self, sheet: Sheet, rows: list[list[Cell]]) -> None:
        """Rows (schema order) after the last filled row; the Table grows once, one write."""
        if not rows:
            return
        model = self._model(sheet)
        _check(sheet, model, rows)
        start = model.filled_rows()
        end = start + len(rows)
        if end > len(model.body):
            model.body += [[None] * model.width for _ in range(end - len(model.body))]
            self._queue(_Resize(sheet.name, model.name, model.top, model.left,
                                1 + len(model.body), model.width))
        for at, values in enumerate(rows, start=start):
            model.set_row(at, values, with_formulas=True)
        self._queue(model.block(start, end - 1, 0, model.width - 1))
        self._queue(*model.formats(start, end - 1, 0, model.width - 1))

    def replace_rows(self, sheet: Sheet, rows: list[list[Cell]]) -> None:
        """The whole body replaced (schema order, formula columns filled); resized once, one
        write per run of Loupe columns; rows the table no longer holds are cleared."""
        model = self._model(sheet)
        _check(sheet, model, rows)
        before, keep = len(model.body), max(len(rows), 1)  # a Table keeps one body row
        if keep != before:
            self._queue(_Resize(sheet.name, model.name, model.top, model.left, 1 + keep,
                                model.width))
        model.body += [[None] * model.width for _ in range(max(keep - before, 0))]
        for at in range(len(model.body)):
            values = rows[at] if at < len(rows) else []
            model.set_row(at, values, with_formulas=at < len(rows))
        for left, right in model.schema_runs():
            self._queue(model.block(0, len(model.body) - 1, left, right))
            if rows:
                self._queue(*model.formats(0, len(rows) - 1, left, right))
        del model.body[keep:]
        model.live = {k: v for k, v in model.live.items() if k[0] < keep}

    def write_report(self, layout: Layout) -> Problem | None:
        """Replace a Loupe report sheet (added after the last sheet when missing) with the
        whole layout (see `addin.workbook.live.report`); an existing sheet that is not
        Loupe's is left alone and the Problem returned."""
        name = layout.sheet
        problem = name_problem(name)
        if problem:
            raise BookError(f"report sheet name {name!r} {problem}; pick another name")
        if name.casefold() in {s.name.casefold() for s in DATA_SHEETS}:
            raise BookError(f"{name} is a data sheet; a report cannot be written over it")
        same = [n for n in self.sheet_names() if n.casefold() == name.casefold()]
        if same and (kept := self._owned(same[0], layout)) is not None:
            return kept
        if same:
            name = same[0]
            self._queue(ClearReport(name))
        else:
            self._queue(_NewSheet(name))
            self._sheet_names = [*self.sheet_names(), name]
            self._loupe_sheets.add(name)
        self._queue(ReportWrite(name, layout, grid(layout, to_excel)))
        return None

    def _owned(self, name: str, layout: Layout) -> Problem | None:
        if name in self._loupe_sheets:  # written by this press already
            return None
        kept = ownership_of(self.xw.sheets[name], layout)
        if kept is None:
            self._loupe_sheets.add(name)
        return kept

    def save(self) -> None:
        """Send the waiting writes to Excel, in order. The file is not saved: the user
        saves in Excel, or closes without saving to undo the press."""
        waiting, self._waiting = self._waiting, []
        for n, op in enumerate(waiting, start=1):
            if isinstance(op, _Write | ReportWrite):
                self._progress(f"writing {op.sheet} ({n} of {len(waiting)})")
            try:
                op.send(self.xw)
            except BaseException:
                self._waiting = waiting[n - 1:]  # not sent: `waiting` says how many
                raise
            self.writes_sent += 1

    @property
    def waiting(self) -> int:
        """Writes queued and not yet sent."""
        return len(self._waiting)

    def _queue(self, *ops) -> None:
        self._waiting.extend(ops)


def _check(sheet: Sheet, model: _Table, rows: list[list[Cell]]) -> None:
    """Every Loupe column is in the table, and every row is as wide as the schema."""
    for header in sheet.headers:
        model.offset(header)
    width = len(sheet.headers)
    bad = next((i for i, r in enumerate(rows) if len(r) != width), None)
    if bad is not None:
        raise ValueError(f"{sheet.name} rows must have {width} cells (schema order); "
                         f"row {bad} has {len(rows[bad])}")


BELOW = 500  # rows read at a time under a Table, looking for rows typed outside it


def typed_below(xw_sheet, first: int, left: int, width: int) -> list[list[Cell]]:
    """The rows typed from Excel row `first` on, through the last filled one; one bulk read
    per block of rows, until a block holds nothing."""
    rows: list[list[Cell]] = []
    while True:
        block = xw_sheet.range((first + len(rows), left),
                               (first + len(rows) + BELOW - 1, left + width - 1))
        found = _through_last_typed([list(r) for r in (block.options(ndim=2).value or [])])
        rows += found
        if len(found) < BELOW:
            return rows


def merged_blocks(xw_sheet, model: _Table) -> list[tuple[int, int, int, int]]:
    """The merged blocks in a table's body (an invoice's Date and Doc typed once, merged down
    its lines), as (first, last) body index and (first, last) column offset.

    One call says whether the body holds any merged cell (Excel's MergeCells: False when
    none); only then one call per column finds the columns that do, and one per value that
    a blank follows in such a column asks for the block it opens."""
    rows = len(model.body)
    if not rows:
        return []
    top, left = model.first_row, model.left
    if xw_sheet.range((top, left), (top + rows - 1, left + model.width - 1)).merge_cells is False:
        return []
    found = set()
    for col in range(model.width):
        column = xw_sheet.range((top, left + col), (top + rows - 1, left + col))
        if column.merge_cells is False:
            continue
        for at in range(rows - 1):
            if model.body[at][col] is not None and model.body[at + 1][col] is None:
                block = xw_sheet.range((top + at, left + col)).merge_area
                height, width = block.shape
                if height > 1 or width > 1:
                    found.add((block.row - top, block.row - top + height - 1,
                               block.column - left, block.column - left + width - 1))
    return sorted(found)


def _through_last_typed(rows: list[list[Cell]]) -> list[list[Cell]]:
    filled = [i for i, r in enumerate(rows) if any(_typed(v) for v in r)]
    return rows[: filled[-1] + 1] if filled else []


def _typed(v: Cell) -> bool:
    return v is not None and not (isinstance(v, str) and not v.strip())


def find_table(xw_sheet, sheet: Sheet):
    """The sheet's Table by its schema name; failing that, the sheet's only Table."""
    try:
        return xw_sheet.tables[sheet.table]
    except Exception:  # xlwings raises what the engine raises for a missing name
        tables = list(xw_sheet.tables)
    if len(tables) == 1:
        return tables[0]
    raise BookError(f"the {sheet.name} sheet has no Excel Table named {sheet.table}; "
                    f"select the data and Insert > Table, then name it {sheet.table} "
                    "(Table Design > Table Name)")


# --- one button press ----------------------------------------------------------------------


@contextmanager
def press(xw_book, label: str) -> Iterator[Callable[[str], None]]:
    """Screen updating off and calculation manual for one press, restored however the press
    ends; yields a function that shows progress in the status bar."""
    app = xw_book.app
    screen, calculation = app.screen_updating, app.calculation
    app.screen_updating = False
    app.calculation = "manual"

    def progress(text: str) -> None:
        app.status_bar = f"Loupe: {label}: {text}"

    progress("starting")
    try:
        yield progress
    finally:
        _restore(app, "calculation", calculation)
        _restore(app, "screen_updating", screen)
        _restore(app, "status_bar", False)  # False hands the status bar back to Excel


def _restore(app, name: str, value) -> None:
    try:
        setattr(app, name, value)
    except Exception:  # one setting that will not go back must not stop the others
        pass


def recalculate(xw_book) -> bool:
    """Ask Excel for a full recalculation, so Loupe's worksheet functions (which read the
    Ledger, a dependency Excel cannot see) answer from the new Ledger. False when the
    engine offers no full recalculation (macOS has no worksheet functions anyway)."""
    full = getattr(getattr(xw_book.app, "api", None), "CalculateFull", None)
    if full is None:
        return False
    full()
    return True
