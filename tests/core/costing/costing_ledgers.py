"""Random but valid shop ledgers for the costing property tests.

`ShopSim` posts entries the way the posting code does (pairs for moves, Reverses on
returns and reversals) and refuses anything posting would refuse: selling or moving more
than is there, returning more than was sold, reversing a layer that was touched. It keeps
only counts and FIFO arrival order, never costs, so it shares no logic with the engine.
Unit costs are in ten-thousandths of a dollar, as in the ledger frame, so most of them are
fractions of a cent (1 to 50,000: 0.0001 to 5.0000).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from addin.core import ledger

STYLES = ("RG-1", "CH-2", "PD-3")  # RG-1 quantity FIFO, CH-2 quantity Average, PD-3 serialized
AVERAGE = {"CH-2"}
PLACES = ("Main", "Vault")
MEMO = ledger.memo_location("Bob")
OPS = ("receive", "receive", "receive", "sell", "sell", "sell", "return", "transfer",
       "memo_out", "memo_back", "shortage", "surplus", "vendor_return", "reverse_sale",
       "reverse_in", "reverse_move", "to_serials", "to_quantity")


@dataclass
class ShopSim:
    rows: list[dict] = field(default_factory=list)
    queues: dict[tuple, list[list[int]]] = field(default_factory=dict)  # [entry, left]
    sales: list[dict] = field(default_factory=list)
    moves: list[dict] = field(default_factory=list)
    undone: set[int] = field(default_factory=set)
    serials: int = 0
    closed: int = 0  # entries up to this one are archived by a close: never reversed

    # -- posting -------------------------------------------------------------------------
    def post(self, kind, style, place, qty, *, serial="", cost=0, price=0, rev=0) -> int:
        entry = len(self.rows) + 1
        day = dt.date(2024, 1, 1) + dt.timedelta(days=entry)
        self.rows.append(dict(entry=entry, posted_at=dt.datetime(2024, 1, 1), date=day,
                              kind=kind, style=style, serial=serial, qty=qty, unit_cost=cost,
                              unit_price=price, location=place, reverses=rev))
        queue = self.queues.setdefault((style, place, serial), [])
        if qty > 0:
            queue.append([entry, qty])
        elif kind == "REVERSAL" and rev and self.rows[rev - 1]["qty"] > 0:
            queue[:] = [lot for lot in queue if lot[0] != rev]
        else:
            need = -qty
            while need:
                take = min(need, queue[0][1])
                queue[0][1] -= take
                need -= take
                if not queue[0][1]:
                    queue.pop(0)
        return entry

    def frame(self) -> pd.DataFrame:
        return ledger.frame(self.rows)

    # -- what is there -------------------------------------------------------------------
    def stocked(self, *, serial: bool | None = None, places=PLACES) -> list[tuple]:
        return [g for g, q in self.queues.items()
                if sum(lot[1] for lot in q) > 0 and g[1] in places
                and (serial is None or bool(g[2]) == serial)]

    def on_hand(self, group: tuple) -> int:
        return sum(lot[1] for lot in self.queues.get(group, []))

    def untouched(self, entry: int) -> bool:
        row = self.rows[entry - 1]
        queue = self.queues.get((row["style"], row["location"], row["serial"]), [])
        return [entry, row["qty"]] in queue

    def close(self) -> int:
        """A period close after the last entry: nothing before it is returned or reversed
        any more (those sales and moves are in the archive)."""
        self.closed = len(self.rows)
        self.sales.clear()
        self.moves.clear()
        return self.closed

    def new_serial(self) -> str:
        self.serials += 1
        return f"LP-{self.serials:04d}"


def build(ops: list[tuple[int, int, int, int]], sim: ShopSim | None = None) -> ShopSim:
    """Interpret (op, pick, qty, cost) tuples; ops that do not apply are skipped."""
    sim = sim or ShopSim()
    for op, pick, qty, cost in ops:
        globals()["_" + OPS[op % len(OPS)]](sim, pick, qty, cost)
    return sim


def _pick(items: list, pick: int):
    return items[pick % len(items)] if items else None


def _receive(sim: ShopSim, pick, qty, cost):
    style = STYLES[pick % 3]
    place = PLACES[(pick // 3) % 2]
    kind = "MEMO_IN" if pick % 7 == 0 else "RECEIPT"
    if style == "PD-3":
        sim.post(kind, style, place, 1, serial=sim.new_serial(), cost=cost * 10)
    else:
        sim.post(kind, style, place, qty, cost=cost)


def _sell(sim: ShopSim, pick, qty, cost):
    group = _pick(sim.stocked(), pick)
    if group is None:
        return
    q = min(qty, sim.on_hand(group))
    entry = sim.post("SALE", *group[:2], -q, serial=group[2], price=cost * 3)
    sim.sales.append(dict(entry=entry, group=group, qty=q, returned=0))


def _return(sim: ShopSim, pick, qty, cost):
    open_ = [s for s in sim.sales if s["qty"] > s["returned"] and s["entry"] not in sim.undone]
    sale = _pick(open_, pick)
    if sale is None:
        return
    q = min(qty, sale["qty"] - sale["returned"])
    sale["returned"] += q
    style, place, serial = sale["group"]
    sim.post("RETURN", style, place, q, serial=serial, rev=sale["entry"])


def _pair(sim: ShopSim, kind, group, to_place, q, to_serial=None):
    style, place, serial = group
    out = sim.post(kind, style, place, -q, serial=serial)
    inn = sim.post(kind, style, to_place, q, serial=serial if to_serial is None else to_serial,
                   rev=out)
    sim.moves.append(dict(out=out, inn=inn))


def _transfer(sim: ShopSim, pick, qty, cost):
    group = _pick(sim.stocked(), pick)
    if group is not None:
        to = PLACES[1 - PLACES.index(group[1])]
        _pair(sim, "TRANSFER", group, to, min(qty, sim.on_hand(group)))


def _memo_out(sim: ShopSim, pick, qty, cost):
    group = _pick(sim.stocked(), pick)
    if group is not None:
        _pair(sim, "MEMO_OUT", group, MEMO, min(qty, sim.on_hand(group)))


def _memo_back(sim: ShopSim, pick, qty, cost):
    group = _pick(sim.stocked(places=(MEMO,)), pick)
    if group is not None:
        _pair(sim, "MEMO_BACK", group, "Main", min(qty, sim.on_hand(group)))


def _shortage(sim: ShopSim, pick, qty, cost):
    group = _pick(sim.stocked(), pick)
    if group is not None:
        sim.post("ADJUST", *group[:2], -min(qty, sim.on_hand(group)), serial=group[2])


def _surplus(sim: ShopSim, pick, qty, cost):
    group = _pick(sim.stocked(serial=False), pick)
    if group is not None:
        sim.post("ADJUST", *group[:2], qty, cost=cost)


def _vendor_return(sim: ShopSim, pick, qty, cost):
    group = _pick(sim.stocked(), pick)
    if group is not None:
        sim.post("VENDOR_RETURN", *group[:2], -min(qty, sim.on_hand(group)), serial=group[2])


def _reverse_sale(sim: ShopSim, pick, qty, cost):
    open_ = [s for s in sim.sales if not s["returned"] and s["entry"] not in sim.undone]
    sale = _pick(open_, pick)
    if sale is not None:
        sim.undone.add(sale["entry"])
        style, place, serial = sale["group"]
        sim.post("REVERSAL", style, place, sale["qty"], serial=serial, rev=sale["entry"])


def _reverse_in(sim: ShopSim, pick, qty, cost):
    """Reverse an untouched receipt, surplus or customer return."""
    kinds = {"RECEIPT", "MEMO_IN", "ADJUST", "RETURN"}
    can = [r for r in sim.rows if r["kind"] in kinds and r["qty"] > 0
           and r["entry"] > sim.closed and r["entry"] not in sim.undone
           and sim.untouched(r["entry"])]
    row = _pick(can, pick)
    if row is not None:
        sim.undone.add(row["entry"])
        sim.post("REVERSAL", row["style"], row["location"], -row["qty"], serial=row["serial"],
                 rev=row["entry"])


def _reverse_move(sim: ShopSim, pick, qty, cost):
    """Reverse both halves of a move whose in-half is untouched: in-half first."""
    can = [m for m in sim.moves if m["inn"] not in sim.undone and sim.untouched(m["inn"])]
    move = _pick(can, pick)
    if move is None:
        return
    for entry in (move["inn"], move["out"]):
        row = sim.rows[entry - 1]
        sim.undone.add(entry)
        sim.post("REVERSAL", row["style"], row["location"], -row["qty"], serial=row["serial"],
                 rev=entry)


def _to_serials(sim: ShopSim, pick, qty, cost):
    """A quantity style's units at one place become pieces, one serial each."""
    group = _pick(sim.stocked(serial=False), pick)
    if group is None:
        return
    style, place, _ = group
    q = min(qty, sim.on_hand(group))
    out = sim.post("CONVERT", style, place, -q)
    for _ in range(q):
        sim.post("CONVERT", style, place, 1, serial=sim.new_serial(), rev=out)


def _to_quantity(sim: ShopSim, pick, qty, cost):
    group = _pick(sim.stocked(serial=True), pick)
    if group is not None:
        _pair(sim, "CONVERT", group, group[1], 1, to_serial="")
