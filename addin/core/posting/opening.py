"""Opening stock: what a shop already has on its first day, as OPENING ledger entries.

A shop brings in its stock from its own list (`addin.core.rows.stock_file`): tagged pieces
keep the tag numbers they carry (legacy serials: kept as they are, never handed out again,
scanned and sold like any other), untagged pieces of a serialized style get fresh serials
of the shop's pattern, and quantity styles come in as layers. Every entry is dated with
the original receipt date and costed at the original cost, so ages, margins and FIFO
order count from when the stock really arrived. OPENING is its own ledger kind, so reports
tell "brought in at opening" from a delivery; like any receipt, an entry is undone by a
REVERSAL while its layer is untouched.

Styles the book does not know yet come from the shop's style list (or, failing that, from
the stock list's own columns): tracking as written, or Serialized for a style whose rows
carry tags and Quantity otherwise.

`plan_opening` never writes: it returns what would be posted and every problem by file
row. A press writes nothing while any problem is left (the import is one unit).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from addin.core.errors import Problem
from addin.core.ledger import EntryKind
from addin.core.posting import Draft, EntryDraft, Posting, checks, run_drafts
from addin.core.posting.shop import Shop, Stock, standing
from addin.core.rows.models import Style, style_key
from addin.core.rows.serials import next_serial
from addin.core.rows.stock_file import StockLine, StockList, StyleLine

DEFAULT_CATEGORY = "Uncategorized"
LONGEST_TAG = 40
TRACKING_WORDS = {"serialized": "Serialized", "serial": "Serialized", "tagged": "Serialized",
                  "quantity": "Quantity", "qty": "Quantity", "count": "Quantity"}


@dataclass(frozen=True)
class Piece:
    """A serialized piece an import brings in, with what the owner knows about it."""

    row: int
    serial: str
    legacy: bool  # True: the tag it already carries; False: a fresh serial
    line: StockLine


@dataclass
class Opening:
    """What an opening import would post (or did): entries, new styles, pieces, problems."""

    doc: str
    posting: Posting
    new_styles: list[Style] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def opening_doc(source_name: str) -> str:
    """The Doc every entry of one import carries: OPENING and the file's name."""
    return f"OPENING {source_name}"[:60]


def plan_opening(stock: StockList, styles: StockList | None, shop: Shop, source: str,
                 doc: str) -> Opening:
    """What importing `stock` (and the style list `styles`) into the shop would post."""
    problems = list(stock.problems) + (list(styles.problems) if styles else [])
    new_styles, style_problems = _new_styles(stock.lines, styles.lines if styles else [], shop,
                                             source)
    problems += style_problems
    merged = dataclasses.replace(shop, styles={**shop.styles, **{s.key: s for s in new_styles}})
    pieces: list[Piece] = []
    unread = {p.row for p in stock.problems}  # a row with a cell unread already says why
    lines = [ln for ln in stock.lines if ln.row not in unread]
    posting = run_drafts(source, lines, lambda: _drafter(merged, stock.lines, doc, pieces),
                         shop.next_entry, shop.now)
    problems += list(posting.problems)
    problems += _already_imported(shop, source, doc)
    problems = [p if p.sheet else dataclasses.replace(p, sheet=source) for p in problems]
    problems.sort(key=lambda p: (p.row or 0))
    return Opening(doc, posting, new_styles, pieces, problems)


def _already_imported(shop: Shop, source: str, doc: str) -> list[Problem]:
    lf = shop.ledger
    done = lf[(lf["kind"] == EntryKind.OPENING.value) & (lf["doc"] == doc)]
    if done.empty:
        return []
    first, last = int(done["entry"].min()), int(done["entry"].max())
    return [Problem(source, None, None, f"this file was imported already (Ledger entries "
                    f"E{first}-E{last}, Doc {doc!r})",
                    "to import it again, reverse those entries first (loupe reverse), or "
                    "rename the file if it holds other stock")]


def _opened_before(shop: Shop, doc: str) -> dict[tuple[str, str], str]:
    """(style key, location) -> the standing OPENING entries another import posted there,
    as 'E3-E5 (Doc 'OPENING stock.csv')'."""
    lf = standing(shop.ledger)
    done = lf[(lf["kind"] == EntryKind.OPENING.value) & (lf["doc"] != doc)]
    found: dict[tuple[str, str], str] = {}
    for (style, location), group in done.groupby(["style", "location"], sort=False):
        first, last = int(group["entry"].min()), int(group["entry"].max())
        span = f"E{first}" if first == last else f"E{first}-E{last}"
        docs = ", ".join(repr(d) for d in dict.fromkeys(group["doc"]))
        found[(style_key(style), str(location))] = f"{span} (Doc {docs})"
    return found


def _opened_twice(ln: StockLine, style: Style, location: str, before: str) -> Problem:
    return _problem(ln, "Style", f"{style.style} at {location} already has opening stock "
                    f"from another import: {before}",
                    "opening stock of a style and place comes in once: post more with a "
                    "Receiving row, or reverse those entries first (loupe reverse) if this "
                    "file replaces them")


def _tracking(text: str) -> str:
    return TRACKING_WORDS.get(text.strip().lower(), text.strip())


def _new_styles(lines: list[StockLine], listed: list[StyleLine], shop: Shop, source: str
                ) -> tuple[list[Style], list[Problem]]:
    """Styles the book lacks, from the style list first, else from the stock rows."""
    tagged = {style_key(ln.style) for ln in lines if ln.tag}
    first_line: dict[str, StockLine] = {}
    for ln in lines:
        first_line.setdefault(style_key(ln.style), ln)
    wanted: dict[str, StyleLine] = {}
    for s in listed:
        wanted.setdefault(style_key(s.style), s)
    for key, ln in first_line.items():
        wanted.setdefault(key, ln)
    made, problems = [], []
    for key, src in wanted.items():
        if key in shop.styles:
            continue
        tracking = _tracking(src.tracking) or ("Serialized" if key in tagged else "Quantity")
        values = dict(style=src.style, description=src.description,
                      category=src.category or DEFAULT_CATEGORY, metal=src.metal,
                      vendor=src.vendor, vendor_style=src.vendor_style, tracking=tracking,
                      cost_method=src.cost_method or None, retail_price=src.retail,
                      reorder_point=src.reorder)
        try:
            made.append(Style.model_validate(values))
        except Exception as e:  # pydantic says which value; we say which row
            problems.append(Problem(source, src.row, "Tracking" if "tracking" in str(e) else None,
                                    f"style {src.style} cannot be added: {_first_error(e)}",
                                    "write Tracking as Serialized or Quantity, Cost Method "
                                    "as FIFO or Average"))
    return made, problems


def _first_error(e: Exception) -> str:
    errors = getattr(e, "errors", None)
    return str(errors()[0]["msg"]) if errors else str(e)


def _drafter(shop: Shop, lines: list[StockLine], doc: str, pieces: list[Piece]
             ) -> Callable[[StockLine], Draft]:
    stock = shop.stock.copy()
    pieces.clear()  # a redraft starts over
    file_tags = {ln.tag for ln in lines if ln.tag}
    seen_in_file: dict[str, int] = {}
    opened = _opened_before(shop, doc)

    def draft(ln: StockLine) -> Draft:
        d = Draft(ln.row, ln.doc)
        style, d.problem = checks.known_style(shop, "", ln.row, ln.style)
        location, problem = checks.known_location(shop, "", ln.row, ln.location, "Location")
        d.problem = d.problem or problem or _needs(ln) or checks.sensible_date(
            shop, "", ln.row, ln.received, "Received")
        if style is None or location is None or d.problem is not None:
            return d
        before = opened.get((style_key(ln.style), location))
        if before and not (ln.tag and checks.is_serialized(style)):  # a tag is its own proof
            d.problem = _opened_twice(ln, style, location, before)
        elif checks.is_serialized(style):
            serials, d.problem = _serials(shop, stock, file_tags, seen_in_file, ln)
        elif ln.tag:
            d.problem = _problem(ln, "Tag", f"style {style.style} is tracked by quantity, so "
                                 f"tag {ln.typed_tag} cannot be kept",
                                 "clear the tag, or list the style as Serialized")
        elif ln.qty is None:
            d.problem = _problem(ln, "Qty", f"the quantity of style {style.style} is blank",
                                 "fill in how many are on hand at this cost and date")
        if d.problem is not None:
            return d
        assert ln.received is not None and ln.unit_cost is not None  # `_needs` checked them
        entry = partial(EntryDraft, date=ln.received, kind=EntryKind.OPENING, doc=doc,
                        style=style.style, unit_cost=ln.unit_cost, location=location,
                        party=ln.vendor)
        if checks.is_serialized(style):
            for serial in serials:
                d.entries.append(entry(serial=serial, qty=1))
                _took(stock, style.style, location, serial, ln.received)
                pieces.append(Piece(ln.row, serial, serial == ln.tag, ln))
        else:
            qty = int(ln.qty or 0)
            d.entries.append(entry(serial="", qty=qty))
            stock.move(style.style, location, qty)
        return d

    return draft


def _problem(ln: StockLine, column: str, message: str, fix: str) -> Problem:
    return Problem("", ln.row, column, message, fix)


def _needs(ln: StockLine) -> Problem | None:
    if ln.unit_cost is None:
        return _problem(ln, "Cost", "the cost is blank",
                        "fill in what the piece cost (0 for a gift or a find)")
    if ln.received is None:
        return _problem(ln, "Received", "the receipt date is blank",
                        "fill in the date the stock first arrived: ages and FIFO count from it")
    return None


def _serials(shop: Shop, stock: Stock, file_tags: set[str], seen_in_file: dict[str, int],
             ln: StockLine) -> tuple[list[str], Problem | None]:
    """The serials a serialized row brings in: its own tag, or fresh ones."""
    if not ln.tag:
        count = ln.qty or 1
        return next_serial(shop.settings, stock.seen | file_tags, count), None
    if ln.qty not in (None, 1):
        return [], _problem(ln, "Qty", f"tag {ln.typed_tag} is one piece, but Qty says {ln.qty}",
                            "list each tagged piece on its own row (Qty 1)")
    if len(ln.tag) > LONGEST_TAG or not ln.tag.isprintable():
        return [], _problem(ln, "Tag", f"{ln.typed_tag!r} is not a tag number",
                            f"a tag is at most {LONGEST_TAG} letters, digits and marks")
    if ln.tag in seen_in_file:
        return [], _problem(ln, "Tag", f"tag {ln.tag} is also on file row "
                            f"{seen_in_file[ln.tag]}", "each piece has its own tag: fix one")
    seen_in_file[ln.tag] = ln.row
    if ln.tag in stock.seen:
        return [], _problem(ln, "Tag", f"tag {ln.tag} is already in the book",
                            "serials are never reused: check the tag, or leave it out of "
                            "the file if the piece is already in")
    return [ln.tag], None


def _took(stock: Stock, style: str, location: str, serial: str, received: dt.date) -> None:
    stock.move(style, location, 1)
    stock.seen.add(serial)
    stock.place(serial, location)
    stock.received[serial] = received
    stock.serial_style[serial] = style_key(style)
