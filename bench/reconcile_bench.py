"""Benchmark count by scan: a 10,000-piece store against a 10,000-code scan list.

    .venv/bin/python bench/reconcile_bench.py
    .venv/bin/python bench/reconcile_bench.py --pieces 10000 --scans 10000

The store: `--pieces` serialized pieces received into three locations, some sold, some
moved, some out on memo, plus quantity styles. The scan list of the Main Case holds most
of its pieces (some scanned twice), pieces booked elsewhere, sold ones, unknown codes,
misscans (one character changed) and style barcodes of quantity styles, shuffled.

Timed (best of three): what a Reconcile Count press computes from the Ledger frame: the
costing pass, each piece's place and status (`items.pieces`), reading the scan list
text and the reconciliation itself. Baseline, measured in the same run: the same count
done the way a row-by-row tool does it: each scan checked, looked up and classified on
its own, then each booked piece looked for in the list of scans. Both must agree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from addin.core import costing, ledger  # noqa: E402
from addin.core.reports import items  # noqa: E402
from addin.core.reports.reconciling import reconcile  # noqa: E402
from addin.core.rows.scan_list import read_scan_list  # noqa: E402
from addin.core.rows.serials import ALPHABET, check_serial, compile_pattern, normalize_serial  # noqa: E402
from addin.core.rows.settings import Settings  # noqa: E402

HERE = "Main Case"
PLACES = (HERE, "Vault", "Window")
T0 = dt.datetime(2026, 1, 5, 9)


def store(pieces: int, seed: int):
    """(ledger frame, cost methods, serials) of a store with `pieces` serialized pieces."""
    rng = random.Random(seed)
    pattern = compile_pattern("{prefix}-{seq:06d}{check}", "LP")
    serials = [pattern.format(n) for n in range(1, pieces + 1)]
    rows, e = [], 0

    def add(**kw):
        nonlocal e
        e += 1
        rows.append(dict(entry=e, posted_at=T0, date=T0.date(), **kw))

    for s in serials:
        add(kind="RECEIPT", doc="PS", style=f"RG-{rng.randrange(300)}", serial=s, qty=1,
            unit_cost=rng.randrange(5000, 90000), location=rng.choices(PLACES, (8, 1, 1))[0])
    for q in range(20):
        add(kind="RECEIPT", doc="PS", style=f"CH-{q}", serial="", qty=50, unit_cost=2000,
            location=HERE)
    lf = ledger.frame(rows)
    for s in rng.sample(serials, pieces // 20):  # sold
        r = lf.loc[lf["serial"] == s].iloc[0]
        add(kind="SALE", doc="T", style=r["style"], serial=s, qty=-1, unit_price=990_0000,
            location=r["location"], party="Walk-in")
    lf = ledger.frame(rows)
    methods = {s: "FIFO" for s in lf["style"].unique()}
    return lf, methods, serials


def scan_list(lf, serials, count: int, seed: int) -> str:
    rng = random.Random(seed)
    last = lf.groupby("serial").tail(1)
    here = list(last.loc[(last["location"] == HERE) & (last["serial"] != ""), "serial"])
    codes = rng.sample(here, min(len(here), int(count * 0.72)))
    codes += rng.sample(codes, count // 50)  # scanned twice
    codes += rng.sample(serials, count // 20)  # anywhere: elsewhere, sold
    codes += [f"XX-{n}" for n in range(count // 200)]  # unknown
    for s in rng.sample(serials, count // 200):  # misscans: one character changed
        i = rng.randrange(3, len(s))
        codes.append(s[:i] + rng.choice([c for c in ALPHABET if c != s[i]]) + s[i + 1 :])
    while len(codes) < count:
        codes.append(f"CH-{rng.randrange(20)}")
    rng.shuffle(codes)
    return "\n".join(codes[:count]) + "\n"


def fast(lf, methods, text: str):
    books = costing.book(lf, methods)
    return count_only(items.pieces(lf, books), books.on_hand, text)


def count_only(pieces, oh, text: str):
    qty = oh[oh["serial"] == ""][["style", "location", "qty"]]
    scans, _ = read_scan_list(text)
    styles = {s: s for s in qty["style"].unique()}
    return reconcile(scans, HERE, dt.date(2026, 3, 1), pieces=pieces, quantity_on_hand=qty,
                     quantity_styles=styles, pattern=Settings())


def naive(lf, methods, text: str) -> dict[str, int]:
    """Row by row: every scan checked and looked up alone, every piece searched for."""
    books = costing.book(lf, methods)
    pieces = items.pieces(lf, books)
    settings = Settings()
    qty_styles = set(books.on_hand.loc[books.on_hand["serial"] == "", "style"])
    seen: list[str] = []
    tally: dict[str, int] = {}

    def bump(k):
        tally[k] = tally.get(k, 0) + 1

    for raw in text.splitlines():
        code = normalize_serial(raw)
        if not code:
            continue
        if code in qty_styles:
            continue
        row = pieces[pieces["serial"] == code]
        if row.empty:
            bump("Misscan" if check_serial(code, settings) and "fails" in check_serial(
                code, settings) else "Unknown code")
            continue
        if code in seen:
            bump("Duplicate scan")
            continue
        seen.append(code)
        loc, status = row["location"].iloc[0], row["status"].iloc[0]
        if status == "In Stock" and loc == HERE:
            bump("Counted")
        elif status == "In Stock" and not loc.startswith("Memo: "):
            bump("Booked elsewhere")
        else:
            bump("Sold / memo / gone")
    for s, loc, status in zip(pieces["serial"], pieces["location"], pieces["status"],
                              strict=True):
        if loc == HERE and status == "In Stock" and s not in seen:
            bump("Missing")
    return tally


def best(fn, *args, runs: int = 3):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - t)
    return min(times), result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pieces", type=int, default=10_000)
    ap.add_argument("--scans", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args()
    lf, methods, serials = store(a.pieces, a.seed)
    text = scan_list(lf, serials, a.scans, a.seed)
    took, rec = best(fast, lf, methods, text)
    books = costing.book(lf, methods)
    alone, _ = best(count_only, items.pieces(lf, books), books.on_hand, text)
    slow, tally = best(naive, lf, methods, text, runs=1)
    mine = {k: v for k, v in rec.tally().items() if not k.startswith("Quantity")}
    assert mine == tally, f"the two counts disagree: {mine} vs {tally}"
    print(f"store: {a.pieces:,} pieces, {len(lf):,} ledger entries; scan list: {a.scans:,} codes")
    print(rec.summary)
    print(f"reconcile (costing + pieces + scan list + reconciliation): {took:.3f} s "
          f"(target <= 1 s); scan list + reconciliation alone: {alone:.3f} s")
    print(f"naive row-by-row baseline: {slow:.3f} s")
    print(f"ratio: {slow / took:.1f}x faster")
    if took > 1.0:
        raise SystemExit("over the 1 s target")


if __name__ == "__main__":
    main()
