"""A writer killed at any instant of a save leaves the book old or new, whole: never torn.

Each trial forks a writer process that opens the book (taking the lock), waits for the
word, appends one Ledger entry and saves; the test kills it with SIGKILL after a random
delay spread over the time a save takes, then opens the book with Loupe's reader and with
openpyxl. The Ledger must hold exactly the entries before the save or exactly one more,
its table must fit them, and the VBA project must be byte for byte what it was.
"""

from __future__ import annotations

import os
import random
import select
import signal
import time
from pathlib import Path

import openpyxl
import pytest

from addin.sheets import schema
from addin.workbook.files import FilesBook

TRIALS = 100
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")


def entry(n: int) -> list:
    return [
        n,
        None,
        None,
        "RECEIPT",
        f"R-{n}",
        "RG-101",
        None,
        1,
        10.0,
        None,
        "Vault",
        None,
        None,
        None,
        f"h{n}",
    ]


def start_writer(path: Path, n: int) -> tuple[int, int, int]:
    """Fork a writer; returns (pid, fd to say go, fd it answers 'saved' on)."""
    go_read, go_write = os.pipe()
    done_read, done_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the writer
        status = 1
        try:
            os.close(go_write)
            os.close(done_read)
            with FilesBook.open(path) as book:
                os.write(done_write, b"r")
                os.read(go_read, 1)
                book.append_rows(schema.LEDGER, [entry(n)])
                book.save()
            os.write(done_write, b"s")
            status = 0
        finally:
            os._exit(status)
    os.close(go_read)
    os.close(done_write)
    assert os.read(done_read, 1) == b"r", "the writer could not open the book"
    return pid, go_write, done_read


def saved_in_time(done_read: int, timeout: float) -> bool:
    ready, _, _ = select.select([done_read], [], [], timeout)
    return bool(ready) and os.read(done_read, 1) == b"s"


def finish(pid: int, *fds: int) -> None:
    os.waitpid(pid, 0)
    for fd in fds:
        os.close(fd)


def one_save_takes(path: Path, n: int) -> float:
    pid, go, done = start_writer(path, n)
    began = time.perf_counter()
    os.write(go, b"g")
    assert saved_in_time(done, 30)
    took = time.perf_counter() - began
    finish(pid, go, done)
    return took


def ledger_entries(path: Path) -> list[float]:
    with FilesBook.open(path) as book:
        return [row[0] for row in book.read_table(schema.LEDGER).body]


def test_killing_the_writer_anywhere_leaves_the_old_or_the_new_book(book, kit):
    vba = kit.parts_of(book)[kit.VBA_PART]
    timings = [one_save_takes(book, n) for n in (3, 4, 5)]
    window = max(timings) * 1.3
    rng = random.Random(7)
    n, outcomes = 6, {"old": 0, "new": 0}
    for _ in range(TRIALS):
        pid, go, done = start_writer(book, n)
        os.write(go, b"g")
        time.sleep(rng.uniform(0, window))
        os.kill(pid, signal.SIGKILL)
        finish(pid, go, done)

        entries = ledger_entries(book)  # also clears the killed run's temporary file
        assert entries in ([float(i) for i in range(1, n)], [float(i) for i in range(1, n + 1)])
        wb = openpyxl.load_workbook(book, keep_vba=True)
        assert wb["Ledger"].tables["tblLedger"].ref == f"A1:O{len(entries) + 1}"
        assert wb.vba_archive.read(kit.VBA_PART) == vba
        if len(entries) == n:
            outcomes["new"] += 1
            n += 1
        else:
            outcomes["old"] += 1
    assert outcomes["old"] and outcomes["new"], outcomes  # kills landed before and after
    assert not [p for p in book.parent.iterdir() if ".loupe-tmp-" in p.name]
