"""How each kind of column looks in the workbook: number formats, tab colours, error paint.

A number format is set on the whole column (so cells typed later get it) and on the
template's body cells. Text columns are formatted as Text (``@``): a style code like
``3-5`` stays a code instead of becoming a date, a serial keeps its leading zeros, and
typed ``=...`` stays text. The files adapter should give cells it writes the same formats.
"""

from __future__ import annotations

from addin.sheets.schema import UNIT_COST_FORMAT, Kind

NUMBER_FORMATS: dict[Kind, str] = {
    Kind.TEXT: "@",
    Kind.INT: "0",
    Kind.NUMBER: "0.00##",  # grams and carats: two decimals, more when typed
    Kind.MONEY: "#,##0.00",
    Kind.UNIT_COST: UNIT_COST_FORMAT,  # a unit cost: two decimals, up to 4 when typed (0.125)
    Kind.PERCENT: "0.0%",
    Kind.DATE: "yyyy-mm-dd",
    Kind.DATETIME: "yyyy-mm-dd hh:mm:ss",
}

TABLE_STYLE = "TableStyleMedium2"

# Sheet tab colour by who writes the sheet, so staff see where to type.
TAB_COLORS = {"owner": "FF4472C4", "staff": "FF70AD47", "loupe": "FFA5A5A5"}

# Excel's own "Light Red Fill with Dark Red Text".
ERROR_FILL = "FFFFC7CE"
ERROR_TEXT = "FF9C0006"
ERROR_PREFIX = "Error:"

NOTE_TEXT = "FF7F7F7F"  # grey for the notes beside Settings and xlwings.conf
