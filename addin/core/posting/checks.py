"""Checks every posting sheet makes the same way: style, location, date, serial.

Each returns None when the value is fine, or a `Problem` naming the sheet, row, column
and the fix. Posting modules call these instead of spelling the messages again.
"""

from __future__ import annotations

import datetime as dt

from addin.core.errors import Problem
from addin.core.ledger import is_memo_location
from addin.core.posting.shop import Shop, Stock, style_key
from addin.core.rows.models import Style
from addin.core.rows.serials import normalize_serial, serial_issue


def known_style(shop: Shop, sheet: str, row: int, text: str, column: str = "Style"
                ) -> tuple[Style | None, Problem | None]:
    """(style, problem): the Style for `text`, or why it cannot be used."""
    if not str(text).strip():
        return None, Problem(
            sheet,
            row,
            column,
            "Style is blank",
            "type the style code (it must be on the Styles sheet)",
        )
    style = shop.style(text)
    if style is None:
        return None, Problem(
            sheet,
            row,
            column,
            f"unknown style {text!r}",
            "add it on the Styles sheet first, or correct the code",
        )
    if not getattr(style, "active", True):
        return None, Problem(
            sheet,
            row,
            column,
            f"style {style.style} is inactive",
            "set Active to Yes on the Styles sheet, or pick another style",
        )
    return style, None


def counted_style(shop: Shop, sheet: str, row: int, text: str, what: str
                  ) -> tuple[Style | None, Problem | None]:
    """(style, problem) for a row that names a style without a serial: the style must be
    known, active, and tracked by quantity (a serialized piece is named by its serial)."""
    style, problem = known_style(shop, sheet, row, text)
    if style is not None and is_serialized(style):
        problem = Problem(
            sheet,
            row,
            "Serial",
            f"style {style.style} is serialized, so {what} must name the piece",
            "scan or type the Serial of each piece (one row per piece)",
        )
    return style, problem


def is_serialized(style: Style | None) -> bool:
    return str(getattr(style, "tracking", "")) == "Serialized"


def known_location(shop: Shop, sheet: str, row: int, text: str, column: str
                   ) -> tuple[str | None, Problem | None]:
    """(location, problem); a blank location means the shop's first (default) location."""
    locations = list(shop.settings.locations)
    if not str(text).strip():
        return locations[0], None
    for loc in locations:
        if loc.casefold() == str(text).strip().casefold():
            return loc, None
    return None, Problem(
        sheet,
        row,
        column,
        f"unknown location {text!r}",
        f"use one of {', '.join(locations)} (Settings: Locations)",
    )


def sensible_date(shop: Shop, sheet: str, row: int, day: dt.date | None, column: str = "Date"
                  ) -> Problem | None:
    """A problem when the date is missing, in the future, in closed books (Settings:
    Books Closed Through) or before the shop opened."""
    if day is None:
        return Problem(sheet, row, column, "date is blank", "type the date as a date")
    if day > shop.today:
        return Problem(
            sheet,
            row,
            column,
            f"{day:%Y-%m-%d} is in the future",
            "type the date the goods actually moved",
        )
    closed = shop.settings.closed_through
    if closed and day <= closed:
        return Problem(
            sheet,
            row,
            column,
            f"{day:%Y-%m-%d} is in closed books (Books Closed Through {closed:%Y-%m-%d})",
            "date the row in the open period, or have the owner move Books Closed Through "
            "(Settings)",
        )
    opened = shop.settings.shop_opened
    if opened and day < opened:
        return Problem(
            sheet,
            row,
            column,
            f"{day:%Y-%m-%d} is before the shop opened ({opened:%Y-%m-%d})",
            "check the year; Settings: Shop Opened holds the first valid date",
        )
    return None


def scanned_serial(shop: Shop, sheet: str, row: int, text: str
                   ) -> tuple[str | None, Problem | None]:
    """(serial, problem) for a serial typed or scanned on a row: normalized and checked.

    A serial the Ledger already holds was checked when it came in, so it is taken as it
    is: a legacy tag kept at opening, or one made under an earlier Serial Pattern.
    """
    serial = normalize_serial(text)
    if serial in shop.stock.serial_style:
        return serial, None
    issue = serial_issue(serial, shop.settings)
    if issue:
        return None, Problem(sheet, row, "Serial", issue[0], issue[1])
    return serial, None


def serial_in_stock(
    stock: Stock,
    sheet: str,
    row: int,
    serial: str,
    style_text: str = "",
    on_memo: bool = False,
    on: dt.date | None = None,
) -> tuple[str | None, str | None, Problem | None]:
    """(style key, location, problem) for a serial that must be in stock to move.

    `on_memo`: the piece must be out on memo (a Memo Back); otherwise it must be on hand.
    `on`: the row's date, which cannot come before the piece was received.
    """
    problem = _why_not_here(stock, serial, style_text, on_memo, on)
    if problem is not None:
        column, message, fix = problem
        return None, None, Problem(sheet, row, column, message, fix)
    return stock.serial_style[serial], stock.where[serial], None


def _why_not_here(stock: Stock, serial: str, style_text: str, on_memo: bool,
                  on: dt.date | None) -> tuple[str, str, str] | None:
    """(column, what is wrong, fix) when the serial cannot leave from where it is."""
    where = stock.where.get(serial)
    if where is None and serial in stock.serial_style:
        return _gone(stock, serial)
    if where is None:
        return ("Serial", f"serial {serial} was never received",
                "check the tag, or post its receipt first")
    key = stock.serial_style[serial]
    if style_text and style_key(style_text) != key:
        return ("Style", f"serial {serial} is style {key}, not {style_text}",
                "clear Style or correct it; the serial decides the style")
    if is_memo_location(where) and not on_memo:
        return ("Serial", f"serial {serial} is out on memo ({where})",
                "post a Memo Back on Movements first")
    if on_memo and not is_memo_location(where):
        return ("Serial", f"serial {serial} is not out on memo (it is at {where})",
                "check the tag; only a piece out on memo can come back from memo")
    came = stock.received.get(serial)
    if on is not None and came is not None and on < came:
        return ("Date", f"{on:%Y-%m-%d} is before serial {serial} was received "
                f"({came:%Y-%m-%d})", "check the Date: a piece cannot leave before it arrived")
    return None if on is None else _there_then(stock, serial, where, on)


GONE_WORDS = {"SALE": "sold", "VENDOR_RETURN": "returned to its vendor",
              "MEMO_RETURN": "returned to its consignor", "CONVERT": "converted to quantity",
              "ADJUST": "counted missing", "OPENING": "taken out"}


def _gone(stock: Stock, serial: str) -> tuple[str, str, str]:
    """(column, what is wrong, fix) for a piece that is no longer in stock: which entry
    took it, and when, or that a row above in this press did."""
    gone = stock.gone_by(serial)
    if gone is None:
        return ("Serial", f"serial {serial} is not in stock: a row above already takes it "
                "out", "check the tag; a piece leaves stock once")
    entry, on, kind, doc, party = gone
    how = GONE_WORDS.get(kind, f"taken out by a {kind}")
    whom = f" to {party}" if party and kind == "SALE" else ""
    of_doc = f", {doc}" if doc else ""
    fix = ("check the tag; post the customer's Return first if the piece came back"
           if kind == "SALE" else "check the tag; a piece leaves stock once")
    return ("Serial", f"serial {serial} is not in stock: it was {how}{whom} on "
            f"{on:%Y-%m-%d} (E{entry}{of_doc})", fix)


def _there_then(stock: Stock, serial: str, where: str, on: dt.date
                ) -> tuple[str, str, str] | None:
    """(column, what is wrong, fix) when the piece, at `where` now, was not there on `on`
    (sold and back later, or moved there later), or a later entry of it needs it there.
    A piece whose serial came later than `on` (Convert Style gave it one after the date,
    its receipt date before) is judged by its receipt date alone."""
    since = stock.piece_since(serial)
    if since is None or since > on:
        return None
    got = stock.piece_spare(serial, where, on)
    if got.have < 1:
        return ("Date", f"serial {serial} was not in stock at {where} on {on:%Y-%m-%d} (it got "
                "there, or back, after that date)", "check the Date and the tag")
    if got.spare < 1:
        later = f"E{got.blocker}" if got.blocker else "a row above"
        when = f" on {got.blocker_date:%Y-%m-%d}" if got.blocker_date else ""
        return ("Date", f"serial {serial} leaves {where} again in {later}{when}, so it "
                f"cannot leave on {on:%Y-%m-%d} too", f"date this row after {later}, or "
                f"reverse {later} first")
    return None


def _elsewhere(shop: Shop, stock: Stock, style: str, location: str, on: dt.date) -> str:
    """' (on that day: 5 at Vault, 2 at Window)' where other places had the style, or ''."""
    there = [(place, stock.on_hand(style, place, on)) for place in shop.settings.locations
             if place != location]
    held = [f"{n} at {place}" for place, n in there if n > 0]
    return f" (on that day: {', '.join(held)})" if held else ""


def enough_stock(shop: Shop, stock: Stock, sheet: str, row: int, style: str, location: str,
                 qty: int, on: dt.date, fix: str, column: str = "Qty", place: str = "Location"
                 ) -> Problem | None:
    """A problem when `qty` units cannot leave `location` on `on`: fewer were there that
    day (then where they were is said, with a fix naming the `place` column), or taking
    them would leave a later posted entry short (unless Settings allow negative stock)."""
    if shop.settings.allow_negative_stock:
        return None
    got = stock.spare(style, location, on)
    if got.have < qty:
        elsewhere = _elsewhere(shop, stock, style, location, on)
        return Problem(sheet, row, column, f"{style} had {got.have} on hand at {location} on "
                       f"{on:%Y-%m-%d}, {qty} asked{elsewhere}",
                       f"fix {place} or Qty, or move the stock to {location} first"
                       if elsewhere else fix)
    if got.spare < qty:
        later = f"E{got.blocker}" if got.blocker else "a row above"
        when = f" on {got.blocker_date:%Y-%m-%d}" if got.blocker_date else ""
        return Problem(sheet, row, column,
                       f"{style} had {got.have} on hand at {location} on {on:%Y-%m-%d}, but only "
                       f"{max(got.spare, 0)} can go: {later}{when} needs the rest",
                       "date the row when the stock was there, post the receipt first, "
                       "or fix Qty")
    return None
