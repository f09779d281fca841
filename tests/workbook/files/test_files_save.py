"""Saving: a new file swapped in whole, the previous one kept, one Loupe run at a time."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from addin.core.errors import BookError
from addin.sheets import schema
from addin.workbook.files import FilesBook
from addin.workbook.files.safe_save import backup_path, lock_path

HOLD_THE_BOOK = """
import sys
from addin.workbook.files import FilesBook
with FilesBook.open(sys.argv[1]):
    print("holding", flush=True)
    sys.stdin.readline()
"""


def set_status(path, text):
    with FilesBook.open(path) as b:
        b.write_cells(schema.RECEIVING, {"Status": {2: text}})
        b.save()


def status(path):
    with FilesBook.open(path) as b:
        return b.read_table(schema.RECEIVING).body[0][10]


def test_the_previous_file_is_kept_beside_the_book(book):
    original = book.read_bytes()
    set_status(book, "Posted")
    assert backup_path(book).name == "shop.loupe-backup.xlsm"
    assert backup_path(book).read_bytes() == original
    set_status(book, "Posted again")
    assert status(backup_path(book)) == "Posted"
    assert status(book) == "Posted again"


def test_a_save_with_nothing_changed_writes_nothing(book):
    stamp = book.stat().st_mtime_ns
    with FilesBook.open(book) as b:
        b.read_table(schema.LEDGER)
        b.save()
    assert book.stat().st_mtime_ns == stamp
    assert not backup_path(book).exists()


def test_the_files_permissions_are_kept(book):
    os.chmod(book, 0o640)
    set_status(book, "Posted")
    assert book.stat().st_mode & 0o777 == 0o640


def test_a_book_reached_through_a_link_stays_a_link(book, tmp_path):
    link = tmp_path / "shortcut.xlsm"
    link.symlink_to(book)
    set_status(link, "Posted")
    assert link.is_symlink() and status(book) == "Posted"


def test_the_book_can_be_edited_again_after_a_save(book):
    with FilesBook.open(book) as b:
        b.write_cells(schema.RECEIVING, {"Status": {2: "one"}})
        b.save()
        b.write_cells(schema.RECEIVING, {"Status": {3: "two"}})
        b.save()
        assert [r[10] for r in b.read_table(schema.RECEIVING).body] == ["one", "two", None]
    assert status(backup_path(book)) == "one"


def test_a_second_run_on_the_same_book_is_turned_away(book):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_BOOK, str(book)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(BookError) as e:
            with FilesBook.open(book):
                pass
        message = str(e.value)
        assert "shop.xlsm is being changed by another Loupe run" in message
        assert "wait for it to finish" in message and str(lock_path(book)) in message
    finally:
        holder.communicate("done\n", timeout=30)
    with FilesBook.open(book) as b:  # free again once the other run ends
        assert b.read_table(schema.RECEIVING).first_row == 2


def test_two_opens_in_one_process_also_exclude_each_other(book):
    with FilesBook.open(book), pytest.raises(BookError, match="another Loupe run"):
        with FilesBook.open(book):
            pass


def test_leftovers_of_a_killed_run_are_cleared_on_open(book):
    stray = book.with_name(book.name + ".loupe-tmp-4242")
    stray.write_bytes(b"half a zip")
    with FilesBook.open(book):
        pass
    assert not stray.exists()


def test_a_failed_save_leaves_the_book_as_it_was(book, monkeypatch):
    original = book.read_bytes()
    with FilesBook.open(book) as b:
        b.write_cells(schema.RECEIVING, {"Status": {2: "Posted"}})

        def no_room(*args):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "replace", no_room)
        with pytest.raises(BookError, match="could not save shop.xlsm.*unchanged"):
            b.save()
        monkeypatch.undo()
        assert b.read_table(schema.RECEIVING).body[0][10] == "Posted"  # still pending
        b.save()
    assert status(book) == "Posted"
    assert backup_path(book).read_bytes() == original
    assert [p.name for p in book.parent.iterdir() if ".loupe-tmp-" in p.name] == []


def test_the_saved_file_is_a_sound_zip(book):
    set_status(book, "Posted")
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None
