"""Benchmark the costing engine against a per-row stock-queue replay, in one run.

    .venv/bin/python bench/costing_bench.py            # 1,000,000 rows, 5,000 styles
    .venv/bin/python bench/costing_bench.py --rows 100000

Builds a synthetic ledger (`synthetic_ledger`: serialized and quantity styles, FIFO and
Average, receipts, sales, customer returns, transfers), then times

- the engine: `costing.book` plus what a Refresh Reports needs from it (layer ages,
  ageing buckets, on hand by style and location, sale lines with margin), and
- the baseline: `fifo_replay.replay`, one Python step per ledger row with a deque per
  group, the way an ERP replays its stock queue,

checks that both give the same cost of goods for every out-going entry (and the same
cost for every in-coming one), and prints both times, their ratio and peak memory.
Targets on a 2-core box: engine <= 1 s for 1M rows, >= 5x faster than the replay,
peak memory < 1.5 GB.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402
from fifo_replay import replay  # noqa: E402
from synthetic_ledger import synthetic_ledger  # noqa: E402

from addin.core import costing  # noqa: E402


def recompute(lf, methods):
    """Everything Refresh Reports asks of the costing engine."""
    books = costing.book(lf, methods)
    as_of = lf["date"].max()
    costing.layer_ages(books, as_of)
    costing.ageing_buckets(books, as_of)
    costing.on_hand_by(books)
    costing.sale_lines(lf, books)
    return books


def best_of(runs: int, fn, *args):
    best, result = float("inf"), None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--styles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3, help="engine runs (best is kept)")
    parser.add_argument("--engine-only", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine_only:
        return engine_only(args.engine_only)

    start = time.perf_counter()
    lf, methods = synthetic_ledger(args.rows, args.styles, args.seed)
    average = {s for s, m in methods.items() if m == "Average"}
    print(f"ledger: {len(lf):,} rows, {lf['style'].nunique():,} styles "
          f"({len(average):,} Average), {int((lf['serial'] != '').sum()):,} serialized rows, "
          f"built in {time.perf_counter() - start:.1f} s")
    print("kinds:", ", ".join(f"{k} {n:,}" for k, n in lf["kind"].value_counts().items()))

    engine_s, books = best_of(args.runs, recompute, lf, methods)
    print(f"engine  (book + ages + buckets + on hand + sale lines): {engine_s:8.3f} s "
          f"({books.waves} waves, {len(books.layers):,} open layers, "
          f"{len(books.consumed):,} consumed pieces)")
    gc.collect()
    replay_s, ref = best_of(1, replay, lf, average)
    print(f"replay  (per-row deque per group):                     {replay_s:8.3f} s")
    print(f"ratio   replay / engine:                               {replay_s / engine_s:8.1f} x")

    same = books.cogs.to_dict() == ref.cogs and books.cost_in.to_dict() == ref.cost_in
    print(f"check   cost of goods per entry equal: {'yes' if same else 'NO'} "
          f"({len(ref.cogs):,} out-going entries, total {sum(ref.cogs.values()) / 100:,.2f})")

    del books, ref
    gc.collect()
    alone = _engine_alone(lf, methods)
    tracemalloc.start()
    recompute(lf, methods)
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memory  engine allocations at peak (tracemalloc): {traced / 2**20:,.0f} MiB; "
          f"{alone}; this process (replay included): peak RSS {peak_rss:,.0f} MiB")
    return 0 if same else 1


def _engine_alone(lf, methods) -> str:
    """Peak RSS of a fresh process that loads the ledger from a file and recomputes once
    (so the generator's own peak does not hide the engine's)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.parquet"
        lf.to_parquet(path)
        (Path(tmp) / "methods.json").write_text(json.dumps(methods))
        out = subprocess.run([sys.executable, __file__, "--engine-only", tmp], check=True,
                             capture_output=True, text=True)
    return out.stdout.strip()


def engine_only(folder: str) -> int:
    lf = pd.read_parquet(Path(folder) / "ledger.parquet")
    methods = json.loads((Path(folder) / "methods.json").read_text())
    gc.collect()
    loaded = _status_mib("VmRSS")
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to RSS now
    except OSError:
        pass  # not Linux: the peak then includes reading the file
    recompute(lf, methods)
    print(f"a fresh process holding the ledger ({loaded:,.0f} MiB RSS) peaks at "
          f"{_status_mib('VmHWM'):,.0f} MiB RSS while recomputing")
    return 0


def _status_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


if __name__ == "__main__":
    raise SystemExit(main())
