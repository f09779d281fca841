"""A drafted entry is typed: only Ledger columns can be given, and it becomes a strict Ledger
entry when it is numbered; an entry drafted in the same press is named by row and place."""

from __future__ import annotations

import datetime as dt

import pytest

from addin.core.ledger import EntryKind
from addin.core.posting import Draft, Drafted, EntryDraft, settle

AT = dt.datetime(2026, 3, 1, 17, 0)
RECEIPT = {"date": dt.date(2026, 3, 1), "kind": EntryKind.RECEIPT, "doc": "PO-1",
           "style": "CH-301", "qty": 10, "location": "Main Case"}


def test_a_drafted_entry_is_numbered_and_keeps_its_cost():
    posting = settle("Receiving", [Draft(2, "PO-1", [EntryDraft(**RECEIPT, unit_cost=1250)])],
                     7, AT)
    [entry] = posting.entries.to_dict("records")
    assert (entry["entry"], entry["unit_cost"], entry["qty"]) == (7, 1250, 10)


def test_a_misspelled_field_is_refused_where_it_is_drafted():
    with pytest.raises(TypeError, match="unit_cots"):
        EntryDraft(**RECEIPT, unit_cots=1250)


def test_entries_drafted_in_the_press_are_named_by_their_number():
    # given: row 2 moves 3 units (out-half, in-half naming its out-half); row 3 sells 1 and
    # row 4 returns it, naming the sale drafted above it
    move = {"date": dt.date(2026, 3, 1), "kind": EntryKind.TRANSFER, "doc": "TR-1",
            "style": "CH-301"}
    sale = {"date": dt.date(2026, 3, 1), "doc": "T-9", "style": "CH-301",
            "location": "Main Case"}
    drafts = [
        Draft(2, "TR-1", [EntryDraft(**move, qty=-3, location="Vault"),
                          EntryDraft(**move, qty=3, location="Main Case",
                                     reverses=Drafted(2, 0))]),
        Draft(3, "T-9", [EntryDraft(**sale, kind=EntryKind.SALE, qty=-1, unit_price=9000)]),
        Draft(4, "T-9", [EntryDraft(**sale, kind=EntryKind.RETURN, qty=1,
                                    reverses=Drafted(3, 0))]),
    ]
    entries = settle("Mixed", drafts, 20, AT).entries
    # expected, by hand: E20 out, E21 in (reverses E20), E22 sale, E23 return (reverses E22)
    assert entries[["entry", "qty", "reverses"]].values.tolist() == [
        [20, -3, 0], [21, 3, 20], [22, -1, 0], [23, 1, 22]]
