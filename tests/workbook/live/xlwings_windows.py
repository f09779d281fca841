"""xlwings' own Windows value conversions, run here without Excel or pywin32.

`xlwings/_xlwindows.py` cannot be imported off Windows (it imports pywin32 at the top),
but the functions that turn values into what COM takes and what COM gives back into
Python are plain Python. This module reads them out of the installed xlwings 0.37.8
source and runs them unchanged, with stand-ins only for the two pywin32 names they use
(`pywintypes.TimeType`, a datetime subclass; `win32timezone.TimeZoneInfo.utc()`).

- `to_com(value)`: `Engine.prepare_xl_data_element`, what xlwings hands COM for a cell.
- `from_com(value)`: `_clean_value_data_element` with xlwings' read defaults (datetimes,
  empty as None, no number builder, errors as None), what a read returns.
- `CELL_ERRORS`: COM's error codes (`#N/A` is -2146826246).
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib.util
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

SOURCE = Path(importlib.util.find_spec("xlwings").origin).with_name("_xlwindows.py")
WANTED = {"cell_errors", "_com_time_to_datetime", "_datetime_to_com_time",
          "_clean_value_data_element", "Engine"}


def _load() -> dict:
    tree = ast.parse(SOURCE.read_text(encoding="utf-8"))
    kept = [n for n in tree.body
            if (isinstance(n, ast.FunctionDef | ast.ClassDef) and n.name in WANTED)
            or (isinstance(n, ast.Assign) and any(getattr(t, "id", "") in WANTED
                                                   for t in n.targets))]
    engine = next(n for n in kept if isinstance(n, ast.ClassDef))
    engine.body = [f for f in engine.body if getattr(f, "name", "") == "prepare_xl_data_element"]
    engine.bases = []
    utc = SimpleNamespace(utc=lambda: dt.UTC)
    namespace = {
        "dt": dt, "pd": pd, "np": np,
        "time_types": (dt.date, dt.datetime, np.datetime64),  # pywintypes.TimeType is a datetime
        "win32timezone": SimpleNamespace(TimeZoneInfo=utc),
        "np_datetime_to_datetime": lambda x: pd.Timestamp(x).to_pydatetime(),
    }
    exec(compile(ast.Module(body=kept, type_ignores=[]), str(SOURCE), "exec"), namespace)
    return namespace


_XLWINGS = _load()
CELL_ERRORS: dict[int, str] = _XLWINGS["cell_errors"]
ERROR_CODES = {text: code for code, text in CELL_ERRORS.items()}


def to_com(value):
    """What xlwings sends COM for one cell (NaN, NaT and None as "", numpy numbers as
    float, datetimes with the UTC tzinfo pywin32 wants)."""
    return _XLWINGS["Engine"].prepare_xl_data_element(value, None)


def from_com(value):
    """What a read gives back for one COM value (xlwings' defaults: errors as None)."""
    return _XLWINGS["_clean_value_data_element"](value, dt.datetime, None, None, False)


def mac_read_budget() -> int:
    """The read budget of xlwings' macOS engine (`max_cells_per_read` in _xlmac.py)."""
    tree = ast.parse(SOURCE.with_name("_xlmac.py").read_text(encoding="utf-8"))
    fn = next(n for n in ast.walk(tree)
              if isinstance(n, ast.FunctionDef) and n.name == "max_cells_per_read")
    returned = next(n for n in ast.walk(fn) if isinstance(n, ast.Return))
    return ast.literal_eval(returned.value)
