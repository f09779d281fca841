"""The ribbon's entry point in Excel: one message box, Status cells, never a traceback;
and the VBA that calls it names real functions."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from addin.core.errors import Problem
from addin.macros import buttons, entry
from addin.session import Outcome
from addin.sheets import schema
from addin.template import vba_sources
from addin.workbook import live
from tests.macros import shopbook
from tests.macros.shopbook import day
from tests.workbook.live.fake_xlwings import FakeBook

NOW = "2026-03-01T17:00:00"
PRESSED = dt.datetime.fromisoformat(NOW)  # the ribbon is told when it is pressed
VBA_DIR = Path(__file__).resolve().parents[2] / "addin" / "template" / "vba"


@pytest.fixture
def shop(stocked, tmp_path, monkeypatch):
    """The stocked shop (2 rings, a pendant, chains, studs; a ring and 2 chains sold)."""
    monkeypatch.setenv("LOUPE_NOW", NOW)
    path = tmp_path / "shop.xlsm"
    shutil.copyfile(stocked["path"], path)
    return {**stocked, "path": path}


def rows_of(fake: FakeBook, sheet: schema.Sheet, tmp_path: Path) -> list[dict]:
    return shopbook.read_rows(fake.save_copy(tmp_path / "seen.xlsm"), sheet)


def never_asked(prompt, title, default):
    raise AssertionError(f"asked {prompt!r}")


def test_the_ribbon_press_happens_when_it_is_told_whatever_the_environment_says(
        shop, tmp_path, monkeypatch):
    monkeypatch.setenv("LOUPE_NOW", "not a time at all")  # only the `loupe` command reads it
    shopbook.type_rows(shop["path"], schema.RECEIVING, [
        [day("2026-02-20"), "PO-7", "Aurum", "CH-301", 4, 52.0, None, "Main Case", "Owned"]])
    fake = FakeBook.open(shop["path"])
    fake.app.answers = ["no"]  # no tags
    pressed = dt.datetime(2026, 2, 21, 10, 15)
    outcome = entry.run("post_receipts", caller=fake, ask=never_asked, now=pressed)
    assert outcome is not None and outcome.posted == 1
    assert rows_of(fake, schema.LEDGER, tmp_path)[-1]["Posted At"] == pressed


def test_a_press_posts_marks_rows_and_says_so_in_one_box(shop, tmp_path):
    shopbook.type_rows(shop["path"], schema.RECEIVING, [
        [day("2026-02-20"), "PO-7", "Aurum", "CH-301", 4, 52.0, None, "Main Case", "Owned"],
        [day("2026-02-20"), "PO-8", "Aurum", "ZZ-999", 1, 9.0, None, "Main Case", "Owned"],
    ])
    fake = FakeBook.open(shop["path"])
    outcome = entry.run("post_receipts", caller=fake, ask=never_asked, now=PRESSED)
    assert (outcome.posted, outcome.refused) == (1, 1)
    offer, box = fake.app.alerts  # a receipt that posted offers its tags first
    assert offer["buttons"] == "yes_no" and "Print tags" in offer["prompt"]
    assert box["title"] == "Loupe: Post Receipts" and box["mode"] == "critical"
    assert box["prompt"].startswith("Receiving: 1 row(s) posted, 1 refused")
    assert "Receiving row 8, column Style: unknown style 'ZZ-999'" in box["prompt"]
    status = {r["Doc"]: r["Status"] for r in rows_of(fake, schema.RECEIVING, tmp_path)}
    assert status["PO-7"] == "Posted" and status["PO-8"].startswith("Error: Style:")
    assert (fake.app._screen_updating, fake.app._calculation) == (True, "automatic")
    assert fake.app.api.full_calculations == 1  # worksheet functions follow the new Ledger
    log = Path(f"{shop['path']}.loupe.log").read_text()
    assert "Post Receipts: Receiving: 1 row(s) posted" in log and "ZZ-999" in log


def test_a_long_list_of_problems_is_cut_short_in_the_box():
    problems = [Problem("Sales", r, "Qty", "0 is not a quantity", "type 1 or more")
                for r in range(2, 102)]
    text = entry.message(Outcome("Post Sales", "Sales: 0 row(s) posted, 100 refused", problems,
                                 refused=100))
    assert text.count("\n- Sales row") == entry.SHOWN_PROBLEMS
    assert "... and 92 more: each is in the Status column of its row." in text
    assert len(text) <= entry.MESSAGE_LIMIT


def test_an_unexpected_error_shows_no_traceback_and_changes_nothing(shop, tmp_path, monkeypatch):
    def breaks(book, now):
        book.write_cells(schema.SALES, {"Status": {2: "half done"}})
        raise KeyError("oops")

    monkeypatch.setitem(buttons.BUTTONS, "post_sales", breaks)
    before = shopbook.read_rows(shop["path"], schema.SALES)
    fake = FakeBook.open(shop["path"])
    assert entry.run("post_sales", caller=fake, now=PRESSED) is None
    (box,) = fake.app.alerts
    assert "Traceback" not in box["prompt"] and "KeyError" in box["prompt"]
    assert "Nothing in the book was changed." in box["prompt"]
    assert str(entry.log_path(fake)) in box["prompt"]
    assert "Traceback" in entry.log_path(fake).read_text()
    assert rows_of(fake, schema.SALES, tmp_path) == before
    assert fake.app._screen_updating is True and fake.app._status_bar is False


def test_a_failure_while_writing_says_how_to_undo_it(shop, monkeypatch):
    sent = []

    def flaky(self, xw_book):
        if sent:
            raise OSError("Excel is busy")
        sent.append(self)
        xw_book.sheets[self.sheet].range((self.row, self.column)).value = self.values

    monkeypatch.setattr(live._Write, "send", flaky)
    shopbook.type_rows(shop["path"], schema.RECEIVING, [
        [day("2026-02-20"), "PO-7", "Aurum", "CH-301", 4, 52.0, None, "Main Case", "Owned"]])
    fake = FakeBook.open(shop["path"])
    assert entry.run("post_receipts", caller=fake, now=PRESSED) is None
    prompt = fake.app.alerts[0]["prompt"]
    made, planned = map(int, re.search(r"\((\d+) of (\d+) changes made\)", prompt).groups())
    assert 1 <= made < planned
    assert "Close the book without saving" in prompt


def test_a_book_loupe_refuses_is_explained_without_a_traceback(shop):
    wb = openpyxl.load_workbook(shop["path"], keep_vba=True)
    wb["Ledger"]["I2"].value = 1.0  # a posted unit cost edited by hand
    wb.save(shop["path"])
    fake = FakeBook.open(shop["path"])
    assert entry.run("post_sales", caller=fake, now=PRESSED) is None
    prompt = fake.app.alerts[0]["prompt"]
    assert prompt.startswith("Post Sales could not run: Ledger row 2 (entry 1) was changed")
    assert "Traceback" not in prompt


def test_an_unknown_button_is_named(shop):
    fake = FakeBook.open(shop["path"])
    assert entry.run("post_everything", caller=fake, now=PRESSED) is None
    assert "Loupe has no button 'post_everything'" in fake.app.alerts[0]["prompt"]


def test_clone_rows_copies_each_selected_row_as_often_as_asked(shop, tmp_path):
    fake = FakeBook.open(shop["path"])
    first = shopbook.read_rows(shop["path"], schema.ITEMS)
    fake.select("Items", "C2:D3")
    asked = []

    def two(prompt, title, default):
        asked.append(prompt)
        return "2"

    outcome = entry.run("clone_rows", caller=fake, ask=two, now=PRESSED)
    assert asked == ["How many copies of Items each of rows 2-3? Each copy gets a fresh serial."]
    assert outcome.posted == 4
    items = rows_of(fake, schema.ITEMS, tmp_path)
    assert [i["Style"] for i in items[:6]] == [first[0]["Style"]] * 3 + [first[1]["Style"]] * 3
    serials = [i["Serial"] for i in items]
    assert len(set(serials)) == len(serials) == len(first) + 4
    assert len(fake.app.alerts) == 1


def test_clone_rows_cancelled_or_mistyped(shop):
    fake = FakeBook.open(shop["path"])
    fake.select("Items", "A2")
    assert entry.run("clone_rows", caller=fake, ask=lambda *a: None, now=PRESSED) is None
    assert fake.app.alerts == [] and fake.trips.values == 0
    assert entry.run("clone_rows", caller=fake, ask=lambda *a: "two", now=PRESSED) is None
    assert "'two' is not a number of copies" in fake.app.alerts[0]["prompt"]
    fake.select("Sales", "A2")
    assert entry.run("clone_rows", caller=fake, ask=never_asked, now=PRESSED) is None
    assert "select the row(s) to copy on the Items or Receiving sheet" in \
        fake.app.alerts[1]["prompt"]


def _style_row(path: Path, style: str) -> int:
    return next(r["_row"] for r in shopbook.read_rows(path, schema.STYLES) if r["Style"] == style)


def test_convert_style_takes_the_selected_style_and_asks_before_switching(shop, tmp_path):
    fake = FakeBook.open(shop["path"])
    fake.select("Styles", f"B{_style_row(shop['path'], 'CH-301')}")
    fake.app.answers = ["no"]
    assert entry.run("convert_style", caller=fake, ask=never_asked, now=PRESSED) is None
    assert fake.app.alerts[0]["buttons"] == "yes_no"
    assert "Switch CH-301 from Quantity to Serialized tracking?" in fake.app.alerts[0]["prompt"]
    fake.app.answers = ["yes"]
    outcome = entry.run("convert_style", caller=fake, ask=never_asked, now=PRESSED)
    assert outcome.summary.startswith("CH-301 is now Serialized: ")
    styles = {r["Style"]: r["Tracking"] for r in rows_of(fake, schema.STYLES, tmp_path)}
    assert styles["CH-301"] == "Serialized"


def test_convert_style_asks_for_the_style_when_none_is_selected(shop):
    fake = FakeBook.open(shop["path"])
    fake.select("Ledger", "A2")
    fake.app.answers = ["yes"]
    outcome = entry.run("convert_style", caller=fake, ask=lambda *a: " st-401 ", now=PRESSED)
    assert outcome.summary.startswith("st-401 is now Serialized")


def _sale_row(path: Path) -> dict:
    return next(r for r in shopbook.read_rows(path, schema.LEDGER) if r["Kind"] == "SALE"
                and r["Style"] == "CH-301")


def test_reverse_entry_undoes_the_selected_ledger_row_after_asking(shop, tmp_path):
    sale = _sale_row(shop["path"])
    fake = FakeBook.open(shop["path"])
    fake.select("Ledger", f"C{sale['_row']}")
    fake.app.answers = ["no"]
    assert entry.run("reverse", caller=fake, ask=never_asked, now=PRESSED) is None
    question = fake.app.alerts[0]["prompt"]
    assert question.startswith(f"Undo entry E{sale['Entry']} (SALE {sale['Doc']}, CH-301, "
                               f"qty {sale['Qty']}) with a REVERSAL?")
    before = rows_of(fake, schema.LEDGER, tmp_path)
    fake.app.answers = ["yes"]
    outcome = entry.run("reverse", caller=fake, ask=lambda *a: "keyed twice", now=PRESSED)
    assert outcome.summary.startswith(f"entry {sale['Entry']} reversed")
    after = rows_of(fake, schema.LEDGER, tmp_path)
    (undo,) = after[len(before):]
    assert (undo["Kind"], undo["Reverses"], undo["Qty"]) == ("REVERSAL", sale["Entry"],
                                                             -sale["Qty"])
    assert "keyed twice" in undo["Party"]


def test_reverse_entry_asks_for_the_entry_when_no_ledger_row_is_selected(shop, tmp_path):
    sale = _sale_row(shop["path"])
    fake = FakeBook.open(shop["path"])
    fake.select("Styles", "A2")
    answers = iter([f"e{sale['Entry']}", ""])
    fake.app.answers = ["yes"]
    outcome = entry.run("reverse", caller=fake, ask=lambda *a: next(answers), now=PRESSED)
    assert outcome.summary.startswith(f"entry {sale['Entry']} reversed")
    assert fake.app.alerts[0]["prompt"].startswith(f"Undo entry E{sale['Entry']} with a ")
    assert rows_of(fake, schema.LEDGER, tmp_path)[-1]["Reverses"] == sale["Entry"]


def test_reverse_entry_says_what_is_wrong_with_a_typed_entry_and_changes_nothing(shop):
    before = shop["path"].read_bytes()
    fake = FakeBook.open(shop["path"])
    fake.select("Styles", "A2")
    assert entry.run("reverse", caller=fake, ask=lambda *a: "", now=PRESSED) is None  # Cancel
    assert fake.app.alerts == []  # a Cancel says nothing
    assert entry.run("reverse", caller=fake, ask=lambda *a: "the sale", now=PRESSED) is None
    (said,) = [a["prompt"] for a in fake.app.alerts]
    assert "'the sale' is not a Ledger entry; give it as E15 (or 15)" in said
    assert "Nothing in the book was changed." in said
    assert shop["path"].read_bytes() == before


def test_change_method_takes_the_selected_style_and_asks_the_method_and_date(shop, tmp_path):
    fake = FakeBook.open(shop["path"])
    fake.select("Styles", f"B{_style_row(shop['path'], 'CH-301')}")
    asked = []

    def ask(prompt, title, default):
        asked.append((prompt, default))
        return {0: default, 1: "2026-02-15"}[len(asked) - 1]

    outcome = entry.run("change_method", caller=fake, ask=ask, now=PRESSED)
    assert asked[0] == ("Cost CH-301 by which method from now on: FIFO or Average?", "Average")
    assert asked[1][0].startswith("From which date (YYYY-MM-DD)?")
    assert outcome.summary.startswith("CH-301 is costed by Average from 2026-02-15: ")
    styles = {r["Style"]: r["Cost Method"] for r in rows_of(fake, schema.STYLES, tmp_path)}
    assert styles["CH-301"] == "Average"
    kinds = [r["Kind"] for r in rows_of(fake, schema.LEDGER, tmp_path)]
    assert kinds.count("METHOD") == 1


def test_change_method_with_a_mistyped_date_changes_nothing(shop, tmp_path):
    fake = FakeBook.open(shop["path"])
    fake.select("Styles", f"B{_style_row(shop['path'], 'CH-301')}")
    answers = iter(["Average", "15/02/2026"])
    assert entry.run("change_method", caller=fake, ask=lambda *a: next(answers),
                     now=PRESSED) is None
    prompt = fake.app.alerts[0]["prompt"]
    assert "'15/02/2026' is not a date; type it like 2026-03-01" in prompt
    assert "Traceback" not in prompt
    kinds = [r["Kind"] for r in rows_of(fake, schema.LEDGER, tmp_path)]
    assert "METHOD" not in kinds


def test_the_log_sits_beside_the_book(tmp_path):
    class Book:
        fullname = str(tmp_path / "shop.xlsm")

    assert entry.log_path(Book()) == tmp_path / "shop.xlsm.loupe.log"
    Book.fullname = "https://d.docs.live.net/abc/shop.xlsm"
    assert entry.log_path(Book()) == Path.home() / "shop.xlsm.loupe.log"


# --- the VBA that calls in ----------------------------------------------------------------

RUN_PYTHON = re.compile(r'RunPython\s+"([^"]*)"')
COMMAND = re.compile(r"^import ([\w.]+) as (\w+); (\w+)\.run\('(\w+)'\)$")


def test_every_runpython_in_the_vba_imports_run_and_names_a_button():
    found = []
    for source in sorted(VBA_DIR.glob("*.bas")):
        for line in source.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("'"):
                continue  # comments (the xlwings runtime's own examples)
            found += RUN_PYTHON.findall(line)
    assert len(found) == len(buttons.BUTTONS)
    for command in found:
        match = COMMAND.match(command)
        assert match, command
        module, alias, used, name = match.groups()
        assert alias == used
        assert callable(importlib.import_module(module).run), module
        assert name in buttons.BUTTONS and name in entry.LABELS, name
    assert sorted(COMMAND.match(c).group(4) for c in found) == sorted(buttons.BUTTONS)
    assert vba_sources.ENTRY_POINT.format(macro="x") == "import addin.macros.entry as e; e.run('x')"


def test_the_excel_guide_describes_every_button_in_its_docstrings_words():
    guide = " ".join((VBA_DIR.parents[2] / "docs" / "excel.md").read_text().split())
    for name in buttons.BUTTONS:
        doc = inspect.getdoc(getattr(buttons, name))
        first = " ".join(doc.split("\n\n")[0].split())
        assert f"**{entry.LABELS[name]}.** {first}" in guide, name


def test_an_invoice_with_merged_date_and_doc_posts_whole_from_the_ribbon(shop, tmp_path):
    from tests.workbook.live.test_live_adapter import merged_invoice

    merged_invoice(shop["path"])
    fake = FakeBook.open(shop["path"])
    fake.app.answers = ["no"]  # no tags
    outcome = entry.run("post_receipts", caller=fake, ask=never_asked, now=PRESSED)
    assert outcome is not None and (outcome.posted, outcome.refused) == (3, 0)
    posted = [e for e in rows_of(fake, schema.LEDGER, tmp_path) if e["Doc"] == "PO-60"]
    assert [(e["Date"], e["Style"], e["Qty"]) for e in posted] == [
        (dt.datetime(2026, 2, 20), "CH-301", 2), (dt.datetime(2026, 2, 20), "ST-401", 3),
        (dt.datetime(2026, 2, 20), "ST-401", 1)]


@pytest.mark.slow
def test_a_post_makes_as_many_calls_to_excel_on_a_ledger_of_10000_rows_as_of_100(tmp_path):
    """One receipt posted from the ribbon into a book whose Ledger holds 100 entries, and
    into one holding 10,000: the calls to Excel (reads, writes, resizes, settings, the box)
    are the same in number. (The Ledger and Items are each read or written in one call
    until xlwings itself splits a block: a read over 4,000,000 cells, a write over 100,000.)"""
    from bench.refresh_book import make_book

    def calls(entries: int) -> tuple[int, list[str]]:
        path = make_book(tmp_path / f"shop-{entries}.xlsm", rows=entries, styles=60)
        shopbook.type_rows(path, schema.RECEIVING, [
            [day("2026-11-21"), "PO-9", "Aurum", "ST-00000", 4, 3.25, None, "Main Case",
             "Owned"]])
        fake = FakeBook.open(path)
        fake.app.answers = ["no"]  # no tags
        outcome = entry.run("post_receipts", caller=fake, ask=never_asked,
                            now=dt.datetime(2026, 11, 21, 18))
        assert outcome is not None and outcome.posted == 1, outcome
        kinds = sorted({line.split(" ", 1)[0] for line in fake.trips.log})
        return fake.trips.total, kinds

    few, many = calls(100), calls(10_000)
    assert many == few
    assert few[0] < 80


def test_close_period_asks_the_date_closes_and_undoes_in_excel(shop, tmp_path):
    import sqlite3

    from addin.workbook.archive import archive_path

    fake = FakeBook.open(shop["path"])
    asked = []
    outcome = entry.run("close_period", caller=fake,
                        ask=lambda prompt, title, default: asked.append(title) or "2026-02-28",
                        now=PRESSED)
    assert asked == ["Loupe: Close Period"]
    assert outcome.summary.startswith("Closed through 2026-02-28: 7 entries archived")
    assert fake.app.alerts[-1]["title"] == "Loupe: Close Period"
    ledger = rows_of(fake, schema.LEDGER, tmp_path)
    assert [r["Kind"] for r in ledger] == ["OPENING"] * 4
    with sqlite3.connect(archive_path(shop["path"])) as db:
        assert db.execute("SELECT COUNT(*) FROM entries").fetchone() == (7,)
    outcome = entry.run("close_period", caller=fake, ask=lambda *a: "undo", now=PRESSED)
    assert outcome.summary.startswith("Close through 2026-02-28 undone: 7 entries back")
    assert len(rows_of(fake, schema.LEDGER, tmp_path)) == 7
    assert entry.run("close_period", caller=fake, ask=lambda *a: "", now=PRESSED) is None  # Cancel
    mistyped = entry.run("close_period", caller=fake, ask=lambda *a: "end of June",
                         now=PRESSED)
    assert "'end of June' is not a date" in fake.app.alerts[-1]["prompt"]
    assert mistyped is None or mistyped.exit_code == 2
