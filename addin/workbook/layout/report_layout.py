"""Where a report lands on its sheet: rows of cells, live formulas, and a map of the layout.

Both adapters write a report the same way (port `write_report`): the title in A1, a blank
row, then the rows from A3. `lay_out` turns a `Report` into those rows: a heading block
(as-of date, the Ledger's last entry and Hash, a note), then each section: its title, its
header row, its body, its totals rows, a blank row. Money goes out as dollars (body cells
as floats, which show exactly to the cent; totals as `Decimal`). Body rows hold plain
values, built per column; a body formula column's formula is kept on the section
(`Placed.formulas`) and its cells hold Python's figure. A totals cell is a `LiveFigure`:
the formula in A1 terms plus Python's own figure for it.

The returned `Layout` says which row is what (`rows_of`) and where each section sits
(`Placed`), for the formats, the charts and the tests that compare Excel with Python.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from addin.core.reports import Report, Section
from addin.sheets.schema import Kind
from addin.workbook.a1 import cell_name, letters
from addin.workbook.layout.formulas import report_formula

FIRST_ROW = 3  # under the title (A1) and a blank row, as both adapters place a report
_REF = re.compile(r"\{([^{}:]+)(:col)?\}")
ROW_MARK = "\ue000"  # where a body row formula takes its row number (a private-use char)
CHART_ROWS = 18  # blank rows kept under a section for its chart
NOTHING = "(none)"


@dataclass(frozen=True)
class LiveFigure:
    """A cell Excel keeps current: `formula` (A1, no leading '=') and Python's `figure`."""

    formula: str
    figure: object  # what the formula must come to (dollars for money; None = blank)
    kind: Kind = Kind.NUMBER


@dataclass
class Placed:
    """One section on the sheet (Excel row numbers; columns 1-based)."""

    section: Section
    title_row: int
    header_row: int
    first_body: int
    last_body: int  # an empty section has one body row, saying NOTHING
    total_rows: list[int] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)
    chart_row: int = 0  # first of the blank rows kept for the section's chart (0: none)
    formulas: dict[str, str] = field(default_factory=dict)  # body: header -> A1, ROW_MARK

    def formula_at(self, header: str, row: int) -> str:
        """The formula of a body cell of a formula column, in A1 terms."""
        return self.formulas[header].replace(ROW_MARK, str(row))

    def column_range(self, header: str) -> str:
        """The body range of a column, like $H$7:$H$40 (one row, even if empty)."""
        c = letters(self.columns[header])
        return f"${c}${self.first_body}:${c}${max(self.last_body, self.first_body)}"


@dataclass
class Layout:
    """A report sheet ready to write: title, rows from FIRST_ROW, and what each row is."""

    sheet: str
    title: str
    heading: str  # the title line in A1: store name and report title
    rows: list[list[object]]
    placed: list[Placed]
    rows_of: dict[str, list[int]]  # "meta", "note", "section", "header", "body", "total"

    def live_figures(self) -> list[tuple[str, LiveFigure]]:
        """(cell, LiveFigure) for every formula on the sheet (for tests and checks)."""
        out = []
        for p in self.placed:
            for h, c in p.columns.items():
                if h in p.formulas:
                    for r in range(p.first_body, p.first_body + len(p.section.frame)):
                        figure = self.rows[r - FIRST_ROW][c - 1]
                        out.append(
                            (
                                cell_name(r, c),
                                LiveFigure(p.formula_at(h, r), figure, p.section.kind(h)),
                            )
                        )
            for r in p.total_rows:
                for c, v in enumerate(self.rows[r - FIRST_ROW], 1):
                    if isinstance(v, LiveFigure):
                        out.append((cell_name(r, c), v))
        return out


def heading(title: str, store: str) -> str:
    """A report sheet's title line (cell A1): the store's name, then the report's title."""
    return f"{store}: {title}" if store else title


def lay_out(
    report: Report,
    *,
    store: str,
    as_of: dt.date,
    last_entry: int,
    last_hash: str,
    cut_note: str = "",
) -> Layout:
    """The report's rows, its formulas in A1 terms, and a map of what went where."""
    rows: list[list[object]] = []
    kinds: dict[str, list[int]] = {
        k: [] for k in ("meta", "note", "section", "header", "body", "total")
    }

    def add(row: list[object], what: str) -> int:
        rows.append(row)
        kinds[what].append(FIRST_ROW + len(rows) - 1)
        return FIRST_ROW + len(rows) - 1

    add([f"As of {as_of:%Y-%m-%d}"], "meta")
    ledger_text = f"entry {last_entry}, Hash {last_hash}" if last_entry else "no entries yet"
    add([f"Ledger: last {ledger_text}" + (f" ({cut_note})" if cut_note else "")], "meta")
    if report.note:
        add([report.note], "note")
    placed = []
    for section in report.sections:
        rows.append([])
        placed.append(_place(section, rows, add))
    return Layout(report.sheet, report.title, heading(report.title, store), rows, placed, kinds)


def _place(section: Section, rows: list[list[object]], add) -> Placed:
    headers = list(section.frame.columns)
    title_row = add([section.title], "section")
    if section.note:
        add([section.note], "note")
    header_row = add(list(headers), "header")
    cols = {h: i + 1 for i, h in enumerate(headers)}
    first = header_row + 1
    n = len(section.frame)
    p = Placed(section, title_row, header_row, first, first + n - 1, [], cols)
    body = _body(section, headers, first)
    p.formulas = {h: _a1(report_formula(rule), p, None) for h, rule in section.formulas.items()}
    for r in body:
        add(r, "body")
    if not body:  # one row saying so, which also gives the totals a range of their own
        add([NOTHING], "body")
        p.last_body = first
    for total in section.totals:
        at = FIRST_ROW + len(rows)
        row: list[object] = [total.label] + [None] * (len(headers) - 1)
        for h, (rule, figure) in total.cells.items():
            row[cols[h] - 1] = LiveFigure(
                _a1(report_formula(rule), p, at), _edge(figure, section.kind(h)), section.kind(h)
            )
        p.total_rows.append(add(row, "total"))
    if section.chart is not None and n:
        rows.append([])
        p.chart_row = FIRST_ROW + len(rows)
        rows.extend([] for _ in range(CHART_ROWS))
    return p


def _body(section: Section, headers: list[str], first: int) -> list[list[object]]:
    """Body rows as plain values (a formula column holds Python's figure), built per column."""
    frame = section.frame
    if not headers or frame.empty:
        return []
    columns = [cell_values(frame[h], section.kind(h)) for h in headers]
    return np.column_stack(columns).tolist()


def cell_values(values: pd.Series, kind: Kind) -> np.ndarray:
    """One column of facts as cell values (a report section's, the Items sheet's): money in
    dollars (float, exact to the cent when shown; a unit cost from ten-thousandths), dates
    as datetimes, whole numbers as int, blanks as None."""
    if kind in (Kind.MONEY, Kind.UNIT_COST):
        per_dollar = 100 if kind == Kind.MONEY else 10_000
        dollars = pd.to_numeric(values, errors="coerce").astype("float64") / per_dollar
        return dollars.to_numpy(dtype=object, na_value=None)
    if kind in (Kind.DATE, Kind.DATETIME):
        stamps = pd.Series(pd.to_datetime(values))
        days = np.asarray(stamps.dt.to_pydatetime(), dtype=object)
        return np.where(stamps.isna().to_numpy(), None, days)
    if kind == Kind.INT:
        return pd.array(values, dtype="Int64").to_numpy(dtype=object, na_value=None)
    if kind in (Kind.NUMBER, Kind.PERCENT):
        return pd.to_numeric(values).astype("float64").to_numpy(dtype=object, na_value=None)
    return values.astype("str").to_numpy(dtype=object, na_value=None)


def _edge(figure: object, kind: Kind) -> object:
    """A Python figure as the sheet shows it: money cents -> Decimal dollars."""
    if figure is None or (isinstance(figure, float) and math.isnan(figure)):
        return None
    if kind == Kind.MONEY:
        return Decimal(int(figure)).scaleb(-2)
    if kind == Kind.UNIT_COST:
        return Decimal(int(figure)).scaleb(-4)
    return figure


def _a1(template: str, p: Placed, row: int | None) -> str:
    """A formula template in A1 terms for `row` ({H} = this row's cell, {H:col} = body).

    With row None, same-row references end in a placeholder to fill in per row.
    """

    def ref(m: re.Match) -> str:
        header, whole = m.group(1), m.group(2)
        if whole:
            return p.column_range(header)
        return letters(p.columns[header]) + (ROW_MARK if row is None else str(row))

    return _REF.sub(ref, template)
