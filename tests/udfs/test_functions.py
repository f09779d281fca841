"""The worksheet functions in "Excel" (the xlwings stand-in): answers from the calling book,
one Ledger read for many cells, #LOUPE text instead of tracebacks, and documentation."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from addin.core.rows.serials import check_serial
from addin.core.rows.settings import Settings
from addin.macros import entry
from addin.sheets import schema
from addin.template.xlwings_conf import CONF_ROWS
from addin.udfs import answers, functions
from addin.udfs.cache import AnswerCache
from tests.macros.conftest import _stock
from tests.macros.shopbook import day
from tests.workbook.live.fake_xlwings import FakeBook

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-03-01T17:00:00"
PRESSED = dt.datetime.fromisoformat(NOW)  # the ribbon is told when it is pressed
F = functions


@pytest.fixture(scope="module")
def stocked(tmp_path_factory):
    """Rings LP-000001N (sold Feb 1 for 1999.99, cost 800) and LP-000002L (cost 820), a
    pendant, CH-301: 10 in at 50.00 on Jan 12, 2 sold for 120.00 each; ST-401: 20 at 5.00."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LOUPE_NOW", NOW)
        return _stock(tmp_path_factory.mktemp("stocked"))


@pytest.fixture
def cell(stocked, tmp_path, monkeypatch):
    """A cell on the Styles sheet of a fresh copy of the stocked book, with a fresh cache."""
    monkeypatch.setenv("LOUPE_NOW", NOW)
    monkeypatch.setattr(functions, "CACHE", AnswerCache(today=PRESSED.date))
    path = tmp_path / "shop.xlsm"
    shutil.copyfile(stocked["path"], path)
    return FakeBook.open(path).sheets["Styles"].range("N2")


def test_the_functions_answer_from_the_calling_books_ledger(stocked, cell):
    assert F.LOUPE_ONHAND("CH-301", caller=cell) == 8
    assert F.LOUPE_ONHAND("CH-301", "Vault", caller=cell) == 0
    assert F.LOUPE_FIFOCOST("CH-301", 3.0, caller=cell) == 150.0
    assert F.LOUPE_FIFOCOST(stocked["in_stock"], caller=cell) == 820.0
    assert F.LOUPE_AGE(stocked["sold"], caller=cell) == 22  # Jan 10 -> Feb 1
    assert F.LOUPE_AGE("CH-301", caller=cell) == 48  # Jan 12 -> Mar 1
    assert F.LOUPE_MARGIN("T-1", caller=cell) == 1199.99
    assert F.LOUPE_MARGIN(stocked["sold"], caller=cell) == 1199.99
    assert F.LOUPE_MARGIN("T-2", caller=cell) == 2 * 120.0 - 2 * 50.0
    assert F.LOUPE_LAYERS("ST-401", caller=cell) == [
        ["Location", "Received", "Qty", "Unit Cost", "Age (days)"],
        ["Main Case", day("2026-01-12"), 20, 5.0, 48]]


def test_next_serial_follows_the_serials_typed_on_receiving(cell):
    first = F.LOUPE_NEXTSERIAL("RG-101", caller=cell)
    assert first[:-1] == "LP-000004" and check_serial(first, Settings()) is None
    type_row(cell.sheet.book, schema.RECEIVING, {"Date": day("2026-03-01"), "Doc": "PO-9",
                                                 "Style": "RG-101", "Qty": 1, "Unit Cost": 900.0,
                                                 "Serial": "LP-000009X"})  # not posted yet
    assert F.LOUPE_NEXTSERIAL("RG-101", caller=cell)[:-1] == "LP-000010"


def type_row(book: FakeBook, sheet: schema.Sheet, values: dict) -> None:
    """A row typed under the table in the open book; the table grows to hold it."""
    ws = book.wb[sheet.name]
    table = ws.tables[sheet.table]
    last = int(re.sub(r"\D", "", table.ref.split(":")[1]))
    for col, header in enumerate(sheet.headers, start=1):
        ws.cell(last + 1, col).value = values.get(header)
    table.ref = re.sub(r"\d+$", str(last + 1), table.ref)


def test_a_thousand_cells_read_the_ledger_once(cell):
    book = cell.sheet.book
    for _ in range(1000):
        assert F.LOUPE_ONHAND("CH-301", caller=cell) == 8
    full_reads = [t for t in book.trips.log if re.fullmatch(r"value: read Ledger!\$A\$1:.*", t)]
    assert len(full_reads) == 1 and functions.CACHE.builds == 1
    assert book.trips.values == 1000 + 3  # a last-row read per call; Settings, Styles, Ledger


def test_a_posting_in_the_same_book_is_seen_by_the_next_call(cell):
    book = cell.sheet.book
    assert F.LOUPE_ONHAND("CH-301", caller=cell) == 8
    type_row(book, schema.SALES, {"Date": day("2026-02-20"), "Doc": "T-9", "Style": "CH-301",
                                  "Qty": 3, "Unit Price": 110.0, "Customer": "D. Ng",
                                  "Location": "Main Case", "Kind": "Sale"})
    assert entry.run("post_sales", caller=book, now=PRESSED).posted == 1
    assert F.LOUPE_ONHAND("CH-301", caller=cell) == 5
    assert F.LOUPE_MARGIN("T-9", caller=cell) == 3 * 110.0 - 3 * 50.0
    assert functions.CACHE.builds == 2


@pytest.mark.parametrize(("call", "says"), [
    (lambda c: F.LOUPE_ONHAND("ZZ-999", caller=c), "#LOUPE: no style 'ZZ-999'"),
    (lambda c: F.LOUPE_ONHAND(None, caller=c), "#LOUPE: give a style code"),
    (lambda c: F.LOUPE_FIFOCOST("CH-301", 100, caller=c), "#LOUPE: only 8 of CH-301 are"),
    (lambda c: F.LOUPE_FIFOCOST("CH-301", -1, caller=c), "#LOUPE: quantity -1 is not a whole"),
    (lambda c: F.LOUPE_AGE("", caller=c), "#LOUPE: give a style code"),
    (lambda c: F.LOUPE_MARGIN("T-404", caller=c), "#LOUPE: no sale or return with Doc"),
    (lambda c: F.LOUPE_NEXTSERIAL("CH-301", caller=c), "#LOUPE: CH-301 is a Quantity style"),
    (lambda c: F.LOUPE_ONHAND("CH-301", caller=None), "#LOUPE: call this from a cell"),
])
def test_a_question_the_ledger_cannot_answer_says_what_to_fix(cell, call, says):
    assert call(cell).startswith(says)


def test_a_table_function_answers_a_problem_as_a_one_cell_table(cell):
    assert F.LOUPE_LAYERS("ZZ-999", caller=cell) == [
        ["#LOUPE: no style 'ZZ-999' on the Styles sheet or in the Ledger; check the code"]]


def test_a_ledger_edited_by_hand_shows_in_every_cell(stocked, tmp_path, monkeypatch):
    monkeypatch.setenv("LOUPE_NOW", NOW)
    monkeypatch.setattr(functions, "CACHE", AnswerCache(today=PRESSED.date))
    path = tmp_path / "edited.xlsm"
    shutil.copyfile(stocked["path"], path)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    wb["Ledger"]["H3"].value = 2  # a posted quantity changed
    wb.save(path)
    cell = FakeBook.open(path).sheets["Styles"].range("N2")
    said = {F.LOUPE_ONHAND("CH-301", caller=cell) for _ in range(50)}
    assert len(said) == 1
    assert said.pop().startswith("#LOUPE: Ledger row 3 (entry 2) was changed after posting")
    assert functions.CACHE.builds == 1


def test_an_unexpected_error_is_logged_not_shown(cell, monkeypatch):
    def broken(self, style, location=None):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(answers.Answers, "on_hand", broken)
    said = F.LOUPE_ONHAND("CH-301", caller=cell)
    assert said == "#LOUPE: unexpected ZeroDivisionError; details in the book's .loupe.log"
    log = entry.log_path(cell.sheet.book).read_text()
    assert "Traceback" in log and "ZeroDivisionError" in log


# --- documentation and binding --------------------------------------------------------------


def test_every_function_has_a_wizard_text_an_example_and_a_docs_entry():
    docs = (ROOT / "docs" / "excel.md").read_text(encoding="utf-8")
    for fn in functions.FUNCTIONS:
        doc = inspect.getdoc(fn) or ""
        assert doc.split("\n")[0].strip(), f"{fn.__name__} has no docstring"
        assert f"=  {fn.__name__}(" not in doc and f"={fn.__name__}(" in doc, fn.__name__
        assert f"### {fn.__name__}(" in docs, f"docs/excel.md has no section for {fn.__name__}"
        assert f"={fn.__name__}(" in docs.split(f"### {fn.__name__}(", 1)[1].split("###")[0]


def test_every_function_is_registered_and_documents_its_arguments():
    source = (ROOT / "addin" / "udfs" / "functions.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    decorated = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.decorator_list:
            names = [ast.unparse(d) for d in node.decorator_list]
            if any(n.startswith("xw.func") for n in names):
                decorated[node.name] = names
    assert sorted(decorated) == sorted(fn.__name__ for fn in functions.FUNCTIONS)
    for name, decorations in decorated.items():
        fn = getattr(functions, name)
        params = [p for p in inspect.signature(fn).parameters if p != "caller"]
        assert list(inspect.signature(fn).parameters)[-1] == "caller", name
        documented = [re.match(r"xw\.arg\('(\w+)'", d).group(1) for d in decorations
                      if d.startswith("xw.arg")]
        assert sorted(documented) == sorted(params), name


def test_every_udf_module_is_listed_in_the_xlwings_conf_sheet():
    listed = dict((k, v) for k, v, _ in CONF_ROWS)["UDF Modules"].split(";")
    modules = [f"addin.udfs.{p.stem}" for p in (ROOT / "addin" / "udfs").glob("*.py")
               if "@xw.func" in p.read_text(encoding="utf-8")]
    assert modules and sorted(modules) == sorted(m.strip() for m in listed)
    template = ROOT / "workbook_template.xlsm"
    if template.exists():
        ws = openpyxl.load_workbook(template, keep_vba=True)["xlwings.conf"]
        conf = {r[0].value: r[1].value for r in ws.iter_rows(max_col=2)}
        assert conf["UDF Modules"].split(";") == listed


def test_layers_spill_as_a_native_dynamic_array():
    """No xlwings expand="table" (it writes over cells in the way instead of #SPILL!)."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(F))
    [fn] = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "LOUPE_LAYERS"]
    keywords = [k.arg for d in fn.decorator_list if isinstance(d, ast.Call) for k in d.keywords]
    assert "expand" not in keywords
    assert any(isinstance(d, ast.Call) and ast.unparse(d.func) == "xw.func"
               for d in fn.decorator_list)
