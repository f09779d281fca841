"""Tags, scan-to-sell and count-by-scan on a real shop book, as a user drives them: the
`loupe` command on the saved file (files adapter) and the ribbon on an open book (live
adapter, through the xlwings stand-in). Every barcode is read back by zxing-cpp."""

from __future__ import annotations

import re
from collections import Counter

from addin.macros import entry
from addin.sheets import schema
from tests.macros import shopbook
from tests.macros.conftest import PRESSED, loupe
from tests.macros.shopbook import day
from tests.tags.conftest import decoded_codes
from tests.workbook.live.fake_xlwings import FakeBook

# --- Print Tags ---------------------------------------------------------------------------------


def test_loupe_tags_prints_the_last_delivery_and_every_barcode_scans_back(shop, tmp_path):
    out = tmp_path / "tags.pdf"
    result = loupe("tags", shop["path"], "-o", out)
    assert result.exit_code == 0, result.output
    assert "33 tag(s) for the last Post Receipts" in result.output
    got = Counter(c for page in decoded_codes(out.read_bytes()) for c in page)
    # PO-1: two rings and a pendant, one tag each; PO-2: 10 chains and 20 studs, one per unit
    assert got == Counter({shop["sold"]: 1, shop["in_stock"]: 1, shop["pendant"]: 1,
                           "CH-301": 10, "ST-401": 20})


def test_loupe_tags_by_doc_as_zpl_carries_each_serial(shop, tmp_path):
    out = tmp_path / "tags.zpl"
    result = loupe("tags", shop["path"], "--doc", "po-1", "-o", out, "--layout",
                   "jewelry-2.2x0.5")
    assert result.exit_code == 0, result.output
    zpl = out.read_text()
    assert zpl.count("^XA") == zpl.count("^XZ") == 3
    qr = re.findall(r"\^BQN,2,\d+\^FH_\^FDMA,(.*?)\^FS", zpl)
    assert sorted(qr) == sorted([shop["sold"], shop["in_stock"], shop["pendant"]])


def test_loupe_tags_of_selected_items_rows(shop, tmp_path):
    items = shopbook.read_rows(shop["path"], schema.ITEMS)
    row = 2 + [i["Serial"] for i in items].index(shop["pendant"])
    out = tmp_path / "one.pdf"
    result = loupe("tags", shop["path"], "--sheet", "Items", "--rows", str(row), "-o", out)
    assert result.exit_code == 0, result.output
    assert decoded_codes(out.read_bytes()) == [[shop["pendant"]]]


def test_a_bad_tags_request_says_what_to_type(shop, tmp_path):
    result = loupe("tags", shop["path"], "--rows", "5", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 2 and "--sheet and --rows go together" in result.output
    result = loupe("tags", shop["path"], "--layout", "avery-1", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 2 and "there is no tag layout 'avery-1'" in result.output


def test_tags_for_a_style_nothing_matches_write_no_file_and_say_so(shop, tmp_path):
    out = tmp_path / "t2.pdf"
    result = loupe("tags", shop["path"], "--style", "XX-1", "-o", out)
    assert result.exit_code == 1, result.output
    assert "no piece matches style XX-1" in result.output and not out.exists()


def test_tags_to_a_file_that_is_neither_pdf_nor_zpl_are_refused(shop, tmp_path):
    out = tmp_path / "t3.png"
    result = loupe("tags", shop["path"], "--doc", "PO-1", "-o", out)
    assert result.exit_code == 2 and "t3.png is neither .pdf nor .zpl" in result.output
    assert not out.exists()
    result = loupe("tags", shop["path"], "--doc", "PO-1", "-o", out, "--format", "pdf")
    assert result.exit_code == 0 and out.read_bytes().startswith(b"%PDF")  # asked for


def test_the_ribbon_prints_tags_of_the_selected_rows_beside_the_book(shop, tmp_path):
    fake = FakeBook.open(shop["path"])
    items = shopbook.read_rows(shop["path"], schema.ITEMS)
    row = 2 + [i["Serial"] for i in items].index(shop["in_stock"])
    fake.select("Items", f"A{row}")
    outcome = entry.run("print_tags", caller=fake, ask=None, now=PRESSED)
    assert outcome is not None and outcome.posted == 1
    pdf = shop["path"].with_name("shop.tags.pdf")
    assert decoded_codes(pdf.read_bytes()) == [[shop["in_stock"]]]


# --- Scan to sell -------------------------------------------------------------------------------


def _misscan(serial: str) -> str:
    """The serial with its check character swapped for another (what a bad scan gives)."""
    return serial[:-1] + ("A" if serial[-1] != "A" else "B")


def test_a_sales_row_with_only_a_scan_is_filled_in_from_the_piece(shop, tmp_path):
    ring = shop["in_stock"]
    shopbook.type_rows(shop["path"], schema.SALES, [
        [day("2026-02-20"), None, ring, None, None, None, None, None, None],
        [day("2026-02-20"), None, "CH-301", None, None, None, None, None, None],
        [day("2026-02-20"), None, "ch-301", None, None, None, None, None, None],
        [day("2026-02-20"), None, _misscan(shop["pendant"]), None, None, None, None, None, None],
    ])
    result = loupe("post", "sales", shop["path"])
    assert result.exit_code == 1, result.output  # the misscan is refused
    rows = shopbook.read_rows(shop["path"], schema.SALES)[-4:]
    ring_row, unit1, unit2, bad = rows
    assert (ring_row["Style"], ring_row["Location"], ring_row["Qty"], ring_row["Unit Price"],
            ring_row["Status"]) == ("RG-101", "Main Case", 1, 1999.99, "Posted")
    assert ring_row["Doc"].startswith("SCAN-20260220-")
    assert [(u["Serial"], u["Style"], u["Qty"], u["Unit Price"], u["Status"])
            for u in (unit1, unit2)] == [(None, "CH-301", 1, 120.0, "Posted")] * 2
    assert bad["Status"].startswith("Error: Serial:") and "check character" in bad["Status"]
    assert bad["Qty"] is None and bad["Unit Price"] is None  # nothing filled on a misscan
    items = {i["Serial"]: i for i in shopbook.read_rows(shop["path"], schema.ITEMS)}
    assert items[ring]["Status"] == "Sold" and items[shop["pendant"]]["Status"] == "In Stock"


def test_validate_judges_a_bare_scan_as_post_fills_it_and_fills_nothing(shop):
    path = shop["path"]
    scans = [
        [day("2026-02-20"), None, shop["in_stock"], None, None, None, None, None, None],
        [day("2026-02-20"), None, "CH-301", None, None, None, None, None, None],
        [day("2026-02-20"), None, shop["sold"], None, None, None, None, None, None],
        [day("2026-02-20"), None, _misscan(shop["pendant"]), None, None, None, None, None, None],
    ]
    shopbook.type_rows(path, schema.SALES, scans)
    typed = shopbook.read_rows(path, schema.SALES)[-4:]
    assert loupe("validate", path).exit_code == 1
    validated = shopbook.read_rows(path, schema.SALES)[-4:]
    # the two good scans would post: no "Qty is blank", no Status at all
    assert [r["Status"] for r in validated[:2]] == [None, None]
    sold, misscan = validated[2]["Status"], validated[3]["Status"]
    assert sold.startswith("Error: Serial:") and "not in stock" in sold
    assert misscan.startswith("Error: Serial:") and "check character" in misscan
    # nothing filled: every typed cell but Status is as the clerk left it
    for before, after in zip(typed, validated, strict=True):
        assert {k: v for k, v in after.items() if k != "Status"} == \
               {k: v for k, v in before.items() if k != "Status"}
    assert loupe("post", "sales", path).exit_code == 1
    posted = shopbook.read_rows(path, schema.SALES)[-4:]
    assert [r["Status"] for r in posted[:2]] == ["Posted", "Posted"]
    assert [r["Status"] for r in posted[2:]] == [sold, misscan]  # the same words as Validate


def test_a_scan_of_a_piece_already_sold_says_so(shop):
    shopbook.type_rows(shop["path"], schema.SALES, [
        [day("2026-02-20"), None, shop["sold"], None, None, None, None, None, None],
    ])
    result = loupe("post", "sales", shop["path"])
    assert result.exit_code == 1
    status = shopbook.read_rows(shop["path"], schema.SALES)[-1]["Status"]
    assert status.startswith("Error: Serial:") and "not in stock" in status


# --- Count by scan ------------------------------------------------------------------------------


def _scan_file(tmp_path, shop) -> str:
    """A Main Case count: the pendant (booked in the Vault), the sold ring, 8 chains (as
    booked), 18 of 20 studs, an unknown code and a misscan; the ring in stock unscanned."""
    codes = ([shop["pendant"], shop["sold"]] + ["CH-301"] * 8 + ["ST-401"] * 18
             + ["ZZ-1", _misscan(shop["in_stock"]), shop["pendant"]])
    lines = "\n".join(f"2026-03-01 10:{i // 60:02d}:{i % 60:02d},{c}" for i, c in enumerate(codes))
    path = tmp_path / "scanner.csv"
    path.write_text("Time,Barcode\n" + lines + "\n")
    return path


def _results(path) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for r in shopbook.read_rows(path, schema.COUNT_RECONCILIATION):
        out.setdefault(r["Result"], []).append((r["Serial"] or r["Code"], r["Variance"],
                                                r["Action"], r["Accept"]))
    return out


def test_a_scan_count_finds_each_kind_of_result_and_posts_what_is_accepted(shop, tmp_path):
    result = loupe("count", shop["path"], "--location", "main case", "--scans",
                   _scan_file(tmp_path, shop), "--date", "2026-03-01")
    assert result.exit_code == 0, result.output
    found = _results(shop["path"])
    assert found == {
        "Missing": [(shop["in_stock"], -1, "Count", "Yes")],
        "Booked elsewhere": [(shop["pendant"], 1, "Transfer", "Yes")],
        "Sold / memo / gone": [(shop["sold"], 1, "Look at it", None)],
        "Unknown code": [("ZZ-1", None, "Look at it", None)],
        "Misscan": [(_misscan(shop["in_stock"]), None, "Rescan", None)],
        "Duplicate scan": [(shop["pendant"], None, "Ignored", None)],
        "Quantity variance": [("ST-401", -2, "Count", "Yes")],
        "Quantity counted": [("CH-301", 0, None, None)],
    }
    result = loupe("post", "counts", shop["path"])
    assert result.exit_code == 0, result.output
    assert "1 transfer(s) posted, 2 Counts row(s) added" in result.output
    items = {i["Serial"]: i for i in shopbook.read_rows(shop["path"], schema.ITEMS)}
    assert items[shop["pendant"]]["Location"] == "Main Case"  # moved where it was found
    assert items[shop["in_stock"]]["Status"] == "Missing"
    ledger = shopbook.read_rows(shop["path"], schema.LEDGER)
    adjusts = sorted((e["Style"], e["Serial"], e["Qty"]) for e in ledger if e["Kind"] == "ADJUST")
    assert adjusts == [("RG-101", shop["in_stock"], -1), ("ST-401", None, -2)]
    assert sum(e["Kind"] == "TRANSFER" for e in ledger) == 2  # the out-half and the in-half
    again = loupe("post", "counts", shop["path"])
    assert again.exit_code == 0 and "0 row(s) posted" in again.output
    assert len(shopbook.read_rows(shop["path"], schema.LEDGER)) == len(ledger)


def test_a_line_set_to_no_is_left_out(shop, tmp_path):
    loupe("count", shop["path"], "--location", "Main Case", "--scans",
          _scan_file(tmp_path, shop), "--date", "2026-03-01")
    rows = shopbook.read_rows(shop["path"], schema.COUNT_RECONCILIATION)
    transfer_row = 2 + [r["Action"] for r in rows].index("Transfer")
    shopbook.set_cell(shop["path"], "Count Reconciliation", f"L{transfer_row}", "No")
    result = loupe("post", "counts", shop["path"])
    assert "0 transfer(s) posted" in result.output
    items = {i["Serial"]: i for i in shopbook.read_rows(shop["path"], schema.ITEMS)}
    assert items[shop["pendant"]]["Location"] == "Vault"


def test_the_ribbon_counts_the_codes_pasted_on_the_scans_sheet(shop, tmp_path):
    shopbook.type_rows(shop["path"], schema.SCANS, [[shop["pendant"], None], ["CH-301", None]])
    fake = FakeBook.open(shop["path"])
    asked = []
    outcome = entry.run("count_by_scan", caller=fake,
                        ask=lambda prompt, title, default: asked.append(default) or "Vault",
                        now=PRESSED)
    assert asked == ["Main Case"] and outcome is not None
    seen = shopbook.read_rows(fake.save_copy(tmp_path / "seen.xlsm"),
                              schema.COUNT_RECONCILIATION)
    by = {(r["Result"], r["Serial"] or r["Code"]) for r in seen}
    assert ("Counted", shop["pendant"]) in by  # the pendant is booked in the Vault
    assert ("Quantity variance", "CH-301") in by  # no chains are booked in the Vault


def test_an_unknown_location_is_refused_with_the_real_ones(shop, tmp_path):
    result = loupe("count", shop["path"], "--location", "Backroom", "--scans",
                   _scan_file(tmp_path, shop))
    assert result.exit_code == 2
    assert "unknown location 'Backroom'" in result.output and "Main Case" in result.output
