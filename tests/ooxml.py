"""Validate every XML part of a workbook against the published OOXML schemas (lxml).

The schemas live in tests/data/ooxml (see its README). One umbrella schema imports the
SpreadsheetML, DrawingML, packaging and document-property schemas; ribbon parts are
checked against Microsoft's customUI schemas. Loupe writes no Markup Compatibility content,
so a part that uses it is reported rather than pre-processed.
"""

from __future__ import annotations

import functools
import zipfile
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "data" / "ooxml"
ISO = SCHEMAS / "ISO-IEC29500-4_2016"
IMPORTS = (
    ("http://www.w3.org/XML/1998/namespace", ISO / "xml.xsd"),
    ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", ISO / "sml.xsd"),
    ("http://schemas.openxmlformats.org/drawingml/2006/main", ISO / "dml-main.xsd"),
    ("http://schemas.openxmlformats.org/drawingml/2006/chart", ISO / "dml-chart.xsd"),
    ("http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
     ISO / "dml-spreadsheetDrawing.xsd"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
     ISO / "shared-documentPropertiesExtended.xsd"),
    ("http://schemas.openxmlformats.org/package/2006/content-types",
     SCHEMAS / "ecma" / "fouth-edition" / "opc-contentTypes.xsd"),
    ("http://schemas.openxmlformats.org/package/2006/relationships",
     SCHEMAS / "ecma" / "fouth-edition" / "opc-relationships.xsd"),
    ("http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
     SCHEMAS / "local" / "opc-coreProperties.local.xsd"),
)
RIBBON = {
    "http://schemas.microsoft.com/office/2006/01/customui": "customUI.libxml2.xsd",
    "http://schemas.microsoft.com/office/2009/07/customui": "customui14.libxml2.xsd",
}
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


@functools.cache
def _umbrella() -> etree.XMLSchema:
    body = "".join(f'<xs:import namespace="{ns}" schemaLocation="{p.as_uri()}"/>'
                   for ns, p in IMPORTS)
    xsd = (f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
           f'targetNamespace="urn:loupe-tests:umbrella">{body}</xs:schema>')
    return etree.XMLSchema(etree.fromstring(xsd.encode(), base_url=SCHEMAS.as_uri() + "/"))


@functools.cache
def _ribbon(namespace: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "customui" / RIBBON[namespace])))


def xml_parts(book: Path) -> dict[str, bytes]:
    """Every XML part of the package (by name), the VBA project and other binaries left out."""
    with zipfile.ZipFile(book) as package:
        return {n: package.read(n) for n in package.namelist()
                if n.endswith((".xml", ".rels"))}


def schema_problems(book: Path) -> list[str]:
    """`part line N: message` for every schema error in the book; [] when all parts are valid."""
    problems = []
    for name, data in sorted(xml_parts(book).items()):
        root = etree.fromstring(data)
        namespace = etree.QName(root).namespace
        if MC in data.decode("utf-8", "replace"):
            problems.append(f"{name}: uses Markup Compatibility, which these tests do not model")
            continue
        schema = _ribbon(namespace) if namespace in RIBBON else _umbrella()
        if not schema.validate(root):
            problems += [f"{name} line {e.line}: {e.message}" for e in schema.error_log]
    return problems
