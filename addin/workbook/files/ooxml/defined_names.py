"""Defined names in the workbook part: set one, keeping every other name as Excel wrote it.

Excel keeps a sheet's print titles (the rows printed again at the top of every page) as the
name ``_xlnm.Print_Titles`` scoped to that sheet (``localSheetId``: the sheet's position in
the workbook, from 0). `set_name` replaces a name of the same scope or adds it, editing the
text of ``<definedNames>`` only, so the rest of the part stays byte for byte.
"""

from __future__ import annotations

import re

from addin.workbook.files.ooxml.xlsx_parts import Package
from addin.workbook.files.ooxml.xml_text import attr

PRINT_TITLES = "_xlnm.Print_Titles"
# elements that follow <definedNames> in a workbook part (ISO 29500 order)
_AFTER = ("calcPr", "oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr",
          "smartTagTypes", "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst")


def sheet_ref(sheet: str, ref: str) -> str:
    """`ref` on `sheet` as a name's formula: 'Sale Lines'!$8:$8."""
    return "'" + sheet.replace("'", "''") + "'!" + ref


def set_name(pkg: Package, workbook_part: str, name: str, formula: str | None,
             sheet_index: int | None = None) -> None:
    """Give `name` (scoped to sheet number `sheet_index`, or the workbook) the formula
    `formula`; None removes it."""
    xml = pkg.read(workbook_part).decode("utf-8")
    scope = "" if sheet_index is None else f' localSheetId="{sheet_index}"'
    mine = re.compile(
        r"<((?:\w+:)?)definedName\b(?=[^>]*\bname=\"" + re.escape(attr(name)) + r"\")"
        r"([^>]*)>.*?</\1definedName>", re.S)

    def same_scope(m: re.Match) -> bool:
        found = re.search(r'\blocalSheetId="(\d+)"', m.group(2))
        return (found.group(1) if found else None) == (
            None if sheet_index is None else str(sheet_index))

    for m in reversed(list(mine.finditer(xml))):
        if same_scope(m):
            xml = xml[: m.start()] + xml[m.end():]
    if formula is not None:
        prefix = _prefix(xml)
        element = (f'<{prefix}definedName name="{attr(name)}"{scope}>{attr(formula)}'
                   f"</{prefix}definedName>")
        xml = _insert(xml, element, prefix)
    pkg.put(workbook_part, xml.encode("utf-8"))


def _prefix(xml: str) -> str:
    m = re.search(r"<(\w+:)?workbook\b", xml)
    return (m.group(1) or "") if m else ""


def _insert(xml: str, element: str, prefix: str) -> str:
    close = re.search(r"</(?:\w+:)?definedNames\s*>", xml)
    if close:
        return xml[: close.start()] + element + xml[close.start():]
    empty = re.search(r"<(?:\w+:)?definedNames\s*/>", xml)
    block = f"<{prefix}definedNames>{element}</{prefix}definedNames>"
    if empty:
        return xml[: empty.start()] + block + xml[empty.end():]
    later = [m.start() for tag in _AFTER if (m := re.search(rf"<(?:\w+:)?{tag}\b", xml))]
    end = re.search(r"</(?:\w+:)?workbook\s*>", xml)
    at = min(later) if later else (end.start() if end else len(xml))
    return xml[:at] + block + xml[at:]
