"""Loupe's exceptions: one small tree, raised by the core and translated at the edges.

    LoupeError                      anything Loupe refuses, with a message a shop can act on
    ├── BookError                   the workbook itself cannot be used (not an xlsx, sheet
    │                               missing, header renamed, locked by another run)
    ├── InputError                  one typed row is wrong; carries sheet, row, column, fix
    ├── StockError                  the ledger cannot give what a row asks (oversell, serial
    │                               not in stock, nothing to return)
    └── LedgerTampered              a Ledger row no longer matches its Hash

The core mostly *returns* problems (see `Problem`) so that one bad row never stops the
others; it raises only when it cannot go on. The CLI, macros and UDFs turn both into
Status cells, a message box, or an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one typed cell or row, said so a bookkeeper can fix it."""

    sheet: str
    row: int | None  # the Excel row number the user sees; None = the whole sheet
    column: str | None
    message: str  # what is wrong, quoting the value
    fix: str  # what to do about it

    def __str__(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}; {self.fix}"

    @property
    def status(self) -> str:
        """The text written into the row's Status cell."""
        col = f"{self.column}: " if self.column else ""
        return f"Error: {col}{self.message}; {self.fix}"


class LoupeError(Exception):
    """Base of everything Loupe refuses."""


class BookError(LoupeError):
    """The workbook cannot be used as it is."""


class InputError(LoupeError):
    """A typed row is wrong."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


class StockError(LoupeError):
    """The stock on the ledger cannot satisfy what a row asks."""


class LedgerTampered(LoupeError):
    """A Ledger row was edited by hand: its Hash no longer matches."""

    def __init__(self, entry: int, row: int, message: str):
        super().__init__(message)
        self.entry = entry
        self.row = row
