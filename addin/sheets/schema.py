"""The workbook's contract: every sheet, its Excel Table name and its header texts.

This module is the single source of truth for sheet and header names. The template build,
both adapters, the readers' validation and the architecture tests all read it; nothing
else spells a header. It imports nothing from Excel libraries, so the core may use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """The type of a column: how it is read, validated, formatted and written."""

    TEXT = "text"
    INT = "int"  # whole quantities
    NUMBER = "number"  # decimals that are not money (grams, carats)
    MONEY = "money"  # currency, exact to the cent
    # an amount per piece, as typed to 4 decimals: a Unit Cost or Unit Price (a jump ring:
    # 0.125); a line is worth Qty x it, rounded to the cent once
    UNIT_COST = "unit_cost"
    PERCENT = "percent"
    DATE = "date"
    DATETIME = "datetime"


# How a unit cost or price shows wherever Loupe writes one (template, Ledger, Receiving,
# reports):
# two decimals, up to 4 when the cost has them (0.125 shows 0.125, 12.5 shows 12.50).
UNIT_COST_FORMAT = "#,##0.00##"


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    choices: tuple[str, ...] = ()  # allowed values (a dropdown in the template)
    required: bool = False
    width: float = 14
    formula: bool = False  # a live Excel formula column, written by Loupe


@dataclass(frozen=True)
class Sheet:
    name: str
    table: str  # the Excel Table (ListObject) name
    columns: tuple[Column, ...]
    written_by: str  # "owner", "staff", "loupe"

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def column(self, header: str) -> Column:
        for c in self.columns:
            if c.header == header:
                return c
        raise KeyError(f"{self.name} has no column {header!r}")


CELL_UNITS = 32767  # the most one Excel cell holds, in UTF-16 code units (an emoji is 2)


def cell_units(text: str) -> int:
    """The length of `text` as Excel counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


TRACKING = ("Serialized", "Quantity")
COST_METHODS = ("FIFO", "Average")
YES_NO = ("Yes", "No")
TERMS = ("Owned", "Memo")
SALE_KINDS = ("Sale", "Return")
MOVEMENT_KINDS = ("Transfer", "Memo Out", "Memo Back", "Memo Return", "Vendor Return")
ITEM_STATUSES = (
    "In Stock",
    "Memo Out",
    "Sold",
    "Returned to Vendor",
    "Missing",
    "Converted",
    "Reversed",
    "Not Received",
)
LEDGER_KINDS = (
    "RECEIPT",
    "MEMO_IN",
    "SALE",
    "RETURN",
    "VENDOR_RETURN",
    "MEMO_RETURN",
    "TRANSFER",
    "MEMO_OUT",
    "MEMO_BACK",
    "ADJUST",
    "CONVERT",
    "REVERSAL",
    "COST_ADJUST",
    "OPENING",
    "METHOD",
)

T, N, M, D, DT = Kind.TEXT, Kind.NUMBER, Kind.MONEY, Kind.DATE, Kind.DATETIME
INT, UC = Kind.INT, Kind.UNIT_COST

STATUS = Column("Status", T, width=40)
LEDGER_REF = Column("Ledger Ref", T, width=12)

SETTINGS = Sheet(
    "Settings",
    "tblSettings",
    (Column("Setting", T, required=True, width=28), Column("Value", T, width=40)),
    "owner",
)

STYLES = Sheet(
    "Styles",
    "tblStyles",
    (
        Column("Style", T, required=True),
        Column("Description", T, width=30),
        Column("Category", T, required=True),
        Column("Metal", T),
        Column("Vendor", T, width=22),
        Column("Vendor Style", T),
        Column("Tracking", T, TRACKING, required=True, width=12),
        Column("Cost Method", T, COST_METHODS, width=12),
        Column("Retail Price", M),
        Column("Reorder Point", INT),
        Column("Active", T, YES_NO, width=9),
    ),
    "owner",
)

ITEMS = Sheet(
    "Items",
    "tblItems",
    (
        Column("Serial", T, required=True),
        Column("Style", T, required=True),
        Column("Description", T, width=30),
        Column("Metal Weight (g)", N),
        Column("Karat", T, width=8),
        Column("Stone", T),
        Column("Carat", N, width=8),
        Column("Size", T, width=8),
        Column("Cost", M),
        Column("Retail Price", M),
        Column("Received", D, width=12),
        Column("Vendor", T, width=22),
        Column("Location", T, width=22),  # "Memo: <party>" while out on memo
        Column("Status", T, ITEM_STATUSES, width=19),
        Column("Sold Date", D, width=12),
        Column("Sold Price", M),
        Column("Age (days)", INT, width=10, formula=True),
        Column("Margin", M, formula=True),
        Column("RFID Tag", T, width=26),  # the EPC of the piece's RFID tag, when it has one
    ),
    "loupe",
)

RECEIVING = Sheet(
    "Receiving",
    "tblReceiving",
    (
        Column("Date", D, required=True, width=12),
        Column("Doc", T, required=True),
        Column("Vendor", T, width=22),
        Column("Style", T, required=True),
        Column("Qty", INT, required=True, width=8),
        Column("Unit Cost", UC, required=True),
        Column("Serial", T),
        Column("Location", T),
        Column("Terms", T, TERMS, width=10),
        Column("Note", T, width=30),
        STATUS,
        LEDGER_REF,
    ),
    "staff",
)

SALES = Sheet(
    "Sales",
    "tblSales",
    (
        Column("Date", D, required=True, width=12),
        Column("Doc", T, required=True),
        Column("Serial", T),
        Column("Style", T),
        Column("Qty", INT, required=True, width=8),
        Column("Unit Price", UC, required=True),
        Column("Customer", T, width=20),
        Column("Location", T),
        Column("Kind", T, SALE_KINDS, width=10),
        STATUS,
        LEDGER_REF,
    ),
    "staff",
)

MOVEMENTS = Sheet(
    "Movements",
    "tblMovements",
    (
        Column("Date", D, required=True, width=12),
        Column("Doc", T, required=True),
        Column("Kind", T, MOVEMENT_KINDS, required=True, width=14),
        Column("Serial", T),
        Column("Style", T),
        Column("Qty", INT, width=8),  # blank with a Serial: the one piece
        Column("From", T),
        Column("To", T),
        Column("Party", T, width=22),
        Column("Due Date", D, width=12),
        STATUS,
        LEDGER_REF,
    ),
    "staff",
)

COUNTS = Sheet(
    "Counts",
    "tblCounts",
    (
        Column("Count Date", D, required=True, width=12),
        Column("Location", T, required=True),
        Column("Serial", T),
        Column("Style", T),
        Column("Counted Qty", INT, required=True, width=12),
        Column("Expected Qty", INT, width=12),
        Column("Variance", INT, width=10),
        STATUS,
        LEDGER_REF,
    ),
    "staff",
)

SCANS = Sheet(
    "Scans",
    "tblScans",
    (Column("Code", T, width=26), Column("Scanned At", DT, width=18)),
    "staff",
)

RECONCILIATION_RESULTS = (
    "Missing",
    "Booked elsewhere",
    "Sold / memo / gone",
    "Unknown code",
    "Misscan",
    "Duplicate scan",
    "Quantity variance",
    "Quantity counted",
    "Counted",
)

COUNT_RECONCILIATION = Sheet(
    "Count Reconciliation",
    "tblCountReconciliation",
    (
        Column("Count Date", D, width=12),
        Column("Location", T),
        Column("Result", T, RECONCILIATION_RESULTS, width=18),
        Column("Code", T, width=26),
        Column("Serial", T),
        Column("Style", T),
        Column("Booked At", T),
        Column("Expected Qty", INT, width=12),
        Column("Counted Qty", INT, width=12),
        Column("Variance", INT, width=10),
        Column("Action", T, width=11),
        Column("Accept", T, YES_NO, width=9),
        Column("Note", T, width=42),  # "no piece, style or RFID tag on the books"
        Column("Scan Lines", T, width=14),
        STATUS,
    ),
    "loupe",
)

LEDGER = Sheet(
    "Ledger",
    "tblLedger",
    (
        Column("Entry", INT, width=8),
        Column("Posted At", DT, width=18),
        Column("Date", D, width=12),
        Column("Kind", T, LEDGER_KINDS),
        Column("Doc", T),
        Column("Style", T),
        Column("Serial", T),
        Column("Qty", INT, width=8),
        Column("Unit Cost", UC),
        Column("Unit Price", UC),
        Column("Location", T),
        Column("Party", T, width=22),
        Column("Cost of Goods", M),
        Column("Reverses", INT, width=10),
        Column("Hash", T, width=20),
    ),
    "loupe",
)

DATA_SHEETS: tuple[Sheet, ...] = (
    SETTINGS,
    STYLES,
    ITEMS,
    RECEIVING,
    SALES,
    MOVEMENTS,
    COUNTS,
    LEDGER,
    SCANS,
    COUNT_RECONCILIATION,
)

# Sheets people type into: rows typed right under their Table (a paste, LibreOffice, a
# script, Excel with table auto-expansion off) are taken into the Table, never skipped.
# Columns a book made from an earlier template lacks: a press adds each at the right end of
# its sheet's table (headed as here, empty), every typed cell staying where it is.
ADDED_COLUMNS: dict[str, tuple[str, ...]] = {
    ITEMS.name: ("RFID Tag",),
}

TYPED_SHEETS: tuple[Sheet, ...] = (SETTINGS, STYLES, RECEIVING, SALES, MOVEMENTS, COUNTS)
INPUT_SHEETS: tuple[Sheet, ...] = (RECEIVING, SALES, MOVEMENTS, COUNTS)

# Settings rows the template ships, with their defaults and what each means.
DEFAULT_SETTINGS: tuple[tuple[str, str, str], ...] = (
    ("Store Name", "My Jewelry Store", "Printed on every report"),
    ("Serial Pattern", "{prefix}-{seq:06d}{check}",
     "How new serial IDs look; {check} is a check character"),
    ("Serial Prefix", "LP", "Letters that start every serial ID"),
    ("Ageing Buckets", "90,180,365,730", "Upper day limits of the age buckets"),
    ("Markdown Tiers", "365:10%,540:20%,730:30%", "Age in days : suggested markdown"),
    ("Default Cost Method", "FIFO", "FIFO or Average, for styles that leave Cost Method blank"),
    ("Locations", "Main Case,Vault,Window", "Comma-separated locations; the first is the default"),
    ("Allow Negative Stock", "No", "Yes lets sales take stock not yet received"),
    ("Report As Of", "", "Blank = today; a date fixes reports and ages to that day"),
    ("Shop Opened", "2015-01-01", "Dates before this are refused as typos"),
    ("Currency", "USD", "Shown on reports"),
    ("Books Closed Through", "",
     "Blank = all open; rows dated on or before this date are refused, its figures never change"),
    ("Tag Layout", "letter-30",
     "Label stock for Print Tags: letter-30, a4-24, label-2x1 or jewelry-2.2x0.5"),
    ("Cost Code", "",
     "Ten different letters for the digits 1-9 and 0 (like BLACKHORSE): prints the cost "
     "on tags; blank = no cost on tags"),
)
