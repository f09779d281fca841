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
from addin.session import Outcome
from addin.sheets import schema
from addin.workbook.port import Workbook

CLEARED = {
    "Receiving": ("Status", "Ledger Ref"),
    "Items": ("Cost", "Received", "Location", "Sold Date", "Sold Price", "Age (days)", "Margin"),
}


def clone(book: Workbook, sheet_name: str, row: int, count: int) -> Outcome:
    sheet = {"Items": schema.ITEMS, "Receiving": schema.RECEIVING}.get(sheet_name.title())
    if sheet is None:
        raise BookError(f"Clone Rows works on Items or Receiving, not {sheet_name!r}")
    if not 1 <= count <= 10_000:
        raise BookError(f"clone count {count} is out of range; ask for 1 to 10,000 copies")
    raw = book.read_table(sheet)
    header = [str(h).strip() for h in raw.header]
    at = row - raw.first_row
    if not 0 <= at < len(raw.body):
        raise BookError(
            f"{sheet.name} row {row} is not a row of the table (rows "
            f"{raw.first_row}-{raw.first_row + len(raw.body) - 1}); pick a data row"
        )
    original = dict(zip(header, raw.body[at], strict=True))
    serials = _fresh(book, count)
    copies = clone_rows(original, count, serials)
    for c in copies:
        for h in CLEARED[sheet.name]:
            c[h] = None
        if sheet is schema.ITEMS:
            c["Status"] = "Not Received"
    body = raw.body[: at + 1] + [[c.get(h) for h in header] for c in copies] + raw.body[at + 1 :]
    book.replace_rows(sheet, _in_schema_order(body, header, sheet))
    book.save()
    return Outcome(
        "Clone Rows",
        f"{sheet.name} row {row}: {count} copies added with serials {serials[0]} to {serials[-1]}",
        posted=count,
    )


def split(book: Workbook) -> Outcome:
    styles, _ = session.read_styles(book)
    raw = book.read_table(schema.RECEIVING)
    header = [str(h).strip() for h in raw.header]
    plan = []
    for values in raw.body:
        r = dict(zip(header, values, strict=True))
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
        book.replace_rows(
            schema.RECEIVING,
            _in_schema_order([[r.get(h) for h in header] for r in body], header, schema.RECEIVING),
        )
        book.save()
    return Outcome(
        "Split", f"Receiving: {split_rows} row(s) split into one row per piece", posted=split_rows
    )


def _typed(row: dict) -> int:
    """1 when the row already carries a serial (it stays on the first piece)."""
    return int(bool(str(row.get("Serial") or "").strip()))


def _fresh(book: Workbook, count: int) -> list[str]:
    settings, _ = session.read_settings(book)
    seen = session.serials_on(book, schema.ITEMS, schema.RECEIVING, schema.LEDGER)
    return next_serial(settings, seen, count)


def _in_schema_order(body: list[list], header: list[str], sheet: schema.Sheet) -> list[list]:
    """Rows as the sheet's own column order (replace_rows writes schema order)."""
    pos = {h: i for i, h in enumerate(header)}
    return [[r[pos[h]] if h in pos else None for h in sheet.headers] for r in body]
