"""The cost code: a ten-letter word prints a tag's cost in letters only the staff read."""

from __future__ import annotations

import pytest

from addin.core.rows.cost_code import cost_code_word, decode_cost, encode_cost

WORD = "BLACKHORSE"  # B=1 L=2 A=3 C=4 K=5 H=6 O=7 R=8 S=9 E=0


@pytest.mark.parametrize(
    ("cents", "letters", "dollars"),
    [
        (125000, "BLKE", 1250),  # $1,250.00
        (124950, "BLKE", 1250),  # $1,249.50 rounds half up to $1,250
        (124949, "BLCS", 1249),  # $1,249.49 -> $1,249
        (9000, "SE", 90),  # $90.00
        (90000, "SEE", 900),
        (4567, "CH", 46),  # $45.67 -> $46
        (30, "E", 0),  # 30 cents -> $0
    ],
)
def test_costs_print_as_the_words_letters(cents, letters, dollars):
    assert encode_cost(cents, WORD) == letters
    assert decode_cost(letters, WORD) == dollars


def test_no_word_prints_no_cost():
    assert encode_cost(125000, "") == ""


def test_the_setting_is_read_in_any_case_and_spacing():
    assert cost_code_word(" black horse ") == WORD
    assert cost_code_word("") == ""


@pytest.mark.parametrize(
    ("typed", "says"),
    [("BLACKHORS", "not ten letters"), ("BLACKH0RSE", "not ten letters"),
     ("BLACKBOARD", "repeats A, B")],
)
def test_a_word_that_cannot_code_every_digit_is_refused(typed, says):
    with pytest.raises(ValueError, match=says):
        cost_code_word(typed)


def test_a_stray_letter_is_named_when_reading_back():
    with pytest.raises(ValueError, match="'Z' is not a letter"):
        decode_cost("BZ", WORD)
