"""The archive: a closed period's Ledger entries in an SQLite file beside the book.

``shop.xlsm`` keeps its closed history in ``shop.archive.sqlite``: an ordinary SQLite 3
database that any SQLite tool, Python's ``sqlite3``, DuckDB, pandas or a BI tool reads
without Loupe. The schema (docs/archive.md) uses plain types only, so it moves into a
database server as it is: whole numbers (money in integer cents), ISO-8601 text for dates,
text for everything else.

- ``entries``: every entry the book's Ledger ever held, keyed on its entry number, with the
  same 15 values (money in cents) and the Hash it was sealed with, plus the close that
  archived it. The rows run 1, 2, 3, ... without a gap, one continuous hash chain; the
  carried entries of one close are archived by the next.
- ``closes``: one row per close: through which date, when, the archived and the carried
  entry ranges, the last archived Hash (what the book's first carried entry is chained
  to) and the period lock before the close (for an undo).
- ``memo_dues``: the Due Date of each archived memo-out entry, as its Movements row said
  when the period closed, so the Memos report keeps the due date of a piece out on memo
  across the close even once that row is cleared.
- ``meta``: the schema version.

A close writes the archive in one SQLite transaction *before* the book is saved; the book
is the commit point. A close whose carried entries are not where the book's Ledger
starts (the book was not saved, or the close was undone) is *pending*: readers leave it
out and the next change removes it (`settle`). So a crash at any moment leaves book and
archive as they were before the close, or both closed.

This package may import `addin.core` and `addin.sheets` (and the standard library's
sqlite3); never another adapter, `addin.session` or the macros.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from addin.core import ledger
from addin.core.errors import BookError
from addin.core.ledger import chain

SCHEMA_VERSION = "1"
SUFFIX = ".archive.sqlite"
MONEY = ("unit_cost", "unit_price", "cogs")
PER_PIECE = ("unit_cost", "unit_price")  # stored in cents, a fraction of a cent as typed
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS closes (
    close_no      INTEGER PRIMARY KEY,
    through_date  TEXT    NOT NULL,
    closed_at     TEXT    NOT NULL,
    first_entry   INTEGER NOT NULL,
    last_entry    INTEGER NOT NULL,
    last_hash     TEXT    NOT NULL,
    carried_first INTEGER NOT NULL,
    carried_last  INTEGER NOT NULL,
    carried_hash  TEXT    NOT NULL,
    lock_before   TEXT
);
CREATE TABLE IF NOT EXISTS entries (
    entry            INTEGER PRIMARY KEY,
    posted_at        TEXT    NOT NULL,
    date             TEXT    NOT NULL,
    kind             TEXT    NOT NULL,
    doc              TEXT    NOT NULL,
    style            TEXT    NOT NULL,
    serial           TEXT    NOT NULL,
    qty              INTEGER NOT NULL,
    unit_cost_cents  INTEGER NOT NULL,
    unit_price_cents INTEGER NOT NULL,
    location         TEXT    NOT NULL,
    party            TEXT    NOT NULL,
    cogs_cents       INTEGER NOT NULL,
    reverses         INTEGER NOT NULL,
    hash             TEXT    NOT NULL,
    close_no         INTEGER NOT NULL REFERENCES closes (close_no)
);
CREATE TABLE IF NOT EXISTS memo_dues (
    entry    INTEGER PRIMARY KEY,
    due_date TEXT    NOT NULL,
    close_no INTEGER NOT NULL REFERENCES closes (close_no)
);
CREATE INDEX IF NOT EXISTS entries_serial ON entries (serial) WHERE serial <> '';
CREATE INDEX IF NOT EXISTS entries_date ON entries (date);
"""
ENTRY_COLUMNS = tuple(f"{c}_cents" if c in MONEY else c for c in ledger.COLUMNS)


@dataclass(frozen=True)
class CloseRecord:
    """One row of the closes table."""

    close_no: int
    through: dt.date
    closed_at: str
    first_entry: int
    last_entry: int
    last_hash: str
    carried_first: int
    carried_last: int
    carried_hash: str
    lock_before: dt.date | None

    @property
    def anchor(self) -> chain.Tip:
        """The archive's last entry as this close left it: the book's first row chains to it."""
        return chain.Tip(self.last_entry, self.last_hash)


BACKUP_MARK = ".loupe-backup"


def archive_path(book: Path) -> Path:
    """shop.xlsm -> shop.archive.sqlite, beside it (the backup shop.loupe-backup.xlsm has
    the same archive)."""
    return book.with_name(book.stem.removesuffix(BACKUP_MARK) + SUFFIX)


class Archive:
    """The archive file of one book (it need not exist yet)."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def beside(cls, book: Path) -> Archive:
        return cls(archive_path(book))

    @property
    def exists(self) -> bool:
        return self.path.exists()

    @contextlib.contextmanager
    def _db(self, *, writing: bool = False) -> Iterator[sqlite3.Connection]:
        if not writing and not self.exists:
            raise BookError(f"the archive {self.path.name} is not beside the book")
        try:
            con = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as e:
            raise BookError(f"cannot open the archive {self.path.name} ({e})") from None
        try:
            con.execute("PRAGMA synchronous = FULL")
            if writing:
                con.executescript(SCHEMA)
                con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                            (SCHEMA_VERSION,))
            yield con
        except sqlite3.DatabaseError as e:
            raise BookError(f"the archive {self.path.name} cannot be read ({e}); restore it "
                            "from a copy") from None
        finally:
            con.close()

    # -- reading -----------------------------------------------------------------------

    def closes(self) -> list[CloseRecord]:
        """Every close recorded, pending ones included, oldest first."""
        if not self.exists:
            return []
        with self._db() as con:
            rows = con.execute("SELECT * FROM closes ORDER BY close_no").fetchall()
        return [CloseRecord(r[0], dt.date.fromisoformat(r[1]), r[2], *r[3:9],
                            dt.date.fromisoformat(r[9]) if r[9] else None) for r in rows]

    def committed(self, book_first_entry: int | None) -> list[CloseRecord]:
        """The closes the book stands on: up to the one whose carried entries start the
        book's Ledger (none when the Ledger starts at entry 1 or is empty)."""
        done = self.closes()
        for i, c in enumerate(done):
            if c.carried_first == book_first_entry:
                return done[: i + 1]
        return []

    def entries(self, through_close: int | None = None) -> pd.DataFrame:
        """The archived entries as a ledger frame (money in cents), up to a close."""
        if not self.exists:
            return ledger.empty()
        with self._db() as con:
            sql = f"SELECT {', '.join(ENTRY_COLUMNS)} FROM entries"
            if through_close is not None:
                sql += f" WHERE close_no <= {int(through_close)}"
            df = pd.read_sql_query(sql + " ORDER BY entry", con)
        df.columns = list(ledger.COLUMNS)
        for c in PER_PIECE:
            df[c] = (pd.to_numeric(df[c]) * 100).round().astype("int64")
        df["date"] = pd.to_datetime(df["date"], format="ISO8601")
        df["posted_at"] = pd.to_datetime(df["posted_at"], format="ISO8601")
        return ledger.normalize(df)

    def memo_dues(self, through_close: int | None = None) -> pd.Series:
        """Entry number -> Due Date (datetime64) of the archived memo-out entries, up to a
        close; empty for an archive written before due dates were kept."""
        empty = pd.Series(dtype="datetime64[ns]", index=pd.Index([], dtype="int64",
                                                                 name="entry"))
        if not self.exists:
            return empty
        with self._db() as con:
            if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'memo_dues'"
                           ).fetchone() is None:
                return empty
            sql = "SELECT entry, due_date FROM memo_dues"
            if through_close is not None:
                sql += f" WHERE close_no <= {int(through_close)}"
            rows = con.execute(sql + " ORDER BY entry").fetchall()
        if not rows:
            return empty
        return pd.Series(pd.to_datetime([d for _, d in rows], format="ISO8601"),
                         index=pd.Index([int(e) for e, _ in rows], name="entry"))

    # -- writing -----------------------------------------------------------------------

    def add_close(self, archived: pd.DataFrame, carried: pd.DataFrame, through: dt.date,
                  closed_at: dt.datetime, lock_before: dt.date | None,
                  memo_dues: pd.Series | None = None) -> CloseRecord:
        """Record a close in one transaction: the archived entries, the closes row, and
        `memo_dues` (entry number -> Due Date) for the archived entries it names."""
        with self._db(writing=True) as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                no = con.execute("SELECT COALESCE(MAX(close_no), 0) + 1 FROM closes"
                                 ).fetchone()[0]
                record = CloseRecord(
                    no, through, closed_at.isoformat(timespec="seconds"),
                    int(archived["entry"].iloc[0]), int(archived["entry"].iloc[-1]),
                    str(archived["hash"].iloc[-1]), int(carried["entry"].iloc[0]),
                    int(carried["entry"].iloc[-1]), str(carried["hash"].iloc[-1]), lock_before)
                con.execute("INSERT INTO closes VALUES (?,?,?,?,?,?,?,?,?,?)", (
                    no, through.isoformat(), record.closed_at, record.first_entry,
                    record.last_entry, record.last_hash, record.carried_first,
                    record.carried_last, record.carried_hash,
                    lock_before.isoformat() if lock_before else None))
                con.executemany(
                    f"INSERT INTO entries VALUES ({', '.join('?' * (len(ENTRY_COLUMNS) + 1))})",
                    entry_rows(archived, no))
                con.executemany("INSERT OR REPLACE INTO memo_dues VALUES (?,?,?)",
                                _due_rows(memo_dues, record, no))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return record

    def settle(self, book_first_entry: int | None) -> int:
        """Remove the closes the book does not stand on (a close not saved into the book,
        or undone); returns how many were removed."""
        if not self.exists:
            return 0
        keep = {c.close_no for c in self.committed(book_first_entry)}
        drop = [c.close_no for c in self.closes() if c.close_no not in keep]
        if not drop:
            return 0
        with self._db(writing=True) as con:
            con.execute("BEGIN IMMEDIATE")
            marks = ",".join("?" * len(drop))
            con.execute(f"DELETE FROM memo_dues WHERE close_no IN ({marks})", drop)
            con.execute(f"DELETE FROM entries WHERE close_no IN ({marks})", drop)
            con.execute(f"DELETE FROM closes WHERE close_no IN ({marks})", drop)
            con.execute("COMMIT")
        return len(drop)


def _due_rows(dues: pd.Series | None, record: CloseRecord, close_no: int) -> list[tuple]:
    """memo_dues rows for the entries this close archives: entry, ISO day, close."""
    if dues is None or dues.empty:
        return []
    mine = dues[(dues.index >= record.first_entry) & (dues.index <= record.last_entry)]
    mine = mine[mine.notna()]
    return [(int(e), pd.Timestamp(d).date().isoformat(), close_no) for e, d in mine.items()]


def entry_rows(lf: pd.DataFrame, close_no: int) -> list[tuple]:
    """Ledger frame -> entries rows: ISO dates (a bare day at midnight), cents, text. Unit
    cost is cents as well (the archive's first books held whole cents only), a fraction of
    a cent as a real number (0.125 -> 12.5); `entries` reads it back to ten-thousandths."""
    date = lf["date"]
    day_text = date.dt.strftime("%Y-%m-%d")
    date_text = day_text.where(date == date.dt.normalize(),
                               date.dt.strftime("%Y-%m-%dT%H:%M:%S"))
    posted = lf["posted_at"].dt.round("s").dt.strftime("%Y-%m-%dT%H:%M:%S")
    cols = []
    for c in ledger.COLUMNS:
        if c == "date":
            cols.append(date_text.tolist())
        elif c == "posted_at":
            cols.append(posted.tolist())
        elif c in PER_PIECE:  # cents, with a fraction of a cent when typed so (12.5)
            cols.append([int(v) // 100 if v % 100 == 0 else int(v) / 100
                         for v in lf[c].to_numpy()])
        elif c in ledger.INT_COLUMNS:
            cols.append([int(v) for v in lf[c].to_numpy()])
        else:
            cols.append(lf[c].astype(str).tolist())
    cols.append([close_no] * len(lf))
    return list(zip(*cols, strict=True))


@dataclass(frozen=True)
class ArchiveCheck:
    """What checking an archive found: ok and the anchor for the book, or the first fault."""

    ok: bool
    message: str
    entries: int = 0
    anchor: chain.Tip | None = None
    entry: int | None = None  # the archived entry at fault
    where: str = "Archive"  # "Ledger" when the book's first row does not link to it


def check(archive: Archive, book_first_entry: int | None) -> ArchiveCheck:
    """Verify the archive the book stands on: its chain from entry 1, each close's record
    against its entries, and that the book's Ledger starts where the last close left it."""
    done = archive.committed(book_first_entry)
    if not done:
        return ArchiveCheck(
            False, f"the Ledger starts at entry {book_first_entry}, after a close, but the "
            f"archive {archive.path.name} holds no close that carried it",
            entry=book_first_entry)
    lf = archive.entries(done[-1].close_no)
    found = chain.verify(lf, first_row=1)
    name = archive.path.name
    if not found.ok:
        what = found.message.replace("Ledger row", "entries row").split(": ")[0]
        return ArchiveCheck(False, f"archive {name}: {what}", len(lf), entry=found.entry)
    hashes = dict(zip(lf["entry"], lf["hash"], strict=True))
    for c in done:
        if hashes.get(c.last_entry) != c.last_hash:
            return ArchiveCheck(
                False, f"archive {name}: close {c.close_no} (through {c.through}) records "
                f"entry {c.last_entry} with Hash {c.last_hash}, which its entries do not "
                "hold", len(lf), entry=c.last_entry)
    last = done[-1]
    if int(lf["entry"].iloc[-1]) != last.last_entry:
        return ArchiveCheck(False, f"archive {name}: entries end at "
                            f"{int(lf['entry'].iloc[-1])}, close {last.close_no} at "
                            f"{last.last_entry}", len(lf),
                            entry=last.last_entry)
    return ArchiveCheck(True, f"archive {name}: {len(lf)} entries in {len(done)} close(s), "
                        "every Hash matches", len(lf), last.anchor)


def for_book(book: object) -> Archive | None:
    """The archive beside a book open in either adapter (None when it has no file name)."""
    path = getattr(book, "path", None) or getattr(getattr(book, "xw", None), "fullname", None)
    return Archive.beside(Path(str(path))) if path else None
