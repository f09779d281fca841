"""A big, valid, deterministic shop ledger for the costing benchmark (vectorized, seeded).

Stock is simulated unit by unit with numpy only: every unit is received on some day at
one of three places, some units move to another place, most are sold later, and some
sales come back. Events of one day go receipts, then moves, then sales, then returns,
so no place ever sells what it does not hold. Units sold, moved or received together
(same style, place and day) are one ledger row. A prefix of a valid ledger is valid, so
the ledger is cut to exactly the number of rows asked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from addin.core import ledger

PLACES = np.array(["Main", "Vault", "Window"], dtype=object)
RANK = {"RECEIPT": 0, "TRANSFER": 1, "SALE": 2, "RETURN": 3}  # order within a day
DAYS = 1500


def synthetic_ledger(rows: int = 1_000_000, styles: int = 5000,
                     seed: int = 7) -> tuple[pd.DataFrame, dict[str, str]]:
    """(ledger frame of `rows` entries, style -> cost method) for `styles` styles."""
    rng = np.random.default_rng(seed)
    serialized = rng.random(styles) < 0.4
    average = ~serialized & (rng.random(styles) < 0.25)
    base_cost = np.where(serialized, rng.integers(20_000, 500_000, styles),
                         rng.integers(100, 20_000, styles))
    scale = rows / 1_000_000
    parts = [_quantity_stock(rng, np.flatnonzero(~serialized), base_cost, int(75_000 * scale)),
             _serialized_stock(rng, np.flatnonzero(serialized), base_cost, int(160_000 * scale))]
    events = pd.concat([p.assign(part=i) for i, p in enumerate(parts)], ignore_index=True)
    frame = _entries(rng, events, rows)
    names = _style_names(styles)
    methods = {names[i]: ("Average" if average[i] else "FIFO") for i in range(styles)}
    return frame, methods


def as_posted(lf: pd.DataFrame, books) -> pd.DataFrame:
    """The ledger with its Cost of Goods column as posting writes it (`books`: its Books):
    each entry's signed cost, so that it ties out by itself like a posted Ledger."""
    cost = books.cost_of_goods.reindex(lf["entry"].to_numpy()).fillna(0).to_numpy(np.int64)
    return lf.assign(cogs=cost)


def _style_names(styles: int) -> np.ndarray:
    return np.array([f"ST-{i:05d}" for i in range(styles)], dtype=object)


def _quantity_stock(rng, styles, base_cost, receipts: int) -> pd.DataFrame:
    """Receipts of quantity styles; units moved, sold and returned; rows aggregated."""
    style = rng.choice(styles, receipts)
    place = rng.integers(0, 3, receipts)
    day = rng.integers(0, DAYS, receipts)
    qty = rng.integers(1, 25, receipts)
    cost = (base_cost[style] * rng.uniform(0.9, 1.1, receipts)).astype(np.int64)
    rec = pd.DataFrame(dict(kind="RECEIPT", style=style, place=place, day=day, qty=qty,
                            cost=cost, serial=-1, parent=-1))
    unit = np.repeat(np.arange(receipts), qty)
    u_style, u_place, u_day = style[unit], place[unit], day[unit]
    moved = rng.random(len(unit)) < 0.08
    move_day = u_day + rng.integers(0, 60, len(unit))
    to_place = (u_place + rng.integers(1, 3, len(unit))) % 3
    sold = rng.random(len(unit)) < 0.85
    sale_day = np.where(moved, move_day, u_day) + rng.integers(0, 120, len(unit))
    sale_place = np.where(moved, to_place, u_place)
    moves = _aggregate(pd.DataFrame(dict(style=u_style[moved], place=u_place[moved],
                                         to=to_place[moved], day=move_day[moved])),
                       ["style", "place", "to", "day"])
    sales = _aggregate(pd.DataFrame(dict(style=u_style[sold], place=sale_place[sold],
                                         day=sale_day[sold])), ["style", "place", "day"])
    return pd.concat([rec, _pairs(moves), _sales(sales), _returns(rng, sales, 0.06)],
                     ignore_index=True)


def _serialized_stock(rng, styles, base_cost, items: int) -> pd.DataFrame:
    """One receipt per piece; some pieces move, most sell, a few come back."""
    style = rng.choice(styles, items)
    place = rng.integers(0, 3, items)
    day = rng.integers(0, DAYS, items)
    cost = (base_cost[style] * rng.uniform(0.8, 1.2, items)).astype(np.int64)
    serial = np.arange(items)
    rec = pd.DataFrame(dict(kind="RECEIPT", style=style, place=place, day=day, qty=1,
                            cost=cost, serial=serial, parent=-1))
    moved = rng.random(items) < 0.1
    move_day = day + rng.integers(0, 60, items)
    to = (place + rng.integers(1, 3, items)) % 3
    moves = pd.DataFrame(dict(style=style, place=place, to=to, day=move_day, qty=1,
                              serial=serial))[moved]
    sold = rng.random(items) < 0.85
    sales = pd.DataFrame(dict(style=style, place=np.where(moved, to, place),
                              day=np.where(moved, move_day, day) + rng.integers(0, 200, items),
                              qty=1, serial=serial))[sold]
    return pd.concat([rec, _pairs(moves), _sales(sales), _returns(rng, sales, 0.04)],
                     ignore_index=True)


def _aggregate(units: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    out = units.groupby(keys, sort=False).size().rename("qty").reset_index()
    out["serial"] = -1
    return out


def _pairs(moves: pd.DataFrame) -> pd.DataFrame:
    """A move is an out-half at the place left and an in-half (naming it) at the place reached."""
    n = len(moves)
    out = pd.DataFrame(dict(kind="TRANSFER", style=moves["style"].to_numpy(),
                            place=moves["place"].to_numpy(), day=moves["day"].to_numpy(),
                            qty=-moves["qty"].to_numpy(), cost=0,
                            serial=moves["serial"].to_numpy(), parent=-1, pair=np.arange(n),
                            half=0))
    inn = out.assign(place=moves["to"].to_numpy(), qty=moves["qty"].to_numpy(), half=1)
    return pd.concat([out, inn], ignore_index=True)


def _sales(sales: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(dict(kind="SALE", style=sales["style"].to_numpy(),
                             place=sales["place"].to_numpy(), day=sales["day"].to_numpy(),
                             qty=-sales["qty"].to_numpy(), cost=0,
                             serial=sales["serial"].to_numpy(), parent=-1,
                             sale_no=np.arange(len(sales))))


def _returns(rng, sales: pd.DataFrame, rate: float) -> pd.DataFrame:
    back = rng.random(len(sales)) < rate
    s = sales[back]
    qty = 1 + (rng.random(len(s)) * s["qty"].to_numpy()).astype(np.int64)
    return pd.DataFrame(dict(kind="RETURN", style=s["style"].to_numpy(),
                             place=s["place"].to_numpy(),
                             day=s["day"].to_numpy() + rng.integers(0, 30, len(s)), qty=qty,
                             cost=0, serial=s["serial"].to_numpy(), parent=-1,
                             sale_no=np.flatnonzero(back)))


def _entries(rng, ev: pd.DataFrame, rows: int) -> pd.DataFrame:
    """Order events (day, then receipts, moves, sales, returns), number them, link Reverses."""
    ev = ev.reset_index(drop=True)
    is_move = (ev["kind"] == "TRANSFER").to_numpy()
    # the two halves of a move sit together, out-half first; other ties are random
    tie = np.where(is_move, ev["pair"].fillna(0) * 2 + ev["half"].fillna(0), rng.random(len(ev)))
    ev["rank"] = ev["kind"].map(RANK)
    ev["tie"] = tie
    ev = ev.sort_values(["day", "rank", "part", "tie"], kind="stable")
    ev["entry"] = np.arange(1, len(ev) + 1)
    ev["reverses"] = _links(ev)
    ev = ev[ev["entry"] <= rows]
    serial = ev["serial"].to_numpy()
    serial_text = pd.Series(serial).map("LP-{:07d}".format).where(serial >= 0, "")
    style = ev["style"].to_numpy()
    frame = pd.DataFrame(dict(
        entry=ev["entry"].to_numpy(), posted_at=pd.Timestamp("2020-01-01"),
        date=pd.Timestamp("2020-01-01") + pd.to_timedelta(ev["day"].to_numpy(), unit="D"),
        kind=ev["kind"].to_numpy(), doc="", style=_style_names(int(style.max()) + 1)[style],
        serial=serial_text.to_numpy(), qty=ev["qty"].to_numpy(),
        unit_cost=ev["cost"].to_numpy() * 100,  # cents -> ten-thousandths, as the frame holds
        unit_price=np.where(ev["kind"] == "SALE", 99_9900, 0),  # 99.99, in ten-thousandths
        location=PLACES[ev["place"].to_numpy().astype(np.int64)], party="", cogs=0,
        reverses=ev["reverses"].to_numpy(), hash=""))
    return ledger.normalize(frame)


def _links(ev: pd.DataFrame) -> np.ndarray:
    """Reverses: a transfer in-half names its out-half, a return names its sale."""
    rev = np.zeros(len(ev), np.int64)
    kind, entry = ev["kind"].to_numpy(), ev["entry"].to_numpy()
    key_part = ev["part"].to_numpy()
    is_pair = kind == "TRANSFER"
    pair_key = key_part * 10**9 + ev["pair"].fillna(-1).to_numpy().astype(np.int64)
    out_half = is_pair & (ev["half"].to_numpy() == 0)
    in_half = is_pair & (ev["half"].to_numpy() == 1)
    rev[in_half] = pd.Series(entry[out_half], index=pair_key[out_half]).reindex(
        pair_key[in_half]).to_numpy()
    sale_key = key_part * 10**9 + ev["sale_no"].fillna(-1).to_numpy().astype(np.int64)
    sale, back = kind == "SALE", kind == "RETURN"
    rev[back] = pd.Series(entry[sale], index=sale_key[sale]).reindex(sale_key[back]).to_numpy()
    return rev
