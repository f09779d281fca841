"""The VBA modules of the template, as text: xlwings runtime, Loupe callbacks, sheet modules.

``vba/`` holds the sources: ``xlwings.bas`` and ``Dictionary.cls`` (the xlwings runtime,
copied by `extract_xlwings`) and ``Loupe.bas`` (one ribbon callback per button, made from
`ribbon.BUTTONS` by `loupe_module`; ``python -m addin.template`` rewrites it). Every sheet
and the workbook also get an empty *document* module, named after their code names, the
way Excel itself lays out a VBA project.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from addin.template.ribbon import BUTTONS, Button

VBA_DIR = Path(__file__).parent / "vba"
LOUPE_MODULE = "Loupe"
ENTRY_POINT = "import addin.macros.entry as e; e.run('{macro}')"

# The Base of a document module: the Excel type it extends (Workbook or Worksheet).
WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"


class ModuleKind(StrEnum):
    STANDARD = "Module"  # a .bas file
    CLASS = "Class"  # a .cls file
    DOCUMENT = "Document"  # behind a sheet or the workbook


@dataclass(frozen=True)
class VbaModule:
    name: str
    kind: ModuleKind
    code: str  # module text with its Attribute lines, LF line ends


def run_python(button: Button) -> str:
    """The RunPython command a ribbon callback sends."""
    return ENTRY_POINT.format(macro=button.macro)


def loupe_module(buttons: Iterable[Button] = BUTTONS) -> str:
    """Text of ``Loupe.bas``: one ribbon callback per button."""
    lines = [
        f'Attribute VB_Name = "{LOUPE_MODULE}"',
        "' Loupe ribbon callbacks: one Sub per button on the Loupe tab.",
        "' Made from addin/template/ribbon.py by `python -m addin.template`; edit that, not this.",
        "' Each runs one macro of addin.macros.buttons through addin.macros.entry, which shows",
        "' progress in the status bar and problems in Status cells and one message box.",
        "Option Explicit",
    ]
    for button in buttons:
        lines += [
            "",
            f"' {button.label}",
            f"Sub {button.callback}(control As IRibbonControl)",
            f'    RunPython "{run_python(button)}"',
            "End Sub",
        ]
    return "\n".join(lines) + "\n"


def document_module(code_name: str, base: str = WORKSHEET_BASE) -> VbaModule:
    """An empty module behind a sheet (or, with WORKBOOK_BASE, the workbook)."""
    attributes = (
        ("Name", f'"{code_name}"'),
        ("Base", f'"{base}"'),
        ("GlobalNameSpace", "False"),
        ("Creatable", "False"),
        ("PredeclaredId", "True"),
        ("Exposed", "True"),
        ("TemplateDerived", "False"),
        ("Customizable", "True"),
    )
    code = "".join(f"Attribute VB_{k} = {v}\n" for k, v in attributes)
    return VbaModule(code_name, ModuleKind.DOCUMENT, code)


def source_module(file_name: str) -> VbaModule:
    """A module from ``vba/``; .bas is a standard module, .cls a class module."""
    path = VBA_DIR / file_name
    kind = ModuleKind.CLASS if path.suffix == ".cls" else ModuleKind.STANDARD
    return VbaModule(path.stem, kind, path.read_text(encoding="utf-8"))


SOURCE_FILES = ("xlwings.bas", "Dictionary.cls", f"{LOUPE_MODULE}.bas")


def project_modules(workbook_code_name: str, sheet_code_names: Iterable[str]) -> list[VbaModule]:
    """Every module of the template's VBA project, in project order."""
    documents = [document_module(workbook_code_name, WORKBOOK_BASE)]
    documents += [document_module(name) for name in sheet_code_names]
    return documents + [source_module(name) for name in SOURCE_FILES]
