"""The shop's Settings: the (Setting, Value) rows of the Settings sheet as one frozen model.

`Settings.parse` reads the rows as the sheet holds them (a value may be text, an Excel
number, TRUE/FALSE or a date) and never fails: a blank or missing setting takes its
default from `schema.DEFAULT_SETTINGS`; an unknown name, a repeated name or a value that
cannot be read becomes a `Problem` naming the Settings row and the fix, and that setting
keeps its default. Setting names match whatever their case and spacing.

The macros should show these problems and refuse to post while there are any: a default
standing in for a mistyped Serial Pattern would make serials the owner did not ask for.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from addin.core.errors import Problem
from addin.core.ledger import MEMO_PREFIX
from addin.core.rows.cost_code import cost_code_word
from addin.core.rows.serials import PREFIX_SHAPE, compile_pattern
from addin.core.rows.tag_layouts import LAYOUTS, layout_named
from addin.sheets.schema import COST_METHODS, DEFAULT_SETTINGS, SETTINGS

SHEET = SETTINGS.name
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's date numbers (1900 system)
DATE_NUMBERS = range(20000, 100000)  # Excel day numbers read as dates: 1954-09-28 .. 2173


class BadValue(ValueError):
    """A setting's value cannot be read: why, and what to type instead."""

    def __init__(self, reason: str, fix: str):
        super().__init__(reason)
        self.reason, self.fix = reason, fix


# --- reading one value --------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    return "" if value is None else str(value).strip()


def _store_name(value: Any) -> str:
    return _text(value)


def _serial_pattern(value: Any) -> str:
    text = _text(value)
    try:
        compile_pattern(text)
    except ValueError as exc:
        raise BadValue(str(exc), "write it like {prefix}-{seq:06d}{check}") from None
    return text


def _serial_prefix(value: Any) -> str:
    text = _text(value).upper()
    if not PREFIX_SHAPE.fullmatch(text):
        raise BadValue("a prefix is 1 to 8 letters A-Z", "type letters only, like LP")
    return text


def _whole_days(piece: str, fix: str) -> int:
    if not re.fullmatch(r"\d+(\.0+)?", piece) or int(float(piece)) < 1:
        raise BadValue(f"{piece!r} is not a whole number of days", fix)
    return int(float(piece))


def _rising(days: list[int], fix: str) -> None:
    if any(b <= a for a, b in zip(days, days[1:], strict=False)):
        raise BadValue("the days must go up from left to right", fix)


def _ageing_buckets(value: Any) -> tuple[int, ...]:
    fix = "type whole days, smallest first, separated by commas, like 90,180,365,730"
    days = [_whole_days(p.strip(), fix) for p in _text(value).split(",")]
    _rising(days, fix)
    return tuple(days)


class MarkdownTier(BaseModel):
    """From `days` of age on, suggest marking the retail price down by `fraction` (0.10)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    days: int
    fraction: Decimal

    @property
    def percent(self) -> Decimal:
        return self.fraction * 100


def _markdown_tiers(value: Any) -> tuple[MarkdownTier, ...]:
    fix = "type age:markdown pairs, youngest first, like 365:10%,540:20%,730:30%"
    tiers = []
    for piece in _text(value).split(","):
        days, sep, percent = piece.strip().partition(":")
        if not sep:
            raise BadValue(f"{piece.strip()!r} has no ':' between days and markdown", fix)
        try:
            share = Decimal(percent.strip().removesuffix("%").strip())
        except InvalidOperation:
            raise BadValue(f"{percent.strip()!r} is not a percentage", fix) from None
        if not 0 < share < 100:
            raise BadValue(f"a markdown of {percent.strip()} is not between 0% and 100%", fix)
        tiers.append(MarkdownTier(days=_whole_days(days.strip(), fix), fraction=share / 100))
    _rising([t.days for t in tiers], fix)
    return tuple(tiers)


def _cost_method(value: Any) -> str:
    for method in COST_METHODS:
        if _text(value).casefold() == method.casefold():
            return method
    raise BadValue("not a cost method", f"type {' or '.join(COST_METHODS)}")


def _locations(value: Any) -> tuple[str, ...]:
    fix = "type the places stock is kept, separated by commas; the first is the default"
    places = [p.strip() for p in _text(value).split(",") if p.strip()]
    folded = [p.casefold() for p in places]
    for i, place in enumerate(places):
        if folded.index(place.casefold()) != i:
            raise BadValue(f"{place!r} is listed twice", fix)
        if place.startswith(MEMO_PREFIX.strip()):
            raise BadValue(
                f"{place!r}: names starting with {MEMO_PREFIX.strip()!r} are kept "
                "for stock out on memo",
                fix,
            )
    if not places:
        raise BadValue("no location is named", fix)
    return tuple(places)


YES = ("yes", "y", "true", "1")
NO = ("no", "n", "false", "0")


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text in YES or text in NO:
        return text in YES
    raise BadValue("not Yes or No", "type Yes or No")


def _date(value: Any) -> dt.date:
    fix = "type a date, like 2024-12-31"
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float | int) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in DATE_NUMBERS:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise BadValue("a number, not a date", fix)
    text = _text(value)
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise BadValue("not a date Loupe can read", fix) from None


def _tag_layout(value: Any) -> str:
    try:
        return layout_named(_text(value)).name
    except ValueError as exc:
        raise BadValue(str(exc), f"type one of {', '.join(LAYOUTS)}") from None


def _cost_code(value: Any) -> str:
    try:
        return cost_code_word(_text(value))
    except ValueError as exc:
        raise BadValue(str(exc), "type a word of ten different letters, like BLACKHORSE, "
                       "or leave it blank") from None


def _currency(value: Any) -> str:
    text = _text(value).upper()
    if not re.fullmatch(r"[A-Z]{3}", text):
        raise BadValue("not a 3-letter currency code", "type a code like USD, EUR or GBP")
    return text


# Setting name (as the sheet spells it) -> (model field, reader). Order = the sheet's.
READERS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "Store Name": ("store_name", _store_name),
    "Serial Pattern": ("serial_pattern", _serial_pattern),
    "Serial Prefix": ("serial_prefix", _serial_prefix),
    "Ageing Buckets": ("ageing_buckets", _ageing_buckets),
    "Markdown Tiers": ("markdown_tiers", _markdown_tiers),
    "Default Cost Method": ("default_cost_method", _cost_method),
    "Locations": ("locations", _locations),
    "Allow Negative Stock": ("allow_negative_stock", _yes_no),
    "Report As Of": ("report_as_of", _date),
    "Shop Opened": ("shop_opened", _date),
    "Currency": ("currency", _currency),
    "Books Closed Through": ("closed_through", _date),
    "Tag Layout": ("tag_layout", _tag_layout),
    "Cost Code": ("cost_code", _cost_code),
}
ALIASES = {"aging buckets": "Ageing Buckets"}
assert tuple(READERS) == tuple(name for name, _, _ in DEFAULT_SETTINGS), "settings drifted"


def _blank(value: Any) -> bool:
    return _text(value) == "" if not isinstance(value, bool) else False


def _default(name: str) -> Any:
    text = next(value for n, value, _ in DEFAULT_SETTINGS if n == name)
    _, read = READERS[name]
    return None if text == "" else read(text)


def _setting_name(text: Any) -> str | None:
    """The known setting a typed name means (any case and spacing), None if unknown."""
    key = " ".join(_text(text).split()).casefold()
    key = ALIASES.get(key, key)
    return next((name for name in READERS if name.casefold() == key.casefold()), None)


# --- the model ----------------------------------------------------------------------------


class Settings(BaseModel):
    """The shop's settings, read and checked; `Settings()` holds the template's defaults."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    store_name: str = _default("Store Name")
    serial_pattern: str = _default("Serial Pattern")
    serial_prefix: str = _default("Serial Prefix")
    ageing_buckets: tuple[int, ...] = _default("Ageing Buckets")
    markdown_tiers: tuple[MarkdownTier, ...] = _default("Markdown Tiers")
    default_cost_method: Literal["FIFO", "Average"] = _default("Default Cost Method")
    locations: tuple[str, ...] = _default("Locations")
    allow_negative_stock: bool = _default("Allow Negative Stock")
    report_as_of: dt.date | None = _default("Report As Of")
    shop_opened: dt.date = _default("Shop Opened")
    currency: str = _default("Currency")
    closed_through: dt.date | None = _default("Books Closed Through")
    tag_layout: str = _default("Tag Layout")
    cost_code: str | None = None  # blank: tags print no cost

    @property
    def default_location(self) -> str:
        """Where stock goes when a row leaves Location blank: the first location."""
        return self.locations[0]

    def first_open_day(self) -> dt.date | None:
        """The first date rows may carry (the day after Books Closed Through), if closed."""
        return self.closed_through + dt.timedelta(days=1) if self.closed_through else None

    def as_of(self, today: dt.date) -> dt.date:
        """The day reports and ages are worked out for: Report As Of, or `today`."""
        return self.report_as_of or today

    @classmethod
    def parse(cls, pairs: Iterable[tuple[int, Any, Any]]) -> tuple[Settings, list[Problem]]:
        """(row number, Setting, Value) rows of the Settings sheet -> settings and problems."""
        typed, problems = _typed_rows(pairs)
        values: dict[str, Any] = {}
        for name, (field, read) in READERS.items():
            row, value = typed.get(name, (None, None))
            values[field] = _default(name)
            if _blank(value):
                continue
            try:
                values[field] = read(value)
            except BadValue as bad:
                problems.append(
                    Problem(
                        SHEET, row, "Value", f"{name} is {_text(value)!r}: {bad.reason}", bad.fix
                    )
                )
        settings = cls(**values)
        problems += _clashes(settings, typed)
        return settings, sorted(problems, key=lambda p: p.row or 0)


def _typed_rows(
    pairs: Iterable[tuple[int, Any, Any]],
) -> tuple[dict[str, tuple[int, Any]], list[Problem]]:
    """{setting name: (row, value)} for the known names typed, and problems with the rest."""
    typed: dict[str, tuple[int, Any]] = {}
    problems: list[Problem] = []
    for row, setting, value in pairs:
        name = _setting_name(setting)
        if name is None and _blank(setting):
            if not _blank(value):
                problems.append(
                    Problem(
                        SHEET,
                        row,
                        "Setting",
                        f"value {_text(value)!r} has no setting name",
                        "type the setting's name or delete the row",
                    )
                )
        elif name is None:
            problems.append(
                Problem(
                    SHEET,
                    row,
                    "Setting",
                    f"unknown setting {_text(setting)!r}",
                    f"check the spelling (known: {', '.join(READERS)}) or delete the row",
                )
            )
        elif name in typed:
            problems.append(
                Problem(
                    SHEET,
                    row,
                    "Setting",
                    f"{name} is set again (first on row {typed[name][0]}, which counts)",
                    "delete one of the two rows",
                )
            )
        else:
            typed[name] = (row, value)
    return typed, problems


def _clashes(settings: Settings, typed: dict[str, tuple[int, Any]]) -> list[Problem]:
    """Settings that are each fine but do not agree with one another."""
    as_of = settings.report_as_of
    if as_of is not None and as_of < settings.shop_opened:
        row = typed.get("Report As Of", (None, None))[0]
        return [
            Problem(
                SHEET,
                row,
                "Value",
                f"Report As Of {as_of:%Y-%m-%d} is before "
                f"Shop Opened {settings.shop_opened:%Y-%m-%d}",
                "fix the year, or clear Report As Of to report as of today",
            )
        ]
    return []
