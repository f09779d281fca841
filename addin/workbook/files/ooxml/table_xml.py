"""An Excel Table's own part (xl/tables/tableN.xml): where the table is, and resizing it.

The table part holds the table's name, its range (`ref`), its column names (which must
equal the header cells) and its filter range. Growing or shrinking a table is an edit of
those `ref` attributes only, and adding a column at its right end one more
`<tableColumn>`; everything else in the part (style, calculated column formulas, totals)
stays as Excel wrote it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from addin.workbook.a1 import Area

_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_TABLE_TAG = re.compile(rb"<(?:\w+:)?table\b[^>]*>")
_REF = re.compile(rb'(\sref=")([^"]*)(")')


@dataclass(frozen=True)
class TableInfo:
    part: str
    name: str  # displayName: the name formulas and Loupe's schema use
    area: Area  # header, body and totals
    header_rows: int
    totals_rows: int
    columns: tuple[str, ...]

    @property
    def header_row(self) -> int:
        return self.area.top

    @property
    def last_row(self) -> int:
        """The last body row (the header row itself if the body is empty)."""
        return self.area.bottom - self.totals_rows


def parse_table(xml: bytes, part: str) -> TableInfo:
    root = ET.fromstring(xml)
    columns = tuple(
        _unescape(c.get("name", "")) for c in root.iter() if _local(c.tag) == "tableColumn"
    )
    return TableInfo(
        part=part,
        name=root.get("displayName") or root.get("name") or "",
        area=Area.parse(root.get("ref", "A1")),
        header_rows=int(root.get("headerRowCount", "1")),
        totals_rows=int(root.get("totalsRowCount", "0")),
        columns=columns,
    )


def resized(xml: bytes, area: Area) -> bytes:
    """The table part with its range (and its filter's and sort's) set to `area`."""
    tag = _TABLE_TAG.search(xml)
    if tag is None:
        raise ValueError("table part without a <table> element")
    start = _REF.sub(lambda m: m.group(1) + str(area).encode() + m.group(3), tag.group(0), count=1)
    xml = xml[: tag.start()] + start + xml[tag.end() :]
    xml = _set_ref(xml, b"autoFilter", lambda old: area)
    body = Area(min(area.top + 1, area.bottom), area.left, area.bottom, area.right)
    return _set_ref(xml, b"sortState", lambda old: Area(body.top, old.left, body.bottom, old.right))


def with_columns(xml: bytes, names: list[str], area: Area) -> bytes:
    """The table part with columns `names` added at its right end, its range set to `area`
    (which must be that many columns wider)."""
    cols = re.search(rb"<((?:\w+:)?)tableColumns\b([^>]*)>(.*?)</(?:\w+:)?tableColumns>", xml,
                     re.S)
    if cols is None:
        raise ValueError("table part without <tableColumns>")
    prefix, inner = cols.group(1), cols.group(3)
    ids = [int(i) for i in re.findall(rb'<(?:\w+:)?tableColumn\b[^>]*?\bid="(\d+)"', inner)]
    new = b"".join(
        b'<' + prefix + b'tableColumn id="' + str(max(ids, default=0) + n).encode()
        + b'" name="' + _escaped(name).encode("utf-8") + b'"/>'
        for n, name in enumerate(names, 1)
    )
    count = len(ids) + len(names)
    attrs = re.sub(rb'\scount="\d+"', b"", cols.group(2)) + b' count="' + str(count).encode() + b'"'
    block = b"<" + prefix + b"tableColumns" + attrs + b">" + inner + new + b"</" + prefix \
        + b"tableColumns>"
    return resized(xml[: cols.start()] + block + xml[cols.end():], area)


def _escaped(name: str) -> str:
    """A column name as a table part holds it (an attribute value)."""
    return (name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _set_ref(xml: bytes, tag: bytes, new_area) -> bytes:
    pattern = re.compile(rb"<(?:\w+:)?" + tag + rb"\b[^>]*>")
    m = pattern.search(xml)
    if m is None:
        return xml
    ref = _REF.search(m.group(0))
    if ref is None:
        return xml
    area = new_area(Area.parse(ref.group(2).decode()))
    start = _REF.sub(lambda r: r.group(1) + str(area).encode() + r.group(3), m.group(0), count=1)
    return xml[: m.start()] + start + xml[m.end() :]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _unescape(name: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), name)
