"""The text of a sheet's first cells, read from the top of its part without parsing it all.

Before a report sheet is replaced, Loupe checks that A3 and A4 hold the lines it writes
under every report title. A report sheet can hold hundreds of thousands of rows; reading
two cells must not cost a parse of them all. The part is inflated only until its row
`last` has ended. Only text Loupe itself writes is read here (inline strings and formula
strings); a cell in another form (a shared string, after Excel saved the book) answers
None, and the caller reads the sheet the full way.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from addin.workbook.files.ooxml.sheet_xml import split_row

UNREAD = object()  # a cell in a form this reader leaves to the full reader
LOOK_AT_MOST = 1 << 20  # bytes: rows 3 and 4 of a Loupe report come long before this
_ROW = re.compile(rb"<row\b[^>]*?\sr=\"(\d+)\"[^>]*?(?:/>|>.*?</row>)", re.S)
_END = re.compile(rb"</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\b[^>]*/>")
_T = re.compile(rb"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_TYPE = re.compile(rb'\st="([^"]*)"')


def first_column_text(chunks: Iterable[bytes], rows: tuple[int, ...]) -> dict[int, object]:
    """Row number -> the text in column A of each of `rows` (None when blank, UNREAD when
    it is not plain text this reader knows), from the part's bytes in `chunks`."""
    last, seen = max(rows), b""
    for chunk in chunks:
        seen += chunk
        found = {int(m.group(1)): m.group(0) for m in _ROW.finditer(seen)}
        if any(n >= last for n in found) or _END.search(seen):
            return {r: _text_of(found.get(r), r) for r in rows}
        if len(seen) > LOOK_AT_MOST:
            return dict.fromkeys(rows, UNREAD)
    found = {int(m.group(1)): m.group(0) for m in _ROW.finditer(seen)}
    return {r: _text_of(found.get(r), r) for r in rows}


def _text_of(row: bytes | None, number: int) -> object:
    if row is None:
        return None
    cell = split_row(row, number)[1].get(1)
    if cell is None:
        return None
    kind = _TYPE.search(cell.split(b">", 1)[0])
    kind_name = kind.group(1) if kind else b"n"
    if kind_name == b"inlineStr":
        texts = [m.group(1) or b"" for m in _T.finditer(cell)]
        return html.unescape(b"".join(texts).decode("utf-8")) or None
    if kind_name == b"str":
        v = re.search(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", cell, re.S)
        return html.unescape(v.group(1).decode("utf-8")) if v else None
    if b"<v" not in cell and b"<is" not in cell:
        return None  # a styled empty cell
    return UNREAD
