"""The template as a file: a macro-enabled package that survives saves and rebuilds alike."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "workbook_template.xlsm"
PACKAGED = ROOT / "addin" / "template" / "workbook_template.xlsm"  # what the wheel ships
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
UI_REL = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"


def _content_type(parts: dict[str, bytes], part: str) -> str | None:
    types = ET.fromstring(parts["[Content_Types].xml"])
    for override in types.iter(f"{CT}Override"):
        if override.get("PartName") == "/" + part:
            return override.get("ContentType")
    extension = part.rsplit(".", 1)[-1]
    for default in types.iter(f"{CT}Default"):
        if default.get("Extension") == extension:
            return default.get("ContentType")
    return None


def _targets(rels_xml: bytes, rel_type: str) -> list[str]:
    return [r.get("Target") for r in ET.fromstring(rels_xml) if r.get("Type") == rel_type]


def test_workbook_is_macro_enabled(parts):
    assert _content_type(parts, "xl/workbook.xml") == (
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    )
    assert _content_type(parts, "xl/vbaProject.bin") == "application/vnd.ms-office.vbaProject"
    assert _targets(parts["xl/_rels/workbook.xml.rels"], VBA_REL) == ["vbaProject.bin"]
    assert _targets(parts["_rels/.rels"], UI_REL) == ["customUI/customUI.xml"]


def test_an_openpyxl_keep_vba_save_keeps_vba_and_ribbon_byte_for_byte(built, parts, tmp_path):
    book = openpyxl.load_workbook(built, keep_vba=True)
    book["Receiving"]["B2"] = "INV-1"  # an ordinary edit, as the files adapter makes
    saved = tmp_path / "saved.xlsm"
    book.save(saved)
    with zipfile.ZipFile(saved) as package:
        again = {name: package.read(name) for name in package.namelist()}
    assert again["xl/vbaProject.bin"] == parts["xl/vbaProject.bin"]
    assert again["customUI/customUI.xml"] == parts["customUI/customUI.xml"]
    assert _targets(again["_rels/.rels"], UI_REL) == ["customUI/customUI.xml"]
    assert _content_type(again, "xl/workbook.xml") == _content_type(parts, "xl/workbook.xml")


def test_document_times_and_zip_times_are_fixed(built, parts):
    core = parts["docProps/core.xml"].decode()
    assert "2024-01-01T00:00:00Z</dcterms:created>" in core
    assert "2024-01-01T00:00:00Z</dcterms:modified>" in core
    with zipfile.ZipFile(built) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert package.namelist()[0] == "[Content_Types].xml"


def test_the_shipped_template_and_the_top_level_one_are_the_same_file():
    assert PACKAGED.read_bytes() == COMMITTED.read_bytes(), (
        "the two committed templates differ: rebuild both with `python -m addin.template`"
    )


@pytest.mark.parametrize("committed", [COMMITTED, PACKAGED], ids=["top-level", "packaged"])
def test_committed_template_is_exactly_a_fresh_build(parts, committed):
    if not committed.exists():
        pytest.fail(f"{committed} is missing: run `python -m addin.template`")
    with zipfile.ZipFile(committed) as package:
        committed = {name: package.read(name) for name in package.namelist()}
    assert sorted(committed) == sorted(parts)
    stale = [name for name in parts if committed[name] != parts[name]]
    assert not stale, f"rebuild with `python -m addin.template`; these parts differ: {stale}"
