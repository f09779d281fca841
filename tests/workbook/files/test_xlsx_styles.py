"""Which style a written value gets: date twins made once, and remembered answers that
stay right while the style list grows."""

from __future__ import annotations

import datetime as dt
import re

from addin.workbook.files.ooxml.xlsx_styles import StyleSheet

# Style 0: General. Style 1: the built-in number format #,##0 (id 3), not a date.
STYLES = (
    b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<fonts count="1"><font><sz val="11"/></font></fonts>'
    b'<cellXfs count="2">'
    b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    b'<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    b"</cellXfs></styleSheet>"
)


def cell_formats(xml: bytes) -> list[bytes]:
    section = re.search(rb"<cellXfs[^>]*>(.*)</cellXfs>", xml, re.S)
    assert section is not None
    return re.findall(rb"<xf\b[^>]*/>", section.group(1))


def test_a_date_twin_is_made_once_however_often_it_is_asked_for():
    styles = StyleSheet(STYLES)
    first = styles.for_value(1, dt.date(2024, 3, 1))
    after_first = styles.xml
    again = [styles.for_value(1, dt.datetime(2024, 3, d)) for d in (2, 3, 4)]
    assert first == 2 and again == [2, 2, 2]
    assert styles.xml == after_first
    assert b'<cellXfs count="3">' in styles.xml
    assert cell_formats(styles.xml)[2] == (
        b'<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    )


def test_a_style_number_past_the_list_is_read_again_once_the_list_reaches_it():
    styles = StyleSheet(STYLES)
    # Style 3 is not in the file yet: it reads as General, so a number stays in it.
    assert styles.for_value(3, 5) == 3
    # Two twins are added: style 2 (m/d/yyyy, from style 0) and 3 (m/d/yyyy h:mm, from 1).
    assert styles.for_value(0, dt.date(2024, 3, 1)) == 2
    assert styles.for_value(1, dt.datetime(2024, 3, 1, 9, 30)) == 3
    # Now style 3 shows dates, so a number must leave it for its General twin (style 0),
    # or it would read back as a date; and a date may stay in it.
    assert styles.for_value(3, 5) == 0
    assert styles.for_value(3, dt.date(2024, 3, 1)) == 3
    assert len(cell_formats(styles.xml)) == 4


def number_formats(xml: bytes) -> list[bytes]:
    return re.findall(rb"<numFmt\b[^>]*/>", xml)


def test_a_format_the_book_lacks_is_added_first_in_the_part_and_made_once():
    styles = StyleSheet(STYLES)  # no <numFmts> at all
    twin = styles.with_format(1, "#,##0.00##")
    assert twin == 2
    assert styles.with_format(1, "#,##0.00##") == 2 and styles.with_format(2, "#,##0.00##") == 2
    assert number_formats(styles.xml) == [b'<numFmt numFmtId="164" formatCode="#,##0.00##"/>']
    # numFmts comes before fonts, as the schema orders a styles part
    assert styles.xml.index(b'<numFmts count="1">') < styles.xml.index(b"<fonts")
    assert cell_formats(styles.xml)[2] == (
        b'<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    )


def test_a_format_the_book_has_is_reused_and_a_new_one_takes_the_next_free_id():
    with_two = STYLES.replace(
        b"<fonts",
        b'<numFmts count="2"><numFmt numFmtId="164" formatCode="#,##0.00##"/>'
        b'<numFmt numFmtId="170" formatCode="&quot;$&quot;0.00"/></numFmts><fonts',
    )
    styles = StyleSheet(with_two)
    assert styles.with_format(0, "#,##0.00##") == 2
    assert number_formats(styles.xml)[:2] == number_formats(with_two)
    assert styles.with_format(0, "0.000") == 3
    assert number_formats(styles.xml)[2] == b'<numFmt numFmtId="171" formatCode="0.000"/>'
    assert b'<numFmts count="3">' in styles.xml
