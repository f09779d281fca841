"""Report sheets: which names Excel accepts for them, and the empty sheet a new one starts as.

Report sheets belong to Loupe and are rewritten whole on every refresh from their
`Layout` (see `report_look` for how a sheet is known to be Loupe's). A new one starts as
an empty worksheet added after the last sheet; the adapter then writes the whole layout.
"""

from __future__ import annotations

_BAD_NAME_CHARS = set("[]:*?/\\")


def name_problem(name: str) -> str | None:
    """Why Excel would refuse `name` as a sheet name (None if it is fine)."""
    if not name.strip():
        return "is blank"
    if len(name) > 31:
        return "is longer than 31 characters"
    if _BAD_NAME_CHARS & set(name):
        return "holds one of [ ] : * ? / \\"
    if name.startswith("'") or name.endswith("'"):
        return "starts or ends with an apostrophe"
    if name.casefold() == "history":
        return "is reserved by Excel"
    return None


def new_sheet_xml() -> bytes:
    """An empty worksheet part, for a report sheet about to be written."""
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        b'<sheetFormatPr defaultRowHeight="15"/><sheetData></sheetData><pageMargins left="0.7" '
        b'right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
    )
