"""The Items sheet's rows as cells: the core's table of pieces turned into what each cell holds.

`addin.core.reports.items.item_table` says what each piece is (money in cents, dates, blanks
missing); this module says how that reads on the sheet: money in dollars, dates as dates,
blank cells for what is missing, and nothing in Age and Margin, whose cells hold the Excel
formulas of `formulas.ITEM_FORMULAS` (each adapter writes those).
"""

from __future__ import annotations

import pandas as pd

from addin.sheets.schema import ITEMS, Kind
from addin.workbook.layout.report_layout import cell_values


def item_rows(table: pd.DataFrame) -> list[list[object]]:
    """The Items table body, one list of cells per piece, in header order."""
    if table.empty:
        return []
    columns = [_cells(table[c.header], c.kind, c.formula) for c in ITEMS.columns]
    return [list(row) for row in zip(*columns, strict=True)]


def _cells(values: pd.Series, kind: Kind, formula: bool) -> list[object]:
    if formula:
        return [None] * len(values)
    if kind == Kind.TEXT:  # text as typed; a blank stays a blank cell
        return [None if _missing(v) else v for v in values]
    return list(cell_values(values, kind))


def _missing(v: object) -> bool:
    return v is None or v == "" or (not isinstance(v, str) and bool(pd.isna(v)))
