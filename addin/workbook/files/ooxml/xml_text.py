"""User text made safe for a workbook's XML, without changing what the user typed.

Three things can go wrong when text goes into a sheet part: markup characters (`<`, `&`,
quotes) break the XML; characters XML 1.0 forbids (control characters, unpaired
surrogates, U+FFFE/U+FFFF) make Excel refuse the file; and Excel reads any `_xHHHH_` in
a string as an escaped character, so a serial typed as `_x0041_` would come back as `A`.
Markup is escaped; in cell text a control character is written the way Excel itself
writes it (`_x000B_` for a vertical tab, `_x001D_` for a scanner's GS) and a literal
`_xHHHH_` is protected as Excel does (`_x005F_` escapes the underscore), so the text reads
back exactly as it was sealed into the Ledger's hash chain. Elsewhere (attributes,
formulas) forbidden characters are dropped; a lone surrogate, which no cell can hold, is
dropped everywhere.
"""

from __future__ import annotations

import re

from addin.sheets.schema import CELL_UNITS, cell_units

EXCEL_MAX_CHARS = CELL_UNITS  # Excel's limit for one cell (UTF-16 units); more: a repair

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EXCEL_ESCAPE = re.compile("_(x[0-9A-Fa-f]{4}_)")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\r": "&#13;",
        "\n": "&#10;",
        "\t": "&#9;",
    }
)


def clean(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry, cut to Excel's cell limit."""
    if _FORBIDDEN.search(text):
        text = _FORBIDDEN.sub("", text)
    return text[:EXCEL_MAX_CHARS]


def cell_text(text: str) -> str:
    """Element content for a string cell: Excel-escape-proof, control characters escaped
    as Excel escapes them, at most a cell's length, markup-escaped."""
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("", text)
    if len(text) > CELL_UNITS // 2 and cell_units(text) > CELL_UNITS:
        text = text.encode("utf-16-le")[: CELL_UNITS * 2].decode("utf-16-le", "ignore")
    text = _EXCEL_ESCAPE.sub(r"_x005F_\1", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text.translate(_TEXT)


def needs_preserve(text: str) -> bool:
    """Whether a <t> element must say xml:space="preserve" to keep its spaces."""
    return text != text.strip() or "\n" in text or "\t" in text


def attr(value: str) -> str:
    """An attribute value (without quotes), escaped; forbidden characters dropped."""
    return clean(value).translate(_ATTR)


def formula_text(formula: str) -> str:
    """Content of an <f> element: the formula as Excel stores it (no leading '=')."""
    return clean(formula.removeprefix("=")).translate(_TEXT)
