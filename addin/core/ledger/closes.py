"""A closed period in the Ledger: the entries a close carries, and how the chain continues.

A period close (see `addin.core.closing`) moves the posted history through a date to an
archive and starts the Ledger again from *carried* entries: one per open cost layer or
piece, kind OPENING (owned stock, at its location or out on memo) or MEMO_IN (consigned
stock), Doc ``CLOSE <date>``. A carried entry's Date is the original receipt date of the
stock it carries, so ages and layer dates read as before; it sorts in the order of events
on its close's date, in entry order, so each FIFO queue comes out exactly as it stood at
the close (a transferred-in older layer still queues behind the younger stock that was
there first).

Entry numbers run on across a close and the hash chain continues: the first carried
entry is chained to the Hash of the archive's last entry. `verify_continued` checks a
Ledger that starts after a close: against the archive's last entry when it is at hand
(`anchor`), else from the first row's own Hash (the link to the archive is then checked
by ``loupe verify``, which reads the archive beside the book).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from addin.core.ledger import EntryKind, chain

CLOSE_DOC_PREFIX = "CLOSE "
CARRIED_KINDS = (EntryKind.OPENING.value, EntryKind.MEMO_IN.value)


def close_doc(through: dt.date) -> str:
    """The Doc of every entry a close through `through` carries."""
    return f"{CLOSE_DOC_PREFIX}{through:%Y-%m-%d}"


def close_days(lf: pd.DataFrame) -> pd.Series:
    """Per row: the date of the close that carried it (NaT for every other row)."""
    doc = lf["doc"].astype(str)
    carried = doc.str.startswith(CLOSE_DOC_PREFIX) & lf["kind"].isin(CARRIED_KINDS)
    if not carried.any():
        return pd.Series(pd.NaT, index=lf.index, dtype="datetime64[ns]")
    day = pd.to_datetime(doc.str.slice(len(CLOSE_DOC_PREFIX)).where(carried), errors="coerce",
                         format="%Y-%m-%d")
    return day.astype("datetime64[ns]")


def carried(lf: pd.DataFrame) -> np.ndarray:
    """Rows that a close carried into this Ledger."""
    return close_days(lf).notna().to_numpy(bool)


def event_dates(lf: pd.DataFrame) -> np.ndarray:
    """The date each row sorts on in the order of events (int64 ns): its Date, or for a
    carried row its close's date."""
    date = lf["date"].to_numpy("datetime64[ns]")
    if not len(lf) or not lf["doc"].astype(str).str.startswith(CLOSE_DOC_PREFIX).any():
        return date.view(np.int64)
    day = close_days(lf).to_numpy("datetime64[ns]")
    return np.where(np.isnat(day), date, day).view(np.int64)


def starts_after_close(lf: pd.DataFrame) -> bool:
    """True when the Ledger begins with a close's carried entries (its history is archived)."""
    return bool(len(lf)) and bool(carried(lf.iloc[:1])[0])


def verify_continued(lf: pd.DataFrame, *, first_row: int = chain.FIRST_ROW,
                     anchor: chain.Tip | None = None,
                     expected_tip: chain.Tip | None = None) -> chain.VerifyResult:
    """Verify a Ledger that may start after a close (`expected_tip`: as `chain.verify`).

    `anchor` (the archive's last entry and Hash) chains the first row to the archive. Without
    it, a Ledger that starts with carried entries is checked from its first row's own Hash:
    every later row is proven, the first row's link waits for the archive.
    """
    if anchor is not None:
        return chain.verify(lf, previous_hash=anchor.hash, first_entry=anchor.entry + 1,
                            first_row=first_row, expected_tip=expected_tip)
    if not starts_after_close(lf):
        return chain.verify(lf, first_row=first_row, expected_tip=expected_tip)
    first = int(pd.to_numeric(lf["entry"].iloc[0]))
    own = chain.Tip(first, str(lf["hash"].iloc[0]).strip())
    if len(lf) == 1 and expected_tip is not None and expected_tip != own:
        return chain.verify(lf.iloc[:0], first_row=first_row, expected_tip=expected_tip)
    rest = chain.verify(lf.iloc[1:].reset_index(drop=True), previous_hash=own.hash,
                        first_entry=first + 1, first_row=first_row + 1,
                        expected_tip=expected_tip if len(lf) > 1 else None)
    if not rest.ok:
        return chain.VerifyResult(False, len(lf), rest.message,
                                  None if rest.position is None else rest.position + 1,
                                  rest.row, rest.entry)
    return chain.VerifyResult(True, len(lf), f"Ledger verified: {len(lf)} entries from entry "
                              f"{first} (after a close), every Hash matches")
