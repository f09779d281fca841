"""What Loupe last read and verified of a book's Ledger, so an unchanged Ledger is read once.

Reading and verifying a 1,000,000-row Ledger takes many seconds; most presses find it just
as the last press left it. So after a Ledger is read and its hash chain verified in full,
the files adapter keeps the ledger frame here, together with a *key* that proves which
file content it came from. A later press whose file has the same key takes the frame from
here; any other file is read fresh and verified in full. The cache is never trusted over
the file: it is only ever used when the key says the file holds the same bytes.

The key is read from the zip's central directory, which costs nothing: for each part that
decides what the Ledger reads as (the Ledger sheet, its table, the shared strings, the
styles, which say what is a date, and the workbook part, which maps sheet names to parts
and holds the Ledger's tip record), its name, CRC-32, compressed and uncompressed size. A
book saved by Excel, LibreOffice, openpyxl or any other program rewrites those parts and
changes their CRC. The key also names the chain's anchor (where the Ledger continues from;
none for a Ledger that starts at entry 1).

Where: one file per book in the user's cache folder, named by a digest of the book's full
path: ``$LOUPE_CACHE_DIR`` when set, else ``%LOCALAPPDATA%\\Loupe\\Cache`` on Windows,
``~/Library/Caches/Loupe`` on macOS, ``$XDG_CACHE_HOME/loupe`` or ``~/.cache/loupe``
elsewhere. Nothing is written beside the book (verify works in a folder the user may only
read). Deleting the folder or any file in it is always safe: the next press reads and
verifies the Ledger in full and remembers it again. A file that is cut short, damaged
(its payload carries a SHA-256) or of another version is ignored the same way.

Verify Ledger needs no frame, only the number of entries and the tip the file is proven
to hold, which the cache file's first line gives: so it reads that line alone, and an
unchanged book verifies in the same time at any size. A press that needs the frame reads
the rest and checks it against its SHA-256 first.

Beside the frame the file may keep the Ledger's Books (`costing.Books`, the costing of
every entry) with the cost methods they were costed by and the tip of the Ledger they cost:
a post leaves them for the Ledger it saved, and the next press on the unchanged file takes
them instead of costing the whole Ledger again, when its Styles name the same methods. They
are checked against their own SHA-256 and offered only with the frame they belong to.

The chain has no secret key, and neither has this cache: someone who can write the user's
cache folder could plant a frame, as someone who can run Loupe's code could forge a chain.
It guards against edits by hand and damage, like the chain itself.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather

from addin.core.costing import Books
from addin.core.errors import BookError
from addin.core.ledger.chain import Tip
from addin.workbook.files.ooxml.xlsx_zip import FlushPoint
from addin.workbook.files.safe_save import write_whole
from addin.workbook.port import KnownLedger

# Version 4: the frame holds Unit Cost (since version 2) and Unit Price (since 3) in
# ten-thousandths (version 1 held cents), and its bytes may be followed by its Books' (since
# 4), so a memory written by an earlier Loupe is never taken for today's.
MAGIC = b"LOUPE-LEDGER-MEMORY 4\n"
BOOK_FRAMES = ("layers", "consumed", "on_hand", "short")
BOOK_SERIES = ("cogs", "cost_in", "owned_in", "cost_of_goods")
MemberKey = tuple[str, int, int, int]  # part name, CRC-32, compressed size, size


@dataclass(frozen=True)
class LedgerStream:
    """What lets the next post append to the Ledger part without rewriting it: the flush
    point where its rows end, and the few bytes around it (everything before the first
    row, the last row, and everything after the rows)."""

    point: FlushPoint
    head: bytes
    last_row: bytes
    last_number: int
    tail: bytes

    def as_json(self) -> dict:
        return {
            "point": [self.point.packed, self.point.size, self.point.crc],
            "head": base64.b64encode(self.head).decode(),
            "last_row": base64.b64encode(self.last_row).decode(),
            "last_number": self.last_number,
            "tail": base64.b64encode(self.tail).decode(),
        }

    @classmethod
    def from_json(cls, data: dict) -> LedgerStream:
        return cls(FlushPoint(*data["point"]), base64.b64decode(data["head"]),
                   base64.b64decode(data["last_row"]), int(data["last_number"]),
                   base64.b64decode(data["tail"]))


@dataclass(frozen=True)
class Costing:
    """The Books of a Ledger, the cost methods they were costed by, and the Ledger's tip."""

    methods: dict[str, str]
    books: Books
    tip: Tip | None


def cache_folder() -> Path:
    """The folder the remembered Ledgers live in (see the module docstring)."""
    chosen = os.environ.get("LOUPE_CACHE_DIR", "").strip()
    if chosen:
        return Path(chosen)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "Loupe" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "Loupe"
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "loupe"


def memory_file(book: Path) -> Path:
    """The cache file of the book at `book` (one per book, replaced on every press)."""
    digest = hashlib.sha256(str(Path(book).resolve()).encode("utf-8")).hexdigest()[:32]
    return cache_folder() / f"{digest}.ledger"


class RememberedLedger(KnownLedger):
    """A Ledger taken from the cache: its frame is built from the checked bytes only when
    first asked for (Verify Ledger never asks). `payload` None: not read yet; `book` and
    the cache file's header say where to read it and what it must hash to."""

    def __init__(self, payload: memoryview | None, entries: int, first_row: int,
                 anchor: Tip | None, tip: Tip | None, book: Path | None = None,
                 head: dict | None = None, rest: memoryview | None = None):
        object.__setattr__(self, "_payload", payload)
        object.__setattr__(self, "_rest", rest)  # the bytes after the frame's, once read
        object.__setattr__(self, "_entries", entries)
        object.__setattr__(self, "_tip", tip)
        object.__setattr__(self, "_book", book)
        object.__setattr__(self, "_head", head)
        object.__setattr__(self, "first_row", first_row)
        object.__setattr__(self, "anchor", anchor)

    def payload(self) -> memoryview:
        """The frame's bytes, checked against the SHA-256 the header recorded."""
        if self._payload is None:
            found = _payload(self._book, None, self.anchor, self._head) if self._book else None
            if found is None:
                if self._book is not None:
                    forget(self._book)
                raise BookError(
                    "what Loupe remembered of this book's Ledger changed while it was in "
                    "use (another press, or a damaged cache file); run again: the Ledger is "
                    "then read and verified in full")
            object.__setattr__(self, "_payload", found[1])
            object.__setattr__(self, "_rest", found[2])
        assert self._payload is not None
        return self._payload

    @property  # type: ignore[override]
    def frame(self) -> pd.DataFrame:
        if "_frame" not in self.__dict__:
            table = feather.read_table(pa.BufferReader(self.payload()))
            object.__setattr__(self, "_frame", table.to_pandas())
        return self.__dict__["_frame"]

    @property
    def entries(self) -> int:
        return self._entries

    @property
    def tip(self) -> Tip | None:
        return self._tip


def recall(book: Path, key: list[MemberKey], anchor: Tip | None, *, frame: bool = True
           ) -> tuple[KnownLedger, LedgerStream | None] | None:
    """The Ledger remembered for this exact file content, and where its part's rows end
    (when known), or None (read it in full). With `frame` the frame's bytes are read and
    checked whole now; without, only the cache file's first line is read (Verify Ledger:
    the entries and the tip are all it needs) and the bytes when the frame is asked for."""
    if frame:
        found = _payload(book, key, anchor)
        if found is None:
            return None
        head, payload, rest = found
    else:
        head, payload, rest = _header(book, key, anchor), None, None
        if head is None:
            return None
    with contextlib.suppress(Exception):  # anything wrong with the cache: not remembered
        stream = LedgerStream.from_json(head["stream"]) if head.get("stream") else None
        tip = Tip(int(head["tip"][0]), str(head["tip"][1])) if head["tip"] else None
        known = RememberedLedger(payload, int(head["entries"]), int(head["first_row"]),
                                 anchor, tip, book, head, rest)
        return known, stream
    return None


def remember(book: Path, key: list[MemberKey], known: KnownLedger,
             stream: LedgerStream | None = None, costing: Costing | None = None) -> None:
    """Keep `known` (and its Books, `costing`, when they are for it) for the file content
    `key` describes; a cache that cannot be written is no error (the next press reads the
    Ledger in full)."""
    if isinstance(known, RememberedLedger) and "_frame" not in known.__dict__:
        try:
            payload = bytes(known.payload())  # unchanged since it was recalled: as stored
        except BookError:
            return
    else:
        sink = pa.BufferOutputStream()
        feather.write_feather(
            pa.Table.from_pandas(known.frame, preserve_index=False), sink, compression="lz4"
        )
        payload = sink.getvalue().to_pybytes()
    costed = b""
    if costing is not None and costing.tip == known.tip:
        with contextlib.suppress(Exception):  # Books that cannot be kept: costed next time
            costed = _books_bytes(costing.books)
    head = {
        "key": _key_text(key, known.anchor),
        "sha256": hashlib.sha256(payload).hexdigest(),
        "size": len(payload),
        "costing": None if not costed else {
            "methods": costing.methods,  # type: ignore[union-attr]
            "sha256": hashlib.sha256(costed).hexdigest(),
        },
        "first_row": known.first_row,
        "entries": known.entries,
        "tip": [known.tip.entry, known.tip.hash] if known.tip else None,
        "stream": stream.as_json() if stream else None,
        "anchor": [known.anchor.entry, known.anchor.hash] if known.anchor else None,
    }
    with contextlib.suppress(OSError):  # the user's copy stays private (no mode given)
        write_whole(memory_file(book), MAGIC + json.dumps(head).encode("utf-8") + b"\n"
                    + payload + costed, durable=False)


def recall_costing(book: Path, known: KnownLedger, methods: dict[str, str]) -> Books | None:
    """The Books remembered with `known` (a Ledger `recall` gave), when they were costed by
    exactly `methods` and the cache file still holds just what it held then; else None."""
    if not isinstance(known, RememberedLedger) or known._book is None:
        return None
    with contextlib.suppress(Exception):  # anything wrong with the cache: cost it
        head = known._head
        if head is None:
            return None
        costed = head.get("costing")
        if not costed or costed["methods"] != methods:
            return None
        data = known._rest
        if data is None:  # not read with the frame: read now, as it was then
            found = _payload(book, None, known.anchor, head)
            if found is None:
                return None
            data = found[2]
        if hashlib.sha256(data).hexdigest() != costed["sha256"]:
            return None
        return _books_from(data)
    return None


def _books_bytes(books: Books) -> bytes:
    """The Books as Arrow files one after another, each led by its length (8 bytes)."""
    tables = [pa.Table.from_pandas(getattr(books, n), preserve_index=False) for n in BOOK_FRAMES]
    tables += [pa.Table.from_pandas(getattr(books, n).to_frame(), preserve_index=True)
               for n in BOOK_SERIES]
    out = bytearray()
    for table in tables:
        sink = pa.BufferOutputStream()
        feather.write_feather(table, sink, compression="lz4")
        blob = sink.getvalue().to_pybytes()
        out += len(blob).to_bytes(8, "little") + blob
    out += int(books.waves).to_bytes(8, "little")
    return bytes(out)


def _books_from(data: memoryview) -> Books:
    frames: list[pd.DataFrame] = []
    at = 0
    for _ in BOOK_FRAMES + BOOK_SERIES:
        size = int.from_bytes(data[at : at + 8], "little")
        frames.append(feather.read_table(pa.BufferReader(data[at + 8 : at + 8 + size]))
                      .to_pandas())
        at += 8 + size
    waves = int.from_bytes(data[at : at + 8], "little")
    if at + 8 != len(data):
        raise ValueError("the Books end short of the file's end")
    named = dict(zip(BOOK_FRAMES, frames, strict=False))
    series = {n: f.iloc[:, 0] for n, f in zip(BOOK_SERIES, frames[len(BOOK_FRAMES):],
                                              strict=True)}
    return Books(**named, **series, waves=waves)


def forget(book: Path) -> None:
    """Drop what is remembered of this book (the next press reads it in full)."""
    with contextlib.suppress(OSError):
        memory_file(book).unlink(missing_ok=True)


def _key_text(key: list[MemberKey], anchor: Tip | None) -> str:
    members = ";".join(f"{n}:{crc:08x}:{packed}:{size}" for n, crc, packed, size in key)
    return members + (f"|anchor:{anchor.entry}:{anchor.hash}" if anchor else "|anchor:")


def _header(book: Path, key: list[MemberKey], anchor: Tip | None) -> dict | None:
    """The cache file's header (its first line) when it is for this content."""
    with contextlib.suppress(Exception):  # anything wrong with the cache: not remembered
        with open(memory_file(book), "rb") as f:
            if f.read(len(MAGIC)) != MAGIC:
                return None
            head = json.loads(f.readline())
        return head if head["key"] == _key_text(key, anchor) else None
    return None


def _payload(book: Path, key: list[MemberKey] | None, anchor: Tip | None,
             expected: dict | None = None) -> tuple[dict, memoryview, memoryview] | None:
    """The cache file's header, frame bytes and the bytes after them (its Books, if any),
    when it is whole and for this content (`key`), or holds just what the header `expected`
    (read before) says."""
    try:
        data = memory_file(book).read_bytes()
    except OSError:
        return None
    with contextlib.suppress(Exception):  # anything wrong with the cache: not remembered
        if not data.startswith(MAGIC):
            return None
        head_end = data.index(b"\n", len(MAGIC))
        head = json.loads(data[len(MAGIC) : head_end])
        if key is not None and head["key"] != _key_text(key, anchor):
            return None
        if expected is not None and head != expected:
            return None
        start = head_end + 1
        payload = memoryview(data)[start : start + int(head["size"])]
        if hashlib.sha256(payload).hexdigest() != head["sha256"]:
            return None
        return head, payload, memoryview(data)[start + int(head["size"]) :]
    return None
