"""Post Counts: a physical count posts only its variance, as ADJUST entries.

A count is compared with the stock *as of its Count Date* (every entry of that date in),
not with today's. Rows of one style, location and date add up (two trays of one style
are one count of it): each such row is told the style's expected quantity and the
variance of the whole, and the last of them posts it. A shortage consumes like a sale
(oldest layer first) and may not take a later entry below zero; a surplus adds a layer at
the style's latest unit cost as of the count. Counts never flatten layers: what was
counted right is left exactly as it was. One count (Count Date + Location) posts whole
or not at all. Expected Qty and Variance are written back so the counter sees what the
books said.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import partial

import pandas as pd

from addin.core.costing import in_event_order
from addin.core.costing.cost_routes import OWN_COST_KINDS
from addin.core.errors import Problem
from addin.core.ledger import EntryKind
from addin.core.posting import Draft, EntryDraft, Posting, Refused, checks, run_drafts
from addin.core.posting.shop import Shop, Stock, standing, style_key
from addin.core.rows.models import CountRow

SHEET = "Counts"


Tray = tuple[str, str, dt.date]  # (style key, location, count date)
Tally = dict[Tray, tuple[int, int]]  # tray -> (counted, last row)


def post_counts(rows: list[CountRow | Refused], shop: Shop) -> Posting:
    """Typed Counts rows -> ADJUST entries for the variances and each row's outcome."""
    tally = _tally(rows)
    return run_drafts(SHEET, rows, lambda: _drafter(shop, tally), shop.next_entry, shop.now,
                      ledger=shop.ledger)


def _tray(r: CountRow) -> Tray:
    return (style_key(r.style), " ".join(str(r.location).split()).casefold(), r.count_date)


def _tally(rows: Sequence[CountRow | Refused]) -> Tally:
    """What was counted of each style at each location on each date, over all its rows
    (those posted at an earlier press too), and the last row of each."""
    out: Tally = {}
    for r in rows:
        if not isinstance(r, CountRow) or str(r.serial or "").strip():
            continue
        total, _ = out.get(_tray(r), (0, 0))
        out[_tray(r)] = (total + r.counted_qty, r.row)
    return out


def _drafter(shop: Shop, tally: Tally) -> Callable[[CountRow], Draft]:
    stock = shop.stock.copy()

    def draft(r: CountRow) -> Draft:
        d = Draft(r.row, r.doc)
        d.problem = checks.sensible_date(shop, SHEET, r.row, r.count_date, "Count Date") or _count(
            shop, stock, r, d, tally
        )
        return d

    return draft


def _count(shop: Shop, stock: Stock, r: CountRow, d: Draft, tally: Tally) -> Problem | None:
    if not str(r.location or "").strip():
        return Problem(
            SHEET, r.row, "Location", "Location is blank", "type the location that was counted"
        )
    loc, problem = checks.known_location(shop, SHEET, r.row, r.location, "Location")
    if loc is None:
        return problem
    if str(r.serial or "").strip():
        return _count_serial(shop, stock, r, d, loc)
    style, problem = checks.counted_style(shop, SHEET, r.row, r.style, "a count")
    if style is None or problem:
        return problem
    expected = stock.on_hand(style.style, loc, on=r.count_date)
    counted, last = tally.get(_tray(r), (r.counted_qty, r.row))
    variance = counted - expected
    d.writes.update({"Expected Qty": expected, "Variance": variance})
    if r.row != last:
        return None  # the style's last row at this count posts the variance of them all
    if variance < 0:
        problem = checks.enough_stock(
            shop, stock, SHEET, r.row, style.style, loc, -variance, r.count_date,
            "check the count, or count again on a later date", column="Counted Qty")
        if problem:
            return problem
    entry = partial(EntryDraft, date=r.count_date, kind=EntryKind.ADJUST, doc=r.doc,
                    style=style.style, location=loc, party="count")
    if variance < 0:
        d.entries.append(entry(qty=variance))
    elif variance > 0:
        d.entries.append(entry(qty=variance,
                               unit_cost=latest_cost(shop, style.style, r.count_date)))
    stock.move(style.style, loc, variance, r.count_date)
    return None


def _count_serial(shop: Shop, stock: Stock, r: CountRow, d: Draft, loc: str) -> Problem | None:
    serial, problem = checks.scanned_serial(shop, SHEET, r.row, r.serial)
    if serial is None:
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
            EntryDraft(
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
        stock.place(serial, None, r.count_date)
        stock.move(key, loc, -1, r.count_date)
    return None


def latest_cost(shop: Shop, style: str, on: dt.date | None = None) -> int:
    """The unit cost a count surplus enters at: the style's newest cost on the books as
    of `on` (by date, ties by entry; undone entries left out)."""
    lf = in_event_order(standing(shop.ledger))
    own = lf[
        (lf["style"].map(style_key) == style_key(style))
        & (lf["unit_cost"] > 0)
        & lf["kind"].isin(OWN_COST_KINDS)
        & ((lf["date"] <= pd.Timestamp(on)) if on is not None else True)
    ]
    return int(own["unit_cost"].iloc[-1]) if len(own) else 0
