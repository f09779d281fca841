"""Count by scan: every code scanned and every piece booked at the location gets one result.

The books and the scans are tables a reader can check by eye; every expected line is
worked out by hand from them.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from addin.core.reports.reconciling import count_rows, reconcile, transfer_rows
from addin.core.rows.scan_list import read_scan_list
from addin.core.rows.settings import Settings

DAY = dt.date(2026, 3, 1)
HERE = "Main Case"

# serial, style, location, status: what the books say about every piece ever seen
BOOKS = [
    ("LP-000001N", "RG-101", HERE, "In Stock"),  # scanned twice
    ("LP-000002L", "RG-101", HERE, "In Stock"),  # not scanned: missing
    ("LP-000003P", "PD-300", HERE, "In Stock"),  # scanned by its RFID tag
    ("LP-000004Q", "PD-300", "Vault", "In Stock"),  # scanned here: booked elsewhere
    ("LP-000005O", "RG-101", "Memo: Ann Lee", "Memo Out"),  # scanned but out on memo
    ("LP-000006J", "RG-101", HERE, "Sold"),  # scanned but sold
    ("LP-000007K", "RG-101", "Vault", "In Stock"),  # elsewhere, not scanned: not ours
    ("OLD-4471", "RG-101", HERE, "In Stock"),  # a legacy tag: no check character
    ("LP-000100A", "RG-101", HERE, "In Stock"),  # legacy, fits the shape, fails the check
]
ON_HAND = [("CH-200", HERE, 5), ("BR-900", HERE, 2), ("CH-200", "Vault", 9)]
STYLES = {"CH-200": "CH-200", "BR-900": "BR-900", "EA-55": "EA-55"}
RFID = {"E28011606000020D5B7A3C11": "LP-000003P"}

SCANS = """LP-000001N
LP-000004Q
E28011606000020D5B7A3C11
LP-000005O
LP-000006J
lp-000001n
LP-000001A
ZZ-1
CH-200
CH-200
ch-200
EA-55
OLD-4471
LP-000100A
"""

# result, code, serial, style, booked at, expected, counted, variance, action, scan lines
EXPECTED = [
    ("Missing", "", "LP-000002L", "RG-101", HERE, 1, 0, -1, "Count", ""),
    ("Booked elsewhere", "LP-000004Q", "LP-000004Q", "PD-300", "Vault", 0, 1, 1, "Transfer",
     "2"),
    ("Sold / memo / gone", "LP-000005O", "LP-000005O", "RG-101", "Memo: Ann Lee", 0, 1, 1,
     "Look at it", "4"),
    ("Sold / memo / gone", "LP-000006J", "LP-000006J", "RG-101", HERE, 0, 1, 1, "Look at it",
     "5"),
    ("Unknown code", "ZZ-1", "", "", "", None, None, None, "Look at it", "8"),
    ("Misscan", "LP-000001A", "", "", "", None, None, None, "Rescan", "7"),
    ("Duplicate scan", "LP-000001N", "LP-000001N", "RG-101", "", None, None, None, "Ignored",
     "6"),
    ("Quantity variance", "BR-900", "", "BR-900", HERE, 2, 0, -2, "Count", ""),
    ("Quantity variance", "CH-200", "", "CH-200", HERE, 5, 3, -2, "Count",
     "9-11 (3 scans)"),
    ("Quantity variance", "EA-55", "", "EA-55", HERE, 0, 1, 1, "Count", "12"),
    ("Counted", "LP-000003P", "LP-000003P", "PD-300", HERE, 1, 1, 0, "", "3"),
    ("Counted", "LP-000001N", "LP-000001N", "RG-101", HERE, 1, 1, 0, "", "1"),
    ("Counted", "LP-000100A", "LP-000100A", "RG-101", HERE, 1, 1, 0, "", "14"),
    ("Counted", "OLD-4471", "OLD-4471", "RG-101", HERE, 1, 1, 0, "", "13"),
]


def _reconcile(scans_text=SCANS, location=HERE):
    scans, problems = read_scan_list(scans_text)
    assert problems == []
    pieces = pd.DataFrame(BOOKS, columns=["serial", "style", "location", "status"])
    on_hand = pd.DataFrame(ON_HAND, columns=["style", "location", "qty"])
    return reconcile(scans, location, DAY, pieces=pieces, quantity_on_hand=on_hand,
                     quantity_styles=STYLES, pattern=Settings(), rfid=RFID)


def _plain(v):
    return None if v is None or pd.isna(v) else v


def test_every_scan_and_every_booked_piece_gets_its_result_in_reading_order():
    lines = _reconcile().lines
    got = [
        (r["result"], r["code"], r["serial"], r["style"], r["booked_at"],
         _plain(r["expected_qty"]), _plain(r["counted_qty"]), _plain(r["variance"]),
         r["action"], r["scan_lines"])
        for r in lines.to_dict("records")
    ]
    assert got == EXPECTED


def test_the_tally_reads_first():
    rec = _reconcile()
    assert rec.tally() == {"Missing": 1, "Booked elsewhere": 1, "Sold / memo / gone": 2,
                           "Unknown code": 1, "Misscan": 1, "Duplicate scan": 1,
                           "Quantity variance": 3, "Counted": 4}
    assert rec.summary.startswith("Count of Main Case on 2026-03-01: 1 missing")


def test_legacy_tags_on_the_books_are_never_called_misscans():
    lines = _reconcile().lines
    misscans = set(lines.loc[lines["result"] == "Misscan", "code"])
    assert misscans == {"LP-000001A"}  # LP-000100A fails the check too, but the books hold it


def test_accepted_lines_become_counts_rows_and_transfers():
    lines = _reconcile().lines
    assert count_rows(lines, HERE, DAY) == [
        {"Count Date": DAY, "Location": HERE, "Serial": "LP-000002L", "Style": None,
         "Counted Qty": 0},
        {"Count Date": DAY, "Location": HERE, "Serial": None, "Style": "BR-900",
         "Counted Qty": 0},
        {"Count Date": DAY, "Location": HERE, "Serial": None, "Style": "CH-200",
         "Counted Qty": 3},
        {"Count Date": DAY, "Location": HERE, "Serial": None, "Style": "EA-55",
         "Counted Qty": 1},
    ]
    assert transfer_rows(lines, HERE, DAY) == [
        {"Date": DAY, "Doc": "count 2026-03-01 Main Case", "Kind": "Transfer",
         "Serial": "LP-000004Q", "Style": "PD-300", "Qty": 1, "From": "Vault", "To": HERE},
    ]


def test_nothing_scanned_means_everything_booked_here_is_missing():
    lines = _reconcile("").lines
    assert set(lines["result"]) == {"Missing", "Quantity variance"}
    assert set(lines.loc[lines["result"] == "Missing", "serial"]) == {
        "LP-000001N", "LP-000002L", "LP-000003P", "OLD-4471", "LP-000100A"}
    assert sorted(lines.loc[lines["serial"] == "", "variance"]) == [-5, -2]


@pytest.mark.parametrize("location", ["Vault"])
def test_the_same_scans_at_another_location_read_the_other_way(location):
    lines = _reconcile("LP-000004Q\nLP-000001N\n", location).lines
    by = dict(zip(lines["serial"], lines["result"], strict=False))
    assert by["LP-000004Q"] == "Counted"
    assert by["LP-000001N"] == "Booked elsewhere"
    assert by["LP-000007K"] == "Missing"
