"""How a laid-out report looks, decided once for both adapters.

A report sheet is more than its figures: each column has a number format (money as
1,234.56, percentages as 58.4%, dates as 2026-11-20), columns are wide enough for what
they hold (long text wraps, and its rows are tall enough for every line), the page prints
landscape and one page wide with the report's name and page numbers in the footer and a
one-table report's header row repeated on every page, and charted sections carry a native chart
whose series point at the report's own cells. This module says all of that from the
`Layout`; the files adapter writes it as XML parts in its one save, the live adapter
sends it through xlwings in a fixed number of calls per sheet.

It also says which sheets are Loupe's to replace: a report sheet carries the two lines
`lay_out` writes under its title ("As of ..." in A3, "Ledger: ..." in A4), and nothing
but Loupe's own charts. A sheet of that name without them is the owner's, and so is one
carrying a picture, a shape or a table: Loupe leaves such a sheet as it is and says so.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, replace
from decimal import Decimal

from addin.core.errors import Problem
from addin.core.reports import Chart
from addin.sheets.schema import UNIT_COST_FORMAT, Kind
from addin.workbook.a1 import letters
from addin.workbook.layout.report_layout import FIRST_ROW, Layout, LiveFigure, Placed

NUMBER_FORMATS = {
    Kind.TEXT: None,
    Kind.INT: "#,##0",
    Kind.NUMBER: "#,##0.00",
    Kind.MONEY: "#,##0.00",
    Kind.UNIT_COST: UNIT_COST_FORMAT,  # 0.125 shows 0.125, 12.5 shows 12.50
    Kind.PERCENT: "0.0%",
    Kind.DATE: "yyyy-mm-dd",
    Kind.DATETIME: "yyyy-mm-dd hh:mm",
}
ENTRY = "entry"  # a Ledger entry number: a whole number shown without a thousands separator
WRAP = "wrap"  # long text (Cost Explained): wraps onto more lines within its column
MIN_WIDTH, MAX_WIDTH, TEXT_MAX = 7.0, 16.0, 36.0  # longer text wraps within TEXT_MAX
CHART_COLUMNS = 9  # how wide a chart is, in columns
CHART_PREFIX = "Loupe: "  # a chart Loupe made is named "Loupe: <chart title>"
# numbered per report ("of &N" would count the pages of the whole book in LibreOffice)
PAGE_FOOTER_RIGHT = "Page &P"
LINE_HEIGHT = 13.0  # points per line of the reports' 10-point text
ROW_PADDING = 2.0


def format_code(kind: Kind | str) -> str | None:
    """The Excel number format of a report cell of `kind` (None: General)."""
    if kind == ENTRY:
        return "0"
    if kind == WRAP:
        return None
    return NUMBER_FORMATS[Kind(kind)]


def column_kind(p: Placed, header: str) -> Kind | str:
    """A section column's kind as it is shown: entry numbers apart from other whole numbers."""
    kind = p.section.kind(header)
    if kind == Kind.INT and header.endswith("Entry"):
        return ENTRY
    return kind


# --- number formats as blocks ---------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One rectangle of cells (1-based, inclusive)."""

    top: int
    left: int
    bottom: int
    right: int

    @property
    def address(self) -> str:
        return f"{letters(self.left)}{self.top}:{letters(self.right)}{self.bottom}"


@dataclass(frozen=True)
class FormatBlock(Block):
    """A rectangle of cells sharing a number format."""

    code: str


def format_blocks(layout: Layout) -> list[FormatBlock]:
    """The number formats of a report as a few rectangles: per section, each formatted
    column over its body and totals rows. As many blocks as columns, whatever the rows."""
    blocks = []
    for p in layout.placed:
        bottom = max([p.last_body, *p.total_rows])
        for header, c in p.columns.items():
            code = format_code(column_kind(p, header))
            if code is not None:
                blocks.append(FormatBlock(p.first_body, c, bottom, c, code))
    return blocks


# --- column widths ---------------------------------------------------------------------------


def column_widths(layout: Layout) -> dict[int, float]:
    """Widths that fit headers and figures (titles and notes may run across)."""
    widths: dict[int, float] = {1: 12.0}
    for p in layout.placed:
        for header, c in p.columns.items():
            kind = p.section.kind(header)
            longest = _longest(layout, p, c, kind)
            cap = TEXT_MAX if kind == Kind.TEXT else MAX_WIDTH
            want = max(MIN_WIDTH, min(cap, longest + 2), _header_width(header))
            widths[c] = round(max(widths.get(c, 0), want), 1)
    return dict(sorted(widths.items()))


def wrapped(layout: Layout, p: Placed) -> set[str]:
    """Text columns of section `p` too long for TEXT_MAX: they wrap onto more lines."""
    return {
        h
        for h, c in p.columns.items()
        if p.section.kind(h) == Kind.TEXT and _longest(layout, p, c, Kind.TEXT) + 2 > TEXT_MAX
    }


def row_heights(layout: Layout) -> dict[int, float]:
    """Row -> height in points for the body rows whose wrapped text needs more than one line
    (other rows keep the sheet's default height). Without it the extra lines of a wrapped
    cell print over the rows below it."""
    widths = column_widths(layout)
    heights: dict[int, float] = {}
    for p in layout.placed:
        if not len(p.section.frame):
            continue
        for header in wrapped(layout, p):
            lines = _lines(p.section.frame[header], widths[p.columns[header]])
            for offset in lines.to_numpy().nonzero()[0]:
                row = p.first_body + int(offset)
                height = LINE_HEIGHT * int(lines.iloc[offset]) + ROW_PADDING
                heights[row] = max(heights.get(row, 0.0), height)
    return heights


def _lines(text, width: float):
    """How many lines each cell of a text column takes at `width` (0 for one line)."""
    text = text.fillna("").astype(str)
    chars = max(int(width) - 1, 8)  # a character of 10-point text is narrower than a width unit
    long = text.str.len() > chars
    count = text[long].map(lambda t: len(textwrap.wrap(t, chars)) or 1)
    return count.reindex(text.index, fill_value=0).where(lambda n: n > 1, 0)


def _header_width(header: str) -> float:
    """Headers wrap onto two lines: wide enough for the longer half."""
    words = header.split()
    if len(words) < 2:
        return len(header) + 3
    best = min(
        max(len(" ".join(words[:i])), len(" ".join(words[i:]))) for i in range(1, len(words))
    )
    return best + 3


def _longest(layout: Layout, p: Placed, c: int, kind: Kind) -> int:
    longest = 0
    rows = range(p.first_body - FIRST_ROW, p.last_body - FIRST_ROW + 1)
    for i in [*rows[:3000], *(t - FIRST_ROW for t in p.total_rows)]:
        v = layout.rows[i][c - 1] if c - 1 < len(layout.rows[i]) else None
        if isinstance(v, LiveFigure):
            v = v.figure
        longest = max(longest, _shown(v, kind))
    return longest


def _shown(v: object, kind: Kind) -> int:
    if v is None:
        return 0
    if isinstance(v, dt.date):
        return 10
    if kind in (Kind.MONEY, Kind.NUMBER) and isinstance(v, Decimal | float | int):
        return len(f"{float(v):,.2f}")
    if kind == Kind.UNIT_COST and isinstance(v, Decimal | float | int):
        return len(f"{float(v):,.4f}")
    if kind == Kind.INT and isinstance(v, int | float):
        return len(f"{int(v):,}")
    if kind == Kind.PERCENT:
        return 7
    return len(str(v))


# --- the printed page ------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintSetup:
    """How a report sheet prints: landscape, one page wide, centred, named in the footer,
    its pages numbered from 1 (printing the whole book, each report still starts at 1), and
    a one-table report's header row printed again at the top of every page."""

    footer_left: str  # the report's name, as typed (adapters escape '&' for the footer)
    footer_right: str = PAGE_FOOTER_RIGHT
    landscape: bool = True
    pages_wide: int = 1
    frozen_rows: int = 0  # rows kept in view while scrolling (a one-table report's header)
    title_row: int = 0  # the row repeated at the top of every printed page (0: none)

    @property
    def title_rows(self) -> str:
        """The print titles as Excel names them ("$8:$8"), or "" when none."""
        return f"${self.title_row}:${self.title_row}" if self.title_row else ""


def print_setup(layout: Layout) -> PrintSetup:
    """A one-table report keeps its header row in view and on every page. (Excel repeats one
    band of rows per sheet, so a report of several tables repeats none.)"""
    header = layout.placed[0].header_row if len(layout.placed) == 1 else 0
    return PrintSetup(footer_left=layout.sheet, frozen_rows=header, title_row=header)


def input_sheet_setup(sheet: str) -> PrintSetup:
    """How a data sheet of the template prints (Receiving, Sales, Items, ...): like a report,
    landscape and one page wide, its header row (row 1) on every page."""
    return PrintSetup(footer_left=sheet, frozen_rows=1, title_row=1)


def footer_text(text: str) -> str:
    """Text as a header/footer shows it: '&' starts a code there, '&&' is an ampersand."""
    return text.replace("&", "&&")


# --- charts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacedChart:
    """A chart and where it sits: the section it draws and the rows kept for it."""

    chart: Chart
    placed: Placed

    @property
    def name(self) -> str:
        return CHART_PREFIX + self.chart.title

    @property
    def top_row(self) -> int:
        return self.placed.chart_row

    @property
    def columns(self) -> int:
        return max(CHART_COLUMNS, len(self.placed.columns))

    def categories(self, sheet: str) -> str:
        """The category labels: the section's body cells of the chart's category column."""
        return column_ref(sheet, self.placed, self.chart.category)

    def series(self, sheet: str) -> list[tuple[str, str]]:
        """(name cell, values range) of each series, as absolute references."""
        p = self.placed
        return [
            (f"{quoted(sheet)}!${letters(p.columns[h])}${p.header_row}", column_ref(sheet, p, h))
            for h in self.chart.series
        ]


CHART_KINDS = {"bar": "bar_clustered", "stacked": "column_stacked"}  # else column_clustered


def charts_of(layout: Layout) -> list[PlacedChart]:
    """The charts a laid-out report carries (sections with a chart and rows)."""
    return [
        PlacedChart(p.section.chart, p)
        for p in layout.placed
        if p.section.chart is not None and p.chart_row
    ]


def quoted(sheet: str) -> str:
    """A sheet name as a formula reference needs it: 'Turn & GMROI'."""
    return "'" + sheet.replace("'", "''") + "'"


def column_ref(sheet: str, p: Placed, header: str) -> str:
    col = letters(p.columns[header])
    return f"{quoted(sheet)}!${col}${p.first_body}:${col}${p.last_body}"


def is_loupe_chart(name: str, layout: Layout) -> bool:
    """A chart Loupe made: named "Loupe: ...", or (books refreshed before charts were
    named so) named as one of this report's chart titles."""
    return name.startswith(CHART_PREFIX) or name in {c.chart.title for c in charts_of(layout)}


# --- whose sheet is it -----------------------------------------------------------------------

SIGNATURE_ROWS = (FIRST_ROW, FIRST_ROW + 1)  # "As of ...", "Ledger: ..." under the title


def has_signature(as_of_line: object, ledger_line: object) -> bool:
    """Whether A3 and A4 hold the lines Loupe writes under every report title."""
    return (isinstance(as_of_line, str) and as_of_line.startswith("As of ")
            and isinstance(ledger_line, str) and ledger_line.startswith("Ledger: "))


def not_loupes(sheet: str, why: str) -> Problem:
    """The problem when a sheet named like a report is not (wholly) Loupe's."""
    return Problem(
        sheet, None, None,
        f"{why}, so Loupe left the sheet as it is and did not write the {sheet} report",
        "rename that sheet, or move what you added to a sheet of your own, and refresh again",
    )


def ownership_problem(sheet: str, a3: object, a4: object, foreign: list[str],
                      tables: int) -> Problem | None:
    """Why the existing sheet named like a report is not Loupe's to replace (None: it is)."""
    if not has_signature(a3, a4):
        return not_loupes(sheet, 'this sheet is not one Loupe made (A3 and A4 do not hold '
                                 'its "As of" and "Ledger" lines)')
    if tables:
        return not_loupes(sheet, "it holds an Excel Table Loupe did not put there")
    if foreign:
        return not_loupes(sheet, f"it carries {', '.join(sorted(set(foreign)))} Loupe did not "
                                 "put there")
    return None


# --- the look of each row: fonts, fills, rules, alignment --------------------------------------

NAVY = "1F3864"
FONT_NAME = "Calibri"


@dataclass(frozen=True)
class Font:
    size: float = 10
    bold: bool = False
    italic: bool = False
    color: str = ""  # RRGGBB; "" = Excel's automatic colour


@dataclass(frozen=True)
class Rule:
    """A line along one edge of a cell."""

    style: str  # "thin" or "double"
    color: str  # RRGGBB


@dataclass(frozen=True)
class Look:
    """How one kind of report cell looks (besides its number format)."""

    font: Font
    fill: str = ""  # RRGGBB of a solid fill; "" = none
    top: Rule | None = None
    bottom: Rule | None = None
    horizontal: str = ""  # "left" or "center"; "" = Excel's general alignment
    vertical: str = ""  # "top" or "center"; "" = Excel's default (bottom)
    wrap: bool = False
    indent: int = 0


# The title stands out, the header row is shaded, totals sit on a tinted band between a rule
# and a double rule; figures and text start at the top of their cell, text kept clear of the
# figure beside it (and wrapped where it is long).
LOOKS = {
    "title": Look(Font(16, bold=True, color=NAVY)),
    "section": Look(Font(12, bold=True, color=NAVY)),
    "note": Look(Font(9, italic=True, color="595959")),
    "label": Look(Font(10, bold=True)),
    "header": Look(Font(10, bold=True, color="FFFFFF"), fill=NAVY, horizontal="center",
                   vertical="center", wrap=True),
    "body": Look(Font(10), vertical="top"),
    "total": Look(Font(10, bold=True), fill="DDE3EE", top=Rule("thin", NAVY),
                  bottom=Rule("double", NAVY)),
}
ROW_HEIGHTS = {"title": 24.0, "header": 30.0}  # points; other rows keep the sheet's height


def cell_look(role: str, kind: Kind | str = Kind.TEXT) -> Look:
    """The look of a cell of `role` ("title", "header", "body", "total", ...) holding `kind`:
    body and totals text sits left, indented, at the top (wrapped when WRAP)."""
    look = LOOKS[role]
    if role in ("body", "total") and kind in (Kind.TEXT, WRAP):
        return replace(look, horizontal="left", vertical="top", wrap=kind == WRAP, indent=1)
    return look


@dataclass(frozen=True)
class LookBlock(Block):
    """A rectangle of cells sharing a look."""

    look: Look


def look_blocks(layout: Layout) -> list[LookBlock]:
    """Every styled cell of a report as a few rectangles: the title, each heading row over its
    cells, each body column over its rows, each totals row. As many whatever the rows."""
    blocks = [LookBlock(1, 1, 1, 1, cell_look("title"))]
    roles = {"meta": "label", "note": "note", "section": "section", "header": "header"}
    for what, role in roles.items():
        for r in layout.rows_of[what]:
            width = len(layout.rows[r - FIRST_ROW])
            if width:
                blocks.append(LookBlock(r, 1, r, width, cell_look(role)))
    for p in layout.placed:
        long = wrapped(layout, p)
        kinds = {h: WRAP if h in long else column_kind(p, h) for h in p.columns}
        if len(p.section.frame):
            blocks += [LookBlock(p.first_body, c, p.last_body, c, cell_look("body", kinds[h]))
                       for h, c in p.columns.items()]
        else:  # the one row saying there is nothing, in its first column
            first = next(iter(p.columns), "")
            blocks.append(LookBlock(p.first_body, 1, p.first_body, 1,
                                    cell_look("body", column_kind(p, first) if first else
                                              Kind.TEXT)))
        for r in p.total_rows:
            blocks += [LookBlock(r, c, r, c, cell_look("total", column_kind(p, h)))
                       for h, c in p.columns.items()]
    return blocks

# inches around the printed page (header and footer: from the paper's edge)
PAGE_MARGINS = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.6, "header": 0.3,
                "footer": 0.3}
