"""Every button on a real book, the way a shop uses it, with figures worked out by hand.

The stocked shop (conftest): rings LP-1 (cost 800, sold) and LP-2 (820) at Main Case, a
pendant (300) in the Vault, 10 CH-301 chains at 50 (2 sold), 20 ST-401 studs at 5
(moving average), all received in January 2026.
"""

from __future__ import annotations

import datetime as dt
import json

from addin.core.rows.serials import check_serial, normalize_serial
from addin.sheets import schema
from tests.macros import shopbook
from tests.macros.conftest import loupe
from tests.macros.shopbook import day

RECV, SALE, MOVE, COUNT = schema.RECEIVING, schema.SALES, schema.MOVEMENTS, schema.COUNTS


def ledger(path) -> list[dict]:
    return shopbook.read_rows(path, schema.LEDGER)


def new_entries(path, before: list[dict]) -> list[dict]:
    return ledger(path)[len(before):]


def exported(path, what: str) -> list[dict]:
    result = loupe("export", path, "--what", what, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def items(path) -> dict[str, dict]:
    return {i["Serial"]: i for i in shopbook.read_rows(path, schema.ITEMS)}


def post(path, what: str, expect: int = 0):
    result = loupe("post", what, path)
    assert result.exit_code == expect, result.output
    return result


def test_fifo_sale_takes_the_oldest_chains_first(shop):
    path = shop["path"]
    shopbook.type_rows(path, RECV, [[day("2026-02-10"), "PO-3", "Northstar", "CH-301", 5, 60.0,
                                     None, "Main Case", "Owned"]])
    post(path, "receipts")
    before = ledger(path)
    shopbook.type_rows(path, SALE, [[day("2026-02-20"), "T-3", None, "CH-301", 10, 120.0,
                                     "G. Patel", "Main Case", "Sale"]])
    post(path, "sales")
    (sale,) = new_entries(path, before)
    # 8 left of the 50.00 layer, then 2 of the 60.00 layer
    assert sale["Kind"] == "SALE" and sale["Qty"] == -10
    assert sale["Cost of Goods"] == 8 * 50 + 2 * 60
    layers = [r for r in exported(path, "layers") if r["Style"] == "CH-301"]
    assert [(r["Qty"], r["Unit Cost"]) for r in layers] == [(3, "60.00")]


def test_average_cost_styles_sell_at_the_running_average(shop):
    path = shop["path"]
    shopbook.type_rows(path, RECV, [[day("2026-02-10"), "PO-3", "Silverline", "ST-401", 10, 8.0,
                                     None, "Main Case", "Owned"]])
    post(path, "receipts")
    before = ledger(path)
    shopbook.type_rows(path, SALE, [[day("2026-02-20"), "T-3", None, "ST-401", 15, 35.0,
                                     "G. Patel", "Main Case", "Sale"]])
    post(path, "sales")
    (sale,) = new_entries(path, before)
    # (20 x 5.00 + 10 x 8.00) / 30 = 6.00 a stud; 15 studs = 90.00
    assert sale["Cost of Goods"] == 90


def test_customer_return_comes_back_at_its_sale_cost_and_date(shop):
    path = shop["path"]
    shopbook.type_rows(path, SALE, [[day("2026-02-25"), "R-1", shop["sold"], None, 1, 1999.99,
                                     "B. Chen", "Main Case", "Return"]])
    post(path, "sales")
    back = ledger(path)[-1]
    assert back["Kind"] == "RETURN" and back["Serial"] == shop["sold"]
    sale = next(r for r in ledger(path) if r["Kind"] == "SALE" and r["Serial"] == shop["sold"])
    assert back["Reverses"] == sale["Entry"]
    layer = next(r for r in exported(path, "layers") if r["Serial"] == shop["sold"])
    assert layer["Unit Cost"] == "800.00" and layer["Received"].startswith("2026-01-10")
    assert items(path)[shop["sold"]]["Status"] == "In Stock"


def test_transfer_keeps_cost_and_receipt_date(shop):
    path = shop["path"]
    shopbook.type_rows(path, MOVE, [[day("2026-02-15"), "X-1", "Transfer", shop["in_stock"], None,
                                     1, None, "Window", None, None],
                                    [day("2026-02-15"), "X-1", "Transfer", None, "CH-301", 3,
                                     "Main Case", "Vault", None, None]])
    post(path, "movements")
    layers = exported(path, "layers")
    ring = next(r for r in layers if r["Serial"] == shop["in_stock"])
    assert (ring["Location"], ring["Unit Cost"]) == ("Window", "820.00")
    assert ring["Received"].startswith("2026-01-10")
    vault = [r for r in layers if r["Style"] == "CH-301" and r["Location"] == "Vault"]
    assert [(r["Qty"], r["Unit Cost"]) for r in vault] == [(3, "50.00")]
    assert items(path)[shop["in_stock"]]["Location"] == "Window"


def test_memo_out_is_owned_but_not_on_hand_until_it_comes_back(shop):
    path = shop["path"]
    ring = shop["in_stock"]
    shopbook.type_rows(path, MOVE, [[day("2026-02-15"), "MO-1", "Memo Out", ring, None, 1, None,
                                     None, "Harbor Jewelers", day("2026-03-15")]])
    post(path, "movements")
    assert items(path)[ring]["Status"] == "Memo Out"
    on_hand = exported(path, "onhand")
    assert not any(r["Style"] == "RG-101" and r["Location"] == "Main Case" and r["Qty"]
                   for r in on_hand)
    shopbook.type_rows(path, SALE, [[day("2026-02-20"), "T-5", ring, None, 1, 1999.99, "X",
                                     None, "Sale"]])
    post(path, "sales", expect=1)
    assert "out on memo" in shopbook.read_rows(path, SALE)[-1]["Status"]
    shopbook.type_rows(path, MOVE, [[day("2026-02-25"), "MB-1", "Memo Back", ring, None, 1, None,
                                     "Main Case", "Harbor Jewelers", None]])
    post(path, "movements")
    assert items(path)[ring]["Status"] == "In Stock"


def test_a_serial_with_a_blank_qty_moves_its_one_piece(shop):
    path = shop["path"]
    ring = shop["in_stock"]
    before = ledger(path)
    shopbook.type_rows(path, MOVE, [[day("2026-02-15"), "MO-2", "Memo Out", ring, None, None,
                                     None, None, "Harbor Jewelers", day("2026-03-15")]])
    post(path, "movements")
    assert items(path)[ring]["Status"] == "Memo Out"
    shopbook.type_rows(path, MOVE, [[day("2026-02-25"), "MB-2", "Memo Back", ring, None, None,
                                     None, "Main Case", "Harbor Jewelers", None]])
    post(path, "movements")
    assert items(path)[ring]["Status"] == "In Stock"
    moved = new_entries(path, before)
    assert [(e["Kind"], e["Qty"], e["Location"]) for e in moved] == [
        ("MEMO_OUT", -1, "Main Case"), ("MEMO_OUT", 1, "Memo: Harbor Jewelers"),
        ("MEMO_BACK", -1, "Memo: Harbor Jewelers"), ("MEMO_BACK", 1, "Main Case")]
    # without a serial a blank Qty is still a blank: which units, how many?
    shopbook.type_rows(path, MOVE, [[day("2026-02-26"), "TR-9", "Transfer", None, "CH-301", None,
                                     "Main Case", "Vault", None, None]])
    post(path, "movements", expect=1)
    assert "Qty is blank" in shopbook.read_rows(path, MOVE)[-1]["Status"]


def test_a_sold_piece_names_the_sale_that_took_it(shop):
    path = shop["path"]
    sold = shop["sold"]
    sale = next(e for e in ledger(path) if e["Serial"] == sold and e["Kind"] == "SALE")
    shopbook.type_rows(path, MOVE, [[day("2026-02-25"), "MB-3", "Memo Back", sold, None, 1, None,
                                     "Main Case", "Harbor Jewelers", None]])
    post(path, "movements", expect=1)
    status = shopbook.read_rows(path, MOVE)[-1]["Status"]
    assert status == (f"Error: Serial: serial {sold} is not in stock: it was sold to "
                      f"{sale['Party']} on {sale['Date']:%Y-%m-%d} (E{sale['Entry']}, "
                      f"{sale['Doc']}); check the tag; post the customer's Return first if the "
                      "piece came back")


def test_memo_in_is_on_hand_not_owned_and_costed_when_sold(shop):
    path = shop["path"]
    shopbook.type_rows(path, RECV, [[day("2026-02-10"), "MEMO-1", "Estate Guild", "PD-201", 1,
                                     450.0, None, "Vault", "Memo"]])
    post(path, "receipts")
    memo = ledger(path)[-1]
    assert memo["Kind"] == "MEMO_IN"
    layer = next(r for r in exported(path, "layers") if r["Serial"] == memo["Serial"])
    assert layer["Terms"] == "Consigned"
    before = ledger(path)
    shopbook.type_rows(path, SALE, [[day("2026-02-20"), "T-6", memo["Serial"], None, 1, 999.0,
                                     "K. Fischer", None, "Sale"]])
    post(path, "sales")
    (sale,) = new_entries(path, before)
    assert sale["Cost of Goods"] == 450


def test_count_posts_only_the_variance_and_writes_what_was_expected(shop):
    path = shop["path"]
    shopbook.type_rows(path, COUNT, [[day("2026-02-28"), "Main Case", None, "CH-301", 6],
                                     [day("2026-02-28"), "Main Case", shop["in_stock"], None, 1]])
    post(path, "counts")
    rows = shopbook.read_rows(path, COUNT)
    chains, ring = rows[-2], rows[-1]
    assert (chains["Expected Qty"], chains["Variance"]) == (8, -2)
    assert (ring["Expected Qty"], ring["Variance"]) == (1, 0)
    assert ring["Status"] == "Posted"
    adjust = ledger(path)[-1]
    assert (adjust["Kind"], adjust["Qty"], adjust["Cost of Goods"]) == ("ADJUST", -2, 100)
    assert post(path, "counts").exit_code == 0  # a second press posts nothing more
    assert ledger(path)[-1] == adjust


def test_split_gives_each_piece_a_fresh_valid_serial(shop):
    path = shop["path"]
    shopbook.type_rows(path, RECV, [[day("2026-02-10"), "PO-7", "Aurum", "RG-101", 3, 700.0,
                                     None, "Main Case", "Owned"]])
    result = loupe("split", path)
    assert result.exit_code == 0, result.output
    rows = [r for r in shopbook.read_rows(path, RECV) if r["Doc"] == "PO-7"]
    assert [r["Qty"] for r in rows] == [1, 1, 1]
    serials = [normalize_serial(r["Serial"]) for r in rows]
    known = {r["Serial"] for r in ledger(path)}
    assert len(set(serials)) == 3 and not set(serials) & known
    assert all(check_serial(s, "{prefix}-{seq:06d}{check}") is None for s in serials)
    post(path, "receipts")
    assert all(items(path)[s]["Status"] == "In Stock" for s in serials)


def test_clone_items_row_copies_attributes_with_fresh_serials(shop):
    path = shop["path"]
    row = next(r for r in shopbook.read_rows(path, schema.ITEMS) if r["Serial"] == shop["in_stock"])
    result = loupe("clone", path, "--sheet", "Items", "--row", row["_row"], "--count", 2)
    assert result.exit_code == 0, result.output
    after = shopbook.read_rows(path, schema.ITEMS)
    copies = after[after.index(next(r for r in after if r["_row"] == row["_row"])) + 1:][:2]
    assert all(c["Style"] == "RG-101" and c["Description"] == row["Description"] for c in copies)
    assert len({c["Serial"] for c in copies} | {row["Serial"]}) == 3
    assert all(c["Status"] == "Not Received" for c in copies)


def test_reversing_a_sale_restores_exactly_its_layers(shop):
    path = shop["path"]
    sale = next(r for r in ledger(path) if r["Doc"] == "T-2")
    result = loupe("reverse", path, sale["Entry"], "--why", "rang up twice")
    assert result.exit_code == 0, result.output
    back = ledger(path)[-1]
    assert (back["Kind"], back["Qty"], back["Reverses"]) == ("REVERSAL", 2, sale["Entry"])
    chains = [r for r in exported(path, "layers") if r["Style"] == "CH-301"]
    assert sum(r["Qty"] for r in chains) == 10
    assert {r["Unit Cost"] for r in chains} == {"50.00"}
    again = loupe("reverse", path, sale["Entry"])
    assert again.exit_code == 1 and "already reversed" in again.output


def test_a_reversed_rows_status_says_so_at_once(shop):
    path = shop["path"]
    sale = next(r for r in ledger(path) if r["Doc"] == "T-2")
    receipt = next(r for r in ledger(path) if r["Doc"] == "PO-1" and r["Style"] == "PD-201")
    assert loupe("reverse", path, f"E{sale['Entry']}").exit_code == 0
    assert loupe("reverse", path, receipt["Entry"]).exit_code == 0
    undo_sale, undo_receipt = (r["Entry"] for r in ledger(path)[-2:])
    sales = {r["Doc"]: (r["Status"], r["Ledger Ref"]) for r in
             shopbook.read_rows(path, schema.SALES)}
    assert sales == {"T-1": ("Posted", "E6"), "T-2": (f"Reversed by E{undo_sale}", "E7")}
    pendant = next(r for r in shopbook.read_rows(path, schema.RECEIVING) if r["Style"] == "PD-201")
    assert (pendant["Status"], pendant["Ledger Ref"]) == (f"Reversed by E{undo_receipt}", "E3")
    others = [r["Status"] for r in shopbook.read_rows(path, schema.RECEIVING)
              if r["Style"] != "PD-201"]
    assert others == ["Posted"] * 4


def test_a_reversed_transfers_row_says_so_at_once(shop):
    path = shop["path"]
    shopbook.type_rows(path, schema.MOVEMENTS, [
        [day("2026-02-20"), "TR-9", "Transfer", shop["pendant"], None, 1, "Vault", "Window"],
    ])
    post(path, "movements")
    out_half = next(r for r in ledger(path) if r["Doc"] == "TR-9")
    assert loupe("reverse", path, out_half["Entry"]).exit_code == 0
    (row,) = shopbook.read_rows(path, schema.MOVEMENTS)
    assert row["Status"].startswith("Reversed by E") and row["Ledger Ref"] == "E8-E9"


def test_a_receipt_partly_sold_cannot_be_reversed(shop):
    path = shop["path"]
    receipt = next(r for r in ledger(path) if r["Doc"] == "PO-2" and r["Style"] == "CH-301")
    result = loupe("reverse", path, receipt["Entry"])
    said = " ".join(result.output.split())
    assert result.exit_code == 1 and "brought in have gone since: entry " in said, said


def _five_chains_sold(tmp_path, monkeypatch, sales: list[list]):
    """A new book: E1 brings 5 CH-301 (10.00 each) to Main Case on 01-10; `sales` posted."""
    monkeypatch.setenv("LOUPE_NOW", "2026-03-01T17:00:00")
    path = shopbook.new_book(tmp_path)
    shopbook.type_rows(path, schema.RECEIVING, [
        [day("2026-01-10"), "PO-1", "Northstar", "CH-301", 5, 10.0, None, "Main Case", "Owned"]])
    post(path, "receipts")
    shopbook.type_rows(path, schema.SALES, sales)
    post(path, "sales")
    return path


def test_a_refused_receipt_reversal_names_the_entries_that_took_its_pieces(tmp_path,
                                                                          monkeypatch):
    # by hand: E1 brings 5 CH-301 to Main Case; E2 sells 2 of them; E3 moves 1 to the Vault
    # (E4 its in-half there): 3 of the 5 are gone, taken by E2 and E3.
    path = _five_chains_sold(tmp_path, monkeypatch, [
        [day("2026-01-20"), "T-1", None, "CH-301", 2, 25.0, "A. Moreno", "Main Case", "Sale"]])
    shopbook.type_rows(path, schema.MOVEMENTS, [
        [day("2026-01-25"), "X-1", "Transfer", None, "CH-301", 1, "Main Case", "Vault"]])
    post(path, "movements")
    before = ledger(path)
    result = loupe("reverse", path, "E1")
    said = " ".join(result.output.split())
    assert result.exit_code == 1
    assert ("3 of the 5 pieces entry 1 brought in have gone since: entries 2 and 3 took them; "
            "reverse entry 3, then entry 2 first (the latest first), then this one; or post a "
            "count adjustment instead") in said, said
    assert ledger(path) == before


def test_a_reversal_names_the_party_of_the_entry_it_undoes_unless_a_reason_is_given(
        tmp_path, monkeypatch):
    # as the README says: Party is copied (who the mistake was with); --why replaces it
    path = _five_chains_sold(tmp_path, monkeypatch, [
        [day("2026-01-20"), "T-1", None, "CH-301", 2, 25.0, "A. Moreno", "Main Case", "Sale"],
        [day("2026-01-21"), "T-2", None, "CH-301", 1, 25.0, "B. Chen", "Main Case", "Sale"]])
    assert loupe("reverse", path, "E2").exit_code == 0
    assert loupe("reverse", path, "E3", "--why", "keyed twice").exit_code == 0
    undone = {r["Reverses"]: r["Party"] for r in ledger(path) if r["Kind"] == "REVERSAL"}
    assert undone == {2: "A. Moreno", 3: "keyed twice"}


def test_quantity_to_serialized_and_back_keeps_every_cost_and_date(shop):
    path = shop["path"]
    result = loupe("convert", path, "CH-301", "--to", "serialized")
    assert result.exit_code == 0, result.output
    pieces = [i for i in items(path).values() if i["Style"] == "CH-301"]
    assert len(pieces) == 8
    assert {(i["Cost"], i["Received"].date().isoformat()) for i in pieces} == {(50, "2026-01-12")}
    styles = {r["Style"]: r for r in shopbook.read_rows(path, schema.STYLES)}
    assert styles["CH-301"]["Tracking"] == "Serialized"
    result = loupe("convert", path, "CH-301", "--to", "quantity")
    assert result.exit_code == 0, result.output
    chains = [r for r in exported(path, "layers") if r["Style"] == "CH-301"]
    assert sum(r["Qty"] for r in chains) == 8 and {r["Serial"] for r in chains} == {""}
    assert {r["Unit Cost"] for r in chains} == {"50.00"}
    assert all(r["Received"].startswith("2026-01-12") for r in chains)


def test_converting_to_serials_says_which_serials_and_that_old_tags_are_off(shop):
    path = shop["path"]
    said = " ".join(loupe("convert", path, "CH-301", "--to", "serialized").output.split())
    serials = sorted(i["Serial"] for i in items(path).values() if i["Style"] == "CH-301")
    assert f"8 pieces got new serials ({serials[0]} to {serials[-1]}): print their tags with " \
           f"Print Tags (loupe tags {path.name} --style CH-301 -o tags.pdf)" in said
    assert "no longer scan" not in said  # never serialized before: no old tags about
    # back to quantity and to serials again: the chains' first tags are retired
    assert loupe("convert", path, "CH-301", "--to", "quantity").exit_code == 0
    again = " ".join(loupe("convert", path, "CH-301", "--to", "serialized").output.split())
    assert "8 pieces got new serials" in again
    assert "Tags printed while it was Serialized before no longer scan (a serial is never " \
           "reused): take them off" in again
    now = sorted(i["Serial"] for i in items(path).values()
                 if i["Style"] == "CH-301" and i["Status"] == "In Stock")
    assert len(now) == 8 and not set(now) & set(serials)


def test_refresh_writes_reports_stamped_with_the_ledger_tip(shop):
    path = shop["path"]
    result = loupe("refresh", path, "--as-of", "2026-03-01")
    assert result.exit_code == 0, result.output
    import openpyxl

    wb = openpyxl.load_workbook(path, keep_vba=True)
    last = ledger(path)[-1]
    report_sheets = [n for n in wb.sheetnames if n not in {s.name for s in schema.DATA_SHEETS}
                     and n not in ("Lists", "xlwings.conf")]
    assert len(report_sheets) >= 5
    for name in report_sheets:
        text = " ".join(str(c.value) for row in wb[name].iter_rows(max_row=6) for c in row
                        if c.value is not None)
        assert last["Hash"] in text, name


def test_as_of_is_handed_to_the_press_not_left_in_the_environment(tmp_path, monkeypatch):
    import os

    monkeypatch.delenv("LOUPE_NOW", raising=False)
    path = shopbook.new_book(tmp_path)
    shopbook.type_rows(path, schema.RECEIVING, [
        [day("2026-01-10"), "PO-1", "Northstar", "CH-301", 3, 50.0, None, "Main Case", "Owned"]])
    assert loupe("post", "receipts", path, "--as-of", "2026-01-15").exit_code == 0
    assert "LOUPE_NOW" not in os.environ
    [entry] = shopbook.read_rows(path, schema.LEDGER)
    assert entry["Posted At"] == dt.datetime(2026, 1, 15, 23, 59, 59)


def test_loupe_now_fixes_the_commands_clock_and_as_of_wins_over_it(tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("LOUPE_NOW", "2026-02-03T09:30")
    path = shopbook.new_book(tmp_path)
    shopbook.type_rows(path, schema.RECEIVING, [
        [day("2026-01-10"), "PO-1", "Northstar", "CH-301", 3, 50.0, None, "Main Case", "Owned"],
        [day("2026-01-11"), "PO-2", "Northstar", "CH-301", 2, 51.0, None, "Main Case", "Owned"]])
    assert loupe("post", "receipts", path).exit_code == 0
    shopbook.type_rows(path, schema.SALES, [
        [day("2026-01-20"), "T-1", None, "CH-301", 1, 99.0, "B. Chen", "Main Case", "Sale"]])
    assert loupe("post", "sales", path, "--as-of", "2026-01-31").exit_code == 0
    assert os.environ["LOUPE_NOW"] == "2026-02-03T09:30"  # read, never rewritten
    posted = [e["Posted At"] for e in shopbook.read_rows(path, schema.LEDGER)]
    assert posted == [dt.datetime(2026, 2, 3, 9, 30)] * 2 + [dt.datetime(2026, 1, 31, 23, 59, 59)]
