"""Small real workbooks for the files adapter's tests, made with openpyxl from the schema.

`make_book` writes a shop book the way the template will look: every data sheet an Excel
Table named per `schema`, header in row 1, body cells number-formatted by column kind.
Then it adds, straight into the zip, what openpyxl cannot make but a real shop book has:
a VBA project (`xl/vbaProject.bin`, so the file is an .xlsm), a ribbon (`customUI`), and on
the owner's own sheet a comment plus a drawing holding a shape and a picture. Tests prove
these parts survive Loupe's saves byte for byte.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import struct
import sys
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from addin.sheets import schema
from addin.sheets.schema import Kind

FORMATS = {
    Kind.DATE: "yyyy-mm-dd",
    Kind.DATETIME: "yyyy-mm-dd hh:mm",
    Kind.MONEY: "#,##0.00",
    Kind.UNIT_COST: "#,##0.00##",
    Kind.INT: "0",
}
OWNER_SHEET = "Owner Notes"
VBA_PART = "xl/vbaProject.bin"
RIBBON_PART = "customUI/customUI.xml"
DRAWING_PART = "xl/drawings/drawing1.xml"
IMAGE_PART = "xl/media/image1.png"

D = dt.datetime
SAMPLE_ROWS: dict[str, list[list]] = {
    "Settings": [[k, v] for k, v, _ in schema.DEFAULT_SETTINGS],
    "Styles": [
        [
            "RG-101",
            "Solitaire ring",
            "Rings",
            "14K",
            "Acme",
            "A-1",
            "Serialized",
            "FIFO",
            899.0,
            1,
            "Yes",
        ],
        [
            "EA-200",
            "Stud earrings",
            "Earrings",
            "Silver",
            "Bravo",
            "B-7",
            "Quantity",
            "FIFO",
            49.5,
            12,
            "Yes",
        ],
    ],
    "Items": [
        [
            "LP-0000017",
            "RG-101",
            "Solitaire ring",
            3.2,
            "14K",
            "Diamond",
            0.5,
            "6",
            420.0,
            899.0,
            D(2024, 1, 5),
            "Acme",
            "Main Case",
            "In Stock",
            None,
            None,
            None,
            None,
        ],
        [
            "LP-0000025",
            "RG-101",
            "Solitaire ring",
            3.1,
            "14K",
            "Diamond",
            0.5,
            "7",
            430.0,
            899.0,
            D(2024, 2, 9),
            "Acme",
            "Vault",
            "Sold",
            D(2024, 3, 1),
            950.0,
            None,
            None,
        ],
    ],
    "Receiving": [
        [
            D(2024, 3, 1),
            "R-100",
            "Acme",
            "RG-101",
            1,
            420.0,
            "LP-0000033",
            "Main Case",
            "Owned",
            "first ring",
            None,
            None,
        ],
        [
            D(2024, 3, 2),
            "R-101",
            "Bravo",
            "EA-200",
            24,
            12.25,
            None,
            "Vault",
            "Owned",
            "=SUM(A1) typed as a note",
            None,
            None,
        ],
        [
            "2024-03-04",
            "R-102",
            "Bravo",
            "EA-200",
            "12",
            12.25,
            None,
            "Vault",
            "Memo",
            None,
            None,
            None,
        ],
    ],
    "Ledger": [
        [
            1,
            D(2024, 1, 5, 10, 30),
            D(2024, 1, 5),
            "RECEIPT",
            "R-1",
            "RG-101",
            "LP-0000017",
            1,
            420.0,
            None,
            "Main Case",
            None,
            None,
            None,
            "a1b2c3",
        ],
        [
            2,
            D(2024, 2, 9, 11, 0),
            D(2024, 2, 9),
            "RECEIPT",
            "R-2",
            "RG-101",
            "LP-0000025",
            1,
            430.0,
            None,
            "Vault",
            None,
            None,
            None,
            "d4e5f6",
        ],
    ],
}
# the Items rows above were written before the RFID Tag column: it is blank on them
SAMPLE_ROWS["Items"] = [r + [None] for r in SAMPLE_ROWS["Items"]]


def make_book(
    path: Path, rows: dict[str, list[list]] | None = None, *, write_only: bool = False
) -> Path:
    """Write a shop book to `path` (.xlsm) with `rows` per sheet (SAMPLE_ROWS by default).

    `write_only` streams rows (for big books: the benchmark's 100,000-row Ledger)."""
    rows = SAMPLE_ROWS if rows is None else rows
    wb = Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    for sheet in schema.DATA_SHEETS:
        _data_sheet(wb, sheet, rows.get(sheet.name, []), write_only)
    _owner_sheet(wb, write_only)
    plain = path.with_suffix(".openpyxl.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb.save(plain)
    _add_owner_parts(plain, path)
    plain.unlink()
    return path


def parts_of(path: Path) -> dict[str, bytes]:
    """Every part of a workbook file, uncompressed, by name."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def sheet_part(path: Path, sheet_name: str) -> str:
    """The zip part holding `sheet_name` (found through openpyxl's own numbering)."""
    order = [s.name for s in schema.DATA_SHEETS] + [OWNER_SHEET]
    return f"xl/worksheets/sheet{order.index(sheet_name) + 1}.xml"


@pytest.fixture
def kit():
    """This module: its book maker, sample rows and part helpers, for tests to use."""
    return sys.modules[__name__]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A small shop book with sample rows, VBA, ribbon, comment, shape and picture."""
    return make_book(tmp_path / "shop.xlsm")


@pytest.fixture(params=["openpyxl", "streamed", "excel-like"])
def any_book(request, tmp_path: Path) -> Path:
    """The sample book as openpyxl writes it, as its streaming writer does (no dimension),
    and the way Excel saves (shared strings, rows with spans)."""
    path = make_book(tmp_path / "shop.xlsm", write_only=request.param == "streamed")
    return excel_like(path) if request.param == "excel-like" else path


def excel_like(path: Path) -> Path:
    """Rewrite the book's sheets as Excel saves them: text in a shared-strings part, rows
    carrying spans=, the part listed in the workbook's relationships and content types."""
    parts = parts_of(path)
    strings: list[bytes] = []

    def share(m: re.Match) -> bytes:
        strings.append(m.group(3))
        return (
            b'<c r="'
            + m.group(1)
            + b'"'
            + m.group(2)
            + b' t="s"><v>'
            + str(len(strings) - 1).encode()
            + b"</v></c>"
        )

    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        xml = re.sub(
            rb'<c r="([A-Z]+\d+)"((?: s="\d+")?) t="inlineStr"><is><t[^>]*>(.*?)</t>'
            rb"</is></c>",
            share,
            parts[name],
        )
        parts[name] = re.sub(rb'<row r="(\d+)"', rb'<row r="\1" spans="1:18"', xml)
    items = b"".join(b'<si><t xml:space="preserve">' + t + b"</t></si>" for t in strings)
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (len(strings), len(strings))
        + items
        + b"</sst>"
    )
    parts["xl/_rels/workbook.xml.rels"] = _insert(
        parts["xl/_rels/workbook.xml.rels"],
        b"</Relationships>",
        b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/>',
    )
    parts["[Content_Types].xml"] = _insert(
        parts["[Content_Types].xml"],
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats'
        b'-officedocument.spreadsheetml.sharedStrings+xml"/>',
    )
    _write_zip(path, parts)
    return path


# -- building ------------------------------------------------------------------------


def _data_sheet(wb: Workbook, sheet: schema.Sheet, body: list[list], write_only: bool) -> None:
    ws = wb.create_sheet(sheet.name)
    kinds = [c.kind for c in sheet.columns]
    header = list(sheet.headers)
    lines = body or [[None] * len(header)]  # an empty table still has one body row
    # rows written before a column was added at the end leave it blank
    lines = [list(values) + [None] * (len(header) - len(values)) for values in lines]
    if write_only:
        ws.append(header)
        for values in lines:
            ws.append([_streamed_cell(ws, v, k) for v, k in zip(values, kinds, strict=True)])
    else:
        ws.append(header)
        for c in range(1, len(header) + 1):
            ws.cell(1, c).font = Font(bold=True)
        for r, values in enumerate(lines, 2):
            for c, (v, k) in enumerate(zip(values, kinds, strict=True), 1):
                cell = ws.cell(r, c, v)
                _as_typed(cell, v, k)
    ref = f"A1:{get_column_letter(len(header))}{len(lines) + 1}"
    table = Table(
        displayName=sheet.table,
        ref=ref,
        autoFilter=AutoFilter(ref=ref),
        tableStyleInfo=TableStyleInfo(name="TableStyleMedium2", showRowStripes=True),
    )
    table.tableColumns = [TableColumn(id=i, name=h) for i, h in enumerate(header, 1)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # write-only mode warns even with columns given
        ws.add_table(table)
    if not write_only:
        _dropdowns(ws, sheet, len(lines) + 1)


def _dropdowns(ws, sheet: schema.Sheet, last_row: int) -> None:
    """A list validation on each choice column, down to the table's last row (as the
    template does), so tests see it follow the table as it grows."""
    for i, column in enumerate(sheet.columns, 1):
        if column.choices:
            letter = get_column_letter(i)
            dv = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"')
            dv.add(f"{letter}2:{letter}{last_row}")
            ws.add_data_validation(dv)


def _streamed_cell(ws, value, kind):
    cell = WriteOnlyCell(ws, value=value)
    _as_typed(cell, value, kind)
    return cell


def _as_typed(cell, value, kind) -> None:
    """Number format by column kind; text that starts with '=' stays text, as typed."""
    if kind in FORMATS:
        cell.number_format = FORMATS[kind]
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _owner_sheet(wb: Workbook, write_only: bool) -> None:
    ws = wb.create_sheet(OWNER_SHEET)
    note = Comment("Call Acme about the late order", "Owner")
    if write_only:
        first = WriteOnlyCell(ws, value="Owner's own list")
        first.comment = note
        ws.append([first, 42])
        ws.append(["=keep me as text", None])
    else:
        ws["A1"] = "Owner's own list"
        ws["A1"].comment = note
        ws["B1"] = 42
        ws["A2"] = "=keep me as text"
        ws["A2"].data_type = "s"


def _add_owner_parts(src: Path, dst: Path) -> None:
    """Copy the openpyxl file to `dst`, adding VBA, ribbon and the owner's drawing."""
    parts = parts_of(src)
    owner = sheet_part(dst, OWNER_SHEET)
    owner_rels = owner.replace("worksheets/", "worksheets/_rels/") + ".rels"
    parts[VBA_PART] = _fake_vba_project()
    parts[RIBBON_PART] = RIBBON.encode()
    parts[DRAWING_PART] = DRAWING.encode()
    parts[IMAGE_PART] = _png()
    parts["xl/drawings/_rels/drawing1.xml.rels"] = DRAWING_RELS.encode()
    parts["[Content_Types].xml"] = _insert(
        parts["[Content_Types].xml"].replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        ),
        b"</Types>",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        b'<Default Extension="png" ContentType="image/png"/>'
        b'<Override PartName="/xl/drawings/drawing1.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>',
    )
    parts["xl/_rels/workbook.xml.rels"] = _insert(
        parts["xl/_rels/workbook.xml.rels"],
        b"</Relationships>",
        b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
        b'relationships/vbaProject" Target="vbaProject.bin"/>',
    )
    parts["_rels/.rels"] = _insert(
        parts["_rels/.rels"],
        b"</Relationships>",
        b'<Relationship Id="rIdUi" Type="http://schemas.microsoft.com/office/2006/'
        b'relationships/ui/extensibility" Target="customUI/customUI.xml"/>',
    )
    parts[owner_rels] = _insert(
        parts[owner_rels],
        b"</Relationships>",
        b'<Relationship Id="rIdDrawing" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/drawing" Target="../drawings/drawing1.xml"/>',
    )
    parts[owner] = _insert(
        parts[owner],
        b"<legacyDrawing",
        b'<drawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships" r:id="rIdDrawing"/>',
    )
    _write_zip(dst, parts)


def _write_zip(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _insert(xml: bytes, before: bytes, new: bytes) -> bytes:
    at = xml.rindex(before)
    return xml[:at] + new + xml[at:]


def _fake_vba_project() -> bytes:
    """Bytes standing in for a compiled VBA project (only their survival is tested)."""
    rng = random.Random(20240301)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rng.randrange(256) for _ in range(4096))


def _png() -> bytes:
    """A 2x2 red PNG picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


RIBBON = """<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui">
  <ribbon><tabs><tab id="loupeTab" label="Loupe"><group id="post" label="Post">
    <button id="postReceipts" label="Post Receipts" onAction="PostReceipts"/>
  </group></tab></tabs></ribbon>
</customUI>"""

DRAWING = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" \
xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<xdr:twoCellAnchor><xdr:from><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row>\
<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>6</xdr:col><xdr:colOff>0</xdr:colOff>\
<xdr:row>4</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>
<xdr:sp macro="PostReceipts" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="Post button"/>\
<xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr><a:prstGeom prst="roundRect"><a:avLst/></a:prstGeom>\
</xdr:spPr><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>Post receipts</a:t></a:r></a:p></xdr:txBody>\
</xdr:sp><xdr:clientData/></xdr:twoCellAnchor>
<xdr:oneCellAnchor><xdr:from><xdr:col>7</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row>\
<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="190500" cy="190500"/>
<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="3" name="Logo"/><xdr:cNvPicPr/></xdr:nvPicPr>\
<xdr:blipFill><a:blip r:embed="rIdImage"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>\
<xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>\
<xdr:clientData/></xdr:oneCellAnchor>
</xdr:wsDr>"""

DRAWING_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rIdImage" Type="http://schemas.openxmlformats.org/officeDocument/2006/\
relationships/image" Target="../media/image1.png"/></Relationships>"""


LOGO_DRAWING = DRAWING.replace(
    DRAWING[DRAWING.index("<xdr:twoCellAnchor>"):DRAWING.index("<xdr:oneCellAnchor>")], "")


def add_logo(path: Path, sheet_name: str) -> None:
    """Put a picture (the shop's logo) on `sheet_name`, as Excel would save it."""
    parts = parts_of(path)
    sheet = any_sheet_part(parts, sheet_name)
    rels = sheet.replace("worksheets/", "worksheets/_rels/") + ".rels"
    parts["xl/drawings/logo.xml"] = LOGO_DRAWING.encode()
    parts["xl/drawings/_rels/logo.xml.rels"] = DRAWING_RELS.encode()
    parts.setdefault(IMAGE_PART, _png())
    parts["[Content_Types].xml"] = _insert(
        parts["[Content_Types].xml"], b"</Types>",
        b'<Override PartName="/xl/drawings/logo.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>'
        + (b"" if b'Extension="png"' in parts["[Content_Types].xml"]
           else b'<Default Extension="png" ContentType="image/png"/>'))
    rel = (b'<Relationship Id="rIdLogo" Type="http://schemas.openxmlformats.org/'
           b'officeDocument/2006/relationships/drawing" Target="../drawings/logo.xml"/>')
    if rels in parts:
        parts[rels] = _insert(parts[rels], b"</Relationships>", rel)
    else:
        parts[rels] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                       b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       b'relationships">' + rel + b"</Relationships>")
    xml = re.sub(rb"<drawing [^>]*/>", b"", parts[sheet])  # one drawing per sheet: the logo's
    parts[sheet] = _insert(xml, b"</worksheet>",
                           b'<drawing xmlns:r="http://schemas.openxmlformats.org/'
                           b'officeDocument/2006/relationships" r:id="rIdLogo"/>')
    _write_zip(path, parts)


def any_sheet_part(parts: dict[str, bytes], sheet_name: str) -> str:
    """The part of any sheet, read off workbook.xml and its relationships."""
    named = rb'<sheet [^>]*name="' + re.escape(sheet_name.encode()) + rb'"[^>]*r:id="([^"]+)"'
    rid = re.search(named, parts["xl/workbook.xml"]).group(1)
    target = re.search(rb'Id="' + rid + rb'"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="'
                       + rid + rb'"', parts["xl/_rels/workbook.xml.rels"])
    name = (target.group(1) or target.group(2)).decode().lstrip("/")
    return name if name.startswith("xl/") else "xl/" + name
