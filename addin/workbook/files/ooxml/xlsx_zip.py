"""A workbook file as a zip of named parts, rewritten so only the changed parts change.

An .xlsx/.xlsm is a zip of XML parts plus binary ones (vbaProject.bin, images). Loupe
edits a few parts (a sheet, its table, maybe styles) and must leave everything else
exactly as Excel wrote it: the VBA project, the ribbon, pivots, shapes, comments. So the
new zip is written by hand: a part Loupe did not change is copied as its *compressed*
bytes straight from the old file (never inflated, never re-deflated), with the same CRC,
name, date and attributes; a changed part is deflated afresh. Entry order is kept.

A big part that only grows at one place (the Ledger: rows are added before its closing
tags) can be written `Flushed`: its deflate stream is flushed to a byte boundary where the
rows end, and that `FlushPoint` is kept. The next save that only appends rows writes it
`Appended`: the compressed bytes before the point are copied from the old file as they are
(inflated on the way only to check their CRC), and only the new rows and the closing tags
are deflated after them. The result is one valid deflate stream holding exactly the bytes
a rewrite of the whole part would hold. A part whose flush point is not known (nothing was
remembered of the file) is read once with `read_with_points`, which also finds where its
stream was flushed, so it can still be appended to when Loupe wrote it last.

Plain zip only (no zip64): a workbook part or file over 4 GB is refused.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

# Fast deflate: a changed sheet can be tens of MB of XML; level 1 is several times faster
# than the default and Excel re-compresses the file its own way on its next save anyway.
DEFLATE_LEVEL = 1
STORED, DEFLATED = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED
LIMIT = 0xFFFFFFFF
UTF8_FLAG = 0x800
_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class FlushPoint:
    """Where a part's deflate stream was flushed to a byte boundary."""

    packed: int  # compressed bytes before the point
    size: int  # the uncompressed bytes they hold
    crc: int  # CRC-32 of those bytes


@dataclass(frozen=True)
class Flushed:
    """New content for a part, deflated with a flush point after its first `at` bytes."""

    data: bytes
    at: int


@dataclass(frozen=True)
class Appended:
    """A part that keeps its old bytes up to `point` and goes on with `more`, flushed again
    after `more[:at]` (so it can be appended to once more)."""

    point: FlushPoint
    more: bytes
    at: int


@dataclass(frozen=True)
class Packed:
    """New content for a part, deflated already (as the save would deflate it): a big
    report sheet waits for the save in a tenth of the memory its XML takes."""

    data: bytes  # raw deflate
    crc: int  # CRC-32 of the plain bytes
    size: int  # how many plain bytes

    @classmethod
    def of(cls, plain: bytes) -> Packed:
        packer = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
        return cls(packer.compress(plain) + packer.flush(), zlib.crc32(plain), len(plain))

    @classmethod
    def of_pieces(cls, pieces: list[str]) -> Packed:
        """The part whose text is `pieces` joined, UTF-8, deflated piece by piece (the
        whole text never in memory at once)."""
        packer = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
        out, crc, size, batch = [], 0, 0, []
        for piece in [*pieces, ""]:
            batch.append(piece)
            if len(batch) >= 4096 or not piece:
                data = "".join(batch).encode("utf-8")
                out.append(packer.compress(data))
                crc, size, batch = zlib.crc32(data, crc), size + len(data), []
        out.append(packer.flush())
        return cls(b"".join(out), crc, size)

    def plain(self) -> bytes:
        return zlib.decompress(self.data, -15)


Content = bytes | Flushed | Appended | Packed


class NotAZip(Exception):
    """The file is not a readable zip (so not an xlsx/xlsm)."""


class DamagedPart(NotAZip):
    """A part's bytes no longer match the CRC-32 the zip recorded for them."""


@dataclass(frozen=True)
class _Written:
    """What the central directory needs to know about one entry already written."""

    name: bytes
    flags: int
    method: int
    dos_time: int
    dos_date: int
    crc: int
    compressed: int
    size: int
    external_attr: int
    offset: int


class ZipParts:
    """Read access to the parts of one zip file on disk."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as e:
            raise NotAZip(str(e)) from e
        self.infos: dict[str, zipfile.ZipInfo] = {i.filename: i for i in self._zip.infolist()}

    def names(self) -> list[str]:
        return list(self.infos)

    def read(self, name: str) -> bytes:
        try:
            return self._zip.read(name)
        except (zipfile.BadZipFile, zlib.error, EOFError) as e:
            raise NotAZip(f"part {name} is damaged: {e}") from e

    def open(self, name: str):
        """A part's bytes as a stream, inflated as read (zipfile checks the CRC at its end)."""
        return self._zip.open(name)

    def close(self) -> None:
        self._zip.close()


def write_zip(
    source: ZipParts, changed: dict[str, Content | None], out: BinaryIO, *,
    compress: bool = True,
) -> dict[str, FlushPoint]:
    """Write `source` with `changed` applied (new content, or None = part removed); the
    flush point of each part written `Flushed` or `Appended`.

    Unchanged parts are copied compressed, byte for byte. Parts new to the zip follow the
    old ones in the order given. `compress=False` stores changed parts (for an in-memory
    copy that only a reader will see).
    """
    written: list[_Written] = []
    points: dict[str, FlushPoint] = {}
    with open(source.path, "rb") as src:
        for name, info in source.infos.items():
            if name not in changed:
                written.append(_copy_entry(src, info, out))
                continue
            content = changed[name]
            if isinstance(content, Appended) and compress:
                entry, points[name] = _appended_entry(src, info, content, out)
                written.append(entry)
            elif content is not None:
                data = plain(src, info, content) if not compress else content
                written.append(_new_entry(name, data, out, compress, info, points))
    for name, data in changed.items():
        if name not in source.infos and data is not None and not isinstance(data, Appended):
            written.append(_new_entry(name, data, out, compress, None, points))
    _central_directory(written, out)
    return points


def plain(src: BinaryIO, info: zipfile.ZipInfo | None, content: Content) -> bytes:
    """A part's new content as plain bytes (an `Appended` part's kept bytes inflated)."""
    if isinstance(content, Flushed):
        return content.data
    if isinstance(content, Packed):
        return content.plain()
    if isinstance(content, Appended):
        assert info is not None
        kept = bytearray()
        _inflate_kept(src, info, content.point, kept.extend)
        return bytes(kept) + content.more
    return content


def _inflate_kept(src: BinaryIO, info: zipfile.ZipInfo, point: FlushPoint, sink) -> None:
    """Inflate the old member's bytes up to `point`, checking them against its CRC; each
    compressed chunk read is handed to `sink` (plain bytes, or compressed when copying)."""
    if info.compress_type != DEFLATED or point.packed > info.compress_size:
        raise DamagedPart(f"part {info.filename} is not the one its flush point was taken of")
    start = _data_offset(src, info)
    src.seek(start)
    inflate, crc, size, left = zlib.decompressobj(-15), 0, 0, point.packed
    copying = getattr(sink, "compressed", False)
    try:
        while left:
            chunk = src.read(min(left, _CHUNK))
            if not chunk:
                raise NotAZip(f"part {info.filename} is cut short")
            left -= len(chunk)
            piece = inflate.decompress(chunk)
            crc, size = zlib.crc32(piece, crc), size + len(piece)
            sink(chunk if copying else piece)
    except zlib.error as e:
        raise DamagedPart(f"part {info.filename} is damaged ({e})") from None
    if crc != point.crc or size != point.size:
        raise DamagedPart(f"part {info.filename} is damaged (its bytes fail their CRC check)")


class _Copier:
    """A sink that writes the compressed chunks it is handed."""

    compressed = True

    def __init__(self, out: BinaryIO):
        self.out = out

    def __call__(self, chunk: bytes) -> None:
        self.out.write(chunk)


def _appended_entry(
    src: BinaryIO, info: zipfile.ZipInfo, content: Appended, out: BinaryIO
) -> tuple[_Written, FlushPoint]:
    """The old member's bytes up to its flush point, then `content.more` deflated."""
    packer = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
    rows = packer.compress(content.more[: content.at]) + packer.flush(zlib.Z_SYNC_FLUSH)
    rest = packer.compress(content.more[content.at :]) + packer.flush()
    point = content.point
    dos_time, dos_date = _dos_stamp(time.localtime()[:6])
    entry = _Written(
        _name_bytes(info.filename), _utf8(info.filename), DEFLATED, dos_time, dos_date,
        zlib.crc32(content.more, point.crc), point.packed + len(rows) + len(rest),
        point.size + len(content.more), info.external_attr, out.tell(),
    )
    _write_local_header(entry, out)
    _inflate_kept(src, info, point, _Copier(out))
    out.write(rows)
    out.write(rest)
    after = FlushPoint(point.packed + len(rows), point.size + content.at,
                       zlib.crc32(content.more[: content.at], point.crc))
    return entry, after


def in_memory(source: ZipParts, changed: dict[str, Content | None]) -> io.BytesIO:
    """The package with its pending changes, as a zip in memory, for a reader."""
    buf = io.BytesIO()
    write_zip(source, changed, buf, compress=False)
    buf.seek(0)
    return buf


_SYNC_MARK = b"\x00\x00\xff\xff"  # the empty stored block a sync flush ends with


def _probe() -> bytes:
    """A whole deflate stream of one byte ("<"), final block set: what `read_with_points`
    puts after a candidate point to prove a new stream may start there."""
    packer = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
    return packer.compress(b"<") + packer.flush()


def read_with_points(src: BinaryIO, info: zipfile.ZipInfo) -> tuple[bytes, list[FlushPoint]]:
    """A deflated member's bytes (checked against its CRC-32 and size, as a plain read
    is) and every point where its stream was flushed to a byte boundary.

    A candidate is a place where the compressed bytes end with a sync flush's mark; it
    counts only when the inflater, stopped there, takes a fresh stream (`_probe`) and
    ends with it: so the bytes before it are whole blocks, and `Appended` may go on from
    there. Mark bytes that merely occur inside a block fail that test."""
    if info.compress_type != DEFLATED:
        return b"", []
    start = _data_offset(src, info)
    src.seek(start)
    inflate, crc, size, left, taken = zlib.decompressobj(-15), 0, 0, info.compress_size, 0
    out: list[bytes] = []
    points: list[FlushPoint] = []
    carry = b""  # the last 3 compressed bytes of the chunk before: a mark may straddle
    probe = _probe()
    try:
        while left:
            chunk = src.read(min(left, _CHUNK))
            if not chunk:
                raise NotAZip(f"part {info.filename} is cut short")
            left -= len(chunk)
            look, at, cuts = carry + chunk, 0, set()
            while (found := look.find(_SYNC_MARK, at)) >= 0:
                at = found + 1
                end = found + len(_SYNC_MARK) - len(carry)  # where it ends, in chunk
                if end > 0:
                    cuts.add(end)
            begin = 0
            for cut in sorted(cuts | {len(chunk)}):
                piece = inflate.decompress(chunk[begin:cut])
                crc, size, taken = zlib.crc32(piece, crc), size + len(piece), taken + cut - begin
                out.append(piece)
                begin = cut
                if cut in cuts:
                    trial = inflate.copy()
                    if trial.decompress(probe) == b"<" and trial.eof:
                        points.append(FlushPoint(taken, size, crc))
            carry = look[-3:]
        rest = inflate.flush()
        crc, size = zlib.crc32(rest, crc), size + len(rest)
        out.append(rest)
    except zlib.error as e:
        raise DamagedPart(f"part {info.filename} is damaged ({e})") from None
    if crc != info.CRC or size != info.file_size:
        raise DamagedPart(f"part {info.filename} is damaged (its bytes fail their CRC check)")
    return b"".join(out), points


def _data_offset(src: BinaryIO, info: zipfile.ZipInfo) -> int:
    """Where a member's compressed bytes start in the file."""
    if info.flag_bits & 0x1:
        raise NotAZip(f"part {info.filename} is encrypted")
    src.seek(info.header_offset)
    head = src.read(_LOCAL.size)
    if len(head) < _LOCAL.size or head[:4] != b"PK\x03\x04":
        raise NotAZip(f"part {info.filename} has no local header")
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    return info.header_offset + _LOCAL.size + name_len + extra_len


def _copy_entry(src: BinaryIO, info: zipfile.ZipInfo, out: BinaryIO) -> _Written:
    src.seek(_data_offset(src, info))
    dos_time, dos_date = _dos_stamp(info.date_time)
    entry = _Written(
        _name_bytes(info.filename),
        (info.flag_bits & ~0x8) | _utf8(info.filename),
        info.compress_type,
        dos_time,
        dos_date,
        info.CRC,
        info.compress_size,
        info.file_size,
        info.external_attr,
        out.tell(),
    )
    _write_local_header(entry, out)
    # The bytes go across as they are, and are inflated on the way only to check them:
    # a part damaged on disk must not be sealed into the new file (and its backup).
    inflate = zlib.decompressobj(-15) if info.compress_type == DEFLATED else None
    checked = info.compress_type in (STORED, DEFLATED)  # no other method is in a workbook
    crc, left = 0, info.compress_size
    try:
        while left:
            chunk = src.read(min(left, _CHUNK))
            if not chunk:
                raise NotAZip(f"part {info.filename} is cut short")
            out.write(chunk)
            crc = zlib.crc32(inflate.decompress(chunk) if inflate else chunk, crc)
            left -= len(chunk)
        if inflate is not None:
            crc = zlib.crc32(inflate.flush(), crc)
    except zlib.error as e:
        raise DamagedPart(f"part {info.filename} is damaged ({e})") from None
    if checked and crc != info.CRC:
        raise DamagedPart(f"part {info.filename} is damaged (its bytes fail their CRC check)")
    return entry


def _new_entry(
    name: str, content: bytes | Flushed | Packed, out: BinaryIO, compress: bool,
    old: zipfile.ZipInfo | None, points: dict[str, FlushPoint],
) -> _Written:
    if isinstance(content, Packed):
        if not compress:
            return _new_entry(name, content.plain(), out, compress, old, points)
        return _written_as_is(name, content.data, content.crc, content.size, DEFLATED, out, old)
    data = content.data if isinstance(content, Flushed) else content
    if compress:
        packer = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
        if isinstance(content, Flushed):
            head = packer.compress(data[: content.at]) + packer.flush(zlib.Z_SYNC_FLUSH)
            points[name] = FlushPoint(len(head), content.at, zlib.crc32(data[: content.at]))
            body, method = head + packer.compress(data[content.at :]) + packer.flush(), DEFLATED
        else:
            body, method = packer.compress(data) + packer.flush(), DEFLATED
    else:
        body, method = data, STORED
    return _written_as_is(name, body, zlib.crc32(data), len(data), method, out, old)


def _written_as_is(name: str, body: bytes, crc: int, size: int, method: int, out: BinaryIO,
                   old: zipfile.ZipInfo | None) -> _Written:
    """A new entry whose bytes (`body`, compressed by `method`) are ready to write."""
    dos_time, dos_date = _dos_stamp(time.localtime()[:6])
    attr = old.external_attr if old is not None else 0o600 << 16
    entry = _Written(
        _name_bytes(name), _utf8(name), method, dos_time, dos_date, crc, len(body), size,
        attr, out.tell(),
    )
    _write_local_header(entry, out)
    out.write(body)
    return entry


def _write_local_header(e: _Written, out: BinaryIO) -> None:
    if max(e.compressed, e.size, e.offset) > LIMIT:
        raise NotAZip("the workbook is over 4 GB; Loupe cannot rewrite it")
    out.write(
        _LOCAL.pack(
            b"PK\x03\x04",
            20,
            e.flags,
            e.method,
            e.dos_time,
            e.dos_date,
            e.crc,
            e.compressed,
            e.size,
            len(e.name),
            0,
        )
    )
    out.write(e.name)


def _central_directory(entries: list[_Written], out: BinaryIO) -> None:
    start = out.tell()
    for e in entries:
        out.write(
            _CENTRAL.pack(
                b"PK\x01\x02",
                20,
                20,
                e.flags,
                e.method,
                e.dos_time,
                e.dos_date,
                e.crc,
                e.compressed,
                e.size,
                len(e.name),
                0,
                0,
                0,
                0,
                e.external_attr,
                e.offset,
            )
        )
        out.write(e.name)
    size = out.tell() - start
    if len(entries) > 0xFFFF or start > LIMIT:
        raise NotAZip("the workbook has too many parts for a plain zip")
    out.write(_END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), size, start, 0))


def _dos_stamp(date_time: tuple[int, ...]) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time[:6]
    y = min(max(y, 1980), 2107)
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


def _name_bytes(name: str) -> bytes:
    return name.encode("utf-8")


def _utf8(name: str) -> int:
    return 0 if name.isascii() else UTF8_FLAG
