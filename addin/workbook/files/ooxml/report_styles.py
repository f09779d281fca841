"""The cell formats of the report sheets, found or added in the book's styles part.

A report prints well when its title stands out, its header row is shaded, money shows as
1,234.56, percentages as 58.4%, dates as 2026-11-20 and totals sit under a rule in bold
(`report_look.LOOKS` says how each kind of cell looks; this module spells it as the styles
part's fonts, fills, borders and alignments). `report_styles(xml)` returns the styles part
with those formats present and, per role (`title`, `header`, `body:money`, `total:int`,
...), the style index a cell takes. Each
font, fill, border, number format and cell format is looked for before it is added, so
refreshing again and again never grows the style list.
"""

from __future__ import annotations

import re

from addin.sheets.schema import Kind
from addin.workbook.files.ooxml.xml_text import attr
from addin.workbook.layout.report_look import (
    ENTRY,
    FONT_NAME,
    NUMBER_FORMATS,
    WRAP,
    Font,
    Look,
    Rule,
    cell_look,
    format_code,
)

ROLES = ("title", "section", "note", "label", "header", "body", "total")


def report_styles(xml: bytes) -> tuple[bytes, dict[str, int]]:
    """The styles part with every report format in it, and role -> cell style index."""
    text = xml.decode("utf-8")
    ids: dict[str, int] = {}
    for role in ROLES:
        kinds = [*NUMBER_FORMATS, ENTRY, WRAP] if role in ("body", "total") else [Kind.TEXT]
        for kind in kinds:
            look = cell_look(role, kind)
            text, fmt = _number_format(text, format_code(kind))
            text, font_id = _find_or_add(text, "fonts", "font", font_xml(look.font))
            fill, border, align = fill_xml(look.fill), border_xml(look), alignment_xml(look)
            text, fill_id = _find_or_add(text, "fills", "fill", fill) if fill else (text, 0)
            text, border_id = (
                _find_or_add(text, "borders", "border", border) if border else (text, 0)
            )
            xf = (
                f'<xf numFmtId="{fmt}" fontId="{font_id}" fillId="{fill_id}" '
                f'borderId="{border_id}" xfId="0" applyNumberFormat="1" applyFont="1" '
                f'applyFill="1" applyBorder="1"'
                + (' applyAlignment="1">' + align + "</xf>" if align else "/>")
            )
            text, xf_id = _find_or_add(text, "cellXfs", "xf", xf)
            ids[f"{role}:{getattr(kind, 'value', kind)}"] = xf_id
            if kind == Kind.TEXT:
                ids[role] = xf_id
    return text.encode("utf-8"), ids


# --- a look (report_look.LOOKS) as the styles part spells it ---------------------------------


def _argb(color: str) -> str:
    return "FF" + color.upper()


def font_xml(font: Font) -> str:
    return (
        "<font>" + ("<b/>" if font.bold else "") + ("<i/>" if font.italic else "")
        + f'<sz val="{font.size:g}"/>'
        + (f'<color rgb="{_argb(font.color)}"/>' if font.color else "")
        + f'<name val="{FONT_NAME}"/><family val="2"/></font>'
    )


def fill_xml(color: str) -> str:
    """A solid fill ("" when the look has none)."""
    if not color:
        return ""
    return (f'<fill><patternFill patternType="solid"><fgColor rgb="{_argb(color)}"/>'
            '<bgColor indexed="64"/></patternFill></fill>')


def border_xml(look: Look) -> str:
    """The look's rules as a border ("" when it has none)."""
    if look.top is None and look.bottom is None:
        return ""

    def edge(tag: str, rule: Rule | None) -> str:
        if rule is None:
            return f"<{tag}/>"
        return f'<{tag} style="{rule.style}"><color rgb="{_argb(rule.color)}"/></{tag}>'

    return ("<border><left/><right/>" + edge("top", look.top) + edge("bottom", look.bottom)
            + "<diagonal/></border>")


def alignment_xml(look: Look) -> str:
    """The look's alignment ("" when Excel's defaults do)."""
    parts = [f'horizontal="{look.horizontal}"' if look.horizontal else "",
             f'vertical="{look.vertical}"' if look.vertical else "",
             'wrapText="1"' if look.wrap else "", f'indent="{look.indent}"' if look.indent else ""]
    shown = " ".join(p for p in parts if p)
    return f"<alignment {shown}/>" if shown else ""


def _section(text: str, tag: str) -> re.Match | None:
    return re.search(rf"<{tag}\b[^>]*?(?:/>|>(.*?)</{tag}>)", text, re.S)


def _items(inner: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}\b[^>]*?(?:/>|>.*?</{tag}>)", inner or "", re.S)


def _normal(item: str) -> str:
    """An element's text compared loosely: `<b val="1" />` and `<b/>` are the same."""
    item = re.sub(r'\s+val="(1|true)"(?=\s*/>)', "", item)
    return re.sub(r"\s+/>", "/>", item)


def _find_or_add(text: str, section: str, tag: str, item: str) -> tuple[str, int]:
    """The index of `item` in the section, adding it (and fixing count) when missing."""
    m = _section(text, section)
    if m is None:
        raise ValueError(f"the styles part has no <{section}>")
    items = _items(m.group(1), tag)
    want = _normal(item)
    for i, existing in enumerate(items):
        if _normal(existing) == want:
            return text, i
    close = f"</{section}>"
    if m.group(0).endswith("/>"):
        opened = m.group(0)[:-2].rstrip() + ">"
        new = opened + item + close
    else:
        new = m.group(0)[: -len(close)] + item + close
    new = _with_count(new, section, len(items) + 1)
    return text[: m.start()] + new + text[m.end() :], len(items)


def _with_count(element: str, section: str, count: int) -> str:
    head_end = element.index(">")
    head = element[:head_end]
    if re.search(r'\scount="\d*"', head):
        head = re.sub(r'\scount="\d*"', f' count="{count}"', head)
    else:
        head = f'<{section} count="{count}"' + head[len(section) + 1 :]
    return head + element[head_end:]


def _number_format(text: str, code: str | None) -> tuple[str, int]:
    """The numFmtId showing `code` (0 = General), adding a custom format when missing."""
    if code is None:
        return text, 0
    builtin = {"0": 1, "#,##0": 3, "#,##0.00": 4, "0.0%": None}
    if builtin.get(code) is not None:
        return text, builtin[code]
    found = re.findall(r'<numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"', text)
    for num_id, existing in found:
        if existing == attr(code):
            return text, int(num_id)
    new_id = max([163, *(int(i) for i, _ in found)]) + 1
    element = f'<numFmt numFmtId="{new_id}" formatCode="{attr(code)}"/>'
    m = _section(text, "numFmts")
    if m is None:
        start = re.search(r"<styleSheet\b[^>]*>", text)
        assert start is not None
        text = text[: start.end()] + '<numFmts count="0"></numFmts>' + text[start.end() :]
    text, _ = _find_or_add(text, "numFmts", "numFmt", element)
    return text, new_id
