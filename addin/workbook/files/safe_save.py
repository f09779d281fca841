"""Saving a workbook so that a crash at any moment leaves the old file or the new one, whole.

The new file is written beside the book under a temporary name, flushed to the disk, and
checked; the current book becomes the backup (`shop.loupe-backup.xlsm`, replaced on every
save, a hard link when the disk allows, so no copy is made); then one `os.replace` swaps
the new file in. Killing the process at any instant leaves `shop.xlsm` either as it was
or fully saved, plus at worst a stray temporary file that the next run removes.

A lock file beside the book (`shop.xlsm.loupe-lock`) keeps two Loupe runs from changing
the same book at once; the operating system releases it if a run dies, and a run that
ends removes it. Commands that only read (verify, export) take no lock.

Other files Loupe writes (tag sheets, the template, the remembered Ledger) go through
`write_whole`: the same temporary file, flush and swap, without a backup.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from filelock import FileLock, Timeout

from addin.core.errors import BookError

TEMP_MARK = ".loupe-tmp-"


def backup_path(book: Path) -> Path:
    """shop.xlsm -> shop.loupe-backup.xlsm (still opens in Excel by double-click)."""
    return book.with_name(f"{book.stem}.loupe-backup{book.suffix}")


def lock_path(book: Path) -> Path:
    return book.with_name(book.name + ".loupe-lock")


@contextlib.contextmanager
def book_lock(book: Path, wait: float = 0) -> Iterator[None]:
    """Hold the book's lock for the duration; BookError at once if another run holds it."""
    lock = FileLock(lock_path(book), thread_local=False)
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise BookError(
            f"{book.name} is being changed by another Loupe run (lock file "
            f"{lock_path(book).name} is held); wait for it to finish, or delete "
            f"{lock_path(book)} if no run is active"
        ) from None
    except OSError as e:
        raise BookError(
            f"cannot lock {book.name} ({e}); check that its folder is writable"
        ) from None
    try:
        yield
    finally:
        # leave nothing behind: the lock file goes while still held, so no run that
        # starts after this point can find it half-released
        with contextlib.suppress(OSError):  # Windows keeps a held file; it stays there
            lock_path(book).unlink(missing_ok=True)
        lock.release()


def open_elsewhere(book: Path) -> Path | None:
    """The owner file Excel (~$shop.xlsm) or LibreOffice (.~lock.shop.xlsm#) keeps beside
    a book it has open, if there is one."""
    for name in (f"~${book.name}", f"~${book.name[2:]}", f".~lock.{book.name}#"):
        owner = book.with_name(name)
        if owner.exists():
            return owner
    return None


def remove_stale_temps(book: Path) -> None:
    """Delete temporary files a killed run left beside the book (call with the lock held)."""
    prefix = book.name + TEMP_MARK
    for p in book.parent.iterdir():
        if p.name.startswith(prefix):
            p.unlink(missing_ok=True)


def replace_atomically(
    book: Path, write: Callable[[BinaryIO], None], check: Callable[[Path], None]
) -> None:
    """Write the new book with `write`, `check` it, keep the old as the backup, swap it in."""
    temp = _temp_name(book, "")
    try:
        with open(temp, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        shutil.copymode(book, temp)
        check(temp)
        _keep_backup(book)
        os.replace(temp, book)
        _sync_folder(book.parent)
    except PermissionError as e:
        raise BookError(
            f"cannot replace {book.name} ({e.strerror}); if it is open in Excel, "
            "close it there and run again"
        ) from None
    finally:
        temp.unlink(missing_ok=True)
        _temp_name(book, "backup-").unlink(missing_ok=True)


def write_whole(path: Path, data: bytes, *, mode: int | None = None, durable: bool = True
                ) -> None:
    """Write `data` to `path` so that the file appears whole or not at all: a temporary
    file beside it, flushed to the disk (unless not `durable`: a cache that checks itself),
    then swapped in. `mode` sets its permissions (without it the file is the user's
    alone). Raises OSError as writing a file does."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    finally:
        Path(temp).unlink(missing_ok=True)


def _temp_name(book: Path, kind: str) -> Path:
    return book.with_name(f"{book.name}{TEMP_MARK}{kind}{os.getpid()}")


def _keep_backup(book: Path) -> None:
    staging = _temp_name(book, "backup-")
    staging.unlink(missing_ok=True)
    try:
        os.link(book, staging)
    except OSError:  # no hard links on this disk (FAT, some shares): copy instead
        with open(book, "rb") as src, open(staging, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
            dst.flush()
            os.fsync(dst.fileno())
    os.replace(staging, backup_path(book))


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles for this)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
