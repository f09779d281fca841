"""One function per button on the Loupe ribbon tab: `button(book, ...) -> Outcome`.

The ribbon (through `addin.macros.entry`, on the live adapter) and the `loupe` command
(on the files adapter) call these same functions: there is no second implementation.
The first paragraph of each docstring is the button's tooltip in Excel and its line in
`loupe --help`; a test fails if one is missing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from addin import session
from addin.core.costing.method_changes import party_methods
from addin.core.errors import BookError, LedgerTampered, Problem
from addin.core.ledger import EntryKind
from addin.core.posting import Posting, Refused
from addin.core.posting.converting import convert_style as convert_entries
from addin.core.posting.counting import post_counts as count_entries
from addin.core.posting.method_changing import ASKED_BY_BUTTON
from addin.core.posting.method_changing import change_method as method_entries
from addin.core.posting.moving import post_movements as move_entries
from addin.core.posting.receiving import post_receipts as receive_entries
from addin.core.posting.reversing import reverse_entry
from addin.core.posting.scan_selling import fill_scans, piece_prices
from addin.core.posting.selling import post_sales as sell_entries
from addin.core.posting.styles import (
    blocking_posts,
    check_styles,
    costed_as_posted,
    not_posted,
)
from addin.core.rows import models
from addin.core.rows.models import style_key
from addin.session import Outcome, plural
from addin.sheets import schema
from addin.workbook.port import Workbook


def _post(book: Workbook, name: str, sheet: schema.Sheet, model, post, now: dt.datetime,
          before=None) -> Outcome:
    """One Post button. `before(book, shop)` may fill cells first and return rows it
    refuses outright (Excel row -> Problem), e.g. a misscanned tag on Sales."""
    shop, problems = session.load_shop(book, now)
    why, blocked = blocking_posts(session.read_style_rows(book)[0], shop)
    if blocked:
        _mark_not_posted(book, shop, sheet, model, post, blocked[0])
        return Outcome(name, f"{sheet.name}: nothing posted: {why} (fix it, then post again)",
                       blocked, unusable=True)
    refused = before(book, shop) if before else {}
    posting = _judge(book, shop, sheet, model, post, refused)
    session.record(book, shop, posting, sheet)
    book.save()
    return Outcome(
        name,
        f"{sheet.name}: {posting.posted_rows} row(s) posted, {posting.refused_rows} refused, "
        f"{posting.skipped} already posted; "
        f"{plural(len(posting.entries), 'ledger entry', 'ledger entries')} added",
        problems + list(posting.problems),
        posting.posted_rows,
        posting.refused_rows,
        notes=list(posting.notes),
    )


def _mark_not_posted(book: Workbook, shop, sheet: schema.Sheet, model, post, problem) -> None:
    """Each row the press would have posted or refused says why it was not (its Status),
    so a row's Status tells the truth; rows already posted keep theirs."""
    if _say_not_posted(book, sheet, _judge(book, shop, sheet, model, post), problem):
        book.save()


def _say_not_posted(book: Workbook, sheet: schema.Sheet, posting: Posting, problem) -> int:
    """Write, in the Status of every row `posting` judged, that a Styles problem holds it
    back; returns how many rows."""
    rows = [o.row for o in posting.outcomes]
    if rows:
        book.write_cells(sheet, {"Status": dict.fromkeys(rows, not_posted(problem))})
    return len(rows)


def _judge(book: Workbook, shop, sheet: schema.Sheet, model, post, refused=None,
           overlay=None) -> Posting:
    """What pressing the sheet's Post button would do now: the one judgement Post and
    Validate share. `refused`: rows already judged wrong (Excel row -> Problem);
    `overlay`: cells Post would fill first (header -> Excel row -> value), read as filled."""
    refused = refused or {}
    rows = [Refused(r.row, r.doc, refused[r.row]) if r.row in refused else r
            for r in session.typed_rows(book, sheet, model, overlay)]
    return post(rows, shop)


def post_receipts(book: Workbook, *, now: dt.datetime) -> Outcome:
    """Post the Receiving sheet to the Ledger: new stock in, at its unit cost.

    Every valid row posts as a RECEIPT (or MEMO_IN for Terms = Memo); a bad row stays with
    `Error: ...` in Status and holds back the rest of its Doc. Rows already carrying a
    Ledger Ref are skipped, so pressing twice changes nothing. A serialized row with a blank
    Serial gets the next fresh serial.
    """
    outcome = _post(book, "Post Receipts", schema.RECEIVING, models.ReceivingRow,
                    receive_entries, now)
    if outcome.posted:
        outcome.summary += (". Print Tags now makes the tags of what was just received "
                            f"(loupe tags {session.book_name(book)} --last -o tags.pdf)")
    return outcome


def post_sales(book: Workbook, *, now: dt.datetime) -> Outcome:
    """Post the Sales sheet: sales take FIFO cost, returns re-enter at their sale's cost.

    A serialized sale names its serial (sold once, ever); a quantity sale never takes stock
    below zero unless Settings allow it. A return must match an earlier sale. A row that
    holds only a scanned tag (and the date) is filled in from the piece first: style,
    location, price, Qty 1; a misscanned tag is refused by its check character.
    """
    return _post(book, "Post Sales", schema.SALES, models.SaleRow, sell_entries, now,
                 before=_fill_scans)


def _fill_scans(book: Workbook, shop) -> dict:
    """Fill in the bare-scan Sales rows; returns the rows refused (misscans and the like)."""
    fills = _scan_fills(book, shop)
    if fills.cells:
        book.write_cells(schema.SALES, fills.cells)
    return fills.refused


def _scan_fills(book: Workbook, shop):
    """What Post Sales fills in on the bare-scan rows, and the rows it refuses outright."""
    table = session.read_sheet(book, schema.SALES)
    # a cell typed wrong is never overwritten; a blank one is what a scan leaves to fill
    troubled = {p.row for p in table.problems if not p.message.endswith("is blank")}
    frame = table.frame[~table.frame["_row"].isin(troubled)]
    prices = piece_prices(session.read_sheet(book, schema.ITEMS).frame)
    return fill_scans(frame, shop, prices)


def post_movements(book: Workbook, *, now: dt.datetime) -> Outcome:
    """Post the Movements sheet: transfers, memo out and back, returns to vendors.

    Moved stock keeps its cost and receipt date. Stock out on memo stays owned but leaves
    the on-hand count until its Memo Back.
    """
    return _post(book, "Post Movements", schema.MOVEMENTS, models.MovementRow, move_entries,
                 now)


def post_counts(book: Workbook, *, now: dt.datetime) -> Outcome:
    """Post the Counts sheet: only the variance posts, as ADJUST entries.

    Expected Qty and Variance are written back; a shortage consumes the oldest layers like
    a sale, a surplus adds a layer at the latest cost. Layers are never flattened. Lines
    accepted on the Count Reconciliation sheet go first: their transfers post, their
    variances become Counts rows.
    """
    from addin.macros.scan_count import carry_accepted

    carried, problems = carry_accepted(book, now)
    outcome = _post(book, "Post Counts", schema.COUNTS, models.CountRow, count_entries, now)
    if carried:
        outcome.summary = f"{carried}. {outcome.summary}"
        outcome.problems = problems + outcome.problems
        outcome.refused += len(problems)
    return outcome


def print_tags(
    book: Workbook,
    output: Path,
    *,
    sheet: str = "",
    rows: tuple[int, ...] = (),
    docs: tuple[str, ...] = (),
    on: dt.date | None = None,
    styles: tuple[str, ...] = (),
    layout: str = "",
    fmt: str = "pdf",
    cost: bool = True,
    now: dt.datetime,
) -> Outcome:
    """Print tags with a barcode of each serial (the style for quantity styles) to a PDF or ZPL.

    For the selected rows of Items or Receiving, or else what the last Post Receipts
    posted; headless, also by Doc, by receipt date or by style. Settings: Tag Layout picks
    the label stock, Cost Code prints the cost in the shop's letters. The book is unchanged.
    """
    from addin.macros.printing import TagChoice, make_tags

    choice = TagChoice(docs=tuple(docs), on=on, styles=tuple(styles), sheet=sheet,
                       rows=tuple(rows))
    return make_tags(book, choice, output, now, layout=layout, fmt=fmt, cost=cost)


def count_by_scan(
    book: Workbook,
    location: str,
    count_date: dt.date | None = None,
    scans_text: str | None = None,
    source: str = "scan list",
    *,
    now: dt.datetime,
) -> Outcome:
    """Reconcile a scan list of one location against the books, on Count Reconciliation.

    Scans come from a scanner's or RFID reader's file, or the Scans sheet. Every piece
    gets a result: missing, booked elsewhere, sold or on memo, unknown code, misscan,
    duplicate, quantity variance, counted. Post Counts then posts the accepted lines.
    """
    from addin.macros.scan_count import reconcile_count

    return reconcile_count(book, location, now, count_date, scans_text, source)


def validate_styles(book: Workbook, *, now: dt.datetime) -> Outcome:
    """Check the Styles sheet and every input sheet, and mark problems in Status cells.

    Styles: codes unique (ignoring case and spaces), required fields, Tracking and Cost
    Method values, prices, and no Tracking change while stock is on hand. Input sheets:
    exactly what each Post button checks, against the stock on the Ledger, with the same
    words in Status; a row that would post gets a blank Status. A Sales row holding only a
    scanned tag is judged as Post would fill it. Nothing is posted and nothing filled.
    """
    shop, problems = session.load_shop(book, now)
    style_rows = session.read_style_rows(book)[0]
    problems += check_styles(style_rows, shop)
    _, blocked = blocking_posts(style_rows, shop)
    marked = 0
    for sheet, model, post in INPUTS:
        if sheet is schema.SALES:  # judged as Post judges it: bare scans read as filled
            fills = _scan_fills(book, shop)
            posting = _judge(book, shop, sheet, model, post, fills.refused, fills.cells)
        else:
            posting = _judge(book, shop, sheet, model, post)
        if blocked:  # Post would leave every row, saying why: so does Validate
            marked += _say_not_posted(book, sheet, posting, blocked[0])
            continue
        session.write_statuses(book, sheet, posting, posting_done=False)
        problems += list(posting.problems)
        marked += posting.refused_rows
    book.save()
    return Outcome(
        "Validate Styles",
        f"{len(problems)} problem(s) found; {marked} input row(s) marked in Status",
        problems,
        refused=marked,
    )


INPUTS = (
    (schema.RECEIVING, models.ReceivingRow, receive_entries),
    (schema.SALES, models.SaleRow, sell_entries),
    (schema.MOVEMENTS, models.MovementRow, move_entries),
    (schema.COUNTS, models.CountRow, count_entries),
)


def clone_rows(book: Workbook, sheet: str, row: int, count: int) -> Outcome:
    """Copy one row N times, each copy with a fresh serial and the same attributes.

    Works on Items (new pieces of the same kind, before they are received) and Receiving
    (one line per piece of a serialized style). The copies go right after the row.
    """
    from addin.macros.cloning import clone

    return clone(book, sheet, row, count)


def split_receiving(book: Workbook) -> Outcome:
    """Split each serialized Receiving row of Qty N into N rows of Qty 1 with fresh serials.

    Rows already posted, and quantity styles, are left as they are.
    """
    from addin.macros.cloning import split

    return split(book)


def refresh_reports(book: Workbook, as_of: dt.date | None = None, *,
                    now: dt.datetime) -> Outcome:
    """Recompute FIFO cost, ages and margins and rewrite the Items sheet and every report.

    Report sheets say their as-of date and the Ledger's last entry and Hash, so a printed
    report ties to the ledger it came from.
    """
    from addin.macros.refreshing import refresh

    return refresh(book, now, as_of)


def verify_ledger(book: Workbook) -> Outcome:
    """Check every Ledger row against its Hash and name the first row edited by hand.

    Posted entries are never edited: a mistake is undone by a reversal. An edit shows here.
    """
    result, known = session.check_ledger(book, frame=False)
    if result.ok and known is not None:
        from addin.macros.closing import with_archive

        archived = with_archive(book, known)  # after a close: the archive too
        if archived is not None and not archived.ok:
            problem = Problem(archived.where, None, None, archived.message,
                              "put the book's own archive back beside it, as it was (from a "
                              "copy)")
            return Outcome("Verify Ledger", "The archive does not match", [problem],
                           refused=1, unusable=True)
        also = f"; {archived.message}" if archived is not None else ""
        return Outcome("Verify Ledger", f"Ledger OK: {result.checked} entries, chain "
                       f"intact{also}")
    what, _, fix = result.message.partition("; ")  # the chain names the row and the fix
    problem = Problem("Ledger", None, None, what,
                      fix or "restore the book from the backup beside it")
    return Outcome("Verify Ledger", "The Ledger was edited by hand", [problem], refused=1,
                   unusable=True)


def convert_style(book: Workbook, style: str, to: str, *, now: dt.datetime) -> Outcome:
    """Switch a style between Serialized and Quantity tracking, keeping every cost and date.

    Quantity -> Serialized makes one piece per unit on hand with a fresh serial, each keeping
    its FIFO layer's cost and receipt date; Serialized -> Quantity folds the pieces into
    layers of their own. Posted as CONVERT entries; the Styles row's Tracking is updated.
    """
    to = TRACKING_WORDS.get(" ".join(str(to).split()).casefold(), to)
    shop, problems = session.load_shop(book, now, reserved=(schema.ITEMS, schema.RECEIVING))
    shop = costed_as_posted(shop)
    styles = session.read_sheet(book, schema.STYLES).frame
    match = styles[styles["Style"].map(style_key) == style_key(style)]
    row = int(match["_row"].iloc[0]) if len(match) else None
    posting = convert_entries(shop, style, to, row=row)
    outcome = _one_change(
        book, shop, problems, posting, schema.STYLES, "Convert Style", f"{style} is now {to}"
    )
    if posting.posted_rows and to == "Serialized":
        outcome.summary += _new_tags(shop, style, posting)
    return outcome


def _new_tags(shop, style: str, posting: Posting) -> str:
    """What a conversion to serials means on the shelf: which serials the pieces now carry,
    that their tags are to be printed, and that tags from before no longer scan."""
    made = [s for s in posting.entries["serial"] if s]
    if not made:
        return ""
    said = (f". {plural(len(made), 'piece', 'pieces')} got new serials ({made[0]}"
            f"{'' if len(made) == 1 else ' to ' + made[-1]}): print their tags with Print "
            f"Tags (loupe tags {shop.book} --style {style} -o tags.pdf) and put them on")
    lf = shop.ledger
    before = lf[(lf["style"].map(style_key) == style_key(style)) & (lf["serial"] != "")]
    if len(before):
        said += (". Tags printed while it was Serialized before no longer scan (a serial is "
                 "never reused): take them off")
    return said


TRACKING_WORDS = {
    **{t.casefold(): t for t in schema.TRACKING},
    "serial": "Serialized",
    "serials": "Serialized",
    "qty": "Quantity",
}


def reverse(book: Workbook, entry: int, why: str = "", *, now: dt.datetime) -> Outcome:
    """Undo one posted Ledger entry (and the other half of its move) with REVERSAL entries:
    select its row on the Ledger, press, say why.

    A reversal of a sale brings back exactly the layers it took; a receipt can be reversed
    only while none of its stock has been sold or moved. The row that posted the entry says
    `Reversed by E..` in its Status at once. Reversing a METHOD entry gives the style back
    its old cost method from that entry's date, and its Styles row's Cost Method says so.
    """
    shop, problems = session.load_shop(book, now)
    shop = costed_as_posted(shop)
    posting = reverse_entry(shop, entry, why=why)
    if len(posting.entries):
        session.mark_undone_rows(book, shop, posting.entries)
    outcome = _one_change(
        book, shop, problems, posting, schema.LEDGER, "Reverse", f"entry {entry} reversed"
    )
    # an entry the Ledger does not hold is a bad argument, not a refused row
    outcome.unusable = not (shop.ledger["entry"] == entry).any()
    undone = shop.ledger[(shop.ledger["entry"] == entry)
                         & (shop.ledger["kind"] == EntryKind.METHOD)]
    if posting.posted_rows and len(undone):
        old, _ = party_methods(undone["party"].iloc[0])
        _write_method(book, str(undone["style"].iloc[0]), old)
        outcome.summary += f"; {undone['style'].iloc[0]} is costed by {old} again"
    return outcome


def change_method(book: Workbook, style: str, to: str, day: dt.date | None = None, *,
                  now: dt.datetime, asked: tuple[str, str] = ASKED_BY_BUTTON) -> Outcome:
    """Change a style's cost method (FIFO or Average) from a date on, as a METHOD entry.

    Entries dated before it keep their cost; from that date the stock at each location is
    costed by the new method (FIFO -> Average pools the layers at their exact value;
    Average -> FIFO keeps each unit's receipt date). Later entries that cost differently
    get COST_ADJUST entries. The Styles row's Cost Method is updated. `loupe reverse`
    undoes it. `asked`: what a problem with the method or the date calls them (the
    command's --to and --date; the button's questions by default).
    """
    shop, problems = session.load_shop(book, now)
    shop = costed_as_posted(shop)
    styles = session.read_sheet(book, schema.STYLES).frame
    match = styles[styles["Style"].map(style_key) == style_key(style)]
    row = int(match["_row"].iloc[0]) if len(match) else None
    posting = method_entries(shop, style, to, day, row=row, asked=asked)
    known = {m.casefold(): m for m in schema.COST_METHODS}.get(str(to).strip().casefold())
    outcome = _one_change(book, shop, problems, posting, schema.STYLES, "Change Method",
                          f"{style} is costed by {known or to} from "
                          f"{(day or shop.today):%Y-%m-%d}")
    # a style or method that does not exist is a bad argument, not a refused change
    outcome.unusable = shop.style(style) is None or known is None
    return outcome


def _write_method(book: Workbook, style: str, method: str) -> None:
    """Write `method` into the Cost Method cell of `style`'s Styles row."""
    styles = session.read_sheet(book, schema.STYLES).frame
    match = styles[styles["Style"].map(style_key) == style_key(style)]
    if len(match):
        book.write_cells(schema.STYLES, {"Cost Method": {int(match["_row"].iloc[0]): method}})
        book.save()


def _one_change(book, shop, problems, posting: Posting, sheet, button: str, done: str):
    """Record a one-off change (a conversion, a reversal) and say what happened."""
    session.record(book, shop, posting, sheet)
    book.save()
    summary = (
        f"{done}: {plural(len(posting.entries), 'ledger entry', 'ledger entries')} added"
        if posting.posted_rows
        else "Nothing changed:"
    )
    return Outcome(
        button,
        summary,
        problems + list(posting.problems),
        posting.posted_rows,
        posting.refused_rows,
    )


def import_stock(book: Workbook, source, *, styles=None, dry_run: bool = False,
                 day_first: bool = False, now: dt.datetime) -> Outcome:
    """Import opening stock: the pieces and layers the shop already has, from its own list.

    Tagged pieces keep their tag numbers (legacy serials), untagged pieces of serialized
    styles get fresh serials, quantity styles come in as cost layers; each OPENING entry
    keeps its original receipt date and cost. Styles the book lacks are added. A dry run,
    or a list with any problem, writes nothing and names every problem by file row.
    """
    from addin.macros.importing import import_stock as run_import

    return run_import(book, source, now, styles=styles, dry_run=dry_run, day_first=day_first)


def close_period(book: Workbook, through: dt.date | None = None, *, undo: bool = False,
                 now: dt.datetime) -> Outcome:
    """Close the books through a date: the history moves to an archive beside the book and
    the Ledger starts again from what is open, with every figure after the date unchanged.

    Every open layer and piece is carried with its cost, receipt date and vendor; the
    period lock (Books Closed Through) moves to the date. The archive is an SQLite file
    (shop.archive.sqlite) that other tools read; Verify Ledger checks it with the book.
    Reversible until the next post (`loupe close BOOK --undo`).
    """
    from addin.macros import closing

    if undo:
        return closing.undo_close(book)
    if through is None:
        raise BookError("say through which date to close the books (YYYY-MM-DD)")
    return closing.close_period(book, through, now)


BUTTONS = {
    "validate_styles": validate_styles,
    "clone_rows": clone_rows,
    "post_receipts": post_receipts,
    "post_sales": post_sales,
    "post_movements": post_movements,
    "post_counts": post_counts,
    "print_tags": print_tags,
    "count_by_scan": count_by_scan,
    "refresh_reports": refresh_reports,
    "verify_ledger": verify_ledger,
    "convert_style": convert_style,
    "change_method": change_method,
    "import_stock": import_stock,
    "close_period": close_period,
    "reverse": reverse,
}

__all__ = ["BUTTONS", "BookError", "LedgerTampered", "Outcome", *BUTTONS]
