"""What a press costs on a big book, end to end: whole `loupe` processes, as a user runs them.

    .venv/bin/python bench/press_bench.py                    # 10k and 100k rows
    .venv/bin/python bench/press_bench.py --sizes 10k,100k,300k,1m

Per size, a shop book is built with `refresh_book.make_book` (a Ledger of that many rows)
and 100 Receiving rows are typed in through Loupe's files adapter (as a script or a till
would; Excel saving the book in between is the "cold" case). Then, each a fresh process:

- verify, cold: nothing remembered, the Ledger read and verified in full;
- verify, warm: the book unchanged since Loupe last verified it;
- post 100, after verify: `loupe post receipts` right after a verify (the Ledger is
  remembered, but not yet its Books, nor where the Ledger part's rows end);
- post 100, warm: 100 more rows typed in the same way, posted right after that post: the
  steady state of a shop posting all day (what Loupe remembers then includes the Ledger's
  Books and where the Ledger part's rows end); the fastest of --repeat runs, each from the
  same book and memory;
- post 100, cold: the same post on a copy with nothing remembered (as after Excel saved it);
- refresh, warm: `loupe refresh` after the post;

and in this process, as baselines: openpyxl `load_workbook(keep_vba=True)` + `save` of the
same book (skipped above --openpyxl-max rows: it takes many minutes and gigabytes), and the
physical floor of any press that adds Ledger rows: rewriting the Ledger part alone (inflate
it, deflate it again, copy every other part as it is into a new file). Prints a table with
each press's time, its ratio against both baselines, and the largest memory any press used,
and per size a line for the warm post against both baselines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from addin.sheets import schema  # noqa: E402
from addin.workbook.files import FilesBook  # noqa: E402
from addin.workbook.files.ooxml.xlsx_parts import Package, WorkbookMap  # noqa: E402
from bench.refresh_book import make_book  # noqa: E402

TYPED = 100
LOUPE = [sys.executable, "-m", "addin.cli"]  # the `loupe` command, of this checkout's code
NOW = "2026-11-20T18:00:00"


def size(text: str) -> int:
    t = text.strip().lower().replace("_", "").replace(",", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t.rstrip("km")) * factor)


def type_receipts(path: Path) -> None:
    """100 Receiving rows of the book's quantity styles, added with the files adapter."""
    with FilesBook.open(path) as book:
        styles = book.read_table(schema.STYLES)
        quantity = [r[0] for r in styles.body if r[6] == "Quantity"][:5]
        rows = [
            [dt.datetime(2026, 11, 20), f"PO-B{i // 10}", "Aurum Casting Co",
             quantity[i % len(quantity)], 3, 12.5, None, "Main Case", "Owned",
             None, None, None]
            for i in range(TYPED)
        ]
        book.append_rows(schema.RECEIVING, rows)
        book.save()


def press(args: list[str], book: Path, env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak memory in MB) of one `loupe` process; it must succeed."""
    began = time.perf_counter()
    proc = subprocess.Popen([*LOUPE, *args, str(book)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - began
    output = proc.stdout.read().decode() if proc.stdout else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"loupe {' '.join(args)} failed ({proc.returncode}):\n{output}")
    return took, usage.ru_maxrss / 1024


def openpyxl_load_save(path: Path) -> float:
    import openpyxl

    began = time.perf_counter()
    wb = openpyxl.load_workbook(path, keep_vba=True)
    wb.save(path)
    return time.perf_counter() - began


def ledger_part_rewrite(path: Path, out: Path) -> float:
    """Rewrite the Ledger part alone: inflate, deflate, every other part copied as is."""
    pkg = Package(path)
    try:
        part = WorkbookMap(pkg).sheet("Ledger").part
        began = time.perf_counter()
        pkg.put(part, pkg.read(part))
        with open(out, "wb") as f:
            pkg.write_to(f)
        return time.perf_counter() - began
    finally:
        pkg.close()


def best_of(repeat: int, args: list[str], book: Path, env: dict[str, str], cache: Path
            ) -> tuple[float, float]:
    """The fastest of `repeat` runs of one press, each from the same book and memory (a
    shared machine's load only ever adds time); the largest memory any of them used."""
    book_before, cache_before = book.with_suffix(".before"), cache.with_name("memory-before")
    shutil.copyfile(book, book_before)
    shutil.copytree(cache, cache_before, dirs_exist_ok=True)
    times, peak = [], 0.0
    for _ in range(repeat):
        shutil.copyfile(book_before, book)
        shutil.rmtree(cache, ignore_errors=True)
        shutil.copytree(cache_before, cache)
        took, mem = press(args, book, env)
        times.append(took)
        peak = max(peak, mem)
    book_before.unlink()
    shutil.rmtree(cache_before)
    return min(times), peak


def measure(rows: int, folder: Path, openpyxl_max: int, repeat: int = 3
            ) -> dict[str, float | None]:
    cache = folder / "memory"
    env = {**os.environ, "LOUPE_CACHE_DIR": str(cache), "LOUPE_NOW": NOW,
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    base = folder / f"book-{rows}.xlsm"
    began = time.perf_counter()
    make_book(base, rows)
    press(["refresh"], base, env)  # a shop's book has its Items and reports
    type_receipts(base)
    shutil.rmtree(cache, ignore_errors=True)
    built = time.perf_counter() - began
    with FilesBook.open(base, writing=False) as book:
        entries = len(book.read_table(schema.LEDGER).body)
    got: dict[str, float | None] = {"rows": entries, "built": built,
                                    "mb": base.stat().st_size / 1e6}
    warm, cold = folder / "warm.xlsm", folder / "cold.xlsm"
    shutil.copyfile(base, warm)
    shutil.copyfile(base, cold)
    peak = 0.0
    for name, args, book in [
        ("verify_cold", ["verify"], warm),
        ("verify_warm", ["verify"], warm),
        ("post_warm", ["post", "receipts"], warm),
        ("post_again", ["post", "receipts"], warm),
        ("refresh_warm", ["refresh"], warm),
        ("verify_after", ["verify"], warm),
    ]:
        if name == "post_again":
            type_receipts(book)
            got[name], mem = best_of(repeat, args, book, env, cache)
        else:
            got[name], mem = press(args, book, env)
        peak = max(peak, mem)
    shutil.rmtree(cache, ignore_errors=True)  # as after Excel saved the book: nothing known
    got["post_cold"], mem = press(["post", "receipts"], cold, env)
    got["peak_mb"] = max(peak, mem)
    got["ledger_part"] = min(ledger_part_rewrite(base, folder / "rewritten.xlsm")
                             for _ in range(repeat))
    got["openpyxl"] = openpyxl_load_save(folder / "rewritten.xlsm") if rows <= openpyxl_max \
        else None
    for p in (warm, cold, folder / "rewritten.xlsm"):
        p.unlink(missing_ok=True)
    return got


COLUMNS = [
    ("verify_cold", "verify, nothing known"),
    ("verify_warm", "verify, unchanged"),
    ("post_warm", "post 100, after verify"),
    ("post_again", "post 100, warm"),
    ("post_cold", "post 100, cold"),
    ("refresh_warm", "refresh"),
]


def warm_line(r: dict[str, float | None]) -> str:
    """The warm post against both baselines of the same run."""
    t, base, floor = r["post_again"], r["openpyxl"], r["ledger_part"]
    assert t is not None and floor is not None
    vs = (f"openpyxl load+save of the same book {base:.2f} s ({base / t:.1f}x faster), "
          if base else "openpyxl load+save not run, ")
    return (f"{r['rows']:,} entries: a warm post of {TYPED} Receiving rows takes {t:.2f} s; "
            f"{vs}rewriting the Ledger part alone {floor:.2f} s ({t / floor:.1f}x that)")


def table(results: list[dict[str, float | None]]) -> str:
    lines = [
        "| Ledger rows | book MB | " + " | ".join(label for _, label in COLUMNS)
        + " | openpyxl load+save | Ledger part rewrite | peak RSS |",
        "|---" * (len(COLUMNS) + 5) + "|",
    ]
    for r in results:
        base, floor = r["openpyxl"], r["ledger_part"]
        cells = []
        for key, _ in COLUMNS:
            t = r[key]
            ratio = f"{base / t:.1f}x / " if base else ""
            cells.append(f"{t:.2f} s ({ratio}{t / floor:.1f}x)")
        lines.append(
            f"| {r['rows']:,} | {r['mb']:.0f} | " + " | ".join(cells)
            + f" | {f'{base:.1f} s' if base else 'not run'} | {floor:.2f} s"
            + f" | {r['peak_mb']:.0f} MB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k",
                        help="Ledger sizes, comma-separated (e.g. 10k,100k,300k,1m)")
    parser.add_argument("--openpyxl-max", type=size, default=300_000,
                        help="largest Ledger to load and save with openpyxl (default 300k)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of the warm post and of the Ledger part rewrite, the "
                             "fastest counted (default 3)")
    args = parser.parse_args()
    results = []
    for rows in [size(s) for s in args.sizes.split(",") if s.strip()]:
        with tempfile.TemporaryDirectory() as tmp:
            r = measure(rows, Path(tmp), args.openpyxl_max, max(args.repeat, 1))
        print(f"{r['rows']:,} entries: built in {r['built']:.0f} s; verify after refresh "
              f"{r['verify_after']:.2f} s", flush=True)
        print(warm_line(r), flush=True)
        results.append(r)
        print("each press: seconds (openpyxl load+save / press time, where openpyxl ran; "
              "press time / Ledger part rewrite)")
        print(table(results), flush=True)  # so far: a long run is never lost


if __name__ == "__main__":
    main()
