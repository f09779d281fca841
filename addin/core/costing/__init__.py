"""The costing engine: cost layers, cost of goods and stock on hand, from the whole Ledger.

``book(ledger, methods) -> Books`` recomputes everything from the ledger frame (see
`addin.core.ledger`) in one vectorized pass; nothing is carried between runs. `methods`
maps a style to ``"FIFO"`` or ``"Average"`` (case ignored); styles not named are FIFO;
a style the ledger has METHOD entries for is costed by those instead.

What the engine guarantees (tests/core/test_costing_*.py check every point):

- **Groups.** Stock is kept per (style, location, serial). Quantity styles have serial
  ""; a serialized piece is its own group, one layer of 1 at its exact cost. Stock out on
  memo sits at location "Memo: <party>": owned, counted in owned value, not in the store
  (`Books.on_hand` lists it under that memo location; leave those rows out for "in the
  store" figures).
- **Own-cost receipts** make a layer at their Unit Cost (kept as typed, to 4 decimals),
  worth Qty x Unit Cost rounded half up to the cent once, at receipt (1,000 @ 0.125 =
  125.00); every later cut of a layer splits that exact value: RECEIPT (owned), MEMO_IN (not
  owned: on hand, out of owned value, costed only when sold), ADJUST with qty > 0 (a
  count surplus; counts never flatten layers), OPENING (stock the shop had before Loupe,
  dated with its original receipt date). Any other in-coming row that names no
  earlier out-going entry in Reverses is treated the same way.
- **Derived receipts** have no cost of their own: a RETURN (Reverses = its SALE), the
  in-half of a TRANSFER / MEMO_OUT / MEMO_BACK / CONVERT (Reverses = its out-half) and the
  REVERSAL of an out-going entry take over, unit by unit and in order, the pieces their
  source consumed: cost, receipt date, origin and ownership. Several derived rows naming
  one source (partial returns of a sale, the in-halves of one out-half) take consecutive
  unit ranges of it, in the order of events; a REVERSAL always takes back everything, from the
  first unit. Units asked beyond what the source took are booked at the row's own Unit
  Cost (origin = that row).
- **FIFO.** Out-going rows (sales, vendor and memo returns, shortages, out-halves) take
  their group's units first in, first out, in arrival order at that place: a returned or
  transferred-in layer queues behind the stock already there but keeps its receipt date.
- **Vendor returns against a receipt.** A VENDOR_RETURN whose Reverses names an earlier
  own-cost receipt of its group (FIFO groups) takes that receipt's last units at that
  receipt's cost, as though the receipt had come in that many units short; one asking
  more than the receipt brought takes the oldest units like any out-going row.
- **Reversals.** The REVERSAL of an in-coming entry takes away exactly that entry's layer
  (posting only allows it while the layer is untouched); both rows are then left out of
  their group's queue, and, for Average groups, out of the average, as though the
  receipt had never been made. The REVERSAL of an out-going entry is a derived receipt:
  it restores exactly the layers that entry consumed.
- **Negative stock** (only if the shop allows it). FIFO and Average alike: the k-th unit
  out of a group is always its k-th unit in, so a sale made before its stock arrived is
  costed by the in-coming row that later covers it; units beyond everything the group ever
  received are costed at the last known unit cost (FIFO: of its last layer; Average: of
  the pool, see `addin.core.costing.average`; 0 if it never had one), with origin 0 and no
  receipt date, and `Books.short` holds minus their cost. A cycle (a sale taking units
  received after it, then returned) is broken by booking that return at its own Unit
  Cost. The engine never raises on such a ledger.
- **Method changes.** A METHOD entry changes its style's method from its place in the
  order of events; the style's quantity stock at each location is carried across at its
  exact value, and entries before it keep their cost (`method_changes`). A style with
  METHOD entries is costed by them, whatever `methods` says.
- **Moving average** (style method Average, quantity groups only; serialized pieces of
  such a style stay exact): see `addin.core.costing.average`. Derived receipts into an Average
  group enter at the cost their source took. The average covers owned units only: memo
  (consigned) units keep their own cost. Layers of an Average group still carry the FIFO
  receipt dates (for ageing); owned ones share the group's value by units.
- **Exact money.** Costs are int64 cents. A piece of n units costing c is cut into runs
  by round-half-up(c * k / n) differences, so parts always add up to the whole.
- **Invariants.** cost in of own-cost receipts = sum of `cogs` (every out-going row,
  including reversals of receipts) - sum of `cost_in` of derived receipts + value of the
  open `layers` + value of the groups `short`, to the cent; on hand = in - out per
  group; reversing everything leaves no stock.

This package is costing: the engine here; `cost_routes` and `cost_flow` (who takes
which units, then what they cost), `layer_pieces`, `average` (moving average),
`method_changes` (a style's method changing from a date: METHOD entries) and `figures`
(read-outs of the Books). It may import `addin.core.ledger`,
`addin.core.errors`, `addin.core.money` and `addin.sheets`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from addin.core.costing import cost_flow, method_changes
from addin.core.costing.average import spread, units_per_run
from addin.core.costing.cost_routes import (
    DERIVED,
    KINDS,
    OUT,
    OWN,
    OWN_COST_KINDS,
    REMOVE,
    TRIM,
    LedgerArrays,
    Routes,
    plan,
    sum_by,
)
from addin.core.costing.layer_pieces import PieceBook, Pieces, explode
from addin.core.ledger import EntryKind, closes
from addin.core.money import unit_cost_of, value_cents

LAYER_COLUMNS = ("style", "location", "serial", "origin", "received", "qty", "unit_cost",
                 "value", "owned", "arrived", "pooled", "cut_at", "cut_whole",
                 "cut_whole_value")
CONSUMED_COLUMNS = ("entry", "kind", "style", "location", "serial", "origin", "received",
                    "qty", "unit_cost", "cost", "owned")


@dataclass(frozen=True)
class Books:
    """What the ledger says about stock and cost, all money in int64 cents but unit costs,
    which are in ten-thousandths of a dollar, as the ledger frame's.

    layers    open layers in queue order per group (next to be taken first): style,
              location, serial, origin (entry no. of the receipt that gave the cost),
              received (its date), qty (> 0), unit_cost (value / qty rounded to the
              ten-thousandth; for Average groups the average), value (exact cents),
              owned (False for memo-in stock), arrived (entry no. of the in-coming row
              that put the layer at this location), pooled (an Average group's owned
              layer: its value is a share of the group's); cut_at, cut_whole,
              cut_whole_value: the stored cost piece the layer's units are cut from (its
              units before them, its units, its cents), so that a close can carry each
              unit's exact cost (a pooled layer: the layer itself)
    consumed  "COGS explain": one row per (out-going entry, piece it took): entry, kind,
              style, location, serial, origin, received, qty (> 0), unit_cost (rounded,
              as the layers'), cost (exact cents),
              owned; origin 0 and no date for units nobody received (negative stock)
    cogs      per out-going entry (index = entry): the cost that left stock with it
    on_hand   style, location, serial, qty: nonzero rows only, memo locations included
    cost_in   per in-coming entry (index = entry): the cost it brought onto the books
    owned_in  per in-coming entry: the part of cost_in that is owned (not memo) stock
    cost_of_goods  per entry (every one): the cost it took out of stock (+) or brought
              back (-, returns, in-halves, reversals of sales); own-cost receipts 0, their
              cost is Qty x Unit Cost. What the Ledger's Cost of Goods column must sum to.
    short     groups below zero (negative stock): style, location, serial, qty (< 0) and
              value: minus the cost its uncovered units went out at (units no stock has
              covered yet), so that cost in = cost of goods + layers + short, to the cent
    """

    layers: pd.DataFrame
    consumed: pd.DataFrame
    cogs: pd.Series
    on_hand: pd.DataFrame
    cost_in: pd.Series
    owned_in: pd.Series
    cost_of_goods: pd.Series  # per entry (all of them): signed, as the Ledger's column
    short: pd.DataFrame  # groups below zero: style, location, serial, qty (< 0), value
    waves: int = 0  # how many waves the cost flow took (a diagnostic for benchmarks)


def book(ledger: pd.DataFrame, methods: Mapping[str, str] | pd.Series) -> Books:
    """Cost the whole ledger: open layers, cost of goods per entry, stock on hand."""
    everything = ledger.reset_index(drop=True)
    undone = undone_pairs(everything)
    order = event_order(everything)
    changes = method_changes.carry(everything, order[~undone[order]] if undone.any() else order)
    lf = _Events(changes.frame, changes.at)
    led, names = _arrays(lf, methods, changes)
    routes = plan(led)
    flow = cost_flow.run(led, routes)
    goes = (routes.role == OUT) | (routes.role == REMOVE) | (routes.role == TRIM)
    comes = (routes.role == OWN) | (routes.role == DERIVED)
    signed = np.where(goes, flow.row_cost, 0) - np.where(routes.role == DERIVED, flow.row_cost, 0)
    by_entry = _ByEntry(led.entry)
    books = Books(
        layers=_layers(lf, led, routes, flow),
        consumed=_consumed(lf, led, np.flatnonzero(goes), flow.pieces),
        cogs=by_entry.series(flow.row_cost, goes, "cogs"),
        on_hand=_on_hand(led, names),
        cost_in=by_entry.series(flow.row_cost, comes, "cost_in"),
        owned_in=by_entry.series(flow.owned_cost, comes, "owned_in"),
        cost_of_goods=_with_undone(by_entry.series(signed, None, "cost_of_goods"),
                                   everything, undone),
        short=_short(lf, led, routes, flow, goes, comes),
        waves=flow.waves,
    )
    return _without_carry_rows(books, changes) if changes.last_entry else books


def in_style_order(books: Books) -> Books:
    """The same Books with the rows of each frame grouped by style (as spelled, in sorted
    order), each style's rows in the order they had (a group's layers stay in queue order).

    The one order of the Books a press works from, however they were found: costing the
    whole Ledger orders the styles by where they first appear, `rebook` puts the styles it
    costed again after the others, and remembered Books are kept as a press left them; in
    this order all three are the same rows in the same places."""
    def ordered(frame: pd.DataFrame) -> pd.DataFrame:
        at = np.argsort(frame["style"].to_numpy(object), kind="stable")
        if (at == np.arange(len(at))).all():
            return frame.reset_index(drop=True)
        return frame.iloc[at].reset_index(drop=True)

    return dataclasses.replace(
        books, layers=ordered(books.layers), consumed=ordered(books.consumed),
        on_hand=ordered(books.on_hand), short=ordered(books.short))


def book_as_of(ledger: pd.DataFrame, methods: Mapping[str, str], day: dt.date,
               books: Books | None = None) -> tuple[pd.DataFrame, Books]:
    """The ledger as of `day` (entries dated after it left out) and its Books: what every
    report as of a day is worked out from. A style whose cost method changes after `day`
    is costed by the method in force on `day` (its first METHOD entry's old method), not
    by the one the Styles sheet names now. `books`: the whole ledger's, reused when nothing
    is left out."""
    kept = ledger[ledger["date"] <= pd.Timestamp(day)].reset_index(drop=True)
    if books is not None and len(kept) == len(ledger):
        return kept, books
    return kept, book(kept, method_changes.before_changes(ledger, methods))


def _without_carry_rows(books: Books, changes: method_changes.Carried) -> Books:
    """The Books as the Ledger has them: the pairs that carry stock across a method change
    are the engine's own; a layer they carried arrived with its METHOD entry."""
    last = changes.last_entry

    def kept(s: pd.Series) -> pd.Series:
        return s[s.index <= last]

    layers = books.layers.copy()
    carried = layers["arrived"].to_numpy(np.int64) > last
    if carried.any() and changes.marker is not None:
        at = layers.loc[carried, "arrived"].to_numpy(np.int64) - last - 1
        layers.loc[carried, "arrived"] = changes.marker[at]
    oh = books.on_hand.groupby(["style", "location", "serial"], as_index=False, sort=False)
    on_hand = oh["qty"].sum()
    return Books(
        layers=layers,
        consumed=books.consumed[books.consumed["entry"] <= last].reset_index(drop=True),
        cogs=kept(books.cogs),
        on_hand=on_hand[on_hand["qty"] != 0].reset_index(drop=True),
        short=books.short,
        cost_in=kept(books.cost_in),
        owned_in=kept(books.owned_in),
        cost_of_goods=kept(books.cost_of_goods),
        waves=books.waves,
    )


class _ByEntry:
    """Per-entry figures indexed by entry number, ascending (readers look entries up);
    the rows are in the order of events, so they are sorted once for every figure."""

    def __init__(self, entry: np.ndarray):
        self.entry = entry
        self.order = np.argsort(entry, kind="stable")

    def series(self, values: np.ndarray, rows: np.ndarray | None, name: str) -> pd.Series:
        at = self.order if rows is None else self.order[rows[self.order]]
        return pd.Series(values[at], index=pd.Index(self.entry[at], name="entry"), name=name)


def event_order(ledger: pd.DataFrame) -> np.ndarray:
    """Row positions of the ledger in the one order of events: by Date, ties by Entry
    (entries a period close carried sort on its date: `ledger.closes.event_dates`)."""
    date = closes.event_dates(ledger)
    entry = ledger["entry"].to_numpy(np.int64)
    if (np.diff(date) >= 0).all() and (np.diff(entry) > 0).all():
        return np.arange(len(entry))
    return np.lexsort((entry, date))


def in_event_order(ledger: pd.DataFrame) -> pd.DataFrame:
    """The ledger in the one order of events: by Date, ties by Entry."""
    order = event_order(ledger)
    if (order == np.arange(len(order))).all():
        return ledger.reset_index(drop=True)
    return ledger.iloc[order].reset_index(drop=True)


@dataclass(frozen=True)
class _Events:
    """Ledger rows in the order of events (undone pairs left out), without copying the
    frame: `at` are the positions of its rows, in that order."""

    frame: pd.DataFrame
    at: np.ndarray

    def numbers(self, column: str, dtype: object) -> np.ndarray:
        return self.frame[column].to_numpy(dtype)[self.at]

    def take(self, column: str, rows: np.ndarray) -> object:
        return self.frame[column].array.take(self.at[rows])


def undone_pairs(lf: pd.DataFrame) -> np.ndarray:
    """Rows of entries undone by a REVERSAL dated on their own date, and those reversals.

    Such a pair is left out of costing altogether: every later figure is as though the
    mistake had never been made (queue places, averages, ages).
    """
    reversal = (lf["kind"] == EntryKind.REVERSAL.value).to_numpy(bool)
    if not reversal.any():
        return np.zeros(len(lf), bool)
    entry = lf["entry"].to_numpy(np.int64)
    date = lf["date"].to_numpy("datetime64[ns]")
    by_entry = np.argsort(entry, kind="stable")
    rev = np.flatnonzero(reversal)
    target = lf["reverses"].to_numpy(np.int64)[rev]
    at = np.minimum(np.searchsorted(entry[by_entry], target), len(entry) - 1)
    src = by_entry[at]
    pair = (entry[src] == target) & (date[src] == date[rev]) & ~reversal[src]
    out = np.zeros(len(lf), bool)
    out[rev[pair]] = True
    out[src[pair]] = True
    return out


def _with_undone(signed: pd.Series, lf: pd.DataFrame, undone: np.ndarray) -> pd.Series:
    """Every entry's cost of goods: an undone pair nets to zero, and the reversal of an
    own-cost receipt takes that receipt's cost (Qty x Unit Cost) back off the books."""
    if not undone.any():
        return signed
    gone = lf[undone]
    is_rev = (gone["kind"] == EntryKind.REVERSAL.value).to_numpy(bool)
    cost = pd.Series(0, index=pd.Index(gone["entry"].to_numpy(np.int64), name="entry"),
                     dtype="int64", name="cost_of_goods")
    src = gone[~is_rev].set_index("entry")
    own = src["kind"].isin([k.value for k in OWN_COST_KINDS]) & (src["qty"] > 0)
    receipt_cost = pd.Series(value_cents(src["qty"].to_numpy(np.int64),
                                         src["unit_cost"].to_numpy(np.int64)),
                             index=src.index).where(own, 0)
    revs = gone[is_rev]
    cost.loc[revs["entry"].to_numpy(np.int64)] = (
        revs["reverses"].map(receipt_cost).fillna(0).astype("int64").to_numpy())
    return pd.concat([signed, cost]).sort_index()


@dataclass(frozen=True)
class _GroupNames:
    style: np.ndarray
    location: np.ndarray
    serial: np.ndarray


def _arrays(lf: _Events, methods: Mapping[str, str],
            changes: method_changes.Carried) -> tuple[LedgerArrays, _GroupNames]:
    """The ledger frame as the engine's arrays, and the names of each group (a style's
    quantity stock is a new group after each change of its cost method)."""
    style, styles = pd.factorize(lf.frame["style"])
    place, places = pd.factorize(lf.frame["location"])
    serial, serials = _serial_codes(lf.frame["serial"])
    style, place, serial = style[lf.at], place[lf.at], serial[lf.at]
    n_place, n_serial = max(len(places), 1), max(len(serials), 1)
    n_epoch = int(changes.epoch.max()) + 1 if len(changes.epoch) else 1
    key = ((style.astype(np.int64) * n_place + place) * n_serial + serial) * n_epoch
    group, keys = pd.factorize(key + changes.epoch)
    keys, g_epoch = keys // n_epoch, keys % n_epoch
    span = n_place * n_serial
    g_style, g_place, g_serial = keys // span, keys // n_serial % n_place, keys % n_serial
    named_average = _average_styles(methods)
    average_style = np.array([s in named_average for s in styles], dtype=bool)[g_style]
    for i in np.flatnonzero(np.isin(styles[g_style], [s for s, _ in changes.average])):
        average_style[i] = changes.average[(styles[g_style[i]], int(g_epoch[i]))]
    blank = np.asarray(serials, dtype=object) == ""
    led = LedgerArrays(
        entry=lf.numbers("entry", np.int64),
        kind=_kind_codes(lf.frame["kind"])[lf.at],
        qty=lf.numbers("qty", np.int64),
        unit_cost=lf.numbers("unit_cost", np.int64),
        date=lf.numbers("date", "datetime64[ns]").view(np.int64),
        reverses=lf.numbers("reverses", np.int64),
        group=group.astype(np.int64),
        average=average_style & blank[g_serial],
    )
    names = _GroupNames(np.asarray(styles, dtype=object)[g_style],
                        np.asarray(places, dtype=object)[g_place],
                        np.asarray(serials, dtype=object)[g_serial])
    return led, names


def _serial_codes(serial: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the serial column with "" as code 0 (most rows have no serial)."""
    named = np.flatnonzero((serial != "").to_numpy(bool))
    codes, found = pd.factorize(serial.iloc[named])
    out = np.zeros(len(serial), np.int64)
    out[named] = codes + 1
    return out, np.concatenate([np.array([""], dtype=object), np.asarray(found, dtype=object)])


def _kind_codes(kind: pd.Series) -> np.ndarray:
    """Kinds as codes into KINDS (-1 for a kind the engine does not know)."""
    code, found = pd.factorize(kind)
    known = np.array([KINDS.index(k) if k in KINDS else -1 for k in found], dtype=np.int8)
    return known[code] if len(code) else code.astype(np.int8)


def _average_styles(methods: Mapping[str, str] | pd.Series) -> set[str]:
    return {str(s) for s, m in methods.items() if str(m).strip().casefold() == "average"}


def _layers(
    lf: _Events, led: LedgerArrays, routes: Routes, flow: cost_flow.Flow
) -> pd.DataFrame:
    """Open layers: the units of each queued in-coming row that nothing has taken yet."""
    rows = routes.in_order[routes.open_lo[routes.in_order] < routes.kept[routes.in_order]]
    if not len(rows):
        return _empty(LAYER_COLUMNS)
    cut, _, where = flow.pieces.take_cut(rows, routes.open_lo[rows], routes.kept[rows])
    unit_cost = unit_cost_of(cut.cost, cut.qty)
    pooled = _share_average_values(led, flow, cut, unit_cost)
    at, whole, whole_cost = where.at.copy(), where.whole.copy(), where.whole_cost.copy()
    at[pooled], whole[pooled], whole_cost[pooled] = 0, cut.qty[pooled], cut.cost[pooled]
    return pd.DataFrame({
        **_names_of(lf, cut.row),
        **_piece_columns(cut),
        "unit_cost": unit_cost,
        "value": cut.cost,
        "owned": cut.owned,
        "arrived": led.entry[cut.row],
        "pooled": pooled,
        "cut_at": at,
        "cut_whole": whole,
        "cut_whole_value": whole_cost,
    })[list(LAYER_COLUMNS)]


def _share_average_values(
    led: LedgerArrays, flow: cost_flow.Flow, cut: Pieces, unit_cost: np.ndarray
) -> np.ndarray:
    """Owned open layers of Average groups: the group's value shared by units, at the
    average cost (memo layers keep their own cost). Returns which layers these are (a mask)."""
    group = led.group[cut.row]
    pooled = led.average[group] & cut.owned
    avg = np.flatnonzero(pooled)
    if not len(avg):
        return pooled
    g = group[avg]
    head = np.r_[True, g[1:] != g[:-1]]
    whole = units_per_run(g, cut.qty[avg])
    value = flow.average.book.value[g]
    cut.cost[avg] = spread(value, whole, cut.qty[avg], head)
    unit_cost[avg] = unit_cost_of(value, whole)
    return pooled


def _consumed(lf: _Events, led: LedgerArrays, rows: np.ndarray,
              book: PieceBook) -> pd.DataFrame:
    """Every piece each out-going entry took, by entry."""
    which, rank = explode(book.count[rows])
    if not len(which):
        return _empty(CONSUMED_COLUMNS)
    cut = book.pieces.select(book.first[rows][which] + rank)
    return pd.DataFrame({
        "entry": led.entry[cut.row],
        "kind": lf.take("kind", cut.row),
        **_names_of(lf, cut.row),
        **_piece_columns(cut),
        "unit_cost": unit_cost_of(cut.cost, cut.qty),
        "cost": cut.cost,
        "owned": cut.owned,
    })[list(CONSUMED_COLUMNS)]


def _names_of(lf: _Events, rows: np.ndarray) -> dict:
    return {c: lf.take(c, rows) for c in ("style", "location", "serial")}


def _piece_columns(cut: Pieces) -> dict:
    return {"origin": cut.origin, "received": cut.received.view("datetime64[ns]"),
            "qty": cut.qty}


def _on_hand(led: LedgerArrays, names: _GroupNames) -> pd.DataFrame:
    qty = sum_by(led.group, led.qty, led.groups)
    held = np.flatnonzero(qty)
    return pd.DataFrame({
        "style": pd.array(names.style[held], dtype="str"),
        "location": pd.array(names.location[held], dtype="str"),
        "serial": pd.array(names.serial[held], dtype="str"),
        "qty": qty[held],
    })


def _short(lf: _Events, led: LedgerArrays, routes: Routes, flow: cost_flow.Flow,
           goes: np.ndarray, comes: np.ndarray) -> pd.DataFrame:
    """Groups below zero and what they hold: the cost that came in less the cost that
    went out and the open layers' value (minus the cost of the units not covered yet)."""
    qty = sum_by(led.group, led.qty, led.groups)
    held = np.where(comes, flow.row_cost, 0) - np.where(goes, flow.row_cost, 0)
    value = sum_by(led.group, held, led.groups)
    rows = routes.in_order[routes.open_lo[routes.in_order] < routes.kept[routes.in_order]]
    if len(rows):
        cut, _ = flow.pieces.take(rows, routes.open_lo[rows], routes.kept[rows])
        value -= sum_by(led.group[cut.row], cut.cost, led.groups)
    below = np.flatnonzero(qty < 0)
    first = np.full(led.groups, -1, np.int64)
    first[led.group[::-1]] = np.arange(len(led))[::-1]
    at = first[below]
    return pd.DataFrame({
        **_names_of(lf, at),
        "qty": qty[below],
        "value": value[below],
    })


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    dtypes = {"origin": "int64", "qty": "int64", "unit_cost": "int64", "value": "int64",
              "cost": "int64", "entry": "int64", "arrived": "int64", "owned": "bool",
              "pooled": "bool", "cut_at": "int64", "cut_whole": "int64",
              "cut_whole_value": "int64", "received": "datetime64[ns]"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "str")) for c in columns})


from addin.core.costing.figures import (  # noqa: E402  (helpers on top of Books, re-exported)
    ageing_buckets,
    layer_ages,
    on_hand_by,
    owned_value,
    sale_lines,
)

__all__ = ["Books", "book", "book_as_of", "in_style_order", "on_hand_by", "owned_value",
           "layer_ages", "ageing_buckets", "sale_lines"]




def named_styles(full: pd.DataFrame, since: int) -> list[str]:
    """The spellings in `full` of the styles its rows from position `since` on name (styles
    compare without case and spaces)."""
    style = full["style"].to_numpy(object)
    spelled = pd.unique(style)
    key = {s: "".join(str(s).split()).upper() for s in spelled}
    named = {key[s] for s in pd.unique(style[since:])}
    return [s for s in spelled if key[s] in named]


def rebook(before: Books, past: pd.DataFrame, full: pd.DataFrame,
           methods: Mapping[str, str] | pd.Series,
           touched_styles: list[str] | None = None) -> Books:
    """The Books of `full` (= `past` and new rows after it), given `before` = the Books of
    `past`, costing again only the styles the new rows name (`touched_styles`: their
    spellings, `named_styles`, when the caller has them).

    Styles never share stock or cost (a conversion or a move stays within its style), so
    the Books of a ledger are the Books of each style's rows, put side by side: the styles
    the new rows leave alone keep their rows of `before` exactly."""
    if touched_styles is None:
        touched_styles = named_styles(full, len(past))
    touched = full["style"].isin(touched_styles).to_numpy(bool)
    if touched[: len(past)].all():
        return book(full, methods)
    again = book(full.iloc[np.flatnonzero(touched)], methods)
    entry = full["entry"].to_numpy(np.int64)
    keep = np.zeros(int(entry.max()) + 1, bool)  # entry number -> its style is left alone
    keep[entry[~touched]] = True

    def by_entry(frame: pd.DataFrame, column: str) -> pd.DataFrame:
        return frame.iloc[np.flatnonzero(keep[frame[column].to_numpy(np.int64)])]

    def side_by_side(old: pd.Series, new: pd.Series) -> pd.Series:
        old_at = old.index.to_numpy(np.int64)
        mine = keep[old_at]
        at = np.concatenate([old_at[mine], new.index.to_numpy(np.int64)])
        values = np.concatenate([old.to_numpy()[mine], new.to_numpy()])
        order = np.argsort(at, kind="stable")
        return pd.Series(values[order], index=pd.Index(at[order], name=new.index.name),
                         name=new.name)

    def other_styles(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[~frame["style"].isin(touched_styles).to_numpy(bool)]

    return Books(
        layers=pd.concat([by_entry(before.layers, "arrived"), again.layers], ignore_index=True),
        consumed=pd.concat([by_entry(before.consumed, "entry"), again.consumed],
                           ignore_index=True),
        cogs=side_by_side(before.cogs, again.cogs),
        on_hand=pd.concat([other_styles(before.on_hand), again.on_hand], ignore_index=True),
        short=pd.concat([other_styles(before.short), again.short], ignore_index=True),
        cost_in=side_by_side(before.cost_in, again.cost_in),
        owned_in=side_by_side(before.owned_in, again.owned_in),
        cost_of_goods=side_by_side(before.cost_of_goods, again.cost_of_goods),
        waves=again.waves,
    )
