"""What Loupe's worksheet functions answer, worked out from the Ledger: pure, no Excel.

`Answers` costs the ledger once with the engine the buttons use (`costing.book`) and
then answers each question from indexes built on first use, so thousands of cells cost
one costing pass and a dictionary look-up each. Money is in integer cents here; the
Excel layer (`addin.udfs.functions`) shows dollars.

The rules, in the shop's words:

- **On hand** counts units in the store: quantity units and serialized pieces, consigned
  (memo-in) stock included, stock out on memo ("Memo: <party>") left out unless that
  place is asked for by name.
- **FIFO cost of the next N units** adds up the open layers in the order FIFO takes them:
  the units that arrived first, across every place in the store unless one is named.
  A serial's cost is its own exact cost, while it is in stock.
- **Age** of a piece counts days from its receipt to its sale, or to the report date
  (Settings "Report As Of", else today) while unsold: the Items sheet's Age formula. A
  style's age is the quantity-weighted age of its open layers (the reports' figure).
- **Margin** of a serial is what its sale lines made (sales less returns, price less cost
  of goods); of a Doc, the margin of every sale and return line on that ticket.
- **Next serial** is the one a new piece would get now: after the highest ever used in
  the Ledger or typed on Items and Receiving, in the Settings pattern.
- **Layers** of a style list its open layers: place, receipt date, units, unit cost, age;
  every line multiplies out to its value (an average that does not divide evenly is two
  lines, as on the Cost Layers report).

A question the Ledger cannot answer raises `Unanswerable` with a sentence that says what
is wrong and what to type instead; the Excel layer shows it as ``#LOUPE: <sentence>``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from addin.core import costing
from addin.core.costing.figures import layer_ages, sale_lines
from addin.core.errors import LoupeError
from addin.core.ledger import is_memo_location
from addin.core.money import share
from addin.core.posting.shop import methods_of, style_key
from addin.core.reports import items
from addin.core.reports.report_facts import exact_lines
from addin.core.rows.serials import (
    SerialPattern,
    highest_seq,
    next_serial,
    normalize_serial,
    normalize_serials,
)

LAYER_HEADER = ["Location", "Received", "Qty", "Unit Cost", "Age (days)"]


class Unanswerable(LoupeError):
    """A worksheet function's question that the Ledger cannot answer (bad or unknown input)."""


def text_of(value: Any) -> str:
    """A cell argument as text: blank -> "", 1001.0 -> "1001", spaces trimmed."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def units_of(value: Any, default: int = 1) -> int:
    """A quantity argument: blank -> `default`; otherwise a whole number of at least 1."""
    if value is None or text_of(value) == "":
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Unanswerable(f"quantity {text_of(value)!r} is not a number; "
                           "give a whole number of units, like 3") from None
    if not number.is_integer() or number < 1:
        raise Unanswerable(f"quantity {text_of(value)} is not a whole number of units of at "
                           "least 1; give one like 3")
    return int(number)


@dataclass(frozen=True)
class _Queue:
    """Open layers of one style (at one place, or the whole store) in FIFO order."""

    qty: np.ndarray  # int64 units per layer
    value: np.ndarray  # int64 cents per layer

    def cost_of_first(self, n: int) -> int:
        """Exact cents of the first n units (n <= units held)."""
        units = np.cumsum(self.qty)
        cents = np.cumsum(self.value)
        whole = int(np.searchsorted(units, n, side="left"))  # the layer the n-th unit is in
        before_units = int(units[whole - 1]) if whole else 0
        before_cents = int(cents[whole - 1]) if whole else 0
        part = share(self.value[whole:whole + 1], np.array([n - before_units]),
                       self.qty[whole:whole + 1])
        return before_cents + int(part[0])


class Answers:
    """Every worksheet function's answer for one ledger (see the module docstring)."""

    def __init__(self, ledger: pd.DataFrame, styles: dict, settings, today: dt.date):
        self.ledger = ledger
        self.styles = styles  # style key -> addin.core.rows.models.Style
        self.settings = settings
        self.as_of = settings.as_of(today)
        self.books = costing.book(ledger, methods_of(styles, settings.default_cost_method))

    # -- the questions ---------------------------------------------------------------------

    def on_hand(self, style: Any, location: Any = None) -> int:
        """Units of `style` in the store (or at `location`, memo places included by name)."""
        key = self._style(style)
        place = self._place(location)
        held = self._on_hand.get(key, {})
        if place:
            return int(held.get(place, 0))
        return int(sum(q for loc, q in held.items() if not is_memo_location(loc)))

    def fifo_cost(self, style_or_serial: Any, qty: Any = None, location: Any = None) -> int:
        """Cents that the next `qty` units would cost, taken first in, first out."""
        n = units_of(qty)
        serial = self._serial(style_or_serial)
        if serial:
            return self._piece_cost(serial, n)
        key = self._style(style_or_serial)
        place = self._place(location)
        queue = self._queue(key, place)
        have = int(queue.qty.sum()) if queue else 0
        if n > have:
            at = f" at {place}" if place else " in the store"
            raise Unanswerable(f"only {have} of {self._code(key)} {_is_are(have)} in stock{at}; "
                               f"{n} asked")
        return queue.cost_of_first(n)

    def age(self, serial_or_style: Any) -> float:
        """Days a piece has been (or was) in stock, or a style's quantity-weighted layer age."""
        serial = self._serial(serial_or_style)
        if serial:
            return float(self._piece_age(serial))
        key = self._style(serial_or_style)
        if key not in self._style_age:
            raise Unanswerable(f"nothing of {self._code(key)} is in stock, so it has no age")
        return float(self._style_age[key])

    def margin(self, doc_or_serial: Any) -> int:
        """Cents a serial's sale lines, or a ticket's lines, made over their cost of goods."""
        text = text_of(doc_or_serial)
        if not text:
            raise Unanswerable("give a sale's Doc (ticket) or a piece's serial")
        serial = self._serial(text)
        by_serial, by_doc = self._margins
        if serial:
            if serial not in by_serial:
                raise Unanswerable(f"{serial} has not been sold, so it has no margin yet")
            return by_serial[serial]
        if _doc_key(text) not in by_doc:
            raise Unanswerable(f"no sale or return with Doc or serial {text!r} in the Ledger; "
                               "check the ticket number")
        return by_doc[_doc_key(text)]

    def next_serial(self, style: Any, also_seen: Iterable[str] = ()) -> str:
        """The serial the next piece of `style` would get (serialized styles only)."""
        key = self._style(style)
        known = self.styles.get(key)
        if known is not None and not known.serialized:
            raise Unanswerable(f"{known.style} is a Quantity style: its units carry no serials")
        return next_serial(self.settings, [*self._highest_serial, *also_seen], 1)[0]

    def layers(self, style: Any) -> list[list[Any]]:
        """A header row, then each open layer: place, received, units, unit cost, age."""
        key = self._style(style)
        if key not in self._layer_positions:
            raise Unanswerable(f"nothing of {self._code(key)} is in stock, so it has no layers")
        return [list(LAYER_HEADER), *self._layer_rows(key)]

    # -- reading the arguments -------------------------------------------------------------

    def _style(self, value: Any) -> str:
        text = text_of(value)
        if not text:
            raise Unanswerable("give a style code, like CH-301")
        key = style_key(text)
        if key not in self.styles and key not in self._ledger_styles:
            raise Unanswerable(f"no style {text!r} on the Styles sheet or in the Ledger; "
                               "check the code")
        return key

    def _serial(self, value: Any) -> str:
        """The normalized serial when `value` names a piece the Ledger knows, else ""."""
        text = normalize_serial(text_of(value))
        return text if text and text in self._pieces["status"] else ""

    def _place(self, value: Any) -> str:
        text = " ".join(text_of(value).split())
        if not text:
            return ""
        place = self._places.get(text.casefold())
        if place is None:
            raise Unanswerable(f"no location {text!r} in Settings or the Ledger; use one of "
                               f"{', '.join(self.settings.locations)}")
        return place

    def _code(self, key: str) -> str:
        style = self.styles.get(key)
        return style.style if style is not None else self._ledger_styles.get(key, key)

    # -- one piece -------------------------------------------------------------------------

    def _piece_cost(self, serial: str, n: int) -> int:
        if n != 1:
            raise Unanswerable(f"{serial} is one piece; leave the quantity blank or give 1")
        layer = self._open_pieces.get(serial)
        if layer is None:
            status = self._pieces["status"][serial]
            raise Unanswerable(f"{serial} is not in stock ({status}), so it has no cost to take")
        return int(layer)

    def _piece_age(self, serial: str) -> int:
        received = self._pieces["received"][serial]
        if pd.isna(received):
            raise Unanswerable(f"{serial} has no receipt date in the Ledger")
        sold = self._pieces["sold_date"][serial]
        end = self.as_of if pd.isna(sold) else pd.Timestamp(sold).date()
        return (end - pd.Timestamp(received).date()).days

    # -- indexes, built on first use --------------------------------------------------------

    @cached_property
    def _ledger_styles(self) -> dict[str, str]:
        codes = self.ledger["style"].drop_duplicates()
        return dict(zip(codes.map(style_key), codes, strict=True))

    @cached_property
    def _places(self) -> dict[str, str]:
        names = list(self.settings.locations) + list(self.ledger["location"].unique())
        return {" ".join(str(n).split()).casefold(): str(n) for n in names if n}

    @cached_property
    def _on_hand(self) -> dict[str, dict[str, int]]:
        """Style key -> place -> units (memo places included)."""
        oh = self.books.on_hand
        sums = oh["qty"].groupby([oh["style"].map(style_key), oh["location"]]).sum()
        out: dict[str, dict[str, int]] = {}
        for (key, loc), qty in sums.to_dict().items():
            out.setdefault(key, {})[loc] = int(qty)
        return out

    @cached_property
    def _fifo_layers(self) -> pd.DataFrame:
        """Open layers in FIFO order (arrival), style key added; memo-out stock left out."""
        lay = self.books.layers
        lay = lay[~lay["location"].map(is_memo_location).astype(bool)]
        lay = lay.assign(key=lay["style"].map(style_key))
        return lay.sort_values(["key", "arrived"], kind="stable").reset_index(drop=True)

    @cached_property
    def _fifo_positions(self) -> dict[tuple[str, str], np.ndarray]:
        """(style key, place or "" for the whole store) -> rows of `_fifo_layers`."""
        lay = self._fifo_layers
        store = {(k, ""): v for k, v in lay.groupby("key").indices.items()}
        return {**store, **lay.groupby(["key", "location"]).indices}

    def _queue(self, key: str, place: str) -> _Queue | None:
        at = self._fifo_positions.get((key, place))
        if at is None:
            return None
        qty, value = self._fifo_columns
        return _Queue(qty[at], value[at])

    @cached_property
    def _fifo_columns(self) -> tuple[np.ndarray, np.ndarray]:
        lay = self._fifo_layers
        return lay["qty"].to_numpy(np.int64), lay["value"].to_numpy(np.int64)

    @cached_property
    def _pieces(self) -> dict[str, dict[str, Any]]:
        """Column -> serial -> value: status, received and sold_date of every piece."""
        facts = items.pieces(self.ledger, self.books)
        facts.index = normalize_serials(facts["serial"]).to_numpy()
        return {c: facts[c].to_dict() for c in ("status", "received", "sold_date")}

    @cached_property
    def _open_pieces(self) -> dict[str, int]:
        lay = self.books.layers
        mine = lay[lay["serial"] != ""]
        return dict(zip(normalize_serials(mine["serial"]), mine["value"].astype(int),
                        strict=True))

    @cached_property
    def _aged_layers(self) -> pd.DataFrame:
        """Open layers with their ages, as lines whose Qty x Unit Cost is their value to the
        cent (a layer that does not divide evenly: two lines, the odd cents first)."""
        lay = exact_lines(layer_ages(self.books, self.as_of).layers, "value")
        lay = lay.assign(key=lay["style"].map(style_key))
        return lay.sort_values(["key", "location", "arrived"], kind="stable")

    @cached_property
    def _style_age(self) -> dict[str, float]:
        lay = self._aged_layers
        units = lay.groupby("key")["qty"].sum()
        days = (lay["qty"] * lay["age_days"]).groupby(lay["key"]).sum()
        return (days[units > 0] / units[units > 0]).astype(float).to_dict()

    @cached_property
    def _margins(self) -> tuple[dict[str, int], dict[str, int]]:
        """Margin in cents per sold serial and per Doc (sales less returns)."""
        lines = sale_lines(self.ledger, self.books)
        serials = normalize_serials(lines["serial"]).to_numpy()
        by_serial = lines["margin"].groupby(serials).sum()
        by_doc = lines["margin"].groupby(lines["doc"].map(_doc_key).to_numpy()).sum()
        by_serial, by_doc = by_serial.astype(int).to_dict(), by_doc.astype(int).to_dict()
        by_serial.pop("", None)
        by_doc.pop("", None)
        return by_serial, by_doc

    @cached_property
    def _highest_serial(self) -> list[str]:
        """The Ledger's highest serial of the current prefix, in the pattern (or none)."""
        top = highest_seq(self.settings, self.ledger["serial"][self.ledger["serial"] != ""])
        return [SerialPattern.of(self.settings).format(top)] if top else []

    @cached_property
    def _layer_positions(self) -> dict[str, np.ndarray]:
        return self._aged_layers.groupby("key").indices

    @cached_property
    def _layer_columns(self) -> list[np.ndarray]:
        """place, received (datetime or None), units, unit cost, age: one array each."""
        lay = self._aged_layers
        received = np.array(lay["received"].dt.to_pydatetime(), dtype=object)
        received[lay["received"].isna().to_numpy()] = None
        return [lay["location"].to_numpy(object), received,
                *(lay[c].to_numpy(np.int64) for c in ("qty", "unit_cost", "age_days"))]

    def _layer_rows(self, key: str) -> list[list[Any]]:
        """(place, received, units, unit cost, age) of one style, by place in FIFO order."""
        at = self._layer_positions[key]
        place, received, qty, cost, age = (c[at] for c in self._layer_columns)
        return [[p, r, int(q), int(c), int(a)]
                for p, r, q, c, a in zip(place, received, qty, cost, age, strict=True)]


def _doc_key(text: Any) -> str:
    return " ".join(text_of(text).split()).casefold()


def _is_are(n: int) -> str:
    return "is" if n == 1 else "are"
