"""The tamper-evident Ledger: a hand edit, a deleted, inserted or moved row is named by
its row and entry; the same values read back from Excel in other types still verify."""

from __future__ import annotations

import datetime as dt
import hashlib

import openpyxl
import pandas as pd
import pytest

from addin.core import ledger
from addin.core.errors import LedgerTampered
from addin.core.ledger import chain
from addin.core.money import cents_series, to_decimal, unit_cost_series

POSTED = dt.datetime(2024, 5, 2, 16, 30, 5)
ROWS = [
    dict(
        entry=1,
        posted_at=POSTED,
        date=dt.date(2024, 5, 1),
        kind="RECEIPT",
        doc="PO-88",
        style="RG-101",
        serial="LP-000001N",
        qty=1,
        unit_cost=412_5000,  # ten-thousandths: 412.50
        location="Vault",
        party="Stuller",
    ),
    dict(
        entry=2,
        posted_at=POSTED,
        date=dt.date(2024, 5, 1),
        kind="RECEIPT",
        doc="2231",
        style="CH-18",
        qty=24,
        unit_cost=19_9900,
        location="Main Case",
        party="Rio",
    ),
    dict(
        entry=3,
        posted_at=POSTED,
        date=dt.date(2024, 5, 2),
        kind="SALE",
        doc="T-9",
        style="CH-18",
        qty=-2,
        unit_price=45_0000,  # 45.00, in ten-thousandths
        location="Main Case",
        party="Ana | Bo",
        cogs=3998,
    ),
    dict(
        entry=4,
        posted_at=POSTED,
        date=dt.date(2024, 5, 2),
        kind="TRANSFER",
        doc="M-1",
        style="RG-101",
        serial="LP-000001N",
        qty=-1,
        location="Vault",
    ),
    dict(
        entry=5,
        posted_at=POSTED,
        date=dt.date(2024, 5, 2),
        kind="TRANSFER",
        doc="M-1",
        style="RG-101",
        serial="LP-000001N",
        qty=1,
        location="Window",
        reverses=4,
    ),
    dict(
        entry=6,
        posted_at=POSTED,
        date=dt.date(2024, 5, 2),
        kind="REVERSAL",
        doc="T-9",
        style="CH-18",
        qty=2,
        location="Main Case",
        reverses=3,
    ),
]


@pytest.fixture
def sealed() -> pd.DataFrame:
    return chain.seal(ledger.frame(ROWS))


def test_hash_follows_the_documented_encoding(sealed):
    # worked out from the module docstring, not from the code
    row1 = (
        "1|2024-05-02T16:30:05|2024-05-01|7:RECEIPT|5:PO-88|6:RG-101|10:LP-000001N|1|"
        "41250|0|5:Vault|7:Stuller|0|0"
    )
    first = hashlib.sha256(f"loupe-ledger-1||{row1}".encode()).hexdigest()[:16]
    row3 = (
        "3|2024-05-02T16:30:05|2024-05-02|4:SALE|3:T-9|5:CH-18|0:|-2|0|4500|"
        "9:Main Case|8:Ana | Bo|3998|0"
    )
    third = hashlib.sha256(f"loupe-ledger-1|{sealed.hash[1]}|{row3}".encode()).hexdigest()
    assert sealed.hash[0] == first
    assert sealed.hash[2] == third[:16]
    assert sealed.hash.str.fullmatch("[0-9a-f]{16}").all() and sealed.hash.is_unique


def test_a_unit_cost_of_a_fraction_of_a_cent_is_hashed_as_its_cents_with_decimals():
    # worked out from the module docstring: 0.125 is 12.5 cents, 0.1234 is 12.34
    rows = [dict(ROWS[1], entry=1, unit_cost=1250), dict(ROWS[1], entry=2, unit_cost=1234)]
    sealed = chain.seal(ledger.frame(rows))
    body = ("2024-05-02T16:30:05|2024-05-01|7:RECEIPT|4:2231|5:CH-18|0:|24|{}|0|9:Main Case|"
            "3:Rio|0|0")
    first = hashlib.sha256(f"loupe-ledger-1||1|{body.format('12.5')}".encode()).hexdigest()[:16]
    second = hashlib.sha256(
        f"loupe-ledger-1|{first}|2|{body.format('12.34')}".encode()).hexdigest()[:16]
    assert list(sealed.hash) == [first, second]
    # 0.125 and 0.13 never share a Hash, nor 0.125 and 12.50
    again = chain.seal(ledger.frame([dict(ROWS[1], entry=1, unit_cost=1300)]))
    assert again.hash[0] != first


def test_a_unit_price_of_a_fraction_of_a_cent_is_hashed_as_its_cents_with_decimals():
    # worked out from the module docstring: a price of 0.125 is 12.5 cents, 45.00 is 4500
    rows = [dict(ROWS[2], entry=1, unit_price=1250)]
    row = ("1|2024-05-02T16:30:05|2024-05-02|4:SALE|3:T-9|5:CH-18|0:|-2|0|12.5|"
           "9:Main Case|8:Ana | Bo|3998|0")
    expected = hashlib.sha256(f"loupe-ledger-1||{row}".encode()).hexdigest()[:16]
    assert chain.seal(ledger.frame(rows)).hash[0] == expected


def test_sealing_in_batches_equals_sealing_at_once(sealed):
    first = chain.seal(ledger.frame(ROWS[:2]))
    rest = chain.seal(ledger.frame(ROWS[2:]), previous_hash=first.hash.iloc[-1])
    assert list(first.hash) + list(rest.hash) == list(sealed.hash)


def test_an_untouched_ledger_verifies(sealed):
    result = chain.verify(sealed)
    assert result.ok and result.checked == 6 and result.row is None
    result.raise_if_tampered()  # nothing to raise
    assert chain.verify(ledger.empty()).ok


CHANGES = {
    "entry": 99,
    "posted_at": POSTED + dt.timedelta(seconds=1),
    "date": pd.Timestamp(2024, 5, 3),
    "kind": "RETURN",
    "doc": "T-90",
    "style": "CH-19",
    "serial": "LP-000002P",
    "qty": -3,
    "unit_cost": 1,
    "unit_price": 44_0000,
    "location": "Window",
    "party": "Ana",
    "cogs": 0,
    "reverses": 2,
    "hash": "0123456789abcdef",
}


@pytest.mark.parametrize("column", list(CHANGES))
def test_an_edit_to_any_column_is_named_by_row_and_entry(sealed, column):
    edited = sealed.copy()
    edited.loc[2, column] = CHANGES[column]
    result = chain.verify(edited)
    assert not result.ok
    assert (result.position, result.row) == (2, 4)  # header on row 1, entry 3 on row 4
    assert result.message.startswith("Ledger row 4")
    if column != "entry":
        assert result.entry == 3
        assert "changed after posting" in result.message and "backup" in result.message


def test_the_first_of_two_edits_is_named(sealed):
    edited = sealed.copy()
    edited.loc[4, "qty"] = 5
    edited.loc[1, "unit_cost"] = 1000
    assert chain.verify(edited).entry == 2


def test_a_deleted_row_is_named(sealed):
    result = chain.verify(sealed.drop(index=2))
    assert (result.ok, result.row, result.entry) == (False, 4, 4)
    assert "entry 3 is missing" in result.message and "deleted" in result.message


def test_deleting_the_first_row_is_caught(sealed):
    result = chain.verify(sealed.iloc[1:])
    assert (result.row, result.entry) == (2, 2)
    assert "entry 1 is missing" in result.message


def test_rows_cut_off_the_end_are_caught_against_the_recorded_tip(sealed):
    last = chain.tip(sealed)
    assert last == chain.Tip(6, sealed.hash[5])
    assert chain.verify(sealed.iloc[:4]).ok  # the documented limit of a bare chain
    result = chain.verify(sealed.iloc[:4], expected_tip=last)
    assert not result.ok and "sealed up to entry 6" in result.message
    grown = chain.seal(ledger.frame([{**ROWS[1], "entry": 7}]), sealed.hash[5])
    assert chain.verify(pd.concat([sealed, grown], ignore_index=True), expected_tip=last).ok


def test_swapped_rows_name_the_first_of_them(sealed):
    swapped = sealed.iloc[[0, 4, 2, 3, 1, 5]].reset_index(drop=True)
    result = chain.verify(swapped)
    assert (result.row, result.entry) == (3, 5)
    assert "where entry 2 belongs" in result.message and "sort the Ledger" in result.message


def test_a_copied_row_is_named(sealed):
    copied = pd.concat([sealed.iloc[:3], sealed.iloc[[2]], sealed.iloc[3:]], ignore_index=True)
    result = chain.verify(copied)
    assert (result.row, result.entry) == (5, 3)
    assert "repeats entry 3" in result.message


def test_a_row_typed_in_by_hand_is_named(sealed):
    typed = {**ROWS[1], "entry": 3, "qty": 5}
    extra = ledger.frame([typed])
    inserted = pd.concat([sealed.iloc[:2], extra, sealed.iloc[2:]], ignore_index=True)
    inserted["entry"] = range(1, 8)  # renumbered by hand
    result = chain.verify(inserted)
    assert (result.row, result.entry) == (4, 3)
    assert "has no Hash" in result.message


def test_raise_if_tampered_carries_row_and_entry(sealed):
    edited = sealed.copy()
    edited.loc[3, "location"] = "Main Case"
    with pytest.raises(LedgerTampered) as caught:
        chain.verify(edited).raise_if_tampered()
    assert (caught.value.row, caught.value.entry) == (5, 4)


def test_values_as_excel_hands_them_back_still_verify(sealed):
    raw = sealed.astype(object)
    for column in ("entry", "qty", "unit_cost", "unit_price", "cogs"):
        raw[column] = sealed[column].astype(float)  # every number is a float
    raw["reverses"] = [None if r == 0 else float(r) for r in sealed.reverses]  # blank cells
    raw["serial"] = [s or None for s in sealed.serial]
    raw["party"] = [p or None for p in sealed.party]
    raw["doc"] = [2231.0 if d == "2231" else d for d in sealed.doc]  # text turned number
    raw["date"] = [dt.datetime.combine(d, dt.time()) for d in sealed.date.dt.date]
    raw["posted_at"] = [POSTED + dt.timedelta(microseconds=2)] * 6  # a day fraction's drift
    assert chain.verify(raw).ok
    raw.loc[1, "qty"] = 24.5
    assert chain.verify(raw).entry == 2


def test_seal_rounds_posted_at_to_the_second_it_hashes():
    rows = [{**ROWS[0], "posted_at": dt.datetime(2024, 5, 2, 16, 30, 5, 700_000)}]
    sealed = chain.seal(ledger.frame(rows))
    assert sealed.posted_at[0] == pd.Timestamp(2024, 5, 2, 16, 30, 6)
    assert chain.verify(sealed).ok


# --- through a real workbook file ---------------------------------------------------------

MONEY = ("cogs",)
PER_PIECE = ("unit_cost", "unit_price")  # ten-thousandths in the frame


def _write_ledger(path, frame: pd.DataFrame) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ledger"
    sheet.append(list(ledger.HEADERS.values()))
    for rec in frame.to_dict("records"):
        cells = []
        for column in ledger.COLUMNS:
            value = rec[column]
            if column in MONEY:
                value = float(to_decimal(value)) if value else None  # dollars, blank for 0
            elif column in PER_PIECE:
                value = value / 10_000 if value else None
            elif column in ("posted_at", "date"):
                value = pd.Timestamp(value).to_pydatetime()
            elif value == "" or (column == "reverses" and not value):
                value = None
            elif hasattr(value, "item"):
                value = value.item()
            cells.append(value)
        sheet.append(cells)
    book.save(path)


def _read_ledger(path) -> pd.DataFrame:
    rows = list(openpyxl.load_workbook(path)["Ledger"].iter_rows(values_only=True))
    by_header = {h: c for c, h in ledger.HEADERS.items()}
    frame = pd.DataFrame(rows[1:], columns=[by_header[h] for h in rows[0]])
    for column in MONEY:
        frame[column] = cents_series(frame[column])
    for column in PER_PIECE:
        frame[column] = unit_cost_series(frame[column])
    return frame


def test_a_ledger_saved_and_reopened_verifies_and_a_hand_edit_is_caught(sealed, tmp_path):
    path = tmp_path / "book.xlsx"
    _write_ledger(path, sealed)
    assert chain.verify(_read_ledger(path)).ok

    book = openpyxl.load_workbook(path)
    book["Ledger"]["I3"] = 19.98  # Unit Cost of entry 2, one cent less
    book.save(path)
    result = chain.verify(_read_ledger(path))
    assert (result.ok, result.row, result.entry) == (False, 3, 2)
    assert result.message.startswith("Ledger row 3 (entry 2) was changed after posting")
