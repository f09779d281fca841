"""The ``xlwings.conf`` sheet: how the workbook's VBA finds Python and Loupe.

xlwings reads keys from column A and values from column B, from A1 down to the first
blank key, and a key found there wins over the user's ``~/.xlwings/xlwings.conf`` and the
folder's xlwings.conf, *even when its value is blank*. So the part xlwings reads holds
only keys with a value Loupe needs; the interpreter keys are not there until
``loupe excel setup`` writes the path of the Python that runs Loupe (a blank interpreter
means ``python`` on the PATH, which a Mac does not have).

Below a blank row, where xlwings stops reading, the sheet lists the keys a person may add
(with what each does) and the version of the xlwings runtime the book's VBA carries, which
``loupe excel setup`` compares with the installed xlwings.
"""

from __future__ import annotations

import re

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from addin.template import formats
from addin.template.vba_sources import VBA_DIR

CONF_SHEET = "xlwings.conf"
UDF_MODULES = "addin.udfs.functions"
RUNTIME_KEY = "Loupe: xlwings runtime in this book"
HELP_HEADING = ("Keys xlwings may also read: write one ABOVE the blank row to use it (xlwings "
                "stops at the first blank key, and a key there wins over ~/.xlwings/xlwings.conf "
                "even when blank). `loupe excel setup` writes the interpreter for you.")

# key, value, note: what xlwings reads (every key has a value)
CONF_ROWS: tuple[tuple[str, object, str], ...] = (
    ("UDF Modules", UDF_MODULES, "Loupe's worksheet functions"),
    ("Use UDF Server", False, "Keep False"),
)
# keys a person (or `loupe excel setup`) may add above the blank row
OPTIONAL_KEYS: tuple[tuple[str, str], ...] = (
    ("Interpreter_Win", "Full path to python.exe of the Python that has Loupe installed"),
    ("Interpreter_Mac", "Full path to python of the Python that has Loupe installed"),
    ("PYTHONPATH", "Folders to search for Loupe when it is not installed with pip"),
    ("Conda Path", "Only for a conda install: the folder of conda"),
    ("Conda Env", "Only for a conda install: the environment holding Loupe"),
    ("Show Console", "True shows Python's console window (Windows)"),
    ("Debug UDFs", "True only while developing worksheet functions"),
)


def embedded_xlwings_version() -> str:
    """The XLWINGS_VERSION constant of the xlwings runtime the template's VBA carries."""
    text = (VBA_DIR / "xlwings.bas").read_text(encoding="utf-8")
    found = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', text)
    if found is None:
        raise ValueError("vba/xlwings.bas has no XLWINGS_VERSION constant")
    return found.group(1)


def help_top() -> int:
    """The row of the help block: below the keys xlwings reads and one blank row."""
    return len(CONF_ROWS) + 2


def lay_out_conf(ws: Worksheet) -> None:
    """Keys in A, values in B from A1 down, notes in C; then a blank row and the help."""
    note = Font(italic=True, color=formats.NOTE_TEXT)
    for row, (key, value, text) in enumerate(CONF_ROWS, start=1):
        ws.cell(row=row, column=1, value=key)
        ws.cell(row=row, column=2, value=value)
        ws.cell(row=row, column=3, value=text).font = note
    top = help_top()
    ws.cell(row=top, column=1, value=HELP_HEADING).font = note
    for row, (key, text) in enumerate(OPTIONAL_KEYS, start=top + 1):
        ws.cell(row=row, column=1, value=key).font = note
        ws.cell(row=row, column=3, value=text).font = note
    last = top + len(OPTIONAL_KEYS) + 2
    ws.cell(row=last, column=1, value=RUNTIME_KEY).font = note
    ws.cell(row=last, column=2, value=embedded_xlwings_version())
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["C"].width = 60
