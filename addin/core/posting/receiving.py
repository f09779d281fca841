"""Post Receipts: Receiving rows -> RECEIPT (owned) or MEMO_IN (consigned) entries.

A serialized style arrives one piece per row (a row of Qty N is split first, with fresh
serials: `loupe split` / Clone Rows); a blank Serial on such a row is filled with the next
fresh serial and written back. A quantity style arrives as one layer per row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from addin.core.errors import Problem
from addin.core.ledger import EntryKind
from addin.core.posting import Draft, EntryDraft, Posting, Refused, checks, run_drafts
from addin.core.posting.shop import Shop, Stock
from addin.core.rows.models import ReceivingRow
from addin.core.rows.serials import next_serial, normalize_serial

SHEET = "Receiving"


def post_receipts(rows: list[ReceivingRow | Refused], shop: Shop) -> Posting:
    """Typed Receiving rows -> the entries they post and each row's outcome; a row posted at
    a Unit Cost of 0 gets a note (a gift or a sample is fine, a forgotten cost is not)."""
    typed = {
        normalize_serial(r.serial) for r in rows
        if isinstance(r, ReceivingRow) and str(r.serial or "").strip()
    }
    posting = run_drafts(SHEET, rows, lambda: _drafter(shop, typed), shop.next_entry, shop.now,
                         ledger=shop.ledger)
    return dataclasses.replace(posting, notes=tuple(_free_pieces(rows, posting)))


def _free_pieces(rows: list[ReceivingRow | Refused], posting: Posting) -> list[str]:
    """A note per row just posted at a Unit Cost of 0."""
    refs = {o.row: o.ledger_ref for o in posting.outcomes if o.status == "Posted"}
    return [
        f"{SHEET} row {r.row}: posted at a Unit Cost of 0 (as a gift or a sample would be); "
        f"if the cost was left out, reverse {refs[r.row]} and post the row again with its cost"
        for r in rows
        if r.row in refs and getattr(r, "unit_cost", None) == 0
    ]


def _drafter(shop: Shop, typed: set[str]) -> Callable[[ReceivingRow], Draft]:
    stock = shop.stock.copy()

    def draft(r: ReceivingRow) -> Draft:
        d = Draft(r.row, r.doc)
        style, d.problem = checks.known_style(shop, SHEET, r.row, r.style)
        if style is None:
            return d
        location, d.problem = checks.known_location(shop, SHEET, r.row, r.location, "Location")
        d.problem = d.problem or checks.sensible_date(shop, SHEET, r.row, r.date)
        if location is None or d.problem:
            return d
        serial = ""
        if checks.is_serialized(style):
            given, d.problem = _serial_for(shop, stock, typed, r, d)
            if given is None:
                return d
            serial = given
        elif str(r.serial or "").strip():
            d.problem = Problem(
                SHEET,
                r.row,
                "Serial",
                f"style {style.style} is tracked by quantity, so a row carries no serial",
                "clear Serial, or switch the style with Convert Style",
            )
            return d
        kind = EntryKind.MEMO_IN if (r.terms or "Owned") == "Memo" else EntryKind.RECEIPT
        d.entries.append(
            EntryDraft(
                date=r.date,
                kind=kind,
                doc=r.doc,
                style=style.style,
                serial=serial,
                qty=r.qty,
                unit_cost=r.unit_cost,
                location=location,
                party=r.vendor or "",
            )
        )
        stock.move(style.style, location, r.qty, r.date)
        if serial:
            stock.seen.add(serial)
            stock.place(serial, location, r.date)
            stock.received[serial] = r.date
            stock.serial_style[serial] = checks.style_key(style.style)
        return d

    return draft


def _serial_for(shop: Shop, stock: Stock, typed: set[str], r: ReceivingRow,
                d: Draft) -> tuple[str | None, Problem | None]:
    """The serial a serialized receipt row posts under: typed and checked, or fresh."""
    if r.qty != 1:
        return None, Problem(
            SHEET,
            r.row,
            "Qty",
            f"{r.qty} pieces of a serialized style on one row",
            f"split the row into {r.qty} rows with fresh serials "
            "(Clone Rows / loupe split) so each piece has its own serial",
        )
    if not str(r.serial or "").strip():
        # never hand out a serial typed on another row of the sheet
        fresh = next_serial(shop.settings, stock.seen | typed, 1)[0]
        d.writes["Serial"] = fresh
        return fresh, None
    serial, problem = checks.scanned_serial(shop, SHEET, r.row, r.serial)
    if serial is None:
        return None, problem
    if serial in stock.seen and not (serial in shop.awaited and serial not in stock.serial_style):
        return None, Problem(
            SHEET,
            r.row,
            "Serial",
            f"serial {serial} is already used (in stock, sold, or on an earlier row)",
            "serials are never reused: clear Serial to get a fresh one",
        )
    return serial, None
