"""How fast the typed reader reads the Ledger, against a per-row reader measured in the same run.

The baseline reads each row cell by cell in Python, the way a first attempt would (and the
house style forbids over the whole ledger): int() / to_cents() / str() per cell. Both
produce the same ledger frame; the script checks that, then prints the times and the
ratio. It also reads a Receiving sheet of 10k and 100k rows with `typed_table`, to show
the cost grows with the rows and not faster.

    .venv/bin/python bench/tables_bench.py [rows]
"""

from __future__ import annotations

import datetime as dt
import sys
import time

import pandas as pd

from addin.core import ledger
from addin.core.money import to_cents, unit_cost_units
from addin.sheets import schema
from addin.workbook.port import RawTable
from addin.workbook.reader.tables import ledger_frame, typed_table

KINDS = ("RECEIPT", "SALE", "TRANSFER", "RETURN")


def ledger_rows(n: int) -> list[list]:
    """n Ledger rows as an adapter hands them over: floats, datetimes, None for blanks."""
    start = dt.datetime(2025, 1, 1, 9)
    rows = []
    for i in range(n):
        sale = i % 2 == 1
        rows.append([
            float(i + 1), start + dt.timedelta(minutes=i), start + dt.timedelta(days=i % 400),
            KINDS[i % 4], f"D{i // 3}", f"RG-{i % 150}", None if i % 4 else f"LP-{i:06d}",
            -1.0 if sale else 3.0, None if sale else 12.34 + i % 77, 45.99 if sale else None,
            "Main Case", None if i % 3 else "Aurum", 12.34 if sale else None, None,
            f"{i:016x}",
        ])
    return rows


def per_row(raw: RawTable) -> pd.DataFrame:
    """The baseline: every cell converted by Python, one row at a time."""
    out = []
    for r in raw.body:
        rec = {}
        for name, v in zip(ledger.COLUMNS, r, strict=True):
            if name in ("unit_cost", "unit_price"):  # ten-thousandths
                rec[name] = 0 if v is None else unit_cost_units(v)[0]
            elif name == "cogs":
                rec[name] = 0 if v is None else to_cents(v)
            elif name in ("entry", "qty", "reverses"):
                rec[name] = 0 if v is None else int(v)
            elif name in ("date", "posted_at"):
                rec[name] = v.replace(hour=0, minute=0) if name == "date" else v
            else:
                rec[name] = "" if v is None else str(v)
        out.append(rec)
    return ledger.normalize(pd.DataFrame(out, columns=list(ledger.COLUMNS)))


def timed(f, *args):
    t = time.perf_counter()
    result = f(*args)
    return result, time.perf_counter() - t


def receiving(n: int) -> RawTable:
    body = [[dt.datetime(2026, 3, 1), f"PO-{i // 5}", "Aurum", f"CH-{i % 90}", float(1 + i % 9),
             12.5 + i % 13, None, "Main Case", "Owned", None, None, None] for i in range(n)]
    return RawTable("Receiving", list(schema.RECEIVING.headers), body, 2)


def main(n: int = 100_000) -> None:
    raw = RawTable("Ledger", list(schema.LEDGER.headers), ledger_rows(n), 2)
    fast, t_fast = timed(ledger_frame, raw)
    slow, t_slow = timed(per_row, raw)
    pd.testing.assert_frame_equal(fast, slow)
    print(f"Ledger of {n:,} rows: ledger_frame {t_fast:.3f}s, per-row reader {t_slow:.3f}s, "
          f"ratio {t_slow / t_fast:.1f}x faster")
    _, t_small = timed(typed_table, receiving(n // 10), schema.RECEIVING)
    _, t_big = timed(typed_table, receiving(n), schema.RECEIVING)
    print(f"typed_table Receiving: {n // 10:,} rows {t_small:.3f}s, {n:,} rows {t_big:.3f}s "
          f"(10x the rows took {t_big / t_small:.1f}x the time)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
