"""The log beside a book open in Excel: where a press writes what it could not show.

A Python traceback never reaches the user: the ribbon entry point and the worksheet
functions append it to ``<book>.loupe.log`` and tell the user where to find it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def log_path(xw_book) -> Path:
    """``<book>.loupe.log`` beside the book; in the home folder when the book has no
    folder on disk (never saved, or opened from the web)."""
    full = str(getattr(xw_book, "fullname", "") or "book")
    path = Path(full)
    if "://" in full or not path.parent.is_dir() or path.parent == Path("."):
        return Path.home() / f"{path.name}.loupe.log"
    return path.with_name(path.name + ".loupe.log")


def append_log(path: Path, text: str) -> None:
    try:
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {dt.datetime.now():%Y-%m-%d %H:%M:%S}  {text.rstrip()}\n")
    except OSError:
        pass  # a log that cannot be written must not turn into an error box
