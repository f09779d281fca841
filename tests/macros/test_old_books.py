"""A book made from the earlier template (Items without the RFID Tag column) keeps working:
the first press adds the column at the right end of the Items table, every typed value
stays where it was, and the book stays valid."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from addin.sheets import schema
from tests.macros import shopbook
from tests.macros.conftest import loupe
from tests.macros.shopbook import day
from tests.ooxml import schema_problems

OLD_HEADERS = [h for h in schema.ITEMS.headers if h != "RFID Tag"]


def as_earlier_template(path) -> None:
    """Take the RFID Tag column out of the Items table, as the earlier template made it."""
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb["Items"]
    table = ws.tables["tblItems"]
    assert table.tableColumns[-1].name == "RFID Tag"
    last = len(table.tableColumns)
    for row in ws.iter_rows(min_col=last, max_col=last):
        row[0].value = None
    table.tableColumns = table.tableColumns[:-1]
    bottom = re.sub(r"[A-Z]+", "", table.ref.split(":")[1])
    table.ref = table.autoFilter.ref = f"A1:{get_column_letter(last - 1)}{bottom}"
    wb.save(path)


def cells(path, sheet_name: str) -> list[list]:
    ws = openpyxl.load_workbook(path)[sheet_name]
    return [[c.value for c in row] for row in ws.iter_rows()]


@pytest.fixture
def old_book(shop):
    path = shop["path"]
    items = shopbook.read_rows(path, schema.ITEMS)
    pendant = next(i for i in items if i["Style"] == "PD-201")
    col = schema.ITEMS.headers.index("Stone") + 1
    shopbook.set_cell(path, "Items", f"{get_column_letter(col)}{pendant['_row']}", "Sapphire")
    as_earlier_template(path)
    assert [c for c in cells(path, "Items")[0] if c] == OLD_HEADERS
    return shop


def test_a_press_adds_the_rfid_tag_column_and_keeps_every_value(old_book):
    path = old_book["path"]
    before = {name: cells(path, name) for name in ("Items", "Receiving", "Sales", "Ledger")}
    shopbook.type_rows(path, schema.SALES, [
        [day("2026-02-20"), "T-9", old_book["pendant"], None, 1, 650.0, "A. Moreno", None, "Sale"],
    ])
    result = loupe("post", "sales", path)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(path, keep_vba=True)
    table = wb["Items"].tables["tblItems"]
    assert [c.name for c in table.tableColumns] == list(schema.ITEMS.headers)
    assert [c.value for c in wb["Items"][1]] == list(schema.ITEMS.headers)
    assert table.ref.startswith("A1:S")
    after = cells(path, "Items")
    # every cell of the earlier columns is as it was, but the sold pendant's sale facts
    by_serial = {r[0]: r for r in before["Items"][1:]}
    sold = {"Status", "Sold Date", "Sold Price", "Margin"}
    for row in after[1:]:
        old = by_serial[row[0]]
        for i, header in enumerate(OLD_HEADERS):
            if not (row[0] == old_book["pendant"] and header in sold):
                assert row[i] == old[i], (row[0], header)
        assert row[len(OLD_HEADERS)] is None  # the new column is empty
    pendant = next(r for r in shopbook.read_rows(path, schema.ITEMS)
                   if r["Serial"] == old_book["pendant"])
    assert (pendant["Stone"], pendant["Status"]) == ("Sapphire", "Sold")
    assert cells(path, "Receiving") == before["Receiving"]
    assert cells(path, "Ledger")[: len(before["Ledger"])] == before["Ledger"]
    assert loupe("verify", path).exit_code == 0
    assert schema_problems(path) == []


def test_the_column_is_added_once(old_book):
    path = old_book["path"]
    assert loupe("post", "sales", path).exit_code == 0
    assert loupe("refresh", path).exit_code == 0
    header = [c for c in cells(path, "Items")[0] if c]
    assert header == list(schema.ITEMS.headers)


def test_cells_where_the_column_must_go_are_named_and_nothing_is_changed(old_book):
    path = old_book["path"]
    note = "S4"  # beside the table's last row (3 pieces, rows 2-4): the owner's note
    assert len(cells(path, "Items")) == 4
    shopbook.set_cell(path, "Items", note, "check clasp")
    before = path.read_bytes()
    result = loupe("post", "sales", path)
    assert result.exit_code == 2
    assert "Items needs a column headed RFID Tag" in result.output
    assert "row 4 there is not empty (column S); move what it holds elsewhere" in \
        result.output.replace("\n", " ")
    assert path.read_bytes() == before


def test_the_in_memory_book_takes_the_column_the_same_way():
    from addin import session
    from addin.workbook.memory import MemoryBook

    book = MemoryBook.blank()
    book.tables["Items"] = [OLD_HEADERS, ["LP-0000017", "RG-101"] + [None] * 16]
    session.load_shop(book, dt.datetime(2026, 3, 1, 17, 0))
    book.save()
    assert book.tables["Items"][0] == list(schema.ITEMS.headers)
    assert book.tables["Items"][1] == ["LP-0000017", "RG-101"] + [None] * 17
