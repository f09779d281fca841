"""What the reports are computed from, gathered once per refresh: `Facts`.

The ledger is cut at the as-of date (a report for the end of June leaves out July's
entries) and costed; styles become one frame keyed by `style_key`, so a ledger row that
spells a code with other case or spacing still finds its category and vendor. Memo due
dates come from the Movements rows whose Ledger Ref names the MEMO_OUT entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from addin.core import costing
from addin.core.money import SCALE, cents_series, is_whole_unit_cost, unit_cost_of, value_cents

NO_CATEGORY = "(no category)"
SLOW_DAYS = 180  # a style with stock and no sale for this many days is a slow mover
STYLE_FIELDS = (
    "style",
    "description",
    "category",
    "vendor",
    "vendor_style",
    "tracking",
    "retail_price",
    "reorder_point",
    "active",
)


@dataclass(frozen=True)
class Facts:
    """Everything the reports read: the ledger up to `as_of`, its Books, styles, settings."""

    ledger: pd.DataFrame
    books: costing.Books
    styles: pd.DataFrame  # style_frame(): one row per style key
    as_of: dt.date
    buckets: tuple[int, ...]  # Settings Ageing Buckets
    tiers: tuple  # Settings Markdown Tiers (settings.MarkdownTier)
    memo_due: pd.Series  # entry number -> due date (datetime64), for MEMO_OUT entries
    retail_by_serial: pd.Series  # serial -> retail price in cents (the Items sheet)
    slow_days: int = SLOW_DAYS


def facts_for(
    ledger: pd.DataFrame,
    methods: Mapping[str, str],
    styles: Iterable[Any],
    settings: Any,
    as_of: dt.date,
    memo_due: pd.Series | None = None,
    retail_by_serial: pd.Series | None = None,
    books: costing.Books | None = None,
) -> Facts:
    """Cut the ledger at `as_of`, cost it (reusing `books` when nothing was cut)."""
    kept, books = costing.book_as_of(ledger, methods, as_of, books)
    return Facts(
        ledger=kept,
        books=books,
        styles=style_frame(styles),
        as_of=as_of,
        buckets=tuple(settings.ageing_buckets),
        tiers=tuple(settings.markdown_tiers),
        memo_due=memo_due if memo_due is not None else pd.Series(dtype="datetime64[ns]"),
        retail_by_serial=(
            retail_by_serial if retail_by_serial is not None else pd.Series(dtype="Int64")
        ),
    )


def keys(styles: pd.Series) -> pd.Series:
    """Style codes as they compare: case and spaces do not matter (shop.style_key)."""
    return styles.astype(str).str.replace(r"\s+", "", regex=True).str.upper()


def style_frame(styles: Iterable) -> pd.DataFrame:
    """Style models (addin.core.rows.models.Style: snake_case fields, money in cents) -> a frame."""
    rows = [{f: getattr(s, f, None) for f in STYLE_FIELDS} for s in styles]
    frame = pd.DataFrame(rows, columns=list(STYLE_FIELDS))
    for col in ("style", "description", "category", "vendor", "vendor_style", "tracking"):
        frame[col] = frame[col].fillna("").astype(str)
    frame["category"] = frame["category"].where(frame["category"] != "", NO_CATEGORY)
    for col in ("retail_price", "reorder_point"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
    frame["active"] = frame["active"].map(_active).astype(bool)
    frame.insert(0, "key", keys(frame["style"]))
    return frame.drop_duplicates("key").reset_index(drop=True)


def _active(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "Yes").strip().casefold() not in ("no", "n", "false", "0")


def with_style(
    frame: pd.DataFrame,
    styles: pd.DataFrame,
    columns: tuple[str, ...] = ("description", "category", "vendor"),
) -> pd.DataFrame:
    """`frame` (with a `style` column) plus the named style fields; unknown styles blank."""
    facts = styles.set_index("key")[list(columns)]
    joined = facts.reindex(keys(frame["style"]).to_numpy())
    out = frame.reset_index(drop=True).copy()
    for col in columns:
        values = joined[col].to_numpy()
        if col == "category":
            values = pd.Series(values).fillna(NO_CATEGORY).to_numpy()
        elif facts[col].dtype == object or str(facts[col].dtype) in ("str", "string"):
            values = pd.Series(values).fillna("").to_numpy()
        out[col] = values
    return out


def received_from(books: costing.Books, ledger: pd.DataFrame) -> pd.Series:
    """Serial -> the vendor of each piece: the party of the entry its cost came from (its
    receipt, or for a piece made by Convert Style the receipt of its layer), "" when that
    entry names none. Items and every report that shows a piece's vendor read it here,
    falling back to the style's vendor when it is ""."""
    cols = ["serial", "origin"]
    took = books.consumed.loc[books.consumed["serial"] != "", cols]
    open_ = books.layers.loc[books.layers["serial"] != "", cols]
    origin = pd.concat([took, open_], ignore_index=True).groupby("serial").tail(1)
    party = ledger.drop_duplicates("entry").set_index("entry")["party"]
    named = origin["origin"].map(party).fillna("").astype(str).to_numpy()
    return pd.Series(named, index=origin["serial"].to_numpy(), dtype=object)


def with_piece_vendor(frame: pd.DataFrame, books: costing.Books, ledger: pd.DataFrame
                      ) -> pd.DataFrame:
    """`frame` (with `serial` and the style's `vendor`) with each piece's own vendor
    (`received_from`) where it has one."""
    mapped = frame["serial"].map(received_from(books, ledger)).to_numpy(dtype=object)
    own = pd.Series(mapped, dtype=object).fillna("").astype(str).to_numpy()
    out = frame.copy()
    out["vendor"] = np.where(own != "", own, frame["vendor"].to_numpy(dtype=object))
    return out


LEDGER_REF = r"^\s*E(\d+)(?:\s*-\s*E?(\d+))?\s*$"


def memo_due_dates(movements: pd.DataFrame) -> pd.Series:
    """Entry number -> Due Date, for every entry a posted Memo Out row's Ledger Ref names.

    `movements` is the typed Movements sheet (headers Kind, Due Date, Ledger Ref); a
    Ledger Ref reads ``E12`` or ``E12-E13``.
    """
    rows = movements[(movements["Kind"] == "Memo Out") & movements["Due Date"].notna()]
    found = rows["Ledger Ref"].astype(str).str.extract(LEDGER_REF)
    ok = found[0].notna().to_numpy()
    first = pd.to_numeric(found[0][ok]).to_numpy(np.int64)
    last = pd.to_numeric(found[1][ok].fillna(found[0][ok])).to_numpy(np.int64)
    span = np.maximum(last - first + 1, 1)
    entries = np.repeat(first, span) + (
        np.arange(span.sum()) - np.repeat(np.cumsum(span) - span, span)
    )
    due = np.repeat(rows["Due Date"].to_numpy()[ok], span)
    out = pd.Series(due, index=pd.Index(entries, name="entry"), dtype="datetime64[ns]")
    return out[~out.index.duplicated(keep="last")]


def retail_by_serial(items: pd.DataFrame) -> pd.Series:
    """Serial -> Retail Price in cents, from the typed Items sheet (pieces priced one by one)."""
    priced = items[items["Retail Price"].notna() & (items["Serial"] != "")]
    cents = cents_series(priced["Retail Price"]).astype("int64")
    out = pd.Series(cents.to_numpy(), index=priced["Serial"].to_numpy(), dtype="Int64")
    return out[~out.index.duplicated(keep="first")]


def money_text(cents: pd.Series) -> pd.Series:
    """Cents -> '1234.56' text, vectorized (for explanations written into one cell)."""
    c = cents.astype("int64")
    whole = (c.abs() // 100).astype(str)
    sign = np.where(c < 0, "-", "")
    return sign + whole + "." + (c.abs() % 100).astype(str).str.zfill(2)


def unit_cost_text(units: pd.Series) -> pd.Series:
    """Unit costs in ten-thousandths -> '0.125', '12.50' text (two decimals, up to 4 when
    the cost has them), vectorized."""
    u = units.astype("int64")
    cents, rest = np.divmod(u.abs(), 100)
    extra = rest.astype(str).str.zfill(2).str.rstrip("0").where(rest != 0, "")
    return money_text(cents * np.sign(u).where(u != 0, 1)) + extra


def exact_lines(pieces: pd.DataFrame, value: str) -> pd.DataFrame:
    """Pieces (qty, cents in column `value`) as lines whose Qty x Unit Cost is that value
    to the cent, unit_cost in ten-thousandths: a piece whose value per unit has at most 4
    decimals is one line at it (1,000 worth 125.00 -> 1,000 @ 0.125); any other piece of q
    units worth v cents (v = b*q + r, 0 < r < q) is r units at b+1 cents, then q-r at b."""
    qty = pieces["qty"].to_numpy(np.int64)
    cents = pieces[value].to_numpy(np.int64)
    q = np.maximum(qty, 1)
    per_cent = SCALE // 100
    exact = is_whole_unit_cost(cents, q)
    base, odd = np.divmod(cents, q)
    parts = np.stack([np.where(exact, qty, odd), np.where(exact, 0, qty - odd)], axis=1)
    units = np.stack([np.where(exact, unit_cost_of(cents, q), (base + 1) * per_cent),
                      base * per_cent], axis=1)
    keep = parts.ravel() > 0
    which = np.repeat(np.arange(len(pieces)), 2)[keep]
    n, unit = parts.ravel()[keep], units.ravel()[keep]
    line_cents = value_cents(n, unit)  # exact: every line is whole cents
    return pieces.iloc[which].assign(**{"qty": n, "unit_cost": unit, value: line_cents})


def lookup(keys: pd.Series, table: pd.Series) -> pd.Series:
    """table[key] for each key (missing keys blank), keeping the table's dtype even when
    either side is empty (Series.map loses a datetime dtype then)."""
    table = table[~table.index.duplicated(keep="last")]
    return pd.Series(table.reindex(keys.to_numpy()).to_numpy(), index=keys.index, dtype=table.dtype)


def days_between(earlier: pd.Series, day: dt.date) -> pd.Series:
    """Whole days from each date in `earlier` to `day` (NA where there is no date)."""
    return (pd.Timestamp(day) - pd.to_datetime(earlier)).dt.days.astype("Int64")
