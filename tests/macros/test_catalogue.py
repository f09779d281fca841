"""The catalogue of bad rows: Validate and Post judge them alike, and lose nothing.

One book per input sheet holds every case of that sheet (each under its own Doc). The book
is validated, then posted, once; each case then checks, for each of its rows:
- the exact Status Validate wrote, and that Post wrote the very same text (for a fine row:
  Validate leaves Status blank, Post says Posted);
- no cell anyone typed changed (only Status, Ledger Ref and Loupe's own columns);
- the Ledger still verifies, and nothing of a refused Doc reached it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from addin.sheets import schema
from tests.macros import shopbook
from tests.macros.catalogue_rows import CASES, COUNT, HELD, Case, held
from tests.macros.conftest import LOST, loupe

LOUPES = {"Status", "Ledger Ref", "Expected Qty", "Variance"}
POST = {"Receiving": "receipts", "Sales": "sales", "Movements": "movements", "Counts": "counts"}


FIRST_COUNT = next(i for i, c in enumerate(CASES) if c.sheet is COUNT)


def _doc(case_no: int, case: Case):
    if case.sheet is COUNT:  # a count's Doc is its date and location
        return dt.datetime(2026, 1, 20) + dt.timedelta(days=case_no - FIRST_COUNT)
    return f"K-{case_no}"


def _typed(path, sheet):
    return {r["_row"]: r for r in shopbook.read_rows(path, sheet)}


def _kept(before: dict, after: dict) -> int:
    """How many typed rows lost or changed a typed cell."""
    lost = 0
    for row, b in before.items():
        a = after.get(row)
        if a is None or any(a[h] != v for h, v in b.items() if h not in LOUPES):
            lost += 1
    return lost


@pytest.fixture(scope="module")
def judged(stocked, tmp_path_factory):
    """Each sheet's cases typed into one book, validated and posted: what each row got."""
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LOUPE_NOW", "2026-03-01T17:00:00")
        for sheet in (schema.RECEIVING, schema.SALES, schema.MOVEMENTS, schema.COUNTS):
            out[sheet.name] = _judge(sheet, stocked, tmp_path_factory.mktemp(sheet.name))
    return out


def _judge(sheet, stocked, tmp):
    path = tmp / "shop.xlsm"
    shutil.copyfile(stocked["path"], path)
    first = max(_typed(path, sheet), default=1) + 1
    placed, rows = {}, []
    for no, case in enumerate(CASES):
        if case.sheet is sheet:
            typed = case.typed(_doc(no, case))
            placed[case.name] = list(range(first + len(rows), first + len(rows) + len(typed)))
            rows += typed
    shopbook.type_rows(path, sheet, rows)
    typed = _typed(path, sheet)
    ledger_before = shopbook.read_rows(path, schema.LEDGER)
    checked = loupe("validate", path)
    validated = _typed(path, sheet)
    posted_run = loupe("post", POST[sheet.name], path)
    posted = _typed(path, sheet)
    again = loupe("validate", path)  # after a refused post, Status still says the truth
    revalidated = _typed(path, sheet)
    verified = loupe("verify", path)
    lost = _kept(typed, validated) + _kept(typed, posted) + _kept(typed, revalidated)
    return dict(
        placed=placed,
        typed=typed,
        validated=validated,
        posted=posted,
        lost=lost,
        revalidated=revalidated,
        runs=(checked, posted_run, again, verified),
        ledger_before=ledger_before,
        ledger=shopbook.read_rows(path, schema.LEDGER),
    )


def test_every_sheet_book_is_judged_without_a_traceback(judged):
    for sheet, j in judged.items():
        checked, posted, again, verified = j["runs"]
        assert checked.exit_code == 1, checked.output
        assert posted.exit_code == 1, posted.output
        assert again.exit_code == 1, again.output
        assert verified.exit_code == 0, verified.output
        assert j["lost"] == 0, sheet
        assert j["ledger"][: len(j["ledger_before"])] == j["ledger_before"]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case, judged):
    j = judged[case.sheet.name]
    rows = j["placed"][case.name]
    bad = [rows[i] for i, w in enumerate(case.want) if w is not None and w is not HELD]
    LOST["tried"] += 1
    for i, want in enumerate(case.want):
        row = rows[i]
        validated, posted = j["validated"][row]["Status"], j["posted"][row]["Status"]
        if os.environ.get("CATALOGUE_SHOW"):
            print(f"\n{case.name}\n  validate: {validated!r}\n  post:     {posted!r}")
        if want is None:
            assert validated is None and posted == "Posted", (validated, posted)
            assert j["revalidated"][row]["Status"] == "Posted"
            continue
        if want is HELD:
            doc = j["typed"][row].get("Doc") or j["typed"][row].get("Count Date")
            want = held(case.sheet.name, bad[0], _doc_text(doc, j["typed"][row]))
        assert validated == want
        assert posted == want
        last = f"its last entry is E{len(j['ledger'])})"  # the Ledger grew by the post
        after = case.after_post[i] if case.after_post else want
        assert j["revalidated"][row]["Status"] == after.replace("its last entry is E7)", last)
        assert j["posted"][row]["Ledger Ref"] == j["typed"][row]["Ledger Ref"]  # as typed
    docs = {
        j["typed"][r].get("Doc") for r, w in zip(rows, case.want, strict=True) if w is not None
    } - {None}
    if any(w is not None for w in case.want) and case.sheet is not COUNT:
        new = j["ledger"][len(j["ledger_before"]) :]
        assert not docs & {e["Doc"] for e in new}


def _doc_text(doc, row) -> str:
    if isinstance(doc, dt.datetime):
        return f"count {doc:%Y-%m-%d} {row['Location']}"
    return str(doc)
