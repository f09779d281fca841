"""The few lines `make demo` prints: what the shop holds, what it earned, what needs care."""

from __future__ import annotations

import datetime as dt

from addin import session
from addin.core import costing
from addin.core.ledger import is_memo_location
from addin.core.money import fmt
from addin.sheets import schema
from addin.workbook.port import Workbook


def shop_summary(book: Workbook, now: dt.datetime) -> str:
    """Pieces on hand, owned value, margin to date, the oldest piece and memos due, at `now`."""
    shop, _ = session.load_shop(book, now)
    as_of = now.date()
    books = shop.books
    layers = books.layers
    on_hand = layers[~layers["location"].map(is_memo_location)]
    pieces = int(on_hand.loc[on_hand["serial"] != "", "qty"].sum())
    units = int(on_hand.loc[on_hand["serial"] == "", "qty"].sum())
    lines = costing.sale_lines(shop.ledger, books)
    revenue, cogs = int(lines["revenue"].sum()), int(lines["cogs"].sum())
    margin = revenue - cogs
    pct = f"{margin / revenue:.1%}" if revenue else "n/a"
    oldest = on_hand.sort_values("received").head(1)
    old = ""
    if len(oldest):
        o = oldest.iloc[0]
        days = (as_of - o["received"].date()).days
        what = f"{o['serial']} ({o['style']})" if o["serial"] else f"{int(o['qty'])} x {o['style']}"
        old = f"{what} at {o['location']}, received {o['received']:%Y-%m-%d}, {days} days ago"
    out_on_memo = layers[layers["location"].map(is_memo_location)]
    memo_value = int(out_on_memo.loc[out_on_memo["owned"], "value"].sum())
    return "\n".join(
        [
            f"Pieces on hand: {pieces} serialized, {units} units of quantity styles",
            f"Owned stock at cost: {fmt(costing.owned_value(books))} "
            f"(out on memo: {len(out_on_memo)} layer(s), {fmt(memo_value)})",
            f"Sales to date: {fmt(revenue)}, cost of goods {fmt(cogs)}, "
            f"margin {fmt(margin)} ({pct})",
            f"Oldest stock: {old or 'none'}",
            f"Memo due: {memos_due(book, shop, as_of)}",
        ]
    )


def memos_due(book: Workbook, shop, as_of: dt.date) -> str:
    """Pieces still out on memo, by party, with the earliest due date and days overdue."""
    moves = session.read_sheet(book, schema.MOVEMENTS).frame
    out = moves[(moves["Kind"] == "Memo Out") & (moves["Status"] == "Posted")]
    away = shop.stock.where
    lines = []
    for party, rows in out.groupby("Party", sort=True):
        still = [s for s in rows["Serial"] if away.get(s, "").endswith(party)]
        if not still:
            continue
        due = rows["Due Date"].min().date()
        late = (as_of - due).days
        when = f"{late} days overdue" if late > 0 else f"due {due:%Y-%m-%d}"
        lines.append(f"{len(still)} with {party} ({when})")
    return "; ".join(lines) or "nothing out on memo"
