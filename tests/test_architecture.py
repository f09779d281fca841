"""The shape of the house: a pure core, documented entry points, buttons wired end to end."""

from __future__ import annotations

import ast
import inspect
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
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
               if ast.get_docstring(ast.parse(p.read_text())) is None]
    assert missing == []


def test_every_folder_says_what_it_may_import():
    silent = [str(p.parent.relative_to(ROOT)) for p in (ROOT / "addin").rglob("__init__.py")
              if "import" not in (ast.get_docstring(ast.parse(p.read_text())) or "")]
    assert silent == []


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
    here = Path(__file__).resolve()  # this file names every button: it must not count
    tests = " ".join(p.read_text() for p in (ROOT / "tests").rglob("test_*.py")
                     if p.resolve() != here)
    cli_for = {"validate_styles": "validate", "clone_rows": "clone", "post_receipts": "receipts",
               "post_sales": "sales", "post_movements": "movements", "post_counts": "counts",
               "refresh_reports": "refresh", "verify_ledger": "verify", "convert_style": "convert",
               "import_stock": "import", "print_tags": "tags", "count_by_scan": "count",
               "close_period": "close", "reverse": "reverse", "change_method": "method"}
    for b in ribbon.BUTTONS:
        assert f"Sub {b.callback}(control As IRibbonControl)" in vba, b.callback
        assert b.macro in buttons.BUTTONS, b.macro
        assert f'"{cli_for[b.macro]}"' in tests or b.macro in tests, f"no test presses {b.label}"


# --- Excel formula text is spelled in the workbook layout, never in the core -----------------

EXCEL_TEXT = re.compile(
    r"\b(SUM|SUMIFS?|IF|IFERROR|MAX|MIN|AVERAGE|COUNTA?|COUNTIFS?|INDEX|MATCH|TODAY|DATEVALUE"
    r"|ISNUMBER|[VX]LOOKUP|ROUND)\("  # an Excel function called
    r"|\{[^{}]*:col\}|#This Row|\[@"  # a column range, a structured reference
    r"|\{[A-Z][^{}:]*\}\s*[-+*/]"  # arithmetic on a header's cell: {Sales}-{Cost of Goods}
)


def formula_texts(path: Path) -> list[str]:
    """Every string in a module (f-string pieces too) that reads as Excel formula text."""
    return [node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and EXCEL_TEXT.search(node.value)]


def test_the_core_builds_no_excel_formula_text():
    """The core says what Excel keeps current as rules; `workbook/layout` spells formulas."""
    found = {p.relative_to(ROOT).as_posix(): formula_texts(p)
             for p in (ROOT / "addin" / "core").rglob("*.py")}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_formula_text_check_would_catch_one(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text(
        "MARGIN = '{Sales}-{Cost of Goods}'\n"
        "def total(h):\n    return f'SUM({{{h}:col}})'\n"
        "OWNED = 'SUMIF({Terms:col},\"Owned\",{Qty:col})'\n"
        "AGE = 'IF(tblItems[[#This Row],[Received]]=\"\",\"\",1)'\n"
        "PATTERN = 'write it like {prefix}-{seq:06d}{check}'\n"  # a serial pattern: not Excel
    )
    assert len(formula_texts(sneaky)) == 4


# --- the time of a press: read once at the edge, handed down ---------------------------------

# the edges that may read a clock: the `loupe` command (--as-of, LOUPE_NOW, the clock), the
# ribbon's entry point and the worksheet functions' day (the computer's clock), log stamps
CLOCK_EDGES = {"addin/cli.py", "addin/macros/entry.py", "addin/udfs/cache.py",
               "addin/workbook/live/log.py"}
ENVIRONMENT_EDGES = {"addin/cli.py"}  # reads LOUPE_NOW, as the README documents
CLOCK_CALLS = {"now", "today", "utcnow"}


TIME_WORDS = re.compile(r"NOW|DATE|TIME|TODAY|AS_?OF|CLOCK|DAY", re.I)


def _environment_key(node: ast.AST) -> str | None:
    """The name read from the environment by `node` (os.environ[K], os.environ.get(K),
    os.getenv(K)); "?" when it is not written out; None when `node` reads none."""
    def is_os(n: ast.AST, attr: str) -> bool:
        return isinstance(n, ast.Attribute) and n.attr == attr and \
            getattr(n.value, "id", "") == "os"

    key = None
    if isinstance(node, ast.Subscript) and is_os(node.value, "environ"):
        key = node.slice
    elif isinstance(node, ast.Call) and node.args and (
            is_os(node.func, "getenv") or (isinstance(node.func, ast.Attribute)
                                           and node.func.attr == "get"
                                           and is_os(node.func.value, "environ"))):
        key = node.args[0]
    else:
        return None
    return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else "?"


def time_sources(path: Path) -> set[str]:
    """What in a module reads the time of day, or a date or time from the environment (any
    name of a time, any name not written out, and LOUPE_NOW however it is reached)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        key = _environment_key(node)
        if key is not None and (key == "?" or TIME_WORDS.search(key)):
            found.add(f"environment {key}")
        elif isinstance(node, ast.Attribute):
            owner = node.value.attr if isinstance(node.value, ast.Attribute) else \
                getattr(node.value, "id", "")
            if node.attr in CLOCK_CALLS and owner in ("datetime", "date"):
                found.add(f"{owner}.{node.attr}")
            elif node.attr == "time" and owner == "time":
                found.add("time.time")
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            found |= {f"os.{a.name}" for a in node.names if a.name in ("environ", "getenv")}
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and "LOUPE_NOW" in node.value:
            found.add("LOUPE_NOW")
    return found


def test_the_time_of_a_press_is_handed_down_never_read_from_the_environment():
    readers = {}
    for p in sorted((ROOT / "addin").rglob("*.py")):
        name = p.relative_to(ROOT).as_posix()
        found = time_sources(p)
        environment = {f for f in found if f.startswith(("environment", "os.", "LOUPE_NOW"))}
        allowed = environment if name in ENVIRONMENT_EDGES else set()
        allowed |= (found - environment) if name in CLOCK_EDGES else set()
        if found - allowed:
            readers[name] = sorted(found - allowed)
    assert readers == {}


def test_the_clock_check_would_catch_one(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text(
        "import datetime as dt\nimport os\nfrom os import environ\n"
        "def when(name):\n    fixed = os.environ.get('LOUPE_NOW') or os.getenv('SHOP_DATE')\n"
        "    fixed = fixed or os.environ[name] or os.environ.get('HOME')\n"  # HOME: no time
        "    return fixed or dt.datetime.now() or dt.date.today()\n")
    assert time_sources(sneaky) == {"datetime.now", "date.today", "os.environ",
                                    "environment LOUPE_NOW", "environment SHOP_DATE",
                                    "environment ?", "LOUPE_NOW"}


def test_every_press_is_told_when_it_happens():
    """A button that reads the shop takes the time of the press as an argument."""
    untimed = {"clone_rows", "verify_ledger"}  # they read no stock and date nothing
    for name, fn in buttons.BUTTONS.items():
        takes = "now" in inspect.signature(fn).parameters
        assert takes != (name in untimed), name


# --- the import contract ([tool.importlinter] in pyproject.toml) ------------------------------

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports_on_a_copy(tmp_path: Path, module: str, line: str) -> subprocess.CompletedProcess:
    """Run the project's import contract over a copy of addin/ with `line` added to `module`."""
    shutil.copytree(ROOT / "addin", tmp_path / "addin",
                    ignore=shutil.ignore_patterns("__pycache__", "vba"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    if module:
        target = tmp_path / module
        target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_import_contract_holds_on_the_copy_the_violation_tests_use(tmp_path):
    done = lint_imports_on_a_copy(tmp_path, "", "")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("addin/core/money.py", "from addin.workbook import port", "Layers point one way"),
    ("addin/core/ledger/chain.py", "import xlwings", "import no Excel library"),
    ("addin/sheets/schema.py", "from addin.core import errors", "Layers point one way"),
    ("addin/udfs/cache.py", "from addin.macros import entry", "Layers point one way"),
    ("addin/workbook/files/table_place.py", "import addin.workbook.live",
     "Inside the workbook"),
    ("addin/workbook/layout/report_look.py", "from addin.workbook import port",
     "Inside the workbook"),
    ("addin/core/costing/average.py", "from addin.core.posting import checks",
     "Inside the core"),
    ("addin/core/reports/items.py", "from addin.core.posting import shop", "Inside the core"),
])
def test_the_import_contract_catches_a_wrong_way_import(tmp_path, module, line, broken):
    done = lint_imports_on_a_copy(tmp_path, module, line)
    assert done.returncode == 1, done.stdout + done.stderr
    verdicts = {line.rsplit(" ", 1)[0]: line.rsplit(" ", 1)[1]
                for line in done.stdout.splitlines() if line.endswith((" KEPT", " BROKEN"))}
    assert [v for name, v in verdicts.items() if broken in name] == ["BROKEN"], done.stdout
