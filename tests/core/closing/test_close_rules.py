"""What a close refuses, how uneven values carry, and the hash chain across a close."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from addin.core import closing, costing, ledger
from addin.core.ledger import chain, closes

AT = dt.datetime(2026, 1, 2, 9, 0)
DAY = dt.date(2025, 12, 31)


def _lf(*rows: dict) -> pd.DataFrame:
    base = dict(posted_at=dt.datetime(2025, 6, 1), location="Main", doc="D")
    return ledger.frame([base | {"entry": i + 1} | r for i, r in enumerate(rows)])


def test_nothing_to_close():
    close = closing.plan_close(ledger.empty(), {}, DAY, AT)
    assert not close.ok and "no entries" in close.problems[0].message


def test_entries_after_the_close_date_refuse_it_and_say_which():
    lf = _lf(dict(date=dt.date(2025, 12, 1), kind="RECEIPT", style="RG", qty=2, unit_cost=1_0000),
             dict(date=dt.date(2026, 1, 3), kind="SALE", style="RG", qty=-1, unit_price=300))
    close = closing.plan_close(lf, {}, DAY, AT)
    assert not close.ok
    assert "1 entries are dated after 2025-12-31 (first: entry 2, 2026-01-03)" in (
        close.problems[0].message)
    assert "close through 2026-01-03" in close.problems[0].fix


def test_stock_below_zero_refuses_the_close():
    lf = _lf(dict(date=dt.date(2025, 12, 1), kind="SALE", style="CH", qty=-3, unit_price=10))
    close = closing.plan_close(lf, {}, DAY, AT)
    assert not close.ok and "CH at Main, -3" in close.problems[0].message


def test_an_average_share_that_does_not_divide_carries_to_the_cent():
    # 3 units for $10.00 at average cost, one sold: 2 left worth $6.67 (3.335 each)
    lf = _lf(dict(date=dt.date(2025, 3, 1), kind="RECEIPT", style="CH", qty=1, unit_cost=3_3300),
             dict(date=dt.date(2025, 3, 2), kind="RECEIPT", style="CH", qty=2, unit_cost=3_3400),
             dict(date=dt.date(2025, 4, 1), kind="SALE", style="CH", qty=-1, unit_price=900))
    methods = {"CH": "Average"}
    close = closing.plan_close(lf, methods, DAY, AT)
    carried = close.carried
    # unit costs in ten-thousandths: runs of whole cents, 1001 - 334 (rounded) cents
    assert int((carried["qty"] * carried["unit_cost"]).sum()) == 667_00
    assert costing.owned_value(costing.book(carried, methods)) == 667
    # the latest cost ($3.34, the second receipt) is kept for a count surplus
    assert (carried["qty"] == 0).sum() <= 1


def test_consigned_and_memo_out_stock_keep_what_they_are():
    lf = _lf(dict(date=dt.date(2025, 2, 1), kind="MEMO_IN", style="PD", serial="S1", qty=1,
                  unit_cost=50_0000, party="Estate Guild"),
             dict(date=dt.date(2025, 2, 2), kind="RECEIPT", style="PD", serial="S2", qty=1,
                  unit_cost=70_0000, party="Aurum"),
             dict(date=dt.date(2025, 5, 1), kind="MEMO_OUT", style="PD", serial="S2", qty=-1),
             dict(date=dt.date(2025, 5, 1), kind="MEMO_OUT", style="PD", serial="S2", qty=1,
                  location=ledger.memo_location("Bob"), reverses=3))
    carried = closing.plan_close(lf, {}, DAY, AT).carried.set_index("serial")
    assert carried.loc["S1", "kind"] == "MEMO_IN" and carried.loc["S1", "party"] == "Estate Guild"
    assert carried.loc["S2", "kind"] == "OPENING"
    assert carried.loc["S2", "location"] == "Memo: Bob" and carried.loc["S2", "party"] == "Aurum"
    assert pd.Timestamp(carried.loc["S2", "date"]).date() == dt.date(2025, 2, 2)


def test_history_puts_the_archive_back_in_front():
    lf = _lf(dict(date=dt.date(2025, 3, 1), kind="RECEIPT", style="RG", qty=2, unit_cost=1_0000))
    close = closing.plan_close(lf, {}, DAY, AT)
    later = _lf(dict(date=dt.date(2026, 1, 5), kind="SALE", style="RG", qty=-1,
                     unit_price=250)).assign(entry=int(close.carried["entry"].max()) + 1)
    book = pd.concat([close.carried, later], ignore_index=True)
    whole = closing.history(lf, book)
    assert list(whole["kind"]) == ["RECEIPT", "SALE"]
    assert closing.history(ledger.empty(), later).equals(later.reset_index(drop=True))


def _sealed_close() -> tuple[pd.DataFrame, pd.DataFrame]:
    lf = chain.seal(_lf(
        dict(date=dt.date(2025, 3, 1), kind="RECEIPT", style="RG", qty=2, unit_cost=1_0000),
        dict(date=dt.date(2025, 3, 5), kind="RECEIPT", style="RG", qty=1, unit_cost=1_2000)))
    close = closing.plan_close(lf, {}, DAY, AT)
    return lf, chain.seal(close.carried, str(lf["hash"].iloc[-1]))


def test_the_chain_continues_across_the_close():
    archived, book = _sealed_close()
    tip = chain.tip(archived)
    assert closes.verify_continued(book, anchor=tip).ok
    alone = closes.verify_continued(book)
    assert alone.ok and "after a close" in alone.message
    assert closes.verify_continued(archived).ok  # a Ledger never closed: as before


def test_an_edit_after_the_close_is_named_with_or_without_the_archive():
    archived, book = _sealed_close()
    edited = book.copy()
    edited.loc[1, "qty"] = 5
    alone = closes.verify_continued(edited, first_row=2)
    assert not alone.ok and alone.row == 3 and alone.position == 1
    first = book.copy()
    first.loc[0, "unit_cost"] = 1  # the first carried row: only the archive can prove it
    assert closes.verify_continued(first).ok
    bad = closes.verify_continued(first, anchor=chain.tip(archived))
    assert not bad.ok and bad.row == 2


def test_event_dates_put_carried_entries_on_their_close_date():
    _, book = _sealed_close()
    days = closes.event_dates(book).view("datetime64[ns]")
    assert (days == pd.Timestamp(DAY).to_datetime64()).all()
    assert closes.close_days(_lf(dict(date=dt.date(2025, 1, 1), kind="RECEIPT", style="RG",
                                      qty=1))).isna().all()


def test_history_after_two_closes_leaves_out_both_closes_carried_entries():
    first = _lf(dict(date=dt.date(2024, 3, 1), kind="RECEIPT", style="RG", qty=3, unit_cost=1_0000))
    close1 = closing.plan_close(first, {}, dt.date(2024, 12, 31), AT)
    sale = _lf(dict(date=dt.date(2025, 2, 1), kind="SALE", style="RG", qty=-1, unit_price=250))
    sale["entry"] = int(close1.carried["entry"].max()) + 1
    book1 = ledger.normalize(pd.concat([close1.carried, sale], ignore_index=True))
    close2 = closing.plan_close(book1, {}, DAY, AT)
    archive = ledger.normalize(pd.concat([first, book1], ignore_index=True))
    whole = closing.history(archive, close2.carried)
    assert list(zip(whole["kind"], whole["qty"], strict=True)) == [("RECEIPT", 3), ("SALE", -1)]
    assert costing.owned_value(costing.book(whole, {})) == 200
    assert costing.owned_value(costing.book(close2.carried, {})) == 200


def test_a_ledger_of_one_carried_entry_still_answers_to_its_tip_record():
    archived = chain.seal(_lf(dict(date=dt.date(2025, 3, 1), kind="RECEIPT", style="RG", qty=2,
                                   unit_cost=1_0000)))
    close = closing.plan_close(archived, {}, DAY, AT)
    book = chain.seal(close.carried, str(archived["hash"].iloc[-1]))
    own = chain.tip(book)
    assert len(book) == 1 and closes.verify_continued(book, expected_tip=own).ok
    cut = closes.verify_continued(book, expected_tip=chain.Tip(own.entry + 3, "0" * 16))
    assert not cut.ok and "sealed up to entry" in cut.message
    longer = chain.seal(pd.concat([close.carried, close.carried.assign(entry=3)]),
                        str(archived["hash"].iloc[-1]))
    assert closes.verify_continued(longer, expected_tip=chain.tip(longer)).ok
