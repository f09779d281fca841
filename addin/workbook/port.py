"""The Workbook port: the only things Loupe ever asks of a workbook.

A macro receives a `Workbook` and never knows whether it is a saved file (the files
adapter, headless) or a book open in Excel (the live adapter, through xlwings). Adapters
move *raw cell values* in bulk; turning them into typed, validated frames is shared code
(`addin.workbook.reader.tables`), so both adapters report bad input with the same words.

Raw values are what xlwings documents for a range read: a 2-D list whose cells are
None (empty), str, float (every number), bool, or datetime.datetime (dates).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import pandas as pd

from addin.core.costing import Books
from addin.core.errors import Problem
from addin.core.ledger.chain import Tip
from addin.sheets.schema import Sheet
from addin.workbook.layout.report_layout import Layout

Cell = Any  # None | str | float | bool | datetime.datetime


@dataclass(frozen=True)
class RawTable:
    """A table as typed by the user: its header row and body, untouched."""

    sheet: str
    header: list[Cell]  # the header cells, as found
    body: list[list[Cell]]  # one list per body row, as wide as the header
    first_row: int  # the Excel row number of the first body row


class Workbook(Protocol):
    """What a macro may do to a book. Every call is one bulk operation."""

    def sheet_names(self) -> list[str]:
        """Sheet names in workbook order."""

    def read_table(self, sheet: Sheet) -> RawTable:
        """The sheet's Excel Table, header and body. Raises BookError if the sheet is missing."""

    def write_cells(self, sheet: Sheet, updates: dict[str, dict[int, Cell]]) -> None:
        """Set cells by header and Excel row number, e.g. Status and Ledger Ref after posting."""

    def append_rows(self, sheet: Sheet, rows: list[list[Cell]]) -> None:
        """Add rows (in header order) after the table's last row; the table grows to hold them."""

    def replace_rows(self, sheet: Sheet, rows: list[list[Cell]]) -> None:
        """Replace the whole table body (header order); formula columns of the schema are
        filled with their formulas; the table is resized."""

    def set_items_as_of(self, day: dt.date | None) -> None:
        """The day the Items sheet's Age formulas count to: the date a Refresh was given
        (`loupe refresh --as-of`), or None (Settings Report As Of, else today)."""

    def add_columns(self, sheet: Sheet, headers: list[str]) -> None:
        """Add empty columns headed `headers` at the right end of the sheet's table (a book
        made from an earlier template lacks them, `schema.ADDED_COLUMNS`); every cell typed
        stays where it is. Raises BookError when the cells there are not empty."""

    def write_report(self, layout: Layout) -> Problem | None:
        """Replace the report sheet `layout.sheet` with the whole layout: values, live
        formulas, number formats, column widths, print setup and charts (`report_look`).
        A missing sheet is added after the last one. Only Loupe's own report sheet is
        replaced: a sheet of that name that is the owner's, or that carries a picture, a
        shape or a table of the owner's, is left as it is and the Problem returned."""

    def save(self) -> None:
        """Make the press's changes durable, once per press: the files adapter replaces the
        file atomically (the backup is the book as it was before the press); the live
        adapter sends its queued writes to Excel (the user saves in Excel)."""


@dataclass(frozen=True)
class KnownLedger:
    """A Ledger frame that verified in full, and where it starts on the sheet and chain."""

    frame: pd.DataFrame  # the core's ledger frame (`ledger.COLUMNS`)
    first_row: int  # the Excel row of its first entry
    anchor: Tip | None = None  # the entry it continues from (None: it starts at entry 1)

    @property
    def entries(self) -> int:
        """How many entries it holds."""
        return len(self.frame)

    @property
    def tip(self) -> Tip | None:
        """Its last entry and Hash, or the anchor when it holds no entries."""
        if self.frame.empty:
            return self.anchor
        last = self.frame.iloc[-1]
        return Tip(int(last["entry"]), str(last["hash"]))


@runtime_checkable
class LedgerMemory(Protocol):
    """What an adapter may add to the port to spare a press re-reading an unchanged Ledger.

    Optional: `session.checked_ledger` uses it when the book offers it and reads the Ledger
    in full otherwise. The files adapter offers it (`files/ledger_memory.py`).
    """

    def ledger_tip(self) -> Tip | None:
        """The last entry number and Hash recorded in the book when the Ledger was last
        written (None when the book has no such record)."""

    def known_ledger(self, anchor: Tip | None, *, frame: bool = True) -> KnownLedger | None:
        """The Ledger as last verified, when the book provably holds it unchanged (its
        frame may be built only when first asked for; `frame` False: the caller will
        likely not ask, so nothing beyond its entries and tip need be read now)."""

    def remember_ledger(self, known: KnownLedger) -> None:
        """Keep a Ledger that has just verified in full, for the presses that follow."""


@runtime_checkable
class CostingMemory(Protocol):
    """What an adapter may add beside `LedgerMemory`: the Books of the Ledger it remembers,
    so a press on an unchanged Ledger need not cost it all again.

    Optional, like `LedgerMemory`: `session.load_shop` costs the Ledger when the book has
    nothing to offer. Books are only ever offered for a Ledger the book proves unchanged,
    costed by the same methods, and a book that cannot prove it offers none.
    """

    def known_costing(self, methods: dict[str, str]) -> Books | None:
        """The Books of the Ledger `known_ledger` gave, when they were remembered for it
        and costed by exactly `methods`; else None (cost it)."""

    def remember_costing(self, methods: dict[str, str], books: Books, tip: Tip | None) -> None:
        """Keep `books`, the Books by `methods` of the Ledger ending at `tip`, for the
        presses that follow (kept only when the Ledger the book remembers ends there)."""
