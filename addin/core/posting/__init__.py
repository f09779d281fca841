"""Posting: typed input rows -> new Ledger entries plus one outcome per row.

The rules every posting button shares live here:
- a row already on the Ledger is skipped (posting twice = posting once): its Ledger Ref
  must point at entries that say what the row says (`ledger_refs`), or it is an error;
- all rows of one Doc post together or not at all: one bad row holds back its Doc, and
  the good rows of that Doc say which row to fix;
- entries are numbered after the last one on the Ledger and stamped with one "posted at".

Each sheet's own checks (what a receipt, a sale, a move or a count needs) live in its own
module and hand this one a list of `Draft`s: the entries a row would post, or its problem.

This package is posting: the shared rules here; one module per posting sheet
(`receiving`, `selling`, `moving`, `counting`) and per ledger action (`reversing`,
`converting`), `checks` (the checks every sheet makes alike), `shop` (the shop as a
press sees it) and `styles` (whole-sheet Styles checks). It may import
`addin.core.costing`, `addin.core.rows`, `addin.core.ledger`, the core's `errors` and
`money`, and `addin.sheets`; never the reports.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import pandas as pd

from addin.core import costing, ledger
from addin.core.errors import Problem
from addin.core.ledger import EntryKind
from addin.core.posting.ledger_refs import NO_CHANGE, Claims, TypedRow, claims, ledger_ref

R = TypeVar("R", bound=TypedRow)  # the model of one posting sheet's rows


@dataclass(frozen=True)
class Drafted:
    """An entry drafted in this press, before it has a number: the `k`-th entry of the
    draft of Excel row `row`. So the in-half of a pair names its out-half (on its own row),
    and a return a sale typed above it; `settle` turns either into that entry's number."""

    row: int
    k: int = 0

    def __str__(self) -> str:
        return f"on row {self.row}"


@dataclass(frozen=True, kw_only=True, slots=True)
class EntryDraft:
    """One entry a row would post: its Ledger columns, before it has an entry number, a
    "posted at" or a hash. Only Ledger columns can be given: a misspelled field
    (`unit_cots=1250`) is a type error, and at run time a TypeError where it is drafted,
    before anything is written; never a unit cost of 0."""

    date: dt.date
    kind: EntryKind
    style: str
    qty: int
    doc: str = ""
    serial: str = ""
    unit_cost: int = 0  # ten-thousandths of a dollar (1250 is 0.125)
    unit_price: int = 0
    location: str = ""
    party: str = ""
    reverses: int | Drafted = 0  # 0: none; Drafted: an entry drafted in this press

    def numbered(self, entry: int, posted_at: dt.datetime, reverses: int) -> ledger.Entry:
        """The strict Ledger entry, with its number and its source's number."""
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return ledger.Entry.model_validate(
            {**values, "reverses": reverses, "entry": entry, "posted_at": posted_at})


@dataclass
class Draft:
    """What one typed row would post: its entries (no entry numbers yet), or its problem."""

    row: int  # Excel row number
    doc: str
    entries: list[EntryDraft] = field(default_factory=list)
    problem: Problem | None = None
    writes: dict[str, object] = field(default_factory=dict)  # extra cells to fill (e.g. Serial)


def entry_name(ref: int | Drafted) -> str:
    """How a message names an entry: E12, or a sale drafted in this press by its row."""
    return str(ref) if isinstance(ref, Drafted) else f"E{ref}"


@dataclass(frozen=True)
class Refused:
    """A typed row already known to be wrong (bad cell): it keeps its problem through the
    Doc rule, so the rest of its Doc is held back too."""

    row: int
    doc: str
    problem: Problem
    ledger_ref: str = ""


@dataclass(frozen=True)
class RowOutcome:
    row: int
    status: str  # "Posted" or "Error: ..." / "Not posted: ..."
    ledger_ref: str = ""  # "E12" or "E12-E14"
    writes: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Posting:
    """The result of pressing one Post button."""

    sheet: str
    entries: pd.DataFrame  # new ledger rows, numbered, not yet sealed
    outcomes: tuple[RowOutcome, ...]
    problems: tuple[Problem, ...]
    skipped: int  # rows already on the Ledger
    kept: tuple[RowOutcome, ...] = ()  # rows already posted whose Status or Ref is refreshed
    notes: tuple[str, ...] = ()  # posted, but worth a look (a receipt at no cost)

    @property
    def posted_rows(self) -> int:
        return sum(1 for o in self.outcomes if o.status == "Posted")

    @property
    def refused_rows(self) -> int:
        return sum(1 for o in self.outcomes if o.status != "Posted")


def settle(
    sheet: str,
    drafts: Iterable[Draft],
    next_entry: int,
    posted_at: dt.datetime,
    skipped: int = 0,
) -> Posting:
    """Apply the Doc rule, number the entries, and give every draft row its outcome.

    An entry that names an entry drafted in this press (`Drafted`: the in-half of a pair
    its out-half, a return a sale typed above it) gets that entry's number in `reverses`.
    """
    drafts = list(drafts)
    bad_docs: dict[str, int] = {}
    for d in drafts:
        if d.problem is not None and d.doc not in bad_docs:
            bad_docs[d.doc] = d.row
    rows: list[ledger.Entry] = []
    outcomes: list[RowOutcome] = []
    problems: list[Problem] = []
    number = next_entry
    numbered: dict[int, int] = {}  # Excel row -> the first entry number its draft got
    for d in drafts:
        if d.problem is not None:
            problems.append(d.problem)
            outcomes.append(RowOutcome(d.row, d.problem.status))
            continue
        if d.doc in bad_docs:
            held = held_back(sheet, d, bad_docs[d.doc])
            problems.append(held)
            outcomes.append(RowOutcome(d.row, f"Not posted: {held.message}; {held.fix}"))
            continue
        first = numbered[d.row] = number
        for e in d.entries:
            source = e.reverses  # a Drafted one is this row's or above: numbered already
            if isinstance(source, Drafted):
                source = numbered[source.row] + source.k
            rows.append(e.numbered(number, posted_at, source))
            number += 1
        ref = ledger_ref(first, number - 1) if number > first else NO_CHANGE
        outcomes.append(RowOutcome(d.row, "Posted", ref, tuple(d.writes.items())))
    return Posting(sheet, ledger.frame(rows), tuple(outcomes), tuple(problems), skipped)


def held_back(sheet: str, draft: Draft, bad_row: int) -> Problem:
    return Problem(
        sheet,
        draft.row,
        "Doc",
        f"row {bad_row} of Doc {draft.doc} has an error",
        "fix that row, then post again (a Doc posts whole or not at all)",
    )


def run_drafts(
    sheet: str,
    rows: Sequence[R | Refused],
    new_drafter: Callable[[], Callable[[R], Draft]],
    next_entry: int,
    posted_at: dt.datetime,
    ledger: pd.DataFrame | None = None,
) -> Posting:
    """Skip rows already on the Ledger, draft the rest in sheet order, then settle.

    Drafting keeps running stock (two rows selling one serial must not both pass), so a Doc
    held back must not leave its effects behind: we redraft with a fresh drafter, leaving
    held Docs out, until no new Doc is held. Each round holds at least one more Doc, so this
    ends; a row keeps the first problem found for it.
    """
    on_ledger = claims(sheet, rows, ledger if ledger is not None else ledger_frame())
    todo = [r for r in rows if r.row not in on_ledger.posted]
    held: set[str] = set()
    found: dict[int, Problem] = dict(on_ledger.problems)
    while True:
        draft_one = new_drafter()
        drafts: list[Draft] = []
        for r in todo:
            if isinstance(r, Refused) or r.row in on_ledger.problems:
                problem = r.problem if isinstance(r, Refused) else on_ledger.problems[r.row]
                drafts.append(Draft(r.row, r.doc, problem=problem))
            elif r.doc in held:
                drafts.append(Draft(r.row, r.doc, problem=found.get(r.row)))
            else:
                drafts.append(draft_one(r))
        for d in drafts:
            if d.problem is not None:
                found.setdefault(d.row, d.problem)
        bad = {d.doc for d in drafts if d.problem is not None}
        if bad <= held:
            break
        held |= bad
    posting = settle(sheet, drafts, next_entry, posted_at, skipped=len(rows) - len(todo))
    shown = {r.row: str(getattr(r, "status", "") or "") for r in rows}
    return dataclasses.replace(posting, kept=tuple(ledger_statuses(on_ledger, shown)))


def ledger_statuses(on_ledger: Claims, shown: dict[int, str]) -> list[RowOutcome]:
    """Status (and a found Ref) for rows already on the Ledger whose cells say otherwise:
    `Posted`, or `Reversed by E20` once every entry of the row was reversed. `on_ledger`:
    the rows' `ledger_refs.claims`; `shown`: row -> the Status its cell shows now."""
    out = []
    for row, ref in on_ledger.posted.items():
        status = "Posted"
        if row in on_ledger.reversed_by:
            status = f"Reversed by {on_ledger.reversed_by[row]}"
        if row in on_ledger.restored or shown.get(row) != status:
            out.append(RowOutcome(row, status, ref))
    return out


def ledger_frame() -> pd.DataFrame:
    return ledger.frame([])


def with_cost_of_goods(entries: pd.DataFrame, past: pd.DataFrame, before: costing.Books,
                       methods: Mapping[str, str], first_open_day: dt.date | None = None
                       ) -> tuple[pd.DataFrame, pd.DataFrame, costing.Books]:
    """(new entries with Cost of Goods filled and any COST_ADJUST entries after them, the
    whole ledger, its Books), one costing pass; see `addin.core.posting.cost_adjusting`.

    The Ledger stores each entry's cost as posted, so a printed ledger shows it and ties
    out by itself; the costing engine can always recompute it from the entries.
    """
    from addin.core.posting import cost_adjusting

    return cost_adjusting.priced(entries, past, before, methods, first_open_day)
