"""The Items sheet's facts from the ledger, on the small shop of `test_reports` (worked by hand
there): LP-1 out on memo with Harbor, LP-2 consigned in by Estate, LP-3 sold and the sale
reversed, so back in the Vault."""

from __future__ import annotations

import pandas as pd

from addin.core.reports import items
from addin.core.rows.models import style_key
from addin.sheets.schema import ITEMS
from tests.core.reports.test_reports import STYLES, reports


def typed_items(*rows: dict) -> pd.DataFrame:
    """The Items sheet as the reader types it: every header, blanks as '' or NaN."""
    return pd.DataFrame([{h: row.get(h, "") for h in ITEMS.headers} for row in rows],
                        columns=list(ITEMS.headers))


def table(current: pd.DataFrame) -> pd.DataFrame:
    _, facts = reports()
    styles = {style_key(s.style): s for s in STYLES}
    return items.item_table(current, facts.ledger, facts.books, styles).set_index("Serial")


def test_each_piece_is_its_ledger_facts_money_in_cents():
    t = table(typed_items()).loc[["LP-1", "LP-2", "LP-3"]]
    assert list(t["Status"]) == ["Memo Out", "In Stock", "In Stock"]
    assert list(t["Location"]) == ["Memo: Harbor", "Main", "Vault"]
    assert list(t["Cost"]) == [50000, 40000, 20000]
    assert list(t["Vendor"]) == ["Aurum", "Estate", "Aurum"]
    assert list(t["Received"]) == [pd.Timestamp("2025-03-01"), pd.Timestamp("2025-04-01"),
                                   pd.Timestamp("2026-01-05")]
    # a new piece takes its style's description and retail price (99900 cents = 999.00)
    assert t.loc["LP-1", "Description"] == "Ring RG-1" and t.loc["LP-1", "Retail Price"] == 99900
    assert t["Sold Price"].isna().all() and t["Sold Date"].isna().all()  # LP-3's sale undone
    assert t["Age (days)"].isna().all() and t["Margin"].isna().all()  # Excel's formulas


def test_what_the_owner_typed_is_kept_and_a_piece_typed_ahead_stays():
    t = table(typed_items(
        {"Serial": "LP-9", "Style": "RG-1", "Description": "coming Friday", "Carat": 0.5},
        {"Serial": "LP-3", "Style": "PD-1", "Description": "rose gold", "Retail Price": 480.5,
         "Size": "7"},
    ))
    assert list(t.index)[:2] == ["LP-9", "LP-3"]  # the sheet's order, then the new pieces
    assert sorted(t.index[2:]) == ["LP-1", "LP-2"]
    assert t.loc["LP-9", "Description"] == "coming Friday" and t.loc["LP-9", "Carat"] == 0.5
    assert pd.isna(t.loc["LP-9", "Status"]) and pd.isna(t.loc["LP-9", "Cost"])
    assert (t.loc["LP-3", "Description"], t.loc["LP-3", "Size"]) == ("rose gold", "7")
    assert t.loc["LP-3", "Retail Price"] == 48050  # as typed, in cents
    assert t.loc["LP-3", "Cost"] == 20000 and t.loc["LP-3", "Status"] == "In Stock"
