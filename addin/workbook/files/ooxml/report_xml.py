"""A laid-out report as worksheet XML: every cell with its format, live formulas carrying
Python's figure as their cached value, column widths, and a page set up to print.

The sheet prints landscape, one page wide, with the report's name and page numbers in the
footer; gridlines are off on screen, so the shading and rules of the report do the work.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from addin.sheets.schema import Kind
from addin.workbook.a1 import cell_name, letters
from addin.workbook.files.ooxml.cell_xml import excel_serial, value_cell
from addin.workbook.files.ooxml.report_block import body_rows
from addin.workbook.files.ooxml.xml_text import attr, cell_text, formula_text, needs_preserve
from addin.workbook.layout.report_layout import FIRST_ROW, Layout, LiveFigure
from addin.workbook.layout.report_look import (
    ENTRY,
    PAGE_MARGINS,
    ROW_HEIGHTS,
    WRAP,
    column_widths,
    footer_text,
    print_setup,
    row_heights,
    wrapped,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def sheet_xml(
    layout: Layout,
    title: str,
    styles: dict[str, int],
    *,
    date1904: bool = False,
    drawing_rel: str | None = None,
) -> bytes:
    """The whole worksheet part for `layout` (title in A1, rows from FIRST_ROW)."""
    return "".join(sheet_pieces(layout, title, styles, date1904=date1904,
                                drawing_rel=drawing_rel)).encode("utf-8")


def sheet_pieces(
    layout: Layout,
    title: str,
    styles: dict[str, int],
    *,
    date1904: bool = False,
    drawing_rel: str | None = None,
) -> list[str]:
    """`sheet_xml` as the pieces it is joined from (the part's head, each row, its end),
    so a big report can be deflated piece by piece without the whole XML in memory."""
    role = _roles(layout)
    kinds = _kinds(layout)
    rows = [
        f'<row r="1" ht="{ROW_HEIGHTS["title"]:g}" customHeight="1">'
        f"{value_cell('A1', title, styles['title'], date1904)}</row>"
    ]
    blocks = {p.first_body: p for p in layout.placed if len(p.section.frame)}
    heights = row_heights(layout)
    skip_to = 0
    for i, values in enumerate(layout.rows):
        r = FIRST_ROW + i
        if r < skip_to:
            continue
        if r in blocks:  # a table body: written column by column
            p = blocks[r]
            body = body_rows(p, _body_style(styles, p, wrapped(layout, p)), date1904)
            rows.extend(_tall(body, p.first_body, heights))
            skip_to = p.last_body + 1
            continue
        what = role.get(r, "body")
        cells = []
        for c, v in enumerate(values, 1):
            style = _style(styles, what, kinds.get((r, c), Kind.TEXT), c)
            cells.append(_cell(cell_name(r, c), v, style, date1904))
        height = f' ht="{ROW_HEIGHTS[what]:g}" customHeight="1"' if what == "header" else ""
        rows.append(f'<row r="{r}"{height}>{"".join(x for x in cells if x)}</row>')
    width = max((len(r) for r in layout.rows), default=1)
    last = FIRST_ROW + max(len(layout.rows), 1) - 1
    cols = "".join(
        f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>'
        for c, w in column_widths(layout).items()
    )
    drawing = f'<drawing r:id="{drawing_rel}"/>' if drawing_rel else ""
    page = print_setup(layout)
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="A1:{letters(width)}{last}"/>'
        f'<sheetViews><sheetView showGridLines="0" workbookViewId="0">{_pane(page.frozen_rows)}'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="14"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
    )
    end = (
        "</sheetData>"
        '<printOptions horizontalCentered="1"/>'
        + _margins() +
        f'<pageSetup orientation="{"landscape" if page.landscape else "portrait"}" '
        f'fitToWidth="{page.pages_wide}" fitToHeight="0" useFirstPageNumber="1" '
        f'firstPageNumber="1"/>'
        f"<headerFooter><oddFooter>&amp;L{attr(footer_text(page.footer_left))}"
        f"&amp;R{attr(page.footer_right)}</oddFooter></headerFooter>" + drawing + "</worksheet>"
    )
    rows.insert(0, head)
    rows.append(end)
    return rows


def _margins() -> str:
    return "<pageMargins " + " ".join(f'{side}="{inches:g}"' for side, inches in
                                      PAGE_MARGINS.items()) + "/>"


def _tall(body: list[str], first: int, heights: dict[int, float]) -> list[str]:
    """Body rows with the height their wrapped text needs (`row_heights`)."""
    for r, height in heights.items():
        i = r - first
        if 0 <= i < len(body):
            tag = f'<row r="{r}"'
            body[i] = f'{tag} ht="{height:g}" customHeight="1"' + body[i][len(tag):]
    return body


def _roles(layout: Layout) -> dict[int, str]:
    return {r: what for what, rows in layout.rows_of.items() for r in rows}


def _kinds(layout: Layout) -> dict[tuple[int, int], Kind | str]:
    """(row, column) -> kind for the totals cells and the body cells not written as a block
    (an empty section's one row); entry numbers: ENTRY."""
    out: dict[tuple[int, int], Kind | str] = {}
    for p in layout.placed:
        rows = [*([] if len(p.section.frame) else [p.first_body]), *p.total_rows]
        for header, c in p.columns.items():
            kind: Kind | str = p.section.kind(header)
            if kind == Kind.INT and header.endswith("Entry"):
                kind = ENTRY
            for r in rows:
                out[(r, c)] = kind
    return out


def _body_style(styles: dict[str, int], p, wrap: set[str]):
    """header, kind -> the body style index of that column of section `p`."""

    def style_of(header: str, kind: Kind) -> int:
        if kind == Kind.INT and header.endswith("Entry"):
            return styles[f"body:{ENTRY}"]
        if header in wrap:
            return styles[f"body:{WRAP}"]
        return styles[f"body:{kind.value}"]

    return style_of


def _style(styles: dict[str, int], what: str, kind: Kind | str, col: int) -> int:
    if what == "meta":
        return styles["label"]
    if what in ("body", "total"):
        return styles[f"{what}:{getattr(kind, 'value', kind)}"]
    return styles[what]


def _cell(ref: str, value: object, style: int, date1904: bool) -> str:
    """One cell; the common kinds written directly (a report has hundreds of thousands)."""
    kind = type(value)
    if kind is str:
        space = ' xml:space="preserve"' if needs_preserve(value) else ""
        return (
            f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{cell_text(value)}</t></is></c>'
        )
    if kind is Decimal:
        return f'<c r="{ref}" s="{style}"><v>{value:f}</v></c>'
    if kind is int:
        return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'
    if value is None:
        return f'<c r="{ref}" s="{style}"/>'
    if kind is LiveFigure:
        return _formula_cell(ref, value, style)
    if kind is dt.datetime:
        return f'<c r="{ref}" s="{style}"><v>{excel_serial(value, date1904)!r}</v></c>'
    return value_cell(ref, value, style, date1904) or f'<c r="{ref}" s="{style}"/>'


def _formula_cell(ref: str, live: LiveFigure, style: int) -> str:
    """A formula with Python's figure as its cached value (text "" when blank)."""
    f = f"<f>{formula_text(live.formula)}</f>"
    figure = live.figure
    if figure is None:
        return f'<c r="{ref}" s="{style}" t="str">{f}<v></v></c>'
    if isinstance(figure, Decimal):
        shown = format(figure, "f")
    elif isinstance(figure, float):
        shown = repr(figure)
    else:
        shown = str(int(figure))
    return f'<c r="{ref}" s="{style}">{f}<v>{shown}</v></c>'


def _pane(frozen_rows: int) -> str:
    """Freeze the rows above `frozen_rows + 1` (a one-table report's header) in view."""
    if not frozen_rows:
        return ""
    top = frozen_rows + 1
    return (
        f'<pane ySplit="{top - 1}" topLeftCell="A{top}" activePane="bottomLeft" '
        f'state="frozen"/><selection pane="bottomLeft" activeCell="A{top}" '
        f'sqref="A{top}"/>'
    )
