"""The live Excel formulas of the workbook, spelled once.

Age and Margin on the Items sheet are Excel formulas so that Excel keeps them current
between Loupe runs. The template puts them on the table as calculated columns (new rows
get them) and the files adapter writes the same text into each Items row, so both read
from here.

Formulas are kept in the form Excel *stores* in the file: a structured reference to the
same row is ``tblItems[[#This Row],[Received]]``. Excel shows it as ``[@Received]``, but
that short form is only for typing; written into a file it makes Excel repair the book.
Texts have no leading ``=``; `cell_formula` adds it for writing into a cell.

The report sheets' live figures come from the core as rules over headers
(`addin.core.reports.Difference`, `ColumnSum`, ...); `report_formula` spells each one as a
template over headers, ``{Sales}`` for this row's cell of column Sales and ``{Sales:col}``
for the column's body, which the report layout turns into A1 references.

Defined names carry the report date into the formulas. ``AsOfDate`` is the date the last
Refresh was given (``loupe refresh --as-of 2026-06-30``: ``RefreshedAsOf``, written by the
refresh); else the Settings value "Report As Of" when one is typed (a real date or text
such as 2024-06-30); else today. That is the order in which the reports take their date,
so the ages Excel shows on Items agree with the reports Loupe last wrote.
"""

from __future__ import annotations

import datetime as dt

from addin.core.reports import (
    ColumnMax,
    ColumnSum,
    ColumnSumWhere,
    Difference,
    Live,
    Ratio,
    RowSum,
)
from addin.sheets.schema import ITEMS, SETTINGS, Sheet


def this_row(sheet: Sheet, header: str) -> str:
    """A reference to `header` in the same row of the sheet's table, as Excel stores it."""
    sheet.column(header)  # a typo in a header fails here, not in Excel
    return f"{sheet.table}[[#This Row],[{header}]]"


def setting(name: str) -> str:
    """The Value of the Settings row named `name`, found by name so rows may be reordered."""
    return f'INDEX({SETTINGS.name}!$B:$B,MATCH("{name}",{SETTINGS.name}!$A:$A,0))'


# Defined names: name -> formula (workbook scope).
REPORT_AS_OF = "ReportAsOf"
REFRESHED_AS_OF = "RefreshedAsOf"
AS_OF_DATE = "AsOfDate"
DEFINED_NAMES: dict[str, str] = {
    REPORT_AS_OF: setting("Report As Of"),
    REFRESHED_AS_OF: '""',  # no date given to the last Refresh
    AS_OF_DATE: (
        f'IF({REFRESHED_AS_OF}<>"",{REFRESHED_AS_OF},IF({REPORT_AS_OF}="",TODAY(),'
        f"IF(ISNUMBER({REPORT_AS_OF}),{REPORT_AS_OF},DATEVALUE({REPORT_AS_OF}))))"
    ),
}


def refreshed_as_of(day: dt.date | None) -> str:
    """The formula of RefreshedAsOf after a Refresh given `day` (None: none given)."""
    return '""' if day is None else f"DATE({day.year},{day.month},{day.day})"

_received = this_row(ITEMS, "Received")
_sold_date = this_row(ITEMS, "Sold Date")
_sold_price = this_row(ITEMS, "Sold Price")
_cost = this_row(ITEMS, "Cost")

# Items formula columns: header -> formula. Blank stays blank, so an empty row reads empty.
ITEM_FORMULAS: dict[str, str] = {
    # Days on hand: up to the sale for sold pieces, up to the report date for the rest.
    "Age (days)": (
        f'IF({_received}="","",IF({_sold_date}="",{AS_OF_DATE},{_sold_date})-{_received})'
    ),
    "Margin": f'IF({_sold_price}="","",{_sold_price}-{_cost})',
}

assert set(ITEM_FORMULAS) == {c.header for c in ITEMS.columns if c.formula}, (
    "Items formula columns drifted from the schema"
)


def formulas_for(sheet: Sheet) -> dict[str, str]:
    """The formula columns of `sheet` (header -> stored formula text); empty if none."""
    return dict(ITEM_FORMULAS) if sheet.name == ITEMS.name else {}


def cell_formula(sheet: Sheet, header: str) -> str:
    """What to write into a cell of a formula column: the formula with its leading '='."""
    return "=" + formulas_for(sheet)[header]


def report_formula(rule: Live) -> str:
    """A report's live figure as a formula over headers (``{H}`` this row, ``{H:col}`` body)."""
    match rule:
        case Difference(left, right):
            return f"{{{left}}}-{{{right}}}"
        case RowSum(columns):
            return "SUM(" + ",".join(f"{{{c}}}" for c in columns) + ")"
        case Ratio(top, bottom, times, per):
            scaled = f"{{{top}}}" + (f"*{times}" if times != 1 else "") + (
                f"/{{{per}}}" if per else "")
            return f'IF({{{bottom}}}=0,"",{scaled}/{{{bottom}}})'
        case ColumnSum(column):
            return f"SUM({{{column}:col}})"
        case ColumnMax(column):
            return f"MAX({{{column}:col}})"
        case ColumnSumWhere(column, where, equals):
            return f'SUMIF({{{where}:col}},"{equals}",{{{column}:col}})'
    raise TypeError(f"no formula for {rule!r}")
