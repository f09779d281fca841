"""User text made safe for a workbook's XML, without changing what the user typed.

Three things can go wrong when text goes into a sheet part: markup characters (`<`, `&`,
quotes) break the XML; characters XML 1.0 forbids (control characters, unpaired
surrogates, U+FFFE/U+FFFF) make Excel refuse the file; and Excel reads any `_xHHHH_` in
a string as an escaped character, so a serial typed as `_x0041_` would come back as `A`.
Markup is escaped, forbidden characters are dropped (nothing else is), and a literal
`_xHHHH_` is protected the way Excel itself does it (`_x005F_` escapes the underscore).
"""

from __future__ import annotations

import re

EXCEL_MAX_CHARS = 32767  # Excel's limit for one cell; longer text makes it repair the file

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EXCEL_ESCAPE = re.compile("_(x[0-9A-Fa-f]{4}_)")
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
    """Element content for a string cell: cleaned, Excel-escape-proof, markup-escaped."""
    text = _EXCEL_ESCAPE.sub(r"_x005F_\1", clean(text))
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
