"""Costing cases written as tables, the way beancount's booking tests read like a ledger.

Columns are separated by two or more spaces (so "Memo: Bob" is one cell); "." is blank.
Money is typed in dollars ("1,234.56") and compared in cents, a unit cost or price (cost,
unit_cost, price) in ten-thousandths as the ledger frame holds it ("0.125" is 1250); dates
are ISO.

    GIVEN (ledger)   #  date  kind  style  serial  qty  cost  price  location  rev
    layers           style  location  serial  origin  received  qty  unit_cost  value  owned
    cogs             entry  cogs
"""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from addin.core import costing, ledger
from addin.core.money import to_cents

MONEY = {"value", "cogs", "cost_in"}
UNIT_COSTS = {"cost", "unit_cost", "price"}
WHOLE = {"#", "entry", "qty", "origin", "rev", "arrived"}
DATES = {"date", "received"}
LEDGER_NAMES = {"#": "entry", "cost": "unit_cost", "price": "unit_price", "rev": "reverses"}
LAYER_COLUMNS = ("style", "location", "serial", "origin", "received", "qty", "unit_cost",
                 "value", "owned")


def cells(text: str) -> list[dict[str, object]]:
    """Parse a table into typed rows."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    header = re.split(r"\s{2,}", lines[0])
    out = []
    for line in lines[1:]:
        values = re.split(r"\s{2,}", line)
        assert len(values) == len(header), f"table row does not fit the header: {line!r}"
        out.append({h: _typed(h, v) for h, v in zip(header, values, strict=True)})
    return out


def _typed(column: str, text: str):
    blank = text == "."
    if column in MONEY:
        return 0 if blank else to_cents(text.replace(",", ""))
    if column in UNIT_COSTS:
        return 0 if blank else int(Decimal(text.replace(",", "")).scaleb(4))
    if column in WHOLE:
        return 0 if blank else int(text)
    if column in DATES:
        return pd.NaT if blank else pd.Timestamp(text)
    if column == "owned":
        return {"yes": True, "no": False}[text]
    return "" if blank else text


def ledger_table(text: str) -> pd.DataFrame:
    """A ledger frame from a table of entries."""
    rows = []
    for row in cells(text):
        entry = {LEDGER_NAMES.get(k, k): v for k, v in row.items()}
        entry["posted_at"] = entry["date"]
        rows.append(entry)
    return ledger.frame(rows)


def book(text: str, methods: dict[str, str] | None = None) -> costing.Books:
    return costing.book(ledger_table(text), methods or {})


def layers(books: costing.Books) -> list[tuple]:
    """Open layers as comparable tuples, in queue order."""
    return _tuples(books.layers, LAYER_COLUMNS)


def expected_layers(text: str) -> list[tuple]:
    return [tuple(row[c] for c in LAYER_COLUMNS) for row in cells(text)]


def cogs(books: costing.Books) -> dict[int, int]:
    return {int(k): int(v) for k, v in books.cogs.items()}


def expected_cogs(text: str) -> dict[int, int]:
    return {row["entry"]: row["cogs"] for row in cells(text)}


def _tuples(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[tuple]:
    out = []
    for rec in frame[list(columns)].to_dict("records"):
        out.append(tuple(_plain(rec[c]) for c in columns))
    return out


def _plain(value):
    if isinstance(value, pd.Timestamp) or value is pd.NaT:
        return value
    if hasattr(value, "item"):
        return value.item()
    return value
