"""The SQL in docs/archive.md, run on a real archive, says what the Margin report says."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from addin.sheets import schema
from addin.workbook.archive import archive_path
from tests.macros import shopbook
from tests.macros.conftest import loupe
from tests.macros.shopbook import day
from tests.macros.test_ledger_order import margin_by_month

DOC = Path(__file__).resolve().parents[2] / "docs" / "archive.md"
CASE = "Main Case"


def doc_query(title: str) -> str:
    """The statement under the `-- <title>` comment in the doc's queries block."""
    block = DOC.read_text().split("## Queries without Loupe", 1)[1]
    sql = re.search(r"```sql\n(.*?)```", block, re.S).group(1)
    start = sql.index(f"-- {title}")
    return sql[start:sql.index(";", start) + 1]


def post(path, sheet, rows, what):
    shopbook.type_rows(path, sheet, rows)
    result = loupe("post", what, path)
    assert result.exit_code == 0, result.output


def test_the_margin_by_month_query_counts_what_the_margin_report_counts(tmp_path, monkeypatch):
    monkeypatch.setenv("LOUPE_NOW", "2026-03-20T17:00:00")
    path = shopbook.new_book(tmp_path)
    row = next(r["_row"] for r in shopbook.read_rows(path, schema.SETTINGS)
               if r["Setting"] == "Allow Negative Stock")
    shopbook.set_cell(path, "Settings", f"B{row}", "Yes")
    recv = [day("2026-01-05"), "PO-1", "Northstar", "CH-301", 1, 10.0, None, CASE, "Owned"]
    post(path, schema.RECEIVING, [recv], "receipts")
    # 2 sold at 120.00 in January, 1 below zero at the last cost 10.00: 20.00
    post(path, schema.SALES, [[day("2026-01-20"), "T-1", None, "CH-301", 2, 120.0, "Ann",
                               CASE, "Sale"]], "sales")
    # 5 @ 30.00 in February cover it: a COST_ADJUST of +20.00 dated 02-10
    post(path, schema.RECEIVING, [[day("2026-02-10"), "PO-2", "Northstar", "CH-301", 5, 30.0,
                                   None, CASE, "Owned"]], "receipts")
    # a sale of 3 rung up by mistake on 02-15 and undone: nothing in February's margin
    post(path, schema.SALES, [[day("2026-02-15"), "T-2", None, "CH-301", 3, 120.0, "Ann",
                               CASE, "Sale"]], "sales")
    mistake = shopbook.read_rows(path, schema.LEDGER)[-1]["Entry"]
    assert loupe("reverse", path, str(mistake), "--why", "rang up twice").exit_code == 0
    expected = {"2026-01": (240.0, 20.0), "2026-02": (0.0, 20.0)}
    assert {m: (sales, cogs) for m, (_, sales, cogs) in margin_by_month(path).items()} == expected
    assert loupe("close", path, "--through", "2026-02-28").exit_code == 0
    with sqlite3.connect(archive_path(path)) as db:
        got = db.execute(doc_query("margin by month over the archived years")).fetchall()
    assert {m: (s, c) for m, s, c in got} == expected
