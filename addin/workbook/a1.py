"""A1 references: column letters and numbers, cell names and ranges, as Excel spells them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


@lru_cache(maxsize=16384)
def letters(col: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def number(col_letters: str) -> int:
    """A -> 1, AA -> 27."""
    n = 0
    for ch in col_letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def cell_name(row: int, col: int) -> str:
    return f"{letters(col)}{row}"


def parse_cell(name: str) -> tuple[int, int]:
    """'K5' -> (5, 11): row, column."""
    m = _CELL.match(name.strip())
    if m is None:
        raise ValueError(f"not a cell reference: {name!r}")
    return int(m.group(2)), number(m.group(1))


@dataclass(frozen=True)
class Area:
    """A rectangle of cells, inclusive, 1-based."""

    top: int
    left: int
    bottom: int
    right: int

    @classmethod
    def parse(cls, ref: str) -> Area:
        first, _, last = ref.partition(":")
        top, left = parse_cell(first)
        bottom, right = parse_cell(last) if last else (top, left)
        return cls(min(top, bottom), min(left, right), max(top, bottom), max(left, right))

    def __str__(self) -> str:
        return f"{cell_name(self.top, self.left)}:{cell_name(self.bottom, self.right)}"

    def union(self, other: Area) -> Area:
        return Area(
            min(self.top, other.top),
            min(self.left, other.left),
            max(self.bottom, other.bottom),
            max(self.right, other.right),
        )
