"""Post Sales: Sales rows -> SALE entries, and customer returns -> RETURN entries.

A sale of a serialized style names its serial; a serial is sold once. A sale of a
quantity style takes stock at its location (never below zero unless Settings allow it).
A return finds the sale it undoes -- by serial, or for a quantity style the customer's
(or the shop's) most recent sales not yet returned -- and re-enters at the cost that sale
took (the costing engine follows `Reverses`). Returns match sales on the Ledger or
drafted above them in the same press, dated on or before the return: a piece cannot come
back before it was sold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from addin.core.errors import Problem
from addin.core.ledger import EntryKind, closes
from addin.core.money import fmt_unit_cost
from addin.core.posting import (
    Draft,
    Drafted,
    EntryDraft,
    Posting,
    Refused,
    checks,
    entry_name,
    run_drafts,
)
from addin.core.posting.shop import Shop, Stock, style_key
from addin.core.rows.models import SaleRow, Style

SHEET = "Sales"


def post_sales(rows: list[SaleRow | Refused], shop: Shop) -> Posting:
    """Typed Sales rows -> the entries they post and each row's outcome."""
    return run_drafts(SHEET, rows, lambda: _drafter(shop), shop.next_entry, shop.now,
                      ledger=shop.ledger)


def _drafter(shop: Shop) -> Callable[[SaleRow], Draft]:
    stock = shop.stock.copy()

    def draft(r: SaleRow) -> Draft:
        d = Draft(r.row, r.doc)
        d.problem = checks.sensible_date(shop, SHEET, r.row, r.date)
        if d.problem:
            return d
        if (r.kind or "Sale") == "Return":
            d.problem = _return(shop, stock, r, d)
        else:
            d.problem = _sale(shop, stock, r, d)
        return d

    return draft


def _sale(shop: Shop, stock: Stock, r: SaleRow, d: Draft) -> Problem | None:
    if str(r.serial or "").strip():
        serial, problem = checks.scanned_serial(shop, SHEET, r.row, r.serial)
        if serial is None:
            return problem
        key, where, problem = checks.serial_in_stock(
            stock, SHEET, r.row, serial, r.style, on=r.date
        )
        if key is None or where is None:
            return problem
        if r.qty != 1:
            return Problem(
                SHEET,
                r.row,
                "Qty",
                f"Qty {r.qty} for one serialized piece",
                "a serial is one piece: set Qty to 1",
            )
        loc, problem = _same_place(shop, r, where)
        if loc is None:
            return problem
        style = shop.styles[key]
        d.entries.append(
            EntryDraft(
                date=r.date,
                kind=EntryKind.SALE,
                doc=r.doc,
                style=style.style,
                serial=serial,
                qty=-1,
                unit_price=r.unit_price,
                location=loc,
                party=r.customer or "",
            )
        )
        stock.place(serial, None, r.date)
        stock.move(style.style, loc, -1, r.date)
        _open_sale(stock, "#" + serial, r, d, 1)
        return None
    counted, problem = checks.counted_style(shop, SHEET, r.row, r.style, "a sale")
    if counted is None or problem:
        return problem
    style = counted
    loc, problem = checks.known_location(shop, SHEET, r.row, r.location, "Location")
    if loc is None:
        return problem
    problem = checks.enough_stock(shop, stock, SHEET, r.row, style.style, loc, r.qty, r.date,
                                  "post the receipt or transfer first, or fix Qty")
    if problem:
        return problem
    d.entries.append(
        EntryDraft(
            date=r.date,
            kind=EntryKind.SALE,
            doc=r.doc,
            style=style.style,
            qty=-r.qty,
            unit_price=r.unit_price,
            location=loc,
            party=r.customer or "",
        )
    )
    stock.move(style.style, loc, -r.qty, r.date)
    _open_sale(stock, style_key(style.style), r, d, r.qty)
    return None


def _open_sale(stock: Stock, key: str, r: SaleRow, d: Draft, qty: int) -> None:
    """A sale drafted in this press is open to a return typed below it (same press)."""
    price = r.unit_price or 0
    stock.sales.setdefault(key, []).append(
        [Drafted(d.row, len(d.entries) - 1), qty, r.customer or "", price, r.date])


def _return(shop: Shop, stock: Stock, r: SaleRow, d: Draft) -> Problem | None:
    if str(r.serial or "").strip():
        serial, problem = checks.scanned_serial(shop, SHEET, r.row, r.serial)
        if serial is None:
            return problem
        sold = stock.sales.get("#" + serial)
        if not sold:
            return Problem(SHEET, r.row, "Serial", *_why_no_return(shop, stock, serial))
        key = stock.serial_style[serial]
        _, problem = _sold_by_then(r, sold[-1:], 1)
        if problem:
            return problem
        loc, problem = checks.known_location(shop, SHEET, r.row, r.location, "Location")
        if loc is None:
            return problem
        problem = _refund_within(r, sold[-1:])
        if problem:
            return problem
        entry = sold.pop()[0]
        d.entries.append(
            EntryDraft(
                date=r.date,
                kind=EntryKind.RETURN,
                doc=r.doc,
                style=shop.styles[key].style,
                serial=serial,
                qty=1,
                unit_price=r.unit_price,
                location=loc,
                party=r.customer or "",
                reverses=entry,
            )
        )
        stock.place(serial, loc, r.date)
        stock.move(key, loc, 1, r.date)
        return None
    style, problem = checks.known_style(shop, SHEET, r.row, r.style)
    if style is None:
        return problem
    loc, problem = checks.known_location(shop, SHEET, r.row, r.location, "Location")
    if loc is None:
        return problem
    return _return_quantity(stock, r, d, style, loc, _closed_through(shop))


def _closed_through(shop: Shop) -> str:
    """The date of the close the Ledger starts after ("" for a Ledger never closed)."""
    if not closes.starts_after_close(shop.ledger):
        return ""
    return f"{closes.close_days(shop.ledger.iloc[:1]).iloc[0]:%Y-%m-%d}"


BEFORE_CLOSE_FIX = ("a sale made before a period close is in the archive and cannot be "
                    "returned at its cost here: take the piece back in on Receiving at its "
                    "cost (the archive's sale shows it), or undo the close if nothing was "
                    "posted since")


def _why_no_return(shop: Shop, stock: Stock, serial: str) -> tuple[str, str]:
    """(what is wrong, fix) for a serial return that matches no open sale."""
    closed = _closed_through(shop)
    if closed and serial not in stock.serial_style and serial not in stock.where:
        return (f"serial {serial} has no sale on the Ledger since the close through {closed}",
                BEFORE_CLOSE_FIX)
    if serial in stock.where:  # back in stock: returned already, or never sold
        return (f"serial {serial} is in stock, so it has no sale to return (a piece comes "
                "back once per sale)", "check the tag; if the piece was returned already, "
                "delete this row")
    if serial not in stock.serial_style:
        return (f"serial {serial} was never received", "check the tag or retype the serial")
    return (f"serial {serial} has no sale to return (it left stock another way: returned "
            "to its vendor or converted)", "check the tag; only a sold piece can come back")


def _return_quantity(stock: Stock, r: SaleRow, d: Draft, style: Style, loc: str,
                     closed: str = "") -> Problem | None:
    """Match a quantity return to the most recent open sales (the customer's, if named)."""
    open_ = stock.sales.get(style_key(style.style), [])
    who = (r.customer or "").strip().casefold()
    mine = [s for s in open_ if not who or str(s[2]).casefold() == who]
    if sum(s[1] for s in mine) < r.qty:
        whose = f" to {r.customer}" if who else ""
        return Problem(
            SHEET,
            r.row,
            "Qty",
            f"no sale of {r.qty} {style.style}{whose} is open "
            f"to return ({sum(s[1] for s in mine)} sold and not yet returned"
            + (f" since the close through {closed})" if closed else ")"),
            BEFORE_CLOSE_FIX if closed else
            "check Style, Customer and Qty; a return must match an earlier sale",
        )
    mine, problem = _sold_by_then(r, mine, r.qty)
    if problem:
        return problem
    matched, left = [], r.qty
    for sale in reversed(mine):
        if left > 0 and sale[1]:
            matched.append(sale)
            left -= sale[1]
    problem = _refund_within(r, matched)
    if problem:
        return problem
    need = r.qty
    for sale in reversed(mine):
        take = min(need, sale[1])
        if take == 0:
            continue
        d.entries.append(
            EntryDraft(
                date=r.date,
                kind=EntryKind.RETURN,
                doc=r.doc,
                style=style.style,
                qty=take,
                unit_price=r.unit_price,
                location=loc,
                party=r.customer or "",
                reverses=sale[0],
            )
        )
        sale[1] -= take
        need -= take
        if need == 0:
            break
    stock.move(style.style, loc, r.qty, r.date)
    return None


def _sold_by_then(r: SaleRow, sales: Sequence[list[Any]], qty: int
                  ) -> tuple[list[list[Any]], Problem | None]:
    """The open sales a return can undo: those dated on or before the return's date (a
    return cannot come back before its sale). A problem on Date when they hold fewer than
    `qty` units; `sales` holds at least `qty` units in all."""
    by_then = [s for s in sales if s[4] <= r.date]
    have = sum(s[1] for s in by_then)
    if have >= qty:
        return by_then, None
    later = sorted((s for s in sales if s[4] > r.date and s[1]), key=lambda s: s[4])
    for sale in later:  # the first sale dated late enough to cover the return
        have += sale[1]
        if have >= qty:
            break
    day = f"{sale[4]:%Y-%m-%d}"
    return by_then, Problem(
        SHEET,
        r.row,
        "Date",
        f"a return cannot be dated before the sale it returns (sale {entry_name(sale[0])} "
        f"dated {day})",
        f"date it on or after {day}",
    )


def _refund_within(r: SaleRow, sales: Sequence[list[Any]]) -> Problem | None:
    """A refund may not exceed the price of the sale it undoes."""
    price = r.unit_price or 0
    over = [s for s in sales if price > s[3]]
    if not over:
        return None
    return Problem(
        SHEET,
        r.row,
        "Unit Price",
        f"refund of {fmt_unit_cost(price)} each is more than sale {entry_name(over[0][0])} was "
        f"priced at ({fmt_unit_cost(over[0][3])})",
        f"type the price refunded each, at most {fmt_unit_cost(over[0][3])} (what the "
        "customer paid)",
    )


def _same_place(shop: Shop, r: SaleRow, where: str) -> tuple[str | None, Problem | None]:
    """A serialized sale's location: where the piece is; a typed one must agree."""
    if not str(r.location or "").strip():
        return where, None
    loc, problem = checks.known_location(shop, SHEET, r.row, r.location, "Location")
    if loc is None:
        return None, problem
    if loc != where:
        return None, Problem(
            SHEET,
            r.row,
            "Location",
            f"serial is at {where}, not {loc}",
            "fix Location, or post a Transfer first",
        )
    return loc, None
