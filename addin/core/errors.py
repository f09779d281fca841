"""Loupe's exceptions: one small tree, raised by the core and translated at the edges.

    LoupeError                      anything Loupe refuses, with a message a shop can act on
    ├── BookError                   the workbook itself cannot be used (not an xlsx, sheet
    │   │                           missing, header renamed, locked by another run)
    │   └── TemplateMissing         (template) this install has no template to copy
    ├── InputError                  a value given to Loupe cannot be used (a Serial Pattern
    │                               or Prefix, a Qty to split, an export choice); also a
    │                               ValueError, so code that parses values may catch it so
    ├── LedgerTampered              a Ledger row no longer matches its Hash
    ├── Unanswerable                (udfs) a worksheet function's question the Ledger cannot
    │                               answer; shown as #LOUPE: <fix> in the cell
    └── BuildError                  (template) the template cannot be built
        ├── RibbonError             a ribbon macro or its docstring is missing
        └── VbaBuildError           vbaProject.bin did not come out as its sources

The core mostly *returns* problems (see `Problem`) so that one bad row never stops the
others; it raises only when it cannot go on. The CLI, macros and UDFs turn both into
Status cells, a message box, or an exit code; the CLI exits 2 on any LoupeError.

Exceptions outside the tree never reach a user: the files adapter's `NotAZip` and
`NotASheet` and Settings' `BadValue` are caught where they are raised and become a
BookError or a Problem; the ribbon entry point's `Cancelled` is the user pressing Cancel.
"""

from __future__ import annotations

from dataclasses import dataclass

from addin.sheets.schema import CELL_UNITS, cell_units


def _cut_units(text: str, units: int) -> str:
    """The longest start of `text` of at most `units` UTF-16 units (never half an emoji)."""
    raw = text.encode("utf-16-le", "surrogatepass")[: max(units, 0) * 2]
    return raw.decode("utf-16-le", "ignore")


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
        """The text written into the row's Status cell: never more than a cell holds (a
        message quoting a very long value is shortened there, the fix kept whole)."""
        col = f"{self.column}: " if self.column else ""
        text = f"Error: {col}{self.message}; {self.fix}"
        over = cell_units(text) - CELL_UNITS
        if over <= 0:
            return text
        message = _cut_units(self.message, cell_units(self.message) - over - 1) + "\u2026"
        return f"Error: {col}{message}; {self.fix}"


class LoupeError(Exception):
    """Base of everything Loupe refuses."""


class BookError(LoupeError):
    """The workbook cannot be used as it is."""


class InputError(LoupeError, ValueError):
    """A value given to Loupe cannot be used; the message says how to write it."""


class BuildError(LoupeError):
    """The workbook template cannot be built from its sources."""


class LedgerTampered(LoupeError):
    """A Ledger row was edited by hand: its Hash no longer matches."""

    def __init__(self, entry: int, row: int, message: str):
        super().__init__(message)
        self.entry = entry
        self.row = row
