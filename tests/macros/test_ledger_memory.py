"""The Ledger remembered between presses, and the tip record kept in the book.

Every shortcut is held to the full path: what a press takes from memory equals a fresh
read of the file, and a file that changed in between (edited with openpyxl, as Excel or any
other program would save it) is read fresh and verified in full.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import range_boundaries

from addin import session
from addin.core.ledger import chain
from addin.sheets import schema
from addin.workbook.files import FilesBook, ledger_memory
from addin.workbook.reader.tables import ledger_frame
from tests.macros import shopbook
from tests.macros.conftest import loupe
from tests.macros.shopbook import day

ENTRIES = 7  # the stocked shop: five pieces/lots received, two sales


def fresh_ledger(path: Path) -> pd.DataFrame:
    """The Ledger read the long way, never from memory."""
    with FilesBook.open(path, writing=False) as book:
        return ledger_frame(book.read_table(schema.LEDGER))


def remembered(path: Path) -> pd.DataFrame | None:
    """What the files adapter would answer from memory for the file as it is now."""
    with FilesBook.open(path, writing=False) as book:
        known = book.known_ledger(None)
    return None if known is None else known.frame


def no_ledger_reads(monkeypatch) -> None:
    """Make any read of the Ledger sheet fail, so a test sees the press did not read it."""
    real = FilesBook.read_table

    def refuse(self, sheet):
        assert sheet is not schema.LEDGER, "the Ledger was read"
        return real(self, sheet)

    monkeypatch.setattr(FilesBook, "read_table", refuse)


CHAIN_ROW = [day("2026-02-20"), "PO-9", "Northstar", "CH-301", 4, 55.0, None, "Main Case", "Owned",
             None, None, None]


def receive_chain(path: Path, doc: str = "PO-9") -> None:
    """A Receiving row typed with openpyxl (every part of the file rewritten)."""
    shopbook.type_rows(path, schema.RECEIVING, [[*CHAIN_ROW[:1], doc, *CHAIN_ROW[2:9]]])


def receive_chain_headless(path: Path, doc: str) -> None:
    """A Receiving row added by a script through Loupe's own files adapter, which leaves
    the Ledger's parts as they are (as `loupe import` or a till exporting sales would)."""
    with FilesBook.open(path) as book:
        book.append_rows(schema.RECEIVING, [[*CHAIN_ROW[:1], doc, *CHAIN_ROW[2:]]])
        book.save()


def test_an_unchanged_book_is_verified_from_memory_with_the_same_figures(shop, monkeypatch):
    assert loupe("verify", shop["path"]).exit_code == 0
    no_ledger_reads(monkeypatch)
    result = loupe("verify", shop["path"])
    assert result.exit_code == 0, result.output
    assert f"Ledger OK: {ENTRIES} entries" in result.output
    monkeypatch.undo()
    pd.testing.assert_frame_equal(remembered(shop["path"]), fresh_ledger(shop["path"]))


def test_a_post_remembers_exactly_what_a_fresh_read_finds(shop, monkeypatch):
    receive_chain(shop["path"])
    result = loupe("post", "receipts", shop["path"])
    assert result.exit_code == 0, result.output
    fresh = fresh_ledger(shop["path"])
    assert list(fresh["entry"]) == list(range(1, ENTRIES + 2))
    assert fresh["qty"].iloc[-1] == 4 and fresh["unit_cost"].iloc[-1] == 55_0000  # 55.00
    pd.testing.assert_frame_equal(remembered(shop["path"]), fresh)
    # and the next press takes it from memory
    receive_chain_headless(shop["path"], "PO-10")
    no_ledger_reads(monkeypatch)
    result = loupe("post", "receipts", shop["path"])
    assert result.exit_code == 0, result.output
    monkeypatch.undo()
    assert list(fresh_ledger(shop["path"])["entry"]) == list(range(1, ENTRIES + 3))


def test_a_ledger_edited_with_openpyxl_between_presses_is_read_fresh_and_caught(shop):
    assert loupe("verify", shop["path"]).exit_code == 0
    shopbook.set_cell(shop["path"], "Ledger", "H3", 2)  # Qty of entry 2
    assert remembered(shop["path"]) is None
    result = loupe("verify", shop["path"])
    assert result.exit_code == 2
    assert "Ledger row 3 (entry 2) was changed after posting" in result.output
    assert result.output.count("row 3") == 1 and result.output.count("restore the book") == 1
    receive_chain(shop["path"])
    refused = loupe("post", "receipts", shop["path"])
    assert refused.exit_code == 2 and "row 3" in refused.output


def test_any_other_program_saving_the_book_means_a_fresh_read(shop, monkeypatch):
    assert loupe("verify", shop["path"]).exit_code == 0
    wb = openpyxl.load_workbook(shop["path"], keep_vba=True)
    wb.save(shop["path"])  # nothing edited; every part rewritten
    assert remembered(shop["path"]) is None
    calls = []
    real = FilesBook.read_table
    monkeypatch.setattr(FilesBook, "read_table",
                        lambda self, sheet: calls.append(sheet.name) or real(self, sheet))
    assert loupe("verify", shop["path"]).exit_code == 0
    assert "Ledger" in calls


def _truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2])


def _flip_a_byte(p: Path) -> None:
    data = bytearray(p.read_bytes())
    data[-40] ^= 0xFF  # inside the frame's bytes, not the header
    p.write_bytes(bytes(data))


def _garbage(p: Path) -> None:
    p.write_bytes(b"not a ledger at all")


def _from_an_earlier_loupe(p: Path) -> None:
    """A memory an earlier Loupe wrote: version 3, whose frame was never followed by Books."""
    data = p.read_bytes()
    assert data.startswith(b"LOUPE-LEDGER-MEMORY 4\n")
    p.write_bytes(b"LOUPE-LEDGER-MEMORY 3\n" + data[len(b"LOUPE-LEDGER-MEMORY 4\n"):])


def test_verify_of_an_unchanged_book_reads_only_the_first_line_of_its_memory(
    shop, monkeypatch
):
    """Verify needs the entries and the tip, not the frame: the size of the Ledger does
    not count. A press that needs the frame still gets it, checked whole."""
    assert loupe("verify", shop["path"]).exit_code == 0  # read in full, remembered
    real = ledger_memory._payload
    reads = []
    monkeypatch.setattr(ledger_memory, "_payload",
                        lambda *a, **k: reads.append(a[0]) or real(*a, **k))
    result = loupe("verify", shop["path"])
    assert result.exit_code == 0 and f"{ENTRIES} entries" in result.output
    assert reads == []
    receive_chain_headless(shop["path"], "PO-60")
    assert loupe("post", "receipts", shop["path"]).exit_code == 0
    assert len(reads) == 1  # the post read the frame's bytes once
    pd.testing.assert_frame_equal(remembered(shop["path"]), fresh_ledger(shop["path"]))


@pytest.mark.parametrize("damage", [_truncate, _flip_a_byte, _garbage, _from_an_earlier_loupe])
def test_a_damaged_memory_is_ignored_and_the_answer_stays_right(shop, damage):
    assert loupe("verify", shop["path"]).exit_code == 0
    memory = ledger_memory.memory_file(shop["path"])
    assert memory.exists()
    damage(memory)
    assert remembered(shop["path"]) is None
    result = loupe("verify", shop["path"])
    assert result.exit_code == 0 and f"{ENTRIES} entries" in result.output
    receive_chain(shop["path"])
    assert loupe("post", "receipts", shop["path"]).exit_code == 0
    assert list(fresh_ledger(shop["path"])["entry"]) == list(range(1, ENTRIES + 2))


def test_deleting_the_memory_is_always_safe(shop):
    assert loupe("verify", shop["path"]).exit_code == 0
    ledger_memory.memory_file(shop["path"]).unlink()
    assert loupe("verify", shop["path"]).exit_code == 0
    assert ledger_memory.memory_file(shop["path"]).exists()


def test_a_cache_folder_that_cannot_be_written_stops_nothing(shop, tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("LOUPE_CACHE_DIR", str(blocked / "cache"))
    receive_chain(shop["path"])
    assert loupe("post", "receipts", shop["path"]).exit_code == 0
    result = loupe("verify", shop["path"])
    assert result.exit_code == 0 and f"{ENTRIES + 1} entries" in result.output


def test_a_ledger_continuing_from_another_anchor_is_not_taken_from_memory(shop):
    assert loupe("verify", shop["path"]).exit_code == 0
    with FilesBook.open(shop["path"], writing=False) as book:
        result, known = session.check_ledger(book, chain.Tip(40, "0123456789abcdef"))
    assert known is None and not result.ok
    assert "holds entry 1 but entry 41" in result.message  # read in full, not remembered


# --- the tip record -------------------------------------------------------------------


def cut_last_ledger_rows(path: Path, n: int) -> None:
    """Delete the last `n` Ledger rows with openpyxl, shrinking the Table, as a person might."""
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb["Ledger"]
    table = ws.tables[schema.LEDGER.table]
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    ws.delete_rows(max_row - n + 1, n)
    table.ref = f"A{min_row}:O{max(max_row - n, min_row + 1)}"  # a table keeps one body row
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref
    wb.save(path)


@pytest.mark.parametrize("cut", [1, 3, ENTRIES], ids=["last row", "last three", "all"])
def test_deleting_the_last_ledger_rows_is_caught_and_no_entry_number_is_reused(shop, cut):
    assert loupe("verify", shop["path"]).exit_code == 0  # remembered as it was
    cut_last_ledger_rows(shop["path"], cut)
    assert len(fresh_ledger(shop["path"])) == ENTRIES - cut
    result = loupe("verify", shop["path"])
    assert result.exit_code == 2
    assert f"sealed up to entry {ENTRIES}" in result.output
    assert "rows were deleted from its end" in result.output
    receive_chain(shop["path"])
    refused = loupe("post", "receipts", shop["path"])
    assert refused.exit_code == 2 and "deleted from its end" in refused.output
    assert len(fresh_ledger(shop["path"])) == ENTRIES - cut  # nothing posted, no number reused


def test_the_tip_record_survives_a_save_by_openpyxl(shop):
    wb = openpyxl.load_workbook(shop["path"], keep_vba=True)
    assert "LoupeLedgerTip" in wb.defined_names
    wb.save(shop["path"])
    with FilesBook.open(shop["path"], writing=False) as book:
        tip = book.ledger_tip()
    last = fresh_ledger(shop["path"]).iloc[-1]
    assert tip == chain.Tip(ENTRIES, last["hash"])
    cut_last_ledger_rows(shop["path"], 1)
    assert loupe("verify", shop["path"]).exit_code == 2


def test_a_tip_record_edited_by_hand_is_named(shop):
    wb = openpyxl.load_workbook(shop["path"], keep_vba=True)
    wb.defined_names["LoupeLedgerTip"].attr_text = '"entry seven"'
    wb.save(shop["path"])
    result = loupe("verify", shop["path"])
    assert result.exit_code == 2
    assert "tip record" in result.output and "LoupeLedgerTip" in result.output


def test_a_new_book_gets_its_tip_record_with_its_first_post(tmp_path):
    path = shopbook.new_book(tmp_path)
    with zipfile.ZipFile(path) as z:
        assert b"LoupeLedgerTip" not in z.read("xl/workbook.xml")
    receive_chain(path)
    assert loupe("post", "receipts", path).exit_code == 0
    with FilesBook.open(path, writing=False) as book:
        assert book.ledger_tip() == chain.Tip(1, fresh_ledger(path)["hash"].iloc[0])


# --- the Ledger part appended to, not rewritten ---------------------------------------


def ledger_part(path: Path) -> bytes:
    """The Ledger part's XML, uncompressed (the zip checked whole first)."""
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        return z.read(_ledger_part_name(path))


def _ledger_part_name(path: Path) -> str:
    with FilesBook.open(path, writing=False) as book:
        return book._ledger_part()


def test_a_warm_post_appends_to_the_ledger_part_and_holds_what_a_rewrite_would(
    shop, tmp_path, monkeypatch
):
    """Three copies of one book get the same posts: `warm` remembered by Loupe, `found`
    with nothing remembered (its rows' end is found in the part, where Loupe's last save
    flushed it), `whole` made to rewrite its Ledger part in full. The parts come out equal,
    byte for byte, and only the first two were appended to."""
    warm, found, whole = shop["path"], tmp_path / "found.xlsm", tmp_path / "whole.xlsm"
    receive_chain_headless(warm, "PO-40")
    assert loupe("post", "receipts", warm).exit_code == 0  # now its rows' end is known
    appended = []
    from addin.workbook.files.ooxml import xlsx_zip

    real = xlsx_zip._appended_entry
    monkeypatch.setattr(xlsx_zip, "_appended_entry",
                        lambda *a: appended.append(a[1].filename) or real(*a))
    real_found = FilesBook._found_stream
    monkeypatch.setattr(FilesBook, "_found_stream", lambda self, entry: None
                        if self.path.name == whole.name else real_found(self, entry))
    for doc in ("PO-41", "PO-42"):
        for copy in (found, whole):
            shutil.copyfile(warm, copy)  # the same book, nothing remembered of it
            ledger_memory.forget(copy)
        for book in (warm, found, whole):
            receive_chain_headless(book, doc)
            assert loupe("post", "receipts", book).exit_code == 0
        assert ledger_part(warm) == ledger_part(whole) == ledger_part(found)
        pd.testing.assert_frame_equal(fresh_ledger(warm), fresh_ledger(whole))
        pd.testing.assert_frame_equal(fresh_ledger(found), fresh_ledger(whole))
    assert appended == [_ledger_part_name(warm)] * 4  # warm and found, once per post
    assert list(fresh_ledger(warm)["entry"]) == list(range(1, ENTRIES + 4))
    for book in (found, whole):
        assert loupe("verify", book).exit_code == 0
    ledger_memory.forget(warm)
    assert loupe("verify", warm).exit_code == 0  # verified in full, from the file


def test_a_ledger_part_another_program_saved_is_rewritten_whole(shop, monkeypatch):
    """openpyxl (as Excel would) saves the Ledger part without Loupe's flush point: the
    next post rewrites the part in full, and the post after that appends again."""
    path = shop["path"]
    receive_chain(path, "PO-50")  # openpyxl rewrites every part
    appended = []
    from addin.workbook.files.ooxml import xlsx_zip

    real = xlsx_zip._appended_entry
    monkeypatch.setattr(xlsx_zip, "_appended_entry",
                        lambda *a: appended.append(a[1].filename) or real(*a))
    assert loupe("post", "receipts", path).exit_code == 0
    assert appended == []
    ledger_memory.forget(path)
    receive_chain_headless(path, "PO-51")
    assert loupe("post", "receipts", path).exit_code == 0
    assert appended == [_ledger_part_name(path)]
    assert list(fresh_ledger(path)["entry"]) == list(range(1, ENTRIES + 3))
    assert [r["Doc"] for r in shopbook.read_rows(path, schema.LEDGER)[-2:]] == ["PO-50", "PO-51"]
    ledger_memory.forget(path)
    assert loupe("verify", path).exit_code == 0


def test_rows_damaged_on_disk_under_an_unchanged_directory_are_not_saved_over(shop):
    path = shop["path"]
    receive_chain_headless(path, "PO-40")
    assert loupe("post", "receipts", path).exit_code == 0
    receive_chain_headless(path, "PO-41")
    part = _ledger_part_name(path)
    from tests.macros.test_damaged_books import damage_part

    damage_part(path, part)  # the central directory still says the old CRC
    before = path.read_bytes()
    result = loupe("post", "receipts", path)
    assert result.exit_code == 2
    assert f"{part} is damaged" in result.output and "untouched" in result.output
    assert path.read_bytes() == before
