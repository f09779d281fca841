"""The body of a report table as worksheet rows, built column by column.

A report's body rows grow with the ledger (a sale line per sale, a layer piece per sale),
so they are written per column with pandas string operations, never cell by cell: each
column of the section's frame becomes the `<c>` elements of its cells (style, value, and
for a formula column the formula plus Python's figure as the cached value), the columns
are concatenated into rows, and the rows come out as text. Text is escaped exactly as
`xml_text.cell_text` escapes it (rows holding rare characters go through it one by one).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from addin.sheets.schema import Kind
from addin.workbook.a1 import letters
from addin.workbook.files.ooxml.xml_text import EXCEL_MAX_CHARS, cell_text, formula_text
from addin.workbook.layout.report_layout import ROW_MARK, Placed

EPOCH = pd.Timestamp("1899-12-30")
# control characters, Excel escapes, and characters Excel counts twice (emoji): cell_text
_RARE = (r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff\U00010000-\U0010ffff]"
         r"|_x[0-9A-Fa-f]{4}_")


def body_rows(p: Placed, style_of, date1904: bool = False) -> list[str]:
    """`<row>` elements for the body of section `p` (at least one row in its frame)."""
    frame = p.section.frame.reset_index(drop=True)
    numbers = pd.Series(np.arange(p.first_body, p.first_body + len(frame))).astype(str)
    cells = pd.Series([""] * len(frame), dtype=object)
    for header, c in p.columns.items():
        kind = p.section.kind(header)
        style = style_of(header, kind)
        ref = f'<c r="{letters(c)}' + numbers + f'" s="{style}"'
        value, blank = _values(frame[header], kind, date1904)
        if header in p.formulas:
            formula = _formula(p.formulas[header], numbers)
            cell = np.where(
                blank,
                ref + ' t="str"><f>' + formula + "</f><v></v></c>",
                ref + "><f>" + formula + "</f><v>" + value + "</v></c>",
            )
        elif kind == Kind.TEXT:
            cell = np.where(blank, ref + "/>", ref + ' t="inlineStr"><is>' + value + "</is></c>")
        else:
            cell = np.where(blank, ref + "/>", ref + "><v>" + value + "</v></c>")
        cells = cells + pd.Series(cell, dtype=object)
    return ('<row r="' + numbers + '">' + cells + "</row>").tolist()


def _formula(compiled: str, numbers: pd.Series) -> pd.Series:
    """A row formula (ROW_MARK where the row number goes) for every row, escaped."""
    parts = formula_text(compiled).split(ROW_MARK)
    out = pd.Series([parts[0]] * len(numbers), dtype=object)
    for part in parts[1:]:
        out = out + numbers + part
    return out


def _values(col: pd.Series, kind: Kind, date1904: bool) -> tuple[pd.Series, np.ndarray]:
    """The text inside <v> (or <is>) for each cell, and which cells are blank."""
    col = col.reset_index(drop=True)
    if kind == Kind.TEXT:
        text = col.astype("str")
        blank = (text.isna() | (text == "")).to_numpy()
        return _escaped(text.fillna("")), blank
    if kind in (Kind.DATE, Kind.DATETIME):
        stamps = pd.to_datetime(col)
        epoch = pd.Timestamp("1904-01-01") if date1904 else EPOCH
        days = (stamps - epoch) / pd.Timedelta(days=1)
        whole = days.round().where(days == days.round())
        text = whole.astype("Int64").astype(str).where(whole.notna(), days.astype(str))
        # a column with no date at all must still be text, or joining it fails
        return text.fillna("").astype(object), stamps.isna().to_numpy()
    numbers = pd.to_numeric(col, errors="coerce")
    blank = numbers.isna().to_numpy()
    if kind == Kind.MONEY:
        cents = numbers.fillna(0).astype("int64")
        sign = np.where(cents < 0, "-", "")
        whole = (cents.abs() // 100).astype(str)
        return (sign + whole + "." + (cents.abs() % 100).astype(str).str.zfill(2)), blank
    if kind == Kind.UNIT_COST:  # ten-thousandths -> dollars, exactly
        units = numbers.fillna(0).astype("int64")
        sign = np.where(units < 0, "-", "")
        whole = (units.abs() // 10_000).astype(str)
        return (sign + whole + "." + (units.abs() % 10_000).astype(str).str.zfill(4)), blank
    if kind == Kind.INT:
        return numbers.fillna(0).astype("int64").astype(str), blank
    return numbers.fillna(0).astype("float64").astype(str), blank


def _escaped(text: pd.Series) -> pd.Series:
    """`<t>` elements for text, escaped as `cell_text` escapes (vectorized for plain text)."""
    rare = text.str.contains(_RARE, regex=True).fillna(False).to_numpy(bool)
    plain = (
        text.str.slice(0, EXCEL_MAX_CHARS)
        .str.replace("&", "&amp;", regex=False)
        .str.replace("<", "&lt;", regex=False)
        .str.replace(">", "&gt;", regex=False)
        .str.replace("\r", "&#13;", regex=False)
    )
    out = plain.astype(object)
    if rare.any():
        out[rare] = text[rare].map(cell_text)
    spaced = (
        (text != text.str.strip())
        | text.str.contains("\n", regex=False)
        | text.str.contains("\t", regex=False)
    )
    open_tag = np.where(spaced.to_numpy(bool), '<t xml:space="preserve">', "<t>")
    return open_tag + out + "</t>"
