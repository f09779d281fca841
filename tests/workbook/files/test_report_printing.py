"""How a report sheet prints, read back from the saved file: the header row on every page,
rows tall enough for wrapped text, and (rendered through LibreOffice) what a page shows."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pandas as pd
import pytest

from addin.core.reports import Report, Section
from addin.sheets.schema import Kind
from addin.workbook.files import FilesBook
from addin.workbook.layout.report_layout import lay_out
from tests.workbook.libreoffice import convert, soffice
from tests.workbook.reports import small_layout

LONG = "24 @ 14.23 from 2025-12-02; 1 @ 14.23 from 2026-01-18; 3 @ 15.10 from 2026-02-04"


def lines_layout(rows: int = 120):
    """A one-table report of `rows` sale lines; every tenth explains three layers."""
    frame = pd.DataFrame({
        "Doc": [f"T-{2000 + i}" for i in range(rows)],
        "Qty": [28 if i % 10 == 3 else 1 for i in range(rows)],
        "Cost Explained": [LONG if i % 10 == 3 else "1 @ 99.00 from 2026-01-02"
                           for i in range(rows)],
    })
    section = Section("Sale lines", frame, {"Qty": Kind.INT})
    return lay_out(Report("Sale Lines", "Sale lines", (section,)), store="Gem & Co",
                   as_of=dt.date(2026, 3, 31), last_entry=9, last_hash="ab12")


def write(path, *layouts):
    with FilesBook.open(path) as b:
        for x in layouts:
            assert b.write_report(x) is None
        b.save()


def test_a_one_table_report_prints_its_header_row_on_every_page(book):
    write(book, small_layout(), lines_layout())
    wb = openpyxl.load_workbook(book, keep_vba=True)
    assert wb["On Hand"].print_title_rows == "$7:$7"  # header row 7 (see small_layout)
    assert wb["On Hand"]["A7"].value == "Style"
    assert wb["Sale Lines"].print_title_rows == "$7:$7"
    assert wb["Sale Lines"]["C7"].value == "Cost Explained"


def test_writing_a_report_again_keeps_one_print_title_per_sheet(book):
    write(book, small_layout())
    write(book, small_layout())
    wb = openpyxl.load_workbook(book, keep_vba=True)
    assert wb["On Hand"].print_title_rows == "$7:$7"
    names = zipfile.ZipFile(book).read("xl/workbook.xml").decode()
    assert names.count("_xlnm.Print_Titles") == 1


def test_a_report_of_several_tables_repeats_no_header(book):
    two = Section("By style", small_layout().placed[0].section.frame, {"Qty": Kind.INT})
    layout = lay_out(Report("Two", "Two tables", (two, two)), store="Gem & Co",
                     as_of=dt.date(2024, 3, 31), last_entry=7, last_hash="ab12")
    write(book, layout)
    assert openpyxl.load_workbook(book, keep_vba=True)["Two"].print_title_rows is None


def test_rows_whose_text_wraps_are_tall_enough_for_every_line(book):
    write(book, lines_layout())
    ws = openpyxl.load_workbook(book, keep_vba=True)["Sale Lines"]
    width = ws.column_dimensions["C"].width
    assert width < len(LONG)  # the long text does wrap
    long_row, short_row = 8 + 3, 8 + 4  # body from row 8
    assert ws.cell(long_row, 3).value == LONG and ws.cell(long_row, 3).alignment.wrap_text
    # three layers need at least two lines of 10-point text (13 points each)
    assert ws.row_dimensions[long_row].height >= 26
    assert ws.row_dimensions[short_row].height is None  # one line: the default height


@pytest.mark.slow
@pytest.mark.skipif(soffice() is None or shutil.which("pdftotext") is None,
                    reason="needs LibreOffice and pdftotext")
def test_printed_pages_repeat_the_header_and_wrapped_text_stays_in_its_row(book, tmp_path):
    write(book, lines_layout(rows=400))
    wb = openpyxl.load_workbook(book, keep_vba=True)
    for ws in wb.worksheets:
        ws.sheet_state = "visible" if ws.title == "Sale Lines" else "hidden"
    wb.active = wb.sheetnames.index("Sale Lines")
    single = tmp_path / "sale-lines.xlsm"
    wb.save(single)
    pdf = convert(single, "pdf", tmp_path / "pdf")
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True, timeout=120).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 3
    for page in pages:  # every page starts its table with the header row
        assert "Cost Explained" in page
    # The wrapped text's last line sits inside its own row: below the row's first line,
    # above the next sale's row.
    words = word_tops(pdf)
    for doc in ("T-2003", "T-2013", "T-2203"):
        nxt = f"T-{int(doc[2:]) + 1}"
        (top, page), (next_top, next_page) = words[doc], words[nxt]
        last_line = min((t for t, pg in words["2026-02-04"] if pg == page and t > top),
                        default=None)
        assert last_line is not None, doc
        if next_page == page:
            assert last_line + 6 < next_top, (doc, last_line, next_top)


def word_tops(pdf) -> dict:
    """word -> (top, page) of its first occurrence; for a date, every (top, page)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=120).stdout
    out: dict = {}
    for page, chunk in enumerate(html.split("<page ")[1:]):
        for top, word in re.findall(r'yMin="([\d.]+)"[^>]*>([^<]+)</word>', chunk):
            if word == "2026-02-04":
                out.setdefault(word, []).append((float(top), page))
            else:
                out.setdefault(word, (float(top), page))
    return out
