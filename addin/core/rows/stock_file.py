"""A shop's own stock list, read: headers recognised, values parsed, problems by file row.

Shops keep their stock in spreadsheets of every shape. `read_stock_list(header, rows)`
takes the header row and the body rows as the file holds them (text from a CSV, cells
from a spreadsheet) and gives one `StockLine` per row that holds anything, plus:

- which file column fed which field, and the columns nothing reads (reported, never
  guessed at);
- a `Problem` for every value that cannot be read, naming the file row (as a spreadsheet
  program numbers it: the header is row 1) and the column as the file spells it.

Header spellings are compared without case, spaces or punctuation, so ``Tag #``,
``tag no.`` and ``TAG NUMBER`` are all the tag. Dates may come as spreadsheet dates or as
text in the usual shapes (2019-03-04, 3/4/2019, 03/04/19, 4 Mar 2019, March 4, 2019; with
`day_first`, 04/03/2019 is the 4th of March). Money may carry ``$`` and thousands commas.
Text loses surrounding and doubled spaces. A tag is kept as the shop wrote it, only
upper-cased with spaces removed, the way every serial in Loupe is compared.

`read_style_list` reads a list of styles the same way (one `StyleLine` per style).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from addin.core.errors import Problem
from addin.core.money import PLACES, fmt, to_cents
from addin.core.rows.row_fields import (
    EXCEL_EPOCH,
    MOST_CENTS,
    MOST_UNIT_COST,
    SERIAL_DATES,
    is_blank,
)
from addin.core.rows.serials import normalize_serial

# field -> the header spellings that mean it (compared by `_spelling`)
HEADERS: dict[str, tuple[str, ...]] = {
    "tag": ("tag", "tag no", "tag number", "tag id", "serial", "serial no", "serial number",
            "stock no", "stock number", "barcode", "piece no", "item tag"),
    "style": ("style", "style no", "style number", "style code", "style id", "sku", "model",
              "model no", "item code", "item no", "item number"),
    "description": ("description", "desc", "item description", "item name", "name"),
    "category": ("category", "cat", "type", "dept", "department", "class"),
    "metal": ("metal", "metal type", "material"),
    "vendor": ("vendor", "supplier", "source", "manufacturer", "mfr", "vendor name"),
    "vendor_style": ("vendor style", "vendor style no", "mfr style", "supplier style",
                     "vendor sku"),
    "tracking": ("tracking", "tracked", "tracked by"),
    "cost_method": ("cost method",),
    "received": ("received", "date received", "received date", "receipt date", "recvd",
                 "date recd", "recd", "purchase date", "date purchased", "date acquired",
                 "acquired", "date in", "in date", "stock date", "date"),
    "qty": ("qty", "quantity", "on hand", "qty on hand", "count", "units", "pcs", "pieces"),
    "unit_cost": ("cost", "unit cost", "our cost", "cost price", "cost each", "cost ea",
                  "purchase price", "landed cost"),
    "retail": ("retail", "retail price", "price", "tag price", "msrp", "selling price"),
    "weight": ("metal weight g", "metal weight", "weight", "weight g", "grams", "gram weight",
               "wt", "wt g", "gwt"),
    "karat": ("karat", "kt", "karats", "purity"),
    "stone": ("stone", "stones", "gem", "gemstone", "center stone", "stone type"),
    "carat": ("carat", "carats", "ct", "carat weight", "ctw", "tcw", "total carat weight"),
    "size": ("size", "ring size", "length"),
    "location": ("location", "loc", "case", "showcase", "store", "bin"),
    "reorder": ("reorder point", "reorder", "reorder at", "min qty"),
}
DATE_SHAPES = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y",
               "%d %b %Y", "%d-%b-%Y", "%d-%b-%y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y",
               "%b %d %Y", "%B %d %Y", "%Y%m%d")
DAY_FIRST = {"%m/%d/%Y": "%d/%m/%Y", "%m/%d/%y": "%d/%m/%y", "%m-%d-%Y": "%d-%m-%Y"}


def _spelling(header: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", str(header or "").lower())


SPELLINGS = {_spelling(s): f for f, names in HEADERS.items() for s in names}


@dataclass(frozen=True)
class StyleLine:
    """One style of the shop's style list (what the Styles sheet holds)."""

    row: int  # the file row, as a spreadsheet program numbers it
    style: str
    description: str = ""
    category: str = ""
    metal: str = ""
    vendor: str = ""
    vendor_style: str = ""
    tracking: str = ""
    cost_method: str = ""
    retail: int | None = None  # cents
    reorder: int | None = None


@dataclass(frozen=True)
class StockLine(StyleLine):
    """One row of the shop's stock list: a tagged piece, or a quantity layer of a style
    (with what the row says about its style, for a style the book does not know yet)."""

    tag: str = ""  # the tag number the piece already carries ("" = none)
    typed_tag: str = ""  # the tag as the file wrote it
    received: dt.date | None = None
    qty: int | None = None
    unit_cost: int | None = None  # ten-thousandths of a dollar (0.125 -> 1250)
    location: str = ""
    weight: float | None = None
    karat: str = ""
    stone: str = ""
    carat: float | None = None
    size: str = ""

    @property
    def doc(self) -> str:
        """Posting's unit: each line stands alone, so one bad row holds back no other."""
        return f"row {self.row}"


@dataclass
class StockList:
    """What a file held: its lines, how its columns were read, and every problem."""

    lines: list = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # file header -> field
    unmapped: list[str] = field(default_factory=list)  # file headers nothing reads
    problems: list[Problem] = field(default_factory=list)


def map_columns(header: Sequence[Any]) -> tuple[dict[int, str], list[str], list[str]]:
    """(column index -> field, unmapped headers, headers that repeat a field)."""
    used: dict[int, str] = {}
    unmapped, repeated = [], []
    for i, h in enumerate(header):
        name = " ".join(str(h or "").split())
        if not name:
            continue
        f = SPELLINGS.get(_spelling(name))
        if f is None:
            unmapped.append(name)
        elif f in used.values():
            repeated.append(name)
        else:
            used[i] = f
    return used, unmapped, repeated


def read_stock_list(source: str, header: Sequence[Any], rows: Sequence[Sequence[Any]],
                    day_first: bool = False) -> StockList:
    """The stock lines of a file (`source` names it in problems); header is file row 1."""
    return _read(source, header, rows, day_first, _stock_line, ("style",))


def read_style_list(source: str, header: Sequence[Any], rows: Sequence[Sequence[Any]]
                    ) -> StockList:
    """The style lines of a style list file."""
    return _read(source, header, rows, False, _style_line, ("style",))


def _read(source: Any, header: Any, rows: Any, day_first: Any, make: Any,
          required: Any) -> StockList:
    by_index, unmapped, repeated = map_columns(header)
    out = StockList(columns={" ".join(str(header[i]).split()): f for i, f in by_index.items()},
                    unmapped=unmapped)
    for name in repeated:
        out.problems.append(Problem(source, 1, name, f"column {name!r} repeats a column "
                                    "already read", "rename or delete one of the two columns"))
    missing = [f for f in required if f not in by_index.values()]
    if missing:
        out.problems.append(Problem(source, 1, None, f"no column holds the {missing[0]} "
                                    f"(headers: {', '.join(map(str, header))})",
                                    f"name the {missing[0]} column 'Style'"))
        return out
    heads = {f: " ".join(str(header[i]).split()) for i, f in by_index.items()}
    for n, cells in enumerate(rows, start=2):
        values = {f: cells[i] if i < len(cells) else None for i, f in by_index.items()}
        if all(is_blank(v) for v in values.values()):
            continue
        reader = _Cells(source, n, heads, values, day_first)
        line = make(reader)
        out.problems += reader.problems
        if line is not None:
            out.lines.append(line)
    return out


class _Cells:
    """One file row's cells, read field by field; problems collect instead of raising."""

    def __init__(self, source: Any, row: Any, heads: Any, values: Any, day_first: Any) -> None:
        self.source, self.row, self.heads, self.values = source, row, heads, values
        self.day_first = day_first
        self.problems: list[Problem] = []

    def refuse(self, f: str, message: str, fix: str) -> None:
        self.problems.append(Problem(self.source, self.row, self.heads.get(f, f), message, fix))

    def text(self, f: str) -> str:
        v = self.values.get(f)
        if is_blank(v):
            return ""
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return " ".join(str(v).split())

    def money(self, f: str) -> int | None:
        text = self.text(f).replace("$", "").replace(",", "").replace(" ", "")
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            self.refuse(f, f"{self.text(f)!r} is not an amount", "type it like 1234.50")
            return None
        if amount < 0:
            self.refuse(f, f"{self.text(f)} is negative", "an amount here is 0 or more")
            return None
        return to_cents(amount)

    def unit_cost(self, f: str) -> int | None:
        """A cost per piece, kept as typed to 4 decimals, in ten-thousandths (0.125 -> 1250)."""
        text = self.text(f).replace("$", "").replace(",", "").replace(" ", "")
        cents = self.money(f)
        if cents is None:
            return None
        amount = Decimal(text)
        units = amount.scaleb(PLACES)
        if units != units.to_integral_value():
            nearest = amount.quantize(Decimal(1).scaleb(-PLACES), ROUND_HALF_UP)
            self.refuse(f, f"{self.text(f)} has more than {PLACES} decimals",
                        f"type at most {PLACES} ({nearest})")
            return None
        if units > MOST_UNIT_COST:
            self.refuse(f, f"{self.text(f)} is more than the largest amount a cell may hold "
                        f"({fmt(MOST_CENTS)})", "check the cost (a stray digit?)")
            return None
        return int(units)

    def number(self, f: str) -> float | None:
        text = self.text(f).replace(",", "")
        if not text:
            return None
        try:
            return float(re.sub(r"\s*(g|ct|kt|k)$", "", text, flags=re.I))
        except ValueError:
            self.refuse(f, f"{self.text(f)!r} is not a number", "type it like 4.2")
            return None

    def whole(self, f: str) -> int | None:
        n = self.number(f)
        if n is None:
            return None
        if not n.is_integer() or n < 1:
            self.refuse(f, f"{self.text(f)} is not a whole number of pieces",
                        "type how many are on hand, 1 or more (leave out rows of 0)")
            return None
        return int(n)

    def date(self, f: str) -> dt.date | None:
        v = self.values.get(f)
        if is_blank(v):
            return None
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        if isinstance(v, int | float) and SERIAL_DATES[0] <= v <= SERIAL_DATES[1]:
            return EXCEL_EPOCH + dt.timedelta(days=int(v))
        text = self.text(f)
        text = re.sub(r"[ T]00:00(:00)?$", "", text)
        for shape in DATE_SHAPES:
            shape = DAY_FIRST.get(shape, shape) if self.day_first else shape
            try:
                return dt.datetime.strptime(text, shape).date()
            except ValueError:
                continue
        other = _other_order(text, self.day_first)
        if other is not None:
            order, flag = ("day", "without --day-first") if self.day_first else (
                "month", "with --day-first")
            self.refuse(f, f"{text!r} is not a date when the {order} comes first, as this "
                        f"import reads dates; read the other way it is {other:%d %B %Y}",
                        f"if the file writes dates that way, import it {flag}")
            return None
        self.refuse(f, f"{text!r} is not a date Loupe can read",
                    "write it like 2019-03-04 (or 3/4/2019)")
        return None


def _other_order(text: str, day_first: bool) -> dt.date | None:
    """`text` read with the day and month the other way round, when that is a real date."""
    for month_first, day_then in DAY_FIRST.items():
        shape = month_first if day_first else day_then
        try:
            return dt.datetime.strptime(text, shape).date()
        except ValueError:
            continue
    return None


def _stock_line(c: _Cells) -> StockLine | None:
    style = c.text("style")
    typed_tag = c.text("tag")
    if not style:
        c.refuse("style", "the style is blank", "fill in the style code of the piece or layer")
        return None
    return StockLine(
        row=c.row, style=style, tag=normalize_serial(typed_tag), typed_tag=typed_tag,
        received=c.date("received"), qty=c.whole("qty"), unit_cost=c.unit_cost("unit_cost"),
        vendor=c.text("vendor"), location=c.text("location"),
        description=c.text("description"), category=c.text("category"),
        metal=c.text("metal"), vendor_style=c.text("vendor_style"),
        tracking=c.text("tracking"), retail=c.money("retail"), weight=c.number("weight"),
        karat=c.text("karat"), stone=c.text("stone"), carat=c.number("carat"),
        size=c.text("size"),
    )


def _style_line(c: _Cells) -> StyleLine | None:
    style = c.text("style")
    if not style:
        c.refuse("style", "the style is blank", "fill in the style code")
        return None
    reorder = c.number("reorder")
    return StyleLine(
        row=c.row, style=style, description=c.text("description"),
        category=c.text("category"), metal=c.text("metal"), vendor=c.text("vendor"),
        vendor_style=c.text("vendor_style"), tracking=c.text("tracking"),
        cost_method=c.text("cost_method"), retail=c.money("retail"),
        reorder=None if reorder is None else int(reorder),
    )
