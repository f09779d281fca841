"""Validate says what Post would do when the Styles sheet stops every post: the same words
in each waiting row's Status, and nothing posted by either (real books, read back)."""

from __future__ import annotations

import pytest

from addin.sheets import schema
from tests.macros import shopbook
from tests.macros.conftest import loupe
from tests.macros.shopbook import day

CASE = "Main Case"


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.setenv("LOUPE_NOW", "2026-03-20T17:00:00")
    return shopbook.new_book(tmp_path)


def statuses(path, sheet) -> list[str]:
    return [r["Status"] for r in shopbook.read_rows(path, sheet)]


def test_a_repeated_style_code_stops_validate_and_post_alike_and_each_row_says_why(book):
    shopbook.type_rows(book, schema.STYLES, [
        ["ch-301 ", "Rope chain again", "Chains", "14K", "Northstar", "N-1", "Serialized",
         "FIFO", 120.0, None, "Yes"]])
    shopbook.type_rows(book, schema.RECEIVING, [
        [day("2026-01-02"), "PO-1", "Northstar", "CH-301", 5, 10.0, None, CASE, "Owned"],
        [day("2026-01-03"), "PO-2", "Northstar", "ST-401", 2, 5.0, None, CASE, "Owned"]])
    checked = loupe("validate", book)
    assert checked.exit_code == 1
    said = statuses(book, schema.RECEIVING)
    assert all(s.startswith("Error: not posted until Styles is fixed: Styles row ")
               and "repeats 'CH-301'" in s for s in said), said
    posted = loupe("post", "receipts", book)
    assert posted.exit_code == 2
    assert statuses(book, schema.RECEIVING) == said  # Post says what Validate said
    assert shopbook.read_rows(book, schema.LEDGER) == []
    assert [r["Qty"] for r in shopbook.read_rows(book, schema.RECEIVING)] == [5, 2]
