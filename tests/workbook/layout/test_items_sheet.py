"""The Items sheet's cells from the core's table of pieces: dollars, dates, blank cells."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from addin.sheets.schema import ITEMS
from addin.workbook.layout.items_sheet import item_rows


def test_each_piece_becomes_one_row_of_cells_in_header_order():
    table = pd.DataFrame([{h: None for h in ITEMS.headers} | {
        "Serial": "LP-1", "Style": "RG-1", "Description": "", "Carat": 0.75,
        "Cost": 50001, "Retail Price": 99900, "Received": pd.Timestamp("2025-03-01"),
        "Status": "Sold", "Sold Date": pd.Timestamp("2026-02-01"), "Sold Price": 125050,
    }], columns=list(ITEMS.headers))
    for header in ("Cost", "Retail Price", "Sold Price", "Margin"):
        table[header] = pd.array(table[header], dtype="Int64")
    [row] = item_rows(table)
    cell = dict(zip(ITEMS.headers, row, strict=True))
    assert (cell["Serial"], cell["Style"], cell["Status"]) == ("LP-1", "RG-1", "Sold")
    assert (cell["Cost"], cell["Retail Price"], cell["Sold Price"]) == (500.01, 999.0, 1250.5)
    assert cell["Received"] == dt.datetime(2025, 3, 1) and cell["Carat"] == 0.75
    assert cell["Sold Date"] == dt.datetime(2026, 2, 1)
    assert cell["Description"] is None and cell["Vendor"] is None  # blank cells, not ""
    assert cell["Age (days)"] is None and cell["Margin"] is None  # their formulas go there


def test_no_pieces_no_rows():
    assert item_rows(pd.DataFrame(columns=list(ITEMS.headers))) == []
