"""Carried runs: open layers as rows of (units, unit cost) that cost every unit exactly as
the whole history does, for a period close.

The engine cuts a stored piece of ``n`` units costing ``c`` cents so that its unit ``i``
costs ``share(c, i + 1, n) - share(c, i, n)``: 1,000 @ 0.125 cost 13, 12, 13, 12... cents.
An open layer is units ``[at, at + q)`` of such a piece. Carried as one row of ``q`` units,
it would be cut afresh from its own first unit, and its odd cents could land on other units
(or its value differ by a cent). So:

- where the piece's unit cost has 4 decimals (``n`` divides ``100 c``), its cuts repeat
  every ``p = n / gcd(c, n)`` units (at most 100) with no odd cent at the boundaries: the
  units from the first boundary to the last are one row at that unit cost, and the few
  units before and after are rows of whole cents (one per run of equal cents);
- otherwise every unit of the layer is in a row of whole cents (runs of equal cents);
- an Average group's owned layer (its value a share of the group's, which is all the group
  keeps) is one row when its value divides, else two rows of whole cents.

Every row's value is then exact, and any later cut of the carried rows costs what the same
cut of the whole history would, unit for unit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from addin.core.costing.layer_pieces import explode
from addin.core.money import SCALE, is_whole_unit_cost, share, unit_cost_of

CENT = SCALE // 100  # ten-thousandths in a cent


def carried_runs(layers: pd.DataFrame) -> pd.DataFrame:
    """Per carried row, in queue order: `layer` (its row in `layers`), `qty`, `unit_cost`
    (ten-thousandths)."""
    lay = layers.reset_index(drop=True)
    q = lay["qty"].to_numpy(np.int64)
    at = lay["cut_at"].to_numpy(np.int64)
    n = lay["cut_whole"].to_numpy(np.int64)
    c = lay["cut_whole_value"].to_numpy(np.int64)
    pooled = lay["pooled"].to_numpy(bool)
    parts = [_pooled(np.flatnonzero(pooled), q, lay["value"].to_numpy(np.int64))]
    cut = np.flatnonzero(~pooled)
    even = is_whole_unit_cost(c[cut], n[cut])
    period = n[cut] // np.maximum(np.gcd(c[cut], n[cut]), 1)
    end = at[cut] + q[cut]
    first = -(-at[cut] // period) * period  # first boundary at or after the layer's start
    last = end // period * period
    middle = even & (last > first)
    first, last = np.where(middle, first, end), np.where(middle, last, end)
    parts.append(_units(cut, at[cut], first, n[cut], c[cut]))
    mid = cut[middle]
    parts.append(pd.DataFrame({"layer": mid, "start": first[middle],
                               "qty": last[middle] - first[middle],
                               "unit_cost": unit_cost_of(c[mid], n[mid])}))
    parts.append(_units(cut, last, end, n[cut], c[cut]))
    runs = pd.concat(parts, ignore_index=True)
    return (runs.sort_values(["layer", "start"], kind="stable")[["layer", "qty", "unit_cost"]]
            .reset_index(drop=True))


def _pooled(rows: np.ndarray, q: np.ndarray, value: np.ndarray) -> pd.DataFrame:
    """Pooled layers: one row at its unit cost, or q - 1 units and 1 unit at whole cents."""
    qty, val = q[rows], value[rows]
    whole = is_whole_unit_cost(val, qty)
    base = val // qty
    one = pd.DataFrame({"layer": rows[whole], "start": 0, "qty": qty[whole],
                        "unit_cost": unit_cost_of(val[whole], qty[whole])})
    split = ~whole
    rest = pd.DataFrame({"layer": rows[split], "start": 0, "qty": qty[split] - 1,
                         "unit_cost": base[split] * CENT})
    last = pd.DataFrame({"layer": rows[split], "start": qty[split] - 1, "qty": 1,
                         "unit_cost": (val[split] - (qty[split] - 1) * base[split]) * CENT})
    return pd.concat([one, rest, last], ignore_index=True)


def _units(layer: np.ndarray, lo: np.ndarray, hi: np.ndarray, n: np.ndarray,
           c: np.ndarray) -> pd.DataFrame:
    """Units [lo, hi) of each layer's piece as rows of whole cents, one per run."""
    owner, rank = explode(np.maximum(hi - lo, 0))
    i = lo[owner] + rank
    cents = share(c[owner], i + 1, n[owner]) - share(c[owner], i, n[owner])
    new = np.ones(len(owner), bool)
    if len(owner):
        new[1:] = (owner[1:] != owner[:-1]) | (cents[1:] != cents[:-1])
    starts = np.flatnonzero(new)
    count = np.diff(starts, append=len(owner))
    return pd.DataFrame({"layer": layer[owner[starts]], "start": i[starts], "qty": count,
                         "unit_cost": cents[starts] * CENT})
