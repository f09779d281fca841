"""Cell styles (xl/styles.xml): which style shows a date, and a date-showing twin of a style.

A number in a cell is a date only because the cell's style has a date number format. So
when Loupe writes a date it keeps the cell's style (the one above, or the column's) if that
style already shows dates, and otherwise uses a twin of it that does: same font, fill,
border and alignment, number format `m/d/yyyy` (or `m/d/yyyy h:mm` with a time). The
reverse too: a plain number must not land in a date style, or it would read back as a
date. A column whose values need a number format of their own (a Unit Cost, shown to 4
decimals when it has them) gets a twin in that format (`with_format`), the format added to
the part's number formats when the book lacks it. Twins are found before they are made, so
repeated saves never grow the style list.
"""

from __future__ import annotations

import re

from addin.workbook.files.ooxml.cell_xml import AS_IS, DATE, NUMBER, TIMED, written

DATE_FORMAT = 14  # built-in m/d/yyyy
DATETIME_FORMAT = 22  # built-in m/d/yyyy h:mm
GENERAL = 0
_BUILTIN_DATES = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_XF = re.compile(rb"<(?:\w+:)?xf\b[^>]*?(?:/>|>.*?</(?:\w+:)?xf>)", re.S)
_FONT = re.compile(rb"<(?:\w+:)?font\b[^>]*?(?:/>|>.*?</(?:\w+:)?font>)", re.S)
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_FIRST_CUSTOM = 164  # number format ids below this are Excel's built-in ones


def is_date_code(code: str) -> bool:
    """Whether a number format code shows a date or time (m/d/yyyy, [h]:mm, ...)."""
    code = re.sub(r'"[^"]*"', "", code)
    code = re.sub(r"[\\_*].", "", code)
    code = re.sub(r"\[(?![hms]+\])[^\]]*\]", "", code, flags=re.I)
    return bool(re.search(r"[dmyhs]", code, re.I))


class StyleSheet:
    """The cell formats of one styles part; can add twins and say which show dates."""

    def __init__(self, xml: bytes | None):
        self.xml = xml
        self.changed = False
        self._formats: dict[int, str] = {}
        self._xfs: list[bytes] = []
        self._chosen: dict[tuple[int | None, str], int | None] = {}
        self._formatted: dict[tuple[int | None, str], int | None] = {}
        if xml is not None:
            tags = (_attrs(m) for m in re.findall(rb"<(?:\w+:)?numFmt\b[^>]*>", xml))
            self._formats = {
                int(t[b"numFmtId"]): _unescape(t[b"formatCode"].decode("utf-8"))
                for t in tags
                if b"numFmtId" in t and b"formatCode" in t
            }
            self._xfs = _XF.findall(self._section(b"cellXfs")[1])

    def is_date(self, style: int | None) -> bool:
        fmt = self._number_format(style)
        if fmt in self._formats:
            return is_date_code(self._formats[fmt])
        return fmt in _BUILTIN_DATES

    def for_value(self, style: int | None, value: object) -> int | None:
        """The style to write `value` with, starting from the cell's own `style`."""
        return self.for_kind(style, written(value)[0])

    def for_kind(self, style: int | None, kind: str) -> int | None:
        """The style to write a value of `kind` (see `cell_xml`) with, from `style`.

        Answers are remembered per (style, kind): a sheet asks the same few thousand
        times. They stay right because styles are only ever added at the end of the list,
        so a style's own format and its first twin never change; a style number past the
        end of the list (read as the default style until the list grows that far) is
        worked out afresh each time."""
        key = (style, kind)
        if key in self._chosen:
            return self._chosen[key]
        chosen = self._choose(style, kind)
        if (style or 0) < len(self._xfs):
            self._chosen[key] = chosen
        return chosen

    def _choose(self, style: int | None, kind: str) -> int | None:
        if self.xml is None or kind == AS_IS:
            return style
        if kind in (DATE, TIMED):
            if self.is_date(style):
                return style
            number_format = DATETIME_FORMAT if kind == TIMED else DATE_FORMAT
            return self._twin(style or 0, {b"numFmtId": number_format, b"applyNumberFormat": 1})
        if kind == NUMBER and self.is_date(style):
            return self._twin(style or 0, {b"numFmtId": GENERAL, b"applyNumberFormat": 1})
        return style

    def with_format(self, style: int | None, code: str) -> int | None:
        """`style`, or its twin showing numbers in the format `code` (added to the part's
        number formats when it has no such format). Remembered as `for_kind` is."""
        key = (style, code)
        if key in self._formatted:
            return self._formatted[key]
        chosen = style
        if self.xml is not None:
            number_format = self._format_id(code)
            if self._number_format(style) != number_format:
                chosen = self._twin(style or 0, {b"numFmtId": number_format,
                                                 b"applyNumberFormat": 1})
        if (style or 0) < len(self._xfs):
            self._formatted[key] = chosen
        return chosen

    def _format_id(self, code: str) -> int:
        """The id of the custom number format `code`, added when the part lacks it."""
        for number_format, known in self._formats.items():
            if known == code:
                return number_format
        new_id = max([_FIRST_CUSTOM - 1, *self._formats]) + 1
        element = b'<numFmt numFmtId="%d" formatCode="%s"/>' % (new_id, _escape(code).encode())
        at, _ = self._section(b"numFmts")
        if at < 0:  # the first child of <styleSheet>, as the schema orders them
            assert self.xml is not None
            opener = re.search(rb"<((?:\w+:)?)styleSheet\b[^>]*>", self.xml)
            if opener is None:
                raise ValueError("styles part has no <styleSheet>")
            prefix = opener.group(1)
            element = element.replace(b"<numFmt ", b"<" + prefix + b"numFmt ")
            section = b'<%snumFmts count="1">%s</%snumFmts>' % (prefix, element, prefix)
            self.xml = self.xml[: opener.end()] + section + self.xml[opener.end() :]
            self.changed = True
        else:
            prefix = re.search(rb"<((?:\w+:)?)numFmts\b", self.xml or b"")
            if prefix is not None:
                element = element.replace(b"<numFmt ", b"<" + prefix.group(1) + b"numFmt ")
            self._append(b"numFmts", at, element, len(self._formats))
        self._formats[new_id] = code
        return new_id

    def bold(self, style: int | None) -> int | None:
        """A twin of `style` in a bold font (report titles and headers)."""
        if self.xml is None or (style or 0) >= len(self._xfs):
            return style
        base = _attrs(self._xfs[style or 0])
        fonts_at, fonts = self._section(b"fonts")
        found = _FONT.findall(fonts)
        font_id = int(base.get(b"fontId", b"0"))
        if font_id >= len(found):
            return style
        font = found[font_id]
        if b"<b/>" in font or b"<b />" in font:
            return style
        if font.endswith(b"/>"):
            bold_font = font[:-2].rstrip() + b"><b/></font>"
        else:
            head, _, rest = font.partition(b">")
            bold_font = head + b"><b/>" + rest
        same = [i for i, f in enumerate(found) if _font_key(f) == _font_key(bold_font)]
        new_id = same[0] if same else self._append(b"fonts", fonts_at, bold_font, len(found))
        return self._twin(style or 0, {b"fontId": new_id, b"applyFont": 1})

    def _number_format(self, style: int | None) -> int:
        i = style or 0
        if i >= len(self._xfs):
            return GENERAL
        return int(_attrs(self._xfs[i]).get(b"numFmtId", b"0"))

    def _twin(self, style: int, changes: dict[bytes, int]) -> int:
        base = self._xfs[style] if style < len(self._xfs) else b"<xf/>"
        twin = _with_attrs(base, changes)
        key = _xf_key(twin)
        for i, xf in enumerate(self._xfs):
            if _xf_key(xf) == key:
                return i
        at, _ = self._section(b"cellXfs")
        self._append(b"cellXfs", at, twin, len(self._xfs))
        self._xfs.append(twin)
        return len(self._xfs) - 1

    def _section(self, tag: bytes) -> tuple[int, bytes]:
        """(offset where the section's children end, the children) of <tag>...</tag>."""
        assert self.xml is not None
        pattern = rb"<(?:\w+:)?" + tag + rb"\b[^>]*>(.*?)</(?:\w+:)?" + tag + rb">"
        m = re.search(pattern, self.xml, re.S)
        if m is None:
            return -1, b""
        return m.end(1), m.group(1)

    def _append(self, tag: bytes, at: int, element: bytes, index: int) -> int:
        """Add `element` as the last child of <tag>; returns its index."""
        assert self.xml is not None
        if at < 0:
            raise ValueError(f"styles part has no <{tag.decode()}> section")
        xml = self.xml[:at] + element + self.xml[at:]
        opener = re.compile(rb"(<(?:\w+:)?" + tag + rb"\b[^>]*?\bcount=\")(\d+)(\")")
        self.xml = opener.sub(
            lambda m: m.group(1) + str(index + 1).encode() + m.group(3), xml, count=1
        )
        self.changed = True
        return index


def _attrs(element: bytes) -> dict[bytes, bytes]:
    start = element.split(b">", 1)[0]
    return dict(_ATTR.findall(start))


def _with_attrs(element: bytes, changes: dict[bytes, int]) -> bytes:
    head, sep, rest = element.partition(b">")
    closing = head.endswith(b"/")
    head = head.rstrip(b"/").rstrip()
    for name, value in changes.items():
        new = name + b'="' + str(value).encode() + b'"'
        pattern = re.compile(rb"\b" + name + rb'="[^"]*"')
        head = pattern.sub(new, head, count=1) if pattern.search(head) else head + b" " + new
    return head + (b"/" if closing else b"") + sep + rest


def _xf_key(element: bytes) -> tuple:
    attrs = _attrs(element)
    attrs.pop(b"applyNumberFormat", None)
    attrs.pop(b"applyFont", None)
    inner = element.partition(b">")[2].rsplit(b"<", 1)[0] if not element.endswith(b"/>") else b""
    return tuple(sorted(attrs.items())), inner.strip()


def _font_key(font: bytes) -> list[bytes]:
    return sorted(re.findall(rb"<(?!/)(?!(?:\w+:)?font\b)[^>]*?/?>", font))


def _escape(code: str) -> str:
    return (
        code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _unescape(code: str) -> str:
    return (
        code.replace("&quot;", '"')
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )
