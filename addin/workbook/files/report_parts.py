"""A report layout as the parts of a saved book: sheet, styles, drawing and charts.

`put_report` writes a `Layout` into the package the files adapter holds for this press:
the report sheet part from the layout (every cell styled for print by `report_styles`
and `report_xml`, every figure Excel can keep current as a formula whose cached value is
Python's own figure), its print titles (a name in the workbook part), its drawing and
chart parts (`charts`), the styles part, and a request that Excel recalculate on open.
The adapter's one save writes them with everything else the press changed.

`foreign_objects` says what on an existing report sheet is not Loupe's (a picture, a
shape, an owner's chart): the adapter then leaves the sheet alone.
"""

from __future__ import annotations

import posixpath
import re

from addin.workbook.files.ooxml import charts
from addin.workbook.files.ooxml.defined_names import PRINT_TITLES, set_name, sheet_ref
from addin.workbook.files.ooxml.report_styles import report_styles
from addin.workbook.files.ooxml.report_xml import sheet_pieces
from addin.workbook.files.ooxml.xlsx_parts import (
    CONTENT_TYPES,
    Package,
    SheetEntry,
    WorkbookMap,
    ask_full_recalc,
    relationships,
    rels_part,
)
from addin.workbook.files.ooxml.xlsx_zip import Packed
from addin.workbook.layout.report_layout import Layout
from addin.workbook.layout.report_look import charts_of, is_loupe_chart, print_setup

PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_ANCHOR = re.compile(r"<xdr:(twoCellAnchor|oneCellAnchor|absoluteAnchor)\b.*?</xdr:\1>", re.S)
_OBJECT = re.compile(r"<xdr:(pic|sp|grpSp|graphicFrame|cxnSp|contentPart)\b")
_NAME = re.compile(r'<xdr:cNvPr\b[^>]*\bname="([^"]*)"')
WHAT = {"pic": "a picture", "sp": "a shape", "grpSp": "a group of shapes",
        "cxnSp": "a connector", "contentPart": "an ink drawing", "graphicFrame": "a chart"}


def put_report(pkg: Package, book: WorkbookMap, entry: SheetEntry, layout: Layout) -> None:
    """Write `layout` over the report sheet `entry` (it exists), with styles and charts."""
    styles, ids = report_styles(pkg.read(book.styles_part))
    pkg.put(book.styles_part, styles)
    drawing = _charts(pkg, entry.part, layout)
    pkg.put(  # deflated now: ten report sheets of a big book wait for the save
        entry.part,
        Packed.of_pieces(sheet_pieces(layout, layout.heading, ids, date1904=book.date1904,
                                      drawing_rel=drawing)),
    )
    titles = print_setup(layout).title_rows
    at = [s.part for s in book.sheets].index(entry.part)
    set_name(pkg, book.workbook_part, PRINT_TITLES,
             sheet_ref(entry.name, titles) if titles else None, at)
    ask_full_recalc(pkg, book.workbook_part)


def foreign_objects(pkg: Package, sheet_part: str, layout: Layout) -> list[str]:
    """What the sheet's drawings hold that Loupe did not put there ("a picture", ...)."""
    found = []
    for rel in relationships(pkg, sheet_part):
        if not rel.type.endswith("/drawing") or not pkg.has(rel.target):
            continue
        xml = pkg.read(rel.target).decode("utf-8", "replace")
        for anchor in _ANCHOR.finditer(xml):
            kind = _OBJECT.search(anchor.group(0))
            name = _NAME.search(anchor.group(0))
            what = kind.group(1) if kind else "sp"
            if what == "graphicFrame" and name and is_loupe_chart(name.group(1), layout):
                continue
            found.append(WHAT[what])
    return found


def _charts(pkg: Package, sheet_part: str, layout: Layout) -> str | None:
    """Write the sheet's drawing and chart parts; the drawing's relationship id, if any."""
    placed = charts_of(layout)
    if not placed:
        return None
    base = posixpath.splitext(posixpath.basename(sheet_part))[0]
    drawing = f"xl/drawings/loupe_{base}.xml"
    chart_parts = [f"xl/charts/loupe_{base}_{n}.xml" for n in range(1, len(placed) + 1)]
    for part, pc in zip(chart_parts, placed, strict=True):
        pkg.put(part, charts.chart_xml(layout.sheet, pc))
        _override(pkg, part, charts.CHART_TYPE)
    pkg.put(drawing, charts.drawing_xml(placed))
    pkg.put(
        rels_part(drawing),
        charts.drawing_rels(
            [posixpath.relpath(p, posixpath.dirname(drawing)) for p in chart_parts]
        ),
    )
    _override(pkg, drawing, charts.DRAWING_TYPE)
    return _sheet_drawing_rel(pkg, sheet_part, drawing)


def _sheet_drawing_rel(pkg: Package, sheet_part: str, drawing: str) -> str:
    """Point the sheet at its drawing (rIdLoupeDrawing), keeping its other relationships."""
    name = rels_part(sheet_part)
    kept = ""
    if pkg.has(name):
        old = pkg.read(name).decode("utf-8")
        rels = re.findall(r"<Relationship\b[^>]*/>", old)
        kept = "".join(r for r in rels if '/drawing"' not in r)  # one drawing: Loupe's
    target = posixpath.relpath(drawing, posixpath.dirname(sheet_part))
    mine = f'<Relationship Id="rIdLoupeDrawing" Type="{charts.DRAWING_REL}" Target="{target}"/>'
    pkg.put(
        name,
        (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PKG_RELS}">{kept}{mine}</Relationships>'
        ).encode(),
    )
    return "rIdLoupeDrawing"


def _override(pkg: Package, part: str, content_type: str) -> None:
    xml = pkg.read(CONTENT_TYPES).decode("utf-8")
    if f'PartName="/{part}"' in xml:
        return
    element = f'<Override PartName="/{part}" ContentType="{content_type}"/>'
    at = xml.rindex("</Types>")
    pkg.put(CONTENT_TYPES, (xml[:at] + element + xml[at:]).encode("utf-8"))
