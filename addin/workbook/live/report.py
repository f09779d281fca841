"""A report layout sent to a book open in Excel: the same sheet the files adapter writes.

`ReportWrite.send` renders a whole `Layout` through xlwings in a fixed number of calls,
whatever the row count: one 2-D write of every value and formula, one number-format call
per format (its column blocks joined into one address, `report_look.format_blocks`), per
look of `report_look.look_blocks` (the title, headers, body columns, totals) the few calls
that set its font, fill, rules and alignment over one joined address, the title and header
rows' heights, one width call per column, gridlines off, the header row frozen in view when
the files adapter freezes it, the page setup (on Windows through Excel's PageSetup object and
window; on macOS the page and panes keep Excel's defaults), and per chart one `charts.add`
that names it, anchors it in the rows kept for it and points its series at the report's own
cells, plus its title.

`ownership_of` reads what decides whether an existing sheet is Loupe's (A3:A4, its
Tables, its shapes); `ClearReport` empties a Loupe sheet before it is written again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from addin.core.errors import Problem
from addin.workbook.a1 import letters
from addin.workbook.layout.report_layout import CHART_ROWS, ROW_MARK, Layout, LiveFigure
from addin.workbook.layout.report_look import (
    CHART_KINDS,
    FONT_NAME,
    PAGE_MARGINS,
    ROW_HEIGHTS,
    SIGNATURE_ROWS,
    Look,
    charts_of,
    column_widths,
    footer_text,
    format_blocks,
    is_loupe_chart,
    look_blocks,
    ownership_problem,
    print_setup,
    row_heights,
)

ROW_POINTS = 15.0  # Excel's default row height
COLUMN_POINTS = 48.0  # a default-width column
XL_LANDSCAPE, XL_PORTRAIT = 2, 1
MAX_ADDRESS = 250  # Excel refuses a range address longer than 255 characters
POINTS_PER_INCH = 72


def grid(layout: Layout, to_excel: Callable[[Any], Any]) -> list[list[Any]]:
    """The sheet from A1 as one block of cells as sent to Excel: the title, a blank row,
    the layout's rows; every live figure (totals, body formula columns) as its formula."""
    rows: list[list[Any]] = [[layout.heading], []] + [list(r) for r in layout.rows]
    width = max((len(r) for r in rows), default=1)
    cells = [[to_excel(v) if not isinstance(v, LiveFigure) else "=" + v.formula for v in r]
             + [None] * (width - len(r)) for r in rows]
    for p in layout.placed:
        n = len(p.section.frame)
        numbers = np.arange(p.first_body, p.first_body + n).astype(str).astype(object)
        for header, template in p.formulas.items():
            parts = template.split(ROW_MARK)
            texts = np.full(n, "=" + parts[0], dtype=object)
            for part in parts[1:]:
                texts = texts + numbers + part
            c = p.columns[header] - 1
            for i, text in enumerate(texts.tolist()):
                cells[p.first_body - 1 + i][c] = text
    return cells


def ownership_of(ws, layout: Layout) -> Problem | None:
    """Why the existing sheet `ws` is not Loupe's to replace (None: it is). Reads A3:A4,
    the Tables and the shapes: a fixed number of calls per report sheet."""
    top, below = SIGNATURE_ROWS
    a3, a4 = ws.range((top, 1), (below, 1)).options(ndim=1).value
    foreign = []
    for shape in ws.shapes:
        if not (shape.type == "chart" and is_loupe_chart(shape.name, layout)):
            foreign.append("a chart" if shape.type == "chart" else
                           "a picture" if shape.type == "picture" else "a shape")
    return ownership_problem(ws.name, a3, a4, foreign, len(ws.tables))


@dataclass(frozen=True)
class ClearReport:
    """Empty a Loupe report sheet: values, formats and Loupe's charts."""

    sheet: str

    def send(self, xw_book) -> None:
        ws = xw_book.sheets[self.sheet]
        ws.clear()
        for chart in list(ws.charts):
            chart.delete()


@dataclass(frozen=True)
class ReportWrite:
    """The whole layout onto its (empty) sheet."""

    sheet: str
    layout: Layout
    cells: list[list[Any]]

    def send(self, xw_book) -> None:
        ws = xw_book.sheets[self.sheet]
        ws.range((1, 1)).value = self.cells
        for code, address in _by_format(self.layout):
            ws.range(address).number_format = code
        for look, address in _by_look(self.layout):
            _dress(ws.range(address), look)
        for height, address in _by_height(self.layout):
            ws.range(address).row_height = height
        for address in _tall_bodies(self.layout):
            ws.range(address).rows.autofit()
        for c, width in column_widths(self.layout).items():
            ws.range((1, c)).column_width = width
        ws.show_gridlines = False  # the shading and rules of the report do the work
        _page(ws, self.layout)
        _freeze(xw_book, ws, print_setup(self.layout).frozen_rows)
        for pc in charts_of(self.layout):
            source = ",".join(
                [_address(pc.placed.header_row, pc.placed.columns[pc.chart.category],
                          pc.placed.last_body)]
                + [_address(pc.placed.header_row, pc.placed.columns[h], pc.placed.last_body)
                   for h in pc.chart.series])
            chart = ws.charts.add(
                width=pc.columns * COLUMN_POINTS, height=CHART_ROWS * ROW_POINTS,
                chart_type=CHART_KINDS.get(pc.chart.kind, "column_clustered"),
                source=ws.range(source), name=pc.name, anchor=ws.range((pc.top_row, 1)))
            chart.title = pc.chart.title


def _address(top: int, column: int, bottom: int) -> str:
    c = letters(column)
    return f"{c}{top}:{c}{bottom}"


def _by_format(layout: Layout) -> list[tuple[str, str]]:
    """(format, address) with the blocks of one format joined ("B8:B20,D8:D20"): a call
    per format, per sheet."""
    return _joined((block.code, block.address) for block in format_blocks(layout))


def _by_look(layout: Layout) -> list[tuple[Look, str]]:
    """(look, address) with the blocks of one look joined: a few calls per look, per sheet."""
    return _joined((block.look, block.address) for block in look_blocks(layout))


def _by_height(layout: Layout) -> list[tuple[float, str]]:
    """(height, address): the title row, and the header rows joined."""
    rows = {"title": [1], "header": layout.rows_of["header"]}
    return _joined((ROW_HEIGHTS[what], f"A{r}") for what, numbers in rows.items()
                   for r in numbers)


def _tall_bodies(layout: Layout) -> list[str]:
    """The body of each section holding wrapped text that needs more than one line
    (`report_look.row_heights`), as one range: Excel fits those rows to their text itself
    (Rows.AutoFit), one call per section however many rows wrap."""
    tall = row_heights(layout)
    return [f"A{p.first_body}:A{p.last_body}" for p in layout.placed
            if any(p.first_body <= r <= p.last_body for r in tall)]


def _joined(pairs) -> list:
    """(key, address) pairs -> (key, addresses joined by commas), each joined address short
    enough for Excel (255 characters)."""
    joined: dict[Any, list[str]] = {}
    for key, address in pairs:
        parts = joined.setdefault(key, [""])
        if parts[-1] and len(parts[-1]) + 1 + len(address) > MAX_ADDRESS:
            parts.append("")
        parts[-1] = f"{parts[-1]},{address}" if parts[-1] else address
    return [(key, address) for key, parts in joined.items() for address in parts]


def _dress(rng, look: Look) -> None:
    """Font, fill, rules and alignment of `look` on a range just cleared: only what differs
    from a cleared cell is sent (the font's size and name always)."""
    font = look.font
    rng.font.set(size=font.size, name=FONT_NAME,
                 **({"bold": True} if font.bold else {}),
                 **({"italic": True} if font.italic else {}),
                 **({"color": "#" + font.color} if font.color else {}))
    if look.fill:
        rng.color = "#" + look.fill
    for side, rule in (("edge_top", look.top), ("edge_bottom", look.bottom)):
        if rule is not None:
            rng.borders.set(side, line_style="continuous" if rule.style == "thin" else "double",
                            color="#" + rule.color,
                            **({"weight": "thin"} if rule.style == "thin" else {}))
    if look.horizontal:
        rng.horizontal_alignment = look.horizontal
    if look.vertical:
        rng.vertical_alignment = look.vertical
    if look.wrap:
        rng.wrap_text = True
    if look.indent:
        try:
            rng.api.IndentLevel = look.indent  # no xlwings property; Excel's own (Windows)
        except AttributeError:
            pass


def _freeze(xw_book, ws, rows: int) -> None:
    """Keep rows 1..`rows` in view (Excel's window freezes panes: on Windows, the sheet made
    active for it and the sheet the user was on made active again)."""
    if not rows:
        return
    was = xw_book.sheets.active
    ws.activate()
    try:
        window = xw_book.app.api.ActiveWindow
        window.FreezePanes = False
        window.SplitColumn = 0
        window.SplitRow = rows
        window.FreezePanes = True
    except AttributeError:  # the engine has no window of this shape (macOS)
        pass
    finally:
        was.activate()


def _page(ws, layout: Layout) -> None:
    """Landscape, one page wide, centred, the report's name and page numbers in the footer
    (Excel's PageSetup, on Windows; other engines keep their default page)."""
    setup = print_setup(layout)
    try:
        page = ws.page_setup.api
        page.Orientation = XL_LANDSCAPE if setup.landscape else XL_PORTRAIT
    except AttributeError:  # the engine has no PageSetup of this shape (macOS)
        return
    for side, inches in PAGE_MARGINS.items():
        setattr(page, side.title() + "Margin", inches * POINTS_PER_INCH)
    page.Zoom = False
    page.FitToPagesWide = setup.pages_wide
    page.FitToPagesTall = False
    page.CenterHorizontally = True
    page.LeftFooter = footer_text(setup.footer_left)
    page.RightFooter = setup.footer_right
    page.FirstPageNumber = 1  # each report numbers its own pages, whatever prints with it
    if setup.title_rows:  # a one-table report's header row on every printed page
        page.PrintTitleRows = setup.title_rows
