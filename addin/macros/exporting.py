"""`loupe export`: the shop's figures as CSV or JSON, for an accountant or another program.

`export_frame(book, what)` gives one frame per kind of export, with the same figures the
report sheets show: `onhand` (per style and location), `layers` (open cost layers),
`sales` (sale lines with cost of goods, margin and the layers taken), `ledger` (every
entry) and `ageing` (owned stock per style, location and age bucket). Money is an exact
decimal column (Arrow decimal128, two places: 12.30, never 12.299999), a Unit Cost four
places (0.1250, 12.3000: kept as typed, to 4 decimals); dates are dates.

`render(frame, fmt)` writes it. CSV: money as 12.30, dates as 2026-11-20, and text that
starts with = + - @ (or a tab or carriage return) gets a leading apostrophe so that a
spreadsheet opening the file shows it as the text it is, never runs it as a formula.
JSON: an array of records; money as decimal strings ("12.30"), exact whatever reads it.
Percentages are ratios to 4 places in both (0.6000 for 60.00%).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa

from addin import session
from addin.core import ledger as ledger_frame
from addin.core.errors import InputError
from addin.core.money import SCALE
from addin.core.posting.shop import methods_of
from addin.core.posting.styles import costed_as_posted
from addin.core.reports import report_sales, report_stock
from addin.core.reports.report_facts import facts_for
from addin.sheets.schema import LEDGER, Kind
from addin.workbook.port import Workbook

WHAT = ("onhand", "layers", "sales", "ledger", "ageing")
MONEY = pd.ArrowDtype(pa.decimal128(18, 2))
UNIT_COST = pd.ArrowDtype(pa.decimal128(18, 4))
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_frame(book: Workbook, what: str, *, now: dt.datetime) -> pd.DataFrame:
    """The figures named by `what` (onhand, layers, sales, ledger or ageing) as a frame."""
    if what not in WHAT:
        raise InputError(f"cannot export {what!r}; choose one of {', '.join(WHAT)}")
    shop, _ = session.load_shop(book, now)
    shop = costed_as_posted(shop)  # a retyped Cost Method re-costs no figure
    if what == "ledger":
        return _ledger(shop.ledger)
    facts = facts_for(
        shop.ledger,
        methods_of(shop.styles, shop.settings.default_cost_method),
        shop.styles.values(),
        shop.settings,
        shop.settings.as_of(shop.today),
        books=shop.books,
    )
    if what == "onhand":
        lines = report_stock.stock_lines(facts)
        frame = report_stock.stock_by(
            lines,
            ["style", "description", "category", "vendor", "location"],
            ["Style", "Description", "Category", "Vendor", "Location"],
        )
        return with_money(frame, report_stock.STOCK)
    if what == "layers":
        section = report_stock.cost_layers(facts).sections[0]
        return with_money(section.frame, section.kinds)
    if what == "sales":
        section = report_sales.sale_lines_section(facts)
        return with_money(section.frame, section.kinds)
    return with_money(report_stock.ageing_rows(facts), {"Value": Kind.MONEY})


def _ledger(lf: pd.DataFrame) -> pd.DataFrame:
    frame = lf[list(ledger_frame.COLUMNS)].set_axis(list(LEDGER.headers), axis=1)
    frame = frame.copy()
    frame["Reverses"] = frame["Reverses"].where(frame["Reverses"] != 0).astype("Int64")
    return with_money(frame, {c.header: c.kind for c in LEDGER.columns})


def decimal_dollars(cents: pd.Series, places: int = 2) -> pd.Series:
    """Whole cents (or, with places=4, ten-thousandths) -> an exact decimal column with that
    many places (vectorized, no float on the way)."""
    values = pd.to_numeric(cents, errors="coerce")
    valid = values.notna().to_numpy()
    whole = values.fillna(0).astype("int64").to_numpy()
    raw = np.zeros((len(whole), 2), np.int64)  # decimal128: the unscaled value, 128 bits
    raw[:, 0] = whole
    raw[:, 1] = np.where(whole < 0, -1, 0)
    bits = pa.py_buffer(np.packbits(valid, bitorder="little").tobytes())
    array = pa.Array.from_buffers(
        pa.decimal128(18, places), len(whole), [bits, pa.py_buffer(raw.tobytes())]
    )
    dtype = MONEY if places == 2 else UNIT_COST
    return pd.Series(array, index=cents.index, dtype=dtype, name=cents.name)


def unit_cost_dollars(units: pd.Series) -> pd.Series:
    """Unit costs in ten-thousandths -> an exact decimal column: to the cent (60.00) when
    every cost in it is whole cents, else every cost to 4 places (0.1250, 60.0000), so a
    column reads one way from top to bottom."""
    values = pd.to_numeric(units, errors="coerce")
    if (values.dropna() % (SCALE // 100) == 0).all():
        return decimal_dollars(values // (SCALE // 100), places=2)
    return decimal_dollars(units, places=4)


PERCENT_PLACES = 4  # a ratio to 4 places is a percentage to 2: 0.6000 is 60.00%


def with_money(frame: pd.DataFrame, kinds) -> pd.DataFrame:
    """`frame` with every money column (cents) as exact decimal dollars, and every
    percentage as its ratio to 4 places (0.6000, never 0.5999979999899999)."""
    out = frame.reset_index(drop=True).copy()
    for header, kind in kinds.items():
        if kind == Kind.MONEY and header in out.columns:
            out[header] = decimal_dollars(out[header])
        elif kind == Kind.UNIT_COST and header in out.columns:
            out[header] = unit_cost_dollars(out[header])
        elif kind == Kind.PERCENT and header in out.columns:
            out[header] = pd.to_numeric(out[header], errors="coerce").round(PERCENT_PLACES)
    return out


def render(frame: pd.DataFrame, fmt: str) -> str:
    """The frame as CSV or JSON text (see the module docstring for how values look)."""
    out = _dates_as_text(frame)
    if fmt == "csv":
        for col in out.columns:
            if _is_text(out[col]):
                out[col] = guard_text(out[col])
        return out.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        for col in out.columns:
            if isinstance(out[col].dtype, pd.ArrowDtype):
                out[col] = out[col].astype(str).where(out[col].notna(), None)
        return out.to_json(orient="records", force_ascii=False, indent=1) + "\n"
    raise InputError(f"cannot render {fmt!r}; choose csv or json")


def guard_text(values: pd.Series) -> pd.Series:
    """Text a spreadsheet would run as a formula, with a leading apostrophe."""
    text = values.astype("object")
    risky = text.str.startswith(FORMULA_START, na=False).astype(bool)
    return text.where(~risky, "'" + text.astype(str))


def _is_text(values: pd.Series) -> bool:
    return values.dtype == object or pd.api.types.is_string_dtype(values)


def _dates_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            s = out[col]
            timed = (s.dropna() != s.dropna().dt.normalize()).any()
            text = s.dt.strftime("%Y-%m-%dT%H:%M:%S" if timed else "%Y-%m-%d")
            out[col] = text.astype(object).where(s.notna(), None)
    return out


__all__ = ["WHAT", "export_frame", "render"]
