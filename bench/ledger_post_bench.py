"""Benchmark a posting's workbook I/O on a big book: the files adapter against openpyxl.

    .venv/bin/python bench/ledger_post_bench.py                 # 100,000-row Ledger
    .venv/bin/python bench/ledger_post_bench.py --ledger 20000

Builds a shop book (the tests' `make_book`: every sheet a Table, VBA and ribbon parts)
whose Ledger holds N rows and whose Receiving holds 1,000 rows, then times, in one run:

- post: append 1,000 Ledger rows, write 1,000 Status + 1,000 Ledger Ref cells on
  Receiving, save; through `FilesBook` (atomic save, backup kept) and through openpyxl
  (`load_workbook(keep_vba=True)`, the same edits, `save`);
- read: `read_table(LEDGER)` against openpyxl's fastest read (read-only, values only).

Prints both times and the ratios. Targets: post >= 3x faster than openpyxl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib.util
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from addin.sheets import schema  # noqa: E402
from addin.workbook.files import FilesBook  # noqa: E402

POSTED = 1_000


def book_maker():
    """`make_book` from the tests' conftest (loaded by path: tests are not a package)."""
    spec = importlib.util.spec_from_file_location(
        "files_conftest", ROOT / "tests" / "workbook" / "conftest.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_book


def ledger_row(n: int) -> list:
    posted = dt.datetime(2020, 1, 1, 9) + dt.timedelta(minutes=n)
    return [
        n,
        posted,
        dt.datetime(posted.year, posted.month, posted.day),
        "RECEIPT",
        f"R-{n // 10}",
        f"RG-{n % 500:03d}",
        f"LP-{n:07d}",
        1,
        10.0 + n % 90,
        None,
        "Main Case",
        None,
        None,
        None,
        f"{n * 7919:016x}",
    ]


def receiving_row(n: int) -> list:
    return [
        dt.datetime(2024, 3, 1),
        f"R-{n}",
        "Acme",
        f"RG-{n % 500:03d}",
        1,
        420.0,
        None,
        "Main Case",
        "Owned",
        None,
        None,
        None,
    ]


def build(folder: Path, ledger_rows: int) -> Path:
    rows = {
        "Ledger": [ledger_row(n) for n in range(1, ledger_rows + 1)],
        "Receiving": [receiving_row(n) for n in range(1, POSTED + 1)],
    }
    return book_maker()(folder / "big.xlsm", rows, write_only=True)


def post_with_adapter(path: Path, first_entry: int) -> None:
    new = [ledger_row(n) for n in range(first_entry, first_entry + POSTED)]
    rows = range(2, POSTED + 2)
    with FilesBook.open(path) as book:
        book.append_rows(schema.LEDGER, new)
        book.write_cells(
            schema.RECEIVING,
            {
                "Status": dict.fromkeys(rows, "Posted"),
                "Ledger Ref": {r: str(first_entry + r - 2) for r in rows},
            },
        )
        book.save()


def post_with_openpyxl(path: Path, first_entry: int) -> None:
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ledger, receiving = wb["Ledger"], wb["Receiving"]
    for n in range(first_entry, first_entry + POSTED):
        ledger.append(ledger_row(n))
    ledger.tables["tblLedger"].ref = f"A1:O{ledger.max_row}"
    for r in range(2, POSTED + 2):
        receiving.cell(r, 11, "Posted")
        receiving.cell(r, 12, str(first_entry + r - 2))
    wb.save(path)


def read_with_openpyxl(path: Path) -> int:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = sum(1 for _ in wb["Ledger"].iter_rows(values_only=True))
    wb.close()
    return rows


def read_with_adapter(path: Path) -> int:
    with FilesBook.open(path) as book:
        return len(book.read_table(schema.LEDGER).body) + 1


def timed(fn, *args) -> tuple[float, object]:
    gc.collect()  # no garbage of the last step (openpyxl's is big) slows the next one down
    began = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - began, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledger", type=int, default=100_000, help="Ledger rows in the book")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t_build, source = timed(build, folder, args.ledger)
        size = source.stat().st_size / 1e6
        print(
            f"book: {args.ledger:,} Ledger rows, {POSTED:,} Receiving rows, {size:.1f} MB "
            f"(built in {t_build:.1f} s)"
        )

        t_read, n_mine = timed(read_with_adapter, source)
        t_read_base, n_theirs = timed(read_with_openpyxl, source)
        assert n_mine == n_theirs == args.ledger + 1, (n_mine, n_theirs)

        mine, theirs = folder / "adapter.xlsm", folder / "openpyxl.xlsm"
        shutil.copy(source, mine)
        shutil.copy(source, theirs)
        t_post, _ = timed(post_with_adapter, mine, args.ledger + 1)
        t_base, _ = timed(post_with_openpyxl, theirs, args.ledger + 1)
        check_posted(mine, args.ledger)

    print(f"post  (append {POSTED:,} ledger rows + {2 * POSTED:,} status cells + save)")
    print(f"  files adapter      {t_post:8.2f} s")
    print(f"  openpyxl load+save {t_base:8.2f} s")
    print(f"  ratio              {t_base / t_post:8.1f}x faster (target >= 3x)")
    print(f"read  (Ledger table, {args.ledger:,} rows)")
    print(f"  files adapter      {t_read:8.2f} s")
    print(f"  openpyxl read-only {t_read_base:8.2f} s")
    print(f"  ratio              {t_read_base / t_read:8.1f}x faster")


def check_posted(path: Path, ledger_rows: int) -> None:
    """The adapter's result is what openpyxl would have made of the same edits."""
    wb = openpyxl.load_workbook(path, read_only=False, keep_vba=True)
    ledger = wb["Ledger"]
    assert ledger.tables["tblLedger"].ref == f"A1:O{ledger_rows + POSTED + 1}"
    assert ledger.cell(ledger_rows + POSTED + 1, 1).value == ledger_rows + POSTED
    assert wb["Receiving"].cell(POSTED + 1, 11).value == "Posted"


if __name__ == "__main__":
    main()
