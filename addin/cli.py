"""`loupe`: every ribbon button, headless, on a saved workbook.

Each command opens the book with the files adapter (locked, saved atomically) and runs the
same macro the ribbon runs. This layer only parses arguments, shows progress and turns
outcomes into printed problems and an exit code:

    0  all done
    1  done, but some rows were refused (they carry `Error: ...` in Status)
    2  the book or the command could not be used (nothing was changed)

No Python traceback ever reaches the user: anything unforeseen is written to
`<book>.loupe.log` beside the book and reported in one line, with exit code 2.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from addin.core.errors import LoupeError
from addin.core.money import fmt_unit_cost
from addin.macros import buttons
from addin.session import Outcome

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Loupe: jewelry inventory in one Excel workbook, from the command line.",
)
post_app = typer.Typer(no_args_is_help=True, help="Post an input sheet to the Ledger.")
template_app = typer.Typer(no_args_is_help=True, help="The workbook template.")
excel_app = typer.Typer(no_args_is_help=True,
                        help="Desktop Excel: set a book up for this computer, or let Excel "
                             "write its VBA.")
app.add_typer(post_app, name="post")
app.add_typer(template_app, name="template")
app.add_typer(excel_app, name="excel")
out = Console()
err = Console(stderr=True)

BOOK = typer.Argument(..., help="The shop's workbook (.xlsm)", show_default=False)
AS_OF = typer.Option(None, "--as-of", help="Work as of this date (YYYY-MM-DD) instead of today")


def _press_time(as_of: str | None) -> dt.datetime:
    """When this command's press happens, read here once and handed to the button: the end
    of the --as-of day; else LOUPE_NOW from the environment (an ISO date, or date and time,
    for reproducible runs); else the computer's clock. A bad value is exit code 2."""
    if as_of:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            err.print(f"--as-of {as_of!r} is not a date; use YYYY-MM-DD")
            raise typer.Exit(2) from None
        return dt.datetime.combine(day, dt.time(23, 59, 59))
    fixed = os.environ.get("LOUPE_NOW", "").strip()
    if not fixed:
        return dt.datetime.now().replace(microsecond=0)
    try:
        return dt.datetime.fromisoformat(fixed)
    except ValueError:
        raise _refuse(LoupeError(f"LOUPE_NOW={fixed!r} is not a date and time; set it like "
                                 "2026-10-31T18:00 (or 2026-10-31), or unset it")) from None


WORKBOOK_SUFFIXES = (".xlsm", ".xlsx", ".xltm", ".xltx", ".xlsb", ".xls", ".ods")


@contextmanager
def _opened(path: Path, label: str, *, writing: bool = True):
    """The book, open (and locked when the command may change it), with a progress
    spinner; a book Loupe cannot use is exit code 2, and so is anything unforeseen."""
    from addin.workbook.files import FilesBook

    with _no_traceback(path):
        with (
            out.status(f"{label} {path.name} ...", spinner="dots"),
            FilesBook.open(path, writing=writing) as book,
        ):
            yield book


def _refuse(e: LoupeError) -> typer.Exit:
    """Print a refusal (its text as written: brackets are not markup) and give exit code 2."""
    err.print(f"[red]loupe: {escape(str(e))}[/red]", highlight=False)
    return typer.Exit(2)


@contextmanager
def _no_traceback(path: Path | None):
    """Refusals become one red line and exit 2; an unforeseen error is logged, never shown."""
    try:
        yield
    except typer.Exit:
        raise
    except LoupeError as e:
        raise _refuse(e) from None
    except Exception as e:  # noqa: BLE001 -- the one place that keeps tracebacks from users
        log = _log_unforeseen(path)
        err.print(
            f"[red]loupe: something unexpected went wrong ({escape(type(e).__name__)}: "
            f"{escape(str(e))}); nothing was saved. Details are in {escape(str(log))}[/red]",
            highlight=False,
        )
        raise typer.Exit(2) from None


def _log_unforeseen(path: Path | None) -> Path:
    log = (
        path.with_name(path.name + ".loupe.log")
        if path and path.parent.is_dir()
        else Path("loupe.log")
    )
    try:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"--- {dt.datetime.now():%Y-%m-%d %H:%M:%S} loupe {' '.join(sys.argv[1:])}\n")
            f.write(traceback.format_exc())
    except OSError:
        pass
    return log


def _report(outcome: Outcome) -> None:
    """The summary, then one line per problem: sheet, row, column, what is wrong, the fix."""
    out.print(outcome.summary, highlight=False)
    for note in outcome.notes:
        out.print(f"  note: {note}", highlight=False, soft_wrap=True)
    for p in outcome.problems[:200]:
        out.print(f"  {p}", highlight=False, soft_wrap=True)
    if len(outcome.problems) > 200:
        out.print(f"  ... and {len(outcome.problems) - 200} more (each is in its Status cell)")
    raise typer.Exit(outcome.exit_code)


def _run(path: Path, label: str, button, *args, writing: bool = True, **options) -> None:
    with _opened(path, label, writing=writing) as book:
        outcome = button(book, *args, **options)
    _report(outcome)


@post_app.command("receipts")
def post_receipts(book: Path = BOOK, as_of: str = AS_OF) -> None:
    """Post the Receiving sheet (new stock in)."""
    _run(book, "Posting receipts in", buttons.post_receipts, now=_press_time(as_of))


@post_app.command("sales")
def post_sales(book: Path = BOOK, as_of: str = AS_OF) -> None:
    """Post the Sales sheet (sales and customer returns)."""
    _run(book, "Posting sales in", buttons.post_sales, now=_press_time(as_of))


@post_app.command("movements")
def post_movements(book: Path = BOOK, as_of: str = AS_OF) -> None:
    """Post the Movements sheet (transfers, memos, vendor returns)."""
    _run(book, "Posting movements in", buttons.post_movements, now=_press_time(as_of))


@post_app.command("counts")
def post_counts(book: Path = BOOK, as_of: str = AS_OF) -> None:
    """Post the Counts sheet (variances only)."""
    _run(book, "Posting counts in", buttons.post_counts, now=_press_time(as_of))


@app.command()
def validate(book: Path = BOOK, as_of: str = AS_OF) -> None:
    """Check Styles and every input sheet; mark problems in Status cells."""
    _run(book, "Validating", buttons.validate_styles, now=_press_time(as_of))


@app.command()
def clone(
    book: Path = BOOK,
    sheet: str = typer.Option(..., "--sheet", help="Items or Receiving"),
    row: int = typer.Option(..., "--row", help="Excel row number of the row to copy"),
    count: int = typer.Option(..., "--count", help="How many copies"),
) -> None:
    """Copy a row N times, each copy with a fresh serial."""
    _run(book, "Cloning rows in", buttons.clone_rows, sheet, row, count)


@app.command()
def split(book: Path = BOOK) -> None:
    """Split serialized Receiving rows of Qty N into N rows with fresh serials."""
    _run(book, "Splitting rows in", buttons.split_receiving)


@app.command()
def refresh(book: Path = BOOK, as_of: str = AS_OF) -> None:
    """Recompute costs, ages and margins; rewrite Items and the report sheets."""
    now = _press_time(as_of)
    _run(book, "Refreshing", buttons.refresh_reports, now.date() if as_of else None, now=now)


@app.command()
def verify(book: Path = BOOK) -> None:
    """Check the Ledger's hash chain; name the first row edited by hand."""
    _run(book, "Verifying", buttons.verify_ledger, writing=False)


@app.command("close")
def close_(
    book: Path = BOOK,
    through: str = typer.Option(None, "--through", help="Close the books through this date "
                                "(YYYY-MM-DD): history up to it moves to the archive"),
    undo: bool = typer.Option(False, "--undo", help="Undo the last close (only before the "
                              "next post)"),
) -> None:
    """Close the period: archive history through a date beside the book (or --undo it)."""
    if undo == bool(through):
        err.print("say either --through YYYY-MM-DD or --undo")
        raise typer.Exit(2)
    if undo:
        _run(book, "Undoing the close of", buttons.close_period, undo=True,
             now=_press_time(None))
        return
    day = _date_option(through, "--through")
    _run(book, "Closing", buttons.close_period, day, now=_press_time(None))


@app.command("history")
def history(
    book: Path = BOOK,
    serial: str = typer.Argument(..., help="A serial (or a style code)", show_default=False),
) -> None:
    """A piece's whole history, closed periods included: every entry that names it."""
    from rich.table import Table

    from addin.macros.history import piece_history

    with _opened(book, "Reading", writing=False) as b:
        frame = piece_history(b, serial)
    table = Table(title=f"{serial} in {book.name} and its archive", title_justify="left")
    for c in frame.columns:
        table.add_column(c)
    for rec in frame.to_dict("records"):
        table.add_row(*[_money(rec[c]) if c == "Cost of Goods" else
                        fmt_unit_cost(rec[c]) if c in ("Unit Cost", "Unit Price") else
                        f"{rec[c]:%Y-%m-%d}" if c == "Date" else
                        ("" if c == "Reverses" and not rec[c] else str(rec[c]))
                        for c in frame.columns])
    out.print(table)
    raise typer.Exit(0)


@app.command("chain")
def chain(
    books: list[Path] = typer.Argument(None, help="The store books (.xlsm), one per store",
                                       show_default=False),
    as_of: str = AS_OF,
    db: Path = typer.Option(None, "--db", help="Keep the chain's SQLite database in this file"),
    demo: Path = typer.Option(None, "--demo", help="First make three demo stores in this "
                              "folder, then show their chain"),
) -> None:
    """Many store books (and their archives) as one chain: valuation, margin, transfers."""
    from addin.chain import chain_view

    now = _press_time(as_of)
    with _no_traceback(None):
        if demo is not None:
            from addin.chain_demo import make_chain_demo

            with out.status(f"Making three demo stores in {demo} ...", spinner="dots"):
                books = make_chain_demo(demo)
        if not books:
            err.print("name the store books (or --demo FOLDER)")
            raise typer.Exit(2)
        day = now.date()
        with out.status("Reading the stores ...", spinner="dots"):
            view = chain_view(books, day, db)
    _show_chain(view)
    raise typer.Exit(0)


def _money(cents) -> str:
    return f"{int(cents) / 100:,.2f}"


def _show_chain(view) -> None:
    """The chain's reports as tables: valuation, margin by store, shipments between stores."""
    from rich.table import Table

    money = ("owned_in_store", "to_other_stores", "out_on_memo", "consigned_in", "owned_value",
             "revenue_cents", "cogs_cents", "margin_cents")
    titles = {"owned_in_store": "Owned in store", "to_other_stores": "To other stores",
              "out_on_memo": "Out on memo", "consigned_in": "Consigned in",
              "owned_value": "Owned value", "units_in_store": "Units in store",
              "revenue_cents": "Sales", "cogs_cents": "Cost of goods",
              "margin_cents": "Margin", "units": "Units"}
    sections = ((f"Valuation by store, as of {view.as_of:%Y-%m-%d}", view.valuation),
                (f"Margin by store, through {view.as_of:%Y-%m-%d}", view.margin))
    for title, frame in sections:
        table = Table(title=title, title_justify="left")
        for c in frame.columns:
            table.add_column(titles.get(c, c.title()), justify="left" if c == "store" else "right")
        for rec in frame.to_dict("records"):
            table.add_row(*[_money(rec[c]) if c in money else str(rec[c]) for c in frame.columns])
        total = ["Chain"] + [(_money(frame[c].sum()) if c in money else str(int(frame[c].sum())))
                             for c in frame.columns[1:]]
        table.add_row(*total, style="bold")
        out.print(table)
    ships = Table(title="Shipments between stores", title_justify="left")
    for c in ("From", "To", "Doc", "Sent", "Style", "Serial", "Qty", "Received", "Status"):
        ships.add_column(c)
    for rec in view.shipments.to_dict("records"):
        received = rec["received"] if isinstance(rec["received"], str) else ""
        ships.add_row(rec["from_store"], rec["to_store"], rec["doc"], rec["sent"][:10],
                      rec["style"], rec["serial"], str(rec["qty"]), received[:10], rec["status"])
    out.print(ships)


@app.command()
def convert(
    book: Path = BOOK,
    style: str = typer.Argument(..., help="The style code to switch"),
    to: str = typer.Option(..., "--to", help="serialized or quantity"),
    as_of: str = AS_OF,
) -> None:
    """Switch a style between serialized and quantity tracking."""
    _run(book, "Converting in", buttons.convert_style, style, to, now=_press_time(as_of))


@app.command()
def method(
    book: Path = BOOK,
    style: str = typer.Argument(..., help="The style code whose cost method changes"),
    to: str = typer.Option(..., "--to", help="FIFO or Average"),
    date: str = typer.Option(None, "--date",
                             help="Cost by the new method from this date (YYYY-MM-DD); "
                                  "default: today"),
    as_of: str = AS_OF,
) -> None:
    """Change a style's cost method from a date on; entries before it keep their cost."""
    day = _date_option(date, "--date")
    _run(book, "Changing the cost method in", buttons.change_method, style, to, day,
         now=_press_time(as_of), asked=("--to", "--date"))


@app.command()
def reverse(
    book: Path = BOOK,
    entry: str = typer.Argument(
        ..., help="The Ledger entry to undo: E15 (as Ledger Ref writes it) or 15"
    ),
    why: str = typer.Option("", "--why", help="A note kept in the reversal's Party column"),
    as_of: str = AS_OF,
) -> None:
    """Undo a posted Ledger entry with a REVERSAL (entries are never edited)."""
    number = _entry_number(entry)
    _run(book, "Reversing in", buttons.reverse, number, why, now=_press_time(as_of))


def _entry_number(text: str) -> int:
    """'E15', 'e15' or '15' -> 15; anything else is exit code 2 with a message."""
    t = text.strip()
    digits = t[1:].strip() if t[:1] in ("E", "e") else t
    if not digits.isdigit() or int(digits) < 1:
        err.print(f"loupe: {text!r} is not a Ledger entry; give it as E15 (or 15)")
        raise typer.Exit(2)
    return int(digits)


@app.command("import")
def import_(
    book: Path = BOOK,
    source: Path = typer.Argument(..., help="The shop's stock list: .csv or a spreadsheet",
                                  show_default=False),
    dry_run: bool = typer.Option(False, "--dry-run",
                                 help="Show what would be posted; write nothing"),
    styles: Path = typer.Option(None, "--styles",
                                help="A separate style list (.csv or spreadsheet)"),
    day_first: bool = typer.Option(False, "--day-first", help="Read 04/03/2019 as 4 March"),
    as_of: str = AS_OF,
) -> None:
    """Bring in the stock the shop already has (opening stock), with its tags, costs and dates."""
    _run(book, "Importing into", buttons.import_stock, source, now=_press_time(as_of),
         styles=styles, dry_run=dry_run, day_first=day_first)


class Platform(StrEnum):
    windows = "windows"
    mac = "mac"


@excel_app.command("setup")
def excel_setup(
    book: Path = BOOK,
    platform: Platform = typer.Option(None, "--for", help="windows or mac (default: this one)"),
    python: str = typer.Option(None, "--python", help="Python to write (default: this one)"),
) -> None:
    """Write this computer's Python into the book's xlwings.conf sheet; check xlwings."""
    from addin.excel_setup import setup_book

    _run(book, "Setting up", setup_book, platform=platform and platform.value, python=python)


@excel_app.command("import-vba")
def excel_import_vba(book: Path = BOOK) -> None:
    """Open the book in Excel and let Excel import Loupe's VBA modules (the fallback)."""
    from addin.excel_setup import import_vba

    try:
        outcome = import_vba(book)
    except LoupeError as e:
        raise _refuse(e) from None
    _report(outcome)


class TagFormat(StrEnum):
    pdf = "pdf"
    zpl = "zpl"


def _date_option(text: str | None, option: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        err.print(f"{option} {text!r} is not a date; use YYYY-MM-DD")
        raise typer.Exit(2) from None


def _row_numbers(text: str) -> tuple[int, ...]:
    """'5', '5-9' or '5,7,9-11' -> Excel row numbers."""
    rows: list[int] = []
    try:
        for piece in filter(None, (p.strip() for p in text.split(","))):
            first, _, last = piece.partition("-")
            rows += range(int(first), int(last or first) + 1)
    except ValueError:
        err.print(f"--rows {text!r}: write Excel row numbers like 5, 5-9 or 5,7,9-11")
        raise typer.Exit(2) from None
    return tuple(rows)


@app.command()
def tags(
    book: Path = BOOK,
    output: Path = typer.Option(..., "--output", "-o", help="The PDF or ZPL file to write"),
    doc: list[str] = typer.Option(None, "--doc", help="Receipts of this Doc (repeatable)"),
    received: str = typer.Option(None, "--received", help="Receipts of this day (YYYY-MM-DD)"),
    style: list[str] = typer.Option(None, "--style", help="Pieces of this style (repeatable)"),
    sheet: str = typer.Option("", "--sheet", help="Items or Receiving, with --rows"),
    rows: str = typer.Option("", "--rows", help="Excel rows of --sheet: 5, 5-9 or 5,7,9"),
    last: bool = typer.Option(False, "--last", help="What the last Post Receipts posted "
                              "(the default when nothing else is named)"),
    layout: str = typer.Option("", "--layout", help="letter-30, a4-24, label-2x1 or "
                               "jewelry-2.2x0.5 (default: Settings Tag Layout)"),
    fmt: TagFormat = typer.Option(None, "--format", help="pdf or zpl (default: from -o)"),
    no_cost: bool = typer.Option(False, "--no-cost", help="Leave the cost code off the tags"),
) -> None:
    """Print tags (barcode of the serial, style, details, price) to a PDF or ZPL file."""
    picked = _row_numbers(rows)
    if bool(picked) != bool(sheet):
        err.print("--sheet and --rows go together: --sheet Items --rows 5-9")
        raise typer.Exit(2)
    suffix = output.suffix.lower()
    if fmt is None and suffix not in (".pdf", ".zpl"):
        err.print(f"loupe: {output.name} is neither .pdf nor .zpl; name the file tags.pdf or "
                  "tags.zpl, or give --format pdf|zpl")
        raise typer.Exit(2)
    kind = fmt.value if fmt else suffix[1:]
    day = _date_option(received, "--received")
    now = _press_time(None)
    with _opened(book, "Making tags from") as b:
        outcome = buttons.print_tags(b, output, sheet=sheet, rows=picked,
                                     docs=tuple(doc or ()), on=day, styles=tuple(style or ()),
                                     layout=layout, fmt=kind, cost=not no_cost, now=now)
    _report(outcome)


def _scan_list(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        err.print(f"loupe: cannot read the scan list {path} ({e.strerror or e})")
        raise typer.Exit(2) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # old scanner software writes Windows text


@app.command()
def count(
    book: Path = BOOK,
    location: str = typer.Option(..., "--location", help="The location that was counted"),
    scans: Path = typer.Option(None, "--scans", help="The scanner's or RFID reader's file "
                               "(one code per line, or CSV); default: the Scans sheet"),
    date: str = typer.Option(None, "--date", help="Count date (YYYY-MM-DD); default: today"),
    as_of: str = AS_OF,
) -> None:
    """Reconcile a scan list of one location; write the Count Reconciliation sheet."""
    now = _press_time(as_of)
    day = _date_option(date, "--date")
    text = _scan_list(scans) if scans else None
    source = scans.name if scans else "Scans"
    _run(book, "Reconciling the count in", buttons.count_by_scan, location, day, text, source,
         now=now)


class What(StrEnum):
    onhand = "onhand"
    layers = "layers"
    sales = "sales"
    ledger = "ledger"
    ageing = "ageing"


class Format(StrEnum):
    csv = "csv"
    json = "json"


@app.command()
def export(
    book: Path = BOOK,
    what: What = typer.Option(..., "--what", help="onhand, layers, sales, ledger or ageing"),
    fmt: Format = typer.Option(Format.csv, "--format", help="csv or json"),
    output: Path = typer.Option(None, "--output", "-o",
                                help="File to write (default, or -: stdout)"),
    as_of: str = AS_OF,
) -> None:
    """Write machine-readable figures (sales include cost of goods and margin per line)."""
    from addin.macros.exporting import export_frame, render

    if output is not None and str(output) == "-":
        output = None
    if output is not None:
        _refuse_to_overwrite_a_workbook(book, output)
    now = _press_time(as_of)
    with _opened(book, "Reading", writing=False) as b:
        frame = export_frame(b, what.value, now=now)
    text = render(frame, fmt.value)
    if output:
        with _no_traceback(book):
            output.write_text(text, encoding="utf-8")
        err.print(f"{len(frame)} rows written to {output}")
    else:
        sys.stdout.write(text)


def _refuse_to_overwrite_a_workbook(book: Path, output: Path) -> None:
    """An export never lands on a workbook: the book itself, or any other."""
    same = output.exists() and book.exists() and os.path.samefile(output, book)
    if same or output.suffix.casefold() in WORKBOOK_SUFFIXES or _is_workbook(output):
        err.print(
            f"loupe: {output} is a workbook; an export is written to a new .csv or .json "
            f"file, never over a workbook (try -o {output.stem}-{'export'}.csv)"
        )
        raise typer.Exit(2)


def _is_workbook(path: Path) -> bool:
    import zipfile

    try:
        return path.is_file() and zipfile.is_zipfile(path)
    except OSError:
        return False


@app.command()
def new(
    book: Path = BOOK,
    demo: bool = typer.Option(False, "--demo", help="Fill a realistic demo shop"),
    seed: int = typer.Option(7, "--seed", help="Seed for the demo data"),
    force: bool = typer.Option(False, "--force", help="Replace an existing file"),
) -> None:
    """Make a fresh book from the template (--demo fills a realistic shop)."""
    from addin.demo import new_book

    if book.suffix.casefold() != ".xlsm":
        kind = book.suffix or "a file without a suffix"
        err.print(
            f"loupe: a shop book holds the Loupe ribbon's macros, so it must be a "
            f"macro-enabled .xlsm (Excel refuses macros in {kind}); "
            f"name it {book.with_suffix('.xlsm').name}"
        )
        raise typer.Exit(2)
    if book.exists() and not force:
        err.print(f"loupe: {book} exists; pick another name or pass --force")
        raise typer.Exit(2)
    with _no_traceback(book):
        summary = new_book(book, demo=demo, seed=seed)
    out.print(summary)


@template_app.command("build")
def template_build(
    path: Path = typer.Argument(
        None, help="Where to write it (default: the source checkout's template)", show_default=False
    ),
) -> None:
    """Rebuild workbook_template.xlsm from schema, ribbon XML and VBA sources (needs the
    `template` extra: ms-ovba and oletools)."""
    from addin.template.build import build_template

    with _no_traceback(path):
        written = build_template(path)
    for target in written:
        out.print(f"template written to {target}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
