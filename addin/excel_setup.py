"""Desktop Excel: set a book up for this computer, or let Excel itself write its VBA.

`setup_book(book)` (``loupe excel setup BOOK``) works on the saved file, before Excel opens
it. It rewrites the ``xlwings.conf`` sheet (see `addin.template.xlwings_conf`):

- the interpreter key of this platform (``Interpreter_Win`` or ``Interpreter_Mac``) holds
  the path of the Python that runs Loupe (on a Mac a blank one means ``python``, which is
  not there);
- keys whose value is blank are dropped from the part xlwings reads: xlwings takes a key
  found on the sheet even when it is blank, so it would hide the user's own
  ``~/.xlwings/xlwings.conf``; the help block below the blank row is laid out again;
- the installed xlwings must be the version of the runtime the book's VBA carries (the
  sheet records it); otherwise RunPython fails in ways that are hard to read;
- on macOS it says to run ``xlwings runpython install`` once.

`import_vba(path)` (``loupe excel import-vba BOOK``) is the fallback for a book whose
ribbon shows but whose macros do not run: it opens the book in desktop Excel through
xlwings and imports Loupe's VBA modules with Excel's own ``VBProject.VBComponents.Import``
(an existing module of the same name is removed first), so that Excel writes the VBA
project itself, then saves. Excel must allow it: File > Options > Trust Center > Trust
Center Settings > Macro Settings > "Trust access to the VBA project object model".
"""

from __future__ import annotations

import importlib.metadata
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from addin.core.errors import BookError, Problem
from addin.session import Outcome
from addin.template import xlwings_conf as conf
from addin.template.vba_sources import SOURCE_FILES, VBA_DIR, ModuleKind, source_module

PLATFORM_KEYS = {"windows": "Interpreter_Win", "mac": "Interpreter_Mac"}
MAC_NOTE = ("On this Mac, run once in Terminal: xlwings runpython install  (it lets Excel "
            "start Python; without it a button says 'To enable RunPython, please run "
            "xlwings runpython install')")
TRUST = ("Excel refused to show the book's VBA project to Loupe. In Excel: File > Options > "
         "Trust Center > Trust Center Settings > Macro Settings, tick 'Trust access to the VBA "
         "project object model', press OK, close Excel and run this again (on a Mac: Excel > "
         "Preferences > Security, 'Trust access to the VBA project object model')")
CLASS_HEADER = "VERSION 1.0 CLASS\nBEGIN\n  MultiUse = -1  'True\nEND\n"


def this_platform() -> str | None:
    return {"win32": "windows", "darwin": "mac"}.get(sys.platform)


def setup_book(book, *, platform: str | None = None, python: str | None = None) -> Outcome:
    """Write this computer's Python into the book's xlwings.conf sheet and check xlwings.

    The interpreter key of the platform gets the path of the Python running Loupe, blank
    keys that would hide ~/.xlwings/xlwings.conf are dropped, and the installed xlwings is
    checked against the runtime the book's VBA carries.
    """
    platform = platform or this_platform()
    if platform not in PLATFORM_KEYS:
        raise BookError("run `loupe excel setup` on the computer that runs Excel (Windows or "
                        "macOS), or say which with --for windows|mac and --python PATH")
    interpreter = python or sys.executable
    grid = book.read_cells(conf.CONF_SHEET)
    keys, runtime = read_conf(grid)
    key = PLATFORM_KEYS[platform]
    dropped = [k for k, v in keys if _blank(v) and k != key]
    kept = [(k, v) for k, v in keys if not _blank(v) and k != key]
    block = [(key, interpreter), *kept]
    book.write_sheet_cells(conf.CONF_SHEET, laid_out(block, runtime, len(grid), _width(grid)))
    book.save()
    lines = [f"{conf.CONF_SHEET}: {key} = {interpreter}  (the Python that runs this command)"]
    if dropped:
        lines.append(f"{conf.CONF_SHEET}: took out blank key(s) {', '.join(dropped)} (a blank key "
                     "there would hide the same key in ~/.xlwings/xlwings.conf)")
    problems = []
    installed = _installed_xlwings()
    if not runtime:
        lines.append("The book does not record which xlwings runtime its VBA carries (it was "
                     "made by an older Loupe); make a new book with `loupe new` if buttons fail")
    elif installed != runtime:
        problems.append(_problem(f"the installed xlwings is {installed}, but the book's VBA "
                                 f"is the xlwings {runtime} runtime",
                                 f"install the same version: pip install xlwings=={runtime}"))
    else:
        lines.append(f"xlwings {installed} is installed, the same version as the book's VBA")
    if platform == "mac":
        lines.append(MAC_NOTE)
    return Outcome("Excel Setup", "\n".join(lines), problems, 1, len(problems))


def read_conf(grid: list[list]) -> tuple[list[tuple[str, object]], str]:
    """(the keys xlwings reads, in order, with their values; the recorded runtime version)."""
    keys: list[tuple[str, object]] = []
    for row in grid:
        if _blank(row[0] if row else None):
            break
        keys.append((str(row[0]).strip(), row[1] if len(row) > 1 else None))
    runtime = ""
    for row in grid:
        if row and str(row[0]).strip() == conf.RUNTIME_KEY and len(row) > 1:
            runtime = str(row[1]).strip()
    return keys, runtime


def laid_out(block: list[tuple[str, object]], runtime: str, old_rows: int, old_cols: int
             ) -> dict[int, dict[int, object]]:
    """Every cell of the sheet anew: the keys, a blank row, the help, the runtime."""
    notes = dict(conf.OPTIONAL_KEYS) | {k: n for k, _, n in conf.CONF_ROWS}
    rows: list[list[object]] = [[k, v, notes.get(k)] for k, v in block]
    rows.append([None, None, None])
    rows.append([conf.HELP_HEADING, None, None])
    rows += [[k, None, n] for k, n in conf.OPTIONAL_KEYS if k not in dict(block)]
    rows.append([None, None, None])
    rows.append([conf.RUNTIME_KEY, runtime or None, None])
    width = max(3, old_cols)
    cells: dict[int, dict[int, object]] = {}
    for r in range(1, max(len(rows), old_rows) + 1):
        values = rows[r - 1] if r <= len(rows) else []
        cells[r] = {c: (values[c - 1] if c <= len(values) else None) for c in range(1, width + 1)}
    return cells


def _width(grid: list[list]) -> int:
    return max((len(r) for r in grid), default=0)


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _installed_xlwings() -> str:
    try:
        return importlib.metadata.version("xlwings")
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _problem(message: str, fix: str) -> Problem:
    return Problem(conf.CONF_SHEET, None, None, message, fix)


# --- the VBA-import fallback -----------------------------------------------------------------


def import_vba(path: Path, *, open_book: Callable[[Path], object] | None = None) -> Outcome:
    """Let desktop Excel write the book's VBA: import Loupe's modules, then save.

    Opens the book in Excel (through xlwings), removes any module named like one of Loupe's
    (xlwings, Dictionary, Loupe) and imports each from its source with Excel's own
    VBProject.VBComponents.Import. Needs "Trust access to the VBA project object model".
    """
    book = (open_book or _open_in_excel)(Path(path))
    try:
        try:
            components = book.api.VBProject.VBComponents
        except Exception:  # COM says "Programmatic access ... is not trusted"
            raise BookError(TRUST) from None
        names = []
        with tempfile.TemporaryDirectory(prefix="loupe-vba-") as folder:
            for file_name in SOURCE_FILES:
                module = source_module(file_name)
                _remove(components, module.name)
                components.Import(str(export_file(Path(folder), file_name, module.kind)))
                names.append(module.name)
        book.save()
    finally:
        book.close()
    return Outcome("Import VBA", f"Excel imported {len(names)} VBA modules into {Path(path).name} "
                   f"({', '.join(names)}) and saved it. Close Excel, open the book again and "
                   "press a Loupe button.", [], len(names), 0)


def export_file(folder: Path, file_name: str, kind: ModuleKind) -> Path:
    """A module as the VBA editor exports it: CRLF, Windows-1252, a class with its header."""
    text = (VBA_DIR / file_name).read_text(encoding="utf-8")
    if kind == ModuleKind.CLASS:
        lines = [ln for ln in text.splitlines() if not ln.startswith("Attribute VB_Base")]
        text = CLASS_HEADER + "\n".join(lines) + "\n"
    target = folder / file_name
    target.write_bytes(text.replace("\r\n", "\n").replace("\n", "\r\n").encode("cp1252"))
    return target


def _remove(components, name: str) -> None:
    for i in range(components.Count, 0, -1):
        component = components.Item(i)
        if str(component.Name).lower() == name.lower():
            components.Remove(component)


def _open_in_excel(path: Path):
    if not path.exists():
        raise BookError(f"{path} does not exist")
    try:
        import xlwings as xw

        app = xw.App(visible=True, add_book=False)
    except Exception as e:  # no Excel here (Linux, or Excel not installed)
        raise BookError(f"desktop Excel could not be started through xlwings ({e}); this "
                        "command runs on the Windows or macOS computer that has Excel") from None
    return app.books.open(str(path))
