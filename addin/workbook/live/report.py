"""A report layout sent to a book open in Excel: the same sheet the files adapter writes.

`ReportWrite.send` renders a whole `Layout` through xlwings in a fixed number of calls,
whatever the row count: one 2-D write of every value and formula, one number-format call
per format (its column blocks joined into one address, `report_look.format_blocks`), one
width call per column, the page setup (on Windows through Excel's PageSetup object; on macOS the
page keeps Excel's defaults), and per chart one `charts.add` that names it, anchors it in
the rows kept for it and points its series at the report's own cells, plus its title.

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
    SIGNATURE_ROWS,
    charts_of,
    column_widths,
    footer_text,
    format_blocks,
    is_loupe_chart,
    ownership_problem,
    print_setup,
)

ROW_POINTS = 15.0  # Excel's default row height
COLUMN_POINTS = 48.0  # a default-width column
XL_LANDSCAPE, XL_PORTRAIT = 2, 1
MAX_ADDRESS = 250  # Excel refuses a range address longer than 255 characters


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
        for c, width in column_widths(self.layout).items():
            ws.range((1, c)).column_width = width
        _page(ws, self.layout)
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
    """(format, address) with the blocks of one format joined ("B8:B20,D8:D20"), in
    addresses short enough for Excel (255 characters): a call per format, per sheet."""
    joined: dict[str, list[str]] = {}
    for block in format_blocks(layout):
        parts = joined.setdefault(block.code, [""])
        address = block.address
        if parts[-1] and len(parts[-1]) + 1 + len(address) > MAX_ADDRESS:
            parts.append("")
        parts[-1] = f"{parts[-1]},{address}" if parts[-1] else address
    return [(code, address) for code, parts in joined.items() for address in parts]


def _page(ws, layout: Layout) -> None:
    """Landscape, one page wide, centred, the report's name and page numbers in the footer
    (Excel's PageSetup, on Windows; other engines keep their default page)."""
    setup = print_setup(layout)
    try:
        page = ws.page_setup.api
        page.Orientation = XL_LANDSCAPE if setup.landscape else XL_PORTRAIT
    except AttributeError:  # the engine has no PageSetup of this shape (macOS)
        return
    page.Zoom = False
    page.FitToPagesWide = setup.pages_wide
    page.FitToPagesTall = False
    page.CenterHorizontally = True
    page.LeftFooter = footer_text(setup.footer_left)
    page.RightFooter = setup.footer_right
    page.FirstPageNumber = 1  # each report numbers its own pages, whatever prints with it
