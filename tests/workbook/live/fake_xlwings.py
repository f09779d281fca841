"""A stand-in for the few xlwings objects the live adapter uses, backed by a real workbook.

There is no Excel on the test machine and xlwings cannot open a book on Linux, so this
module plays Book, Sheets, Sheet, Tables, Table, Range and App over an openpyxl workbook
loaded from a real file. It behaves the way xlwings documents, and the way Excel treats
what is written to it:

- every value written goes through xlwings' own `prepare_xl_data_element` and every value
  read through its own `_clean_value_data_element` (Windows engine, run from the installed
  xlwings source by `xlwings_windows`): NaN, NaT and None blank the cell, numpy numbers
  become floats, an error cell such as ``#N/A`` reads None;
- what COM hands xlwings is played from the cell: numbers as float, a time-only cell as a
  datetime on 1899-12-30, a currency-formatted number as Decimal (COM's Currency type);
  a range read is a scalar, a 1-D list or a 2-D list by its shape, and always 2-D with
  ``.options(ndim=2)``; a formula cell reads as None (nothing here calculates it);
- a string written to a cell is read the way Excel reads typing: ``=...`` becomes a
  formula, a number, TRUE/FALSE or an ISO date become that value, unless the cell is
  Text-formatted (``@``); a leading apostrophe makes the rest text (the apostrophe is not
  part of the value);
- a 2-D list written to a range fills the block from its top-left cell; a scalar fills
  every cell of the range; values of other types raise TypeError, as COM refuses them;
- reads over xlwings' cell budget (4,000,000 cells; 1,500,000 on macOS) and writes over
  100,000 cells are split into chunks of rows, as xlwings splits them, each a round trip
  (`_budget_chunksize` from xlwings itself decides the rows per chunk).

How a range looks goes through xlwings' own main-layer objects: ``range.font`` is xlwings'
`Font` and ``range.borders`` its `Borders` (their validation and colour handling run as
written), over a stand-in engine that does what xlwings' Windows engine does with each call
(a hex colour to RGB to Excel's colour integer, a border side's colour, weight and line style
in that order, one COM property each) and records it in openpyxl's cell styles; so do
``range.color``, the alignments, ``wrap_text``, ``row_height``, ``sheet.show_gridlines`` and,
through the native objects, ``IndentLevel``, the window's frozen panes and PageSetup.

Every write lands in the openpyxl workbook at once; `FakeBook.save_copy` saves it so a
test can read it back like any saved book. `Trips` counts round trips to "Excel": every
`.value` read or write is one, and so is each other call that would cross to Excel (a
Table resize, a sheet added or cleared, an App setting read or changed, an alert).
Property reads such as ``range.row`` or ``sheet.name`` are not counted: each button press
makes a fixed number of them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import types
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import openpyxl
import xlwings.main as xlmain
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, PatternFill, Side
from openpyxl.styles import Font as CellFont
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.properties import PageSetupProperties
from xlwings.base_classes import DEFAULT_MAX_CELLS_PER_READ, DEFAULT_MAX_CELLS_PER_WRITE
from xlwings.conversion.standard import _budget_chunksize
from xlwings.utils import hex_to_rgb, int_to_rgb, rgb_to_int

from tests.workbook.live.xlwings_windows import ERROR_CODES, from_com, mac_read_budget, to_com

NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Trips:
    """Round trips to Excel so far."""

    values: int = 0  # .value reads and writes
    other: int = 0  # resizes, sheets added or cleared, App settings, alerts
    log: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.values + self.other

    def count(self, kind: str, what: str) -> None:
        if kind == "value":
            self.values += 1
        else:
            self.other += 1
        self.log.append(f"{kind}: {what}")

    def reset(self) -> None:
        self.values = self.other = 0
        self.log.clear()


# --- values as Excel takes and gives them ----------------------------------------------------


def _typed_in(cell, value) -> None:
    """Put `value` into an openpyxl cell the way Excel takes a value set through xlwings:
    first xlwings' own conversion for COM, then Excel's reading of what arrives."""
    value = to_com(value)
    cell.quotePrefix = False
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, Decimal):
        cell.value = float(value)
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, int | float):
        cell.value = float(value)
    elif isinstance(value, dt.datetime):
        cell.value = value.replace(tzinfo=None)
    elif isinstance(value, dt.date):
        cell.value = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and cell.number_format == "@" and not value.startswith("'"):
        cell.value = value  # a Text-formatted cell keeps what is typed as text
        cell.data_type = "s"
    elif isinstance(value, str):
        _typed_text(cell, value)
    else:
        raise TypeError(f"Excel cannot take {value!r} ({type(value).__name__}) into a cell")


def _typed_text(cell, text: str) -> None:
    if text.startswith("'"):
        cell.value = text[1:]
        cell.data_type = "s"
        cell.quotePrefix = True
    elif text.startswith("=") and len(text) > 1:
        cell.value = text  # openpyxl stores it as a formula
    elif NUMBER.match(text.strip()):
        cell.value = float(text)
    elif text.strip().upper() in ("TRUE", "FALSE"):
        cell.value = text.strip().upper() == "TRUE"
    elif ISO_DAY.match(text.strip()):
        cell.value = dt.datetime.fromisoformat(text.strip())
    else:
        cell.value = text
        cell.data_type = "s"


def _read_out(cell):
    """A cell's value as xlwings returns it: what COM gives, through xlwings' own code."""
    return from_com(_com_value(cell))


CURRENCY = re.compile(r'[$€£¥]|\[\$')  # a currency or accounting number format


def _com_value(cell):
    """What COM's Range.Value hands xlwings for the cell."""
    v = cell.value
    if cell.data_type == "e":
        return ERROR_CODES.get(str(v), ERROR_CODES["#N/A"])
    if cell.data_type == "f" or not isinstance(v, str | int | float | bool | dt.date
                                               | dt.time | None):
        return None  # a formula: not calculated here
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int | float):
        if CURRENCY.search(cell.number_format or ""):
            return Decimal(str(round(float(v), 4)))  # COM's Currency: 4 decimals
        return float(v)
    if isinstance(v, dt.datetime):
        return v
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day)
    if isinstance(v, dt.time):  # a time-only cell is a date serial under 1
        return dt.datetime.combine(dt.date(1899, 12, 30), v)
    return v


# --- the objects ---------------------------------------------------------------------------


class FakeApp:
    """App: screen updating, calculation mode, status bar, alerts, and a full recalculation."""

    def __init__(self, trips: Trips):
        self._trips = trips
        self._screen_updating = True
        self._calculation = "automatic"
        self._status_bar: str | bool = False
        self.status_shown: list[str] = []  # every status bar text, in order
        self.alerts: list[dict] = []  # every alert shown
        self.answers: list[str] = []  # what the user will press, in order ("ok" when empty)
        self.api = _Api(trips)

    def _get(self, name: str):
        self._trips.count("app", f"get {name}")
        return getattr(self, "_" + name)

    def _set(self, name: str, value) -> None:
        self._trips.count("app", f"set {name} = {value!r}")
        setattr(self, "_" + name, value)

    screen_updating = property(lambda self: self._get("screen_updating"),
                               lambda self, v: self._set("screen_updating", v))
    calculation = property(lambda self: self._get("calculation"),
                           lambda self, v: self._set("calculation", v))

    @property
    def status_bar(self):
        return self._get("status_bar")

    @status_bar.setter
    def status_bar(self, value) -> None:
        self._set("status_bar", value)
        if isinstance(value, str):
            self.status_shown.append(value)

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self._trips.count("app", f"alert {title!r}")
        self.alerts.append({"prompt": prompt, "title": title, "buttons": buttons, "mode": mode})
        return self.answers.pop(0) if self.answers else "ok"


class _Api:
    """The few native calls Loupe makes: a full recalculation, the active window."""

    def __init__(self, trips: Trips):
        self._trips = trips
        self.full_calculations = 0
        self.book: FakeBook | None = None  # whose window is active

    @property
    def ActiveWindow(self) -> _WindowApi:  # noqa: N802
        self._trips.count("app", "ActiveWindow")
        assert self.book is not None
        return _WindowApi(self.book)

    def CalculateFull(self) -> None:  # noqa: N802  (the Excel object model's name)
        self._trips.count("app", "CalculateFull")
        self.full_calculations += 1


class FakeBook:
    """Book: sheets, app, selection, fullname; backed by an openpyxl workbook."""

    def __init__(self, wb: openpyxl.Workbook, fullname: str, trips: Trips | None = None,
                 mac: bool = False):
        self.wb = wb
        # xlwings' own cell budgets: reads over them, and writes over 100,000 cells, go out
        # in chunks of rows
        self.max_cells_per_read = mac_read_budget() if mac else DEFAULT_MAX_CELLS_PER_READ
        self.max_cells_per_write = DEFAULT_MAX_CELLS_PER_WRITE
        self.fullname = fullname
        self.name = Path(fullname).name
        self.trips = trips or Trips()
        self.app = FakeApp(self.trips)
        self.app.api.book = self
        self.sheets = FakeSheets(self)
        self._selection: FakeRange | None = None
        self.pictures: dict[str, list[str]] = {}  # sheet -> names of pictures put there
        self.chart_names: dict[int, str] = {}  # id(openpyxl chart) -> the chart's name
        self.edges: dict[tuple, dict] = {}  # (sheet, row, column, edge) -> a border side
        self.autofit_rows: dict[str, set[int]] = {}  # sheet -> rows Excel sized to their text

    @classmethod
    def open(cls, path: str | Path) -> FakeBook:
        """The book at `path`, as Excel would have it open."""
        path = Path(path)
        keep_vba = path.suffix.lower() == ".xlsm"
        return cls(openpyxl.load_workbook(path, keep_vba=keep_vba), str(path))

    def save_copy(self, path: str | Path) -> Path:
        """Save what Excel now holds (a test helper, not an xlwings call)."""
        self.wb.save(path)
        return Path(path)

    @property
    def selection(self) -> FakeRange | None:
        return self._selection

    def select(self, sheet: str, address: str) -> None:
        """What the user selected before pressing the button (a test helper)."""
        self._selection = self.sheets[sheet].range(address)


class FakeSheets:
    def __init__(self, book: FakeBook):
        self.book = book

    def __getitem__(self, key: int | str) -> FakeSheet:
        wb = self.book.wb
        if isinstance(key, int):
            return FakeSheet(self.book, wb.worksheets[key])
        if key not in wb.sheetnames:
            raise KeyError(f"no sheet named {key!r}")
        return FakeSheet(self.book, wb[key])

    def __len__(self) -> int:
        return len(self.book.wb.worksheets)

    def __iter__(self):
        return (FakeSheet(self.book, ws) for ws in self.book.wb.worksheets)

    @property
    def active(self) -> FakeSheet:
        self.book.trips.count("sheet", "which is active")
        return FakeSheet(self.book, self.book.wb.active)

    def add(self, name: str | None = None, before=None, after=None) -> FakeSheet:
        self.book.trips.count("sheet", f"add {name}")
        wb = self.book.wb
        index = len(wb.worksheets)
        if after is not None:
            index = wb.worksheets.index(after.ws) + 1
        elif before is not None:
            index = wb.worksheets.index(before.ws)
        return FakeSheet(self.book, wb.create_sheet(name, index))


class FakeSheet:
    def __init__(self, book: FakeBook, ws):
        self.book = book
        self.ws = ws

    @property
    def name(self) -> str:
        return self.ws.title

    @property
    def tables(self) -> FakeTables:
        return FakeTables(self)

    def range(self, cell1, cell2=None) -> FakeRange:
        if isinstance(cell1, str) and len(cell1) > 255:
            raise ValueError("Excel refuses a range address longer than 255 characters")
        if isinstance(cell1, str) and "," in cell1:
            return FakeUnion(self, [self.range(a) for a in cell1.split(",")])
        top, left = _corner(cell1)
        if isinstance(cell1, str) and ":" in cell1:
            min_col, min_row, max_col, max_row = range_boundaries(cell1)
            return FakeRange(self, min_row, min_col, max_row, max_col)
        bottom, right = _corner(cell2) if cell2 is not None else (top, left)
        return FakeRange(self, top, left, bottom, right)

    def clear_contents(self) -> None:
        self.book.trips.count("sheet", f"clear {self.name}")
        for row in self.ws.iter_rows():
            for cell in row:
                cell.value = None

    def clear(self) -> None:
        """Contents and formats: number formats, fonts, fills, borders, alignment (charts,
        pictures, row heights and column widths stay, as in Excel)."""
        self.book.trips.count("sheet", f"clear all of {self.name}")
        for row in self.ws.iter_rows():
            for cell in row:
                cell.value = None
                cell.style = "Normal"
        self.book.edges = {k: v for k, v in self.book.edges.items() if k[0] != self.name}

    def activate(self) -> None:
        self.book.trips.count("sheet", f"activate {self.name}")
        self.book.wb.active = self.book.wb.worksheets.index(self.ws)

    @property
    def show_gridlines(self) -> bool:
        return bool(self.ws.sheet_view.showGridLines in (None, True))

    @show_gridlines.setter
    def show_gridlines(self, value: bool) -> None:
        """A window property: xlwings shows the sheet for the call and the one before again."""
        self.book.trips.count("sheet", f"gridlines of {self.name} = {value!r}")
        self.ws.sheet_view.showGridLines = bool(value)

    @property
    def charts(self) -> FakeCharts:
        return FakeCharts(self)

    @property
    def shapes(self) -> list[FakeShape]:
        """Charts and pictures on the sheet (pictures: those `add_picture` put there)."""
        self.book.trips.count("sheet", f"list shapes of {self.name}")
        charts = [FakeShape(self, "chart", c.name) for c in self.charts]
        return charts + [FakeShape(self, "picture", n)
                         for n in self.book.pictures.get(self.ws.title, [])]

    def add_picture(self, name: str) -> None:
        """A picture the user put on the sheet (openpyxl cannot keep pictures without PIL,
        so only its name is kept: what the live adapter can see of it)."""
        self.book.pictures.setdefault(self.ws.title, []).append(name)

    @property
    def page_setup(self) -> FakePageSetup:
        return FakePageSetup(self)

    def __eq__(self, other) -> bool:
        return isinstance(other, FakeSheet) and other.ws is self.ws


def _corner(cell) -> tuple[int, int]:
    if isinstance(cell, tuple):
        return int(cell[0]), int(cell[1])
    min_col, min_row, _, _ = range_boundaries(cell.split(":")[0])
    return min_row, min_col


class FakeTables:
    def __init__(self, sheet: FakeSheet):
        self.sheet = sheet

    def __getitem__(self, name: str) -> FakeTable:
        if name not in self.sheet.ws.tables:
            raise KeyError(f"no table named {name!r} on {self.sheet.name}")
        return FakeTable(self.sheet, self.sheet.ws.tables[name])

    def __iter__(self):
        return (FakeTable(self.sheet, t) for t in self.sheet.ws.tables.values())

    def __len__(self) -> int:
        return len(self.sheet.ws.tables)


class FakeTable:
    def __init__(self, sheet: FakeSheet, table):
        self.parent = sheet
        self.table = table

    @property
    def name(self) -> str:
        return self.table.displayName

    @property
    def range(self) -> FakeRange:
        return self.parent.range(self.table.ref)

    @property
    def header_row_range(self) -> FakeRange:
        r = self.range
        return FakeRange(self.parent, r.row, r.column, r.row, r.last_column)

    @property
    def data_body_range(self) -> FakeRange | None:
        r = self.range
        if r.last_row == r.row:
            return None
        return FakeRange(self.parent, r.row + 1, r.column, r.last_row, r.last_column)

    def resize(self, range: FakeRange) -> None:  # noqa: A002  (xlwings' name)
        self.parent.book.trips.count("table", f"resize {self.name} to {range.address}")
        self.table.ref = range.address.replace("$", "")
        if self.table.autoFilter is not None:
            self.table.autoFilter.ref = self.table.ref


class FakeRange:
    def __init__(self, sheet: FakeSheet, row: int, column: int, last_row: int,
                 last_column: int, ndim: int | None = None):
        self.sheet = sheet
        self.row, self.column = row, column
        self.last_row, self.last_column = last_row, last_column
        self._ndim = ndim

    @property
    def shape(self) -> tuple[int, int]:
        return self.last_row - self.row + 1, self.last_column - self.column + 1

    @property
    def address(self) -> str:
        a = f"${get_column_letter(self.column)}${self.row}"
        b = f"${get_column_letter(self.last_column)}${self.last_row}"
        return a if a == b else f"{a}:{b}"

    @property
    def last_cell(self) -> FakeRange:
        return FakeRange(self.sheet, self.last_row, self.last_column, self.last_row,
                         self.last_column)

    def options(self, ndim: int | None = None, **_ignored) -> FakeRange:
        return FakeRange(self.sheet, self.row, self.column, self.last_row, self.last_column,
                         ndim)

    def resize(self, row_size: int | None = None, column_size: int | None = None) -> FakeRange:
        rows, cols = self.shape
        return FakeRange(self.sheet, self.row, self.column,
                         self.row + (row_size or rows) - 1, self.column + (column_size or cols) - 1)

    @property
    def number_format(self) -> str:
        return self.sheet.ws.cell(self.row, self.column).number_format

    @number_format.setter
    def number_format(self, code: str) -> None:
        self.sheet.book.trips.count("format", f"{self.sheet.name}!{self.address} {code}")
        for r in range(self.row, self.last_row + 1):
            for c in range(self.column, self.last_column + 1):
                self.sheet.ws.cell(r, c).number_format = code

    @property
    def column_width(self) -> float:
        return self.sheet.ws.column_dimensions[get_column_letter(self.column)].width

    @column_width.setter
    def column_width(self, width: float) -> None:
        self.sheet.book.trips.count("format", f"{self.sheet.name}!{self.address} width")
        for c in range(self.column, self.last_column + 1):
            self.sheet.ws.column_dimensions[get_column_letter(c)].width = width

    # how the range looks: xlwings' own Font and Borders over the stand-in engine
    @property
    def font(self) -> xlmain.Font:
        return xlmain.Font(impl=_FontImpl([self]))

    @property
    def borders(self) -> xlmain.Borders:
        return xlmain.Borders(impl=_BordersImpl([self]))

    @property
    def api(self) -> _RangeApi:
        return _RangeApi([self])

    color = property(None, lambda self, v: _fill([self], v))
    wrap_text = property(None, lambda self, v: _align([self], "wrap", bool(v)))
    horizontal_alignment = property(
        None, lambda self, v: _align([self], "horizontal", xlmain._horizontal_alignment(v)))
    vertical_alignment = property(
        None, lambda self, v: _align([self], "vertical", xlmain._vertical_alignment(v)))
    row_height = property(None, lambda self, v: _row_height([self], v))

    @property
    def rows(self) -> _Rows:
        return _Rows([self])

    @property
    def merge_cells(self) -> bool | None:
        """Excel's MergeCells: True when every cell is merged, False when none is, None
        (COM's Null) when some are."""
        self.sheet.book.trips.count("merge", f"merge_cells {self.sheet.name}!{self.address}")
        merged = {(r, c) for m in self.sheet.ws.merged_cells.ranges
                  for r in range(m.min_row, m.max_row + 1)
                  for c in range(m.min_col, m.max_col + 1)}
        inside = [(r, c) in merged for r in range(self.row, self.last_row + 1)
                  for c in range(self.column, self.last_column + 1)]
        return True if all(inside) else (None if any(inside) else False)

    @property
    def merge_area(self) -> FakeRange:
        """The merged block holding the range's first cell (the cell itself if none)."""
        self.sheet.book.trips.count("merge", f"merge_area {self.sheet.name}!{self.address}")
        for m in self.sheet.ws.merged_cells.ranges:
            if m.min_row <= self.row <= m.max_row and m.min_col <= self.column <= m.max_col:
                return FakeRange(self.sheet, m.min_row, m.min_col, m.max_row, m.max_col)
        return FakeRange(self.sheet, self.row, self.column, self.row, self.column)

    def cells(self):
        """Every openpyxl cell of the range (a stand-in helper)."""
        return [self.sheet.ws.cell(r, c) for r in range(self.row, self.last_row + 1)
                for c in range(self.column, self.last_column + 1)]

    def _count(self, what: str, budget: int | None, rows: int, cols: int) -> None:
        """One round trip, or one per chunk of rows when xlwings would split the call."""
        per_chunk = _budget_chunksize(budget, rows, cols)
        for _ in range(math.ceil(rows / per_chunk) if per_chunk else 1):
            self.sheet.book.trips.count("value", f"{what} {self.sheet.name}!{self.address}")

    @property
    def value(self):
        self._count("read", self.sheet.book.max_cells_per_read, *self.shape)
        ws = self.sheet.ws
        grid = [[_read_out(ws.cell(r, c)) for c in range(self.column, self.last_column + 1)]
                for r in range(self.row, self.last_row + 1)]
        if self._ndim == 2:
            return grid
        rows, cols = self.shape
        if rows == 1 and cols == 1:
            return grid[0][0]
        if rows == 1:
            return grid[0]
        if cols == 1:
            return [r[0] for r in grid]
        return grid

    @value.setter
    def value(self, data) -> None:
        ws = self.sheet.ws
        if isinstance(data, list | tuple) and data and isinstance(data[0], list | tuple):
            self._count("write", self.sheet.book.max_cells_per_write, len(data), len(data[0]))
        else:  # a row, or a scalar filling the range: one call on the desktop engines
            self._count("write", None, 1, 1)
        if isinstance(data, list | tuple) and data and isinstance(data[0], list | tuple):
            for i, row in enumerate(data):
                for j, v in enumerate(row):
                    _typed_in(ws.cell(self.row + i, self.column + j), v)
        elif isinstance(data, list | tuple):
            for j, v in enumerate(data):
                _typed_in(ws.cell(self.row, self.column + j), v)
        else:
            for r in range(self.row, self.last_row + 1):
                for c in range(self.column, self.last_column + 1):
                    _typed_in(ws.cell(r, c), data)


class FakeUnion:
    """A range of several areas ("A7:A9,C7:C9"), as a chart's source."""

    def __init__(self, sheet: FakeSheet, areas: list[FakeRange]):
        self.sheet, self.areas = sheet, areas

    @property
    def number_format(self) -> str:
        return self.areas[0].number_format

    @number_format.setter
    def number_format(self, code: str) -> None:
        trips = self.sheet.book.trips
        trips.count("format", f"{self.sheet.name}!{len(self.areas)} areas {code}")
        for a in self.areas:
            for r in range(a.row, a.last_row + 1):
                for c in range(a.column, a.last_column + 1):
                    self.sheet.ws.cell(r, c).number_format = code

    # one call styles every area, as Excel styles a multi-area range
    @property
    def font(self) -> xlmain.Font:
        return xlmain.Font(impl=_FontImpl(self.areas))

    @property
    def borders(self) -> xlmain.Borders:
        return xlmain.Borders(impl=_BordersImpl(self.areas))

    @property
    def api(self) -> _RangeApi:
        return _RangeApi(self.areas)

    color = property(None, lambda self, v: _fill(self.areas, v))
    wrap_text = property(None, lambda self, v: _align(self.areas, "wrap", bool(v)))
    horizontal_alignment = property(
        None, lambda self, v: _align(self.areas, "horizontal", xlmain._horizontal_alignment(v)))
    vertical_alignment = property(
        None, lambda self, v: _align(self.areas, "vertical", xlmain._vertical_alignment(v)))
    row_height = property(None, lambda self, v: _row_height(self.areas, v))


# --- how cells look: what xlwings' Windows engine does with each call --------------------------


def _trip(areas: list[FakeRange], what: str) -> None:
    sheet = areas[0].sheet
    sheet.book.trips.count("look", f"{sheet.name}!{areas[0].address}+{len(areas) - 1} {what}")


def _argb(color) -> str:
    """An xlwings colour (hex string, RGB tuple or Excel's BGR integer) as openpyxl's ARGB,
    converted as `_xlwindows` converts it (hex -> RGB -> integer) and read back as RGB."""
    if isinstance(color, str):
        color = hex_to_rgb(color)
    if not isinstance(color, int):
        color = rgb_to_int(color)
    red, green, blue = int_to_rgb(color)
    return f"FF{red:02X}{green:02X}{blue:02X}"


def _fill(areas: list[FakeRange], color) -> None:
    """Range.color: Interior.Color (None: Interior.ColorIndex = xlColorIndexNone)."""
    _trip(areas, f"color {color!r}")
    fill = PatternFill() if color is None else PatternFill("solid", fgColor=_argb(color))
    for a in areas:
        for cell in a.cells():
            cell.fill = fill


def _align(areas: list[FakeRange], what: str, value) -> None:
    _trip(areas, f"{what} {value!r}")
    key = {"wrap": "wrap_text", "indent": "indent"}.get(what, what)
    for a in areas:
        for cell in a.cells():
            kept = {k: getattr(cell.alignment, k) for k in
                    ("horizontal", "vertical", "wrap_text", "indent")}
            cell.alignment = Alignment(**{**kept, key: value})


class _Rows:
    """range.rows: `autofit` is Excel's Rows.AutoFit, one call: Excel sizes each row to its
    text, which nothing here can measure, so the rows are kept in `FakeBook.autofit_rows`."""

    def __init__(self, areas: list[FakeRange]):
        self.areas = areas

    def autofit(self) -> None:
        _trip(self.areas, "rows autofit")
        for a in self.areas:
            a.sheet.book.autofit_rows.setdefault(a.sheet.name, set()).update(
                range(a.row, a.last_row + 1))


def _row_height(areas: list[FakeRange], points: float) -> None:
    _trip(areas, f"row height {points}")
    for a in areas:
        for r in range(a.row, a.last_row + 1):
            a.sheet.ws.row_dimensions[r].height = points


class _FontImpl:
    """Range.Font: Bold, Italic, Size, Color, Name; each set one COM call."""

    def __init__(self, areas: list[FakeRange]):
        self.areas = areas

    def __setattr__(self, name: str, value) -> None:
        if name == "areas":
            object.__setattr__(self, name, value)
            return
        if name not in ("bold", "italic", "size", "color", "name"):
            raise AttributeError(f"Font has no {name} the stand-in knows")
        _trip(self.areas, f"font.{name} = {value!r}")
        change = {"bold": "b", "italic": "i", "size": "sz", "name": "name"}
        for a in self.areas:
            for cell in a.cells():
                f = cell.font
                kept = {"b": f.b, "i": f.i, "sz": f.sz, "name": f.name, "color": f.color,
                        "family": f.family, "scheme": f.scheme}
                if name == "color":
                    kept["color"] = _argb(value)
                else:
                    kept[change[name]] = value
                cell.font = CellFont(**kept)


# xlwings' Windows names -> openpyxl's border styles (continuous takes its weight)
LINE_STYLES = {"double": "double", "dash": "dashed", "dot": "dotted", "dash_dot": "dashDot",
               "dash_dot_dot": "dashDotDot", "slant_dash_dot": "slantDashDot"}
WEIGHTS = {"hairline": "hair", "thin": "thin", "medium": "medium", "thick": "thick"}
EDGES = {"edge_top": "top", "edge_bottom": "bottom", "edge_left": "left", "edge_right": "right"}


class _BordersImpl:
    """Range.Borders as `_xlwindows.Borders`: a side looked up per call; `set` writes each
    side's colour, weight and line style in that order."""

    def __init__(self, areas: list[FakeRange]):
        self.areas = areas

    def __getitem__(self, side: str) -> _BorderImpl:
        return _BorderImpl(self.areas, side)

    def set(self, which, *, line_style=xlmain._UNSET, weight=xlmain._UNSET,
            color=xlmain._UNSET) -> None:
        for side in which:
            border = self[side]
            if color is not xlmain._UNSET:
                border.color = color
            if weight is not xlmain._UNSET:
                border.weight = weight
            if line_style is not xlmain._UNSET:
                border.line_style = line_style


class _BorderImpl:
    """One side of the range's borders: the cells along that edge carry it. Excel keeps a
    side's line style and weight apart (a continuous line takes its weight); so does this."""

    def __init__(self, areas: list[FakeRange], side: str):
        object.__setattr__(self, "areas", areas)
        object.__setattr__(self, "side", side)

    def __setattr__(self, name: str, value) -> None:
        if self.side not in EDGES:
            raise AttributeError(f"the stand-in draws only edges, not {self.side}")
        if name not in ("color", "weight", "line_style"):
            raise AttributeError(f"Border has no {name}")
        _trip(self.areas, f"border {self.side}.{name} = {value!r}")
        edge = EDGES[self.side]
        for a in self.areas:
            for cell in _edge_cells(a, edge):
                kept = a.sheet.book.edges.setdefault(
                    (a.sheet.name, cell.row, cell.column, edge),
                    {"color": None, "weight": "thin", "line_style": None})
                kept[name] = _argb(value) if name == "color" else value
                style = (None if kept["line_style"] is None else
                         WEIGHTS[kept["weight"]] if kept["line_style"] == "continuous" else
                         LINE_STYLES[kept["line_style"]])
                sides = {e: getattr(cell.border, e) for e in ("left", "right", "top", "bottom")}
                sides[edge] = Side(style=style, color=kept["color"])
                cell.border = Border(**sides)


def _edge_cells(a: FakeRange, edge: str):
    ws = a.sheet.ws
    if edge in ("top", "bottom"):
        r = a.row if edge == "top" else a.last_row
        return [ws.cell(r, c) for c in range(a.column, a.last_column + 1)]
    c = a.column if edge == "left" else a.last_column
    return [ws.cell(r, c) for r in range(a.row, a.last_row + 1)]


class _RangeApi:
    """The native Range object for what xlwings has no property: IndentLevel."""

    def __init__(self, areas: list[FakeRange]):
        object.__setattr__(self, "areas", areas)

    def __setattr__(self, name: str, value) -> None:
        if name != "IndentLevel":
            raise AttributeError(f"Range has no {name} the stand-in knows")
        _align(self.areas, "indent", int(value))


CHART_TYPES = {"bar_clustered": ("bar", "clustered"), "column_clustered": ("col", "clustered"),
               "column_stacked": ("col", "stacked")}


class FakeCharts:
    """sheet.charts: made as openpyxl charts, so a saved copy holds real chart parts."""

    def __init__(self, sheet: FakeSheet):
        self.sheet = sheet

    def __iter__(self):
        return iter([FakeChart(self.sheet, c) for c in self.sheet.ws._charts])

    def __len__(self) -> int:
        return len(self.sheet.ws._charts)

    def add(self, left=0, top=0, width=355, height=211, chart_type=None, source=None,
            plot_by=None, name=None, anchor=None, style=227) -> FakeChart:
        self.sheet.book.trips.count("chart", f"add {name} on {self.sheet.name}")
        if chart_type not in CHART_TYPES:
            raise ValueError(f"chart type {chart_type!r} is not one the stand-in knows")
        kind, grouping = CHART_TYPES[chart_type]
        chart = BarChart(type=kind, grouping=grouping)
        if grouping == "stacked":
            chart.overlap = 100
        ws = self.sheet.ws
        areas = source.areas if isinstance(source, FakeUnion) else [source]
        cats, *series = areas
        for a in series:
            chart.add_data(Reference(ws, min_col=a.column, min_row=a.row, max_row=a.last_row),
                           titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=cats.column, min_row=cats.row + 1,
                                       max_row=cats.last_row))
        where = anchor if anchor is not None else self.sheet.range("A1")
        ws.add_chart(chart, f"{get_column_letter(where.column)}{where.row}")
        self.sheet.book.chart_names[id(chart)] = name or f"Chart {len(ws._charts)}"
        return FakeChart(self.sheet, chart)


class FakeChart:
    def __init__(self, sheet: FakeSheet, chart):
        self.sheet, self.chart = sheet, chart

    @property
    def name(self) -> str:
        self.sheet.book.trips.count("chart", "name")
        return self.sheet.book.chart_names.get(id(self.chart), "Chart")

    @property
    def title(self):
        return self.chart.title

    @title.setter
    def title(self, text: str) -> None:
        self.sheet.book.trips.count("chart", f"title {text}")
        self.chart.title = text

    def delete(self) -> None:
        self.sheet.book.trips.count("chart", "delete")
        self.sheet.ws._charts.remove(self.chart)


@dataclass
class FakeShape:
    sheet: FakeSheet
    type: str  # xlwings' names: "chart", "picture", "auto_shape", ...
    name: str


class _WindowApi:
    """Excel's Window (Windows): frozen panes of the sheet it shows, each property a call.
    SplitRow n with FreezePanes keeps rows 1..n in view."""

    def __init__(self, book: FakeBook):
        object.__setattr__(self, "_book", book)
        object.__setattr__(self, "_split", {"SplitRow": 0, "SplitColumn": 0})

    def __setattr__(self, name: str, value) -> None:
        book = self._book
        book.trips.count("window", f"{name} = {value!r}")
        ws = book.wb.active
        if name in ("SplitRow", "SplitColumn"):
            self._split[name] = int(value)
        elif name == "FreezePanes":
            row, col = self._split["SplitRow"], self._split["SplitColumn"]
            frozen = bool(value) and (row or col)
            ws.freeze_panes = f"{get_column_letter(col + 1)}{row + 1}" if frozen else None
        else:
            raise AttributeError(f"Window has no {name} the stand-in knows")


class FakePageSetup:
    def __init__(self, sheet: FakeSheet):
        self.api = _PageSetupApi(sheet)


MARGINS = ("left", "right", "top", "bottom", "header", "footer")


class _PageSetupApi:
    """Excel's PageSetup object (Windows), each property set one round trip."""

    def __init__(self, sheet: FakeSheet):
        object.__setattr__(self, "_sheet", sheet)

    def __setattr__(self, name: str, value) -> None:
        sheet = self._sheet
        sheet.book.trips.count("page", f"{name} = {value!r}")
        ws = sheet.ws
        if name == "Orientation":
            ws.page_setup.orientation = "landscape" if value == 2 else "portrait"
        elif name == "FitToPagesWide":
            ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
            ws.page_setup.fitToWidth = value
        elif name == "FitToPagesTall":
            ws.page_setup.fitToHeight = 0 if value is False else value
        elif name.endswith("Margin") and name[:-6].lower() in MARGINS:  # points, 72 an inch
            setattr(ws.page_margins, name[:-6].lower(), value / 72)
        elif name == "CenterHorizontally":
            ws.print_options.horizontalCentered = bool(value)
        elif name == "LeftFooter":
            ws.oddFooter.left.text = value
        elif name == "RightFooter":
            ws.oddFooter.right.text = value
        elif name == "FirstPageNumber":  # Excel's xlAutomatic is -4105; a number restarts
            ws.page_setup.useFirstPageNumber = value != -4105
            ws.page_setup.firstPageNumber = value if value != -4105 else None
        elif name == "PrintTitleRows":  # "$8:$8", kept as the sheet's print titles
            ws.print_title_rows = value.replace("$", "")
        elif name != "Zoom":
            raise AttributeError(f"PageSetup has no {name} the stand-in knows")


# --- the VBA project, as Excel's object model shows it (VBProject.VBComponents) ---------------


class FakeComponent:
    def __init__(self, name: str, code: str = ""):
        self.Name = name  # noqa: N815  (the object model's names)
        self.code = code


class FakeComponents:
    """VBComponents: Count, Item(i) (1-based), Remove(component), Import(path).

    Import reads the file as the VBA editor does: the module's name from its
    ``Attribute VB_Name`` line, a class when the file starts with ``VERSION 1.0 CLASS``.
    """

    def __init__(self, names: list[str]):
        self.items = [FakeComponent(n) for n in names]
        self.imported: list[tuple[str, str, bytes]] = []  # (name, kind, file bytes)
        self.removed: list[str] = []

    @property
    def Count(self) -> int:  # noqa: N802
        return len(self.items)

    def Item(self, index: int) -> FakeComponent:  # noqa: N802
        return self.items[index - 1]

    def Remove(self, component: FakeComponent) -> None:  # noqa: N802
        self.items.remove(component)
        self.removed.append(component.Name)

    def Import(self, path: str) -> FakeComponent:  # noqa: N802
        data = Path(path).read_bytes()
        text = data.decode("cp1252")
        name = text.split('Attribute VB_Name = "', 1)[1].split('"', 1)[0]
        kind = "class" if text.startswith("VERSION 1.0 CLASS") else "module"
        if any(c.Name == name for c in self.items):
            name += "1"  # what Excel does with a name already taken
        component = FakeComponent(name, text)
        self.items.append(component)
        self.imported.append((name, kind, data))
        return component


class _BookApi:
    def __init__(self, components: FakeComponents | None):
        self._components = components

    @property
    def VBProject(self):  # noqa: N802
        if self._components is None:
            raise RuntimeError("Programmatic access to Visual Basic Project is not trusted")
        return types.SimpleNamespace(VBComponents=self._components)


class ExcelBook(FakeBook):
    """A book open in desktop Excel with its VBA project (`trusted`: the Trust Center box)."""

    def __init__(self, wb, fullname, trips=None, modules=(), trusted=True):
        super().__init__(wb, fullname, trips)
        self.components = FakeComponents(list(modules)) if trusted else None
        self.api = _BookApi(self.components)
        self.saved = self.closed = 0

    @classmethod
    def open_with(cls, path, modules=(), trusted=True) -> ExcelBook:
        path = Path(path)
        return cls(openpyxl.load_workbook(path, keep_vba=True), str(path), None, modules, trusted)

    def save(self, path=None) -> None:
        self.saved += 1

    def close(self) -> None:
        self.closed += 1
