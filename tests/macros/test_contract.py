"""The contract: every button does the same to a book in Excel as to a saved file.

One shop scenario (styles, receipts with a cloned row and a refused row, sales, a return,
a transfer, a memo out, a count, a style conversion, a ledger check and a refresh) is
played twice from the same starting file at the same fixed times: once on the files adapter
(`loupe`'s way: `FilesBook` and the button functions), once in "Excel" (the xlwings
stand-in, through `addin.macros.entry.run` exactly as the ribbon calls it, answering its
questions as a user would). Afterwards every data sheet must hold the same values, cell
for cell, Posted At included, with the same table ranges and Status texts; every report
sheet must show the same (each value or formula, each number format, column widths, page
setup) and carry the same charts drawn from the same cells; and each press must have said
the same thing.

A press in Excel must also cost the same number of round trips whether the sheets hold
10 rows or 500: reads and writes are per table, never per row.

With XLWINGS_LICENSE_KEY set, the tables are also read through xlwings' own remote
engine (``xw.Book(json=...)``) and must match what the files adapter reads.
"""

from __future__ import annotations

import datetime as dt
import inspect
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter, range_boundaries

from addin.macros import buttons, entry
from addin.session import Outcome
from addin.sheets import schema
from addin.workbook.files import FilesBook
from addin.workbook.live import LiveBook
from tests.macros import shopbook
from tests.macros.shopbook import day
from tests.workbook.live.fake_xlwings import FakeBook
from tests.workbook.reports import chart_refs

NOW = "2026-03-01T17:00:00"
PRESSED = dt.datetime.fromisoformat(NOW)  # the ribbon is told when it is pressed


# --- typing, as a person does in Excel ------------------------------------------------------


def typed(wb: openpyxl.Workbook, sheet: schema.Sheet, rows: list[list]) -> None:
    """Rows (schema order) typed under the table's last filled row; the table grows."""
    ws = wb[sheet.name]
    table = ws.tables[sheet.table]
    left, top, right, bottom = range_boundaries(table.ref)
    headers = [ws.cell(top, c).value for c in range(left, right + 1)]
    last = max([top] + [r for r in range(top + 1, bottom + 1)
                        if any(ws.cell(r, c).value is not None for c in range(left, right + 1))])
    for i, values in enumerate(rows, start=1):
        record = dict(zip(sheet.headers, values, strict=False))
        for c, header in enumerate(headers, start=left):
            if record.get(header) is not None:
                ws.cell(last + i, c).value = record[header]
                if isinstance(record[header], str):
                    ws.cell(last + i, c).data_type = "s"
    table.ref = f"{get_column_letter(left)}{top}:{get_column_letter(right)}" \
                f"{max(bottom, last + len(rows))}"
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref


def body(wb: openpyxl.Workbook, sheet: schema.Sheet) -> list[dict]:
    ws = wb[sheet.name]
    left, top, right, bottom = range_boundaries(ws.tables[sheet.table].ref)
    headers = [ws.cell(top, c).value for c in range(left, right + 1)]
    return [dict(zip(headers, [ws.cell(r, c).value for c in range(left, right + 1)],
                     strict=True)) for r in range(top + 1, bottom + 1)]


class FilesSide:
    """The saved file, pressed the way the `loupe` command presses."""

    def __init__(self, path: Path):
        self.path = path

    def type(self, sheet: schema.Sheet, rows: list[list]) -> None:
        wb = openpyxl.load_workbook(self.path, keep_vba=True)
        typed(wb, sheet, rows)
        wb.save(self.path)

    def press(self, name: str, *args) -> Outcome:
        button = buttons.BUTTONS[name]
        clocked = "now" in inspect.signature(button).parameters
        with FilesBook.open(self.path) as book:
            return button(book, *args, **({"now": PRESSED} if clocked else {}))

    def clone(self, sheet: str, row: int, count: int) -> Outcome:
        return self.press("clone_rows", sheet, row, count)

    def convert(self, style: str, to: str) -> Outcome:
        return self.press("convert_style", style, to)

    def workbook(self) -> openpyxl.Workbook:
        return openpyxl.load_workbook(self.path, keep_vba=True)


class ExcelSide:
    """The same file open in "Excel", pressed through the ribbon's entry point."""

    def __init__(self, path: Path):
        self.fake = FakeBook.open(path)
        self.path = path

    def type(self, sheet: schema.Sheet, rows: list[list]) -> None:
        typed(self.fake.wb, sheet, rows)

    def press(self, name: str, ask=None) -> Outcome:
        self.fake.trips.reset()
        outcome = entry.run(name, caller=self.fake, ask=ask, now=PRESSED)
        assert outcome is not None, self.fake.app.alerts[-1]["prompt"]
        assert self.fake.app.alerts[-1]["prompt"] == entry.message(outcome)
        return outcome

    def clone(self, sheet: str, row: int, count: int) -> Outcome:
        self.fake.select(sheet, f"B{row}")
        return self.press("clone_rows", ask=lambda prompt, title, default: str(count))

    def convert(self, style: str, to: str) -> Outcome:
        row = next(r for r, rec in enumerate(body(self.fake.wb, schema.STYLES), start=2)
                   if rec["Style"] == style)
        self.fake.select("Styles", f"A{row}")
        tracking = body(self.fake.wb, schema.STYLES)[row - 2]["Tracking"]
        assert entry.SWITCH[tracking] == to
        self.fake.app.answers.append("yes")
        return self.press("convert_style")

    def workbook(self) -> openpyxl.Workbook:
        saved = self.fake.save_copy(self.path.with_name("excel-" + self.path.name))
        return openpyxl.load_workbook(saved, keep_vba=True)


# --- the scenario ---------------------------------------------------------------------------


def R(date, doc, vendor, style, qty, cost, loc="Main Case", terms="Owned", note=None):
    return [day(date), doc, vendor, style, qty, cost, None, loc, terms, note]


def play(side) -> list[Outcome]:
    """A month of a small shop, every ribbon button at least once."""
    said = [side.press("validate_styles")]
    side.type(schema.RECEIVING, [
        R("2026-01-10", "PO-1", "Aurum", "RG-101", 1, 800.0, note="=engraved inside"),
        R("2026-01-10", "PO-1", "Aurum", "PD-201", 1, 300.0, loc="Vault"),
        R("2026-01-12", "PO-2", "Northstar", "CH-301", 10, 50.0),
        R("2026-01-12", "PO-2", "Silverline", "ST-401", 20, 5.0),
        R("2026-01-15", "MEMO-1", "Estate Guild", "RG-101", 1, 500.0, loc="Vault", terms="Memo"),
        R("2026-01-16", "PO-3", "Northstar", "CH-301", 5, 55.0),
        R("2026-01-16", "PO-4", "Nobody", "ZZ-999", 1, 10.0),  # refused: unknown style
    ])
    said.append(side.clone("Receiving", 2, 2))  # two more rings like row 2
    said.append(side.press("post_receipts"))
    items = body(side.workbook(), schema.ITEMS)
    ring = min(i["Serial"] for i in items if i["Style"] == "RG-101" and i["Vendor"] == "Aurum")
    pendant = next(i["Serial"] for i in items if i["Style"] == "PD-201")
    side.type(schema.SALES, [
        [day("2026-02-01"), "T-1", ring, None, 1, 1999.99, "B. Chen", None, "Sale"],
        [day("2026-02-02"), "T-2", None, "CH-301", 12, 120.0, "C. Okafor", "Main Case", "Sale"],
    ])
    said.append(side.press("post_sales"))
    side.type(schema.SALES, [
        [day("2026-02-10"), "R-1", ring, None, 1, 1999.99, "B. Chen", "Main Case", "Return"]])
    said.append(side.press("post_sales"))
    side.type(schema.MOVEMENTS, [
        [day("2026-02-15"), "XFER-1", "Transfer", None, "ST-401", 5, "Main Case", "Vault"],
        [day("2026-02-15"), "MO-1", "Memo Out", pendant, None, 1, "Vault", None,
         "Harbor Jewelers", day("2026-03-15")],
    ])
    said.append(side.press("post_movements"))
    side.type(schema.COUNTS, [[day("2026-02-28"), "Main Case", None, "ST-401", 13]])
    said.append(side.press("post_counts"))
    said.append(side.convert("CH-301", "Serialized"))
    said.append(side.press("verify_ledger"))
    said.append(side.press("refresh_reports"))
    said.append(side.press("post_receipts"))  # twice: changes nothing
    return said


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LOUPE_NOW", NOW)
        start = shopbook.new_book(tmp_path_factory.mktemp("start"))
        files_path = tmp_path_factory.mktemp("files") / "shop.xlsm"
        excel_path = tmp_path_factory.mktemp("excel") / "shop.xlsm"
        shutil.copyfile(start, files_path)
        shutil.copyfile(start, excel_path)
        files, excel = FilesSide(files_path), ExcelSide(excel_path)
        return {"files": (play(files), files.workbook(), files_path),
                "excel": (play(excel), excel.workbook(), excel_path, excel.fake.autofit_rows)}


@pytest.mark.parametrize("sheet", schema.DATA_SHEETS, ids=lambda s: s.name)
def test_every_data_sheet_ends_the_same_in_excel_and_on_file(played, sheet):
    files_wb, excel_wb = played["files"][1], played["excel"][1]
    assert excel_wb[sheet.name].tables[sheet.table].ref == \
        files_wb[sheet.name].tables[sheet.table].ref
    assert body(excel_wb, sheet) == body(files_wb, sheet)


def test_the_scenario_touched_every_sheet(played):
    wb = played["files"][1]
    ledger = body(wb, schema.LEDGER)
    kinds = {e["Kind"] for e in ledger}
    assert {"RECEIPT", "MEMO_IN", "SALE", "RETURN", "TRANSFER", "MEMO_OUT", "ADJUST",
            "CONVERT"} <= kinds
    assert all(e["Posted At"] == dt.datetime.fromisoformat(NOW) for e in ledger)
    receiving = body(wb, schema.RECEIVING)
    assert [r["Status"][:6] for r in receiving if r["Doc"]].count("Error:") == 1
    assert receiving[0]["Note"] == "=engraved inside"  # typed text, still text


def test_every_press_said_the_same_in_excel_and_on_file(played):
    files_said, excel_said = played["files"][0], played["excel"][0]
    assert [o.button for o in excel_said] == [o.button for o in files_said]
    for ours, theirs in zip(excel_said, files_said, strict=True):
        assert (ours.summary, ours.problems, ours.posted, ours.refused) == (
            theirs.summary, theirs.problems, theirs.posted, theirs.refused)


def report_names(wb: openpyxl.Workbook) -> list[str]:
    data = {s.name for s in schema.DATA_SHEETS} | {"Lists", "xlwings.conf"}
    return [n for n in wb.sheetnames if n not in data]


def shown(wb: openpyxl.Workbook, name: str) -> list[list[tuple]]:
    """Every filled cell of a sheet as a user sees it: its value or formula, and its number
    format; trailing blank cells and rows left out."""
    rows = []
    for row in wb[name].iter_rows():
        cells = [(v, c.number_format if v is not None else None)
                 for c, v in zip(row, _digits([[c.value for c in row]])[0], strict=True)]
        while cells and cells[-1] == (None, None):
            cells.pop()
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def page(wb: openpyxl.Workbook, name: str, fitted: set[int] = frozenset()) -> tuple:
    """How a sheet prints and scrolls; row heights but for the rows Excel fits to their
    text (`fitted`: what nothing but Excel can measure)."""
    ws = wb[name]
    widths = {k: round(d.width, 1) for k, d in ws.column_dimensions.items() if d.customWidth}
    heights = {r: d.height for r, d in ws.row_dimensions.items()
               if d.height and r not in fitted}
    margins = tuple(round(getattr(ws.page_margins, side), 3)
                    for side in ("left", "right", "top", "bottom", "header", "footer"))
    return (ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.oddFooter.left.text,
            ws.oddFooter.right.text, widths, heights, margins,
            ws.print_options.horizontalCentered, ws.print_title_rows,
            ws.sheet_view.showGridLines, ws.freeze_panes)


def looks(wb: openpyxl.Workbook, name: str) -> dict[str, tuple]:
    """How each cell of a sheet looks, where it differs from a blank cell: font, fill,
    top and bottom rules, alignment."""
    out = {}
    for row in wb[name].iter_rows():
        for c in row:
            f, a, b = c.font, c.alignment, c.border
            # a theme's text colour is what Excel shows as automatic: black
            color = f.color.rgb if f.color is not None and f.color.type == "rgb" else None
            look = ((bool(f.b), bool(f.i), f.sz, f.name, color),
                    c.fill.fgColor.rgb if c.fill.fill_type == "solid" else None,
                    (b.top.style, b.top.color.rgb if b.top.color else None),
                    (b.bottom.style, b.bottom.color.rgb if b.bottom.color else None),
                    (a.horizontal, a.vertical, bool(a.wrap_text), a.indent))
            out[c.coordinate] = look
    blank = out.get("ZZ1", None)
    return {k: v for k, v in out.items() if v != blank}


def test_report_sheets_show_the_same_in_excel_and_on_file(played):
    files_wb, excel_wb = played["files"][1], played["excel"][1]
    reports = report_names(files_wb)
    assert len(reports) == 10 and report_names(excel_wb) == reports
    fitted = played["excel"][3]
    for name in reports:
        assert shown(excel_wb, name) == shown(files_wb, name), name
        fit = fitted.get(name, set())
        assert page(excel_wb, name, fit) == page(files_wb, name, fit), name
        tall_on_file, tall_in_excel = ({r for r, d in wb[name].row_dimensions.items() if d.height}
                                       for wb in (files_wb, excel_wb))
        assert tall_on_file - tall_in_excel <= fit, name  # Excel fits the rest to their text
    assert fitted.get("Sale Lines")  # the scenario's long Cost Explained text wraps


def test_report_sheets_look_the_same_in_excel_and_on_file(played):
    """Fonts, fills, rules and alignment, cell by cell, on every report sheet."""
    files_wb, excel_wb = played["files"][1], played["excel"][1]
    for name in report_names(files_wb):
        on_file, in_excel = looks(files_wb, name), looks(excel_wb, name)
        assert len(on_file) > 20, name  # the title, headers, bodies, totals are drawn
        assert in_excel == on_file, name


def test_report_sheets_carry_the_same_charts_in_excel_and_on_file(played):
    excel_saved = played["excel"][2].with_name("excel-" + played["excel"][2].name)
    files_charts, excel_charts = chart_refs(played["files"][2]), chart_refs(excel_saved)
    assert len(files_charts) == 3
    assert sorted(excel_charts) == sorted(files_charts)


def test_report_sheets_hold_loupes_own_figures(played):
    """The files adapter caches Python's figure in each formula: the values a user sees
    before Excel recalculates (and a LibreOffice test recalculates them)."""
    cached = openpyxl.load_workbook(played["files"][2], data_only=True)
    valuation = [[c.value for c in row] for row in cached["Valuation"].iter_rows()]
    assert ["Total", 25.0, 1.0, 500.0, 1.0, 25.0, 2955.0] == valuation[12][:7]


def _digits(rows: list[list]) -> list[list]:
    """Numbers to 12 significant digits (a file's cached values keep Excel's 15); an empty
    text cell as blank (what Excel shows for both)."""
    return [[float(f"{v:.12g}") if isinstance(v, int | float) and not isinstance(v, bool)
             else (None if v == "" else v) for v in row] for row in rows]


# --- round trips ----------------------------------------------------------------------------


def trips_per_press(tmp_path: Path, rows: int) -> dict[str, int]:
    """Round trips of each press on a book whose input sheets hold `rows` rows."""
    tmp_path.mkdir()
    side = ExcelSide(shopbook.new_book(tmp_path))
    side.type(schema.RECEIVING, [R("2026-01-10", f"PO-{i}", "Northstar", "CH-301", 3, 50.0)
                                 for i in range(rows)])
    counts = {}
    for name in ("validate_styles", "post_receipts"):
        side.press(name)
        counts[name] = side.fake.trips.total
    side.type(schema.SALES, [[day("2026-02-01"), f"T-{i}", None, "CH-301", 1, 120.0, "A. Moreno",
                              "Main Case", "Sale"] for i in range(rows)])
    side.type(schema.MOVEMENTS, [[day("2026-02-02"), f"X-{i}", "Transfer", None, "CH-301", 1,
                                  "Main Case", "Vault"] for i in range(rows - 1)]
              + [[day("2026-02-02"), "MO-1", "Memo Out", None, "CH-301", 1, "Main Case", None,
                  "Harbor Jewelers", day("2026-03-02")]])
    for name in ("post_sales", "post_movements", "verify_ledger", "refresh_reports"):
        side.press(name)
        counts[name] = side.fake.trips.total
    return counts


def test_round_trips_per_press_do_not_grow_with_the_rows(tmp_path, monkeypatch):
    monkeypatch.setenv("LOUPE_NOW", NOW)
    few = trips_per_press(tmp_path / "few", 10)
    many = trips_per_press(tmp_path / "many", 500)
    assert many == few
    refresh = few.pop("refresh_reports")
    assert max(few.values()) < 80
    # ten report sheets, each: one block write, a call per number format and per column
    # width, a few per look (font, fill, rules, alignment) and row height, the gridlines,
    # the page setup, the frozen header, and per chart an add and a title
    assert refresh < 10 * 100


# --- xlwings' own remote engine -------------------------------------------------------------


def test_tables_read_the_same_through_xlwings_remote_engine(tmp_path):
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        pytest.skip("XLWINGS_LICENSE_KEY is not set: xlwings' remote engine needs a licence")
    import xlwings as xw

    path = shopbook.new_book(tmp_path)
    shopbook.type_rows(path, schema.RECEIVING, [R("2026-01-10", "PO-1", "Aurum", "CH-301", 3,
                                                 50.0, note="=still text")])
    remote = xw.Book(json=remote_payload(path))
    with FilesBook.open(path) as files:
        for sheet in schema.DATA_SHEETS:
            ours, theirs = LiveBook(remote).read_table(sheet), files.read_table(sheet)
            assert (ours.header, ours.first_row) == (theirs.header, theirs.first_row), sheet.name
            assert _trimmed(ours.body) == _trimmed(theirs.body), sheet.name


def remote_payload(path: Path) -> dict:
    """The book as xlwings' Office.js / Apps Script clients send it (values from A1)."""
    import xlwings as xw

    wb = openpyxl.load_workbook(path, keep_vba=True)
    sheets = []
    for ws in wb.worksheets:
        values = [[_json_cell(c) for c in row] for row in ws.iter_rows()] or [[]]
        tables = []
        for t in ws.tables.values():
            left, top, right, bottom = range_boundaries(t.ref)
            a = get_column_letter
            tables.append({"name": t.displayName, "range_address": t.ref,
                           "header_row_range_address": f"{a(left)}{top}:{a(right)}{top}",
                           "data_body_range_address": f"{a(left)}{top + 1}:{a(right)}{bottom}",
                           "total_row_range_address": None, "show_headers": True,
                           "show_totals": False, "table_style": "TableStyleMedium2",
                           "show_autofilter": True})
        sheets.append({"name": ws.title, "values": values, "tables": tables, "pictures": [],
                       "names": []})
    return {"client": "Office.js", "version": xw.__version__,
            "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
            "names": [], "sheets": sheets}


def _json_cell(cell):
    v = cell.value
    if cell.data_type == "f":
        return None
    if isinstance(v, dt.datetime):
        return v.isoformat()
    return v


def _trimmed(rows: list[list]) -> list[list]:
    return [[float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in r]
            for r in rows]
