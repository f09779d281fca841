"""One button press against one workbook: read what posting needs, write back what it did.

Macros call these helpers so that every button reads the shop the same way and writes its
results the same way, on either adapter. Reading: Settings, Styles, Items serials and the
Ledger (checked against its hash chain: Loupe refuses to post onto a tampered ledger).
Writing: new Ledger rows sealed onto the chain, Status / Ledger Ref per input row, and
the Items sheet rebuilt from the ledger.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd

from addin.core import costing, ledger
from addin.core.errors import BookError, LedgerTampered, Problem
from addin.core.ledger import EntryKind, chain, closes
from addin.core.posting import Posting, Refused, ledger_statuses, with_cost_of_goods
from addin.core.posting.ledger_refs import claims
from addin.core.posting.shop import Shop, open_shop, shop_methods, style_key
from addin.core.reports import items
from addin.core.rows import models
from addin.core.rows.models import Style
from addin.core.rows.settings import Settings
from addin.sheets import schema
from addin.workbook.layout.items_sheet import item_rows
from addin.workbook.port import CostingMemory, KnownLedger, LedgerMemory, RawTable, Workbook
from addin.workbook.reader.headers import find_headers
from addin.workbook.reader.tables import TypedTable, ledger_frame, typed_table


@dataclass
class Outcome:
    """What a button press did, for the status bar, the message box and the exit code."""

    button: str
    summary: str
    problems: list[Problem] = field(default_factory=list)
    posted: int = 0
    refused: int = 0
    unusable: bool = False  # the book or the sheet could not be used at all
    notes: list[str] = field(default_factory=list)  # worth a look; they stop nothing

    @property
    def exit_code(self) -> int:
        """0 all done; 1 done but some rows refused; 2 the book could not be used."""
        return 2 if self.unusable else (1 if self.refused or self.problems else 0)


def plural(n: int, one: str, many: str) -> str:
    """'1 copy', '3 copies': how every summary counts."""
    return f"{n} {one if n == 1 else many}"


def read_sheet(book: Workbook, sheet: schema.Sheet, overlay: Cells | None = None
               ) -> TypedTable:
    """A table read and typed; a sheet that cannot be read at all raises BookError.
    `overlay` (header -> Excel row -> value): cells read as if they held these values, as
    Validate reads a Sales row that Post would fill from a scan, without writing them."""
    raw = book.read_table(sheet)
    typed = typed_table(with_cells(raw, overlay) if overlay else raw, sheet)
    if typed.sheet_problems:
        raise BookError("; ".join(str(p) for p in typed.sheet_problems))
    return typed


Cells = dict[str, dict[int, object]]  # header -> Excel row -> value


def with_cells(raw: RawTable, overlay: Cells) -> RawTable:
    """`raw` with the cells of `overlay` in place of what was read (headers as matched)."""
    header = [str(h or "").strip().casefold() for h in raw.header]
    body = list(raw.body)
    for name, cells in overlay.items():
        if name.casefold() not in header:
            continue
        col = header.index(name.casefold())
        for row, value in cells.items():
            i = row - raw.first_row
            if 0 <= i < len(body):
                body[i] = [*body[i][:col], value, *body[i][col + 1:]]
    return dataclasses.replace(raw, body=body)


def read_settings(book: Workbook) -> tuple[Settings, list[Problem]]:
    t = read_sheet(book, schema.SETTINGS)
    # the raw Value cells: a setting may be a date, a number or text, Settings reads each
    pairs = list(zip(t.frame["_row"], t.frame["Setting"], t.cells["Value"], strict=True))
    return Settings.parse(pairs)


def read_style_rows(book: Workbook) -> tuple[list[Style], list[Problem]]:
    """Every readable Styles row as a Style; rows with problems are left out and reported."""
    t = read_sheet(book, schema.STYLES)
    problems = list(t.problems)
    bad_rows = {p.row for p in problems}
    styles: list[Style] = []
    for rec in t.frame.to_dict("records"):
        if rec["_row"] in bad_rows:
            continue
        style, found = Style.from_typed(rec, rec["_row"])
        problems += found
        if style is not None:
            styles.append(style)
    return styles, problems


def read_styles(book: Workbook) -> tuple[dict[str, Style], list[Problem]]:
    """Style key -> Style (the first row of a repeated code wins)."""
    rows, problems = read_style_rows(book)
    styles: dict[str, Style] = {}
    for style in rows:
        styles.setdefault(style_key(style.style), style)
    return styles, problems


def read_ledger(book: Workbook, anchor: chain.Tip | None = None) -> pd.DataFrame:
    """The Ledger as the core's frame, after checking its hash chain (`check_ledger`);
    LedgerTampered when it does not verify."""
    result, known = check_ledger(book, anchor)
    if known is None:
        raise LedgerTampered(result.entry or 0, result.row or 0, result.message)
    return known.frame


def check_ledger(
    book: Workbook, anchor: chain.Tip | None = None, *, frame: bool = True
) -> tuple[chain.VerifyResult, KnownLedger | None]:
    """The Ledger checked in full against its hash chain and the book's tip record (which
    catches rows cut off its end); the ledger when it verified, None when it did not.

    `anchor` is the entry the Ledger continues from (its last entry before the first row,
    e.g. kept in an archive), None for a Ledger that starts at entry 1. A book that can
    prove its Ledger unchanged since it last verified (`port.LedgerMemory`: the files
    adapter) answers from what it remembers; any other is read and verified in full.
    `frame` False (Verify Ledger): the answer's frame will likely not be asked for, so a
    remembered Ledger is not read beyond its entries and tip until it is.
    """
    memory = book if isinstance(book, LedgerMemory) else None
    tip = memory.ledger_tip() if memory is not None else None
    if memory is not None:
        known = memory.known_ledger(anchor, frame=frame)
        if known is not None:
            n = known.entries
            return chain.VerifyResult(True, n, f"Ledger verified: {n} entries, unchanged "
                                      "since they last verified"), known
    raw = book.read_table(schema.LEDGER)
    lf, first_row = ledger_frame(raw, schema.LEDGER), raw.first_row
    del raw  # the cells as read: a million rows of them, no longer needed
    result = closes.verify_continued(lf, first_row=first_row, anchor=anchor,
                                     expected_tip=tip)  # a Ledger after a close, too
    if not result.ok:
        return result, None
    known = KnownLedger(lf, first_row, anchor)
    if memory is not None:
        memory.remember_ledger(known)
    return result, known


def serials_on(book: Workbook, *sheets: schema.Sheet) -> list[str]:
    """Every serial typed on these sheets (never to be handed out again)."""
    out: list[str] = []
    for sheet in sheets:
        raw = book.read_table(sheet)
        col = columns(raw, sheet)["Serial"]
        out += [str(r[col]) for r in raw.body if r[col] not in (None, "")]
    return out


def awaited_pieces(book: Workbook) -> list[str]:
    """Serials of the Items rows made ahead of their receipt (Status Not Received)."""
    raw = book.read_table(schema.ITEMS)
    pos = columns(raw, schema.ITEMS)
    serial, status = pos["Serial"], pos["Status"]
    return [str(r[serial]) for r in raw.body
            if r[serial] not in (None, "") and str(r[status] or "").strip() == "Not Received"]


def add_new_columns(book: Workbook) -> None:
    """A book made from an earlier template gets the columns added since
    (`schema.ADDED_COLUMNS`), empty, at the right end of their tables; a table missing
    anything else is left for its reader to name."""
    add = getattr(book, "add_columns", None)
    if add is None:  # an adapter that cannot add columns: the reader names what is missing
        return
    for name, added in schema.ADDED_COLUMNS.items():
        sheet = next(s for s in schema.DATA_SHEETS if s.name == name)
        if name not in book.sheet_names():
            continue
        found = find_headers(book.read_table(sheet), sheet)
        missing = [h for h in added if h not in found.positions]
        if missing and all(h in found.positions for h in sheet.headers if h not in added):
            add(sheet, missing)


def columns(raw: RawTable, sheet: schema.Sheet) -> dict[str, int]:
    """Schema header -> position in the raw rows; BookError when the header row is wrong."""
    found = find_headers(raw, sheet)
    if found.problems:
        raise BookError("; ".join(str(p) for p in found.problems))
    return found.positions


def load_shop(
    book: Workbook,
    now: dt.datetime,
    reserved: tuple[schema.Sheet, ...] = (schema.ITEMS,),
) -> tuple[Shop, list[Problem]]:
    """Settings, Styles and Ledger read once; stock computed once. `now` is when the press
    happens: the edge that was pressed (the ribbon, the `loupe` command) says when."""
    add_new_columns(book)
    settings, problems = read_settings(book)
    if problems:  # a default standing in for a mistyped setting would surprise the owner
        raise BookError(
            "Settings need fixing before Loupe can post: " + "; ".join(str(p) for p in problems)
        )
    styles, style_problems = read_styles(book)
    lf = read_ledger(book)
    methods = shop_methods(styles, settings)
    memory = book if isinstance(book, CostingMemory) else None
    known = memory.known_costing(methods) if memory is not None else None
    shop = open_shop(settings, styles, lf, now, serials_on(book, *reserved),
                      awaited_pieces(book), books=known)
    if memory is not None and known is None:
        memory.remember_costing(methods, shop.books, _tip_of(shop.ledger))
    return replace(shop, book=book_name(book)), problems + style_problems


def book_name(book: Workbook) -> str:
    """The book's file name as a suggested command names it (`loupe method shop.xlsm ...`),
    quoted when it holds a space; BOOK for a book with no file."""
    name = str(getattr(book, "name", "") or "BOOK")
    return f'"{name}"' if any(c.isspace() or c in "'\"&;|()$`" for c in name) else name


def _tip_of(lf: pd.DataFrame) -> chain.Tip | None:
    return chain.Tip(int(lf["entry"].iloc[-1]), str(lf["hash"].iloc[-1])) if len(lf) else None


def typed_rows(book: Workbook, sheet: schema.Sheet, model, overlay: Cells | None = None
               ) -> list:
    """Input rows as models; a row whose cells are wrong becomes `Refused`. (`overlay`: see
    `read_sheet`.)"""
    t = read_sheet(book, sheet, overlay)
    by_row: dict[int, list[Problem]] = {}
    for p in t.problems:
        by_row.setdefault(p.row, []).append(p)
    rows: list = []
    for rec in t.frame.to_dict("records"):
        r = int(rec["_row"])
        doc = model.doc_of(rec)
        ref = str(rec.get("Ledger Ref") or "")
        if r in by_row:
            rows.append(Refused(r, doc, by_row[r][0], ref))
            continue
        parsed, found = model.from_typed(rec, r)
        rows.append(parsed if parsed is not None else Refused(r, doc, found[0], ref))
    return rows


def record(book: Workbook, shop: Shop, posting: Posting, sheet: schema.Sheet) -> None:
    """Seal and append the new entries, write each row's Status and Ledger Ref, and
    rebuild Items when stock changed."""
    if len(posting.entries):
        append_entries(book, shop, posting.entries)
    write_statuses(book, sheet, posting, posting_done=True)


# Where a ledger kind is typed: the input sheet and its row model.
TYPED_ON: dict[str, tuple[schema.Sheet, type]] = {
    EntryKind.RECEIPT: (schema.RECEIVING, models.ReceivingRow),
    EntryKind.MEMO_IN: (schema.RECEIVING, models.ReceivingRow),
    EntryKind.SALE: (schema.SALES, models.SaleRow),
    EntryKind.RETURN: (schema.SALES, models.SaleRow),
    **{k: (schema.MOVEMENTS, models.MovementRow) for k in (
        EntryKind.TRANSFER, EntryKind.MEMO_OUT, EntryKind.MEMO_BACK, EntryKind.MEMO_RETURN,
        EntryKind.VENDOR_RETURN)},
    EntryKind.ADJUST: (schema.COUNTS, models.CountRow),
}


def mark_undone_rows(book: Workbook, shop: Shop, reversals: pd.DataFrame) -> None:
    """The typed rows whose entries `reversals` undo say so at once (`Reversed by E20`),
    not only when their sheet is next posted. Reads only the sheets those rows are on."""
    undone = shop.ledger[shop.ledger["entry"].isin(reversals["reverses"])]
    after = pd.concat([shop.ledger, reversals], ignore_index=True)
    for sheet, model in {TYPED_ON[k] for k in set(undone["kind"]) if k in TYPED_ON}:
        rows = typed_rows(book, sheet, model)
        shown = {r.row: str(getattr(r, "status", "") or "") for r in rows}
        marks = ledger_statuses(claims(sheet.name, rows, after), shown)
        if marks:
            book.write_cells(sheet, {
                "Status": {o.row: o.status for o in marks},
                "Ledger Ref": {o.row: o.ledger_ref for o in marks if o.ledger_ref},
            })


def write_statuses(book: Workbook, sheet: schema.Sheet, posting: Posting, *, posting_done: bool
                   ) -> None:
    """Each row's Status as it stands now; a posted row's Ledger Ref and the cells it filled.

    Validate (`posting_done` False) writes what Post would, except that a row that would
    post keeps a blank Status and nothing it would fill is filled. A refused row's Ledger
    Ref is left as typed: the Status says what is wrong with it.
    """
    updates: dict[str, dict[int, object]] = {"Status": {}, "Ledger Ref": {}}
    for o in posting.outcomes:
        if o.status == "Posted" and not posting_done:
            updates["Status"][o.row] = None  # it would post: nothing to fix
            continue
        _mark(updates, o)
        for header, value in o.writes:
            updates.setdefault(header, {})[o.row] = value
    for o in posting.kept:
        _mark(updates, o)
    known = set(sheet.headers)
    book.write_cells(sheet, {h: v for h, v in updates.items() if h in known and v})


def _mark(updates: dict[str, dict[int, object]], o) -> None:
    updates["Status"][o.row] = o.status
    if o.ledger_ref:  # a refused row's Ref stays as typed
        updates["Ledger Ref"][o.row] = o.ledger_ref


def append_entries(book: Workbook, shop: Shop, entries: pd.DataFrame,
                   new_items: pd.DataFrame | None = None) -> None:
    """Cost, seal and append new entries, then rebuild Items (with `new_items`: Items rows
    typed for pieces that arrive with these entries, in the Items frame's shape)."""
    last_hash = shop.ledger["hash"].iloc[-1] if len(shop.ledger) else ""
    methods = shop_methods(shop.styles, shop.settings)
    priced, full, books = with_cost_of_goods(
        entries, shop.ledger, shop.books, methods, shop.settings.first_open_day(),
    )
    sealed = chain.seal(priced, last_hash)
    book.append_rows(schema.LEDGER, ledger_rows(sealed))
    books = costing.in_style_order(books)
    if isinstance(book, CostingMemory):  # the next press starts from these Books
        book.remember_costing(methods, books, chain.Tip(int(sealed["entry"].iloc[-1]),
                                                        str(sealed["hash"].iloc[-1])))
    refresh_items(book, shop, full, books, new_items)


def ledger_rows(lf: pd.DataFrame) -> list[list]:
    """Ledger frame -> sheet rows (money back to dollars, dates as datetimes)."""
    out = []
    for rec in lf.to_dict("records"):
        row = []
        for col in ledger.COLUMNS:
            v = rec[col]
            if col in ("unit_cost", "unit_price"):  # ten-thousandths: 1250 -> 0.125
                v = int(v) / 10_000
            elif col == "cogs":
                v = int(v) / 100
            elif col in ("date", "posted_at"):
                v = pd.Timestamp(v).to_pydatetime()
            elif col == "reverses":
                v = int(v) or None
            elif col in ("entry", "qty"):
                v = int(v)
            elif v == "":
                v = None
            row.append(v)
        out.append(row)
    return out


def refresh_items(book: Workbook, shop: Shop, lf: pd.DataFrame, books,
                  new_items: pd.DataFrame | None = None) -> int:
    """Rebuild the Items sheet from the ledger, keeping every attribute the owner typed."""
    raw = book.read_table(schema.ITEMS)
    current = typed_table(raw, schema.ITEMS).frame
    if new_items is not None and len(new_items):
        current = pd.concat([current, new_items], ignore_index=True) if len(current) else new_items
    rows = item_rows(items.item_table(current, lf, books, shop.styles))
    write_items(book, rows, raw)
    return len(rows)


def write_items(book: Workbook, rows: list[list], raw: RawTable | None = None) -> None:
    """The Items table made to hold `rows`, writing only what differs: nothing when it holds
    them already (a post of quantity stock), the new pieces alone when they only add rows
    at its end, else the whole table. `raw` is the table as read this press."""
    raw = raw if raw is not None else book.read_table(schema.ITEMS)
    held = _rows_held(raw, len(rows))
    if held is not None and all(_same_row(a, b) for a, b in zip(held, rows, strict=False)):
        if len(rows) > len(held):
            book.append_rows(schema.ITEMS, rows[len(held):])
        return
    book.replace_rows(schema.ITEMS, rows)


_ITEM_VALUES = [i for i, c in enumerate(schema.ITEMS.columns) if not c.formula]


def _rows_held(raw: RawTable, at_most: int) -> list[list] | None:
    """The Items rows as the sheet holds them, in header order; None when the sheet's shape
    (moved or extra columns, blank rows, more rows than wanted) calls for a full rewrite."""
    found = find_headers(raw, schema.ITEMS)
    order = [found.positions.get(h) for h in schema.ITEMS.headers]
    if found.problems or None in order or len(raw.header) != len(order):
        return None
    if order != list(range(len(order))):
        return None
    body = list(raw.body)
    while body and all(v in (None, "") for v in body[-1]):
        body.pop()  # the template's blank row, filled first by an append
    if len(body) > at_most or any(all(v in (None, "") for v in r) for r in body):
        return None
    return body


def _same_row(held: list, wanted: list) -> bool:
    for i in _ITEM_VALUES:
        a, b = held[i], wanted[i]
        if a in (None, "") and b in (None, ""):
            continue
        if type(a) is not type(b) or a != b:
            return False
    return True
