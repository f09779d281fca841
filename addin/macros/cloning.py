"""Clone Rows and Split: more rows with fresh serials, typed once.

Cloning copies one Items or Receiving row N times with the same attributes and a fresh
serial each; splitting turns each serialized Receiving row of Qty N into N rows of Qty 1.
New rows go right after their original; everything else on the sheet stays as typed.
Serials come from Settings' pattern and never repeat one seen on Items, Receiving or the
Ledger.
"""

from __future__ import annotations

from addin import session
from addin.core.errors import BookError
from addin.core.posting.shop import style_key
from addin.core.rows.serials import clone_rows, next_serial, split_receiving_row
from addin.session import Outcome, plural
from addin.sheets import schema
from addin.workbook.port import RawTable, Workbook

CLEARED = {
    "Receiving": ("Status", "Ledger Ref"),
    "Items": ("Cost", "Received", "Location", "Sold Date", "Sold Price", "Age (days)", "Margin"),
}


def clone(book: Workbook, sheet_name: str, row: int, count: int) -> Outcome:
    sheet = {"items": schema.ITEMS, "receiving": schema.RECEIVING}.get(
        " ".join(str(sheet_name).split()).casefold()
    )
    if sheet is None:
        raise BookError(
            f"Clone Rows works on Items or Receiving, not {sheet_name!r}: on Receiving it "
            "makes one line per piece of a delivery; on Items, tags for pieces not yet received"
        )
    if not 1 <= count <= 10_000:
        raise BookError(f"clone count {count} is out of range; ask for 1 to 10,000 copies")
    raw = book.read_table(sheet)
    body = records(raw, sheet)
    at = row - raw.first_row
    if not 0 <= at < len(body):
        raise BookError(
            f"{sheet.name} row {row} is not a row of the table (rows "
            f"{raw.first_row}-{raw.first_row + len(raw.body) - 1}); pick a data row"
        )
    serials = _fresh(book, count)
    copies = clone_rows(body[at], count, serials)
    for c in copies:
        for h in CLEARED[sheet.name]:
            c[h] = None
        if sheet is schema.ITEMS:
            c["Status"] = "Not Received"
    book.replace_rows(sheet, in_order(body[: at + 1] + copies + body[at + 1 :], sheet))
    book.save()
    serial_words = serials[0] if count == 1 else f"{serials[0]} to {serials[-1]}"
    return Outcome(
        "Clone Rows",
        f"{sheet.name} row {row}: {plural(count, 'copy', 'copies')} added with "
        f"{'serial' if count == 1 else 'serials'} {serial_words}",
        posted=count,
    )


def records(raw: RawTable, sheet: schema.Sheet) -> list[dict]:
    """The table's rows as schema header -> cell, columns found by the one header matcher."""
    pos = session.columns(raw, sheet)
    return [{h: r[i] for h, i in pos.items()} for r in raw.body]


def in_order(body: list[dict], sheet: schema.Sheet) -> list[list]:
    """Rows in schema order (what replace_rows writes)."""
    return [[r.get(h) for h in sheet.headers] for r in body]


def split(book: Workbook) -> Outcome:
    styles, _ = session.read_styles(book)
    raw = book.read_table(schema.RECEIVING)
    plan: list = []
    for r in records(raw, schema.RECEIVING):
        style = styles.get(style_key(r.get("Style") or ""))
        qty = r.get("Qty")
        if (
            style is None
            or style.tracking != "Serialized"
            or r.get("Ledger Ref")
            or not isinstance(qty, float)
            or qty != int(qty)
            or qty <= 1
        ):
            plan.append([r])
            continue
        plan.append((r, int(qty)))
    # a serial already typed on the row stays on its first piece
    need = sum(p[1] - _typed(p[0]) for p in plan if isinstance(p, tuple))
    fresh = iter(_fresh(book, need)) if need else iter(())
    body, split_rows = [], 0
    for p in plan:
        if isinstance(p, tuple):
            r, n = p
            serials = [next(fresh) for _ in range(n - _typed(r))]
            body += split_receiving_row(r, serials)
            split_rows += 1
        else:
            body += p
    if split_rows:
        book.replace_rows(schema.RECEIVING, in_order(body, schema.RECEIVING))
        book.save()
    return Outcome(
        "Split",
        f"Receiving: {plural(split_rows, 'row', 'rows')} split into one row per piece",
        posted=split_rows,
    )


def _typed(row: dict) -> int:
    """1 when the row already carries a serial (it stays on the first piece)."""
    return int(bool(str(row.get("Serial") or "").strip()))


def _fresh(book: Workbook, count: int) -> list[str]:
    settings, _ = session.read_settings(book)
    seen = session.serials_on(book, schema.ITEMS, schema.RECEIVING, schema.LEDGER)
    return next_serial(settings, seen, count)
