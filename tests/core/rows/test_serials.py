"""Serial IDs: a mistyped or misscanned serial is refused, fresh serials are never reused,
and clones and splits give every piece its own serial."""

from __future__ import annotations

import string

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addin.core.rows.serials import (
    QUASIGROUP,
    SerialPattern,
    check_char,
    check_serial,
    check_serials,
    check_state,
    clone_rows,
    compile_pattern,
    next_serial,
    normalize_serial,
    normalize_serials,
    serial_issue,
    split_receiving_row,
)
from addin.core.rows.settings import Settings

ALNUM = string.digits + string.ascii_uppercase
DEFAULT = "{prefix}-{seq:06d}{check}"

# --- an independent Damm check over GF(4) x Z3 x Z3, written out from the definition -----

GF4_TIMES_A = {0: 0, 1: 2, 2: 3, 3: 1}  # a.0 = 0, a.1 = a, a.a = a+1, a.(a+1) = 1


def _star(x: int, y: int) -> int:
    x4, x3, x1 = divmod(x, 9)[0], divmod(x, 9)[1] // 3, x % 3
    y4, y3, y1 = divmod(y, 9)[0], divmod(y, 9)[1] // 3, y % 3
    return 9 * (GF4_TIMES_A[x4] ^ y4) + 3 * ((2 * x3 + y3) % 3) + (2 * x1 + y1) % 3


def reference_check(body: str) -> str:
    state = 0
    for ch in body:
        if ch in ALNUM:
            state = _star(state, ALNUM.index(ch))
    return next(c for c in ALNUM if _star(state, ALNUM.index(c)) == 0)


# --- the check character catches every single error and every swap ----------------------


def test_check_characters_worked_by_hand():
    # "1": state 0*1 = 1 = (0,0,1); closing it needs (0, 0, 1) since 2*1 + 1 = 0 mod 3 -> "1"
    assert check_char("1") == "1"
    # "A" = 10 = (1,0,1): state (a.0+1, 0, 1) = 10; closing needs (a.1, 0, 1) = 9*2+1 = 19 -> "J"
    assert check_char("A") == "J"


def test_table_is_a_totally_anti_symmetric_quasigroup():
    q = QUASIGROUP.astype(int)
    assert all(sorted(r) == list(range(36)) for r in q)  # one symbol changed -> state changes
    assert all(sorted(c) == list(range(36)) for c in q.T)
    c, x, y = np.meshgrid(range(36), range(36), range(36), indexing="ij")
    same = q[q[c, x], y] == q[q[c, y], x]
    assert (same == (x == y)).all()  # two neighbours swapped -> state changes, for any state


def test_check_character_matches_an_independent_implementation():
    for body in ["LP-000001", "LP-000123", "AB-999999", "ZZ-1234567", "X-000000", "LP00042"]:
        assert check_char(body) == reference_check(body)


SAMPLES = [
    (DEFAULT, "LP", 1),
    (DEFAULT, "LP", 123457),
    (DEFAULT, "GEMS", 999999),
    (DEFAULT, "LP", 1000000),
    ("{prefix}{seq:05d}{check}", "JW", 40213),
    ("{prefix}-NY{seq:04d}/{check}", "RX", 77),
]


def _substitutions(serial: str):
    for i, old in enumerate(serial):
        for new in ALNUM + "-/":
            if new != old:
                yield serial[:i] + new + serial[i + 1 :]


def _swaps(serial: str):
    for i in range(len(serial) - 1):
        if serial[i] != serial[i + 1]:
            yield serial[:i] + serial[i + 1] + serial[i] + serial[i + 2 :]


@pytest.mark.parametrize("template,prefix,seq", SAMPLES)
def test_every_single_character_error_is_refused(template, prefix, seq):
    pattern = compile_pattern(template, prefix)
    serial = pattern.format(seq)
    assert check_serial(serial, pattern) is None
    wrong = list(_substitutions(serial))
    assert len(wrong) == len(serial) * (len(ALNUM) + 1)
    assert all(check_serial(w, pattern) for w in wrong)
    assert check_serials(wrong, pattern).notna().all()


@pytest.mark.parametrize("template,prefix,seq", SAMPLES)
def test_every_swap_of_neighbours_is_refused(template, prefix, seq):
    pattern = compile_pattern(template, prefix)
    serial = pattern.format(seq)
    swapped = list(_swaps(serial))
    assert swapped  # every sample has neighbours that differ
    assert all(check_serial(w, pattern) for w in swapped)
    assert check_serials(swapped, pattern).notna().all()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALNUM, min_size=1, max_size=14), st.data())
def test_any_id_with_its_check_character_catches_one_change_or_one_swap(body, data):
    full = body + reference_check(body)
    assert check_state(full) == 0
    i = data.draw(st.integers(0, len(full) - 1))
    new = data.draw(st.sampled_from([c for c in ALNUM if c != full[i]]))
    assert check_state(full[:i] + new + full[i + 1 :]) != 0
    if i < len(full) - 1 and full[i] != full[i + 1]:
        assert check_state(full[:i] + full[i + 1] + full[i] + full[i + 2 :]) != 0


# --- what a bookkeeper sees ---------------------------------------------------------------


def test_typed_serials_are_compared_after_normalizing():
    assert normalize_serial("  lp-000123 k\n") == "LP-000123K"
    assert normalize_serial(4021.0) == "4021"  # Excel read a numeric tag as a float
    assert normalize_serial(None) == ""
    good = f"LP-000001{reference_check('LP-000001')}"
    assert check_serial(f" {good.lower()} ", DEFAULT) is None


def test_a_misscanned_serial_says_why_and_what_to_do():
    good = f"LP-000042{reference_check('LP-000042')}"
    typo = good[:-2] + ("3" if good[-2] != "3" else "4") + good[-1]
    message = check_serial(typo, DEFAULT)
    assert "check character" in message and "rescan the tag" in message


def test_a_legacy_tag_that_does_not_fit_is_refused_naming_the_pattern():
    message, fix = serial_issue("RING-42", DEFAULT)
    assert "{prefix}-{seq:06d}{check}" in message and "RING-42" in message
    assert "new serial" in fix
    assert "blank" in check_serial("   ", DEFAULT)


def test_without_a_check_character_only_the_shape_is_checked():
    plain = "{prefix}{seq:05d}"
    assert check_serial("LP00123", plain) is None
    assert check_serial("LP00124", plain) is None  # no check character: any number fits
    assert check_serial("LP0123", plain)  # too short
    assert check_serial("LP-00123", plain)  # a dash the pattern does not have


def test_pieces_tagged_under_an_earlier_prefix_stay_valid():
    old = compile_pattern(DEFAULT, "OLD").format(7)
    now = Settings(serial_prefix="NEW")
    assert check_serial(old, now) is None
    assert next_serial(now, [old]) == [f"NEW-000001{reference_check('NEW-000001')}"]


@pytest.mark.parametrize(
    "template,words",
    [
        ("{prefix}-{check}", "{seq}"),
        ("{prefix}{seq}{seq}", "{seq}"),
        ("{check}{prefix}{seq}", "last"),
        ("{prefix}-{seq:6d}{check}", "zero-padded"),
        ("{store}-{seq}", "unknown part"),
        ("{prefix} {seq}", "no spaces"),
        ("{prefix}-{seq", "not a pattern"),
    ],
)
def test_a_bad_pattern_is_refused_with_how_to_write_it(template, words):
    with pytest.raises(ValueError, match=words):
        compile_pattern(template)


# --- fresh serials ----------------------------------------------------------------------


def _with_check(body: str) -> str:
    return body + reference_check(body)


def test_next_serial_follows_the_highest_ever_used_and_never_fills_gaps():
    # 500 was sold and 300 deleted from Items long ago: their numbers stay used
    seen = [
        _with_check("LP-000007"),
        " lp-000500" + reference_check("LP-000500").lower(),
        _with_check("LP-000300"),
        _with_check("ZZ-900000"),
        "RING-42",
        None,
        "",
    ]
    assert next_serial(Settings(), seen, 3) == [
        _with_check("LP-000501"),
        _with_check("LP-000502"),
        _with_check("LP-000503"),
    ]


def test_a_number_counts_as_used_even_if_its_check_character_is_wrong():
    bad = "LP-000900" + ("0" if reference_check("LP-000900") != "0" else "1")
    assert next_serial(DEFAULT, [bad]) == [_with_check("LP-000901")]


def test_next_serial_starts_at_one_and_grows_past_the_padding():
    assert next_serial(DEFAULT, []) == [_with_check("LP-000001")]
    assert next_serial(DEFAULT, [_with_check("LP-999999")], 2) == [
        _with_check("LP-1000000"),
        _with_check("LP-1000001"),
    ]
    assert next_serial("{prefix}{seq}", ["LP7", "LP12"], 1) == ["LP13"]
    assert next_serial(DEFAULT, ["LP-000001A"], 0) == []


def test_next_serial_scans_a_big_book():
    pattern = compile_pattern(DEFAULT)
    numbers = np.char.zfill(np.arange(1, 120_001).astype(str), 6)
    seen = np.char.add(np.char.add("LP-", numbers), "A").tolist()  # check chars do not matter
    fresh = next_serial(pattern, seen + ["LP-120007X"], 2)
    assert fresh == [_with_check("LP-120008"), _with_check("LP-120009")]
    assert not set(fresh) & set(seen)


def test_settings_choose_the_pattern_and_prefix():
    shop = Settings(serial_pattern="{prefix}{seq:04d}{check}", serial_prefix="JW")
    assert next_serial(shop, ["JW0041" + reference_check("JW0041")]) == [_with_check("JW0042")]
    assert SerialPattern.of(shop).example == _with_check("JW0001")


def test_column_check_agrees_with_one_by_one():
    typed = [
        _with_check("LP-000001"),
        "LP-0000012",
        "legacy",
        None,
        12.0,
        _with_check("AB-123456").lower(),
    ]
    one_by_one = [check_serial(t, DEFAULT) for t in typed]
    assert check_serials(typed, DEFAULT).tolist() == one_by_one
    assert [m is None for m in one_by_one] == [True, False, False, False, False, True]


# --- clones and splits --------------------------------------------------------------------

RECEIPT = {
    "Date": "2024-05-02",
    "Doc": "PO-88",
    "Vendor": "Stuller",
    "Style": "RG-101",
    "Qty": 3.0,
    "Unit Cost": 412.5,
    "Serial": None,
    "Location": "Vault",
    "Terms": "Owned",
    "Note": "",
    "Status": "Error: Qty: 3 pieces on one row",
    "Ledger Ref": None,
}


def test_a_receiving_row_of_three_pieces_becomes_three_rows_of_one():
    rows = split_receiving_row(RECEIPT, ["LP-000010A", "LP-000011B", "LP-000012C"])
    assert [r["Serial"] for r in rows] == ["LP-000010A", "LP-000011B", "LP-000012C"]
    assert [r["Qty"] for r in rows] == [1, 1, 1]
    assert all(r["Unit Cost"] == 412.5 and r["Doc"] == "PO-88" for r in rows)
    assert all(r["Status"] is None for r in rows)  # the old error no longer applies
    assert RECEIPT["Qty"] == 3.0  # the typed row itself is not changed


def test_a_serial_typed_on_the_row_stays_with_the_first_piece():
    row = {**RECEIPT, "Qty": 2, "Serial": " lp-000009z "}
    rows = split_receiving_row(row, ["LP-000010A"])
    assert [r["Serial"] for r in rows] == ["LP-000009Z", "LP-000010A"]


def test_split_refuses_the_wrong_number_of_serials_or_pieces():
    with pytest.raises(ValueError, match="needs 3"):
        split_receiving_row(RECEIPT, ["A", "B"])
    with pytest.raises(ValueError, match="whole number"):
        split_receiving_row({**RECEIPT, "Qty": 1.5}, ["A"])


def test_cloning_an_item_copies_its_attributes_under_fresh_serials():
    item = {
        "Serial": "LP-000004X",
        "Style": "PD-7",
        "Karat": "14K",
        "Carat": 0.5,
        "Cost": 250.0,
        "Status": "Sold",
        "Sold Date": "2024-06-01",
        "Sold Price": 600.0,
    }
    clones = clone_rows(item, 2, ["LP-000020P", "LP-000021Q"])
    assert [c["Serial"] for c in clones] == ["LP-000020P", "LP-000021Q"]
    assert all(c["Karat"] == "14K" and c["Carat"] == 0.5 and c["Cost"] == 250.0 for c in clones)
    assert all(c["Status"] is None and c["Sold Price"] is None for c in clones)
    with pytest.raises(ValueError):
        clone_rows(item, 3, ["LP-000020P"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(), st.text(max_size=12), st.floats(allow_nan=True), st.integers(-(10**6), 10**6)
        ),
        max_size=8,
    )
)
def test_column_normalizing_agrees_with_one_by_one(values):
    assert normalize_serials(values).tolist() == [normalize_serial(v) for v in values]
