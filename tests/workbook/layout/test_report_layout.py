"""Laying a report out on its sheet: where things land, formulas in A1 terms, the cell
formats added to a real styles part, and the chart parts."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from pathlib import Path

import pandas as pd

from addin.core.reports import Chart, Difference, Report, Section, sum_total
from addin.sheets.schema import Kind
from addin.workbook.files.ooxml import charts
from addin.workbook.files.ooxml.report_styles import report_styles
from addin.workbook.files.ooxml.report_xml import sheet_xml
from addin.workbook.layout import report_look
from addin.workbook.layout.report_layout import CHART_ROWS, FIRST_ROW, NOTHING, LiveFigure, lay_out

TEMPLATE = Path(__file__).resolve().parents[3] / "workbook_template.xlsm"
FRAME = pd.DataFrame(
    {
        "Category": ["Chains", "Rings"],
        "Sales": [25000, 199999],
        "Cost of Goods": [10000, 80000],
        "Margin": [15000, 119999],
    }
)
KINDS = {"Sales": Kind.MONEY, "Cost of Goods": Kind.MONEY, "Margin": Kind.MONEY}


def report(frame=FRAME, chart=None):
    section = Section(
        "By category",
        frame,
        KINDS,
        {"Margin": Difference("Sales", "Cost of Goods")},
        (sum_total(frame, ["Sales", "Margin"]),),
        chart=chart,
    )
    return Report("Margin & Co", "Margin", (section,), note="A note.")


def laid(rep=None):
    return lay_out(
        rep or report(),
        store="Gem & Co",
        as_of=dt.date(2026, 3, 1),
        last_entry=42,
        last_hash="abc123",
    )


def test_heading_block_names_store_date_and_ledger():
    layout = laid()
    assert layout.heading == "Gem & Co: Margin"
    assert layout.rows[0] == ["As of 2026-03-01"]
    assert layout.rows[1] == ["Ledger: last entry 42, Hash abc123"]
    assert layout.rows[2] == ["A note."]


def test_formulas_point_at_their_own_row_and_totals_at_the_body():
    layout = laid()
    p = layout.placed[0]
    # rows from A3: 2 heading lines, the note, a blank, the section title, then the header
    assert (p.title_row, p.header_row, p.first_body, p.last_body) == (7, 8, 9, 10)
    first = layout.rows[p.first_body - FIRST_ROW]
    assert first[1] == Decimal("250.00")  # cents become dollars at the edge
    assert first[3] == Decimal("150.00")  # Python's figure for the formula cell
    assert p.formula_at("Margin", 9) == "B9-C9"
    assert dict(layout.live_figures())["D10"] == LiveFigure("B10-C10", 1199.99, Kind.MONEY)
    total = layout.rows[p.total_rows[0] - FIRST_ROW]
    assert total[0] == "Total"
    assert total[1] == LiveFigure("SUM($B$9:$B$10)", Decimal("2249.99"), Kind.MONEY)
    assert total[3].formula == "SUM($D$9:$D$10)"


def test_an_empty_section_says_none_and_its_totals_do_not_loop_on_themselves():
    layout = laid(report(FRAME.iloc[0:0]))
    p = layout.placed[0]
    assert layout.rows[p.first_body - FIRST_ROW] == [NOTHING]
    total = layout.rows[p.total_rows[0] - FIRST_ROW]
    assert total[1].formula == f"SUM($B${p.first_body}:$B${p.first_body})"
    assert p.total_rows[0] > p.first_body


def test_a_charted_section_keeps_blank_rows_for_its_chart():
    layout = laid(report(chart=Chart("bar", "Sales", "Category", ("Sales",))))
    p = layout.placed[0]
    assert p.chart_row == p.total_rows[-1] + 2
    assert len(layout.rows) == p.chart_row - FIRST_ROW + CHART_ROWS


def test_report_styles_are_added_once_and_found_again():
    with zipfile.ZipFile(TEMPLATE) as z:
        xml = z.read("xl/styles.xml")
    once, ids = report_styles(xml)
    twice, again = report_styles(once)
    assert twice == once and again == ids
    formats = dict(re.findall(r'numFmtId="(\d+)" formatCode="([^"]*)"', once.decode()))
    xfs = re.findall(r"<xf\b[^>]*>", once.decode().split("<cellXfs")[1])
    money = re.search(r'numFmtId="(\d+)"', xfs[ids["body:money"]]).group(1)
    assert money == "4"  # the built-in #,##0.00
    pct = re.search(r'numFmtId="(\d+)"', xfs[ids["total:percent"]]).group(1)
    assert formats[pct] == "0.0%"
    ET.fromstring(once)  # still well-formed


def test_sheet_xml_writes_formulas_with_cached_figures_and_escapes_the_footer():
    layout = laid()
    with zipfile.ZipFile(TEMPLATE) as z:
        _, ids = report_styles(z.read("xl/styles.xml"))
    xml = sheet_xml(layout, layout.heading, ids).decode()
    ET.fromstring(xml)
    assert "<f>B9-C9</f><v>150.00</v>" in xml
    assert "<f>SUM($B$9:$B$10)</f><v>2249.99</v>" in xml
    assert "Margin &amp;&amp; Co" in xml  # '&&' prints one ampersand in a footer
    assert 'fitToPage="1"' in xml and 'orientation="landscape"' in xml


def test_chart_parts_read_the_sections_cells():
    layout = laid(report(chart=Chart("bar", "Sales by category", "Category", ("Sales",))))
    placed = report_look.charts_of(layout)
    chart = charts.chart_xml(layout.sheet, placed[0]).decode()
    ET.fromstring(chart)
    assert "<c:f>'Margin &amp; Co'!$A$9:$A$10</c:f>" in chart
    assert "<c:f>'Margin &amp; Co'!$B$9:$B$10</c:f>" in chart
    drawing = charts.drawing_xml(placed).decode()
    ET.fromstring(drawing)
    assert f"<xdr:row>{placed[0].placed.chart_row - 1}</xdr:row>" in drawing
