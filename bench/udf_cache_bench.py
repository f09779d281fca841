"""Benchmark the worksheet functions' cache: 10,000 calls against a 100,000-row Ledger.

    .venv/bin/python bench/udf_cache_bench.py
    .venv/bin/python bench/udf_cache_bench.py --rows 100000 --calls 10000

In Excel each cell holding a Loupe function is one call. Here the calls go through the
pure layer and the cache the way `addin.udfs.functions` sends them, without Excel: the
freshness token is the ledger frame's last row (in Excel, one small range read), and the
build is `Answers(...)` on the frame (in Excel, plus reading the Ledger table).

The questions are a mix a shop sheet would hold: on hand, FIFO cost of the next units,
a style's and a piece's age, a ticket's margin and a style's layers, for random styles,
serials and tickets. Prints the first call (it costs the ledger), the mean per call
after it (each kind of question builds its own index on first use, so those builds are
in this mean), the same calls once more with every index built, and the baseline
measured in the same run: the same calls answered without the cache (answers built for
each call), and the ratio.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic_ledger import synthetic_ledger  # noqa: E402

from addin.core.rows.models import Style  # noqa: E402
from addin.core.rows.settings import Settings  # noqa: E402
from addin.udfs.answers import Answers, Unanswerable  # noqa: E402
from addin.udfs.cache import AnswerCache  # noqa: E402


def shop(rows: int, styles: int, seed: int):
    """A synthetic ledger with tickets on its sales, its Styles, and the day after it."""
    lf, methods = synthetic_ledger(rows, styles, seed)
    sales = lf["kind"] == "SALE"
    lf.loc[sales, "doc"] = "T-" + lf.loc[sales, "entry"].astype(str)
    serialized = set(lf.loc[lf["serial"] != "", "style"])
    models = {name.upper(): Style(style=name, category="Bench",
                                  tracking="Serialized" if name in serialized else "Quantity",
                                  cost_method=method)
              for name, method in methods.items()}
    return lf, models, (lf["date"].max() + __import__("datetime").timedelta(days=1)).date()


def questions(lf, count: int, seed: int) -> list:
    """`count` calls, each (method name, arguments)."""
    rng = random.Random(seed)
    styles = list(lf["style"].unique())
    serials = list(lf.loc[lf["serial"] != "", "serial"].unique())
    docs = list(lf.loc[lf["doc"] != "", "doc"].unique())
    asks = [lambda: ("on_hand", (rng.choice(styles),)),
            lambda: ("fifo_cost", (rng.choice(styles), rng.randint(1, 3))),
            lambda: ("age", (rng.choice(styles),)),
            lambda: ("age", (rng.choice(serials),)),
            lambda: ("margin", (rng.choice(docs),)),
            lambda: ("layers", (rng.choice(styles),))]
    return [rng.choice(asks)() for _ in range(count)]


def ask(answers: Answers, question) -> object:
    name, args = question
    try:
        return getattr(answers, name)(*args)
    except Unanswerable as e:  # e.g. more units asked than are in stock: a cell shows it
        return f"#LOUPE: {e}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--styles", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--baseline-calls", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    lf, styles, today = shop(args.rows, args.styles, args.seed)
    settings = Settings()
    asked = questions(lf, args.calls, args.seed)
    print(f"ledger: {len(lf):,} rows, {lf['style'].nunique():,} styles, "
          f"{int((lf['serial'] != '').sum()):,} serialized rows; {len(asked):,} calls")

    def build() -> Answers:
        return Answers(lf, styles, settings, today)

    entries, hashes = lf["entry"].to_numpy(), lf["hash"].to_numpy()

    def token():  # in Excel: the Ledger table's last row, one range read
        return len(entries), int(entries[-1]), str(hashes[-1])

    cache: AnswerCache[Answers] = AnswerCache(today=lambda: today)
    gc.collect()
    start = time.perf_counter()
    ask(cache.answers("shop.xlsm", token, build), asked[0])
    first = time.perf_counter() - start
    start = time.perf_counter()
    said = [ask(cache.answers("shop.xlsm", token, build), q) for q in asked[1:]]
    after = (time.perf_counter() - start) / max(len(asked) - 1, 1)

    start = time.perf_counter()
    for q in asked:
        ask(cache.answers("shop.xlsm", token, build), q)
    warm = (time.perf_counter() - start) / len(asked)

    gc.collect()
    start = time.perf_counter()
    for q in asked[1:1 + args.baseline_calls]:
        ask(build(), q)
    uncached = (time.perf_counter() - start) / args.baseline_calls

    problems = sum(isinstance(s, str) and s.startswith("#LOUPE") for s in said)
    print(f"first call (reads the ledger, costs it, answers): {first * 1000:10.1f} ms")
    print(f"per call after the first (cache hit):            {after * 1e6:10.1f} us "
          f"({cache.builds} build(s) for {cache.checks:,} calls; {problems:,} #LOUPE answers)")
    print(f"  (the first call of each kind builds its index; the same calls again: "
          f"{warm * 1e6:.1f} us each)")
    print(f"baseline: per call without the cache:            {uncached * 1000:10.1f} ms "
          f"(mean of {args.baseline_calls})")
    print(f"ratio baseline / cached call:                    {uncached / after:10.0f} x")
    print(f"all {len(asked):,} calls with the cache:              "
          f"{(first + after * (len(asked) - 1)):10.2f} s  "
          f"(without: {uncached * len(asked):,.0f} s estimated)")
    return 0 if cache.builds == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
