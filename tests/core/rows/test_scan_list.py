"""Scan lists as scanners and RFID readers export them read back to the codes scanned."""

from __future__ import annotations

import pandas as pd

from addin.core.rows.scan_list import epc_of, epc_text, read_scan_list, scans_from_cells


def test_one_code_per_line_with_blank_lines_and_stray_case_and_spaces():
    scans, problems = read_scan_list("\ufeffLP-000001N\n\n  lp-000002 l \r\nCH-200\n")
    assert problems == []
    assert list(scans["code"]) == ["LP-000001N", "LP-000002L", "CH-200"]
    assert list(scans["line"]) == [1, 3, 4]  # the line numbers of the file, blanks counted
    assert scans["at"].isna().all()


def test_csv_with_a_header_and_time_stamps_in_either_order():
    text = "Timestamp,Barcode\n2026-03-01 10:00:01,LP-000001N\n2026-03-01 10:00:05,CH-200\n"
    scans, problems = read_scan_list(text)
    assert problems == []
    assert list(scans["code"]) == ["LP-000001N", "CH-200"]
    assert list(scans["at"]) == [pd.Timestamp("2026-03-01 10:00:01"),
                                 pd.Timestamp("2026-03-01 10:00:05")]
    assert list(scans["line"]) == [2, 3]


def test_csv_without_a_header_finds_the_time_column_by_its_dates():
    scans, _ = read_scan_list("LP-000001N;2026-03-01T10:00\nCH-200;2026-03-01T10:01\n")
    assert list(scans["code"]) == ["LP-000001N", "CH-200"]
    assert scans["at"].iloc[1] == pd.Timestamp("2026-03-01 10:01")
    tabbed, _ = read_scan_list("03/01/2026 10:00\tLP-000001N\n03/01/2026 10:02\tCH-200\n")
    assert list(tabbed["code"]) == ["LP-000001N", "CH-200"]


def test_a_csv_line_without_a_code_is_named_and_the_rest_still_counts():
    scans, problems = read_scan_list("code,time\nLP-000001N,2026-03-01 10:00\n,2026-03-01 10:01\n",
                                     "count.csv")
    assert list(scans["code"]) == ["LP-000001N"]
    assert [(p.sheet, p.row) for p in problems] == [("count.csv", 3)]
    assert "no code" in problems[0].message


def test_an_epc_that_carries_the_serial_as_text_reads_as_the_serial():
    # 'LP-000001N' in ASCII is 4C 50 2D 30 30 30 30 30 31 4E, padded to 96 bits with zeros
    assert epc_of("LP-000001N") == "4C502D303030303031" + "4E0000"
    assert epc_text("4c502d3030303030314e0000") == "LP-000001N"
    csv = "EPC,Time\n4C502D3030303030314E0000,2026-03-01 10:00\n"
    assert list(read_scan_list(csv)[0]["code"]) == ["LP-000001N"]


def test_an_epc_of_binary_data_is_kept_as_it_is_for_the_rfid_column():
    assert epc_text("3034257BF7194E4000001A85") == "3034257BF7194E4000001A85"


def test_codes_pasted_into_cells_skip_blank_cells():
    scans = scans_from_cells(["LP-000001N", None, " ", "ch-200"])
    assert list(scans["code"]) == ["LP-000001N", "CH-200"]
    assert list(scans["line"]) == [1, 4]
