"""Finishing the report sheets of a saved book: live formulas, formats, widths and charts.

The Workbook port writes report figures as values. On a saved file (the files adapter),
`finish` then rewrites each report sheet part from its `Layout`: every cell styled for
print (`report_styles`, `report_xml`), every figure Excel can keep current as a formula
whose cached value is Python's own figure, and the charts (`charts`). Only the report
sheets, their drawings and charts, the styles part, the workbook part (to ask Excel to
recalculate on open) and [Content_Types].xml change; every other part is copied byte for
byte, and the file is replaced atomically (the previous version kept as the backup), under
the lock the files adapter already holds for this press.

On the live adapter `finish` does nothing: Excel shows the values the port wrote (see
`charts` for the xlwings calls the live adapter would need for charts and formats).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import BinaryIO

from addin.workbook.files.ooxml import charts
from addin.workbook.files.ooxml.report_styles import report_styles
from addin.workbook.files.ooxml.report_xml import sheet_xml
from addin.workbook.files.ooxml.xlsx_parts import (
    CONTENT_TYPES,
    Package,
    WorkbookMap,
    ask_full_recalc,
    rels_part,
)
from addin.workbook.files.ooxml.xlsx_zip import ZipParts
from addin.workbook.files.safe_save import replace_atomically
from addin.workbook.layout.report_layout import Layout

PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def finish(book, layouts: list[Layout]) -> None:
    """Finish the report sheets if `book` is a saved file (files adapter); else nothing."""
    from addin.workbook.files import FilesBook

    if isinstance(book, FilesBook):
        finish_file(Path(book.path), layouts)


def finish_file(path: Path, layouts: list[Layout]) -> None:
    """Rewrite the report sheets of the saved book at `path` from their layouts."""
    pkg = Package(path)
    try:
        book = WorkbookMap(pkg)
        styles, ids = report_styles(pkg.read(book.styles_part))
        pkg.put(book.styles_part, styles)
        for layout in layouts:
            entry = book.sheet(layout.sheet)
            if entry is None:
                continue
            drawing = _charts(pkg, entry.part, layout)
            pkg.put(
                entry.part,
                sheet_xml(layout, layout.heading, ids, date1904=book.date1904, drawing_rel=drawing),
            )
        ask_full_recalc(pkg, book.workbook_part)
        names = pkg.names()

        def write(out: BinaryIO) -> None:
            pkg.write_to(out)
            pkg.close()

        replace_atomically(path, write, lambda temp: _check(temp, names))
    finally:
        pkg.close()


def _charts(pkg: Package, sheet_part: str, layout: Layout) -> str | None:
    """Write the sheet's drawing and chart parts; the drawing's relationship id, if any."""
    placed = charts.charts_of(layout)
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


def _check(temp: Path, names: list[str]) -> None:
    saved = ZipParts(temp)
    try:
        if saved.names() != names:
            raise OSError("the finished file came out incomplete")
    finally:
        saved.close()
