"""Serial IDs: the Settings pattern, the check character, fresh serials, clones and splits.

A pattern is a format string such as the default ``{prefix}-{seq:06d}{check}``:

- ``{prefix}``: the shop's Serial Prefix, 1 to 8 letters (``LP``).
- ``{seq}``: the running number; ``{seq:06d}`` pads it to at least 6 digits. Exactly once.
- ``{check}``: optional, and only at the very end: one check character (0-9 or A-Z).
- anything else is literal text: letters, digits and ``- _ . /``.

A serial is compared only after `normalize_serial` (all whitespace out, upper case), so
``lp-000123 k`` and ``LP-000123K`` are the same piece.

Checking a typed serial. It must fit the pattern's shape, or it is refused with a message
that names the pattern (a legacy tag that does not fit gets a new Loupe serial; that is the
decision, so that every serial in the book can be checked the same way). ``{prefix}``
accepts *any* 1-8 letters when checking, so pieces tagged under an earlier Serial Prefix
stay valid after the owner changes it; new serials always use the current prefix. When the
pattern has ``{check}``, the check character must match the ID.

The check character: the Damm algorithm over a totally anti-symmetric quasigroup of
order 36. Every letter and digit of the ID (prefix, literal text and number; the
separators are checked by the shape instead) is a symbol 0-35 (``0``-``9`` = 0-9,
``A``-``Z`` = 10-35); a state starts at 0, each symbol moves it to ``state * symbol``; the
check character is the one symbol that brings the state back to 0, so a good ID ends in
state 0. The quasigroup is the direct product GF(4) x Z3 x Z3 with
``x * y = a.x + y`` per component (a = the generator of GF(4), a = 2 in Z3). Why it
catches errors, for *every* ID (the tests also check it exhaustively):

- one character changed: each step is a permutation of the states for a fixed symbol
  and of the symbols for a fixed state, so a different symbol gives a different state
  and the difference survives to the end;
- two neighbours swapped (check character included): ``(c*x)*y = (c*y)*x`` means
  ``a.a.c + a.x + y = a.a.c + a.y + x``, i.e. ``(a - 1)(x - y) = 0``; a - 1 is invertible
  in each component, so x = y (each component is totally anti-symmetric, hence so is
  the product).

Why not ISO 7064 MOD 37,36, the usual choice: its hybrid step is not anti-symmetric. From
state 1, ``HI`` and ``IH`` end in the same state (36 state/pair cases in all), so some
swapped neighbours pass. ISO 7064 MOD 37-2 catches them all but needs a 37th check
character, ``*``, which Code 39 barcode tags reserve as their start/stop mark.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from addin.core.errors import InputError
from addin.sheets.schema import DEFAULT_SETTINGS

ALPHABET = string.digits + string.ascii_uppercase  # symbol value = index
DEFAULT_PATTERN = dict((n, v) for n, v, _ in DEFAULT_SETTINGS)["Serial Pattern"]
DEFAULT_PREFIX = dict((n, v) for n, v, _ in DEFAULT_SETTINGS)["Serial Prefix"]
MAX_SEQ_DIGITS = 18  # a seq that fits int64; longer runs of digits are not Loupe numbers
PREFIX_SHAPE = re.compile(r"[A-Z]{1,8}")
LITERAL_SHAPE = re.compile(r"[A-Z0-9\-_./]*")
WHOLE_FLOAT = re.compile(r"^(-?\d+)\.0$")  # how Excel hands back a number typed as a tag


# --- the check character ----------------------------------------------------------------


def _gf4_times_a(x: int) -> int:
    """x times the generator a of GF(4) = F2[a]/(a^2 + a + 1); x as bits (b1 b0) = b1.a + b0."""
    b1, b0 = x >> 1, x & 1
    return ((b1 ^ b0) << 1) | b1  # a.(b1.a + b0) = (b1 + b0).a + b1


def _combine(x: int, y: int) -> int:
    """x * y in the quasigroup: symbol v is (v // 9 in GF(4), v // 3 % 3, v % 3)."""
    g = _gf4_times_a(x // 9) ^ (y // 9)
    h = (2 * (x // 3 % 3) + y // 3 % 3) % 3
    k = (2 * (x % 3) + y % 3) % 3
    return 9 * g + 3 * h + k


QUASIGROUP = np.array([[_combine(x, y) for y in range(36)] for x in range(36)], dtype=np.int8)
_CLOSER = [int(np.flatnonzero(QUASIGROUP[s] == 0)[0]) for s in range(36)]  # s * c = 0
_VALUE = np.full(256, -1, dtype=np.int8)
_VALUE[np.frombuffer(ALPHABET.encode(), dtype=np.uint8)] = np.arange(36)


def check_state(text: str) -> int:
    """The Damm state after the letters and digits of `text` (0 = a complete, valid ID)."""
    state = 0
    for ch in text:
        if ch in ALPHABET:
            state = int(QUASIGROUP[state, ALPHABET.index(ch)])
    return state


def check_char(body: str) -> str:
    """The check character that completes `body` (an ID without its check character)."""
    return ALPHABET[_CLOSER[check_state(body)]]


def _check_states(ids: pd.Series) -> np.ndarray:
    """Damm states of many normalized IDs at once: one numpy step per character position."""
    symbols = ids.str.replace(r"[^0-9A-Z]", "", regex=True)
    states = np.zeros(len(symbols), dtype=np.int8)
    lengths = symbols.str.len().to_numpy()
    for length in np.unique(lengths):
        rows = np.flatnonzero(lengths == length)
        if length == 0:
            continue
        raw = "".join(symbols.iloc[rows]).encode("ascii")
        codes = _VALUE[np.frombuffer(raw, dtype=np.uint8).reshape(len(rows), length)]
        state = np.zeros(len(rows), dtype=np.int8)
        for column in codes.T:
            state = QUASIGROUP[state, column]
        states[rows] = state
    return states


# --- normalizing ------------------------------------------------------------------------


def normalize_serial(value: Any) -> str:
    """A serial as compared everywhere: whitespace removed, upper case, blank for None.

    Excel may hand a serial typed as a number back as a float (123.0): that reads "123".
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = re.sub(r"\s+", "", str(value)).upper()
    return WHOLE_FLOAT.sub(r"\1", text)


def normalize_serials(values: Iterable[Any]) -> pd.Series:
    """`normalize_serial` over a whole column, vectorized (same rules: object dtype keeps
    Python's own upper-casing and whitespace, so both agree on every character)."""
    s = pd.Series(list(values), dtype=object)
    text = s.where(s.notna(), "").map(str).astype(object)
    text = text.str.replace(r"\s+", "", regex=True).str.upper()
    return text.str.replace(WHOLE_FLOAT.pattern, r"\1", regex=True)


# --- the pattern --------------------------------------------------------------------------


@dataclass(frozen=True)
class SerialPattern:
    """A compiled Serial Pattern: literal text around the number, and the check character.

    Shape: ``before`` + number (zero-padded to ``width``) + ``after`` + check character.
    ``{prefix}`` may sit in ``before`` or ``after``, as the `PREFIX_FIELD` piece.
    """

    template: str
    prefix: str
    before: tuple[str, ...]  # literal pieces before the number
    after: tuple[str, ...]
    width: int  # 0 = no padding
    has_check: bool

    @classmethod
    def of(cls, settings_or_pattern: Any, prefix: str | None = None) -> SerialPattern:
        """The pattern of a Settings (its pattern and prefix), or of a pattern string."""
        if isinstance(settings_or_pattern, SerialPattern):
            return settings_or_pattern
        if isinstance(settings_or_pattern, str):
            return compile_pattern(settings_or_pattern, prefix or DEFAULT_PREFIX)
        s = settings_or_pattern
        return compile_pattern(s.serial_pattern, prefix or s.serial_prefix)

    def format(self, seq: int) -> str:
        """Serial number `seq` in this pattern, check character included."""
        body = self._fill(self.before, self.prefix) + self._number(seq)
        body += self._fill(self.after, self.prefix)
        return body + check_char(body) if self.has_check else body

    def regex(self, prefix: str | None) -> re.Pattern[str]:
        """A full-match regex; group ``seq`` is the number. `prefix` None = any prefix."""
        return _shape_regex(self.before, self.after, self.width, self.has_check, prefix)

    @property
    def example(self) -> str:
        return self.format(1)

    def _number(self, seq: int) -> str:
        return f"{seq:0{self.width}d}" if self.width else str(seq)

    @staticmethod
    def _fill(pieces: tuple[str, ...], prefix: str) -> str:
        return "".join(prefix if p == PREFIX_FIELD else p for p in pieces)


PREFIX_FIELD = "\x00prefix"  # stands for {prefix} among the literal pieces


@lru_cache(maxsize=64)
def compile_pattern(template: str, prefix: str = DEFAULT_PREFIX) -> SerialPattern:
    """Parse a Serial Pattern; InputError names what is wrong and how to write it."""
    prefix = normalize_serial(prefix)
    if not PREFIX_SHAPE.fullmatch(prefix):
        raise InputError(f"Serial Prefix {prefix!r} must be 1 to 8 letters A-Z, like LP")
    pieces = _pattern_pieces(template)
    fields = [p for p in pieces if isinstance(p, tuple)]
    names = [name for name, _ in fields]
    if names.count("seq") != 1 or names.count("prefix") > 1 or names.count("check") > 1:
        raise InputError(
            f"Serial Pattern {template!r} needs {{seq}} exactly once and "
            f"{{prefix}}, {{check}} at most once, like {DEFAULT_PATTERN}"
        )
    if "check" in names and pieces[-1] != ("check", ""):
        raise InputError(
            f"Serial Pattern {template!r}: {{check}} must come last, like {DEFAULT_PATTERN}"
        )
    at = pieces.index(fields[names.index("seq")])
    tail = [p for p in pieces[at + 1 :] if p != ("check", "")]
    return SerialPattern(
        template,
        prefix,
        _literals(pieces[:at], template),
        _literals(tail, template),
        _width(pieces[at][1], template),
        "check" in names,
    )


def _pattern_pieces(template: str) -> list[str | tuple[str, str]]:
    """Literal text (upper-cased) and (field, spec) pairs, in order."""
    pieces: list[str | tuple[str, str]] = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise InputError(
            f"Serial Pattern {template!r} is not a pattern ({exc}); write it like {DEFAULT_PATTERN}"
        ) from exc
    for literal, name, spec, conversion in parsed:
        if literal:
            pieces.append(literal.upper())
        if name is None:
            continue
        if name not in ("prefix", "seq", "check") or conversion:
            raise InputError(
                f"Serial Pattern {template!r}: unknown part {{{name}}}; "
                "use {prefix}, {seq} and {check}"
            )
        if spec and name != "seq":
            raise InputError(f"Serial Pattern {template!r}: {{{name}}} takes no format")
        pieces.append((name, spec or ""))
    return pieces


def _literals(pieces: list, template: str) -> tuple[str, ...]:
    out: list[str] = []
    for p in pieces:
        if isinstance(p, tuple):
            out.append(PREFIX_FIELD)  # only {prefix} can be left here
        elif not LITERAL_SHAPE.fullmatch(p):
            raise InputError(
                f"Serial Pattern {template!r}: {p!r} may hold only letters, "
                "digits and - _ . / (no spaces)"
            )
        else:
            out.append(p)
    return tuple(out)


def _width(spec: str, template: str) -> int:
    m = re.fullmatch(r"(?:0(\d{1,2}))?d?", spec)
    if not m or int(m.group(1) or 0) > MAX_SEQ_DIGITS:
        raise InputError(
            f"Serial Pattern {template!r}: write the number as {{seq}} or "
            f"zero-padded like {{seq:06d}} (at most {MAX_SEQ_DIGITS} digits)"
        )
    return int(m.group(1) or 0)


@lru_cache(maxsize=64)
def _shape_regex(
    before: tuple[str, ...], after: tuple[str, ...], width: int, has_check: bool, prefix: str | None
) -> re.Pattern[str]:
    any_prefix = "[A-Z]{1,8}"

    def lit(pieces: tuple[str, ...]) -> str:
        return "".join(
            (re.escape(prefix) if prefix else any_prefix) if p == PREFIX_FIELD else re.escape(p)
            for p in pieces
        )

    most = MAX_SEQ_DIGITS
    number = (
        f"\\d{{{width}}}|[1-9]\\d{{{width},{most - 1}}}" if width else f"0|[1-9]\\d{{0,{most - 1}}}"
    )
    check = "(?P<check>[0-9A-Z])" if has_check else ""
    return re.compile(f"{lit(before)}(?P<seq>{number}){lit(after)}{check}")


# --- checking -----------------------------------------------------------------------------


def serial_issue(serial: Any, settings_or_pattern: Any) -> tuple[str, str] | None:
    """(what is wrong, the fix) for a typed serial, or None when it is fine."""
    pattern = SerialPattern.of(settings_or_pattern)
    text = normalize_serial(serial)
    if not text:
        return "the serial is blank", "type or scan the serial from the piece's tag"
    if not pattern.regex(None).fullmatch(text):
        return (
            f"{text} does not fit the serial pattern {pattern.template} (like {pattern.example})",
            "retype it from the tag; an old tag that does not fit gets a new serial "
            "(leave Serial blank on Receiving)",
        )
    if pattern.has_check and check_state(text) != 0:
        return (
            f"{text} fails its check character: one character is wrong or two are swapped",
            "rescan the tag or retype the serial",
        )
    return None


def check_serial(serial: Any, settings_or_pattern: Any) -> str | None:
    """None when `serial` is fine, else one sentence: what is wrong; how to fix it."""
    issue = serial_issue(serial, settings_or_pattern)
    return None if issue is None else f"{issue[0]}; {issue[1]}"


def check_serials(serials: Iterable[Any], settings_or_pattern: Any) -> pd.Series:
    """`check_serial` over a whole column, vectorized: None where fine, else the message."""
    pattern = SerialPattern.of(settings_or_pattern)
    text = normalize_serials(serials)
    fits = text.str.fullmatch(pattern.regex(None).pattern).fillna(False).to_numpy(bool)
    bad_check = np.zeros(len(text), dtype=bool)
    if pattern.has_check:
        bad_check[fits] = _check_states(text[fits]) != 0
    out = pd.Series([None] * len(text), index=text.index, dtype=object)
    for i in np.flatnonzero(~fits | bad_check):  # only the bad ones, usually few
        out.iloc[i] = check_serial(text.iloc[i], pattern)
    return out


# --- fresh serials ------------------------------------------------------------------------


def highest_seq(settings_or_pattern: Any, seen: Iterable[Any]) -> int:
    """The highest number used by any serial of the current prefix in `seen` (0 if none).

    A serial counts whether or not its check character is right: its number is taken.
    """
    pattern = SerialPattern.of(settings_or_pattern)
    text = normalize_serials(seen)
    numbers = text.str.extract(f"^(?:{pattern.regex(pattern.prefix).pattern})$")["seq"]
    top = pd.to_numeric(numbers, errors="coerce").max()
    return 0 if pd.isna(top) else int(top)


def next_serial(settings_or_pattern: Any, seen: Iterable[Any], count: int = 1) -> list[str]:
    """`count` fresh serials numbered after the highest ever seen for the current prefix.

    `seen`: every serial anywhere in the book (Items, Ledger, Receiving). Numbers are never
    handed out twice: a gap left by a deleted or sold serial stays a gap.
    """
    if count < 0:
        raise ValueError(f"cannot make {count} serials")
    pattern = SerialPattern.of(settings_or_pattern)
    start = highest_seq(pattern, seen) + 1
    return [pattern.format(seq) for seq in range(start, start + count)]


# --- clones and splits --------------------------------------------------------------------

CLEARED_ON_COPY = ("Status", "Ledger Ref", "Sold Date", "Sold Price")


def clone_rows(
    row: dict,
    count: int,
    serials: Sequence[str],
    *,
    serial_key: str = "Serial",
    clear: Iterable[str] = CLEARED_ON_COPY,
) -> list[dict]:
    """`count` copies of `row` (same attributes), each under its own fresh serial.

    What belonged to the original's posting or sale (Status, Ledger Ref, Sold Date, Sold
    Price) is left blank on the copies. The original row itself is not in the result.
    """
    if len(serials) != count:
        raise ValueError(f"{count} clones need {count} serials, got {len(serials)}")
    blank = {key: None for key in clear if key in row}
    return [{**row, **blank, serial_key: serial} for serial in serials]


def split_receiving_row(
    row: dict, serials: Sequence[str], *, qty_key: str = "Qty", serial_key: str = "Serial"
) -> list[dict]:
    """A Receiving row of Qty N for a serialized style -> N rows of Qty 1, one per piece.

    A serial already typed on the row goes to the first piece; `serials` (fresh, from
    `next_serial`) go to the others, so it holds N - 1 of them then, N otherwise.
    """
    qty = _whole_qty(row.get(qty_key))
    typed = normalize_serial(row.get(serial_key))
    pieces = [typed, *serials] if typed else list(serials)
    if len(pieces) != qty:
        raise ValueError(
            f"a row of Qty {qty} needs {qty - (len(pieces) - len(serials))} "
            f"fresh serials, got {len(serials)}"
        )
    blank = {"Status": None} if "Status" in row else {}
    return [{**row, **blank, qty_key: 1, serial_key: serial} for serial in pieces]


def _whole_qty(value: Any) -> int:
    try:
        qty = float(value)
    except (TypeError, ValueError):
        raise InputError(f"Qty {value!r} is not a number of pieces") from None
    if not qty.is_integer() or qty < 1:
        raise InputError(f"Qty {value!r} is not a whole number of pieces of at least 1")
    return int(qty)


def misscanned(codes: pd.Series, settings_or_pattern: Any) -> np.ndarray:
    """True where a normalized code has the shape of a Loupe serial but fails its check
    character: a misscan or a mistyped tag. Vectorized (one numpy step per position)."""
    pattern = SerialPattern.of(settings_or_pattern)
    text = pd.Series(codes, dtype=object).reset_index(drop=True)
    out = np.zeros(len(text), dtype=bool)
    if not pattern.has_check or not len(text):
        return out
    fits = text.str.fullmatch(pattern.regex(None).pattern).fillna(False).to_numpy(bool)
    out[fits] = _check_states(text[fits]) != 0
    return out
