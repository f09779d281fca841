"""A damaged book is not saved over: the press stops with a clear message, the file (and
the backup beside it) stay exactly as they were."""

from __future__ import annotations

import shutil
import struct
import zipfile
from pathlib import Path

import openpyxl

from addin.workbook.files.safe_save import backup_path
from tests.macros.conftest import loupe
from tests.macros.test_ledger_memory import ENTRIES, fresh_ledger, receive_chain_headless


def press_and_keep_a_backup(path: Path) -> None:
    receive_chain_headless(path, "PO-20")
    assert loupe("post", "receipts", path).exit_code == 0
    assert backup_path(path).exists()
    receive_chain_headless(path, "PO-21")  # something left to post


def damage_part(path: Path, part: str) -> None:
    """Flip bytes inside `part`'s stored data, as a bad disk or a cut copy would."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    data = bytearray(path.read_bytes())
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26:
                                                    info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    for i in range(start + info.compress_size // 3, start + info.compress_size // 3 + 8):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def without_part(path: Path, part: str) -> None:
    source = path.with_suffix(".orig")
    shutil.move(path, source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != part:
                new.writestr(info, old.read(info.filename))
    source.unlink()


def test_a_part_failing_its_crc_check_is_not_saved_over(shop):
    path = shop["path"]
    press_and_keep_a_backup(path)
    damage_part(path, "xl/vbaProject.bin")
    before, backup = path.read_bytes(), backup_path(path).read_bytes()
    result = loupe("post", "receipts", path)
    assert result.exit_code == 2
    assert "xl/vbaProject.bin is damaged" in result.output
    assert "will not save over it" in result.output and "untouched" in result.output
    assert path.read_bytes() == before and backup_path(path).read_bytes() == backup


def test_a_book_whose_workbook_names_a_missing_vba_project_is_not_saved_over(shop):
    path = shop["path"]
    receive_chain_headless(path, "PO-20")
    without_part(path, "xl/vbaProject.bin")
    before = path.read_bytes()
    result = loupe("post", "receipts", path)
    assert result.exit_code == 2
    assert "lost its VBA project" in result.output
    assert "xl/vbaProject.bin, which is not in the file" in result.output
    assert path.read_bytes() == before
    assert len(fresh_ledger(path)) == ENTRIES


def test_a_book_saved_without_its_macros_is_not_saved_over(shop):
    path = shop["path"]
    press_and_keep_a_backup(path)
    openpyxl.load_workbook(path).save(path)  # no keep_vba: the macros are dropped
    with zipfile.ZipFile(path) as z:
        assert "xl/vbaProject.bin" not in z.namelist()
    before, backup = path.read_bytes(), backup_path(path).read_bytes()
    result = loupe("post", "receipts", path)
    assert result.exit_code == 2
    assert "lost its VBA project" in result.output and backup_path(path).name in result.output
    assert path.read_bytes() == before and backup_path(path).read_bytes() == backup
