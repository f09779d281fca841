"""Post Movements: transfers, memo out and back, and returns to vendors or consignors.

Every move between places is a pair of entries in one Doc (see `addin.core.ledger`):
out of the place left, into the place reached, the in-half naming the out-half so the
layers travel with their cost and receipt date. Stock out on memo sits at the virtual
location "Memo: <party>": still owned, no longer on hand. Memo Return sends consigned-in
(memo) stock back to its owner; Vendor Return sends owned stock back to its vendor, at the
cost of the oldest stock, or, when To names the receipt (its Doc) the goods came on, at
that receipt's cost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

import pandas as pd

from addin.core.errors import Problem
from addin.core.ledger import EntryKind, memo_location
from addin.core.posting import Draft, Drafted, EntryDraft, Posting, Refused, checks, run_drafts
from addin.core.posting.shop import Shop, Stock
from addin.core.rows.models import MovementRow, Style, style_key

SHEET = "Movements"
PAIRS = {
    "Transfer": EntryKind.TRANSFER,
    "Memo Out": EntryKind.MEMO_OUT,
    "Memo Back": EntryKind.MEMO_BACK,
}
SINGLE = {"Memo Return": EntryKind.MEMO_RETURN, "Vendor Return": EntryKind.VENDOR_RETURN}


def post_movements(rows: list[MovementRow | Refused], shop: Shop) -> Posting:
    """Typed Movements rows -> the entries they post and each row's outcome."""
    return run_drafts(SHEET, rows, lambda: _drafter(shop), shop.next_entry, shop.now,
                      ledger=shop.ledger)


def _drafter(shop: Shop) -> Callable[[MovementRow], Draft]:
    stock = shop.stock.copy()

    def draft(r: MovementRow) -> Draft:
        d = Draft(r.row, r.doc)
        d.problem = checks.sensible_date(shop, SHEET, r.row, r.date) or _move(shop, stock, r, d)
        return d

    return draft


def _move(shop: Shop, stock: Stock, r: MovementRow, d: Draft) -> Problem | None:
    kind = r.kind
    party = (r.party or "").strip()
    if kind in ("Memo Out", "Memo Back", "Memo Return", "Vendor Return") and not party:
        who = (
            "customer or dealer" if kind.startswith("Memo ") and kind != "Memo Return" else "vendor"
        )
        return Problem(
            SHEET,
            r.row,
            "Party",
            f"{kind} needs the {who} it is with",
            f"type the {who}'s name in Party",
        )
    if kind == "Memo Out" and r.due_date is None:
        return Problem(
            SHEET,
            r.row,
            "Due Date",
            "a memo out needs the date it is due back",
            "type the agreed return date in Due Date",
        )
    what, problem = _what(shop, stock, r, on_memo=(kind == "Memo Back"))
    if what is None:
        return problem
    style, serial, here = what
    origin, problem = _origin(shop, r, kind, party, here)
    if origin is None:
        return problem
    if serial and r.qty != 1:
        return Problem(
            SHEET,
            r.row,
            "Qty",
            f"Qty {r.qty} for one serialized piece",
            "a serial is one piece: set Qty to 1 (one row per piece)",
        )
    if not serial:
        problem = checks.enough_stock(shop, stock, SHEET, r.row, style.style, origin, r.qty,
                                      r.date, "fix Qty or From, or post the receipt first",
                                      place="From")
        if problem:
            return problem
    if not serial and kind == "Memo Return":
        problem = _consigned_enough(stock, r, style.style, origin)
        if problem:
            return problem
    against = 0
    if kind == "Vendor Return" and str(r.to_location or "").strip():
        against, problem = _receipt_named(shop, stock, r, style, serial, origin)
        if problem:
            return problem
    elif kind == "Vendor Return" and not serial and stock.memo_at_front(style.style, origin):
        return Problem(SHEET, r.row, "Kind",
                       f"the {style.style} next in line at {origin} are on memo from a "
                       "consignor, not owned", "send those back with a Memo Return first, or "
                       "name in To the receipt the owned stock came on")
    if serial and kind == "Memo Return" and serial not in stock.consigned:
        return Problem(
            SHEET,
            r.row,
            "Serial",
            f"serial {serial} is owned stock, not on memo from a consignor",
            "use Vendor Return for owned stock",
        )
    if serial and kind == "Vendor Return" and serial in stock.consigned:
        return Problem(
            SHEET,
            r.row,
            "Serial",
            f"serial {serial} is consigned (memo-in) stock",
            "use Memo Return to send memo stock back to its owner",
        )
    qty = 1 if serial else r.qty
    entry = partial(EntryDraft, date=r.date, doc=r.doc, style=style.style, serial=serial,
                    party=party)
    if kind in SINGLE:
        d.entries.append(entry(kind=SINGLE[kind], qty=-qty, location=origin, reverses=against))
        if against:
            stock.receipt_left[against] -= qty
        _leave(stock, style.style, serial, origin, qty, r.date)
        return None
    target, problem = _target(shop, r, kind, party, origin)
    if target is None:
        return problem
    out = Drafted(d.row, len(d.entries))  # the in-half names its out-half
    d.entries.append(entry(kind=PAIRS[kind], qty=-qty, location=origin))
    d.entries.append(entry(kind=PAIRS[kind], qty=qty, location=target, reverses=out))
    stock.carry_memo(style.style, origin, target, qty)
    _leave(stock, style.style, serial, origin, qty, r.date)
    stock.move(style.style, target, qty, r.date)
    if serial:
        stock.place(serial, target, r.date)
    return None


def _consigned_enough(stock: Stock, r: MovementRow, style: str, origin: str) -> Problem | None:
    """A quantity Memo Return sends back the units next in line (FIFO): they must all be
    consigned (memo-in) stock, or owned stock would leave as if it were the consignor's."""
    front = stock.memo_at_front(style, origin)
    if front >= r.qty:
        return None
    if front == 0:
        return Problem(SHEET, r.row, "Kind",
                       f"{style} at {origin} is owned stock, none of it on memo from a consignor",
                       "use Vendor Return for owned stock")
    return Problem(SHEET, r.row, "Qty",
                   f"only {front} of {style} at {origin} are on memo from a consignor (next in "
                   f"line), {r.qty} asked",
                   f"return {front} on this row and send owned stock back with a Vendor Return")


def _receipt_named(shop: Shop, stock: Stock, r: MovementRow, style: Style, serial: str,
                   origin: str) -> tuple[int, Problem | None]:
    """(receipt entry, problem) for a Vendor Return whose To names the receipt Doc it goes
    back against: that receipt must have brought this style in here, on or before the
    return's date, and still hold the units asked."""
    doc = str(r.to_location).strip()

    def refuse(column: str, message: str, fix: str) -> tuple[int, Problem]:
        return 0, Problem(SHEET, r.row, column, message, fix)

    if serial:
        return refuse("To", f"serial {serial} goes back at its own cost, not a receipt's",
                      "clear To (a serialized piece knows its receipt)")
    method = getattr(style, "cost_method", "") or shop.settings.default_cost_method
    if str(method).casefold() == "average":
        return refuse("To", f"{style.style} is costed at average, so it goes back at the "
                      "average cost, not one receipt's", "clear To")
    lf = shop.ledger
    mine = lf[lf["kind"].isin([EntryKind.RECEIPT, EntryKind.OPENING])
              & (lf["doc"].str.strip().str.casefold() == doc.casefold())
              & (lf["location"] == origin)]
    mine = mine[mine["style"].map(style_key) == style_key(style.style)]
    if mine.empty:
        return refuse("To", f"no receipt {doc!r} brought {style.style} into {origin}",
                      "type the Doc of the packing slip the goods came on (Receiving), or "
                      "clear To to send back the oldest stock first")
    came = mine[mine["date"] <= pd.Timestamp(r.date)]
    if came.empty:
        first = mine["date"].min()
        return refuse("Date", f"{r.date:%Y-%m-%d} is before receipt {doc} arrived "
                      f"({first:%Y-%m-%d})", "date the return on or after the delivery")
    left = {int(e): stock.receipt_left.get(int(e), 0) for e in came["entry"]}
    for entry, units in left.items():
        if units >= r.qty:
            return entry, None
    most = max(left.values())
    return refuse("Qty", f"receipt {doc} has {most} of {style.style} left at {origin} (the "
                  f"rest sold, moved or sent back), {r.qty} asked",
                  f"return at most {most} against {doc}, the rest on another row, or clear To")


def _what(shop: Shop, stock: Stock, r: MovementRow, on_memo: bool
          ) -> tuple[tuple[Style, str, str | None] | None, Problem | None]:
    """((style, serial, where the serial is), problem) for the goods a row moves."""
    if str(r.serial or "").strip():
        serial, problem = checks.scanned_serial(shop, SHEET, r.row, r.serial)
        if serial is None:
            return None, problem
        key, where, problem = checks.serial_in_stock(
            stock, SHEET, r.row, serial, r.style, on_memo=on_memo, on=r.date
        )
        if key is None:
            return None, problem
        return (shop.styles[key], serial, where), None
    style, problem = checks.counted_style(shop, SHEET, r.row, r.style, "a movement")
    if style is None or problem:
        return None, problem
    return (style, "", None), None


def _origin(shop: Shop, r: MovementRow, kind: str, party: str, here: str | None
            ) -> tuple[str | None, Problem | None]:
    """Where the goods leave from: the serial's place, the memo party, or From."""
    if kind == "Memo Back":
        return (here or memo_location(party)), None
    loc, problem = checks.known_location(shop, SHEET, r.row, r.from_location, "From")
    if loc is None:
        return None, problem
    if here is not None and str(r.from_location or "").strip() and loc != here:
        return None, Problem(
            SHEET,
            r.row,
            "From",
            f"the piece is at {here}, not {loc}",
            "fix From (or leave it blank: the serial knows where it is)",
        )
    return (here or loc), None


def _target(shop: Shop, r: MovementRow, kind: str, party: str, origin: str
            ) -> tuple[str | None, Problem | None]:
    """Where the goods arrive: To, or the memo party's virtual location."""
    if kind == "Memo Out":
        return memo_location(party), None
    if kind == "Transfer" and not str(r.to_location or "").strip():
        return None, Problem(
            SHEET,
            r.row,
            "To",
            "a transfer needs the location it goes to",
            "pick the receiving location in To",
        )
    loc, problem = checks.known_location(shop, SHEET, r.row, r.to_location, "To")
    if loc is None:
        return None, problem
    if loc == origin:
        return None, Problem(
            SHEET,
            r.row,
            "To",
            f"From and To are both {loc}",
            "a transfer moves stock between two different locations",
        )
    return loc, None


def _leave(stock: Stock, style: str, serial: str, origin: str, qty: int, on: dt.date) -> None:
    stock.move(style, origin, -qty, on)
    if serial:
        stock.place(serial, None, on)
