"""Tags as ZPL II, for Zebra-class thermal printers (and the many that speak it).

One label format per tag: ``^XA`` ... ``^XZ``, with ``^CI28`` (field data is UTF-8),
``^PW``/``^LL`` (label width and length in dots), ``^LH0,0`` (home), then fields: the
barcode (``^BC`` Code 128, or ``^BQ`` QR on a jewelry tag) and the text lines (``^A0``,
the printer's scalable font), each ``^FO`` x,y ``^FD`` data ``^FS``. Text fields are
sent with ``^FH``: every character that ZPL would read as a command (``^`` and ``~``),
the escape character itself (``_``) and everything outside plain ASCII (``€``, ``é``)
travels as its UTF-8 bytes in ``_XX`` hex, so a description can never break the format.
"""

from __future__ import annotations

from collections.abc import Sequence

from addin.core.reports.tagging import Tag
from addin.core.rows.tag_layouts import INCH, Layout

DPI = 203  # 8 dots/mm: the common Zebra print head (300 dpi heads scale with --dpi)
ESCAPE = "_"  # the ^FH hex indicator (ZPL's default)
PLAIN = set(map(chr, range(0x20, 0x7F))) - {"^", "~", ESCAPE}


def tags_zpl(tags: Sequence[Tag], layout: Layout, *, dpi: int = DPI) -> str:
    """The ZPL of `tags` on `layout`'s label size, one ^XA...^XZ format per tag."""
    return "".join(_format(tag, layout, dpi) for tag in tags)


def hex_field(text: str) -> str:
    """`text` as ^FH field data: plain ASCII as it is, the rest as _XX UTF-8 bytes."""
    return "".join(
        ch if ch in PLAIN else "".join(f"{ESCAPE}{b:02X}" for b in ch.encode("utf-8"))
        for ch in text
    )


def _dots(points: float, dpi: int) -> int:
    return round(points / INCH * dpi)


def _format(tag: Tag, layout: Layout, dpi: int) -> str:
    width, height = (_dots(v, dpi) for v in layout.label)
    d = dpi / DPI  # scale the design (made at 203 dpi) to the head
    out = ["^XA", "^CI28", f"^PW{width}", f"^LL{height}", "^LH0,0"]
    if layout.wings:
        out += _jewelry_fields(tag, width, height, d)
    else:
        out += _label_fields(tag, width, height, d)
    out += ["^PQ1", "^XZ"]
    return "\n".join(out) + "\n"


def _label_fields(tag: Tag, width: int, height: int, d: float) -> list[str]:
    pad = round(8 * d)
    bar_h = round(height * 0.34)
    out = [f"^FO{pad},{pad}^BY{max(1, round(2 * d))},3,{bar_h}"
           f"^BCN,{bar_h},N,N,N,A^FH{ESCAPE}^FD{hex_field(tag.code)}^FS"]
    y = pad + bar_h + round(6 * d)
    lines = [(tag.code, 20), (tag.style_line, 18), (tag.description, 16)]
    y = _lines(out, lines, pad, y, d)
    right = round(width * 0.62)
    _lines(out, [(tag.price, 26)], right, pad, d)
    details = [(t, 16) for t in (*tag.details, tag.cost_code)]
    _lines(out, details, right, pad + round(32 * d), d)
    return out


def _jewelry_fields(tag: Tag, width: int, height: int, d: float) -> list[str]:
    mag = max(1, round(2 * d))
    out = [f"^FO{round(4 * d)},{round(4 * d)}^BQN,2,{mag}^FH{ESCAPE}^FDMA,{hex_field(tag.code)}^FS"]
    text_x = round(height * 0.95)
    _lines(out, [(tag.price, 18), (tag.code, 14), (tag.cost_code, 14)], text_x,
           round(6 * d), d)
    lines = [(tag.style_line, 14), (tag.description, 12), *((t, 12) for t in tag.details)]
    _lines(out, lines[:6], width // 2 + round(6 * d), round(4 * d), d)
    return out


def _lines(out: list[str], lines, x: int, y: int, d: float) -> int:
    """Text fields downward from (x, y), blanks skipped; returns the next free y."""
    for text, size in lines:
        if not text:
            continue
        h = round(size * d)
        out.append(f"^FO{x},{y}^A0N,{h},{h}^FH{ESCAPE}^FD{hex_field(text)}^FS")
        y += h + round(3 * d)
    return y
