"""The shop's cost code: a ten-letter word that prints a piece's cost on its tag unread.

Jewelers write the cost on a tag in letters only the staff can read: a word of ten
different letters stands for the digits 1, 2, ..., 9, 0 in order. With BLACKHORSE,
B = 1, L = 2, A = 3, C = 4, K = 5, H = 6, O = 7, R = 8, S = 9 and E = 0, so a cost of
$1,250 prints as ``BLKE``. The code is of whole dollars (cents rounded half up), as
shops write it. The word is the Settings row Cost Code; blank prints no cost.
"""

from __future__ import annotations

import re

from addin.core.money import share

DIGITS = "1234567890"  # the order the word's letters stand for
WORD_SHAPE = re.compile(r"[A-Z]{10}")


def cost_code_word(text: object) -> str:
    """The Cost Code setting, checked: ten different letters (any case), or "" for none.

    ValueError says what is wrong and how to write it.
    """
    word = "".join(str(text or "").split()).upper()
    if not word:
        return ""
    if not WORD_SHAPE.fullmatch(word):
        raise ValueError(f"{word!r} is not ten letters A-Z (like BLACKHORSE)")
    repeats = sorted({c for c in word if word.count(c) > 1})
    if repeats:
        raise ValueError(
            f"{word!r} repeats {', '.join(repeats)}: each of the ten letters must differ "
            "(like BLACKHORSE)"
        )
    return word


def encode_cost(cents: int, word: str) -> str:
    """A cost in cents -> its letters: whole dollars, rounded half up ("" without a word)."""
    if not word or cents is None:
        return ""
    dollars = int(share(int(cents), 1, 100))
    letter = dict(zip(DIGITS, word, strict=True))
    return "".join(letter[d] for d in str(dollars))


def decode_cost(letters: str, word: str) -> int:
    """Letters back to whole dollars (how staff read a tag); ValueError for a stray letter."""
    digit = dict(zip(word, DIGITS, strict=True))
    try:
        return int("".join(digit[c] for c in letters.upper()))
    except KeyError as exc:
        raise ValueError(f"{exc.args[0]!r} is not a letter of the cost code {word}") from None
