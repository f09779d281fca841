"""Count by scan, in the book: reconcile a location's scan list, then post what is accepted.

`reconcile_count` reads the scans (a scan list file's text, or the codes pasted on the
Scans sheet), reconciles them against the whole location (`core.reports.reconciling`)
and rewrites the Count Reconciliation sheet: one line per result, the ones to look at
first, Accept = Yes on every line that would post (a missing piece or a quantity
variance: a Counts row; a piece booked elsewhere: a Transfer). The owner reads it and
sets Accept to No on anything to leave out.

`carry_accepted` is the first step of Post Counts: the accepted lines not yet carried
become Transfer rows on Movements (posted right away, so the pieces are where they were
found) and Counts rows on Counts, which Post Counts then posts as it posts every count:
only the variances, layers never flattened. Each carried line's Status says where it
went, so pressing Post Counts again carries nothing twice.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from addin import session
from addin.core.errors import BookError, Problem
from addin.core.posting.moving import post_movements as move_entries
from addin.core.reports import items
from addin.core.reports.reconciling import (
    COUNT,
    TRANSFER,
    Reconciliation,
    count_rows,
    reconcile,
    transfer_rows,
)
from addin.core.rows import models
from addin.core.rows.models import count_doc
from addin.core.rows.scan_list import read_scan_list, scans_from_cells
from addin.core.rows.serials import normalize_serial
from addin.session import Outcome
from addin.sheets import schema
from addin.workbook.port import Workbook

SHEET = schema.COUNT_RECONCILIATION
ACTIONABLE = {COUNT, TRANSFER}


def reconcile_count(
    book: Workbook,
    location: str,
    now: dt.datetime,
    count_date: dt.date | None = None,
    scans_text: str | None = None,
    source: str = "scan list",
) -> Outcome:
    """Reconcile one location's scans and write the Count Reconciliation sheet."""
    shop, problems = session.load_shop(book, now)
    place = _location(shop, location)
    day = count_date or shop.today
    if scans_text is not None:
        scans, found = read_scan_list(scans_text, source)
        problems += found
    else:
        pasted = session.read_sheet(book, schema.SCANS)
        scans = scans_from_cells(list(pasted.frame["Code"]), list(pasted.frame["Scanned At"]))
        problems += pasted.problems
    item_frame = session.read_sheet(book, schema.ITEMS).frame
    oh = shop.books.on_hand
    rec = reconcile(
        scans, place, day,
        pieces=items.pieces(shop.ledger, shop.books),
        quantity_on_hand=oh[oh["serial"] == ""][["style", "location", "qty"]],
        quantity_styles={k: s.style for k, s in shop.styles.items() if not s.serialized},
        pattern=shop.settings,
        rfid=rfid_map(item_frame),
    )
    book.replace_rows(SHEET, sheet_rows(rec))
    book.save()
    todo = int(rec.lines["action"].isin(ACTIONABLE).sum())
    summary = (f"{rec.summary}. {len(scans)} scan(s) read. Read the Count Reconciliation sheet; "
               f"{todo} line(s) would post: set Accept to No on any to leave out, then press "
               "Post Counts")
    return Outcome("Count by Scan", summary, problems, posted=len(rec.lines))


def _location(shop, typed: str) -> str:
    for loc in shop.settings.locations:
        if loc.casefold() == str(typed or "").strip().casefold():
            return loc
    raise BookError(f"unknown location {typed!r}: count one of "
                    f"{', '.join(shop.settings.locations)} (Settings: Locations)")


def rfid_map(item_frame: pd.DataFrame) -> dict[str, str]:
    """RFID tag (as a reader reports it) -> serial, from the Items sheet's RFID Tag column."""
    if not len(item_frame) or "RFID Tag" not in item_frame:
        return {}
    tagged = item_frame[item_frame["RFID Tag"].astype(str).str.strip() != ""]
    return dict(zip(tagged["RFID Tag"].map(normalize_serial),
                    tagged["Serial"].map(normalize_serial), strict=True))


def sheet_rows(rec: Reconciliation) -> list[list]:
    """The Count Reconciliation table body, in header order."""
    when = dt.datetime.combine(rec.count_date, dt.time())
    out = []
    for r in rec.lines.to_dict("records"):
        values = {
            "Count Date": when, "Location": rec.location, "Result": r["result"],
            "Code": r["code"] or None, "Serial": r["serial"] or None, "Style": r["style"] or None,
            "Booked At": r["booked_at"] or None, "Expected Qty": _int(r["expected_qty"]),
            "Counted Qty": _int(r["counted_qty"]), "Variance": _int(r["variance"]),
            "Action": r["action"] or None,
            "Accept": "Yes" if r["action"] in ACTIONABLE else None,
            "Note": r["note"] or None, "Scan Lines": r["scan_lines"] or None, "Status": None,
        }
        out.append([values[h] for h in SHEET.headers])
    return out


def _int(v):
    return None if v is None or pd.isna(v) else int(v)


# --- Post Counts, first step ------------------------------------------------------------------


def carry_accepted(book: Workbook, now: dt.datetime) -> tuple[str, list[Problem]]:
    """Accepted reconciliation lines -> Transfers (posted now) and Counts rows (to post)."""
    if SHEET.name not in book.sheet_names():
        return "", []
    table = session.read_sheet(book, SHEET)
    lines = _pending(table.frame)
    if lines.empty:
        return "", []
    moved = counted = 0
    problems: list[Problem] = []
    status: dict[int, str] = {}
    for (day, loc), group in lines.groupby(["Count Date", "Location"], sort=False):
        day = pd.Timestamp(day).date()
        frame = _as_core(group)
        moves = transfer_rows(frame, loc, day)
        counts = count_rows(frame, loc, day)
        if moves:
            book.append_rows(schema.MOVEMENTS, [_in_order(schema.MOVEMENTS, m) for m in moves])
            outcome = _post_transfers(book, count_doc(day, loc), now)
            problems += outcome
            moved += len(moves)
        if counts:
            book.append_rows(schema.COUNTS, [_in_order(schema.COUNTS, c) for c in counts])
            counted += len(counts)
        for row, action in zip(group["_row"], group["Action"], strict=True):
            status[int(row)] = ("Transfer sent to Movements" if action == TRANSFER
                                else "Sent to Counts")
    book.write_cells(SHEET, {"Status": status})
    said = f"Count Reconciliation: {moved} transfer(s) posted, {counted} Counts row(s) added"
    return said, problems


def _pending(frame: pd.DataFrame) -> pd.DataFrame:
    accept = frame["Accept"].astype(str).str.strip().str.casefold() == "yes"
    action = frame["Action"].astype(str).str.strip().isin(ACTIONABLE)
    fresh = frame["Status"].astype(str).str.strip() == ""
    dated = frame["Count Date"].notna() & (frame["Location"].astype(str).str.strip() != "")
    return frame[accept & action & fresh & dated]


def _as_core(group: pd.DataFrame) -> pd.DataFrame:
    """Sheet lines back in the reconciliation's own columns (what count/transfer rows need)."""
    return pd.DataFrame({
        "action": group["Action"].astype(str).str.strip(),
        "serial": group["Serial"].astype(str).map(normalize_serial),
        "style": group["Style"].astype(str),
        "booked_at": group["Booked At"].astype(str),
        "counted_qty": group["Counted Qty"].fillna(0).astype(int),
    })


def _in_order(sheet: schema.Sheet, values: dict) -> list:
    return [_cell(values.get(h)) for h in sheet.headers]


def _cell(v):
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return dt.datetime.combine(v, dt.time())
    return v


def _post_transfers(book: Workbook, doc: str, now: dt.datetime) -> list[Problem]:
    """Post the Transfer rows of this count's Doc only (the rest of Movements waits)."""
    shop, _ = session.load_shop(book, now)
    rows = [r for r in session.typed_rows(book, schema.MOVEMENTS, models.MovementRow)
            if r.doc == doc]
    posting = move_entries(rows, shop)
    session.record(book, shop, posting, schema.MOVEMENTS)
    return list(posting.problems)

