"""The ``xlwings.conf`` sheet: how the workbook's VBA finds Python and Loupe.

xlwings reads keys from column A and values from column B, starting at A1 and stopping at
the first blank key; a key on this sheet wins over the user's and the folder's
xlwings.conf files. Notes sit in column C, which xlwings does not read.

The interpreter keys are blank on purpose. xlwings then falls back to the key
``Interpreter`` of the user's xlwings.conf, and finally to ``python`` (``pythonw`` for
functions) on the PATH. A plain ``Interpreter`` key left blank on this sheet would instead
hand xlwings an empty interpreter, so the sheet carries the per-platform keys only.
"""

from __future__ import annotations

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from addin.template import formats

CONF_SHEET = "xlwings.conf"
UDF_MODULES = "addin.udfs.functions"

# key, value, note
CONF_ROWS: tuple[tuple[str, object, str], ...] = (
    ("Interpreter_Win", None, "Blank = python on the PATH; or the full path to python.exe"),
    ("Interpreter_Mac", None, "Blank = python on the PATH; or the full path to python"),
    ("PYTHONPATH", None, "Folders to search for Loupe when it is not installed with pip"),
    ("Conda Path", None, "Only for a conda install: the folder of conda"),
    ("Conda Env", None, "Only for a conda install: the environment holding Loupe"),
    ("UDF Modules", UDF_MODULES, "Loupe's worksheet functions"),
    ("Debug UDFs", False, "True only while developing worksheet functions"),
    ("Use UDF Server", False, "Keep False"),
    ("Show Console", False, "True shows Python's console window (Windows)"),
)


def lay_out_conf(ws: Worksheet) -> None:
    """Keys in A, values in B from A1 down, notes in C."""
    for row, (key, value, note) in enumerate(CONF_ROWS, start=1):
        ws.cell(row=row, column=1, value=key)
        ws.cell(row=row, column=2, value=value)
        ws.cell(row=row, column=3, value=note).font = Font(italic=True, color=formats.NOTE_TEXT)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["C"].width = 60
