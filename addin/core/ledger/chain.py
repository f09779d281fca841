"""The tamper-evident Ledger: each row's Hash seals its values and the Hash of the row above.

`seal` fills the Hash of new entries as they are posted; `verify` re-reads the whole
Ledger and names the first row that no longer matches, or the first place where the entry
numbers stop running 1, 2, 3, ... (a row deleted, inserted, copied or moved).

The Hash of a row is the first 16 hex digits of SHA-256 over the UTF-8 bytes of::

    loupe-ledger-1|<Hash of the row above, "" for entry 1>|<canonical row>

and the canonical row is the 14 business columns of `ledger.COLUMNS` (all but hash), in
that order, joined by ``|``:

- entry, qty, reverses and the money columns unit_cost, unit_price, cogs: a whole number
  in decimal, ``-`` for negatives, no leading zeros, no ``.0`` (3, 3.0 and "3" are all
  ``3``); money is in integer cents, as in every ledger frame (readers convert the
  sheet's dollars with `money.cents_series` first). Blank is ``0``. A number with a
  fraction is written as Python prints the float (``3.5``); anything else that is not a
  number is ``?`` plus its text, so it can never equal a number.
- unit_cost and unit_price are in cents too, though the frame holds them in
  ten-thousandths of a dollar: a whole number of cents exactly as above (1200 -> ``12``,
  so every row of a book whose costs and prices are whole cents hashes as it always has),
  a fraction of a cent with its one or two decimals (0.125 is 1250 -> ``12.5``; 0.1234 ->
  ``12.34``).
- posted_at: ``YYYY-MM-DDTHH:MM:SS``, rounded to the second (Excel keeps a time as a
  fraction of a day and may hand it back a microsecond off); blank is empty.
- date: ``YYYY-MM-DD`` when the time of day is midnight (a date and a datetime at
  midnight are the same day), else like posted_at.
- kind, doc, style, serial, location, party: ``<length>:<text>``, the text in Unicode
  NFC, blank (None, NaN, "") as ``0:``. A whole number that Excel turned a numeric-looking
  text into (Doc 2231 -> 2231.0) is written back as its digits (``4:2231``). The length
  prefix makes the encoding unambiguous whatever ``|`` or ``:`` the text holds.

Why 16 hex digits (64 bits) and not all 64: the chain has no secret key, so it guards
against edits by hand, not against someone re-running Loupe's code to forge a chain. For
that job, the chance that an edit leaves a row's Hash unchanged is 2^-64; each row is
compared with its own recomputed Hash, so there is no birthday effect across rows; and 16
characters fit the Ledger's Hash column. The writers must store Hash as *text*: Excel
turns an all-digit hex string into a number and loses digits.

Limits: deleting the *last* rows leaves a shorter chain that is still intact; keep the
last entry's number and Hash elsewhere (`tip`) and pass it to `verify` to catch that.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from addin.core import ledger
from addin.core.errors import LedgerTampered

HASH_CHARS = 16
SCHEME = "loupe-ledger-1"
GENESIS = ""  # the "previous Hash" of entry 1
FIRST_ROW = 2  # Excel row of the Ledger's first entry (the header is row 1)
BUSINESS_COLUMNS: tuple[str, ...] = tuple(c for c in ledger.COLUMNS if c != "hash")
NUMBER_COLUMNS = ("entry", "qty", "unit_cost", "unit_price", "cogs", "reverses")
PER_PIECE_COLUMNS = ("unit_cost", "unit_price")  # held in ten-thousandths, hashed in cents
TEXT_COLUMNS = ("kind", "doc", "style", "serial", "location", "party")


@dataclass(frozen=True)
class Tip:
    """The last entry of a sealed Ledger: kept elsewhere, it reveals rows cut off the end."""

    entry: int
    hash: str


@dataclass(frozen=True)
class VerifyResult:
    """What `verify` found: ok, or the first bad row (its position, Excel row and entry)."""

    ok: bool
    checked: int  # ledger rows read
    message: str  # what is wrong, then "; " and the fix (a reader may split them there)
    position: int | None = None  # 0-based position in the frame
    row: int | None = None  # Excel row number
    entry: int | None = None  # the entry number in that row, when it has one

    def raise_if_tampered(self) -> None:
        """Raise LedgerTampered when the ledger did not verify."""
        if not self.ok:
            raise LedgerTampered(self.entry or 0, self.row or 0, self.message)


# --- the canonical encoding -------------------------------------------------------------


def _text(col: pd.Series) -> pd.Series:
    """Text cells as compared: blank for None/NaN, whole floats as digits, Unicode NFC."""
    s = col.astype(object)
    text = s.where(s.notna(), "").astype(str)
    text = text.str.replace(r"^(-?\d+)\.0$", r"\1", regex=True)
    return text.str.normalize("NFC")


def _number(col: pd.Series) -> pd.Series:
    """Whole numbers as plain digits; blank as 0; fractions and non-numbers kept distinct."""
    if pd.api.types.is_integer_dtype(col.dtype) and not col.isna().any():
        return col.astype("int64").astype(str)
    num = pd.to_numeric(col.astype(object), errors="coerce").astype("float64")
    whole = np.isfinite(num) & (num == np.round(num))
    digits = num.where(whole, 0).astype("int64").astype(str)
    text = _text(col)
    other = num.astype(str).where(num.notna(), "?" + text)
    return digits.where(whole, other).where(text.str.strip() != "", "0")


def _unit_cost(col: pd.Series) -> pd.Series:
    """Unit costs (ten-thousandths) as cents: whole cents as `_number` writes them, a
    fraction of a cent with its decimals (1250 -> 12.5); what is not a whole number of
    ten-thousandths is ``?`` plus its text, so it never equals a unit cost."""
    if not (pd.api.types.is_integer_dtype(col.dtype) and not col.isna().any()):
        num = pd.to_numeric(col.astype(object), errors="coerce").astype("float64")
        text = _text(col)
        whole = (np.isfinite(num) & (num == np.round(num))) | (text.str.strip() == "")
        if not whole.all():
            odd = "?" + num.astype(str).where(num.notna(), text)
            return odd.where(~whole, _unit_cost(num.where(whole, 0).fillna(0).astype("int64")))
        col = num.astype("int64")
    units = col.to_numpy(np.int64)
    cents, rest = np.divmod(np.abs(units), 100)
    sign = np.where(units < 0, "-", "")
    fraction = pd.Series(rest, index=col.index).astype(str).str.zfill(2).str.rstrip("0")
    text = sign + pd.Series(cents, index=col.index).astype(str)
    return text.where(rest == 0, text + "." + fraction)


def _moment(col: pd.Series, *, day_only_at_midnight: bool) -> pd.Series:
    """Dates and times as ISO text, to the second; a bare day when allowed and at midnight."""
    typed = pd.api.types.is_datetime64_any_dtype(col.dtype)
    t = col if typed else pd.to_datetime(col.astype(object), errors="coerce", format="mixed")
    if getattr(t.dt, "tz", None) is not None:
        t = t.dt.tz_localize(None)
    seconds = t.dt.round("s").to_numpy(dtype="datetime64[s]")
    out = np.datetime_as_string(seconds, unit="s")
    if day_only_at_midnight:
        days = seconds.astype("datetime64[D]")
        out = np.where(days == seconds, np.datetime_as_string(days, unit="D"), out)
    text = pd.Series("", index=col.index) if typed else _text(col)
    not_a_date = ("?" + text).where(text.str.strip() != "", "")
    return pd.Series(out, index=col.index).where(t.notna(), not_a_date).astype(str)


def canonical_rows(frame: pd.DataFrame) -> pd.Series:
    """Each ledger row's canonical text (without the previous Hash), built column-wise."""
    parts: list[pd.Series] = []
    for column in BUSINESS_COLUMNS:
        col = (
            frame[column] if column in frame else pd.Series([None] * len(frame), index=frame.index)
        )
        if column in PER_PIECE_COLUMNS:
            parts.append(_unit_cost(col))
        elif column in NUMBER_COLUMNS:
            parts.append(_number(col))
        elif column in TEXT_COLUMNS:
            text = _text(col)
            parts.append(text.str.len().astype(str) + ":" + text)
        else:
            parts.append(_moment(col, day_only_at_midnight=column == "date"))
    out = parts[0]
    for part in parts[1:]:
        out = out + "|" + part
    return out.reset_index(drop=True)


def row_hash(previous: str, canonical: str) -> str:
    """The Hash of one row from the Hash above it and its canonical text."""
    data = f"{SCHEME}|{previous}|{canonical}".encode()
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS]


# --- sealing and verifying ----------------------------------------------------------------


def seal(frame: pd.DataFrame, previous_hash: str = GENESIS) -> pd.DataFrame:
    """New entries with their Hash filled, chained after `previous_hash` (the Ledger's last
    Hash, "" for an empty Ledger). Posted At is rounded to the second, as it is hashed."""
    out = frame.copy()
    if "posted_at" in out and pd.api.types.is_datetime64_any_dtype(out["posted_at"].dtype):
        out["posted_at"] = out["posted_at"].dt.round("s")
    hashes: list[str] = []
    previous = previous_hash
    for canonical in canonical_rows(out).tolist():
        previous = row_hash(previous, canonical)
        hashes.append(previous)
    out["hash"] = pd.Series(hashes, index=out.index, dtype=object).astype(str)
    return out


def tip(frame: pd.DataFrame) -> Tip | None:
    """The last entry number and Hash of a sealed ledger (None when it is empty)."""
    if frame.empty:
        return None
    last = frame.iloc[-1]
    return Tip(int(pd.to_numeric(last["entry"])), str(last["hash"]))


def verify(
    frame: pd.DataFrame,
    *,
    previous_hash: str = GENESIS,
    first_entry: int = 1,
    first_row: int = FIRST_ROW,
    expected_tip: Tip | None = None,
) -> VerifyResult:
    """Check the Ledger: entries run first_entry, +1, ... and every Hash matches its row.

    Names the first row that fails, in sheet order; when the numbering and the Hash both
    fail on one row, the numbering says more (a row deleted, inserted or moved).
    """
    n = len(frame)
    entries = pd.to_numeric(frame["entry"].astype(object), errors="coerce").to_numpy(float)
    misnumbered = np.flatnonzero(entries != first_entry + np.arange(n))
    stored = _text(frame["hash"]).str.strip().tolist() if n else []
    above = [previous_hash, *stored][:n]
    expected = [row_hash(p, c) for p, c in zip(above, canonical_rows(frame).tolist(), strict=True)]
    changed = np.flatnonzero(np.array(expected, dtype=object) != np.array(stored, dtype=object))
    firsts = [int(i[0]) for i in (misnumbered, changed) if len(i)]
    if not firsts:
        return _tip_result(frame, entries, expected_tip, first_row)
    at = min(firsts)
    entry = None if np.isnan(entries[at]) else int(entries[at])
    if len(misnumbered) and misnumbered[0] == at:
        message = _numbering_message(entries, at, first_entry, first_row)
    else:
        message = _changed_message(stored[at], at, entry, first_row)
    return VerifyResult(False, n, message, at, first_row + at, entry)


def _numbering_message(entries: np.ndarray, at: int, first_entry: int, first_row: int) -> str:
    row, want, got = first_row + at, first_entry + at, entries[at]
    if np.isnan(got):
        return (
            f"Ledger row {row} has no entry number where entry {want} belongs: a row was "
            "typed or pasted in; delete it (see the backup) or restore the book"
        )
    got = int(got)
    if got in entries[:at]:
        return (
            f"Ledger row {row} repeats entry {got}: a row was copied or inserted; "
            "delete the extra row (see the backup) or restore the book"
        )
    if want not in entries[at:]:
        return (
            f"Ledger row {row} holds entry {got} but entry {want} is missing: a posted "
            "row was deleted; restore the book from the backup (undo a posting with "
            "a reversal, never by deleting its row)"
        )
    return (
        f"Ledger row {row} holds entry {got} where entry {want} belongs: rows were "
        "inserted, moved or sorted; sort the Ledger by Entry and delete rows that were "
        "never posted (see the backup), or restore the book"
    )


def _changed_message(stored: str, at: int, entry: int | None, first_row: int) -> str:
    where = f"Ledger row {first_row + at} (entry {entry})"
    if not stored:
        return (
            f"{where} has no Hash: it was typed in, not posted; delete it (see the "
            "backup) or restore the book"
        )
    return (
        f"{where} was changed after posting: its values no longer match its Hash; "
        "undo the edit (see the backup) or restore the book"
    )


def _tip_result(
    frame: pd.DataFrame, entries: np.ndarray, expected_tip: Tip | None, first_row: int
) -> VerifyResult:
    """An intact chain must still reach the last entry recorded elsewhere, unchanged."""
    n = len(frame)
    if expected_tip is None:
        return VerifyResult(True, n, f"Ledger verified: {n} entries, every Hash matches")
    at = np.flatnonzero(entries == expected_tip.entry)
    if not len(at):
        last = f"ends at entry {int(entries[-1])}" if n else "is empty"
        return VerifyResult(
            False,
            n,
            f"The Ledger {last} but was sealed up to entry "
            f"{expected_tip.entry}: rows were deleted from its end; restore "
            "the book from the backup",
            n - 1 if n else None,
            first_row + n - 1 if n else None,
            int(entries[-1]) if n else None,
        )
    i = int(at[0])
    if str(frame["hash"].iloc[i]).strip() != expected_tip.hash:
        return VerifyResult(
            False,
            n,
            f"Ledger row {first_row + i} (entry {expected_tip.entry})"
            " no longer carries the Hash it was sealed with: rows up to it "
            "were edited and re-sealed; restore the book from the backup",
            i,
            first_row + i,
            expected_tip.entry,
        )
    return VerifyResult(True, n, f"Ledger verified: {n} entries, every Hash matches")
