"""Post Counts: a physical count posts only its variance, as ADJUST entries.

A shortage consumes like a sale (oldest layer first); a surplus adds a layer at the
style's latest unit cost. Counts never flatten layers: what was counted right is left
exactly as it was. One count (Count Date + Location) posts whole or not at all.
Expected Qty and Variance are written back so the counter sees what the books said.
"""

from __future__ import annotations

from addin.core.errors import Problem
from addin.core.ledger import EntryKind
from addin.core.posting import Draft, Posting, checks, run_drafts
from addin.core.posting.shop import Shop, Stock, style_key

SHEET = "Counts"


def post_counts(rows: list, shop: Shop) -> Posting:
    """Typed Counts rows -> ADJUST entries for the variances and each row's outcome."""
    return run_drafts(SHEET, rows, lambda: _drafter(shop), shop.next_entry, shop.now)


def _drafter(shop: Shop):
    stock = shop.stock.copy()

    def draft(r) -> Draft:
        d = Draft(r.row, r.doc)
        d.problem = checks.sensible_date(shop, SHEET, r.row, r.count_date, "Count Date") or _count(
            shop, stock, r, d
        )
        return d

    return draft


def _count(shop: Shop, stock: Stock, r, d: Draft) -> Problem | None:
    if not str(r.location or "").strip():
        return Problem(
            SHEET, r.row, "Location", "Location is blank", "type the location that was counted"
        )
    loc, problem = checks.known_location(shop, SHEET, r.row, r.location, "Location")
    if problem:
        return problem
    if str(r.serial or "").strip():
        return _count_serial(shop, stock, r, d, loc)
    style, problem = checks.counted_style(shop, SHEET, r.row, r.style, "a count")
    if problem:
        return problem
    expected = stock.on_hand(style.style, loc)
    variance = r.counted_qty - expected
    d.writes.update({"Expected Qty": expected, "Variance": variance})
    base = dict(
        date=r.count_date,
        kind=EntryKind.ADJUST,
        doc=r.doc,
        style=style.style,
        location=loc,
        party="count",
    )
    if variance < 0:
        d.entries.append({**base, "qty": variance})
    elif variance > 0:
        d.entries.append({**base, "qty": variance, "unit_cost": latest_cost(shop, style.style)})
    stock.move(style.style, loc, variance)
    return None


def _count_serial(shop: Shop, stock: Stock, r, d: Draft, loc: str) -> Problem | None:
    serial, problem = checks.scanned_serial(shop, SHEET, r.row, r.serial)
    if problem:
        return problem
    if r.counted_qty not in (0, 1):
        return Problem(
            SHEET,
            r.row,
            "Counted Qty",
            f"{r.counted_qty} of one serial",
            "a serial is one piece: Counted Qty is 1 (found) or 0 (missing)",
        )
    where = stock.where.get(serial)
    if serial not in stock.serial_style:
        return Problem(
            SHEET,
            r.row,
            "Serial",
            f"serial {serial} is not on the books",
            "receive it first (Receiving), then count again",
        )
    if where != loc:
        said = f"at {where}" if where else "not in stock (sold or returned)"
        return Problem(
            SHEET,
            r.row,
            "Serial",
            f"serial {serial} is {said}, not at {loc}",
            "post a Transfer or a Return first, or count it where it belongs",
        )
    expected = 1
    d.writes.update({"Expected Qty": expected, "Variance": r.counted_qty - expected})
    if r.counted_qty == 0:
        key = stock.serial_style[serial]
        d.entries.append(
            dict(
                date=r.count_date,
                kind=EntryKind.ADJUST,
                doc=r.doc,
                style=shop.styles[key].style,
                serial=serial,
                qty=-1,
                location=loc,
                party="count",
            )
        )
        stock.where.pop(serial, None)
        stock.move(key, loc, -1)
    return None


def latest_cost(shop: Shop, style: str) -> int:
    """The unit cost a count surplus enters at: the style's newest cost on the books."""
    lf = shop.ledger
    own = lf[
        (lf["style"].map(style_key) == style_key(style))
        & (lf["unit_cost"] > 0)
        & lf["kind"].isin([EntryKind.RECEIPT, EntryKind.MEMO_IN, EntryKind.ADJUST])
    ]
    return int(own["unit_cost"].iloc[-1]) if len(own) else 0
