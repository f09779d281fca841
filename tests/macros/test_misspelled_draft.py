"""A drafted entry with a field no Ledger column has (`unit_cots` for `unit_cost`) stops the
press before anything is written: the book on disk is byte for byte what it was, and the
user is told nothing was saved, without a traceback."""

from __future__ import annotations

from addin.core.posting import EntryDraft, receiving
from addin.sheets import schema
from tests.macros import shopbook
from tests.macros.conftest import loupe
from tests.macros.shopbook import day


def test_a_misspelled_draft_field_is_refused_and_nothing_is_written(shop, monkeypatch):
    def misspelled(**fields):  # the receipt drafter, as if it said unit_cots=r.unit_cost
        fields["unit_cots"] = fields.pop("unit_cost")
        return EntryDraft(**fields)

    monkeypatch.setattr(receiving, "EntryDraft", misspelled)
    path = shop["path"]
    shopbook.type_rows(path, schema.RECEIVING, [
        [day("2026-02-20"), "PO-9", "Northstar", "CH-301", 5, 12.5, None, "Main Case", "Owned"],
    ])
    ledger_before = shopbook.read_rows(path, schema.LEDGER)
    before = path.read_bytes()

    result = loupe("post", "receipts", path)

    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "unexpected keyword argument 'unit_cots'" in said
    assert "nothing was saved" in said and "Traceback" not in said
    assert path.read_bytes() == before
    assert shopbook.read_rows(path, schema.LEDGER) == ledger_before
    typed = shopbook.read_rows(path, schema.RECEIVING)[-1]
    assert (typed["Doc"], typed["Qty"], typed["Unit Cost"]) == ("PO-9", 5, 12.5)
    assert not typed["Status"] and not typed["Ledger Ref"]
