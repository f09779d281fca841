"""Write the workbook as a macro-enabled package (.xlsm) that is the same on every build.

openpyxl writes the sheets. The VBA project and the ribbon reach it the way they do on
any ``keep_vba=True`` save: as a *VBA archive* holding ``xl/vbaProject.bin``,
``customUI/customUI.xml`` and the package relationship to the ribbon. openpyxl copies
those parts, adds the vbaProject relationship and marks the workbook macro-enabled. So
the template goes through the same code path as every later save by the files adapter.

Reproducible: document times are fixed, and the zip is rewritten with its parts in a
fixed order, each with a fixed timestamp and mode.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from addin.template.ribbon import CUSTOM_UI_PART, CUSTOM_UI_REL
from addin.workbook.files.safe_save import write_whole

VBA_PART = "xl/vbaProject.bin"
STYLES_PART = "xl/styles.xml"
VBA_CONTENT_TYPE = "application/vnd.ms-office.vbaProject"
BUILT_AT = dt.datetime(2024, 1, 1)  # the template's fixed document time
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
FIRST_PARTS = ("[Content_Types].xml", "_rels/.rels")

_VBA_ARCHIVE_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="bin" ContentType="{VBA_CONTENT_TYPE}"/>\
<Override PartName="/{VBA_PART}" ContentType="{VBA_CONTENT_TYPE}"/></Types>"""

_VBA_ARCHIVE_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="loupeRibbon" Type="{CUSTOM_UI_REL}" Target="{CUSTOM_UI_PART}"/>\
</Relationships>"""


def vba_archive(vba_project: bytes, custom_ui: bytes) -> zipfile.ZipFile:
    """An in-memory package holding only the VBA project and the ribbon, for openpyxl."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", _VBA_ARCHIVE_TYPES)
        archive.writestr("_rels/.rels", _VBA_ARCHIVE_RELS)
        archive.writestr(VBA_PART, vba_project)
        archive.writestr(CUSTOM_UI_PART, custom_ui)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def package_bytes(wb: Workbook, vba_project: bytes, custom_ui: bytes) -> bytes:
    """The .xlsm bytes of `wb` with the VBA project and ribbon, reproducibly."""
    wb.vba_archive = vba_archive(vba_project, custom_ui)
    wb.properties.creator = wb.properties.lastModifiedBy = "Loupe"
    wb.properties.created = wb.properties.modified = BUILT_AT
    buffer = io.BytesIO()
    # ExcelWriter directly: Workbook.save() would stamp the modified time with "now".
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    return reproducible_zip(buffer.getvalue())


# The order of a font's children that Excel writes and the Open XML SDK validator requires
# (ECMA-376 CT_Font as a sequence); openpyxl writes name and family first.
FONT_CHILD_ORDER = (
    "b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz",
    "color", "name", "family", "charset", "scheme",
)
_FONT = re.compile(rb"(<font>)(.*?)(</font>)", re.S)
_CHILD = re.compile(rb"<(\w+)\b[^>]*/>")


def fonts_in_schema_order(styles_xml: bytes) -> bytes:
    """styles.xml with every font's children in `FONT_CHILD_ORDER`, nothing else changed."""

    def reorder(font: re.Match) -> bytes:
        children = [m.group(0) for m in _CHILD.finditer(font.group(2))]
        if b"".join(children) != font.group(2):
            return font.group(0)  # not a run of empty elements: leave it as it is
        rank = {name.encode(): i for i, name in enumerate(FONT_CHILD_ORDER)}
        children.sort(key=lambda c: rank.get(_CHILD.match(c).group(1), len(rank)))
        return font.group(1) + b"".join(children) + font.group(3)

    return _FONT.sub(reorder, styles_xml)


def reproducible_zip(data: bytes) -> bytes:
    """The same parts (fonts in schema order), in a fixed order with fixed times: equal
    inputs give equal bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    if STYLES_PART in parts:
        parts[STYLES_PART] = fonts_in_schema_order(parts[STYLES_PART])
    order = [n for n in FIRST_PARTS if n in parts] + sorted(set(parts) - set(FIRST_PARTS))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            archive.writestr(info, parts[name], compresslevel=6)
    return out.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file beside it, then replace; readable by
    all (a template is for sharing)."""
    write_whole(path, data, mode=0o644)
