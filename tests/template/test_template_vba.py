"""The template's VBA project, read back from the built file by olevba (not by our builder)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import xlwings

from addin.sheets import schema
from addin.template import vba_project, vba_sources
from addin.template.extract_xlwings import runtime_sources
from addin.template.ribbon import BUTTONS

ROOT = Path(__file__).resolve().parents[2]
VBA_DIR = ROOT / "addin" / "template" / "vba"
SUB = re.compile(r"^Sub (\w+)\(control As IRibbonControl\)\n(.*?)^End Sub", re.M | re.S)


def test_project_holds_runtime_callbacks_and_one_module_per_sheet(macros, book):
    sheet_modules = {ws.sheet_properties.codeName for ws in book.worksheets}
    assert len(sheet_modules) == len(schema.DATA_SHEETS) + 2
    assert set(macros) == {"ThisWorkbook", "xlwings", "Dictionary", "Loupe", *sheet_modules}


def test_modules_come_back_exactly_as_their_sources(macros):
    for file_name in ("xlwings.bas", "Dictionary.cls", "Loupe.bas"):
        source = (VBA_DIR / file_name).read_text(encoding="utf-8")
        assert macros[Path(file_name).stem].rstrip("\n") == source.rstrip("\n"), file_name


def test_every_button_has_a_callback_that_runs_its_macro(macros):
    subs = dict(SUB.findall(macros["Loupe"]))
    assert set(subs) == {b.callback for b in BUTTONS}
    for button in BUTTONS:
        body = subs[button.callback].strip()
        assert body == f"RunPython \"import addin.macros.entry as e; e.run('{button.macro}')\""


def test_callbacks_use_the_office_ribbon_type_and_keep_their_module_name(macros):
    assert macros["Loupe"].startswith('Attribute VB_Name = "Loupe"\n')
    assert macros["xlwings"].startswith('Attribute VB_Name = "xlwings"\n')
    assert "Public Function RunPython(" in macros["xlwings"]


def test_loupe_bas_is_made_from_the_ribbon_list():
    # Edit ribbon.py and run `python -m addin.template`; never Loupe.bas by hand.
    assert (VBA_DIR / "Loupe.bas").read_text(encoding="utf-8") == vba_sources.loupe_module()


def _vba_version(code: str) -> str:
    (version,) = re.findall(r'^Public Const XLWINGS_VERSION As String = "([^"]+)"', code, re.M)
    return version


def test_xlwings_runtime_matches_the_pinned_and_installed_xlwings(macros):
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in pyproject["project"]["dependencies"] if d.startswith("xlwings")]
    assert pins == ["xlwings==0.37.8"]
    assert _vba_version(macros["xlwings"]) == "0.37.8" == xlwings.__version__


def test_committed_runtime_is_the_installed_xlwings_runtime():
    # After an xlwings upgrade: python -m addin.template.extract_xlwings, then rebuild.
    for file_name, text in runtime_sources().items():
        assert (VBA_DIR / file_name).read_text(encoding="utf-8") == text, file_name


def test_document_modules_extend_worksheet_or_workbook(macros):
    assert 'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"' in macros["ThisWorkbook"]
    assert 'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"' in macros["shItems"]


def test_a_project_that_reads_back_wrong_stops_the_build(parts):
    modules = [
        vba_sources.VbaModule(
            "Loupe",
            vba_sources.ModuleKind.STANDARD,
            'Attribute VB_Name = "Loupe"\nSub Other()\nEnd Sub\n',
        )
    ]
    with pytest.raises(vba_project.VbaBuildError, match="module Loupe reads back different"):
        vba_project.check_read_back(parts["xl/vbaProject.bin"], modules)
    missing = [vba_sources.VbaModule("Gone", vba_sources.ModuleKind.STANDARD, "")]
    with pytest.raises(vba_project.VbaBuildError, match="lost module Gone"):
        vba_project.check_read_back(parts["xl/vbaProject.bin"], missing)


def test_long_repeats_survive_compression():
    # 600 spaces and a repeated line: the copy-token lengths ms-ovba-compression got wrong.
    code = 'Attribute VB_Name = "Pad"\n' + "' " + " " * 600 + "x\n" + "' same line\n" * 400
    module = vba_sources.VbaModule("Pad", vba_sources.ModuleKind.STANDARD, code)
    data = vba_project.build_vba_project([module])
    assert vba_project.read_back(data)["Pad"].rstrip("\n") == code.rstrip("\n")
