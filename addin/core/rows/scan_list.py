"""Scan lists: what a barcode scanner or an RFID reader exported, read into codes.

Accepted, as scanners export them:

- one code per line (a scanner in keyboard mode into a text file, or codes pasted);
- CSV (comma, semicolon or tab) with a time stamp: a header row naming the columns
  (``code``/``barcode``/``serial``/``epc``/``tag``/``data`` and ``time``/``timestamp``/
  ``date``/``scanned``), or no header, where the column that reads as dates is the time.

Each code is normalized like a serial (spaces out, upper case). An RFID reader reports
EPCs in hex; an EPC that carries the serial as text (ASCII bytes, padded with zeros) is
read back to that text, and any other EPC is kept as it is, for the Items sheet's RFID Tag
column to name its piece. Blank lines are skipped; a line that cannot be read is a
problem naming its line number, and the rest of the list still counts.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from addin.core.errors import Problem
from addin.core.rows.serials import normalize_serial, normalize_serials

CODE_HEADERS = ("code", "barcode", "serial", "epc", "tag", "data", "value", "scan")
TIME_HEADERS = ("time", "timestamp", "date", "scanned", "scanned at", "datetime", "when")
HEX_EPC = re.compile(r"(?:[0-9A-F]{2}){8,32}")  # 64- to 256-bit EPC banks, as hex
SCAN_COLUMNS = ["line", "raw", "code", "at"]


def read_scan_list(text: str, source: str = "scan list") -> tuple[pd.DataFrame, list[Problem]]:
    """A scan list's text -> (frame of line, raw, code, at; problems). `source` names it."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    rows: list[tuple[int, str, pd.Timestamp | None]] = []
    problems: list[Problem] = []
    dialect = _dialect(lines)
    if dialect is None:
        for n, line in enumerate(lines, start=1):
            if line.strip():
                rows.append((n, line.strip(), None))
        return _frame(rows), problems
    table = list(csv.reader(io.StringIO("\n".join(lines)), dialect))
    code_at, time_at, start = _columns(table)
    for n, cells in enumerate(table[start:], start=start + 1):
        if not any(c.strip() for c in cells):
            continue
        if code_at >= len(cells) or not cells[code_at].strip():
            problems.append(Problem(source, n, "code", "the line has no code",
                                    "delete the line or rescan the piece"))
            continue
        at = _time(cells[time_at]) if time_at is not None and time_at < len(cells) else None
        rows.append((n, cells[code_at].strip(), at))
    return _frame(rows), problems


def scans_from_cells(codes: list, times: list | None = None) -> pd.DataFrame:
    """Codes pasted into the workbook (one per cell, in sheet order) as a scan frame."""
    times = times or [None] * len(codes)
    rows = [
        (n, str(c).strip(), _time(t))
        for n, (c, t) in enumerate(zip(codes, times, strict=True), start=1)
        if normalize_serial(c)
    ]
    return _frame(rows)


def epc_text(code: object) -> str:
    """A scanned code, normalized; an EPC that holds printable text reads as that text."""
    text = normalize_serial(code)
    if HEX_EPC.fullmatch(text):
        raw = bytes.fromhex(text).rstrip(b"\x00")
        if raw and all(0x21 <= b <= 0x7E for b in raw):
            return normalize_serial(raw.decode("ascii"))
    return text


def epc_of(serial: str, bits: int = 96) -> str:
    """The EPC that carries `serial` as text (what an encoder writes on a Loupe RFID tag)."""
    raw = serial.encode("ascii")
    if len(raw) * 8 > bits:
        raise ValueError(f"{serial} needs {len(raw) * 8} bits; use an EPC of at least that")
    return raw.ljust(bits // 8, b"\x00").hex().upper()


def _frame(rows: list) -> pd.DataFrame:
    """(line, raw, at) rows -> the scan frame; codes normalized for the whole list at once."""
    out = pd.DataFrame(rows, columns=["line", "raw", "at"])
    code = normalize_serials(out["raw"])
    hexed = code.str.fullmatch(HEX_EPC.pattern).fillna(False).to_numpy(bool)
    if hexed.any():
        code[hexed] = code[hexed].map(epc_text)
    out.insert(2, "code", code.to_numpy(dtype=object))
    out["at"] = pd.to_datetime(out["at"])
    return out[SCAN_COLUMNS]


def _dialect(lines: list[str]) -> type[csv.Dialect] | None:
    """The CSV dialect when the list has more than one column, else None."""
    sample = "\n".join(line for line in lines[:50] if line.strip())
    if not any(sep in sample for sep in ",;\t"):
        return None
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return None


def _columns(table: list[list[str]]) -> tuple[int, int | None, int]:
    """(code column, time column or None, first data row) from a header or from the data."""
    head = [c.strip().casefold() for c in table[0]] if table else []
    code = next((i for i, h in enumerate(head) if h in CODE_HEADERS), None)
    time = next((i for i, h in enumerate(head) if h in TIME_HEADERS), None)
    if code is not None:
        return code, time, 1
    width = max((len(r) for r in table), default=1)
    first = next((r for r in table if any(c.strip() for c in r)), [""])
    times = [i for i in range(min(width, len(first))) if _time(first[i]) is not None]
    time = times[0] if times else None
    code = next((i for i in range(width) if i != time), 0)
    return code, time, 0


def _time(value: object) -> pd.Timestamp | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if not isinstance(value, str):
        return pd.Timestamp(value)
    text = value.strip()
    if not re.search(r"\d{1,4}[-/.:]\d{1,2}", text):
        return None
    try:
        return pd.Timestamp(text)
    except (ValueError, TypeError):
        return None
