"""A drafted entry becomes a strict Ledger entry: a field no ledger column has is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from addin.core.posting import Draft, settle

AT = dt.datetime(2026, 3, 1, 17, 0)
RECEIPT = {"date": dt.date(2026, 3, 1), "kind": "RECEIPT", "doc": "PO-1", "style": "CH-301",
           "qty": 10, "location": "Main Case"}


def test_a_drafted_entry_is_numbered_and_keeps_its_cost():
    posting = settle("Receiving", [Draft(2, "PO-1", [{**RECEIPT, "unit_cost": 1250}])], 7, AT)
    [entry] = posting.entries.to_dict("records")
    assert (entry["entry"], entry["unit_cost"], entry["qty"]) == (7, 1250, 10)


def test_a_misspelled_field_is_refused_not_dropped():
    with pytest.raises(ValidationError, match="unit_cots"):
        settle("Receiving", [Draft(2, "PO-1", [{**RECEIPT, "unit_cots": 1250}])], 7, AT)
