"""One set of answers per open book, kept until the Ledger's last row changes.

A sheet may hold thousands of Loupe functions; Excel calls each one separately. Each call
asks the cache, which reads only a small *freshness token* (in Excel: the Ledger's last
row, one cheap range read) and compares it with the token the answers were built from.
Only when it differs (an entry was posted, a reversal added, the last row edited) or the
day has changed (ages count days) are the whole Ledger, Styles and Settings read and
costed again. So a recalculation of every function reads the Ledger once.

A book whose answers cannot be built (its Ledger edited by hand, a Settings value that
cannot be read) keeps that error under the same token, so thousands of cells report it
without reading the book thousands of times.

What the token does not see: a hand edit to an older Ledger row (Verify Ledger finds it),
and changes to Styles or Settings alone (a style's Cost Method, Report As Of). Those show
once the Ledger changes again (the next posting), or after ``forget`` (Excel restarted).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class _Kept(Generic[T]):
    token: Hashable
    answers: T | None
    error: Exception | None


class AnswerCache(Generic[T]):
    """Answers per book, rebuilt when the book's freshness token or the day changes."""

    def __init__(self, books: int = 8, today: Callable[[], dt.date] = dt.date.today):
        self._kept: OrderedDict[Hashable, _Kept[T]] = OrderedDict()
        self._most = books
        self.today = today  # the day answers are asked on (the computer's, unless handed in)
        self.builds = 0  # how many times answers were built (read + costed)
        self.checks = 0  # how many freshness tokens were read

    def answers(self, book: Hashable, token: Callable[[], Hashable],
                build: Callable[[], T]) -> T:
        """The book's answers, built by `build` only when `token()` (read every call) or the
        day differs from the last build. A build's LoupeError is kept and raised again."""
        self.checks += 1
        now = (token(), self.today())
        kept = self._kept.get(book)
        if kept is None or kept.token != now:
            kept = self._build(now, build)
            self._kept[book] = kept
        self._kept.move_to_end(book)
        while len(self._kept) > self._most:
            self._kept.popitem(last=False)
        if kept.error is not None:
            raise kept.error
        assert kept.answers is not None
        return kept.answers

    def _build(self, token: Hashable, build: Callable[[], T]) -> _Kept[T]:
        from addin.core.errors import LoupeError

        self.builds += 1
        try:
            return _Kept(token, build(), None)
        except LoupeError as e:  # the book's own problem: same answer until it changes
            return _Kept(token, None, e)

    def forget(self, book: Hashable | None = None) -> None:
        """Drop one book's answers (or every book's): the next call rebuilds."""
        if book is None:
            self._kept.clear()
        else:
            self._kept.pop(book, None)
