"""Refresh Reports: rebuild Items from the Ledger, then rewrite every report sheet.

One press reads the shop once (Settings, Styles, Ledger checked against its hash chain),
rebuilds the Items sheet, computes every report (`addin.core.reports`), writes each report
sheet through the port and saves. Each sheet is headed by the store name, the as-of date,
and the Ledger's last entry number and Hash, so a printed report ties to the ledger it
came from.

Figures Excel can keep current (totals, margins, ratios) go through the port as their
values; on the files adapter `addin.workbook.report_finish` then turns them into live
formulas (keeping Python's figure as the cached value), applies number formats and
column widths, and adds the native charts. On the live adapter the values stand; see
`report_finish` for what Excel's own calls would add there.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from addin.core.report_facts import Facts, facts_for, memo_due_dates, retail_by_serial
from addin.core.reports import build_reports
from addin.core.shop import Shop, methods_of
from addin.macros import session
from addin.macros.session import Outcome
from addin.workbook import schema
from addin.workbook.port import Workbook
from addin.workbook.report_layout import Layout, LiveFigure, lay_out


def refresh(book: Workbook, as_of: dt.date | None = None) -> Outcome:
    """Recompute costs, ages and margins; rewrite Items and every report sheet."""
    shop, problems = session.load_shop(book)
    day = as_of or shop.settings.as_of(shop.today)
    items = session.read_sheet(book, schema.ITEMS).frame
    facts = gather(book, shop, day, items)
    pieces = session.refresh_items(book, shop, shop.ledger, shop.books)
    layouts = layouts_for(facts, shop)
    for layout in layouts:
        book.write_report(layout.sheet, port_rows(layout), title=layout.heading)
    book.save()
    _finish(book, layouts)
    cut = len(shop.ledger) - len(facts.ledger)
    summary = (f"Items: {pieces} piece(s); {len(layouts)} report sheets as of {day:%Y-%m-%d}"
               + (f" ({cut} later entries left out)" if cut else ""))
    return Outcome("Refresh Reports", summary, problems)


def gather(book: Workbook, shop: Shop, day: dt.date, items: pd.DataFrame) -> Facts:
    """The report inputs: the ledger up to `day`, styles, memo due dates, piece prices."""
    movements = session.read_sheet(book, schema.MOVEMENTS).frame
    default = shop.settings.default_cost_method
    return facts_for(shop.ledger, methods_of(shop.styles, default), shop.styles.values(),
                     shop.settings, day, memo_due=memo_due_dates(movements),
                     retail_by_serial=retail_by_serial(items), books=shop.books)


def layouts_for(facts: Facts, shop: Shop) -> list[Layout]:
    """Every report laid out on its sheet, headed by the Ledger's last entry and Hash."""
    lf = shop.ledger
    last_entry = int(lf["entry"].iloc[-1]) if len(lf) else 0
    last_hash = str(lf["hash"].iloc[-1]) if len(lf) else ""
    cut = len(lf) - len(facts.ledger)
    note = f"{cut} entries dated after the as-of date left out" if cut else ""
    return [lay_out(r, store=shop.settings.store_name, as_of=facts.as_of,
                    last_entry=last_entry, last_hash=last_hash, cut_note=note)
            for r in build_reports(facts)]


def port_rows(layout: Layout) -> list[list[object]]:
    """The rows as the port takes them: a live figure goes as its value."""
    return [[v.figure if isinstance(v, LiveFigure) else v for v in row] for row in layout.rows]


def _finish(book: Workbook, layouts: list[Layout]) -> None:
    """Formulas, formats and charts: on a saved file only (see module docstring)."""
    from addin.workbook import report_finish

    report_finish.finish(book, layouts)
