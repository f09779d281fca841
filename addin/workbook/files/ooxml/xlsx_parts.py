"""The map of a workbook package: which part holds which sheet, its tables, its styles.

A workbook file is a zip of parts tied together by relationship files: the package points
to the workbook part, the workbook lists its sheets (name -> relationship id -> part), and
each sheet's own relationships name its tables. `Package` holds the parts with Loupe's
pending changes laid over them; `WorkbookMap` reads the map once; `add_worksheet` puts a
new sheet into the three places Excel looks for it (workbook, its relationships and
[Content_Types].xml) by inserting text, so the rest of each part stays as Excel wrote it.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from addin.workbook.files.ooxml.xlsx_zip import (
    Appended,
    Content,
    Flushed,
    FlushPoint,
    NotAZip,
    Packed,
    ZipParts,
    in_memory,
    plain,
    read_with_points,
    write_zip,
)
from addin.workbook.files.ooxml.xml_text import attr

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "[Content_Types].xml"
WORKSHEET_REL = REL_NS + "/worksheet"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


class Package:
    """The parts of one workbook file, with Loupe's pending changes laid over them."""

    def __init__(self, path: Path):
        self.path = path
        self.zip = ZipParts(path)
        self.changed: dict[str, Content | None] = {}

    def has(self, name: str) -> bool:
        if name in self.changed:
            return self.changed[name] is not None
        return name in self.zip.infos

    def read(self, name: str) -> bytes:
        """A part's current bytes; KeyError if the package has no such part."""
        if name in self.changed:
            data = self.changed[name]
            if data is None:
                raise KeyError(name)
            if isinstance(data, Flushed):
                return data.data
            if isinstance(data, Packed):
                return data.plain()
            if isinstance(data, Appended):  # made whole once; still flushed where it was
                with open(self.zip.path, "rb") as src:
                    whole = plain(src, self.zip.infos.get(name), data)
                self.changed[name] = Flushed(whole, data.point.size + data.at)
                return whole
            return data
        if name not in self.zip.infos:
            raise KeyError(name)
        return self.zip.read(name)

    def read_flushed(self, name: str) -> tuple[bytes, list[FlushPoint]]:
        """An unchanged part's bytes as on disk (checked against its CRC) and the points
        where its deflate stream was flushed (`xlsx_zip.read_with_points`)."""
        if name in self.changed or name not in self.zip.infos:
            return self.read(name), []
        with open(self.zip.path, "rb") as src:
            return read_with_points(src, self.zip.infos[name])

    def chunks(self, name: str, size: int = 1 << 16) -> Iterator[bytes]:
        """A part's bytes in pieces, inflated as they are asked for (a caller that needs
        only the top of a big part stops early)."""
        if name in self.changed:
            yield self.read(name)
            return
        with self.zip.open(name) as stream:
            while chunk := stream.read(size):
                yield chunk

    def kept_bytes(self, name: str, point: FlushPoint) -> bytes:
        """The part's bytes on disk up to a flush point, inflated and checked."""
        with open(self.zip.path, "rb") as src:
            return plain(src, self.zip.infos[name], Appended(point, b"", 0))

    def put(self, name: str, data: Content) -> None:
        self.changed[name] = data

    def names(self) -> list[str]:
        extra = [n for n, d in self.changed.items() if n not in self.zip.infos and d is not None]
        return [n for n in self.zip.names() if self.has(n)] + extra

    def write_to(self, out: BinaryIO) -> dict[str, FlushPoint]:
        return write_zip(self.zip, self.changed, out)

    def memory_copy(self) -> io.BytesIO:
        return in_memory(self.zip, self.changed)

    def close(self) -> None:
        self.zip.close()


@dataclass(frozen=True)
class Rel:
    id: str
    type: str
    target: str  # the part name it points to, resolved from the source part


@dataclass(frozen=True)
class SheetEntry:
    name: str
    part: str
    kind: str  # "worksheet", "chartsheet", "dialogsheet", "macrosheet"


def rels_part(part: str) -> str:
    """xl/worksheets/sheet1.xml -> xl/worksheets/_rels/sheet1.xml.rels"""
    folder, file = posixpath.split(part)
    return posixpath.join(folder, "_rels", file + ".rels")


def relationships(pkg: Package, part: str) -> list[Rel]:
    """The internal relationships of `part` (none if it has no .rels part)."""
    name = rels_part(part)
    if not pkg.has(name):
        return []
    root = _parse(pkg, name)
    folder = posixpath.dirname(part)
    out = []
    for r in root.iter(f"{{{PKG_REL_NS}}}Relationship"):
        if r.get("TargetMode") == "External":
            continue
        out.append(Rel(r.get("Id", ""), r.get("Type", ""), _resolve(folder, r.get("Target", ""))))
    return out


class WorkbookMap:
    """Sheets in workbook order, where each lives, and the workbook-wide settings."""

    def __init__(self, pkg: Package):
        self.pkg = pkg
        self.workbook_part = _workbook_part(pkg)
        root = _parse(pkg, self.workbook_part)
        self.date1904 = _date1904(root)
        rels = {r.id: r for r in relationships(pkg, self.workbook_part)}
        self.sheets = _sheets(root, rels)
        self.styles_part = next(
            (r.target for r in rels.values() if r.type.endswith("/styles")), None
        )
        self.shared_strings_part = next(
            (r.target for r in rels.values() if r.type.endswith("/sharedStrings")), None
        )

    def sheet(self, name: str) -> SheetEntry | None:
        """The sheet called `name` (Excel compares sheet names ignoring case)."""
        want = name.casefold()
        return next((s for s in self.sheets if s.name.casefold() == want), None)

    def table_parts(self, sheet_part: str) -> list[str]:
        return [
            r.target
            for r in relationships(self.pkg, sheet_part)
            if r.type.endswith("/table") and self.pkg.has(r.target)
        ]


def add_worksheet(pkg: Package, book: WorkbookMap, name: str, xml: bytes) -> str:
    """Add a new worksheet called `name` holding `xml`, last in the workbook; its part name."""
    folder = posixpath.dirname(book.workbook_part)
    n = 1
    while pkg.has(posixpath.join(folder, f"worksheets/sheet{n}.xml")):
        n += 1
    part = posixpath.join(folder, f"worksheets/sheet{n}.xml")
    pkg.put(part, xml)
    rel_id = _add_relationship(
        pkg, rels_part(book.workbook_part), WORKSHEET_REL, f"worksheets/sheet{n}.xml"
    )
    _add_sheet_element(pkg, book.workbook_part, name, rel_id)
    _add_override(pkg, "/" + part, WORKSHEET_TYPE)
    return part


def _parse(pkg: Package, name: str) -> ET.Element:
    try:
        return ET.fromstring(pkg.read(name))
    except KeyError:
        raise NotAZip(f"it has no {name} part") from None
    except ET.ParseError as e:
        raise NotAZip(f"its part {name} is not valid XML ({e})") from None


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, target))


def _workbook_part(pkg: Package) -> str:
    for r in relationships(pkg, ""):
        if r.type.endswith("/officeDocument"):
            return r.target
    raise NotAZip("it has no workbook part (no officeDocument relationship)")


def _date1904(root: ET.Element) -> bool:
    pr = root.find(f"{{{MAIN_NS}}}workbookPr")
    return pr is not None and pr.get("date1904", "0").lower() in ("1", "true")


def _sheets(root: ET.Element, rels: dict[str, Rel]) -> list[SheetEntry]:
    out = []
    for s in root.iter(f"{{{MAIN_NS}}}sheet"):
        rel = rels.get(s.get(f"{{{REL_NS}}}id", ""))
        if rel is not None:
            out.append(SheetEntry(s.get("name", ""), rel.target, rel.type.rsplit("/", 1)[-1]))
    return out


def _add_relationship(pkg: Package, rels_name: str, rel_type: str, target: str) -> str:
    xml = pkg.read(rels_name).decode("utf-8")
    used = set(re.findall(r'\bId="([^"]*)"', xml))
    n = len(used) + 1
    while f"rId{n}" in used:
        n += 1
    rel_id = f"rId{n}"
    element = f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{attr(target)}"/>'
    pkg.put(rels_name, _insert_before_close(xml, "Relationships", element))
    return rel_id


def _add_sheet_element(pkg: Package, workbook_part: str, name: str, rel_id: str) -> None:
    xml = pkg.read(workbook_part).decode("utf-8")
    ids = [int(i) for i in re.findall(r'<(?:\w+:)?sheet\b[^>]*?\bsheetId="(\d+)"', xml)]
    root = re.search(r"<[^?!][^>]*>", xml)  # only the root's declarations reach a new child
    prefix = re.search(r'xmlns:(\w+)="' + re.escape(REL_NS) + '"', root.group(0) if root else "")
    if prefix:
        rid = f'{prefix.group(1)}:id="{rel_id}"'
    else:
        rid = f'xmlns:lr="{REL_NS}" lr:id="{rel_id}"'
    tag = re.search(r"</(\w+:)?sheets>", xml)
    ns = (tag.group(1) or "") if tag else ""
    element = f'<{ns}sheet name="{attr(name)}" sheetId="{max(ids, default=0) + 1}" {rid}/>'
    pkg.put(workbook_part, _insert_before_close(xml, "sheets", element))


def _add_override(pkg: Package, part_name: str, content_type: str) -> None:
    xml = pkg.read(CONTENT_TYPES).decode("utf-8")
    element = f'<Override PartName="{attr(part_name)}" ContentType="{content_type}"/>'
    pkg.put(CONTENT_TYPES, _insert_before_close(xml, "Types", element))


def _insert_before_close(xml: str, tag: str, element: str) -> bytes:
    """`element` inserted as the last child of the (single) `tag` element of `xml`."""
    close = list(re.finditer(rf"</(?:\w+:)?{tag}\s*>", xml))
    if close:
        at = close[-1].start()
        return (xml[:at] + element + xml[at:]).encode("utf-8")
    empty = re.search(rf"<((?:\w+:)?{tag})\b([^>]*?)/>", xml)
    if empty is None:
        raise NotAZip(f"it has no <{tag}> element where one is required")
    opened = f"<{empty.group(1)}{empty.group(2)}>{element}</{empty.group(1)}>"
    return (xml[: empty.start()] + opened + xml[empty.end() :]).encode("utf-8")


_AFTER_CALC_PR = (
    "oleSize",
    "customWorkbookViews",
    "pivotCaches",
    "smartTagPr",
    "smartTagTypes",
    "webPublishing",
    "fileRecoveryPr",
    "webPublishObjects",
    "extLst",
)


def ask_full_recalc(pkg: Package, workbook_part: str) -> None:
    """Have Excel recalculate every formula when it next opens the book.

    Formulas Loupe writes carry no cached value; `fullCalcOnLoad` makes Excel compute them
    on open (Excel drops the flag again on its own next save).
    """
    xml = pkg.read(workbook_part).decode("utf-8")
    m = re.search(r"<((?:\w+:)?)calcPr\b([^>]*?)(/?)>", xml)
    if m:
        if re.search(r'\sfullCalcOnLoad="(1|true)"', m.group(2)):
            return
        attrs = re.sub(r'\sfullCalcOnLoad="[^"]*"', "", m.group(2))
        new = f'<{m.group(1)}calcPr{attrs} fullCalcOnLoad="1"{m.group(3)}>'
        xml = xml[: m.start()] + new + xml[m.end() :]
    else:
        later = [
            t.start() for tag in _AFTER_CALC_PR if (t := re.search(rf"<(?:\w+:)?{tag}\b", xml))
        ]
        end = re.search(r"</((?:\w+:)?)workbook\s*>", xml)
        if end is None:
            raise NotAZip(f"its part {workbook_part} has no </workbook>")
        at = min(later) if later else end.start()
        xml = xml[:at] + f'<{end.group(1)}calcPr fullCalcOnLoad="1"/>' + xml[at:]
    pkg.put(workbook_part, xml.encode("utf-8"))


# --- the Ledger's tip record: a hidden defined name of the workbook -------------------

TIP_NAME = "LoupeLedgerTip"
_TIP_ELEMENT = re.compile(
    rf'<((?:\w+:)?)definedName\b[^>]*\bname="{TIP_NAME}"[^>]*?(?:/>|>.*?</(?:\w+:)?definedName>)',
    re.S,
)
_TIP_TEXT = re.compile(r"entry (\d+), hash ([0-9a-f]+)")


class TipUnreadable(Exception):
    """The tip record is there but no longer says an entry and a Hash (edited by hand)."""


def recorded_tip(pkg: Package, workbook_part: str) -> tuple[int, str] | None:
    """(entry, Hash) the book's tip record holds, None when it has none."""
    found = _TIP_ELEMENT.search(pkg.read(workbook_part).decode("utf-8"))
    if found is None:
        return None
    text = html.unescape(re.sub(r"<[^>]*>", "", found.group(0)))
    m = _TIP_TEXT.search(text)
    if m is None:
        raise TipUnreadable(text)
    return int(m.group(1)), m.group(2)


def record_tip(pkg: Package, workbook_part: str, tip: tuple[int, str] | None) -> None:
    """Write the Ledger's last entry and Hash into the workbook part as a hidden name (a
    string constant, which Excel, LibreOffice and openpyxl keep); None removes it."""
    xml = pkg.read(workbook_part).decode("utf-8")
    old = _TIP_ELEMENT.search(xml)
    if tip is None:
        if old is not None:
            pkg.put(workbook_part, (xml[: old.start()] + xml[old.end() :]).encode("utf-8"))
        return
    ns = re.search(r"</((?:\w+:)?)workbook\s*>", xml)
    if ns is None:
        raise NotAZip(f"its part {workbook_part} has no </workbook>")
    p = ns.group(1)
    text = attr(f'"Loupe ledger tip: entry {tip[0]}, hash {tip[1]}"')
    element = f'<{p}definedName name="{TIP_NAME}" hidden="1">{text}</{p}definedName>'
    if old is not None:
        xml = xml[: old.start()] + element + xml[old.end() :]
    elif re.search(r"</(?:\w+:)?definedNames\s*>", xml) or re.search(
        r"<(?:\w+:)?definedNames\b[^>]*/>", xml
    ):
        xml = _insert_before_close(xml, "definedNames", element).decode("utf-8")
    else:
        later = [
            t.start()
            for tag in ("calcPr", *_AFTER_CALC_PR)
            if (t := re.search(rf"<(?:\w+:)?{tag}\b", xml))
        ]
        at = min(later) if later else ns.start()
        xml = xml[:at] + f"<{p}definedNames>{element}</{p}definedNames>" + xml[at:]
    pkg.put(workbook_part, xml.encode("utf-8"))


# --- the VBA project ------------------------------------------------------------------

VBA_REL = "/vbaProject"


def has_vba(names: list[str]) -> bool:
    """Whether the package holds a VBA project part (xl/vbaProject.bin)."""
    return any(n.lower().endswith("vbaproject.bin") for n in names)


def missing_vba(pkg: Package, workbook_part: str) -> str | None:
    """What is wrong when the workbook names a VBA project part the package lacks."""
    for r in relationships(pkg, workbook_part):
        if r.type.endswith(VBA_REL) and not pkg.has(r.target):
            return f"its workbook part points to {r.target}, which is not in the file"
    return None
