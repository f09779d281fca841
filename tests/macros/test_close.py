"""`loupe close`: the history moves to an SQLite archive, the book keeps going, verify checks
both, and the close can be undone until the next post (on real files, read back)."""

from __future__ import annotations

import sqlite3

from addin.sheets import schema
from addin.workbook.archive import archive_path
from tests.macros import shopbook
from tests.macros.conftest import loupe
from tests.macros.shopbook import day


def _ledger(path):
    return shopbook.read_rows(path, schema.LEDGER)


def _setting(path, name):
    rows = shopbook.read_rows(path, schema.SETTINGS)
    return next(r["Value"] for r in rows if r["Setting"] == name)


def test_close_archives_the_history_and_carries_the_stock(shop):
    path = shop["path"]
    before = _ledger(path)  # 5 receipts (2 rings, pendant, chains, studs) + 2 sales
    result = loupe("close", path, "--through", "2026-02-28")
    assert result.exit_code == 0, result.output
    assert "7 entries archived" in result.output
    after = _ledger(path)
    # in stock: 1 ring, the pendant, 8 chains, 20 studs: one carried entry each
    assert [(r["Kind"], r["Style"], r["Qty"], r["Unit Cost"]) for r in after] == [
        ("OPENING", "RG-101", 1, 820.0), ("OPENING", "PD-201", 1, 300.0),
        ("OPENING", "CH-301", 8, 50.0), ("OPENING", "ST-401", 20, 5.0)]
    assert [r["Entry"] for r in after] == [8, 9, 10, 11]
    assert {r["Doc"] for r in after} == {"CLOSE 2026-02-28"}
    assert all(r["Date"] == day("2026-01-10") for r in after[:2])
    assert after[0]["Serial"] == shop["in_stock"] and after[0]["Party"] == "Aurum"
    assert str(_setting(path, "Books Closed Through"))[:10] == "2026-02-28"
    with sqlite3.connect(archive_path(path)) as db:  # readable without Loupe
        rows = db.execute("SELECT entry, kind, style, qty, unit_cost_cents, unit_price_cents,"
                          " hash FROM entries ORDER BY entry").fetchall()
        through = db.execute("SELECT through_date, last_entry, carried_first FROM closes"
                             ).fetchall()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert rows[5][1:6] == ("SALE", "RG-101", -1, 0, 199999)
    assert [r[6] for r in rows] == [r["Hash"] for r in before]
    assert through == [("2026-02-28", 7, 8)]
    verified = loupe("verify", path)
    assert verified.exit_code == 0, verified.output
    assert "4 entries" in verified.output and "7 entries in 1 close(s)" in verified.output


def test_a_post_after_the_close_costs_as_before_and_blocks_the_undo(shop):
    path = shop["path"]
    assert loupe("close", path, "--through", "2026-02-28").exit_code == 0
    shopbook.type_rows(path, schema.SALES, [
        [day("2026-03-01"), "T-3", shop["in_stock"], None, 1, 1999.99, "D. L", None, "Sale"],
        [day("2026-03-01"), "T-4", None, "CH-301", 3, 120.0, "E. H", "Main Case", "Sale"]])
    assert loupe("post", "sales", path).exit_code == 0
    sales = _ledger(path)[-2:]
    assert [(r["Kind"], r["Cost of Goods"]) for r in sales] == [("SALE", 820.0), ("SALE", 150.0)]
    assert loupe("verify", path).exit_code == 0
    undo = loupe("close", path, "--undo")
    assert undo.exit_code == 2
    assert "entries 12-13 were posted after the close through 2026-02-28" in undo.output


def test_undo_before_a_post_puts_everything_back(shop):
    path = shop["path"]
    before = _ledger(path)
    lock = _setting(path, "Books Closed Through")
    assert loupe("close", path, "--through", "2026-02-28").exit_code == 0
    undo = loupe("close", path, "--undo")
    assert undo.exit_code == 0, undo.output
    assert _ledger(path) == before
    assert _setting(path, "Books Closed Through") == lock
    with sqlite3.connect(archive_path(path)) as db:
        assert db.execute("SELECT COUNT(*) FROM closes").fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM entries").fetchone() == (0,)
    assert loupe("verify", path).exit_code == 0


def test_an_edited_archive_row_is_named(shop):
    path = shop["path"]
    assert loupe("close", path, "--through", "2026-02-28").exit_code == 0
    with sqlite3.connect(archive_path(path)) as db:
        db.execute("UPDATE entries SET unit_price_cents = 100 WHERE entry = 6")
    result = loupe("verify", path)
    assert result.exit_code == 2
    assert "entries row 6 (entry 6) was changed after posting" in result.output


def test_a_missing_archive_is_named(shop):
    path = shop["path"]
    assert loupe("close", path, "--through", "2026-02-28").exit_code == 0
    archive_path(path).rename(path.with_name("elsewhere.sqlite"))
    result = loupe("verify", path)
    assert result.exit_code == 2
    assert "shop.archive.sqlite is not beside the book" in result.output


def test_a_close_with_later_entries_is_refused_and_changes_nothing(shop):
    path = shop["path"]
    before = _ledger(path)
    result = loupe("close", path, "--through", "2026-01-31")
    assert result.exit_code == 2
    assert "entries are dated after 2026-01-31" in result.output
    assert _ledger(path) == before
    assert loupe("close", path).exit_code == 2  # neither --through nor --undo


def test_a_return_of_a_sale_made_before_the_close_is_refused_and_says_why(shop):
    path = shop["path"]
    assert loupe("close", path, "--through", "2026-02-28").exit_code == 0
    shopbook.type_rows(path, schema.SALES, [
        [day("2026-03-01"), "R-1", shop["sold"], None, 1, 1999.99, "B. Chen", "Main Case",
         "Return"],
        [day("2026-03-01"), "R-2", None, "CH-301", 1, 120.0, "C. Okafor", "Main Case",
         "Return"]])
    result = loupe("post", "sales", path)
    assert result.exit_code == 1
    status = [r["Status"] for r in shopbook.read_rows(path, schema.SALES)[-2:]]
    assert f"serial {shop['sold']} has no sale on the Ledger since the close through " \
           "2026-02-28" in status[0]
    assert "since the close through 2026-02-28" in status[1]
    assert all("take the piece back in on Receiving" in s for s in status)


def test_a_close_the_book_never_saved_is_left_out_and_then_removed(shop):
    """The archive is written first; a close that did not reach the book is pending."""
    import datetime as dt

    from addin import session
    from addin.core import closing
    from addin.core.ledger import chain
    from addin.workbook.archive import Archive
    from addin.workbook.files import FilesBook

    path = shop["path"]
    before = _ledger(path)
    with FilesBook.open(path) as book:
        lf = session.read_ledger(book)
    plan = closing.plan_close(lf, {}, dt.date(2026, 2, 28), dt.datetime(2026, 3, 1))
    carried = chain.seal(plan.carried, str(lf["hash"].iloc[-1]))
    Archive.beside(path).add_close(lf, carried, plan.through, dt.datetime(2026, 3, 1), None)
    assert loupe("verify", path).exit_code == 0  # the book never closed: the Ledger as it was
    assert _ledger(path) == before
    assert Archive.beside(path).committed(1) == []
    assert loupe("close", path, "--through", "2026-02-28").exit_code == 0
    assert [c.close_no for c in Archive.beside(path).closes()] == [1]


REPORTS = ("Valuation", "Cost Layers", "Ageing", "Memos", "Margin", "Sale Lines",
           "COGS Explain", "Turn & GMROI", "Slow Movers", "Reorder")


def _report_cells(path, name):
    """A report sheet's values, without what names entries (their numbers differ by the
    carried entries): the Ledger line of the heading and the Entry column."""
    import openpyxl

    rows = list(openpyxl.load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    entry_col = None
    out = []
    for row in rows:
        if row and str(row[0] or "").startswith("Ledger: last entry"):
            continue
        named = [i for i, v in enumerate(row) if str(v or "").endswith("Entry")]
        if named and isinstance(row[named[0]], str):
            entry_col = named[0]
        out.append(tuple(None if i == entry_col else v for i, v in enumerate(row)))
    return out


def test_reports_after_a_close_read_the_archive_and_equal_those_without_it(shop, tmp_path):
    import shutil

    closed, kept = shop["path"], tmp_path / "kept" / "shop.xlsm"
    kept.parent.mkdir()
    shutil.copyfile(closed, kept)
    assert loupe("close", closed, "--through", "2026-02-28").exit_code == 0
    for path in (closed, kept):
        shopbook.type_rows(path, schema.SALES, [
            [day("2026-03-01"), "T-3", shop["in_stock"], None, 1, 1999.99, "D. L", None,
             "Sale"],
            [day("2026-03-01"), "T-4", None, "ST-401", 4, 35.0, "E. H", "Main Case", "Sale"]])
        assert loupe("post", "sales", path).exit_code == 0
        assert loupe("refresh", path).exit_code == 0
    for name in REPORTS:
        assert _report_cells(closed, name) == _report_cells(kept, name), name
    assert shopbook.read_rows(closed, schema.ITEMS) == shopbook.read_rows(kept, schema.ITEMS)
    margin = _report_cells(closed, "Margin")
    assert any(row[0] == "2026-02" for row in margin)  # the closed months still report


def test_an_edit_of_the_first_carried_row_is_caught_through_the_archive(shop):
    path = shop["path"]
    assert loupe("close", path, "--through", "2026-02-28").exit_code == 0
    shopbook.set_cell(path, "Ledger", "F2", "RG-999")  # Style of entry 8, the first row
    result = loupe("verify", path)
    assert result.exit_code == 2
    assert "Ledger row 2 (entry 8) was changed after posting" in result.output


def test_a_pieces_whole_history_reads_the_archive(shop):
    path = shop["path"]
    assert loupe("close", path, "--through", "2026-02-28").exit_code == 0
    shopbook.type_rows(path, schema.SALES, [
        [day("2026-03-01"), "T-3", shop["in_stock"], None, 1, 1999.99, "D. L", None, "Sale"]])
    assert loupe("post", "sales", path).exit_code == 0
    result = loupe("history", path, shop["in_stock"])
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.output.splitlines() if shop["in_stock"] in ln and "│" in ln]
    assert ["RECEIPT" in lines[0], "SALE" in lines[1], len(lines)] == [True, True, 2]
    assert "PO-1" in lines[0] and "820.00" in lines[0] and "1,999.99" in lines[1]
    unknown = loupe("history", path, "LP-NOPE")
    assert unknown.exit_code == 2 and "no entry names 'LP-NOPE'" in unknown.output


def _clear_refs(path, sheet):
    """The user empties the Ledger Ref and Status cells of every row of a sheet (openpyxl,
    as Excel would save them)."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    rows = shopbook.read_rows(path, sheet)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb[sheet.name]
    header = next(iter(ws.tables.values())).ref.split(":")[0]
    top = int("".join(c for c in header if c.isdigit()))
    cols = {ws.cell(top, c).value: c for c in range(1, ws.max_column + 1)}
    for r in rows:
        for name in ("Ledger Ref", "Status"):
            ws[f"{get_column_letter(cols[name])}{r['_row']}"].value = None
    wb.save(path)


def _clear_rows(path, sheet):
    """The user empties every body row of a sheet's Table (openpyxl, as Excel saves)."""
    import openpyxl

    rows = shopbook.read_rows(path, sheet)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb[sheet.name]
    for r in rows:
        for cell in ws[r["_row"]]:
            cell.value = None
    wb.save(path)


def test_rows_dated_before_the_close_whose_ledger_ref_was_cleared_never_post_again(shop):
    path = shop["path"]
    assert loupe("close", path, "--through", "2026-02-28").exit_code == 0
    carried = _ledger(path)
    _clear_refs(path, schema.SALES)  # the sales of 1 and 2 February, now in the archive
    _clear_refs(path, schema.RECEIVING)  # the receipts of 10 and 12 January
    sales, receipts = loupe("post", "sales", path), loupe("post", "receipts", path)
    assert sales.exit_code == 1 and receipts.exit_code == 1, sales.output + receipts.output
    assert _ledger(path) == carried  # nothing posted a second time
    for sheet, n in ((schema.SALES, 2), (schema.RECEIVING, 5)):
        status = [r["Status"] for r in shopbook.read_rows(path, sheet)]
        assert len(status) == n
        assert all("is in closed books (Books Closed Through 2026-02-28)" in s
                   for s in status), status
    assert loupe("verify", path).exit_code == 0


def _memo_out_rows(path):
    """The Memos report's rows of stock out on memo: (Party, Doc, Serial, Sent, Due Date)."""
    import openpyxl

    rows = list(openpyxl.load_workbook(path, read_only=True)["Memos"].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "Party")
    cols = {v: i for i, v in enumerate(rows[head]) if v}
    return [tuple(r[cols[h]] for h in ("Party", "Doc", "Serial", "Sent", "Due Date"))
            for r in rows[head + 1:] if r and r[0] and r[cols["Serial"]]]


def test_a_piece_out_on_memo_keeps_its_due_date_across_a_close(shop):
    path = shop["path"]
    shopbook.type_rows(path, schema.MOVEMENTS, [
        [day("2026-02-10"), "MO-7", "Memo Out", shop["pendant"], None, 1, "Vault", None,
         "Harbor Jewelers", day("2026-04-15")]])
    assert loupe("post", "movements", path).exit_code == 0
    assert loupe("refresh", path).exit_code == 0
    expected = [("Harbor Jewelers", "MO-7", shop["pendant"], day("2026-02-10"),
                 day("2026-04-15"))]
    assert _memo_out_rows(path) == expected
    assert loupe("close", path, "--through", "2026-02-28").exit_code == 0
    assert loupe("refresh", path).exit_code == 0
    assert _memo_out_rows(path) == expected
    _clear_rows(path, schema.MOVEMENTS)  # the new period starts with an empty sheet
    assert loupe("refresh", path).exit_code == 0
    assert _memo_out_rows(path) == expected  # the due date came through the archive
    with sqlite3.connect(archive_path(path)) as db:  # readable without Loupe
        # the memo out's two entries (E8 out of the Vault, E9 in at Memo: Harbor Jewelers)
        assert db.execute("SELECT entry, due_date FROM memo_dues ORDER BY entry"
                          ).fetchall() == [(8, "2026-04-15"), (9, "2026-04-15")]
    undo = loupe("close", path, "--undo")
    assert undo.exit_code == 0, undo.output
    with sqlite3.connect(archive_path(path)) as db:
        assert db.execute("SELECT COUNT(*) FROM memo_dues").fetchone() == (0,)


def test_a_layer_of_fractional_cents_partly_sold_carries_in_a_few_rows_at_its_exact_cost(
        tmp_path, monkeypatch):
    monkeypatch.setenv("LOUPE_NOW", "2026-03-20T17:00:00")
    path = shopbook.new_book(tmp_path)
    shopbook.type_rows(path, schema.RECEIVING, [[day("2026-01-07"), "PO-1", "Northstar",
                                                 "CH-301", 20000, 0.0333, None, "Main Case",
                                                 "Owned"]])
    assert loupe("post", "receipts", path).exit_code == 0
    shopbook.type_rows(path, schema.SALES, [[day("2026-01-09"), "T-1", None, "CH-301", 7, 1.0,
                                             "Ann", "Main Case", "Sale"]])
    assert loupe("post", "sales", path).exit_code == 0
    # 20,000 x 0.0333 = 666.00; the 7 sold took round(7 x 3.33 cents) = 0.23
    assert _ledger(path)[-1]["Cost of Goods"] == 0.23
    result = loupe("close", path, "--through", "2026-01-31")
    assert result.exit_code == 0, result.output
    carried = _ledger(path)
    # units 8-100 at whole cents (3.33 a unit: runs of 3s and 4s), then 19,900 @ 0.0333
    assert len(carried) < 100
    assert (carried[-1]["Qty"], carried[-1]["Unit Cost"]) == (19900, 0.0333)
    assert all(round(r["Unit Cost"] * 100, 6) == int(round(r["Unit Cost"] * 100))
               for r in carried[:-1])
    assert sum(r["Qty"] for r in carried) == 19993
    cents = sum(round(r["Qty"] * r["Unit Cost"] * 100) for r in carried)
    assert cents == 66600 - 23
    # 500 more: units 8-507 of the delivery, round(507 x 3.33) - round(7 x 3.33) = 16.65,
    # as though there had been no close
    shopbook.type_rows(path, schema.SALES, [[day("2026-02-03"), "T-2", None, "CH-301", 500,
                                             1.0, "Ann", "Main Case", "Sale"]])
    assert loupe("post", "sales", path).exit_code == 0
    assert _ledger(path)[-1]["Cost of Goods"] == 16.65
    assert loupe("verify", path).exit_code == 0


def test_undoing_an_archived_entry_says_it_is_in_the_archive(shop):
    path = shop["path"]
    assert loupe("close", path, "--through", "2026-02-28").exit_code == 0
    before = _ledger(path)
    result = loupe("reverse", path, "E6")  # the ring's sale, archived by the close
    assert result.exit_code == 2  # not on the Ledger: a bad argument
    said = " ".join(result.output.split())
    assert ("entry 6 is in the archive of the books closed through 2026-02-28; a closed "
            "period's entries cannot be undone") in said
    assert "post a correcting row dated in the open period instead" in said
    assert _ledger(path) == before
