"""Loupe's worksheet functions: thin xlwings wrappers over `addin.udfs.answers`.

Type ``=LOUPE_ONHAND("CH-301")`` in any cell of the shop's book. Each function answers
from the calling book's Ledger through `AnswerCache`: a call reads the Ledger's last row
(one small range read); the whole Ledger is read and costed again only when that row or
the day has changed. A question the Ledger cannot answer shows ``#LOUPE: <what to fix>``
in the cell, never a Python traceback.

xlwings lists these in Excel's function wizard (category Loupe) with the first line of
each docstring and the `doc` of each argument. The functions read the Ledger, which
Excel cannot see as an input: Loupe's buttons ask Excel for a full recalculation after
each press that changes the book, and Ctrl+Alt+F9 does the same by hand. Worksheet
functions through xlwings work in Excel on Windows.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable
from typing import Any

import xlwings as xw

from addin import session
from addin.core.errors import BookError, LoupeError
from addin.sheets import schema
from addin.udfs.answers import Answers
from addin.udfs.cache import AnswerCache
from addin.workbook.live import LiveBook, find_table
from addin.workbook.live.log import append_log, log_path

ERROR = "#LOUPE: "
CATEGORY = "Loupe"
# the day the answers are for: the computer's, read here (ages count days from it)
CACHE: AnswerCache[Answers] = AnswerCache()


@xw.func(category=CATEGORY)
@xw.arg("style", doc="The style code, like CH-301 or RG-101.")
@xw.arg("location", doc="Optional: one place, like Vault. Blank counts the whole store.")
def LOUPE_ONHAND(style, location=None, caller=None):  # noqa: N802  (Excel's name)
    """Units of a style on hand now (pieces and units; stock out on memo left out).

    Consigned (memo-in) stock counts: it is in the store. Name a place to count only
    there; a memo place such as "Memo: Harbor Jewelers" counts what is out with them.
    Example: =LOUPE_ONHAND("CH-301", "Vault") -> 12
    """
    return _answer(caller, lambda a: a.on_hand(style, location))


@xw.func(category=CATEGORY)
@xw.arg("style_or_serial", doc="A style code (next units by FIFO) or a piece's serial.")
@xw.arg("qty", doc="Optional: how many units; blank = 1.")
@xw.arg("location", doc="Optional: one place, like Main Case. Blank = the whole store.")
def LOUPE_FIFOCOST(style_or_serial, qty=None, location=None, caller=None):  # noqa: N802
    """Cost of the next units of a style, first in first out; or a serialized piece's cost.

    The units that arrived first are taken first, exactly as a sale would take them, and
    their costs added to the cent. More units than are in stock answer #LOUPE.
    Example: =LOUPE_FIFOCOST("CH-301", 3) -> 151.50
    """
    return _answer(caller, lambda a: _dollars(a.fifo_cost(style_or_serial, qty, location)))


@xw.func(category=CATEGORY)
@xw.arg("serial_or_style", doc="A piece's serial, or a style code for its layers' age.")
def LOUPE_AGE(serial_or_style, caller=None):  # noqa: N802
    """Days in stock: a piece's age (to its sale, or to the report date), or a style's
    quantity-weighted layer age.

    The report date is Settings "Report As Of", or today when it is blank, as on the
    Items sheet. Example: =LOUPE_AGE("LP-000123K") -> 41
    """
    return _answer(caller, lambda a: a.age(serial_or_style))


@xw.func(category=CATEGORY)
@xw.arg("doc_or_serial", doc="A sale's Doc (ticket number) or a sold piece's serial.")
def LOUPE_MARGIN(doc_or_serial, caller=None):  # noqa: N802
    """Margin of a sale: price less FIFO cost of goods, for a ticket or a sold piece.

    A ticket's margin adds up every sale and return line on it; a piece's adds its sale
    and any return of it. Example: =LOUPE_MARGIN("T-2231") -> 1179.99
    """
    return _answer(caller, lambda a: _dollars(a.margin(doc_or_serial)))


@xw.func(category=CATEGORY)
@xw.arg("style", doc="A serialized style code, like RG-101.")
def LOUPE_NEXTSERIAL(style, caller=None):  # noqa: N802
    """The serial the next piece of a serialized style will get, in the Settings pattern.

    It follows the highest serial ever used in the Ledger or typed on Items or
    Receiving, so it is never one already taken. Example: =LOUPE_NEXTSERIAL("RG-101")
    """
    return _answer(caller, lambda a: a.next_serial(style, _typed_serials(caller)))


@xw.func(category=CATEGORY)
@xw.arg("style", doc="The style code whose open cost layers to list.")
def LOUPE_LAYERS(style, caller=None):  # noqa: N802
    """A style's open cost layers as a table that spills: location, received, qty, unit
    cost and age in days, in FIFO order per location.

    Format the Received column as a date. Example: =LOUPE_LAYERS("CH-301")
    """
    # A plain 2-D answer is a native dynamic array in Excel 365: it spills, and shows
    # #SPILL! rather than writing over cells in its way (xlwings' expand="table" would).
    return _answer(caller, lambda a: _layer_rows(a.layers(style)), table=True)


FUNCTIONS: tuple[Callable[..., Any], ...] = (
    LOUPE_ONHAND, LOUPE_FIFOCOST, LOUPE_AGE, LOUPE_MARGIN, LOUPE_NEXTSERIAL, LOUPE_LAYERS,
)


# --- the thin layer -----------------------------------------------------------------------


def _answer(caller, question: Callable[[Answers], Any], table: bool = False) -> Any:
    """The answer for the calling book, or "#LOUPE: ..." (a 1x1 table when `table`)."""
    try:
        if caller is None:
            raise BookError("call this from a cell of the shop's workbook")
        result = question(book_answers(caller.sheet.book))
    except LoupeError as e:
        result = ERROR + str(e)
    except Exception as e:  # a worksheet cell must never show a traceback
        _log(caller, traceback.format_exc())
        result = f"{ERROR}unexpected {type(e).__name__}; details in the book's .loupe.log"
    if table and isinstance(result, str):
        return [[result]]
    return result


def book_answers(xw_book) -> Answers:
    """The cached answers of an open book; rebuilt when its Ledger's last row changes."""
    return CACHE.answers(xw_book.fullname, lambda: ledger_tail(xw_book),
                         lambda: build_answers(xw_book, CACHE.today()))


def ledger_tail(xw_book) -> tuple:
    """The freshness token: the Ledger table's last row (its number and values)."""
    ws = xw_book.sheets[schema.LEDGER.name]
    area = find_table(ws, schema.LEDGER).range
    last = area.last_cell
    values = ws.range((last.row, area.column), (last.row, last.column)).options(ndim=2).value
    return last.row, tuple(values[0])


def build_answers(xw_book, today: dt.date) -> Answers:
    """Settings, Styles and the Ledger (its hash chain checked) read once and costed, for
    questions asked on `today`."""
    book = LiveBook(xw_book)
    settings, problems = session.read_settings(book)
    if problems:
        raise BookError("Settings need fixing first: " + "; ".join(str(p) for p in problems))
    styles, _ = session.read_styles(book)
    return Answers(session.read_ledger(book), styles, settings, today)


def _typed_serials(caller) -> list[str]:
    """Serials typed on Items and Receiving (read fresh: typing there changes no Ledger)."""
    return session.serials_on(LiveBook(caller.sheet.book), schema.ITEMS, schema.RECEIVING)


def _dollars(cents: int) -> float:
    return cents / 100


def _layer_rows(rows: list[list[Any]]) -> list[list[Any]]:
    """Unit cost (column 4, ten-thousandths) in dollars; the header row stays as it is."""
    return [rows[0]] + [[*r[:3], r[3] / 10_000, r[4]] for r in rows[1:]]


def _log(caller, text: str) -> None:
    if caller is not None:
        append_log(log_path(caller.sheet.book), text)
