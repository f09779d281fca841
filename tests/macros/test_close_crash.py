"""A close killed at any instant leaves book + archive as they were, or both closed.

Each trial forks a process that opens the book (taking the lock), waits for the word and
closes the period (archive transaction, then the book's atomic save); the test kills it
with SIGKILL after a random delay spread over the time a close takes. Then, read back with
Loupe and with sqlite3: the Ledger holds exactly the entries before the close, or exactly
the carried entries; `verify` passes on book + archive together; the archive's committed
closes agree with the book. A closed book is undone before the next trial.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import select
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from addin.macros import closing
from addin.macros.buttons import verify_ledger
from addin.sheets import schema
from addin.workbook.archive import Archive, archive_path
from addin.workbook.files import FilesBook
from tests.macros.conftest import loupe
from tests.macros.shopbook import day

TRIALS = 40
THROUGH = day("2026-02-28").date()
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")]


def start_close(path: Path) -> tuple[int, int, int]:
    go_read, go_write = os.pipe()
    done_read, done_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(go_write)
            os.close(done_read)
            with FilesBook.open(path) as book:
                os.write(done_write, b"r")
                os.read(go_read, 1)
                closing.close_period(book, THROUGH, dt.datetime(2026, 3, 1, 17))
            os.write(done_write, b"s")
            status = 0
        finally:
            os._exit(status)
    os.close(go_read)
    os.close(done_write)
    assert os.read(done_read, 1) == b"r", "the closing process could not open the book"
    return pid, go_write, done_read


def finish(pid: int, *fds: int) -> None:
    os.waitpid(pid, 0)
    for fd in fds:
        os.close(fd)


def one_close_takes(path: Path) -> float:
    pid, go, done = start_close(path)
    began = time.perf_counter()
    os.write(go, b"g")
    ready, _, _ = select.select([done], [], [], 60)
    assert ready and os.read(done, 1) == b"s"
    took = time.perf_counter() - began
    finish(pid, go, done)
    return took


def entries(path: Path) -> list[int]:
    with FilesBook.open(path) as book:
        return [int(row[0]) for row in book.read_table(schema.LEDGER).body]


def test_killing_a_close_anywhere_leaves_the_old_state_or_the_new(shop):
    path = shop["path"]
    old = entries(path)
    took = one_close_takes(path)
    new = entries(path)
    assert new == list(range(old[-1] + 1, old[-1] + 5))
    assert loupe("close", path, "--undo").exit_code == 0
    rng = random.Random(14)
    seen = {"old": 0, "new": 0}
    for _ in range(TRIALS):
        pid, go, done = start_close(path)
        os.write(go, b"g")
        time.sleep(rng.uniform(0, took * 1.2))
        os.kill(pid, signal.SIGKILL)
        finish(pid, go, done)
        now = entries(path)
        assert now in (old, new)
        with FilesBook.open(path, writing=False) as book:
            outcome = verify_ledger(book)
        assert outcome.exit_code == 0, outcome.problems
        committed = Archive(archive_path(path)).committed(now[0])
        if now == new:
            seen["new"] += 1
            assert [c.carried_first for c in committed] == [new[0]]
            assert loupe("close", path, "--undo").exit_code == 0
        else:
            seen["old"] += 1
            assert committed == []
        with sqlite3.connect(archive_path(path)) as db:  # a whole database, never torn
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert seen["old"] and seen["new"], seen
    assert loupe("close", path, "--through", "2026-02-28").exit_code == 0  # pending one gone
    assert len(Archive(archive_path(path)).closes()) == 1
