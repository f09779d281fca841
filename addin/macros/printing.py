"""Print Tags: the pieces asked for, as a tag PDF or ZPL file beside the book.

Which pieces (`TagChoice`): the rows selected on Items or Receiving, receipts by Doc or
by receipt date, everything in stock of some styles, or, when nothing is named, what
the last Post Receipts posted. The layout is the option's, else Settings' Tag Layout;
the cost prints in the shop's letter code when Settings has a Cost Code (unless left
out). Nothing in the book changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from addin import session
from addin.core.errors import BookError, Problem
from addin.core.reports.tagging import received_lines, rows_lines, style_lines, tags_for
from addin.core.rows.models import style_key
from addin.core.rows.tag_layouts import layout_named
from addin.session import Outcome
from addin.sheets import schema
from addin.tags.pdf import tags_pdf
from addin.tags.zpl import DPI, tags_zpl
from addin.workbook.files.safe_save import write_whole
from addin.workbook.port import Workbook

FORMATS = ("pdf", "zpl")


@dataclass(frozen=True)
class TagChoice:
    """Which pieces get tags; all blank means what the last Post Receipts posted."""

    docs: tuple[str, ...] = ()
    on: dt.date | None = None
    styles: tuple[str, ...] = ()
    sheet: str = ""  # "Items" or "Receiving", with `rows`
    rows: tuple[int, ...] = ()

    @property
    def last(self) -> bool:
        return not (self.docs or self.on or self.styles or self.rows)

    def said(self) -> str:
        if self.rows:
            return f"{self.sheet} rows {_span(self.rows)}"
        parts = [f"Doc {', '.join(self.docs)}"] if self.docs else []
        parts += [f"received {self.on:%Y-%m-%d}"] if self.on else []
        parts += [f"style {', '.join(self.styles)}"] if self.styles else []
        return " and ".join(parts) or "the last Post Receipts"


def make_tags(
    book: Workbook,
    choice: TagChoice,
    output: Path,
    now: dt.datetime,
    *,
    layout: str = "",
    fmt: str = "pdf",
    cost: bool = True,
    dpi: int = DPI,
) -> Outcome:
    """Write the tags of `choice` to `output` (PDF or ZPL) and say how many."""
    if fmt not in FORMATS:
        raise BookError(f"tags come as {' or '.join(FORMATS)}, not {fmt!r}")
    shop, problems = session.load_shop(book, now)
    try:
        stock = layout_named(layout or shop.settings.tag_layout)
    except ValueError as exc:
        raise BookError(str(exc)) from None
    items = session.read_sheet(book, schema.ITEMS).frame
    lines, sheet = _lines(book, shop, choice)
    word = (shop.settings.cost_code or "") if cost else ""
    tags, found = tags_for(lines, items, shop.styles, cost_word=word,
                           currency=shop.settings.currency, sheet=sheet)
    if not tags and not found:  # no file of no tags: nothing to print is not a success
        nothing = Problem("Items", None, None, f"no piece matches {choice.said()}",
                          "name a Doc, a date, a style or select rows; no file was written")
        return Outcome("Print Tags", f"0 tags for {choice.said()}: nothing written",
                       problems + [nothing])
    data = (tags_pdf(tags, stock, title=f"{shop.settings.store_name}: tags") if fmt == "pdf"
            else tags_zpl(tags, stock, dpi=dpi).encode("utf-8"))
    _write_atomically(output, data)
    summary = (f"{len(tags)} tag(s) for {choice.said()} written to {output} "
               f"({stock.title}{', ZPL' if fmt == 'zpl' else ''})")
    return Outcome("Print Tags", summary, problems + found, posted=len(tags),
                   refused=len(found))


def _lines(book: Workbook, shop, choice: TagChoice):
    if choice.rows:
        sheet = {"items": schema.ITEMS, "receiving": schema.RECEIVING}.get(
            choice.sheet.strip().casefold())
        if sheet is None:
            raise BookError(f"tags come from rows of Items or Receiving, not {choice.sheet!r}")
        frame = session.read_sheet(book, sheet).frame
        return rows_lines(frame, choice.rows, sheet.name), sheet.name
    if choice.styles and not (choice.docs or choice.on):
        return style_lines(shop.books.on_hand, choice.styles), "Styles"
    lines = received_lines(shop.ledger, docs=choice.docs, on=choice.on, last=choice.last)
    if choice.styles:
        keys = {style_key(s) for s in choice.styles}
        lines = lines[lines["style"].map(style_key).isin(keys)]
    return lines, "Ledger"


def _write_atomically(path: Path, data: bytes) -> None:
    """The file appears whole or not at all (a printer spooler may be watching it)."""
    try:
        write_whole(Path(path), data, mode=0o644)
    except OSError as exc:
        raise BookError(f"cannot write the tags to {path} ({exc.strerror or exc}); "
                        "pick a folder you can write to") from None


def _span(rows: tuple[int, ...]) -> str:
    return str(rows[0]) if len(rows) == 1 else f"{min(rows)}-{max(rows)}"


def tags_path(book_path: str | Path, fmt: str = "pdf") -> Path:
    """Where the ribbon writes tags: ``<book>.tags.pdf`` beside the book."""
    path = Path(book_path)
    return path.with_name(f"{path.stem}.tags.{fmt}")
