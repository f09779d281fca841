"""Real shop books for tests: copied from the template, typed into with openpyxl.

Typing goes through openpyxl exactly as a person's edits land in a saved file: values in
the Table's next rows, the Table's ref grown to hold them. Reading back uses openpyxl
too, so a test sees what Excel would show, not what Loupe believes it wrote.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries

from addin.sheets import schema

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "workbook_template.xlsm"

STYLES = [
    # Style, Description, Category, Metal, Vendor, Vendor Style, Tracking, Cost Method,
    # Retail Price, Reorder Point, Active
    ["RG-101", "Solitaire ring", "Rings", "14K White Gold", "Aurum", "A-1", "Serialized",
     "FIFO", 1999.99, None, "Yes"],
    ["PD-201", "Pearl pendant", "Pendants", "18K Yellow Gold", "Aurum", "A-2", "Serialized",
     "FIFO", 899.0, None, "Yes"],
    ["CH-301", "Rope chain 18in", "Chains", "14K Yellow Gold", "Northstar", "N-1", "Quantity",
     "FIFO", 120.0, 10, "Yes"],
    ["ST-401", "Stud earrings", "Studs", "Sterling Silver", "Silverline", "S-1", "Quantity",
     "Average", 35.0, 12, "Yes"],
    ["OLD-9", "Retired style", "Rings", "Platinum", "Aurum", "A-9", "Serialized", "FIFO",
     500.0, None, "No"],
]


def day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def new_book(tmp: Path, name: str = "shop.xlsm") -> Path:
    path = tmp / name
    shutil.copyfile(TEMPLATE, path)
    type_rows(path, schema.STYLES, STYLES)
    return path


def _table(ws, sheet: schema.Sheet):
    return ws.tables[sheet.table]


def type_rows(path: Path, sheet: schema.Sheet, rows: list[list], sheet_name: str | None = None):
    """Type rows (schema header order) after the last filled row of the sheet's Table."""
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb[sheet_name or sheet.name]
    table = _table(ws, sheet)
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    headers = [ws.cell(min_row, c).value for c in range(min_col, max_col + 1)]
    last = min_row
    for r in range(min_row + 1, max_row + 1):
        if any(ws.cell(r, c).value not in (None, "") for c in range(min_col, max_col + 1)):
            last = r
    for i, values in enumerate(rows, start=1):
        record = dict(zip(sheet.headers, values, strict=False))
        for c, h in enumerate(headers, start=min_col):
            if h in record:
                cell = ws.cell(last + i, c)
                cell.value = record[h]
                if isinstance(record[h], str) and record[h][:1] in "=+-@":
                    cell.data_type = "s"  # typed as text, as Excel stores '=...
    new_max = max(max_row, last + len(rows))
    table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{new_max}"
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref
    wb.save(path)


def read_rows(path: Path, sheet: schema.Sheet, sheet_name: str | None = None) -> list[dict]:
    """The Table's non-blank body rows as header -> value, read with openpyxl."""
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb[sheet_name or sheet.name]
    min_col, min_row, max_col, max_row = range_boundaries(_table(ws, sheet).ref)
    headers = [ws.cell(min_row, c).value for c in range(min_col, max_col + 1)]
    out = []
    for r in range(min_row + 1, max_row + 1):
        values = [ws.cell(r, c).value for c in range(min_col, max_col + 1)]
        if any(v not in (None, "") for v in values):
            out.append({"_row": r, **dict(zip(headers, values, strict=True))})
    return out


def set_cell(path: Path, sheet_name: str, cell: str, value) -> None:
    wb = openpyxl.load_workbook(path, keep_vba=True)
    wb[sheet_name][cell].value = value
    wb.save(path)
