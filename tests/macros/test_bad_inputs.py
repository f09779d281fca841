"""The bad-input catalogue: every way a shop can type something wrong, on a real book.

Each case types rows with openpyxl into a copy of a stocked shop book, runs the `loupe`
command, and checks what a bookkeeper would check afterwards:
- the bad row says `Error:` in Status, naming the column and what to do;
- the command's printed problems name the sheet and the row;
- nothing of that Doc reached the Ledger;
- every row typed is still there, every cell as typed (only Status/Ledger Ref written).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

import openpyxl
import pytest

from addin.sheets import schema
from tests.macros import shopbook
from tests.macros.conftest import LOST, loupe
from tests.macros.shopbook import day

D = day("2026-02-20")
BAD_CHECK = "LP-000001Z"  # the check character of LP-000001 is not Z (shown in a test below)


def R(doc, style, qty, cost, serial=None, loc="Main Case", terms="Owned", note=None, date=D,
      vendor="Aurum"):
    return [date, doc, vendor, style, qty, cost, serial, loc, terms, note]


def S(doc, serial, style, qty, price, kind="Sale", loc=None, customer="A. Moreno", date=D):
    return [date, doc, serial, style, qty, price, customer, loc, kind]


def M(doc, kind, serial, style, qty, frm=None, to=None, party=None, due=None, date=D):
    return [date, doc, kind, serial, style, qty, frm, to, party, due]


def C(loc, serial, style, counted, date=D):
    return [date, loc, serial, style, counted]


@dataclass
class Case:
    name: str
    sheet: schema.Sheet
    rows: list  # callables of the shop fixture -> typed rows
    bad: dict = field(default_factory=dict)  # typed row index -> (column, words in Status)
    held: tuple = ()  # typed row indexes held back by the Doc rule

    @property
    def command(self):
        return {"Receiving": ("post", "receipts"), "Sales": ("post", "sales"),
                "Movements": ("post", "movements"), "Counts": ("post", "counts")}[self.sheet.name]


RECV, SALE, MOVE, COUNT = schema.RECEIVING, schema.SALES, schema.MOVEMENTS, schema.COUNTS

CASES = [
    Case("blank style", RECV, lambda s: [R("PO-9", None, 1, 10.0)], {0: ("Style", "blank")}),
    Case("unknown style", RECV, lambda s: [R("PO-9", "ZZ-999", 1, 10.0)],
         {0: ("Style", "unknown style")}),
    Case("inactive style", RECV, lambda s: [R("PO-9", "OLD-9", 1, 10.0)],
         {0: ("Style", "inactive")}),
    Case("qty zero", RECV, lambda s: [R("PO-9", "CH-301", 0, 10.0)], {0: ("Qty", "")}),
    Case("qty negative", RECV, lambda s: [R("PO-9", "CH-301", -2, 10.0)], {0: ("Qty", "")}),
    Case("qty decimal for serialized", RECV, lambda s: [R("PO-9", "RG-101", 1.5, 10.0)],
         {0: ("Qty", "")}),
    Case("qty text", RECV, lambda s: [R("PO-9", "CH-301", "two", 10.0)], {0: ("Qty", "")}),
    Case("qty stored as text", RECV, lambda s: [R("PO-9", "CH-301", "3", 10.0)],
         {0: ("Qty", "")}),
    Case("unit cost text", RECV, lambda s: [R("PO-9", "CH-301", 3, "cheap")],
         {0: ("Unit Cost", "")}),
    Case("unit cost negative", RECV, lambda s: [R("PO-9", "CH-301", 3, -4.0)],
         {0: ("Unit Cost", "")}),
    Case("unit cost stored as text", RECV, lambda s: [R("PO-9", "CH-301", 3, "12.50")],
         {0: ("Unit Cost", "")}),
    Case("date typed as text", RECV, lambda s: [R("PO-9", "CH-301", 3, 4.0, date="March 3")],
         {0: ("Date", "")}),
    Case("date in the future", RECV,
         lambda s: [R("PO-9", "CH-301", 3, 4.0, date=day("2027-01-05"))], {0: ("Date", "future")}),
    Case("date before the shop opened", RECV,
         lambda s: [R("PO-9", "CH-301", 3, 4.0, date=day("2014-06-01"))],
         {0: ("Date", "before the shop opened")}),
    Case("duplicate serial in one receipt", RECV,
         lambda s: [R("PO-9", "RG-101", 1, 900.0, serial="LP-000050" + _check("LP-000050")),
                    R("PO-9", "RG-101", 1, 900.0, serial="LP-000050" + _check("LP-000050"))],
         {1: ("Serial", "already used")}, held=(0,)),
    Case("serial already in stock", RECV,
         lambda s: [R("PO-9", "RG-101", 1, 900.0, serial=s["in_stock"])],
         {0: ("Serial", "already used")}),
    Case("serial sold before is never reused", RECV,
         lambda s: [R("PO-9", "RG-101", 1, 900.0, serial=s["sold"])],
         {0: ("Serial", "already used")}),
    Case("serial with a bad check digit", RECV,
         lambda s: [R("PO-9", "RG-101", 1, 900.0, serial=BAD_CHECK)], {0: ("Serial", "")}),
    Case("unknown location", RECV, lambda s: [R("PO-9", "CH-301", 3, 4.0, loc="Basement")],
         {0: ("Location", "unknown location")}),
    Case("terms not Owned or Memo", RECV, lambda s: [R("PO-9", "CH-301", 3, 4.0, terms="Loan")],
         {0: ("Terms", "")}),
    Case("serial on a quantity style", RECV,
         lambda s: [R("PO-9", "CH-301", 1, 4.0, serial="LP-000060" + _check("LP-000060"))],
         {0: ("Serial", "quantity")}),
    Case("serialized row of qty 3 not split", RECV, lambda s: [R("PO-9", "RG-101", 3, 900.0)],
         {0: ("Qty", "split")}),
    Case("one bad row among good ones in a Doc", RECV,
         lambda s: [R("PO-9", "CH-301", 3, 4.0), R("PO-9", "ZZ-1", 1, 4.0),
                    R("PO-9", "ST-401", 5, 2.0)],
         {1: ("Style", "unknown")}, held=(0, 2)),
    Case("serialized sale without serial", SALE, lambda s: [S("T-9", None, "RG-101", 1, 1500.0)],
         {0: ("Serial", "must name the piece")}),
    Case("sale of a sold serial", SALE, lambda s: [S("T-9", s["sold"], None, 1, 1500.0)],
         {0: ("Serial", "not in stock")}),
    Case("sale of a serial never received", SALE,
         lambda s: [S("T-9", "LP-000077" + _check("LP-000077"), None, 1, 1500.0)],
         {0: ("Serial", "never received")}),
    Case("two rows selling one serial", SALE,
         lambda s: [S("T-9", s["in_stock"], None, 1, 1500.0),
                    S("T-10", s["in_stock"], None, 1, 1500.0)],
         {1: ("Serial", "not in stock")}),
    Case("oversell of a quantity style", SALE,
         lambda s: [S("T-9", None, "CH-301", 50, 120.0, loc="Main Case")],
         {0: ("Qty", "on hand")}),
    Case("sale at a location without the stock", SALE,
         lambda s: [S("T-9", None, "CH-301", 1, 120.0, loc="Vault")], {0: ("Qty", "on hand")}),
    Case("return with no matching sale", SALE,
         lambda s: [S("R-9", None, "ST-401", 2, 35.0, kind="Return", loc="Main Case")],
         {0: ("Qty", "no sale")}),
    Case("return of a serial never sold", SALE,
         lambda s: [S("R-9", s["in_stock"], None, 1, 1500.0, kind="Return")],
         {0: ("Serial", "no sale")}),
    Case("negative unit price", SALE, lambda s: [S("T-9", s["in_stock"], None, 1, -5.0)],
         {0: ("Unit Price", "")}),
    Case("sale kind misspelled", SALE, lambda s: [S("T-9", s["in_stock"], None, 1, 5.0,
                                                     kind="Refund")], {0: ("Kind", "")}),
    Case("memo back of a piece not out", MOVE,
         lambda s: [M("MB-9", "Memo Back", s["in_stock"], None, 1, party="Harbor Jewelers")],
         {0: ("Serial", "not out on memo")}),
    Case("transfer to an unknown location", MOVE,
         lambda s: [M("X-9", "Transfer", None, "CH-301", 2, "Main Case", "Attic")],
         {0: ("To", "unknown location")}),
    Case("transfer to the same place", MOVE,
         lambda s: [M("X-9", "Transfer", None, "CH-301", 2, "Main Case", "Main Case")],
         {0: ("To", "both")}),
    Case("memo out without a party", MOVE,
         lambda s: [M("MO-9", "Memo Out", s["in_stock"], None, 1, due=day("2026-04-01"))],
         {0: ("Party", "")}),
    Case("memo out without a due date", MOVE,
         lambda s: [M("MO-9", "Memo Out", s["in_stock"], None, 1, party="Harbor Jewelers")],
         {0: ("Due Date", "")}),
    Case("movement kind blank", MOVE, lambda s: [M("X-9", None, None, "CH-301", 1, "Main Case",
                                                   "Vault")], {0: ("Kind", "")}),
    Case("vendor return of more than on hand", MOVE,
         lambda s: [M("RTV-9", "Vendor Return", None, "CH-301", 99, "Main Case",
                      party="Northstar")], {0: ("Qty", "")}),
    Case("count of an unknown serial", COUNT,
         lambda s: [C("Main Case", "LP-000088" + _check("LP-000088"), None, 1)],
         {0: ("Serial", "not on the books")}),
    Case("count of a serial kept elsewhere", COUNT,
         lambda s: [C("Main Case", s["pendant"], None, 1)], {0: ("Serial", "Vault")}),
    Case("count negative", COUNT, lambda s: [C("Main Case", None, "CH-301", -1)],
         {0: ("Counted Qty", "")}),
    Case("count without a location", COUNT, lambda s: [C(None, None, "CH-301", 3)],
         {0: ("Location", "")}),
]


def _check(body: str) -> str:
    from addin.core.rows.serials import check_char

    return check_char(body)


def ledger_docs(path) -> list[str]:
    return [r["Doc"] for r in shopbook.read_rows(path, schema.LEDGER)]


def typed_cells_kept(before: list[dict], after: list[dict]) -> int:
    """How many typed rows lost a value (Status and Ledger Ref are Loupe's to write)."""
    mine = {"Status", "Ledger Ref", "Expected Qty", "Variance"}
    after_by_row = {r["_row"]: r for r in after}
    lost = 0
    for b in before:
        a = after_by_row.get(b["_row"])
        if a is None or any(a[h] != v for h, v in b.items() if h not in mine):
            lost += 1
    return lost


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_refused_named_and_kept(case: Case, shop):
    path = shop["path"]
    rows = case.rows(shop)
    ledger_before = ledger_docs(path)
    sheet_before = shopbook.read_rows(path, case.sheet)
    shopbook.type_rows(path, case.sheet, rows)
    typed = shopbook.read_rows(path, case.sheet)
    new_rows = typed[len(sheet_before):]
    assert len(new_rows) == len(rows)

    result = loupe(*case.command, path)

    assert result.exit_code == 1, result.output
    after = shopbook.read_rows(path, case.sheet)
    lost = typed_cells_kept(typed, after)
    LOST["tried"] += 1
    LOST["lost"] += lost
    assert lost == 0
    by_row = {r["_row"]: r for r in after}
    for i, (column, words) in case.bad.items():
        status = by_row[new_rows[i]["_row"]]["Status"]
        assert status.startswith("Error:"), status
        assert column in status and words in status, status
        assert by_row[new_rows[i]["_row"]]["Ledger Ref"] in (None, "")
        assert case.sheet.name in result.output and str(new_rows[i]["_row"]) in result.output
    for i in case.held:
        status = by_row[new_rows[i]["_row"]]["Status"]
        assert status.startswith("Not posted:"), status
    bad_docs = {str(new_rows[i].get("Doc") or "") for i in (*case.bad, *case.held)}
    assert ledger_docs(path)[: len(ledger_before)] == ledger_before
    assert not bad_docs & set(ledger_docs(path)[len(ledger_before):])


def test_check_character_of_the_bad_serial_really_is_wrong():
    assert _check("LP-000001") != BAD_CHECK[-1]


def test_note_starting_with_equals_stays_text(shop):
    path = shop["path"]
    shopbook.type_rows(path, RECV, [R("PO-9", "CH-301", 3, 4.0, note="=1+1"),
                                    R("PO-9", "ST-401", 2, 4.0, note="@home -5 +3")])
    result = loupe("post", "receipts", path)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(path, keep_vba=True)
    notes = [r["Note"] for r in shopbook.read_rows(path, RECV)][-2:]
    assert notes == ["=1+1", "@home -5 +3"]
    ws = wb["Receiving"]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row if c.value == "=1+1")
    LOST["tried"] += 1


def test_pressing_twice_posts_once(shop):
    path = shop["path"]
    shopbook.type_rows(path, RECV, [R("PO-9", "CH-301", 3, 4.0)])
    assert loupe("post", "receipts", path).exit_code == 0
    first = shopbook.read_rows(path, schema.LEDGER)
    again = loupe("post", "receipts", path)
    assert again.exit_code == 0
    assert shopbook.read_rows(path, schema.LEDGER) == first
    assert "1 already posted" in again.output or "already posted" in again.output
    LOST["tried"] += 1


@pytest.mark.parametrize("how", ["missing", "renamed", "duplicated"])
def test_header_problems_stop_the_sheet_and_name_the_header(shop, how):
    path = shop["path"]
    shopbook.type_rows(path, RECV, [R("PO-9", "CH-301", 3, 4.0)])
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb["Receiving"]
    col = schema.RECEIVING.headers.index("Unit Cost") + 1
    ws.cell(1, col).value = {"missing": None, "renamed": "Unit Cst", "duplicated": "Qty"}[how]
    wb.save(path)
    before = shopbook_values(path)
    result = loupe("post", "receipts", path)
    assert result.exit_code == 2
    assert "Receiving" in result.output and ("Unit Cost" in result.output)
    assert shopbook_values(path) == before  # nothing written, nothing lost
    LOST["tried"] += 1


def shopbook_values(path) -> list:
    wb = openpyxl.load_workbook(path, keep_vba=True)
    return [[c.value for c in row] for ws in wb.worksheets for row in ws.iter_rows()]


@pytest.mark.parametrize("how", ["renamed", "deleted"])
def test_book_without_its_ledger_is_refused(shop, how):
    path = shop["path"]
    wb = openpyxl.load_workbook(path, keep_vba=True)
    if how == "renamed":
        wb["Ledger"].title = "Old Ledger"
    else:
        del wb["Ledger"]
    wb.save(path)
    shopbook.type_rows(path, RECV, [R("PO-9", "CH-301", 3, 4.0)])
    result = loupe("post", "receipts", path)
    assert result.exit_code == 2
    assert "Ledger" in result.output
    assert shopbook.read_rows(path, RECV)[-1]["Status"] in (None, "")
    LOST["tried"] += 1


def test_not_a_workbook(tmp_path):
    path = tmp_path / "shop.xlsm"
    path.write_text("these are my notes, not a workbook")
    result = loupe("post", "receipts", path)
    assert result.exit_code == 2
    assert "shop.xlsm" in result.output
    assert path.read_text() == "these are my notes, not a workbook"
    LOST["tried"] += 1


def test_book_busy_with_another_run(shop):
    from addin.workbook.files import FilesBook

    path = shop["path"]
    shopbook.type_rows(path, RECV, [R("PO-9", "CH-301", 3, 4.0)])
    with FilesBook.open(path):
        result = loupe("post", "receipts", path)
    assert result.exit_code == 2
    assert "another Loupe run" in result.output
    assert shopbook.read_rows(path, RECV)[-1]["Status"] in (None, "")
    LOST["tried"] += 1


def test_ledger_row_edited_by_hand_is_named(shop):
    path = shop["path"]
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb["Ledger"]
    col = schema.LEDGER.headers.index("Unit Cost") + 1
    ws.cell(3, col).value = 1.0  # someone "fixes" a cost on the second entry
    wb.save(path)
    result = loupe("verify", path)
    assert result.exit_code == 2  # the README: the Ledger edited by hand
    assert "row 3" in result.output
    shopbook.type_rows(path, RECV, [R("PO-9", "CH-301", 3, 4.0)])
    posted = loupe("post", "receipts", path)
    assert posted.exit_code == 2 and "row 3" in posted.output
    LOST["tried"] += 1


def test_duplicate_style_codes_are_marked(shop):
    path = shop["path"]
    shopbook.type_rows(path, schema.STYLES, [["rg- 101", "Copy", "Rings", None, None, None,
                                              "Serialized", "FIFO", 10.0, None, "Yes"]])
    result = loupe("validate", path)
    assert result.exit_code == 1
    assert "Styles" in result.output and "repeats" in result.output
    LOST["tried"] += 1


def test_blank_rows_inside_a_table_are_skipped_not_lost(shop):
    path = shop["path"]
    shopbook.type_rows(path, RECV, [R("PO-9", "CH-301", 3, 4.0),
                                    [None] * 10, R("PO-10", "ST-401", 2, 1.0)])
    result = loupe("post", "receipts", path)
    assert result.exit_code == 0, result.output
    docs = ledger_docs(path)
    assert "PO-9" in docs and "PO-10" in docs
    LOST["tried"] += 1


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "shop.xlsm"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    result = loupe("verify", path)
    assert result.exit_code == 2
    LOST["tried"] += 1



def test_sale_dated_before_the_piece_arrived(shop):
    path = shop["path"]
    shopbook.type_rows(path, SALE, [S("T-9", shop["in_stock"], None, 1, 1500.0,
                                      date=day("2026-01-05"))])
    result = loupe("post", "sales", path)
    assert result.exit_code == 1
    status = shopbook.read_rows(path, SALE)[-1]["Status"]
    assert status.startswith("Error: Date:") and "before serial" in status
    assert "T-9" not in ledger_docs(path)
    LOST["tried"] += 1
