"""The shop as posting sees it: settings, styles, the ledger, and stock as of now.

`Shop` is built once per button press from what the workbook holds. `Stock` is the
running picture a posting batch checks and updates row by row (so two rows selling one
serial cannot both pass); it starts from the ledger's figures, computed in one pass.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from addin.core import costing, ledger
from addin.core.ledger import EntryKind, closes
from addin.core.posting.stock_dates import PieceMoves, Spare, StockDates, piece_key
from addin.core.rows.models import Style, style_key
from addin.core.rows.serials import normalize_serial
from addin.core.rows.settings import Settings


class OpenSales(dict):
    """A Stock copy's open sales (key -> [[entry, qty left, customer, price], ...]): each
    key's sales are copied the first time the copy asks for them, so drafting changes the
    copy's and never the sales it was copied from, and a copy costs the keys drafted, not
    every sale the Ledger holds open."""

    def __init__(self, shared: dict[str, list[list]]):
        super().__init__(shared)
        self._own: set[str] = set()

    def _mine(self, key: str) -> None:
        if key not in self._own:
            self._own.add(key)
            if dict.__contains__(self, key):
                dict.__setitem__(self, key, [list(s) for s in dict.__getitem__(self, key)])

    def __getitem__(self, key: str) -> list[list]:
        self._mine(key)
        return dict.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self._mine(key)
        return dict.get(self, key, default)

    def setdefault(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self._mine(key)
        return dict.setdefault(self, key, default)

    def values(self) -> Any:  # type: ignore[override]
        for key in list(self):
            self._mine(key)
        return dict.values(self)

    def items(self) -> Any:  # type: ignore[override]
        for key in list(self):
            self._mine(key)
        return dict.items(self)


@dataclass
class Stock:
    """Running stock during one posting batch."""

    qty: dict[tuple[str, str], int]  # (style key, location) -> quantity on hand
    where: dict[str, str]  # serial -> location, for serials in stock (memo-out included)
    serial_style: dict[str, str]  # serial -> style key, for every serial ever seen
    seen: set[str]  # every serial ever used anywhere: never handed out again
    consigned: set[str] = field(default_factory=set)  # serials in stock on memo-in terms
    received: dict[str, dt.date] = field(default_factory=dict)  # serial -> receipt date
    sales: dict[str, list[list]] = field(default_factory=dict)
    # style key -> [[sale entry, qty not yet returned, customer, unit price, sale date]],
    # oldest first; a serialized piece's sale is kept under "#" + serial
    dates: StockDates = field(default_factory=lambda: StockDates({}, {}, {}))
    # quantity styles' stock over time, for rows checked as of their own date
    memo_front: dict[tuple[str, str], int] = field(default_factory=dict)
    # (style key, location) -> consigned (memo-in) units at the head of the FIFO queue:
    # what a quantity Memo Return can send back without taking owned stock
    receipt_left: dict[int, int] = field(default_factory=dict)
    # receipt entry -> its units still on hand where it came in (quantity styles)
    pieces: PieceMoves | None = None  # serialized pieces' posted moves, for as-of checks
    pieces_read: dict[str, dt.date | None] = field(default_factory=dict)
    # pieces whose moves are in `dates` -> the date of the first of them (None: no move)

    def copy(self) -> Stock:
        """A batch's own running copy: drafting mutates it, the shop's stays as read.

        Every dict and set is copied, and each open-sale list the copy is first asked for
        (`OpenSales`); the arrays of stock over time are shared (drafting adds to
        `dates.drafted`, never writes into an array), and so are the pieces' moves (never
        changed once built). So a copy costs the pieces and styles known, not the Ledger's
        rows. Anything else is copied deep, as it always was."""
        values: dict[str, object] = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if f.name == "sales":
                v = OpenSales(v)
            elif isinstance(v, StockDates):
                v = StockDates(dict(v.days), dict(v.balance), dict(v.entry),
                               {k: list(d) for k, d in v.drafted.items()})
            elif isinstance(v, dict | set) and all(
                    isinstance(x, str | int | tuple | dt.date | None)
                    for x in (v.values() if isinstance(v, dict) else ())):
                v = copy.copy(v)
            elif not isinstance(v, PieceMoves):
                v = copy.deepcopy(v)
            values[f.name] = v
        return Stock(**values)  # type: ignore[arg-type]

    def on_hand(self, style: str, location: str, on: dt.date | None = None) -> int:
        """Units at `location` now, or at the end of day `on` (quantity styles)."""
        key = (style_key(style), location)
        return self.qty.get(key, 0) if on is None else self.dates.on(key, on)

    def spare(self, style: str, location: str, on: dt.date) -> Spare:
        """What a row dated `on` may take out without taking a later entry below zero."""
        return self.dates.spare((style_key(style), location), on)

    def move(self, style: str, location: str, delta: int, on: dt.date | None = None) -> None:
        """A drafted row moves `delta` units (on its date, when it has one)."""
        key = (style_key(style), location)
        self.qty[key] = self.qty.get(key, 0) + delta
        if delta < 0 and key in self.memo_front:  # FIFO: units leave from the head
            self.memo_front[key] = max(self.memo_front[key] + delta, 0)
        if on is not None:
            self.dates.draft(key, delta, on)

    def place(self, serial: str, location: str | None, on: dt.date | None = None) -> None:
        """A drafted row moves a serialized piece to `location` (None: out of stock) on its
        date: it leaves where it was and, from that date, is on hand at `location`."""
        was = self.where.pop(serial, None)
        if on is not None and was is not None:
            self.dates.draft(piece_key(serial, was), -1, on)
        if location is not None:
            self.where[serial] = location
            if on is not None:
                self.dates.draft(piece_key(serial, location), 1, on)

    def piece_spare(self, serial: str, location: str, on: dt.date) -> Spare:
        """Whether the piece was at `location` on `on` and may leave then without a later
        entry of it losing the piece (its sale, transfer or memo dated after `on`)."""
        self._read_piece(serial)
        return self.dates.spare(piece_key(serial, location), on)

    def piece_since(self, serial: str) -> dt.date | None:
        """The date of the piece's first posted move under its serial (None: none yet)."""
        self._read_piece(serial)
        return self.pieces_read.get(serial)

    def _read_piece(self, serial: str) -> None:
        if serial in self.pieces_read or self.pieces is None:
            return
        mine = self.pieces.dates_of(serial)
        self.dates.days.update(mine.days)
        self.dates.balance.update(mine.balance)
        self.dates.entry.update(mine.entry)
        firsts = [int(d[0]) for d in mine.days.values() if len(d)]
        self.pieces_read[serial] = (
            pd.Timestamp(np.datetime64(min(firsts), "D")).date() if firsts else None)

    def gone_by(self, serial: str) -> tuple[int, dt.date, str, str, str] | None:
        """(entry, date, kind, doc, party) of the posted entry that took the piece out of
        stock; None when the Ledger still has it (a row drafted above took it)."""
        return None if self.pieces is None else self.pieces.last_out(serial)

    def memo_at_front(self, style: str, location: str) -> int:
        """Consigned units next in line at `location`, before any owned unit."""
        return self.memo_front.get((style_key(style), location), 0)

    def carry_memo(self, style: str, origin: str, target: str, qty: int) -> None:
        """A move of `qty` units from `origin` into an empty `target` (call before moving):
        the consigned units among them stay at the head of the target's queue."""
        if self.on_hand(style, target) <= 0:
            self.memo_front[(style_key(style), target)] = min(
                self.memo_at_front(style, origin), qty)


@dataclass(frozen=True)
class Shop:
    """Everything a posting button needs to decide, read once from the book."""

    settings: Settings
    styles: dict[str, Style]  # style key -> its Styles row
    ledger: pd.DataFrame
    books: costing.Books
    stock: Stock
    now: dt.datetime
    awaited: frozenset[str] = frozenset()  # Items pieces cloned ahead, waiting for receipt
    book: str = "BOOK"  # the book's file name, for the `loupe` commands a message suggests

    @property
    def next_entry(self) -> int:
        return int(self.ledger["entry"].max()) + 1 if len(self.ledger) else 1

    def style(self, text: str) -> Style | None:
        return self.styles.get(style_key(text))

    @property
    def today(self) -> dt.date:
        return self.now.date()


def methods_of(styles: dict[str, Style], default: str = "FIFO") -> dict[str, str]:
    """Style code (as the ledger spells it) -> cost method, for the costing engine."""
    return {
        s.style: (getattr(s, "cost_method", "") or default) for s in styles.values()
    }


def shop_methods(styles: dict[str, Style], settings: Settings) -> dict[str, str]:
    """What the shop's Books are costed by: each style's cost method (`methods_of`)."""
    return methods_of(styles, getattr(settings, "default_cost_method", "FIFO"))


def open_shop(
    settings: Settings,
    styles: dict[str, Style],
    ledger_frame: pd.DataFrame,
    now: dt.datetime,
    other_serials: Iterable[str] = (),
    awaited: Iterable[str] = (),
    books: costing.Books | None = None,
) -> Shop:
    """Build the Shop for one button press: one costing pass over the whole ledger.

    `awaited`: serials of pieces made ahead on Items (Clone Rows, Status Not Received); a
    Receiving row may take one of them once, while the Ledger has never seen it.
    `books`: the Books of exactly this ledger by these styles' methods, when the caller
    has them (remembered from the press that left the ledger so); else costed here.
    """
    lf = ledger.normalize(ledger_frame)
    if books is None:
        books = costing.in_style_order(costing.book(lf, shop_methods(styles, settings)))
    stock = stock_of(lf, books, other_serials)
    waiting = frozenset(normalize_serial(s) for s in awaited if s) - set(stock.serial_style)
    return Shop(settings, styles, lf, books, stock, now, waiting)


def stock_of(lf: pd.DataFrame, books: costing.Books, other_serials: Iterable[str] = ()
             ) -> Stock:
    """Stock now, from the costing result and the ledger (vectorized per column)."""
    oh = books.on_hand
    qty_rows = oh[oh["serial"] == ""]
    keys = style_keys(qty_rows["style"])
    qty: dict[tuple[str, str], int] = defaultdict(int)
    for k, loc, q in zip(keys, qty_rows["location"].tolist(), qty_rows["qty"].tolist(),
                         strict=True):
        qty[(k, loc)] += int(q)
    ser = oh[(oh["serial"] != "") & (oh["qty"] > 0)]
    where = dict(zip(ser["serial"].tolist(), ser["location"].tolist(), strict=True))
    for k, loc in zip(style_keys(ser["style"]), ser["location"].tolist(), strict=True):
        qty[(k, loc)] += 1
    with_serial = lf[lf["serial"] != ""]
    serial_style = dict(zip(with_serial["serial"].tolist(), style_keys(with_serial["style"]),
                            strict=True))
    seen = set(serial_style) | {normalize_serial(s) for s in other_serials if s}
    lay = books.layers
    pieces = lay[lay["serial"] != ""]
    consigned = set(pieces.loc[~pieces["owned"], "serial"])
    received = dict(zip(pieces["serial"], pieces["received"].dt.date, strict=True))
    events = standing_events(lf)
    return Stock(dict(qty), where, serial_style, seen, consigned, received, open_sales(lf),
                 stock_dates(events), memo_front(lay), receipt_left(lay), piece_moves(events))


def receipt_left(layers: pd.DataFrame) -> dict[int, int]:
    """Per receipt entry of a quantity style: its units still on hand where it came in."""
    own = layers[(layers["serial"] == "") & (layers["origin"] == layers["arrived"])]
    return {int(e): int(q) for e, q in own.groupby("arrived")["qty"].sum().items()}


def memo_front(layers: pd.DataFrame) -> dict[tuple[str, str], int]:
    """Per (style key, location) of a quantity style: the consigned units queued before
    the first owned layer (layers come in queue order per group)."""
    lay = layers[layers["serial"] == ""]
    if lay.empty:
        return {}
    keys = [lay["style"].map(style_key), lay["location"]]
    owned_yet = lay["owned"].astype(bool).groupby(keys).cummax()
    front = lay["qty"].where(~owned_yet, 0).groupby(keys).sum()
    return {k: int(v) for k, v in front.items() if v > 0}


def standing_events(lf: pd.DataFrame) -> pd.DataFrame:
    """Ledger rows in the order of events, undone pairs out, each at its event date (a
    carried row at its close's), for the stock-over-time checks."""
    events = costing.in_event_order(lf)
    events = events[~costing.undone_pairs(events)]
    return events.assign(date=closes.event_dates(events).view("datetime64[ns]"))


def stock_dates(events: pd.DataFrame) -> StockDates:
    """Quantity styles' stock after every event (`standing_events`)."""
    events = events[(events["serial"] == "").to_numpy(bool)]
    keys = events["style"].astype(str).str.replace(r"\s+", "", regex=True).str.upper()
    return StockDates.of(events.assign(key=keys)[["key", "location", "date", "qty", "entry"]])


def piece_moves(events: pd.DataFrame) -> PieceMoves:
    """Serialized pieces' moves (`standing_events`)."""
    events = events[(events["serial"] != "").to_numpy(bool)]
    return PieceMoves.of(events[["serial", "location", "date", "qty", "entry", "kind", "doc",
                                 "party"]])


def open_sales(lf: pd.DataFrame) -> dict[str, list[list]]:
    """Sales not yet fully returned or reversed, per style key (and per '#serial').

    A return that was itself reversed gives its units back to the sale: they can be
    returned again."""
    lf = standing(lf)
    sales = lf[lf["kind"] == EntryKind.SALE]
    if sales.empty:
        return {}
    back = lf[lf["kind"].isin([EntryKind.RETURN, EntryKind.REVERSAL]) & (lf["reverses"] > 0)]
    returned = back.groupby("reverses")["qty"].sum()
    left = (-sales["qty"]) - sales["entry"].map(returned).fillna(0).astype("int64")
    open_ = sales.assign(left=left)[left > 0]
    out: dict[str, list[list]] = defaultdict(list)
    for e, k, ser, n, who, price, day in zip(
        open_["entry"].tolist(), style_keys(open_["style"]), open_["serial"].tolist(),
        open_["left"].tolist(), open_["party"].tolist(), open_["unit_price"].tolist(),
        open_["date"].dt.date.tolist(), strict=True
    ):
        out["#" + ser if ser else k].append([int(e), int(n), who, int(price), day])
    return dict(out)


def style_keys(styles: pd.Series) -> list[str]:
    """`style_key` of each of a column of style codes, worked out once per code."""
    codes = styles.tolist()
    key = {c: style_key(c) for c in set(codes)}
    return [key[c] for c in codes]


def standing(lf: pd.DataFrame) -> pd.DataFrame:
    """The ledger without entries undone by a reversal, and without those reversals."""
    rev = lf[lf["kind"] == EntryKind.REVERSAL]
    if rev.empty:
        return lf
    undone = set(rev["reverses"]) - set(rev["entry"])
    return lf[~lf["entry"].isin(undone) & ~lf["entry"].isin(
        rev.loc[rev["reverses"].isin(undone), "entry"])]
