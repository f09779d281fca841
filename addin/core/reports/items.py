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
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from addin.core import costing
from addin.core.ledger import EntryKind, is_memo_location
from addin.core.money import half_up_cents, to_cents, value_cents
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
    (money in cents, dates as Timestamps, blanks missing).

    Built a column at a time (a book holds tens of thousands of pieces): each row's cells
    are the owner's as typed (a serial typed twice: the first row's, on both), the
    Ledger's facts over them for a piece the Ledger names."""
    facts = pieces(lf, books)
    fact_at: dict[Any, int] = {s: i for i, s in enumerate(facts["serial"])}
    typed = list(current["Serial"]) if len(current) else []
    first_at: dict[Any, int] = {}
    for i, serial in enumerate(typed):
        first_at.setdefault(serial, i)  # a serial typed twice: keep the first
    order = typed + [s for s in fact_at if s not in first_at]
    mine = [first_at.get(s) for s in order]
    columns = {h: _typed_column(current, h, mine) for h in _HEADERS}
    columns["Serial"] = order
    columns["Retail Price"] = _cents(columns["Retail Price"])  # the owner's, to the cent
    at = [fact_at.get(s) for s in order]
    known = [i for i, f in enumerate(at) if f is not None]
    in_facts = [f for f in at if f is not None]
    for h in MONEY:  # a piece the Ledger does not name (typed ahead, or sold before a
        if h != "Retail Price":  # period close): its figures as typed, in cents like the rest
            columns[h] = _cents(columns[h], skip=set(known))
    if known:
        _put_facts(columns, known, in_facts, facts, styles)
    table = pd.DataFrame(columns, columns=list(ITEMS.headers), dtype=object)
    for header in MONEY:
        table[header] = pd.array(table[header], dtype="Int64")
    return table


MONEY = tuple(c.header for c in ITEMS.columns if c.kind == Kind.MONEY)
_HEADERS = ITEMS.headers  # a property that builds its tuple on each call: once per row is slow


def _typed_column(current: pd.DataFrame, header: str, mine: list[int | None]) -> list:
    """The owner's cells of one column, per row of the table (None: nothing typed)."""
    if not len(current) or header not in current:
        return [None] * len(mine)
    cells = current[header].to_numpy(object)
    values = [None if gone or v == "" else v  # `_blank`, the missing found all at once
              for v, gone in zip(cells, pd.isna(cells), strict=True)]
    return [None if i is None else values[i] for i in mine]


def _cents(values: list, skip: set[int] | frozenset[int] = frozenset()) -> list:
    """Typed amounts -> whole cents (`to_cents`, all at once), None kept; rows in `skip`
    are left as they are."""
    at = [i for i, v in enumerate(values) if v is not None and i not in skip]
    plain = [i for i in at if not isinstance(values[i], Decimal)]
    out = list(values)
    if plain:
        cents = half_up_cents(np.array([float(values[i]) for i in plain]))
        for i, c in zip(plain, cents, strict=True):
            out[i] = int(c)
    for i in at:
        if isinstance(values[i], Decimal):
            out[i] = to_cents(values[i])
    return out


def _put_facts(columns: dict[str, list], rows: list[int], at: list[int], facts: pd.DataFrame,
               styles: dict[str, Any]) -> None:
    """What the Ledger knows of the pieces at `rows` (their rows `at` of `facts`), over
    what was typed; the style fills Description, Retail Price and Vendor left blank."""
    def fact(name: str) -> list:
        values = facts[name].to_numpy(object)
        return [values[j] for j in at]

    style_of = fact("style")
    found = [styles.get(style_key(s)) for s in style_of]
    vendor = fact("vendor")
    filled = {
        "Style": style_of,
        "Cost": [None if pd.isna(v) else int(v) for v in fact("cost")],
        "Received": [_date(v) for v in fact("received")],
        "Location": fact("location"),
        "Status": fact("status"),
        "Sold Date": [_date(v) for v in fact("sold_date")],
        "Sold Price": [None if pd.isna(v) else int(v) for v in fact("sold_price")],
        # the vendor its cost came from (`received_from`), else the style's
        "Vendor": [v or (getattr(st, "vendor", "") if st else "") or None
                   for v, st in zip(vendor, found, strict=True)],
    }
    description, retail = columns["Description"], columns["Retail Price"]
    for k, (i, style) in enumerate(zip(rows, found, strict=True)):
        for h, values in filled.items():
            columns[h][i] = values[k]
        columns["Age (days)"][i] = columns["Margin"][i] = None  # Excel formulas, not facts
        if style is None:
            continue
        if description[i] is None:
            description[i] = getattr(style, "description", None) or None
        if retail[i] is None and getattr(style, "retail_price", None):
            retail[i] = style.retail_price


def _blank(v: object) -> object:
    if v is None or (not isinstance(v, str) and pd.isna(v)) or v == "":
        return None
    return v


def _date(v: object) -> dt.datetime | None:
    return None if v is None or pd.isna(v) else pd.Timestamp(v).to_pydatetime()
