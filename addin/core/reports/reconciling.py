"""Count by scan: a scan list of one location reconciled against the whole books.

Every code scanned at the location, and every piece the books put there, ends in exactly
one result (the Count Reconciliation sheet lists them in this order, the ones to look at
first):

- **Missing**: booked here, in stock, not scanned. Accepted, it posts as a Counts row
  with Counted Qty 0 (a shortage, like a sale: the piece's own layer).
- **Booked elsewhere**: scanned here, in stock at another location. Accepted, a Transfer
  from there to here posts first (the piece keeps its cost and receipt date).
- **Sold / memo / gone**: scanned, but the books say it was sold, is out on memo,
  went back to its vendor, was converted or written off: an anomaly to look at.
- **Unknown code**: on no tag the books know (no serial, no quantity style, no RFID tag).
- **Misscan**: the code has the shape of a Loupe serial but fails its check character.
  Serials the books hold that do not pass the check (legacy tags, kept as they were) are
  known serials and never called misscans: the check is skipped for them only.
- **Duplicate scan**: a serial scanned again; the first scan counts, the others are ignored.
- **Quantity variance** / **Quantity counted**: a quantity style is counted by its scans
  (one scan of its style barcode per unit) against what the books hold here, for every
  quantity style scanned or booked here. A variance, accepted, posts as a Counts row.
- **Counted**: booked here and scanned: nothing to post (a count posts only variances).

Everything is vectorized: 10,000 pieces against 10,000 scans is a few pandas joins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from addin.core.ledger import is_memo_location
from addin.core.rows.models import count_doc, style_key
from addin.core.rows.serials import misscanned

MISSING = "Missing"
ELSEWHERE = "Booked elsewhere"
GONE = "Sold / memo / gone"
UNKNOWN = "Unknown code"
MISSCAN = "Misscan"
DUPLICATE = "Duplicate scan"
QTY_VARIANCE = "Quantity variance"
QTY_COUNTED = "Quantity counted"
COUNTED = "Counted"
RESULTS = (MISSING, ELSEWHERE, GONE, UNKNOWN, MISSCAN, DUPLICATE, QTY_VARIANCE, QTY_COUNTED,
           COUNTED)

COUNT = "Count"  # the action of an accepted line that posts a Counts row
TRANSFER = "Transfer"  # ... that posts a Transfer
ACTIONS = {MISSING: COUNT, ELSEWHERE: TRANSFER, QTY_VARIANCE: COUNT, GONE: "Look at it",
           UNKNOWN: "Look at it", MISSCAN: "Rescan", DUPLICATE: "Ignored"}
LINE_COLUMNS = ["result", "code", "serial", "style", "booked_at", "expected_qty",
                "counted_qty", "variance", "action", "note", "scan_lines"]


@dataclass(frozen=True)
class Reconciliation:
    """One location's count by scan: every line, in sheet order."""

    location: str
    count_date: dt.date
    lines: pd.DataFrame  # LINE_COLUMNS

    def tally(self) -> dict[str, int]:
        """How many lines of each result (results with none left out), in sheet order."""
        n = self.lines["result"].value_counts()
        return {r: int(n[r]) for r in RESULTS if r in n.index}

    @property
    def summary(self) -> str:
        parts = [f"{n} {r.lower()}" for r, n in self.tally().items()]
        return f"Count of {self.location} on {self.count_date:%Y-%m-%d}: " + (
            ", ".join(parts) or "nothing scanned, nothing booked here")


def reconcile(
    scans: pd.DataFrame,
    location: str,
    count_date: dt.date,
    *,
    pieces: pd.DataFrame,
    quantity_on_hand: pd.DataFrame,
    quantity_styles: Mapping[str, str],
    pattern: object,
    rfid: Mapping[str, str] | None = None,
) -> Reconciliation:
    """Reconcile the scans of one location against the books.

    `scans`: line and code (normalized; EPCs read as text already, see `scan_list`).
    `pieces`: per serial ever seen: serial, style, location, status (Items' words).
    `quantity_on_hand`: style, location, qty of quantity styles. `quantity_styles`: style
    key -> style code. `rfid`: RFID tag -> serial (the Items sheet's RFID Tag column).
    """
    # object columns: arrow-backed strings would make every lookup below a Python loop
    code = pd.Series(scans["code"].to_numpy(dtype=object), dtype=object)
    line = scans["line"].reset_index(drop=True)
    if rfid:
        code = code.map(rfid).fillna(code).astype(object)
    book = pieces.astype(object).drop_duplicates("serial").set_index("serial")
    key = code  # a normalized code is its own style key (no spaces, upper case)
    is_style = key.isin(set(quantity_styles)).to_numpy()
    known = code.isin(book.index).to_numpy() & ~is_style
    bad = misscanned(code, pattern) & ~known & ~is_style
    repeat = known & code.duplicated().to_numpy()
    parts = [
        _serial_lines(code[known & ~repeat], line[known & ~repeat], book, location),
        _missing(book, set(code[known]), location),
        _plain(code[repeat], line[repeat], DUPLICATE, "scanned again; the first scan counts",
               book),
        _plain(code[bad], line[bad], MISSCAN, "fails its check character", book),
        _plain(code[~known & ~is_style & ~bad], line[~known & ~is_style & ~bad], UNKNOWN,
               "no piece, style or RFID tag on the books", book),
        _quantities(key[is_style], line[is_style], location, quantity_on_hand, quantity_styles),
    ]
    out = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(
        len(p) for p in parts) else pd.DataFrame(columns=LINE_COLUMNS)
    order = out["result"].map({r: i for i, r in enumerate(RESULTS)})
    out = out.assign(_o=order).sort_values(["_o", "style", "serial", "code"], kind="stable")
    out = out.drop(columns="_o").reset_index(drop=True)
    out["action"] = out["result"].map(ACTIONS).fillna("")
    return Reconciliation(location, count_date, out[LINE_COLUMNS])


def _lines_text(line: pd.Series) -> pd.Series:
    return line.astype("Int64").astype(str)


def _serial_lines(code: pd.Series, line: pd.Series, book: pd.DataFrame,
                  location: str) -> pd.DataFrame:
    facts = book.loc[code.to_numpy()].reset_index(drop=True)
    where, status = facts["location"].astype(str), facts["status"].astype(str)
    memo = where.map(is_memo_location).astype(bool)
    here = status.eq("In Stock") & where.eq(location)
    elsewhere = status.eq("In Stock") & ~here & ~memo
    result = pd.Series(GONE, index=facts.index).mask(elsewhere, ELSEWHERE).mask(here, COUNTED)
    gone_note = ("the books say " + status).where(~memo, "the books say " + status + " ("
                                                  + where + ")")
    note = gone_note.mask(elsewhere, "booked at " + where).mask(here, "")
    return pd.DataFrame({
        "result": result, "code": code.to_numpy(), "serial": code.to_numpy(),
        "style": facts["style"].to_numpy(), "booked_at": where.to_numpy(),
        "expected_qty": here.astype(int).to_numpy(), "counted_qty": 1,
        "variance": 1 - here.astype(int).to_numpy(), "note": note.to_numpy(),
        "scan_lines": _lines_text(line).to_numpy(),
    })


def _missing(book: pd.DataFrame, scanned: set, location: str) -> pd.DataFrame:
    due = book[(book["location"] == location) & (book["status"] == "In Stock")]
    due = due[~due.index.isin(list(scanned))]
    return pd.DataFrame({
        "result": MISSING, "code": "", "serial": due.index.to_numpy(),
        "style": due["style"].to_numpy(), "booked_at": location, "expected_qty": 1,
        "counted_qty": 0, "variance": -1, "note": "booked here, not scanned", "scan_lines": "",
    })


def _plain(code: pd.Series, line: pd.Series, result: str, note: str,
           book: pd.DataFrame) -> pd.DataFrame:
    known = code.isin(book.index)
    style = code.map(book["style"]).where(known, "") if len(book) else ""
    return pd.DataFrame({
        "result": result, "code": code.to_numpy(), "serial": code.where(known, "").to_numpy(),
        "style": np.asarray(style, dtype=object) if len(code) else [], "booked_at": "",
        "expected_qty": pd.NA, "counted_qty": pd.NA, "variance": pd.NA, "note": note,
        "scan_lines": _lines_text(line).to_numpy(),
    })


def _quantities(keys: pd.Series, line: pd.Series, location: str, on_hand: pd.DataFrame,
                styles: Mapping[str, str]) -> pd.DataFrame:
    here = on_hand[(on_hand["location"] == location)]
    booked = here.groupby(here["style"].map(style_key))["qty"].sum()
    booked = booked[booked.index.isin(list(styles))]
    counted = keys.value_counts()
    first_lines = pd.Series(line.to_numpy(), index=keys.to_numpy()).groupby(level=0).agg(
        lambda s: _span(s.to_numpy()))
    every = booked.index.union(counted.index)
    if not len(every):
        return pd.DataFrame(columns=LINE_COLUMNS)
    exp = booked.reindex(every).fillna(0).astype(int)
    got = counted.reindex(every).fillna(0).astype(int)
    return pd.DataFrame({
        "result": np.where(got.to_numpy() == exp.to_numpy(), QTY_COUNTED, QTY_VARIANCE),
        "code": [styles[k] for k in every], "serial": "",
        "style": [styles[k] for k in every], "booked_at": location,
        "expected_qty": exp.to_numpy(), "counted_qty": got.to_numpy(),
        "variance": (got - exp).to_numpy(), "note": "",
        "scan_lines": first_lines.astype(object).reindex(every).fillna("").to_numpy(),
    })


def _span(lines: np.ndarray) -> str:
    """Scan line numbers as a short text: '3' or '3-40 (12 scans)'."""
    if len(lines) == 1:
        return str(int(lines[0]))
    return f"{int(lines.min())}-{int(lines.max())} ({len(lines)} scans)"


# --- what accepted lines post ---------------------------------------------------------------


def count_rows(lines: pd.DataFrame, location: str, count_date: dt.date) -> list[dict]:
    """Counts rows (sheet headers) for the accepted lines whose action is Count."""
    mine = lines[lines["action"] == COUNT]
    return [
        {"Count Date": count_date, "Location": location, "Serial": r["serial"] or None,
         "Style": None if r["serial"] else r["style"], "Counted Qty": int(r["counted_qty"])}
        for r in mine.to_dict("records")
    ]


def transfer_rows(lines: pd.DataFrame, location: str, count_date: dt.date) -> list[dict]:
    """Movements rows (sheet headers) for the accepted lines whose action is Transfer."""
    mine = lines[lines["action"] == TRANSFER]
    return [
        {"Date": count_date, "Doc": count_doc(count_date, location), "Kind": "Transfer",
         "Serial": r["serial"], "Style": r["style"], "Qty": 1, "From": r["booked_at"],
         "To": location}
        for r in mine.to_dict("records")
    ]
