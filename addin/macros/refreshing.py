"""Refresh Reports: rebuild Items from the Ledger, then rewrite every report sheet.

One press reads the shop once (Settings, Styles, the Ledger checked against its hash
chain, Items, Movements), computes (costing, the Items rows, every report of
`addin.core.reports`, laid out on its sheet), then writes: Items through `replace_rows`,
each report sheet's whole layout through `write_report`, and saves once. Each report
sheet is headed by the store name, the as-of date, and the Ledger's last entry number and
Hash, so a printed report ties to the ledger it came from. The three steps are separate
functions so the benchmark can time them.

A Ledger that starts after a period close is read with its archive: the reports are
computed over the whole history (`closing.history`), so margin by month, turn and a
piece's sales read the closed periods too; Items comes from the Ledger alone.

The layout carries everything a report sheet shows: values, live formulas for the figures
Excel can keep current (totals, margins, ratios; Python's figure is the cached value),
number formats, widths, print setup and charts. Both adapters render all of it. A sheet
named like a report that is not Loupe's (the owner's own, or one carrying the owner's
logo) is left as it is, and the press says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from addin import session
from addin.core import closing
from addin.core.errors import BookError, Problem
from addin.core.ledger import closes
from addin.core.money import to_decimal
from addin.core.posting import cost_adjusting
from addin.core.posting.shop import Shop, methods_of, open_shop
from addin.core.posting.styles import costed_as_posted, method_at_odds
from addin.core.reports import build_reports, items
from addin.core.reports.report_facts import Facts, facts_for, memo_due_dates, retail_by_serial
from addin.session import Outcome
from addin.sheets import schema
from addin.workbook.archive import for_book
from addin.workbook.layout.items_sheet import item_rows
from addin.workbook.layout.report_layout import Layout, lay_out
from addin.workbook.port import Workbook


@dataclass(frozen=True)
class Read:
    """What a refresh reads from the book, once."""

    settings: object
    styles: dict
    ledger: pd.DataFrame
    serials: list[str]
    items: pd.DataFrame  # the typed Items sheet
    movements: pd.DataFrame  # the typed Movements sheet
    problems: list[Problem]
    archived: pd.DataFrame | None = None  # the archive's entries, for a Ledger after a close
    archived_dues: pd.Series | None = None  # its memo-out entries' due dates, kept at the close


@dataclass(frozen=True)
class Computed:
    """What a refresh writes: the Items rows and every report laid out."""

    shop: Shop
    facts: Facts
    item_rows: list[list]
    layouts: list[Layout]
    problems: list[Problem]  # Styles rows left out (in no report); Cost Method cells at odds
    as_of_given: dt.date | None = None  # the date the refresh was given, if any


def refresh(book: Workbook, now: dt.datetime, as_of: dt.date | None = None) -> Outcome:
    """Recompute costs, ages and margins; rewrite Items and every report sheet, at `now`
    (the reports as of `as_of`, else as Settings say)."""
    done = compute(read(book), now, as_of)
    kept = write(book, done)
    cut = int((done.shop.ledger["date"] > pd.Timestamp(done.facts.as_of)).sum())
    summary = (
        f"Items: {len(done.item_rows)} piece(s); {len(done.layouts) - len(kept)} report "
        f"sheets as of {done.facts.as_of:%Y-%m-%d}"
        + (f" ({cut} later entries left out)" if cut else "")
        + (f"; {len(kept)} sheet(s) left alone (not Loupe's)" if kept else "")
    )
    return Outcome("Refresh Reports", summary, [*done.problems, *kept],
                   notes=_not_on_ledger(done.shop))


def _not_on_ledger(shop: Shop) -> list[str]:
    """A note when Ledger rows (posted by an earlier version) do not say what they cost."""
    gap = cost_adjusting.not_on_ledger(shop.ledger, shop.books)
    if not len(gap):
        return []
    total = to_decimal(int(gap.sum()))
    return [f"the Ledger's Cost of Goods column is off by {total:,} on "
            f"{session.plural(len(gap), 'entry', 'entries')} posted by an earlier version "
            "(it wrote customer returns at 0.00, or costed them by an earlier rule); the "
            "reports are right, and the next post of each such entry's style adds one "
            "COST_ADJUST for it"]


def read(book: Workbook) -> Read:
    """Settings, Styles, the Ledger (hash chain checked), Items and Movements."""
    settings, problems = session.read_settings(book)
    if problems:
        raise BookError(
            "Settings need fixing before Loupe can report: " + "; ".join(str(p) for p in problems)
        )
    styles, style_problems = session.read_styles(book)
    typed_items = session.read_sheet(book, schema.ITEMS).frame
    serials = [s for s in typed_items["Serial"].astype(str) if s]
    lf = session.read_ledger(book)
    return Read(
        settings,
        styles,
        lf,
        serials,
        typed_items,
        session.read_sheet(book, schema.MOVEMENTS).frame,
        style_problems,
        archived_entries(book, lf),
        archived_dues(book, lf),
    )


def archived_entries(book: Workbook, lf: pd.DataFrame) -> pd.DataFrame | None:
    """The closed periods' entries from the archive beside the book (None when the Ledger
    was never closed): reports that span a close read the whole history."""
    if not closes.starts_after_close(lf):
        return None
    archive = for_book(book)
    done = archive.committed(int(lf["entry"].iloc[0])) if archive and archive.exists else []
    if not done:
        raise BookError("the Ledger starts after a period close but its archive is not "
                        "beside the book; put the archive back (from a copy), then refresh")
    return archive.entries(done[-1].close_no)


def archived_dues(book: Workbook, lf: pd.DataFrame) -> pd.Series | None:
    """The due dates of the archived memo-out entries, as their Movements rows said when
    the period closed (None when the Ledger was never closed)."""
    if not closes.starts_after_close(lf):
        return None
    archive = for_book(book)
    done = archive.committed(int(lf["entry"].iloc[0])) if archive and archive.exists else []
    return archive.memo_dues(done[-1].close_no) if archive and done else None


def memo_dues(got: Read) -> pd.Series:
    """Entry number -> Due Date: those kept in the archive, then the Movements sheet's (a
    row still on the sheet says what it says now)."""
    typed = memo_due_dates(got.movements)
    if got.archived_dues is None or got.archived_dues.empty:
        return typed
    both = pd.concat([got.archived_dues, typed])
    return both[~both.index.duplicated(keep="last")].sort_index()


def compute(got: Read, now: dt.datetime, as_of: dt.date | None = None) -> Computed:
    """Costing, the Items rows and every report, laid out on its sheet."""
    opened = open_shop(got.settings, got.styles, got.ledger, now, got.serials)
    retyped = method_at_odds(list(got.styles.values()), opened)
    shop = costed_as_posted(opened)  # a retyped Cost Method re-costs no report
    day = as_of or shop.settings.as_of(shop.today)
    methods = methods_of(shop.styles, shop.settings.default_cost_method)
    whole = shop.ledger if got.archived is None else closing.history(got.archived, shop.ledger)
    facts = facts_for(
        whole,
        methods,
        shop.styles.values(),
        shop.settings,
        day,
        memo_due=memo_dues(got),
        retail_by_serial=retail_by_serial(got.items),
        books=shop.books if got.archived is None else None,
    )
    rows = item_rows(items.item_table(got.items, shop.ledger, shop.books, shop.styles))
    return Computed(shop, facts, rows, layouts_for(facts, shop), [*got.problems, *retyped],
                    as_of)


def write(book: Workbook, done: Computed) -> list[Problem]:
    """Items, then every report sheet, through the port; then one save. The problems are
    the report sheets left alone because they are not Loupe's."""
    session.write_items(book, done.item_rows)
    set_as_of = getattr(book, "set_items_as_of", None)
    if set_as_of is not None:  # Items' Age counts to the day the reports are as of
        set_as_of(done.as_of_given)
    kept = [p for layout in done.layouts if (p := book.write_report(layout)) is not None]
    book.save()
    return kept


def layouts_for(facts: Facts, shop: Shop) -> list[Layout]:
    """Every report laid out on its sheet, headed by the Ledger's last entry and Hash."""
    lf = shop.ledger
    last_entry = int(lf["entry"].iloc[-1]) if len(lf) else 0
    last_hash = str(lf["hash"].iloc[-1]) if len(lf) else ""
    cut = int((lf["date"] > pd.Timestamp(facts.as_of)).sum())
    note = f"{cut} entries dated after the as-of date left out" if cut else ""
    return [
        lay_out(
            r,
            store=shop.settings.store_name,
            as_of=facts.as_of,
            last_entry=last_entry,
            last_hash=last_hash,
            cut_note=note,
        )
        for r in build_reports(facts)
    ]
