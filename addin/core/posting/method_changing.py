"""Change Method: a style's cost method changes from a date on, as one METHOD entry.

Entries dated before the change keep their cost exactly; from the change on (in the order
of events: Date, then Entry, so after every entry already posted on that date) the style
is costed by the new method, per location: FIFO -> Average pools the open layers into one
average at their exact value; Average -> FIFO turns the pool into FIFO stock at its exact
value, each unit keeping its receipt date (`addin.core.costing.method_changes`). Posted
entries after the date that cost differently get COST_ADJUST entries (posting does that
for every press). `loupe reverse` undoes the change the same way. The Styles row's Cost
Method is written to the new method, so the sheet and the Ledger agree.
"""

from __future__ import annotations

import datetime as dt

from addin.core.costing.method_changes import method_party
from addin.core.errors import Problem
from addin.core.ledger import EntryKind
from addin.core.posting import Draft, EntryDraft, Posting, settle
from addin.core.posting.checks import sensible_date
from addin.core.posting.shop import Shop, style_key
from addin.core.posting.styles import costed_by, typed_method
from addin.core.rows.models import Style
from addin.sheets.schema import COST_METHODS

SHEET = "Styles"
COLUMN = "Cost Method"
# How the edge that asked names the new method and the date: the `loupe method` command's
# options, or the Change Method button (which asks for both in turn).
ASKED_BY_BUTTON = ("Change Method, the method asked", "Change Method, the date asked")


def method_now(shop: Shop, style: Style) -> str:
    """The method a style is costed by now: as its posted history says (`costed_by`),
    else its Styles cell (blank: Settings' Default Cost Method)."""
    return costed_by(shop).get(style_key(style.style)) or typed_method(shop, style)


def change_method(shop: Shop, style_text: str, to: str, day: dt.date | None = None,
                  row: int | None = None, asked: tuple[str, str] = ASKED_BY_BUTTON
                  ) -> Posting:
    """The METHOD entry that costs `style_text` by `to` ('FIFO' or 'Average') from `day`.
    `asked`: what the edge calls the method and the date it was given (a problem with
    either names that, not a Styles column)."""
    to_asked, date_asked = asked
    style = shop.style(style_text)
    day = day or shop.today
    d = Draft(row or 0, f"METHOD {style_text}")
    if style is None:
        d.problem = Problem(SHEET, row, "Style", f"unknown style {style_text!r}",
                            "type a style code from the Styles sheet")
        return settle(SHEET, [d], shop.next_entry, shop.now)
    d.doc = f"METHOD {style.style}"
    new = {m.casefold(): m for m in COST_METHODS}.get(str(to).strip().casefold())
    old = method_now(shop, style)
    if new is None:
        d.problem = Problem(to_asked, None, None, f"cannot change the cost method to {to!r}",
                            "change it to FIFO or Average")
    elif new == old:
        d.problem = Problem(to_asked, None, None, f"{style.style} is already costed by {old}",
                            "nothing to change")
    else:
        d.problem = (_sensible(shop, day, date_asked)
                     or _after_last_change(shop, style, day, date_asked)
                     or _below_zero(shop, style, day, row))
    if d.problem is None:
        d.entries = [EntryDraft(date=day, kind=EntryKind.METHOD, doc=d.doc, style=style.style,
                                qty=0, party=method_party(old, str(new)))]
        d.writes[COLUMN] = new
    return settle(SHEET, [d], shop.next_entry, shop.now)


def _sensible(shop: Shop, day: dt.date, date_asked: str) -> Problem | None:
    """`sensible_date`, said of the date asked rather than of a cell."""
    p = sensible_date(shop, date_asked, 0, day)
    return None if p is None else Problem(date_asked, None, None, p.message, p.fix)


def _after_last_change(shop: Shop, style: Style, day: dt.date, date_asked: str
                       ) -> Problem | None:
    """A change dated before the style's last change would rewrite what that one changed."""
    lf = shop.ledger
    mine = lf[(lf["kind"] == EntryKind.METHOD) & (lf["style"].map(style_key)
                                                   == style_key(style.style))]
    undone = lf.loc[(lf["kind"] == EntryKind.REVERSAL) & lf["reverses"].isin(mine["entry"]),
                    "reverses"]
    standing = mine[~mine["entry"].isin(undone)]
    if standing.empty:
        return None
    last = standing.sort_values(["date", "entry"]).iloc[-1]
    if day >= last["date"].date():
        return None
    return Problem(date_asked, None, None,
                   f"{style.style} changed cost method on {last['date']:%Y-%m-%d} "
                   f"(entry {int(last['entry'])}); a change dated {day:%Y-%m-%d} would come "
                   "before it",
                   f"date the change on or after {last['date']:%Y-%m-%d}, or reverse entry "
                   f"{int(last['entry'])} first")


def _below_zero(shop: Shop, style: Style, day: dt.date | None = None,
                row: int | None = None) -> Problem | None:
    """A change cannot carry units sold and not yet covered: refused while the style is
    below zero now, or was at the end of the change's date at any location."""
    oh = shop.books.on_hand
    mine = oh[(oh["style"].map(style_key) == style_key(style.style)) & (oh["serial"] == "")]
    short = mine[mine["qty"] < 0]
    if len(short):
        where = ", ".join(f"{int(q)} at {loc}" for loc, q in zip(short["location"],
                                                                 short["qty"], strict=True))
        return Problem(SHEET, row, COLUMN, f"{style.style} is below zero now ({where})",
                       "receive (or count) the missing stock first, then change its method")
    if day is None:
        return None
    key = style_key(style.style)
    for (k, location) in list(shop.stock.dates.days):
        if k != key:
            continue
        have = shop.stock.on_hand(style.style, location, on=day)
        if have < 0:
            return Problem(SHEET, row, COLUMN,
                           f"{style.style} was below zero at {location} on {day:%Y-%m-%d} "
                           f"({have} on hand): a cost method cannot change while units sold "
                           "are not yet covered by stock",
                           "date the change on a day its stock was zero or more (before it "
                           "went below, or once the stock that covered it had arrived)")
    return None
