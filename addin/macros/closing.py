"""Close Period: archive the posted history through a date; start the Ledger again from it.

`close_period(book, through, now)` checks the Ledger (and the archive it already stands on),
plans the close in the core (`addin.core.closing`), writes the archived entries into the
archive beside the book in one SQLite transaction, then replaces the Ledger with the
carried entries, moves the period lock (Settings > Books Closed Through) to the close date
and saves the book once. The book is the commit point: until it is saved the archive's
new close is pending and is removed by the next change (`Archive.settle`).

`undo_close(book)` puts the last close's entries back on the Ledger and the lock where it
was, while nothing has been posted since; `with_archive(book, ...)` checks a Ledger that
starts after a close together with its archive (Verify Ledger).
"""

from __future__ import annotations

import datetime as dt

from addin import session
from addin.core import closing
from addin.core.errors import BookError, Problem
from addin.core.ledger import chain, closes
from addin.core.posting.shop import methods_of
from addin.core.posting.styles import costed_as_posted
from addin.core.reports.report_facts import memo_due_dates
from addin.session import Outcome, plural
from addin.sheets import schema
from addin.workbook.archive import Archive, ArchiveCheck, check, for_book
from addin.workbook.port import KnownLedger, Workbook

BUTTON = "Close Period"
LOCK = "Books Closed Through"


def close_period(book: Workbook, through: dt.date, now: dt.datetime) -> Outcome:
    """Close the books through a date: its history moves to the archive beside the book.

    The Ledger starts again from entries that carry every open layer and piece (cost,
    receipt date, vendor), so no figure after the date changes; the period lock moves to
    the date. Undo it before the next post with `loupe close BOOK --undo`.
    """
    archive = _archive(book)
    shop, _ = session.load_shop(book, now)
    shop = costed_as_posted(shop)  # layers carried at the cost the Ledger has them
    lf = shop.ledger
    first = int(lf["entry"].iloc[0]) if len(lf) else None
    found = with_archive(book, KnownLedger(lf, chain.FIRST_ROW)) if first is not None else None
    if found is not None and not found.ok:
        return _refused(found.message, "restore the archive, then close again")
    archive.settle(first)
    methods = methods_of(shop.styles, shop.settings.default_cost_method)
    plan = closing.plan_close(lf, methods, through, now)
    if not plan.ok:
        return Outcome(BUTTON, f"Nothing closed: {plan.problems[0].message}", plan.problems,
                       unusable=True)
    carried = chain.seal(plan.carried, str(lf["hash"].iloc[-1]))
    lock = shop.settings.closed_through
    dues = memo_due_dates(session.read_sheet(book, schema.MOVEMENTS).frame)
    record = archive.add_close(lf, carried, through, now, lock, dues)
    book.replace_rows(schema.LEDGER, session.ledger_rows(carried))
    _set_lock(book, max(through, lock) if lock else through)
    book.save()
    return Outcome(
        BUTTON,
        f"Closed through {through:%Y-%m-%d}: {plural(len(lf), 'entry', 'entries')} archived "
        f"in {archive.path.name} (close {record.close_no}); the Ledger starts again from "
        f"{plural(len(carried), 'carried entry', 'carried entries')}; {LOCK} is now "
        f"{max(through, lock) if lock else through:%Y-%m-%d}")


def undo_close(book: Workbook) -> Outcome:
    """Undo the last close while nothing has been posted since: its entries come back to
    the Ledger and the period lock goes back to where it was."""
    archive = _archive(book)
    lf = session.read_ledger(book)
    first = int(lf["entry"].iloc[0]) if len(lf) else None
    done = archive.committed(first) if archive.exists else []
    if not done:
        return _refused("the Ledger has no close to undo", "nothing to do")
    last = done[-1]
    if int(lf["entry"].iloc[-1]) != last.carried_last:
        return _refused(
            f"entries {last.carried_last + 1}-{int(lf['entry'].iloc[-1])} were posted after "
            f"the close through {last.through:%Y-%m-%d}, so it can no longer be undone",
            "keep the close; correct later entries with reversals")
    found = with_archive(book, KnownLedger(lf, chain.FIRST_ROW))
    if found is not None and not found.ok:
        return _refused(found.message, "restore the archive from a copy, then undo")
    back = archive.entries(last.close_no)
    back = back[back["entry"] >= last.first_entry].reset_index(drop=True)
    book.replace_rows(schema.LEDGER, session.ledger_rows(back))
    _set_lock(book, last.lock_before)
    book.save()
    archive.settle(int(back["entry"].iloc[0]))
    return Outcome(BUTTON, f"Close through {last.through:%Y-%m-%d} undone: "
                   f"{plural(len(back), 'entry', 'entries')} back on the Ledger; {LOCK} is "
                   f"{last.lock_before or 'blank'} again")


def with_archive(book: Workbook, known: KnownLedger) -> ArchiveCheck | None:
    """A verified Ledger that starts after a close, checked with its archive: the archive's
    own chain and close records, and the Ledger's first row against the archive's last
    Hash (None for a Ledger never closed: one whose entries run from 1, which its tip
    shows without building its frame)."""
    tip = known.tip
    if tip is None or tip.entry == known.entries:
        return None
    lf, first_row = known.frame, known.first_row
    if not closes.starts_after_close(lf):
        return None
    archive = for_book(book)
    first = int(lf["entry"].iloc[0])
    if archive is None or not archive.exists:
        name = archive.path.name if archive else "its archive"
        return ArchiveCheck(False, f"the Ledger starts at entry {first}, after a close, but "
                            f"{name} is not beside the book", entry=first)
    found = check(archive, first)
    if not found.ok or found.anchor is None:
        return found
    link = chain.verify(lf.iloc[:1], previous_hash=found.anchor.hash,
                        first_entry=found.anchor.entry + 1, first_row=first_row)
    if not link.ok:
        return ArchiveCheck(False, link.message.split(": ")[0], found.entries,
                            entry=link.entry, where="Ledger")
    return found


def _archive(book: Workbook) -> Archive:
    archive = for_book(book)
    if archive is None:
        raise BookError("the book has no file name to keep its archive beside; save it as "
                        "a file first, then close the period")
    return archive


def _refused(message: str, fix: str) -> Outcome:
    return Outcome(BUTTON, f"Nothing changed: {message}",
                   [Problem(schema.LEDGER.name, None, None, message, fix)], unusable=True)


def _set_lock(book: Workbook, day: dt.date | None) -> None:
    """Settings > Books Closed Through set to `day` (blank for None)."""
    raw = book.read_table(schema.SETTINGS)
    pos = session.columns(raw, schema.SETTINGS)
    text = day.isoformat() if day else None
    for i, row in enumerate(raw.body):
        if str(row[pos["Setting"]] or "").strip().casefold() == LOCK.casefold():
            book.write_cells(schema.SETTINGS, {"Value": {raw.first_row + i: text}})
            return
    book.append_rows(schema.SETTINGS, [[LOCK if h == "Setting" else text
                                        for h in schema.SETTINGS.headers]])
