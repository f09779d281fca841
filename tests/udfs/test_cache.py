"""The answer cache: thousands of calls, one build, until the Ledger's last row or the day
changes; a book's own error is kept, not rebuilt for every cell."""

from __future__ import annotations

import datetime as dt

import pytest

from addin.core.errors import LedgerTampered
from addin.udfs.cache import AnswerCache


class Book:
    """A book as the cache sees it: a last Ledger row, and how often it was fully read."""

    def __init__(self):
        self.tail = (5, "entry 4", "ab12")
        self.tails_read = 0
        self.reads = 0

    def read_tail(self):
        self.tails_read += 1
        return self.tail

    def read_all(self):
        self.reads += 1
        return f"answers from {self.tail}"


def test_thousands_of_calls_read_the_ledger_once():
    cache, book = AnswerCache(), Book()
    got = {cache.answers("shop.xlsm", book.read_tail, book.read_all) for _ in range(5000)}
    assert got == {"answers from (5, 'entry 4', 'ab12')"}
    assert (book.reads, book.tails_read) == (1, 5000)


def test_a_new_last_row_means_new_answers():
    cache, book = AnswerCache(), Book()
    cache.answers("shop.xlsm", book.read_tail, book.read_all)
    book.tail = (6, "entry 5", "cd34")
    assert cache.answers("shop.xlsm", book.read_tail, book.read_all) == \
        "answers from (6, 'entry 5', 'cd34')"
    assert book.reads == 2


def test_a_new_day_means_new_answers():
    days = iter([dt.date(2026, 3, 1)] * 3 + [dt.date(2026, 3, 2)] * 3)
    cache, book = AnswerCache(today=lambda: next(days)), Book()
    for _ in range(6):
        cache.answers("shop.xlsm", book.read_tail, book.read_all)
    assert book.reads == 2


def test_each_book_keeps_its_own_answers_and_old_books_are_let_go():
    cache = AnswerCache(books=2)
    books = {name: Book() for name in ("a.xlsm", "b.xlsm", "c.xlsm")}
    for name in ("a.xlsm", "b.xlsm", "a.xlsm", "c.xlsm", "a.xlsm", "b.xlsm"):
        cache.answers(name, books[name].read_tail, books[name].read_all)
    # a stays (used last but one each time); b was dropped when c came, so it is read again
    assert [books[n].reads for n in ("a.xlsm", "b.xlsm", "c.xlsm")] == [1, 2, 1]


def test_a_tampered_ledger_is_reported_by_every_cell_without_rereading():
    cache, book = AnswerCache(), Book()

    def refuse():
        book.reads += 1
        raise LedgerTampered(3, 4, "Ledger row 4 (entry 3) was changed after posting")

    for _ in range(100):
        with pytest.raises(LedgerTampered, match="row 4"):
            cache.answers("shop.xlsm", book.read_tail, refuse)
    assert book.reads == 1


def test_forget_makes_the_next_call_read_again():
    cache, book = AnswerCache(), Book()
    cache.answers("shop.xlsm", book.read_tail, book.read_all)
    cache.forget("shop.xlsm")
    cache.answers("shop.xlsm", book.read_tail, book.read_all)
    cache.forget()
    cache.answers("shop.xlsm", book.read_tail, book.read_all)
    assert book.reads == 3
