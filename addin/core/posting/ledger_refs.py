"""Which typed rows are already on the Ledger: matched by what they say, not by one cell.

A posted row carries its entries in Ledger Ref (`E12`, `E12-E14`, or `no change` for a
count that matched). Posting trusts that cell only when it points at entries that say
what the row says: the same Doc, the sheet's kind of entry, the same Style and Serial
(when typed) and the same Qty. So
- a Ref that is not a Ledger entry (`see PO`), or points past the Ledger's last entry, or
  at entries of another row (a posted row copied and edited into a new delivery), is an
  error on the row that says so, and the row never posts until it is cleared;
- a row whose Ref was cleared, but whose entries are on the Ledger and claimed by no other
  row, is found by its content and gets its Ref back: it never posts twice;
- a row whose entries were all reversed says so in Status (`Reversed by E20`);
- a Ref to entries before the first entry of a Ledger that starts after a period close
  names archived entries: the row was posted before the close.

Only the Ledger rows of the Docs on the sheet are looked at (one vectorized selection).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeGuard

import pandas as pd

from addin.core.errors import Problem
from addin.core.ledger import EntryKind, closes
from addin.core.posting.shop import style_key
from addin.core.rows.serials import normalize_serial

NO_CHANGE = "no change"  # Ledger Ref of a row that needed no entry (a count that matched)
REF = re.compile(r"^\s*E\s*(\d+)\s*(?:(?:-|to)\s*E?\s*(\d+))?\s*$", re.IGNORECASE)
PAIRS = {EntryKind.TRANSFER, EntryKind.MEMO_OUT, EntryKind.MEMO_BACK}


class TypedRow(Protocol):
    """What posting needs of every row it is given (a sheet row, a stock-list line, or a
    row refused for a bad cell): its Excel row and the Doc it posts with."""

    @property
    def row(self) -> int: ...

    @property
    def doc(self) -> str: ...


class SaysWhat(TypedRow, Protocol):
    """A row whose cells were read (not refused for a bad cell): what it posts."""

    @property
    def style(self) -> str: ...

    @property
    def serial(self) -> str: ...


def says_what(row: TypedRow) -> TypeGuard[SaysWhat]:
    return hasattr(row, "style")


Found = dict[str, Any]  # one Ledger entry as a record: column -> value


def ledger_ref(first: int, last: int) -> str:
    """How a row points at the entries it posted: 'E12' or 'E12-E14'."""
    return f"E{first}" if first == last else f"E{first}-E{last}"


@dataclass
class Claims:
    """What the Ledger already holds of a sheet's rows."""

    posted: dict[int, str] = field(default_factory=dict)  # row -> Ref: already posted
    restored: set[int] = field(default_factory=set)  # rows whose Ref was found by content
    reversed_by: dict[int, str] = field(default_factory=dict)  # row -> 'E20' that undid it
    problems: dict[int, Problem] = field(default_factory=dict)  # row -> a Ref that is wrong


def entry_kinds(sheet: str, row: SaysWhat) -> set[str]:
    """The ledger kinds a typed row posts as."""
    if sheet == "Receiving":
        terms = getattr(row, "terms", "")
        return {EntryKind.MEMO_IN if (terms or "Owned") == "Memo" else EntryKind.RECEIPT}
    kind = getattr(row, "kind", "")
    if sheet == "Sales":
        return {EntryKind.RETURN if (kind or "Sale") == "Return" else EntryKind.SALE}
    if sheet == "Movements":
        return {str(kind).upper().replace(" ", "_")}
    return {EntryKind.ADJUST}


def claims(sheet: str, rows: Sequence[TypedRow], ledger: pd.DataFrame) -> Claims:
    """Match the sheet's rows to the Ledger (see the module docstring)."""
    found = Claims()
    docs = {str(r.doc) for r in rows}
    named = {n for r in rows for n in _numbers(str(getattr(r, "ledger_ref", "") or ""))}
    mine = ledger[ledger["doc"].isin(docs) | ledger["entry"].isin(named)]
    entries = {int(e["entry"]): e for e in mine.to_dict("records")}
    reversals = ledger.loc[ledger["kind"] == EntryKind.REVERSAL, ["entry", "reverses"]]
    undone = dict(
        zip(reversals["reverses"].astype(int), reversals["entry"].astype(int), strict=True)
    )
    last = int(ledger["entry"].max()) if len(ledger) else 0
    archived = int(ledger["entry"].min()) if closes.starts_after_close(ledger) else 1
    taken: dict[int, int] = {}  # entry -> the row that claims it
    for r in rows:
        text = str(getattr(r, "ledger_ref", "") or "").strip()
        if text and not says_what(r):  # a row with a bad cell keeps its own problem
            taken.update(dict.fromkeys(_numbers(text), r.row))
        elif text and _archived(text, archived):
            found.posted[r.row] = text  # posted before a close: its entries are archived
        elif text:
            _by_ref(sheet, r, text, entries, last, taken, found)
    for r in rows:
        if not str(getattr(r, "ledger_ref", "") or "").strip() and says_what(r):
            _by_content(sheet, r, entries, taken, found)
    for row, ref in found.posted.items():
        numbers = _numbers(ref)
        if numbers and all(n in undone for n in numbers):
            found.reversed_by[row] = ledger_ref(
                min(undone[n] for n in numbers), max(undone[n] for n in numbers)
            )
    return found


def _archived(ref: str, first_in_book: int) -> bool:
    """A Ref to entries before the Ledger's first (moved to the archive by a close)."""
    numbers = _numbers(ref)
    return bool(numbers) and numbers[0] <= numbers[-1] < first_in_book


def _numbers(ref: str) -> list[int]:
    m = REF.match(ref)
    if not m:
        return []
    first = int(m.group(1))
    return list(range(first, int(m.group(2) or first) + 1))


def _by_ref(sheet: str, r: TypedRow, text: str, entries: dict[int, Found], last: int,
            taken: dict[int, int], found: Claims) -> None:
    if text.casefold() == NO_CHANGE:
        found.posted[r.row] = text
        return
    numbers = _numbers(text)
    shown = text if numbers else repr(text)
    if not numbers or numbers[-1] < numbers[0]:
        found.problems[r.row] = _ref_problem(
            sheet,
            r,
            f"{shown} is not a Ledger entry (like E12 or E12-E14)",
            "clear Ledger Ref: Loupe fills it when the row posts",
        )
        return
    if numbers[-1] > last:
        found.problems[r.row] = _ref_problem(
            sheet,
            r,
            f"{text} is not on the Ledger (its last entry is E{last})",
            "clear Ledger Ref to post this row",
        )
        return
    mine = [entries.get(n) for n in numbers]
    there = [e for e in mine if e is not None]
    if len(there) < len(mine) or not says_what(r) or not _fits(sheet, r, there):
        found.problems[r.row] = _ref_problem(
            sheet,
            r,
            f"{text} is the ledger entry of another row ({_about(text, mine)})",
            "clear Ledger Ref to post this row",
        )
        return
    other = next((taken[n] for n in numbers if n in taken), None)
    if other is not None:
        found.problems[r.row] = _ref_problem(
            sheet,
            r,
            f"{text} is already the Ledger Ref of row {other}",
            "clear Ledger Ref to post this row, or delete the row if it was typed twice",
        )
        return
    taken.update(dict.fromkeys(numbers, r.row))
    found.posted[r.row] = text


def _by_content(sheet: str, r: SaysWhat, entries: dict[int, Found], taken: dict[int, int],
                found: Claims) -> None:
    """A row with no Ref whose entries sit on the Ledger, claimed by no other row."""
    free = [e for n, e in sorted(entries.items()) if n not in taken]
    for i, first in enumerate(free):
        run = [first]
        for e in free[i + 1 :]:
            if e["entry"] != run[-1]["entry"] + 1 or e["posted_at"] != first["posted_at"]:
                break
            run.append(e)
        for size in range(1, len(run) + 1):
            if _fits(sheet, r, run[:size]):
                numbers = [int(e["entry"]) for e in run[:size]]
                taken.update(dict.fromkeys(numbers, r.row))
                found.posted[r.row] = ledger_ref(numbers[0], numbers[-1])
                found.restored.add(r.row)
                return


def _fits(sheet: str, r: SaysWhat, mine: Sequence[Found]) -> bool:
    """Do these entries say what the row says (Doc, kind, Style, Serial, Qty)?"""
    kinds = entry_kinds(sheet, r)
    if any(str(e["doc"]) != str(r.doc) or e["kind"] not in kinds for e in mine):
        return False
    serial = normalize_serial(r.serial) if str(r.serial or "").strip() else ""
    if any(str(e["serial"]) != serial for e in mine) and (serial or sheet != "Receiving"):
        return False
    if str(r.style or "").strip() and any(
        style_key(e["style"]) != style_key(r.style) for e in mine
    ):
        return False
    qty = getattr(r, "qty", None)
    if qty is None:
        return True
    out = -sum(int(e["qty"]) for e in mine if e["qty"] < 0)
    came = sum(int(e["qty"]) for e in mine if e["qty"] > 0)
    if kinds & PAIRS:
        return out == came == qty
    return max(out, came) == qty and min(out, came) == 0


def _about(text: str, mine: Sequence[Found | None]) -> str:
    e = next((e for e in mine if e is not None), None)
    if e is None:
        return f"{text} belongs to another Doc"
    serial = f", {e['serial']}" if e["serial"] else ""
    return f"{e['kind']}, Doc {e['doc']}, {e['style']}{serial}, Qty {abs(int(e['qty']))}"


def _ref_problem(sheet: str, r: TypedRow, message: str, fix: str) -> Problem:
    return Problem(sheet, r.row, "Ledger Ref", message, fix)
