"""The shape of the house: a pure core, documented entry points, buttons wired end to end."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import typer.main

from addin.cli import app
from addin.macros import buttons
from addin.template import ribbon

ROOT = Path(__file__).resolve().parents[1]
EXCEL_LIBRARIES = {"xlwings", "openpyxl", "python_calamine", "fastexcel", "xlsxwriter", "xlrd"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_imports_no_excel_library():
    offenders = {
        str(p.relative_to(ROOT)): sorted(imported_modules(p) & EXCEL_LIBRARIES)
        for p in (ROOT / "addin" / "core").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_import_check_would_catch_one(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("def f():\n    import openpyxl.utils\n    from xlwings import Book\n")
    assert imported_modules(sneaky) & EXCEL_LIBRARIES == {"openpyxl", "xlwings"}


def test_core_does_not_reach_into_the_adapters():
    for p in (ROOT / "addin" / "core").rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        for adapter in ("addin.workbook.files", "addin.workbook.live", "addin.macros",
                        "addin.udfs", "addin.cli"):
            assert adapter not in text, f"{p.name} imports {adapter}"


def test_every_module_says_what_it_is_for():
    missing = [str(p.relative_to(ROOT)) for p in (ROOT / "addin").rglob("*.py")
               if p.name != "__init__.py" and ast.get_docstring(ast.parse(p.read_text())) is None]
    assert missing == []


def test_every_command_and_button_has_help_text():
    click_app = typer.main.get_command(app)
    undocumented = []

    def walk(group, prefix=""):
        for name, cmd in group.commands.items():
            if hasattr(cmd, "commands"):
                walk(cmd, prefix + name + " ")
            elif not (cmd.help or "").strip():
                undocumented.append(prefix + name)

    walk(click_app)
    assert undocumented == []
    for name, fn in buttons.BUTTONS.items():
        assert (inspect.getdoc(fn) or "").strip(), name


def test_every_ribbon_button_has_a_callback_a_macro_and_a_test():
    vba = (ROOT / "addin" / "template" / "vba" / "Loupe.bas").read_text()
    tests = " ".join(p.read_text() for p in (ROOT / "tests").rglob("test_*.py"))
    cli_for = {"validate_styles": "validate", "clone_rows": "clone", "post_receipts": "receipts",
               "post_sales": "sales", "post_movements": "movements", "post_counts": "counts",
               "refresh_reports": "refresh", "verify_ledger": "verify", "convert_style": "convert"}
    for b in ribbon.BUTTONS:
        assert f"Sub {b.callback}(control As IRibbonControl)" in vba, b.callback
        assert b.macro in buttons.BUTTONS, b.macro
        assert f'"{cli_for[b.macro]}"' in tests or b.macro in tests, f"no test presses {b.label}"
