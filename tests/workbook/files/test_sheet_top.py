"""Column A of a sheet's first rows, read from the top of its part (the report signature)."""

from addin.workbook.files.ooxml.sheet_top import UNREAD, first_column_text

HEAD = b'<worksheet xmlns="x"><sheetData>'
ROW3 = b'<row r="3"><c r="A3" t="inlineStr"><is><t>As of 2026-11-20 &amp; more</t></is></c></row>'
ROW4 = b'<row r="4"><c r="A4" t="str"><f>"x"</f><v>Ledger: 12 entries</v></c></row>'
ROW5 = b'<row r="5"><c r="A5"><v>1</v></c></row>'


def chunked(data: bytes, size: int = 7):
    return (data[i : i + size] for i in range(0, len(data), size))


def test_inline_and_formula_text_is_read_and_reading_stops_early():
    rest = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(6, 99))
    pieces = list(chunked(HEAD + ROW3 + ROW4 + ROW5 + rest + b"</sheetData></worksheet>"))
    taken = []

    def feed():
        for p in pieces:
            taken.append(p)
            yield p

    got = first_column_text(feed(), (3, 4))
    assert got == {3: "As of 2026-11-20 & more", 4: "Ledger: 12 entries"}
    assert len(taken) < len(pieces) / 4  # the rest of the part was never inflated


def test_a_shared_string_or_a_number_is_left_to_the_full_reader():
    shared = b'<row r="3"><c r="A3" t="s"><v>0</v></c></row>'
    got = first_column_text(chunked(HEAD + shared + ROW5 + b"</sheetData>"), (3, 4))
    assert got[3] is UNREAD and got[4] is None
    got = first_column_text(chunked(HEAD + ROW5.replace(b'"5"', b'"3"').replace(b"A5", b"A3")
                                    + b"</sheetData>"), (3,))
    assert got[3] is UNREAD


def test_missing_rows_and_an_empty_sheet_are_blank():
    assert first_column_text(chunked(HEAD + b"</sheetData>"), (3, 4)) == {3: None, 4: None}
    assert first_column_text(chunked(b"<worksheet><sheetData/></worksheet>"), (3,)) == {3: None}
