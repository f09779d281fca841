"""The owner's reports: what each report sheet shows, as frames, from the ledger's Books.

`build_reports(facts)` returns one `Report` per report sheet, in the order the sheets are
written. A report is a few `Section`s; a section is one table: a frame whose columns are
the headers printed on the sheet, the kind of each column, and how Excel keeps figures
current. Money is int64 cents throughout (dollars only at the edge that writes a cell);
every figure is computed here, vectorized over the ledger, including the ones the sheet
also holds as live formulas, so the sheet and Python can be checked against each other.

What Excel keeps current is said here as a rule over headers, never as formula text:
`Difference("Sales", "Cost of Goods")` is a row's Sales less its Cost of Goods (on a totals
row: the totals row's own cells), `ColumnSum("Owned Value")` adds up a column's body. The
layout that places a section on a sheet (`addin.workbook.layout`) spells each rule as an
Excel formula in A1 references.

The pieces: `report_facts` (inputs read once), `report_stock` (valuation, cost layers,
ageing, memos), `report_sales` (margin, sale lines, COGS explain, turn and GMROI, slow
movers, reorder).

This package is reporting: the report types and `build_reports` here; `report_facts`
(what the reports read, gathered once), `report_stock`, `report_sales`, and `items`
(the Items sheet rebuilt from the ledger). It may import `addin.core.costing`,
`addin.core.rows`, `addin.core.ledger`, the core's `errors` and `money`, and
`addin.sheets`; never posting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from addin.sheets.schema import Kind

if TYPE_CHECKING:
    from addin.core.reports.report_facts import Facts


# --- what Excel keeps current: rules over headers (the layout spells them as formulas) -------


@dataclass(frozen=True)
class Difference:
    """This row's `left` less its `right`."""

    left: str
    right: str


@dataclass(frozen=True)
class RowSum:
    """This row's cells of `columns` added up."""

    columns: tuple[str, ...]


@dataclass(frozen=True)
class Ratio:
    """This row's `top` x `times` / `per` / `bottom`; blank when `bottom` is 0 (`ratio`)."""

    top: str
    bottom: str
    times: int = 1
    per: str = ""  # a header to divide by as well (a number of days), or none


@dataclass(frozen=True)
class ColumnSum:
    """A column's body added up (a totals cell)."""

    column: str


@dataclass(frozen=True)
class ColumnMax:
    """The largest figure of a column's body (a totals cell)."""

    column: str


@dataclass(frozen=True)
class ColumnSumWhere:
    """A column's body added up over the rows whose `where` column says `equals`."""

    column: str
    where: str
    equals: str


Live = Difference | RowSum | Ratio | ColumnSum | ColumnMax | ColumnSumWhere


@dataclass(frozen=True)
class Total:
    """One totals row under a section: its label and, per header, (rule, Python's figure)."""

    label: str
    cells: Mapping[str, tuple[Live, object]]


@dataclass(frozen=True)
class Chart:
    """A native Excel chart drawn from a section: labels from one column, series from others."""

    kind: str  # "bar" (horizontal), "column", "stacked", "line"
    title: str
    category: str  # header of the column that labels the points
    series: tuple[str, ...]  # headers of the columns plotted


@dataclass(frozen=True)
class Section:
    """One table of a report sheet."""

    title: str
    frame: pd.DataFrame  # columns = printed headers; money in cents; NaN/NA = blank cell
    kinds: Mapping[str, Kind]
    formulas: Mapping[str, Live] = field(default_factory=dict)  # header -> rule per row
    totals: tuple[Total, ...] = ()
    note: str = ""
    chart: Chart | None = None

    def kind(self, header: str) -> Kind:
        return self.kinds.get(header, Kind.TEXT)


@dataclass(frozen=True)
class Report:
    """One report sheet."""

    sheet: str
    title: str
    sections: tuple[Section, ...]
    note: str = ""


def sum_total(section_frame: pd.DataFrame, headers: list[str], label: str = "Total") -> Total:
    """A totals row that adds up each of `headers` over the section's body."""
    cells = {h: (ColumnSum(h), int(section_frame[h].fillna(0).sum())) for h in headers}
    return Total(label, cells)


def ratio(top: pd.Series | int, bottom: pd.Series | int) -> pd.Series:
    """top / bottom as floats, NaN where bottom is 0 (a blank cell, as `Ratio` leaves it)."""
    t = pd.Series(top, dtype="float64") if not isinstance(top, pd.Series) else top.astype(float)
    b = (
        pd.Series(bottom, dtype="float64")
        if not isinstance(bottom, pd.Series)
        else bottom.astype(float)
    )
    return (t / b.where(b != 0)).astype("float64")


def build_reports(facts: Facts) -> list[Report]:
    """Every report sheet, in the order they are written (`facts`: report_facts.Facts)."""
    from addin.core.reports import report_sales, report_stock  # they build on the types above

    return [
        report_stock.valuation(facts),
        report_stock.cost_layers(facts),
        report_stock.ageing(facts),
        report_stock.memos(facts),
        report_sales.margin(facts),
        report_sales.sale_lines_report(facts),
        report_sales.cogs_explain(facts),
        report_sales.turn_and_gmroi(facts),
        report_sales.slow_movers(facts),
        report_sales.reorder(facts),
    ]


REPORT_SHEETS = (
    "Valuation",
    "Cost Layers",
    "Ageing",
    "Memos",
    "Margin",
    "Sale Lines",
    "COGS Explain",
    "Turn & GMROI",
    "Slow Movers",
    "Reorder",
)
