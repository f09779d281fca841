"""The chain's embedded database: every store's whole history in one SQLite file.

`ChainStore` loads each store's entries (archive + Ledger, the carried entries of a close
left out) into one ``entries`` table, the archive's schema plus a ``store`` column, and
answers the chain's questions in SQL: margin by store and month (from the Ledger's own
Cost of Goods column, which always ties to the costing engine: a re-costed sale's
COST_ADJUST entries are added to it, entries undone by a reversal are left out), and the
shipments between stores with whether each has arrived.

A shipment between two stores of the chain is a Memo Out from the sending store whose
Party is the receiving store's name (the stock stays the sender's, owned and off its
shelves, while it travels) and a Receiving row at the receiving store whose Doc is the
shipment's Doc. A shipment whose Doc the receiving store has not posted is *in transit*.

The same SQL runs on a database server holding the archive schema with a store column.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pandas as pd

from addin.core.ledger import closes
from addin.workbook.archive import ENTRY_COLUMNS, SCHEMA, entry_rows

MARGIN_SQL = """
WITH undone AS (  -- a sale or return undone in its own month: left out, with its reversal
    SELECT r.store, r.entry AS reversal, r.reverses AS entry
    FROM entries r JOIN entries s ON s.store = r.store AND s.entry = r.reverses
    WHERE r.kind = 'REVERSAL' AND s.kind IN ('SALE', 'RETURN') AND r.date <= :until
      AND substr(r.date, 1, 7) = substr(s.date, 1, 7)
), adjusted AS (
    SELECT store, reverses AS entry, SUM(cogs_cents) AS cogs
    FROM entries WHERE kind = 'COST_ADJUST' GROUP BY store, reverses
), lines AS (  -- a reversal in a later month is a line of its own, negative
    SELECT e.store, substr(e.date, 1, 7) AS month, -e.qty AS qty,
           CAST(ROUND(100 * CASE WHEN e.kind = 'RETURN' AND e.unit_price_cents = 0
                                 THEN s.unit_price_cents
                                 WHEN e.kind = 'REVERSAL' AND s.kind = 'RETURN'
                                      AND s.unit_price_cents = 0
                                 THEN ss.unit_price_cents
                                 ELSE e.unit_price_cents END) AS INTEGER) AS price,
           e.cogs_cents + COALESCE(a.cogs, 0) AS cogs
    FROM entries e
    LEFT JOIN entries s ON s.store = e.store AND s.entry = e.reverses
    LEFT JOIN entries ss ON ss.store = s.store AND ss.entry = s.reverses
    LEFT JOIN adjusted a ON a.store = e.store AND a.entry = e.entry
    WHERE (e.kind IN ('SALE', 'RETURN')
           OR (e.kind = 'REVERSAL' AND s.kind IN ('SALE', 'RETURN')))
      AND e.date <= :until
      AND NOT EXISTS (SELECT 1 FROM undone u WHERE u.store = e.store
                      AND (u.entry = e.entry OR u.reversal = e.entry))
), valued AS (  -- Qty x Unit Price (ten-thousandths), half up to the cent once per line
    SELECT store, month, qty, cogs,
           CASE WHEN qty >= 0 THEN (qty * price + 50) / 100
                ELSE -((-qty * price + 50) / 100) END AS revenue
    FROM lines
)
SELECT store, month, SUM(qty) AS units, SUM(revenue) AS revenue_cents,
       SUM(cogs) AS cogs_cents, SUM(revenue) - SUM(cogs) AS margin_cents
FROM valued GROUP BY store, month ORDER BY store, month
"""

SHIPMENTS_SQL = """
SELECT o.store AS from_store, substr(o.location, 7) AS to_store, o.doc, o.date AS sent,
       o.style, o.serial, o.qty,
       (SELECT MIN(r.date) FROM entries r
         WHERE r.store = substr(o.location, 7) AND r.doc = o.doc AND r.date <= :until
           AND r.kind IN ('RECEIPT', 'MEMO_IN')) AS received
FROM entries o
WHERE o.kind = 'MEMO_OUT' AND o.qty > 0 AND o.date <= :until
  AND substr(o.location, 7) IN (SELECT store FROM stores)
ORDER BY o.store, o.date, o.entry
"""


class ChainStore:
    """One SQLite database (in memory unless a path is given) with every store's history."""

    def __init__(self, path: Path | None = None):
        if path is not None and path.exists():
            path.unlink()  # a chain database is rebuilt from the books every time
        self.con = sqlite3.connect(":memory:" if path is None else path)
        script = SCHEMA.replace("CREATE TABLE IF NOT EXISTS entries (\n    entry",
                                "CREATE TABLE IF NOT EXISTS entries (\n    store TEXT NOT "
                                "NULL,\n    entry").replace(
            "    entry            INTEGER PRIMARY KEY,", "    entry            INTEGER NOT NULL,")
        script = script.replace("REFERENCES closes (close_no)", "")
        self.con.executescript(script)
        self.con.execute("CREATE TABLE stores (store TEXT PRIMARY KEY, book TEXT NOT NULL)")

    def add_store(self, name: str, book: str, history: pd.DataFrame) -> None:
        """A store's whole history (archive + Ledger, carried entries left out)."""
        own = history[~closes.carried(history)] if len(history) else history
        rows = [(name, *row) for row in entry_rows(own, 0)]
        marks = ", ".join("?" * (len(ENTRY_COLUMNS) + 2))
        self.con.execute("INSERT INTO stores VALUES (?, ?)", (name, book))
        self.con.executemany(f"INSERT INTO entries VALUES ({marks})", rows)
        self.con.commit()

    def margin_by_month(self, as_of: dt.date) -> pd.DataFrame:
        """Units, revenue, cost of goods and margin per store and month, through as_of."""
        return pd.read_sql_query(MARGIN_SQL, self.con, params={"until": _until(as_of)})

    def margin_by_store(self, as_of: dt.date) -> pd.DataFrame:
        by_month = self.margin_by_month(as_of)
        cols = ["units", "revenue_cents", "cogs_cents", "margin_cents"]
        return by_month.groupby("store", as_index=False)[cols].sum()

    def shipments(self, as_of: dt.date) -> pd.DataFrame:
        """Every shipment between stores sent through as_of, with when it was received."""
        return pd.read_sql_query(SHIPMENTS_SQL, self.con, params={"until": _until(as_of)})

    def close(self) -> None:
        self.con.close()


def _until(as_of: dt.date) -> str:
    """ISO text after every entry of the day (a bare day and a day with a time)."""
    return f"{as_of:%Y-%m-%d}T99"
