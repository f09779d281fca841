"""The RunPython entry point: what a Loupe ribbon button runs inside Excel.

Each ribbon callback in the template's VBA sends one line to Python::

    RunPython "import addin.macros.entry as e; e.run('post_receipts')"

`run` finds the book that pressed the button (``xw.Book.caller()``), wraps it in the live
adapter, asks what the button needs to know (Clone Rows: how many copies of the selected
rows; Convert Style: which style, confirmed with its new tracking), runs the macro of
`buttons.BUTTONS` and tells the user what happened: problems in the Status cells of their
rows (the macro writes those) and ONE message box with the summary. A Python traceback
never reaches the user: it goes to ``<book>.loupe.log`` beside the book, and the message
box says so. While the macro runs, Excel's screen updating is off, calculation is
manual and the status bar shows progress; all three come back however the press ends.

Everything that touches Excel can be handed in, so tests drive `run` with a stand-in:
``run("post_receipts", caller=fake_book, ask=lambda prompt, title, default: "3")``. So can
the time of the press (``now=``): it is read from the computer's clock here, once, and
handed to the button.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from addin.core.errors import BookError, LoupeError
from addin.macros import buttons
from addin.session import Outcome
from addin.sheets import schema
from addin.workbook.live import LiveBook, press, recalculate
from addin.workbook.live.log import append_log, log_path
from addin.workbook.reader.tables import typed_table

Ask = Callable[[str, str, str], "str | None"]  # (prompt, title, default) -> answer; None = Cancel

LABELS = {
    "validate_styles": "Validate Styles",
    "clone_rows": "Clone Rows",
    "post_receipts": "Post Receipts",
    "post_sales": "Post Sales",
    "post_movements": "Post Movements",
    "post_counts": "Post Counts",
    "refresh_reports": "Refresh Reports",
    "verify_ledger": "Verify Ledger",
    "convert_style": "Convert Style",
    "change_method": "Change Method",
    "import_stock": "Import Stock",
    "print_tags": "Print Tags",
    "count_by_scan": "Count by Scan",
    "close_period": "Close Period",
    "reverse": "Reverse Entry",
}
SHOWN_PROBLEMS = 8  # problems listed in the message box; the rest are in Status cells
MESSAGE_LIMIT = 1000  # Excel's message box shows about 1,024 characters
MOST_ROWS_CLONED = 100  # rows that may be selected for one Clone Rows


class Cancelled(Exception):
    """The user pressed Cancel (or No) on a question: nothing is done, nothing is said."""


def run(name: str, *, caller=None, ask: Ask | None = None,
        now: dt.datetime | None = None) -> Outcome | None:
    """Run the ribbon button `name` on the calling book; never raises.

    `caller` is the xlwings Book (default: ``xw.Book.caller()``); `ask` shows an input box
    (default: Excel's own); `now` is when the press happens (default: the computer's
    clock). Returns the Outcome, or None when nothing ran (cancelled or failed; the user was
    told either way).
    """
    now = now or dt.datetime.now().replace(microsecond=0)
    try:
        xw_book = caller if caller is not None else _caller()
    except Exception:  # not started from Excel: nobody to show a box to
        append_log(Path.home() / "loupe.log", f"{name}: no calling book\n"
                    + traceback.format_exc())
        return None
    label = LABELS.get(name, name)
    live = None
    try:
        with press(xw_book, label) as progress:
            live = LiveBook(xw_book, progress)
            outcome = _press(name, live, xw_book, ask or ask_in_excel(xw_book), now)
            live.save()
    except Cancelled:
        return None
    except Exception as exc:
        _tell_failure(xw_book, label, exc, live)
        return None
    _after(xw_book, live, outcome)
    return outcome


def _caller():
    import xlwings as xw

    return xw.Book.caller()


def _press(name: str, live: LiveBook, xw_book, ask: Ask, now: dt.datetime) -> Outcome:
    if name not in buttons.BUTTONS:
        raise BookError(f"Loupe has no button {name!r}; the workbook's VBA names one of "
                        f"{', '.join(buttons.BUTTONS)}. Rebuild the book from the template")
    button = buttons.BUTTONS[name]
    if name == "clone_rows":
        return _clone(live, xw_book, ask)
    if name == "convert_style":
        return button(live, *_conversion(live, xw_book, ask), now=now)
    if name == "change_method":
        return button(live, *_method_change(live, xw_book, ask, now), now=now)
    if name == "import_stock":
        return _import(live, xw_book, ask, now)
    if name == "print_tags":
        return _print_tags(live, xw_book, now)
    if name == "count_by_scan":
        return _count_by_scan(live, ask, now)
    if name == "close_period":
        return _close_period(live, ask, now)
    if name == "reverse":
        return button(live, *_reversal(xw_book, ask), now=now)
    if name == "post_receipts":
        return _offer_tags(button(live, now=now), live, xw_book, now)
    if name == "verify_ledger":  # the one press that needs no clock
        return button(live)
    return button(live, now=now)


# --- Print Tags and Count by Scan -------------------------------------------------------------


def tags_file(xw_book) -> Path:
    """``<book>.tags.pdf`` beside the book (in the home folder when it has no folder)."""
    beside = log_path(xw_book)
    stem = Path(str(getattr(xw_book, "fullname", "") or "book")).stem
    return beside.with_name(f"{stem}.tags.pdf")


def _print_tags(live: LiveBook, xw_book, now: dt.datetime) -> Outcome:
    """Tags for the rows selected on Items or Receiving, else for the last Post Receipts."""
    selection = xw_book.selection
    sheet = selection.sheet.name if selection is not None else ""
    rows: tuple[int, ...] = ()
    if sheet in (schema.ITEMS.name, schema.RECEIVING.name) and selection.row > 1:
        rows = tuple(range(selection.row, selection.row + selection.shape[0]))
    outcome = buttons.print_tags(live, tags_file(xw_book), sheet=sheet if rows else "",
                                 rows=rows, now=now)
    if outcome.posted:  # no tags: no file written, and an older one is not shown
        _show_file(tags_file(xw_book))
    return outcome


def _offer_tags(outcome: Outcome, live: LiveBook, xw_book, now: dt.datetime) -> Outcome:
    """After a Post Receipts that posted, offer the tags of what was just received."""
    if not outcome.posted:
        return outcome
    question = (f"{outcome.posted} Receiving row(s) posted.\n\nPrint tags for the pieces "
                "just received?")
    answer = xw_book.app.alert(question, "Loupe: Post Receipts", buttons="yes_no")
    if str(answer).lower() != "yes":
        return outcome
    tags = buttons.print_tags(live, tags_file(xw_book), now=now)
    if tags.posted:
        _show_file(tags_file(xw_book))
    outcome.summary += f"\n{tags.summary}"
    outcome.problems += tags.problems
    return outcome


def _count_by_scan(live: LiveBook, ask: Ask, now: dt.datetime) -> Outcome:
    """The codes on the Scans sheet, reconciled against the location asked for."""
    from addin.session import read_settings

    settings, _ = read_settings(live)
    first = settings.locations[0]
    answer = ask(f"Which location did the scans on the Scans sheet count? "
                 f"({', '.join(settings.locations)})", "Loupe: Count by Scan", first)
    if answer is None or not str(answer).strip():
        raise Cancelled
    return buttons.count_by_scan(live, str(answer).strip(), source="Scans", now=now)


def _show_file(path: Path) -> None:
    """Open the tags in the PDF viewer, to print; never an error box if that fails."""
    try:
        if sys.platform.startswith("win"):
            import os

            os.startfile(path)  # type: ignore[attr-defined]
        elif sys.platform == "darwin":
            subprocess.run(["open", str(path)], check=False)
    except Exception:
        append_log(path.with_suffix(".log"), traceback.format_exc())


# --- Clone Rows -------------------------------------------------------------------------------


def _clone(live: LiveBook, xw_book, ask: Ask) -> Outcome:
    """Each selected row of Items or Receiving copied N times (N asked once)."""
    sheet, rows = _selected_rows(xw_book, ("Items", "Receiving"),
                                 "select the row(s) to copy on the Items or Receiving sheet, "
                                 "then press Clone Rows")
    if len(rows) > MOST_ROWS_CLONED:
        raise BookError(f"{len(rows)} rows are selected; select at most {MOST_ROWS_CLONED} "
                        "rows to copy")
    what = f"row {rows[0]}" if len(rows) == 1 else f"each of rows {rows[0]}-{rows[-1]}"
    answer = ask(f"How many copies of {sheet} {what}? Each copy gets a fresh serial.",
                 "Loupe: Clone Rows", "1")
    count = _whole_number(answer)
    outcomes = [buttons.clone_rows(live, sheet, row, count) for row in reversed(rows)]
    return Outcome("Clone Rows", "\n".join(o.summary for o in reversed(outcomes)),
                   [p for o in outcomes for p in o.problems],
                   sum(o.posted for o in outcomes), sum(o.refused for o in outcomes))


def _selected_rows(xw_book, sheets: tuple[str, ...], fix: str) -> tuple[str, list[int]]:
    selection = xw_book.selection
    name = selection.sheet.name if selection is not None else ""
    if name not in sheets:
        raise BookError(f"nothing to work on: {fix}")
    first = selection.row
    return name, list(range(first, first + selection.shape[0]))


def _whole_number(answer: str | None) -> int:
    if answer is None or answer is False or not str(answer).strip():
        raise Cancelled
    text = str(answer).strip()
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if not number.is_integer():
        raise BookError(f"{text!r} is not a number of copies; type a whole number, like 3")
    return int(number)


# --- Import Stock -----------------------------------------------------------------------------

PREVIEW_CHARS = 700  # of the dry run's report, in the Yes/No question


def _import(live: LiveBook, xw_book, ask: Ask, now: dt.datetime) -> Outcome:
    """Ask for the stock list, show the dry run, and import once the user says Yes."""
    title = "Loupe: Import Stock"
    answer = ask("Path of the stock list to bring in as opening stock (a .csv or a "
                 "spreadsheet; a name alone means the folder of this book):", title, "")
    if not answer or not str(answer).strip():
        raise Cancelled
    source = Path(str(answer).strip().strip('"'))
    if not source.is_absolute():
        source = Path(str(xw_book.fullname)).parent / source
    preview = buttons.import_stock(live, source, dry_run=True, now=now)
    if preview.problems:
        return preview  # nothing written; the box lists the problems by file row
    report = preview.summary.split("\n", 1)[-1][:PREVIEW_CHARS]
    question = f"{report}\n\nImport this into the book now?"
    if str(xw_book.app.alert(question, title, buttons="yes_no")).lower() != "yes":
        raise Cancelled
    return buttons.import_stock(live, source, now=now)


# --- Close Period ----------------------------------------------------------------------------


def _close_period(live: LiveBook, ask: Ask, now: dt.datetime) -> Outcome:
    """Ask through which date to close (UNDO undoes the last close), then close."""
    answer = (ask("Close the books through which date (YYYY-MM-DD)? Its history moves to the "
                  "archive beside the book; type UNDO to undo the last close.",
                  "Loupe: Close Period", "") or "").strip()
    if not answer:
        raise Cancelled
    if answer.casefold() == "undo":
        return buttons.close_period(live, undo=True, now=now)
    try:
        through = dt.date.fromisoformat(answer)
    except ValueError:
        raise BookError(f"{answer!r} is not a date; type it like 2025-12-31") from None
    return buttons.close_period(live, through, now=now)


# --- Convert Style ----------------------------------------------------------------------------

SWITCH = {"Serialized": "Quantity", "Quantity": "Serialized"}
WHAT_HAPPENS = {
    "Serialized": "Every unit on hand becomes one piece with a fresh serial, keeping the cost "
                  "and receipt date of the layer it came from.",
    "Quantity": "Every piece in stock folds into the quantity pool as a layer of its own, "
                "keeping its cost and receipt date.",
}


def _conversion(live: LiveBook, xw_book, ask: Ask) -> tuple[str, str]:
    """(style, target tracking): the style of the selected Styles row (asked otherwise),
    switched to the other tracking once the user says Yes."""
    style, tracking = _selected_style(live, xw_book)
    title = "Loupe: Convert Style"
    if not style:
        style = (ask("Which style should switch between Serialized and Quantity tracking? "
                     "Type its code (or select its row on Styles first).", title, "") or "")
        style = style.strip()
        if not style:
            raise Cancelled
        tracking = _tracking_of(live, style)
    target = SWITCH.get(tracking, "")
    if not target:
        target = (ask(f"Convert {style} to Serialized or Quantity?", title, "") or "").strip()
        if not target:
            raise Cancelled
    else:
        question = (f"Switch {style} from {tracking} to {target} tracking?\n\n"
                    f"{WHAT_HAPPENS[target]} This posts CONVERT entries to the Ledger.")
        if str(xw_book.app.alert(question, title, buttons="yes_no")).lower() != "yes":
            raise Cancelled
    return style, target


def _reversal(xw_book, ask: Ask) -> tuple[int, str]:
    """(entry, why): the entry of the selected Ledger row (asked for otherwise), confirmed
    by the user after seeing what it is, and the reason to keep with the reversal."""
    title = "Loupe: Reverse Entry"
    row = _selected_ledger_row(xw_book)
    if row is None:
        typed = (ask("Which Ledger entry should be undone? Type its number as Ledger Ref "
                     "writes it (E15), or select its row on the Ledger first.", title, "")
                 or "").strip()
        number = typed[1:] if typed[:1] in ("E", "e") else typed
        if not number:
            raise Cancelled
        if not number.strip().isdigit() or int(number) < 1:
            raise BookError(f"{typed!r} is not a Ledger entry; give it as E15 (or 15)")
        entry, what = int(number), ""
    else:
        entry, what = row
    question = (f"Undo entry E{entry}{what} with a REVERSAL?\n\nThe entry stays on the "
                "Ledger; the reversal beside it cancels it, dated as the entry is.")
    if str(xw_book.app.alert(question, title, buttons="yes_no")).lower() != "yes":
        raise Cancelled
    why = ask("Why is it undone? (kept with the reversal; may stay blank)", title, "")
    if why is None:
        raise Cancelled
    return entry, why.strip()


def _selected_ledger_row(xw_book) -> tuple[int, str] | None:
    """(entry, ' (SALE T-1, CH-301, qty -2)') of the Ledger row selected, if one is."""
    selection = xw_book.selection
    if selection is None or selection.sheet.name != schema.LEDGER.name or selection.row < 2:
        return None
    width = len(schema.LEDGER.headers)
    sheet = selection.sheet
    heads = sheet.range((1, 1), (1, width)).value or []
    cells = sheet.range((selection.row, 1), (selection.row, width)).value or []
    row = dict(zip([str(h or "").strip() for h in heads], cells, strict=False))
    number = row.get("Entry")
    if not isinstance(number, int | float) or number < 1 or number != int(number):
        return None
    parts = [str(row.get(h) or "").strip() for h in ("Kind", "Doc", "Style")]
    qty = row.get("Qty")
    told = ", ".join(p for p in [" ".join(parts[:2]).strip(), parts[2]] if p)
    told += f", qty {int(qty)}" if isinstance(qty, int | float) else ""
    return int(number), f" ({told})" if told else ""


def _selected_style(live: LiveBook, xw_book) -> tuple[str, str]:
    selection = xw_book.selection
    if selection is None or selection.sheet.name != schema.STYLES.name:
        return "", ""
    frame = typed_table(live.read_table(schema.STYLES), schema.STYLES).frame
    row = frame[frame["_row"] == selection.row]
    if row.empty:
        return "", ""
    return str(row["Style"].iloc[0]), str(row["Tracking"].iloc[0])


def _tracking_of(live: LiveBook, style: str) -> str:
    frame = typed_table(live.read_table(schema.STYLES), schema.STYLES).frame
    key = "".join(style.split()).upper()
    match = frame[frame["Style"].map(lambda s: "".join(str(s).split()).upper()) == key]
    return str(match["Tracking"].iloc[0]) if len(match) else ""


# --- Change Method ----------------------------------------------------------------------------

OTHER_METHOD = {"FIFO": "Average", "Average": "FIFO"}


def _method_change(live: LiveBook, xw_book, ask: Ask, now: dt.datetime
                   ) -> tuple[str, str, dt.date]:
    """(style, new method, from date): the style of the selected Styles row (asked
    otherwise), the other method (asked if the cell is blank), and the date asked."""
    title = "Loupe: Change Method"
    style, _ = _selected_style(live, xw_book)
    if not style:
        style = (ask("Which style should change its cost method? Type its code (or select "
                     "its row on Styles first).", title, "") or "").strip()
        if not style:
            raise Cancelled
    to = (ask(f"Cost {style} by which method from now on: FIFO or Average?", title,
              OTHER_METHOD.get(_method_of(live, style), "")) or "").strip()
    if not to:
        raise Cancelled
    answer = (ask(f"From which date (YYYY-MM-DD)? Entries before it keep their cost; later "
                  f"ones are re-costed by {to} (COST_ADJUST entries).", title,
                  f"{now:%Y-%m-%d}") or "").strip()
    if not answer:
        raise Cancelled
    try:
        return style, to, dt.date.fromisoformat(answer)
    except ValueError:
        raise BookError(f"{answer!r} is not a date; type it like 2026-03-01") from None


def _method_of(live: LiveBook, style: str) -> str:
    frame = typed_table(live.read_table(schema.STYLES), schema.STYLES).frame
    key = "".join(style.split()).upper()
    match = frame[frame["Style"].map(lambda s: "".join(str(s).split()).upper()) == key]
    return str(match["Cost Method"].iloc[0] or "") if len(match) else ""


# --- telling the user -------------------------------------------------------------------------


def message(outcome: Outcome) -> str:
    """The one message box: the summary, then the first problems (the rest are in Status)."""
    lines = [outcome.summary, *(f"Note: {n}" for n in outcome.notes)]
    if outcome.problems:
        lines += ["", f"{len(outcome.problems)} problem(s):"]
        lines += [f"- {p}" for p in outcome.problems[:SHOWN_PROBLEMS]]
        more = len(outcome.problems) - SHOWN_PROBLEMS
        if more > 0:
            lines.append(f"... and {more} more: each is in the Status column of its row.")
    text = "\n".join(lines)
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT - 1] + "…"


def _after(xw_book, live: LiveBook | None, outcome: Outcome) -> None:
    """Log the outcome, refresh the worksheet functions if the book changed, tell the user."""
    append_log(log_path(xw_book), f"{outcome.button}: {outcome.summary}\n"
                + "".join(f"  {p}\n" for p in outcome.problems))
    try:
        if live is not None and live.writes_sent and xw_book.app.calculation == "automatic":
            recalculate(xw_book)
    except Exception:  # stale function results are not worth an error box
        append_log(log_path(xw_book), traceback.format_exc())
    mode = "critical" if outcome.exit_code else "info"
    _alert(xw_book, message(outcome), f"Loupe: {outcome.button}", mode)


def _tell_failure(xw_book, label: str, exc: Exception, live: LiveBook | None) -> None:
    where = log_path(xw_book)
    append_log(where, f"{label} failed\n{traceback.format_exc()}")
    if isinstance(exc, LoupeError):
        text = f"{label} could not run: {exc}"
    else:
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        text = (f"{label} stopped on an unexpected error ({type(exc).__name__}: {first}). "
                f"The details are in {where}; please send that file to whoever looks "
                "after Loupe.")
    if live is not None and live.writes_sent:
        text += (f"\n\nLoupe stopped part-way through writing to the book ({live.writes_sent} "
                 f"of {live.writes_sent + live.waiting} changes made). Close the book "
                 "without saving to go back to how it was, then press the button again.")
    else:
        text += "\n\nNothing in the book was changed."
    _alert(xw_book, text, f"Loupe: {label}", "critical")


def _alert(xw_book, text: str, title: str, mode: str) -> None:
    try:
        xw_book.app.alert(text, title, mode=mode)
    except Exception:
        append_log(log_path(xw_book), f"could not show a message box\n{traceback.format_exc()}")


# --- asking in Excel --------------------------------------------------------------------------


def ask_in_excel(xw_book) -> Ask:
    """An input box in front of Excel: Excel's own on Windows, AppleScript's on macOS."""

    def ask(prompt: str, title: str, default: str) -> str | None:
        if sys.platform.startswith("win"):
            answer = xw_book.app.api.InputBox(prompt, title, default)
            return None if answer is False else str(answer)
        if sys.platform == "darwin":
            return _ask_on_mac(prompt, title, default)
        raise BookError("Loupe can ask questions only in Excel on Windows or macOS; "
                        "use the loupe command instead")

    return ask


def _ask_on_mac(prompt: str, title: str, default: str) -> str | None:
    quote = lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
    script = (f'tell application "Microsoft Excel" to display dialog {quote(prompt)} '
              f"default answer {quote(default)} with title {quote(title)}")
    done = subprocess.run(["osascript", "-e", script], capture_output=True, text=True)
    if done.returncode != 0:  # Cancel
        return None
    return done.stdout.split("text returned:", 1)[-1].strip()
