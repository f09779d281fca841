"""A report sheet's layout: title on row 1, a blank row, then the header and the rows.

Report sheets belong to Loupe and are rewritten whole on every refresh. A new one is a
plain worksheet with columns wide enough for what they hold; an existing one (perhaps
dressed up by the owner, or carrying a chart) keeps its formatting, column widths and
drawings, and only its values change.
"""

from __future__ import annotations

import datetime as dt

MAX_WIDTH = 60
_BAD_NAME_CHARS = set("[]:*?/\\")


def first_row(title: str) -> int:
    """Where the header row goes: row 3 under a title, else row 1."""
    return 3 if title else 1


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


def new_sheet_xml(rows: list[list[object]], title: str) -> bytes:
    """An empty worksheet whose columns fit `rows`; the cells are written afterwards."""
    widths = _widths(rows)
    cols = "".join(
        f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>' for c, w in sorted(widths.items())
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + '<sheetData></sheetData><pageMargins left="0.7" right="0.7" top="0.75" '
        'bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
    ).encode("utf-8")


def report_cells(rows: list[list[object]], title: str) -> dict[int, dict[int, object]]:
    """Row -> column -> value for the whole report, title included."""
    cells: dict[int, dict[int, object]] = {}
    if title:
        cells[1] = {1: title}
    top = first_row(title)
    for i, row in enumerate(rows):
        cells[top + i] = {c: v for c, v in enumerate(row, 1)}
    return cells


def header_names(header: list[object]) -> list[str]:
    """Table column names for a header row: text, non-blank and unique, as Excel needs."""
    names: list[str] = []
    for i, h in enumerate(header, 1):
        base = str(h).strip() if h not in (None, "") else f"Column{i}"
        name, n = base, 2
        while name.casefold() in {x.casefold() for x in names}:
            name, n = f"{base}{n}", n + 1
        names.append(name)
    return names


def _widths(rows: list[list[object]]) -> dict[int, float]:
    widths: dict[int, float] = {}
    for row in rows[:2000]:
        for c, v in enumerate(row, 1):
            widths[c] = max(widths.get(c, 8.0), min(MAX_WIDTH, _shown_length(v) * 1.1 + 2))
    return {c: round(w, 1) for c, w in widths.items()}


def _shown_length(v: object) -> int:
    if v is None:
        return 0
    if isinstance(v, dt.datetime | dt.date):
        return 10
    if isinstance(v, float):
        return len(f"{v:,.2f}")
    return len(str(v))
