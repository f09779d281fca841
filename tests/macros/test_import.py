"""Import Stock (`loupe import`): a real shop's messy stock list in as opening stock.

The fixture (tests/data/opening, made by its make_old_inventory.py) is Sparkle Jewelers'
export: 300 tagged pieces of 30 styles and 40 quantity styles in 119 layers, below two
title rows, with its own header spellings, dates typed four ways, costs with $ and commas,
stray spaces and three columns Loupe has no use for. answers.json says what it holds,
worked out by the generator from its own numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from addin.sheets import schema
from tests.macros.conftest import loupe
from tests.macros.shopbook import day, read_rows, type_rows

DATA = Path(__file__).resolve().parents[1] / "data" / "opening"
ANSWERS = json.loads((DATA / "answers.json").read_text())
NOW = "2026-03-01T10:00:00"
PRESSED = dt.datetime.fromisoformat(NOW)  # the ribbon is told when it is pressed


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.setenv("LOUPE_NOW", NOW)
    path = tmp_path / "shop.xlsm"
    assert loupe("new", path).exit_code == 0
    return path


def said(result) -> str:
    return " ".join(result.output.split())


def ledger_cost(path) -> Decimal:
    return sum((Decimal(str(r["Unit Cost"])) * r["Qty"] for r in read_rows(path, schema.LEDGER)),
               Decimal(0))


def test_a_dry_run_says_what_would_be_posted_and_writes_nothing(book):
    before = book.read_bytes()
    result = loupe("import", book, DATA / "old_inventory.xlsx", "--dry-run")
    assert result.exit_code == 0, result.output
    text = said(result)
    assert "Dry run: nothing written." in text
    assert "300 serialized piece(s): 300 keep their own tag, 0 get a new serial" in text
    assert f"{ANSWERS['layers']} quantity layer(s) of {ANSWERS['units'] - 300} unit(s)" in text
    assert f"{ANSWERS['file_rows']} OPENING entries at a cost of 877,102.92" in text
    assert "New styles for the Styles sheet: 70 (40 Quantity, 30 Serialized)" in text
    assert "Columns not imported (no Loupe field matches their header): 'Notes', 'Photo', " \
           "'Last Counted'" in text
    assert "'SJ 10002' -> SJ10002" in text  # how a tag is written is shown, not hidden
    assert book.read_bytes() == before


def test_the_real_shop_imports_in_one_command(book):
    result = loupe("import", book, DATA / "old_inventory.xlsx")
    assert result.exit_code == 0, result.output
    entries = read_rows(book, schema.LEDGER)
    assert len(entries) == ANSWERS["file_rows"]
    assert {e["Kind"] for e in entries} == {"OPENING"}
    assert {e["Doc"] for e in entries} == {"OPENING old_inventory.xlsx"}
    assert ledger_cost(book) == Decimal(ANSWERS["total_cost_cents"]) / 100
    assert sum(e["Qty"] for e in entries) == ANSWERS["units"]
    styles = {r["Style"]: r for r in read_rows(book, schema.STYLES)}
    assert sum(r["Tracking"] == "Quantity" for r in styles.values()) == 40
    assert sum(r["Tracking"] == "Serialized" for r in styles.values()) == 30
    assert styles["SJR-100"]["Vendor"] == "Aurum Casting Co"  # from the style list sheet
    items = {r["Serial"]: r for r in read_rows(book, schema.ITEMS)}
    assert len(items) == 300
    for piece in ANSWERS["sample_pieces"]:
        item = items[piece["tag"]]
        assert item["Style"] == piece["style"]
        assert item["Received"].date().isoformat() == piece["received"]
        assert round(Decimal(str(item["Cost"])) * 100) == piece["cost_cents"]
        assert str(item["Size"] or "") == piece["size"]
        assert item["Status"] == "In Stock"
    assert loupe("verify", book).exit_code == 0
    assert loupe("refresh", book).exit_code == 0


def test_the_csv_export_of_the_same_list_imports_the_same_stock(book):
    result = loupe("import", book, DATA / "old_inventory.csv")
    assert result.exit_code == 0, result.output
    assert ledger_cost(book) == Decimal(ANSWERS["total_cost_cents"]) / 100
    assert len(read_rows(book, schema.ITEMS)) == 300


def test_importing_the_same_file_twice_is_refused(book):
    assert loupe("import", book, DATA / "old_inventory.xlsx").exit_code == 0
    again = loupe("import", book, DATA / "old_inventory.xlsx")
    assert again.exit_code == 1
    assert "this file was imported already (Ledger entries E1-E419" in said(again)
    assert len(read_rows(book, schema.LEDGER)) == ANSWERS["file_rows"]


def test_the_same_list_under_another_name_does_not_double_the_stock(book, tmp_path):
    assert loupe("import", book, DATA / "old_inventory.xlsx").exit_code == 0
    before = book.read_bytes()
    copy = tmp_path / "inventory copy.xlsx"
    shutil.copy(DATA / "old_inventory.xlsx", copy)
    again = loupe("import", book, copy)
    assert again.exit_code == 1
    # every row refused: each tag is in the book already, each quantity layer's style and
    # place has its opening stock (the message is shown on a small list below)
    assert f"Nothing written: {ANSWERS['file_rows']} problem(s) to fix" in said(again)
    assert book.read_bytes() == before  # nothing written, nothing doubled


def test_a_second_list_of_other_styles_imports_and_one_repeating_a_style_is_refused(
        book, tmp_path):
    first = tmp_path / "cases.csv"
    first.write_text("Style,Date,Qty,Cost,Case\nCH-1,2025-03-01,4,10,Main Case\n")
    assert loupe("import", book, first).exit_code == 0
    other = tmp_path / "vault.csv"  # other stock: another style, and CH-1 in another place
    other.write_text("Style,Date,Qty,Cost,Case\nCH-2,2025-04-01,2,30,Main Case\n"
                     "CH-1,2025-04-01,3,10,Vault\n")
    assert loupe("import", book, other).exit_code == 0, said(loupe("import", book, other))
    repeat = tmp_path / "recount.csv"
    repeat.write_text("Style,Date,Qty,Cost,Case\nCH-1,2025-03-01,4,10,Main Case\n")
    refused = loupe("import", book, repeat)
    assert refused.exit_code == 1
    assert "row 2" in said(refused) and "CH-1 at Main Case already has opening stock from " \
        "another import: E1 (Doc 'OPENING cases.csv')" in said(refused)
    assert "post more with a Receiving row, or reverse those entries first" in said(refused)
    assert [(e["Style"], e["Location"], e["Qty"]) for e in read_rows(book, schema.LEDGER)] == [
        ("CH-1", "Main Case", 4), ("CH-2", "Main Case", 2), ("CH-1", "Vault", 3)]
    # the fix it names works: undo the first import's layer, and the new list replaces it
    assert loupe("reverse", book, "1", "--why", "recounted").exit_code == 0
    assert loupe("import", book, repeat).exit_code == 0


def test_a_legacy_tag_is_scanned_and_sold_like_any_other(book):
    assert loupe("import", book, DATA / "old_inventory.xlsx").exit_code == 0
    piece = ANSWERS["sample_pieces"][2]  # tagged "SJ 10002" in the old system
    type_rows(book, schema.SALES, [
        [day("2026-02-20"), "T-1", "sj 10002", None, 1, 5000.0, "B. Chen", None, "Sale"],
    ])
    result = loupe("post", "sales", book)
    assert result.exit_code == 0, result.output
    sale = read_rows(book, schema.LEDGER)[-1]
    assert (sale["Kind"], sale["Serial"]) == ("SALE", piece["tag"])
    assert round(Decimal(str(sale["Cost of Goods"])) * 100) == piece["cost_cents"]
    again = [[day("2026-02-21"), "T-2", piece["tag"], None, 1, 5000.0, "C. Okafor", None, "Sale"]]
    type_rows(book, schema.SALES, again)
    assert loupe("post", "sales", book).exit_code == 1  # a piece is sold once


def test_new_pieces_after_opening_get_the_check_digit_pattern(book):
    assert loupe("import", book, DATA / "old_inventory.xlsx").exit_code == 0
    type_rows(book, schema.RECEIVING, [
        [day("2026-02-25"), "PO-9", "Aurum", "SJR-100", 1, 900.0, None, "Main Case", "Owned"],
    ])
    assert loupe("post", "receipts", book).exit_code == 0
    fresh = read_rows(book, schema.RECEIVING)[0]["Serial"]
    assert fresh == "LP-000001" + fresh[-1] and len(fresh) == 10  # prefix, number, check


def test_an_opening_layer_is_reversed_like_any_receipt(book):
    assert loupe("import", book, DATA / "old_inventory.xlsx").exit_code == 0
    last = read_rows(book, schema.LEDGER)[-1]  # a quantity layer
    result = loupe("reverse", book, str(last["Entry"]), "--why", "counted twice")
    assert result.exit_code == 0, result.output
    undo = read_rows(book, schema.LEDGER)[-1]
    assert (undo["Kind"], undo["Reverses"], undo["Qty"]) == ("REVERSAL", last["Entry"],
                                                             -last["Qty"])


def test_ages_count_from_the_original_receipt_date(book, tmp_path):
    source = tmp_path / "two.csv"
    source.write_text("Style,Date,Qty,Cost\nCH-1,2025-03-01,4,10\nCH-1,1/1/2026,6,20\n")
    assert loupe("import", book, source).exit_code == 0
    out = tmp_path / "onhand.csv"
    assert loupe("export", book, "--what", "onhand", "-o", out).exit_code == 0
    row = out.read_text().splitlines()[1].split(",")
    # 4 units 365 days old and 6 units 59 days old: (4 x 365 + 6 x 59) / 10 = 181.4
    assert row[0] == "CH-1" and row[-1] in ("181", "181.4")


MESSY = """Tag,Style,Received,Cost,Qty,Case,Tracking
T-1,RG-1,2019-02-30,100,,Main Case,Serialized
T-2,RG-1,2019-03-01,,,Main Case,Serialized
T-3,RG-1,2019-03-01,100,,Main Case,Serialized
T-3,RG-1,2019-03-02,100,,Main Case,Serialized
T-4,RG-1,2019-03-01,100,,Basement,Serialized
T-5,CH-1,2019-03-01,10,5,Main Case,Quantity
T-6,RG-1,2019-03-01,100,3,Main Case,Serialized
,CH-1,2019-03-01,-4,5,Main Case,Quantity
,CH-1,2027-01-01,4,5,Main Case,Quantity
"""


def test_every_problem_is_listed_by_file_row_and_nothing_is_written(book, tmp_path):
    source = tmp_path / "messy.csv"
    source.write_text(MESSY)
    before = book.read_bytes()
    result = loupe("import", book, source)
    assert result.exit_code == 1
    text = said(result)
    assert "Nothing written: 8 problem(s) to fix in messy.csv first." in text
    for row, words in [
        (2, "'2019-02-30' is not a date Loupe can read"),
        (3, "the cost is blank"),
        (5, "tag T-3 is also on file row 4"),
        (6, "unknown location 'Basement'"),
        (7, "style CH-1 is tracked by quantity, so tag T-5 cannot be kept"),
        (8, "tag T-6 is one piece, but Qty says 3"),
        (9, "-4 is negative"),
        (10, "2027-01-01 is in the future"),
    ]:
        assert f"messy.csv row {row}, " in text, row
        assert words in text, words
    assert book.read_bytes() == before


def test_a_file_without_a_style_column_is_refused_with_its_headers(book, tmp_path):
    source = tmp_path / "odd.csv"
    source.write_text("Thing,Amount\nx,1\n")
    result = loupe("import", book, source)
    assert result.exit_code == 2
    assert "has no row of headers Loupe recognises" in said(result)
    assert "Traceback" not in result.output


def test_untagged_pieces_of_a_serialized_style_get_fresh_serials(book, tmp_path):
    source = tmp_path / "untagged.csv"
    source.write_text("Style,Tracking,Date,Cost,Qty\nRG-7,Serialized,2020-05-05,250,3\n")
    assert loupe("import", book, source).exit_code == 0
    serials = sorted(r["Serial"] for r in read_rows(book, schema.ITEMS))
    assert [s[:9] for s in serials] == ["LP-000001", "LP-000002", "LP-000003"]
    assert all(r["Received"] == dt.datetime(2020, 5, 5) for r in read_rows(book, schema.ITEMS))


def test_the_fixture_is_what_its_generator_writes(tmp_path):
    """The committed files are exactly the generator's output (so answers.json is true)."""
    copy = tmp_path / "gen"
    copy.mkdir()
    shutil.copy(DATA / "make_old_inventory.py", copy)
    import runpy

    runpy.run_path(str(copy / "make_old_inventory.py"), run_name="__main__")
    assert (copy / "answers.json").read_text() == (DATA / "answers.json").read_text()
    assert (copy / "old_inventory.csv").read_text() == (DATA / "old_inventory.csv").read_text()


# --- the same import from the ribbon (through the xlwings stand-in) ----------------------------


def test_the_ribbon_button_shows_the_dry_run_then_imports_on_yes(book, tmp_path):
    from addin.macros import entry
    from tests.workbook.live.fake_xlwings import FakeBook

    source = tmp_path / "stock.csv"
    source.write_text("Tag #,Style,Date Rec'd,Cost\nA1234,RG-9,3/4/2019,\"$1,200.00\"\n")
    fake = FakeBook.open(book)
    fake.app.answers = ["yes"]
    outcome = entry.run("import_stock", caller=fake,
                        ask=lambda prompt, title, default: "stock.csv", now=PRESSED)
    assert outcome is not None and outcome.posted == 1, outcome
    question, done = fake.app.alerts
    assert question["buttons"] == "yes_no" and question["title"] == "Loupe: Import Stock"
    assert "1 serialized piece(s): 1 keep their own tag" in question["prompt"]
    assert done["prompt"].startswith("Imported stock.csv.")
    seen = fake.save_copy(tmp_path / "seen.xlsm")
    (item,) = read_rows(seen, schema.ITEMS)
    assert (item["Serial"], item["Cost"], item["Received"]) == ("A1234", 1200,
                                                                dt.datetime(2019, 3, 4))


def test_the_ribbon_button_writes_nothing_when_the_user_says_no(book, tmp_path):
    from addin.macros import entry
    from tests.workbook.live.fake_xlwings import FakeBook

    source = tmp_path / "stock.csv"
    source.write_text("Style,Date,Qty,Cost\nCH-1,2020-01-01,5,3\n")
    fake = FakeBook.open(book)
    fake.app.answers = ["no"]
    outcome = entry.run("import_stock", caller=fake, ask=lambda *a: str(source), now=PRESSED)
    assert outcome is None
    assert read_rows(fake.save_copy(tmp_path / "seen.xlsm"), schema.LEDGER) == []


def test_a_day_first_date_names_the_flag_that_reads_it(book, tmp_path):
    source = tmp_path / "uk.csv"
    source.write_text("Style,Date,Qty,Cost\nCH-1,31/12/2019,4,10\n")
    refused = loupe("import", book, source)
    assert refused.exit_code == 1
    assert "'31/12/2019' is not a date when the month comes first, as this import reads " \
           "dates; read the other way it is 31 December 2019" in said(refused)
    assert "import it with --day-first" in said(refused)
    assert loupe("import", book, source, "--day-first").exit_code == 0
    (entry,) = read_rows(book, schema.LEDGER)
    assert entry["Date"].date() == dt.date(2019, 12, 31)


def test_a_month_first_date_under_day_first_names_the_flag_too(book, tmp_path):
    source = tmp_path / "us.csv"
    source.write_text("Style,Date,Qty,Cost\nCH-1,12/31/2019,4,10\n")
    refused = loupe("import", book, source, "--day-first")
    assert refused.exit_code == 1
    assert "'12/31/2019' is not a date when the day comes first" in said(refused)
    assert "import it without --day-first" in said(refused)
