"""Scan to sell: a Sales row holding only a scanned code (and the date) is filled in.

A clerk's whole entry is a scan into the Serial column. Before Post Sales posts, every
not-yet-posted Sales row of Kind Sale that names a code but leaves both Qty and Unit
Price blank is completed from the books:

- the code is checked first: a code that has the shape of a Loupe serial but fails its
  check character is a misscan and is refused before anything else is looked at (a
  serial the books hold that has no valid check character, a legacy tag, is known and
  is not checked);
- a serial in stock fills Style, Location (where the piece is), Unit Price (the piece's
  Retail Price on Items, else its style's) and Qty 1;
- the code of a quantity style (its style barcode) fills Style, Qty 1 (one scan per unit),
  Unit Price (the style's Retail Price) and clears Serial; Location stays as typed (blank
  means the shop's first location);
- a blank Doc becomes ``SCAN-<date>-<row>``, so each scan is its own ticket.

A row that cannot be filled (sold already, never received, no price on the books) is
refused with what is wrong and how to fix it, naming the row's Serial cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from addin.core.errors import Problem
from addin.core.money import cents_series
from addin.core.posting import checks
from addin.core.posting.shop import Shop
from addin.core.rows.models import Style
from addin.core.rows.serials import misscanned, normalize_serial

SHEET = "Sales"


@dataclass
class ScanFills:
    """Cells to fill (header -> Excel row -> value) and the rows refused outright."""

    cells: dict[str, dict[int, object]] = field(default_factory=dict)
    refused: dict[int, Problem] = field(default_factory=dict)

    def put(self, header: str, row: int, value: object) -> None:
        self.cells.setdefault(header, {})[row] = value

    @property
    def filled_rows(self) -> int:
        return len({r for cells in self.cells.values() for r in cells})


def scan_only(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a typed Sales frame that are a bare scan: code there, Qty and price not."""
    if not len(frame):
        return frame
    code = frame["Serial"].astype(str).str.strip() != ""
    bare = frame["Qty"].isna() & frame["Unit Price"].isna()
    open_ = frame["Ledger Ref"].astype(str).str.strip() == ""
    sale = frame["Kind"].astype(str).str.strip().str.casefold().isin(["", "sale"])
    return frame[code & bare & open_ & sale]


def fill_scans(frame: pd.DataFrame, shop: Shop, prices: Mapping[str, int]) -> ScanFills:
    """What to fill in on each bare-scan row of a typed Sales frame (see the module doc).

    `prices`: serial -> the piece's own Retail Price in cents (the Items sheet).
    """
    fills = ScanFills()
    rows = scan_only(frame)
    codes = rows["Serial"].map(normalize_serial)
    known = codes.isin(set(shop.stock.serial_style)).to_numpy()
    bad = misscanned(codes, shop.settings) & ~known
    for (_, r), code, is_bad in zip(rows.iterrows(), codes, bad, strict=True):
        row = int(r["_row"])
        problem = (_misscan(shop, row, code) if is_bad
                   else _fill(fills, shop, r, row, code, prices))
        if problem is not None:
            fills.refused[row] = problem
    return fills


def _misscan(shop: Shop, row: int, code: str) -> Problem:
    _, problem = checks.scanned_serial(shop, SHEET, row, code)
    assert problem is not None  # a misscan fails the serial check by definition
    return problem


def _fill(fills: ScanFills, shop: Shop, r: pd.Series, row: int, code: str,
          prices: Mapping[str, int]) -> Problem | None:
    style = shop.style(code)
    if style is not None and not style.serialized and code not in shop.stock.serial_style:
        return _fill_unit(fills, r, row, style)
    if code not in shop.stock.serial_style:
        if style is not None:
            return Problem(SHEET, row, "Serial", f"{code} is the style code of serialized "
                           f"style {style.style}", "scan the piece's own tag (its serial)")
        _, problem = checks.scanned_serial(shop, SHEET, row, code)
        return problem or Problem(SHEET, row, "Serial", f"{code} is on no tag the books know",
                                  "rescan the tag, or type the sale in full")
    key, where, problem = checks.serial_in_stock(shop.stock, SHEET, row, code)
    if key is None:
        return problem
    piece_style = shop.styles[key]
    price = prices.get(code, piece_style.retail_price)
    if price is None:
        return _no_price(row, f"serial {code}")
    fills.put("Style", row, piece_style.style)
    if not str(r["Location"]).strip():
        fills.put("Location", row, where)
    _fill_common(fills, r, row, price)
    return None


def _fill_unit(fills: ScanFills, r: pd.Series, row: int, style: Style) -> Problem | None:
    if style.retail_price is None:
        return _no_price(row, f"style {style.style}")
    fills.put("Style", row, style.style)
    fills.put("Serial", row, None)
    _fill_common(fills, r, row, style.retail_price)
    return None


def _fill_common(fills: ScanFills, r: pd.Series, row: int, price: int) -> None:
    fills.put("Qty", row, 1)
    fills.put("Unit Price", row, price / 100)
    if not str(r["Doc"]).strip():
        day = r["Date"]
        stamp = f"{pd.Timestamp(day):%Y%m%d}" if not pd.isna(day) else "NODATE"
        fills.put("Doc", row, f"SCAN-{stamp}-{row}")


def _no_price(row: int, what: str) -> Problem:
    return Problem(SHEET, row, "Unit Price", f"{what} has no Retail Price on the books",
                   "type the Unit Price, or set Retail Price on Items or Styles")


def piece_prices(items: pd.DataFrame) -> dict[str, int]:
    """Serial -> the piece's own Retail Price in cents, from the typed Items frame."""
    if not len(items):
        return {}
    priced = items[items["Retail Price"].notna()]
    cents = cents_series(priced["Retail Price"]).astype("int64")
    return dict(zip(priced["Serial"].map(normalize_serial), cents, strict=True))

