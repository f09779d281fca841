"""A small report laid out as Loupe lays out every report, for the adapters' tests."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from addin.core.reports import Chart, Report, Section, sum_total
from addin.sheets.schema import Kind
from addin.workbook.layout.report_layout import Layout, lay_out

ON_HAND = pd.DataFrame({
    "Style": ["RG-101", "EA-200"],
    "Qty": [2, 36],
    "Value": [85000, 44100],  # cents
    "Last Received": [dt.datetime(2024, 3, 1), dt.datetime(2024, 3, 4)],
})
KINDS = {"Qty": Kind.INT, "Value": Kind.MONEY, "Last Received": Kind.DATE}
VALUE_CHART = Chart("bar", "Value by style", "Style", ("Value",))


def small_layout(sheet: str = "On Hand", frame: pd.DataFrame = ON_HAND,
                 chart: Chart | None = None, title: str = "On hand by style") -> Layout:
    """On Hand: A1 title, A3/A4 as-of and ledger lines, section title in row 6, header in
    row 7, body from row 8, a Total row (SUM of Value) under it."""
    section = Section("By style", frame, KINDS, totals=(sum_total(frame, ["Value"]),),
                      chart=chart)
    return lay_out(Report(sheet, title, (section,)), store="Gem & Co",
                   as_of=dt.date(2024, 3, 31), last_entry=7, last_hash="ab12")


def chart_refs(path) -> list[list[str]]:
    """The cell references of each chart part in a saved book, sorted ($ signs dropped, a
    one-cell range A9:A9 written A9, as Excel shows both)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = sorted(n for n in z.namelist() if n.startswith("xl/charts/") and
                       n.endswith(".xml"))
        return [sorted(re.sub(r"!(\w+):\1$", r"!\1", r.replace("$", "")) for r in
                       re.findall(r"<(?:c:)?f>([^<]+)</(?:c:)?f>", z.read(n).decode()))
                for n in parts]
