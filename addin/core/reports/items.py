"""The Items sheet: one row per serialized piece, rebuilt from the Ledger after each post.

What the ledger knows (style, cost, receipt date, vendor, where it is, status, sale date
and price) is written from the ledger; what only the owner knows (description, metal
weight, karat, stone, carat, size, retail price) is kept exactly as typed. Rows for
serials the ledger has never seen (typed ahead of a delivery, or cloned) stay as they are.

`item_table` gives the sheet's facts: one row per piece, a column per Items header, money
in cents, dates as dates, blanks as missing. How they go into cells (dollars, blank cells,
Age and Margin left to their Excel formulas) is `addin.workbook.layout.items_sheet`'s.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from addin.core import costing
from addin.core.ledger import EntryKind, is_memo_location
from addin.core.money import to_cents, value_cents
from addin.core.reports.report_facts import received_from
from addin.core.rows.models import style_key
from addin.sheets.schema import ITEMS, Kind

GONE = {
    EntryKind.SALE: "Sold",
    EntryKind.VENDOR_RETURN: "Returned to Vendor",
    EntryKind.MEMO_RETURN: "Returned to Vendor",
    EntryKind.CONVERT: "Converted",
    EntryKind.ADJUST: "Missing",
    EntryKind.REVERSAL: "Reversed",
}


def pieces(lf: pd.DataFrame, books: costing.Books) -> pd.DataFrame:
    """Per serial: style, cost, received, vendor, location, status, sold date and price."""
    ser = lf[(lf["serial"] != "") & (lf["qty"] != 0)].sort_values("entry")  # no COST_ADJUST
    if ser.empty:
        return pd.DataFrame(
            columns=[
                "serial",
                "style",
                "cost",
                "received",
                "vendor",
                "location",
                "status",
                "sold_date",
                "sold_price",
            ]
        )
    g = ser.groupby("serial", sort=False)
    last = g.tail(1).set_index("serial")
    vendor = received_from(books, lf)
    cost = _cost_by_serial(books)
    out = pd.DataFrame({"serial": last.index, "style": last["style"].to_numpy()})
    out["cost"] = out["serial"].map(cost["cost"]).astype("Int64")
    out["received"] = out["serial"].map(cost["received"])
    out["vendor"] = out["serial"].map(vendor).fillna("")
    out["location"] = last["location"].to_numpy()
    came_in = last["qty"].to_numpy() > 0
    memo = out["location"].map(is_memo_location).to_numpy()
    gone = last["kind"].map(GONE).fillna("Sold").to_numpy()
    out["status"] = (
        pd.Series(gone)
        .where(~came_in, pd.Series(memo).map({True: "Memo Out", False: "In Stock"}))
        .to_numpy()
    )
    sold = (last["kind"] == EntryKind.SALE).to_numpy() & ~came_in
    out["sold_date"] = last["date"].where(sold, pd.NaT).to_numpy()
    # a piece's price in cents: what its one-piece line is worth (0.125 -> 13)
    price = value_cents(1, last["unit_price"].to_numpy(np.int64))
    out["sold_price"] = pd.Series(price).where(sold).astype("Int64")
    return out


def _cost_by_serial(books: costing.Books) -> pd.DataFrame:
    """Cost (exact cents) and receipt date of each piece: its open layer, else what left
    with it."""
    open_ = books.layers[books.layers["serial"] != ""][["serial", "value", "received"]]
    open_ = open_.rename(columns={"value": "cost"})
    gone = books.consumed[books.consumed["serial"] != ""][["serial", "cost", "received"]]
    both = pd.concat([gone, open_], ignore_index=True)  # open layers win (last)
    return both.groupby("serial").tail(1).set_index("serial")


def item_table(
    current: pd.DataFrame, lf: pd.DataFrame, books: costing.Books, styles: dict
) -> pd.DataFrame:
    """The Items table: known pieces in sheet order, new ones after; a column per header
    (money in cents, dates as Timestamps, blanks missing)."""
    facts = {r["serial"]: r for r in pieces(lf, books).to_dict("records")}
    kept: dict[str, dict[str, Any]] = {}
    for rec in current.to_dict("records") if len(current) else []:
        kept.setdefault(rec["Serial"], rec)  # a serial typed twice: keep the first
    order = list(current["Serial"]) if len(current) else []
    order += [s for s in facts if s not in kept]
    rows = [_row(serial, kept.get(serial), facts.get(serial), styles) for serial in order]
    table = pd.DataFrame(rows, columns=list(ITEMS.headers), dtype=object)
    for header in MONEY:
        table[header] = pd.array(table[header], dtype="Int64")
    return table


MONEY = tuple(c.header for c in ITEMS.columns if c.kind == Kind.MONEY)
_HEADERS = ITEMS.headers  # a property that builds its tuple on each call: once per row is slow


def _row(serial: str, mine: Any, fact: Any, styles: dict[str, Any]) -> dict[str, object]:
    values: dict[str, object] = {
        h: (None if mine is None else _blank(mine.get(h))) for h in _HEADERS
    }
    values["Serial"] = serial
    if values["Retail Price"] is not None:  # the owner's figure, to the cent
        values["Retail Price"] = to_cents(values["Retail Price"])
    if fact is None:  # a piece the Ledger does not name (typed ahead, or sold before a
        for h in MONEY:  # period close): its figures as typed, in cents like the rest
            if h != "Retail Price" and values[h] is not None:
                values[h] = to_cents(values[h])
        return values
    style = styles.get(style_key(fact["style"]))
    values["Style"] = fact["style"]
    if values["Description"] is None and style is not None:
        values["Description"] = getattr(style, "description", None) or None
    if (
        values["Retail Price"] is None
        and style is not None
        and getattr(style, "retail_price", None)
    ):
        values["Retail Price"] = style.retail_price
    values["Cost"] = None if pd.isna(fact["cost"]) else int(fact["cost"])
    values["Received"] = _date(fact["received"])
    # the vendor its cost came from (`received_from`), else the style's
    values["Vendor"] = fact["vendor"] or (getattr(style, "vendor", "") if style else "") or None
    values["Location"] = fact["location"]
    values["Status"] = fact["status"]
    values["Sold Date"] = _date(fact["sold_date"])
    values["Sold Price"] = None if pd.isna(fact["sold_price"]) else int(fact["sold_price"])
    values["Age (days)"] = None  # Excel formulas, not facts
    values["Margin"] = None
    return values


def _blank(v: object) -> object:
    if v is None or (not isinstance(v, str) and pd.isna(v)) or v == "":
        return None
    return v


def _date(v: object) -> dt.datetime | None:
    return None if v is None or pd.isna(v) else pd.Timestamp(v).to_pydatetime()
