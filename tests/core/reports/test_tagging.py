"""Which pieces get a tag, and what each tag says, from the books as a shop keeps them."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from addin.core import ledger
from addin.core.reports.tagging import received_lines, rows_lines, style_lines, tags_for
from addin.core.rows.models import Style

STYLES = {
    "RG-101": Style(style="RG-101", description="Solitaire ring", category="Rings",
                    metal="Yellow Gold", tracking="Serialized", retail_price=125000),
    "CH-200": Style(style="CH-200", description="Rope chain 18 in", category="Chains",
                    metal="Sterling", tracking="Quantity", retail_price=8000),
}
T1 = dt.datetime(2026, 3, 1, 9, 0)
T2 = dt.datetime(2026, 3, 2, 9, 0)


def _ledger():
    rows = [
        # entry, posted_at, date, kind, doc, style, serial, qty, unit_cost
        (1, T1, "2026-03-01", "RECEIPT", "PS-1", "RG-101", "LP-000001N", 1, 62000),
        (2, T1, "2026-03-01", "RECEIPT", "PS-1", "CH-200", "", 3, 2150),
        (3, T2, "2026-03-02", "MEMO_IN", "ps-2", "RG-101", "LP-000002L", 1, 70000),
        (4, T2, "2026-03-02", "RECEIPT", "PS-3", "RG-101", "LP-000003P", 1, 50000),
        (5, T2, "2026-03-02", "REVERSAL", "PS-3", "RG-101", "LP-000003P", -1, 0),
    ]
    entries = [dict(entry=e, posted_at=p, date=d, kind=k, doc=doc, style=s, serial=ser, qty=q,
                    unit_cost=c, reverses=4 if k == "REVERSAL" else 0)
               for e, p, d, k, doc, s, ser, q, c in rows]
    return ledger.frame(entries)


ITEMS = pd.DataFrame([
    {"Serial": "LP-000001N", "Style": "RG-101", "Description": "", "Metal Weight (g)": 3.2,
     "Karat": "14K", "Stone": "Diamond", "Carat": 0.5, "Size": "7", "Cost": 620.0,
     "Retail Price": 1350.0, "_row": 5},
    {"Serial": "LP-000002L", "Style": "RG-101", "Description": "Halo ring, memo from Amsel",
     "Metal Weight (g)": None, "Karat": "", "Stone": "", "Carat": None, "Size": "",
     "Cost": 700.0, "Retail Price": None, "_row": 6},
])


def test_by_doc_by_date_and_the_last_post_receipts():
    lf = _ledger()
    assert list(received_lines(lf, docs=["PS-1"])["serial"]) == ["LP-000001N", ""]
    assert list(received_lines(lf, docs=["PS-2"])["serial"]) == ["LP-000002L"]  # any case
    assert list(received_lines(lf, on=dt.date(2026, 3, 2))["serial"]) == ["LP-000002L"]
    last = received_lines(lf, last=True)
    assert list(last["serial"]) == ["LP-000002L"]  # PS-3 was reversed: nothing to tag


def test_a_piece_tag_takes_its_own_attributes_and_its_styles_for_the_rest():
    lines = received_lines(_ledger(), docs=["PS-1", "PS-2"])
    tags, problems = tags_for(lines, ITEMS, STYLES, cost_word="BLACKHORSE")
    assert problems == []
    first, *units, memo = tags
    assert first.code == "LP-000001N"
    assert (first.style, first.description, first.metal) == ("RG-101", "Solitaire ring",
                                                             "14K Yellow Gold")
    assert (first.weight, first.stone, first.size) == ("3.20 g", "Diamond 0.50 ct", "Size 7")
    assert first.price == "$1,350.00"  # the piece's own retail price beats the style's
    assert first.cost_code == "HLE"  # $620 in BLACKHORSE: H=6 L=2 E=0
    assert [u.code for u in units] == ["CH-200"] * 3  # one tag per unit, the style's code
    assert units[0].price == "$80.00" and units[0].cost_code == "LL"  # $21.50 -> $22: L=2 L=2
    assert memo.description == "Halo ring, memo from Amsel"
    assert memo.price == "$1,250.00"  # no price of its own: the style's


def test_without_a_cost_code_no_cost_is_printed():
    tags, _ = tags_for(received_lines(_ledger(), docs=["PS-1"]), ITEMS, STYLES)
    assert {t.cost_code for t in tags} == {""}


def test_selected_receiving_rows_without_serials_say_what_to_do():
    receiving = pd.DataFrame([
        {"Serial": "", "Style": "RG-101", "Qty": 2, "Unit Cost": 600.0, "_row": 4},
        {"Serial": "", "Style": "CH-200", "Qty": 2, "Unit Cost": 21.5, "_row": 5},
        {"Serial": "", "Style": "XX-1", "Qty": 1, "Unit Cost": 1.0, "_row": 6},
    ])
    tags, problems = tags_for(rows_lines(receiving, [4, 5, 6], "Receiving"), ITEMS, STYLES)
    assert [t.code for t in tags] == ["CH-200", "CH-200"]
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Receiving", 4, "Serial"),
                                                              ("Receiving", 6, "Style")]
    assert "post the receipt (or Split) first" in problems[0].fix


def test_selected_items_rows_and_a_whole_style():
    tags, _ = tags_for(rows_lines(ITEMS, [6], "Items"), ITEMS, STYLES)
    assert [t.code for t in tags] == ["LP-000002L"]
    on_hand = pd.DataFrame({"style": ["CH-200", "CH-200", "RG-101"],
                            "location": ["Main Case", "Memo: Ann", "Vault"],
                            "serial": ["", "", "LP-000001N"], "qty": [2, 4, 1]})
    tags, _ = tags_for(style_lines(on_hand, ["ch-200", "RG-101"]), ITEMS, STYLES)
    assert [t.code for t in tags] == ["CH-200", "CH-200", "LP-000001N"]  # memo-out left out
