"""Finding where a part's deflate stream was flushed, in the part itself: the Ledger part a
Loupe save left can be appended to with nothing remembered of the file, and nothing else is
mistaken for such a point."""

from __future__ import annotations

import random
import zipfile
import zlib

import pytest

from addin.workbook.files.ooxml.xlsx_zip import (
    DamagedPart,
    Flushed,
    ZipParts,
    read_with_points,
    write_zip,
)

HEAD, TAIL = b"<worksheet><sheetData>", b"</sheetData></worksheet>"


def _rows(n: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return b"".join(b'<row r="%d"><c t="n"><v>%d</v></c><c><v>%s</v></c></row>'
                    % (i, rng.randrange(10**9), bytes(rng.randrange(256) for _ in range(6)).hex()
                       .encode()) for i in range(2, n + 2))


def _zip_with(tmp_path, xml: bytes, content) -> tuple[ZipParts, zipfile.ZipInfo]:
    seed = tmp_path / "seed.zip"
    with zipfile.ZipFile(seed, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<worksheet/>")
    out = tmp_path / "book.zip"
    source = ZipParts(seed)
    with open(out, "wb") as f:
        write_zip(source, {"xl/worksheets/sheet1.xml": content}, f)
    source.close()
    parts = ZipParts(out)
    return parts, parts.infos["xl/worksheets/sheet1.xml"]


@pytest.mark.parametrize("rows", [1, 5_000, 60_000])
def test_the_point_a_flushed_save_made_is_found_and_no_other(tmp_path, rows):
    body = _rows(rows, rows)
    xml = HEAD + body + TAIL
    parts, info = _zip_with(tmp_path, xml, Flushed(xml, len(HEAD) + len(body)))
    with open(parts.path, "rb") as src:
        read, points = read_with_points(src, info)
    assert read == xml
    assert [(p.size, p.crc) for p in points] == [
        (len(HEAD) + len(body), zlib.crc32(HEAD + body))]
    with open(parts.path, "rb") as src:  # the compressed bytes before it are whole blocks
        src.seek(info.header_offset + 30 + len(info.filename) + len(info.extra))
        kept = src.read(points[0].packed)
    more = zlib.compressobj(1, zlib.DEFLATED, -15)
    stream = kept + more.compress(b"<row/>" + TAIL) + more.flush()
    assert zlib.decompress(stream, -15) == HEAD + body + b"<row/>" + TAIL


def test_a_part_saved_by_another_program_has_no_point(tmp_path):
    xml = HEAD + _rows(20_000, 7) + TAIL
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", xml)
    parts = ZipParts(path)
    with open(path, "rb") as src:
        read, points = read_with_points(src, parts.infos["xl/worksheets/sheet1.xml"])
    assert read == xml and points == []


def test_mark_bytes_inside_a_block_are_not_a_point(tmp_path):
    """Stored blocks (deflate level 0) hold a cell's bytes as they are: the bytes of a sync
    flush's mark inside them are not a place where a stream may go on."""
    xml = HEAD + b"<v>\x00\x00\xff\xff</v>" * 2_000 + TAIL
    path = tmp_path / "stored.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=0) as z:
        z.writestr("xl/worksheets/sheet1.xml", xml)
    parts = ZipParts(path)
    info = parts.infos["xl/worksheets/sheet1.xml"]
    with open(path, "rb") as src:
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        src.seek(start)
        assert src.read(info.compress_size).count(b"\x00\x00\xff\xff") >= 2_000
        read, points = read_with_points(src, info)
    assert read == xml
    assert points == []


def test_damaged_bytes_are_refused(tmp_path):
    body = _rows(5_000, 3)
    xml = HEAD + body + TAIL
    parts, info = _zip_with(tmp_path, xml, Flushed(xml, len(HEAD) + len(body)))
    raw = bytearray(parts.path.read_bytes())
    at = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size // 2
    raw[at] ^= 0x55
    parts.path.write_bytes(bytes(raw))
    with open(parts.path, "rb") as src, pytest.raises(DamagedPart):
        read_with_points(src, info)


def test_a_part_deflated_piece_by_piece_saves_as_its_whole_text(tmp_path):
    """A report sheet is deflated as it is laid out (`Packed`): the saved part holds the
    text, its CRC and size as if it had been deflated whole at the save."""
    from addin.workbook.files.ooxml.xlsx_zip import Packed

    pieces = ["<worksheet><sheetData>",
              *(f'<row r="{i}"><c t="inlineStr"><is><t>Bague é {i}</t></is></c></row>'
                for i in range(1, 20_000)), "</sheetData></worksheet>"]
    text = "".join(pieces).encode("utf-8")
    packed = Packed.of_pieces(pieces)
    assert (packed.size, packed.crc, packed.plain()) == (len(text), zlib.crc32(text), text)
    parts, info = _zip_with(tmp_path, text, packed)
    with zipfile.ZipFile(parts.path) as z:
        assert z.testzip() is None
        assert z.read("xl/worksheets/sheet1.xml") == text
