"""Refresh Reports on a book with a 100,000-row Ledger, end to end on the files adapter.

    python bench/refresh_bench.py [--rows 100000] [--styles 3000]

Builds a realistic book (bench/refresh_book.py), then times one refresh split into its
steps: read (Settings, Styles, the Ledger with its hash chain checked, Items, Movements),
compute (costing, Items rows, every report laid out), and write through the port (Items
and every report sheet's whole layout: values, formulas, formats and charts, then the one
atomic save).
In the same run it times what a plain openpyxl tool would spend just to open and save the
same book (`load_workbook(keep_vba=True)` + `save`, no work at all) and prints the ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from addin.macros import refreshing  # noqa: E402
from addin.workbook.files import FilesBook  # noqa: E402
from bench.refresh_book import make_book  # noqa: E402


def timed_refresh(path: Path) -> dict[str, float]:
    """Seconds spent in each step of one refresh of the book at `path`."""
    times = {}
    with FilesBook.open(path) as book:
        start = time.perf_counter()
        got = refreshing.read(book)
        times["read"] = time.perf_counter() - start
        start = time.perf_counter()
        done = refreshing.compute(got, dt.datetime.now().replace(microsecond=0))
        times["compute"] = time.perf_counter() - start
        start = time.perf_counter()
        refreshing.write(book, done)
        times["write"] = time.perf_counter() - start
    times["ledger rows"] = len(got.ledger)
    times["report rows"] = sum(len(layout.rows) for layout in done.layouts)
    return times


def openpyxl_round_trip(path: Path) -> float:
    start = time.perf_counter()
    wb = openpyxl.load_workbook(path, keep_vba=True)
    wb.save(path)
    return time.perf_counter() - start


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--rows", type=int, default=100_000)
    args.add_argument("--styles", type=int, default=3000)
    opts = args.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "shop.xlsm"
        start = time.perf_counter()
        make_book(book, rows=opts.rows, styles=opts.styles)
        print(f"book with {opts.rows:,} ledger rows built in {time.perf_counter() - start:.1f} s")
        baseline_copy = Path(tmp) / "baseline.xlsm"
        shutil.copyfile(book, baseline_copy)
        t = timed_refresh(book)
        baseline = openpyxl_round_trip(baseline_copy)
    steps = ("read", "compute", "write")
    total = sum(t[s] for s in steps)
    print(
        f"refresh: {int(t['ledger rows']):,} ledger rows -> {int(t['report rows']):,} report rows"
    )
    for step in steps:
        print(f"  {step:14s} {t[step]:7.2f} s")
    print(f"  {'total':14s} {total:7.2f} s")
    print(f"openpyxl load_workbook(keep_vba=True) + save of the same book: {baseline:.2f} s")
    print(f"ratio (openpyxl open+save / Loupe full refresh): {baseline / total:.2f}x")


if __name__ == "__main__":
    main()
