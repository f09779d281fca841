"""A worksheet part edited in place: rows found by number, cells laid over, rows spliced in.

A sheet part can be tens of megabytes (a 100,000-row Ledger), so it is never parsed into
a tree. Rows are found by their start tags, scanning back from the end of <sheetData>
(appends touch only the tail); a changed row is rebuilt from its cells, every other byte
of the part is kept as it was. Rows stay in ascending order and cells in column order,
as Excel requires.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from addin.workbook.a1 import Area, letters, number

_SHEET_DATA = re.compile(rb"<sheetData\b[^>]*?(/?)>")
_ROW_START = re.compile(rb"<row\b[^>]*?(/?)>")
_R_NUMBER = re.compile(rb'\sr="(\d+)"')
_CELL = re.compile(rb"<c\b[^>]*?(?:/>|>.*?</c>)", re.S)
_CELL_REF = re.compile(rb'\sr="([A-Za-z]{1,3})(\d+)"')
_STYLE = re.compile(rb'\ss="(\d+)"')
_SPANS = re.compile(rb'\sspans="[^"]*"')
_CONTENT = re.compile(rb"<(?:v|is|f)\b")
_FORMULA = re.compile(rb"<f\b([^>]*?)(?:/>|>(.*?)</f>)", re.S)
_SHARED_ID = re.compile(rb'\ssi="(\d+)"')
_A1_REF = re.compile(r"(?<![A-Za-z0-9_.\[])\$?[A-Za-z]{1,3}\$?\d+(?![A-Za-z0-9_(\]])")
_DIMENSION = re.compile(rb'(<dimension\b[^>]*?\sref=")([^"]*)(")')
_DIMENSION_ELEMENT = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?(?:/>|>\s*</(?:\w+:)?dimension>)")
_COL = re.compile(rb"<col\b[^>]*?/?>")
_SQREF_ATTR = re.compile(rb'(<(?:dataValidation|conditionalFormatting)\b[^>]*?\ssqref=")([^"]*)(")')
_SQREF_ELEMENT = re.compile(rb"(<xm:sqref>)([^<]*)(</xm:sqref>)")


class NotASheet(Exception):
    """The part is not a worksheet Loupe can edit."""


@dataclass(frozen=True)
class RowSpan:
    number: int
    start: int  # offset of "<row"
    end: int  # offset just past the row (and any whitespace before the next one)


class SheetXml:
    """One worksheet part's bytes, with row lookups and edits that keep the rest intact."""

    def __init__(self, xml: bytes):
        m = _SHEET_DATA.search(xml)
        if m is None:
            raise NotASheet("no <sheetData> element")
        if m.group(1):  # <sheetData/>: open it up so rows can go in
            xml = xml[: m.start()] + b"<sheetData></sheetData>" + xml[m.end() :]
            m = _SHEET_DATA.search(xml)
            assert m is not None
        self.xml = xml
        self.data_start = m.end()
        self.data_end = xml.find(b"</sheetData>", self.data_start)
        if self.data_end < 0:
            raise NotASheet("<sheetData> is not closed")

    def rows_from(self, first: int) -> list[RowSpan]:
        """The rows numbered `first` or more, in order (scanning back from the end)."""
        spans = list(itertools.takewhile(lambda s: s.number >= first, self.rows_backward()))
        spans.reverse()
        return spans

    def rows_backward(self) -> Iterator[RowSpan]:
        """Rows from the last up, read lazily: an append looks at the last few only."""
        end, next_start = self.data_end, self.data_end
        while True:
            at = self.xml.rfind(b"<row", self.data_start, end)
            if at < 0:
                return
            end = at
            tag = _ROW_START.match(self.xml, at)
            if tag is None:  # "<rowsomething": not a row start tag
                continue
            r = _R_NUMBER.search(tag.group(0))
            if r is None:  # rows without numbers: count them from the top instead
                done = [s for s in self._all_rows() if s.start < next_start]
                yield from reversed(done)
                return
            yield RowSpan(int(r.group(1)), at, next_start)
            next_start = at

    def cells_of(self, span: RowSpan) -> dict[int, bytes]:
        return split_row(self.xml[span.start : span.end], span.number)[1]

    def column_styles(self) -> dict[int, int]:
        """Column number -> the style a column's <col> element gives its empty cells."""
        cols = self.xml[: self.data_start]
        out: dict[int, int] = {}
        for m in _COL.finditer(cols):
            attrs = dict(re.findall(rb'(\w+)="([^"]*)"', m.group(0)))
            if b"style" in attrs and b"min" in attrs:
                for c in range(int(attrs[b"min"]), int(attrs.get(b"max", attrs[b"min"])) + 1):
                    out[c] = int(attrs[b"style"])
        return out

    def with_rows(self, changes: dict[int, bytes | None]) -> SheetXml:
        """A copy with rows replaced (bytes), removed (None) or inserted, by row number."""
        if not changes:
            return self
        spans = self.rows_from(min(changes))
        cut = spans[0].start if spans else self.data_end
        kept = {s.number: self.xml[s.start : s.end] for s in spans}
        merged = {**kept, **changes}
        body = b"".join(merged[n] or b"" for n in sorted(merged))
        return self._spliced(cut, self.data_end, body)

    def with_dimension(self, area: Area) -> SheetXml:
        """A copy whose <dimension> covers `area` too (it never shrinks)."""
        m = _DIMENSION.search(self.xml, 0, self.data_start)
        if m is None:
            return self
        try:
            grown = Area.parse(m.group(2).decode()).union(area)
        except ValueError:
            grown = area
        return self._spliced(m.start(2), m.end(2), str(grown).encode())

    def without_dimension(self) -> SheetXml:
        """A copy with no <dimension> element (it is optional; readers work it out), so a
        part that grows at its end alone keeps the bytes before its rows as they were."""
        m = _DIMENSION_ELEMENT.search(self.xml, 0, self.data_start)
        return self if m is None else self._spliced(m.start(), m.end(), b"")

    def last_row(self) -> RowSpan | None:
        """The last row element, or None when the sheet has none."""
        return next(self.rows_backward(), None)

    def with_grown_ranges(
        self, columns: tuple[int, int], old_last: int, new_last: int, first_body: int
    ) -> SheetXml:
        """Data validations and conditional formats that ended on the table's last row
        follow it down, as they do when a table grows in Excel."""
        if new_last <= old_last:
            return self
        tail = self.xml[self.data_end :]

        def grow(m: re.Match) -> bytes:
            refs = [
                _grow_ref(r, columns, old_last, new_last, first_body)
                for r in m.group(2).decode().split()
            ]
            return m.group(1) + " ".join(refs).encode() + m.group(3)

        grown = _SQREF_ELEMENT.sub(grow, _SQREF_ATTR.sub(grow, tail))
        return self if grown == tail else self._spliced(self.data_end, len(self.xml), grown)

    def _spliced(self, start: int, end: int, new: bytes) -> SheetXml:
        """A copy with bytes start..end replaced by `new`, made in one copy (a Ledger's part
        is tens of MB) and without searching the result for <sheetData> again."""
        view = memoryview(self.xml)
        copy = object.__new__(SheetXml)
        copy.xml = b"".join((view[:start], new, view[end:]))
        shift = len(new) - (end - start)
        copy.data_start = self.data_start + (shift if self.data_start > start else 0)
        copy.data_end = self.data_end + (shift if self.data_end >= end else 0)
        return copy

    def _all_rows(self) -> list[RowSpan]:
        starts = list(_ROW_START.finditer(self.xml, self.data_start, self.data_end))
        spans, previous = [], 0
        for i, m in enumerate(starts):
            r = _R_NUMBER.search(m.group(0))
            previous = int(r.group(1)) if r else previous + 1
            end = starts[i + 1].start() if i + 1 < len(starts) else self.data_end
            spans.append(RowSpan(previous, m.start(), end))
        return spans


def split_row(row_xml: bytes, number: int) -> tuple[bytes, dict[int, bytes]]:
    """A row element -> (its start tag, always with r= and without spans=; column -> <c>)."""
    tag = _ROW_START.match(row_xml)
    if tag is None:
        raise NotASheet(f"row {number} is not a <row> element")
    head = _SPANS.sub(b"", tag.group(0)).rstrip(b"/>").rstrip() + b">"
    if _R_NUMBER.search(head) is None:
        head = head[:4] + f' r="{number}"'.encode() + head[4:]
    cells: dict[int, bytes] = {}
    if tag.group(1):
        return head, cells
    col = 0
    for m in _CELL.finditer(row_xml, tag.end()):
        ref = _CELL_REF.search(m.group(0).split(b">", 1)[0])
        cell = m.group(0)
        if ref is not None:
            col = number_of(ref.group(1))
        else:
            col += 1
            cell = cell[:2] + f' r="{letters(col)}{number}"'.encode() + cell[2:]
        cells[col] = cell
    return head, cells


def cell_style(cell: bytes | None) -> int | None:
    if not cell:
        return None
    m = _STYLE.search(cell.split(b">", 1)[0])
    return int(m.group(1)) if m else None


def formula_of(cell: bytes, shared: dict[str, str]) -> str | None:
    """A cell's formula as stored (no '='), or None. A shared formula's master is noted in
    `shared` so the cells sharing it get its text, when that text has no A1 reference to
    shift (structured references and names need none)."""
    m = _FORMULA.search(cell)
    if m is None:
        return None
    attrs, body = m.group(1), m.group(2)
    text = html.unescape(body.decode("utf-8")) if body else None
    group = _SHARED_ID.search(attrs) if b'"shared"' in attrs else None
    if group is None:
        return text
    if text is not None:
        shared[group.group(1).decode()] = text
        return text
    master = shared.get(group.group(1).decode())
    return master if master is not None and not _A1_REF.search(master) else None


def has_content(cell: bytes) -> bool:
    """Whether a <c> holds a value or formula (not just a style)."""
    return bool(_CONTENT.search(cell))


def number_of(col_letters: bytes) -> int:
    return number(col_letters.decode())


def _grow_ref(
    ref: str, columns: tuple[int, int], old_last: int, new_last: int, first_body: int
) -> str:
    try:
        a = Area.parse(ref)
    except ValueError:
        return ref
    inside = columns[0] <= a.left and a.right <= columns[1] and a.top >= first_body
    if inside and a.bottom == old_last:
        return str(Area(a.top, a.left, new_last, a.right))
    return ref
