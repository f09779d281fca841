"""A period close of a big multi-year ledger: what it costs, what it saves, and that it
changes no figure after it.

The ledger is `synthetic_ledger` (receipts, transfers, sales, returns; serialized and
quantity styles, FIFO and moving average). It is closed after three quarters of its days;
the customer returns, after the close, of sales made before it are left out of both
ledgers (a close refuses them: their sale is archived). Then, as of every month end after
the close, the closed ledger (carried entries + the later entries) is costed and compared
with the whole history: stock on hand, open layers (qty, value, receipt date, ownership),
the cost of goods of every later entry, and the ageing buckets. Printed: the rows archived
and carried, the time of the close, the time to cost the whole history and the closed
ledger (the ratio is what every later press saves), and the comparison.

    python bench/close_bench.py [ROWS]     # default 100,000
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from addin.core import closing, costing, ledger  # noqa: E402
from bench.synthetic_ledger import synthetic_ledger  # noqa: E402


def split(rows: int) -> tuple[pd.DataFrame, pd.DataFrame, dict, dt.date]:
    lf, methods = synthetic_ledger(rows, max(50, rows // 200), seed=14)
    first, last = pd.Timestamp(lf["date"].min()), pd.Timestamp(lf["date"].max())
    through = (first + (last - first) * 3 / 4).normalize().date()  # 3 of the 4 years
    head = lf[lf["date"] <= pd.Timestamp(through)]
    k = int(head["entry"].max())
    tail = lf[lf["entry"] > k]
    tail = tail[~((tail["reverses"] > 0) & (tail["reverses"] <= k))]  # returns of archived sales
    return head.reset_index(drop=True), tail.reset_index(drop=True), methods, through


def figures(books: costing.Books) -> tuple:
    keys = ["style", "location", "serial", "received", "owned"]
    return (books.on_hand.sort_values(keys[:3]).reset_index(drop=True),
            books.layers.groupby(keys)[["qty", "value"]].sum())


def main(rows: int) -> None:
    head, tail, methods, through = split(rows)
    began = time.perf_counter()
    close = closing.plan_close(head, methods, through, dt.datetime(2030, 1, 1))
    close_s = time.perf_counter() - began
    assert close.ok, close.problems
    m, k = len(close.carried), int(head["entry"].max())
    shifted = tail.assign(entry=tail["entry"] + m,
                          reverses=tail["reverses"].where(tail["reverses"] <= k,
                                                          tail["reverses"] + m))
    closed = ledger.normalize(pd.concat([close.carried, shifted], ignore_index=True))
    whole = ledger.normalize(pd.concat([head, tail], ignore_index=True))
    print(f"{len(whole):,} rows: {len(head):,} archived through {through}, {m:,} carried, "
          f"{len(tail):,} after; close planned in {close_s:.2f} s")
    ends = pd.date_range(pd.Timestamp(through) + pd.offsets.MonthEnd(1),
                         whole["date"].max() + pd.offsets.MonthEnd(0), freq="ME")
    full_s = closed_s = 0.0
    for day in ends:
        t0 = time.perf_counter()
        a = costing.book(whole[whole["date"] <= day], methods)
        t1 = time.perf_counter()
        b = costing.book(closed[closed["date"] <= day], methods)
        t2 = time.perf_counter()
        full_s, closed_s = full_s + t1 - t0, closed_s + t2 - t1
        for x, y in zip(figures(a), figures(b), strict=True):
            pd.testing.assert_frame_equal(x, y)
        later = a.cost_of_goods[a.cost_of_goods.index > k]
        mine = b.cost_of_goods[b.cost_of_goods.index > k + m]
        assert (later.to_numpy() == mine.to_numpy()).all(), day
        pd.testing.assert_frame_equal(costing.ageing_buckets(a, day),
                                      costing.ageing_buckets(b, day))
    print(f"{len(ends)} month ends after the close: every figure equal "
          f"(stock, layers, cost of goods of later entries, ageing)")
    print(f"costing as of those days: whole history {full_s:.2f} s, closed ledger "
          f"{closed_s:.2f} s, ratio {full_s / max(closed_s, 1e-9):.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
