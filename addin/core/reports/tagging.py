"""What goes on a piece's tag, and which pieces get one.

A `Tag` is the text of one printed tag: the code its barcode carries (the serial of a
serialized piece; the style code for a quantity style, one tag per unit, so a scan at the
counter or the count is one unit) and what shops print beside it: style, a short
description, metal and karat, metal weight, stone and carat, size, retail price, and the
cost in the shop's letter code when Settings has a Cost Code.

Which pieces come as *lines* (serial, style, qty, unit cost in cents), picked by:
`received_lines` (Ledger receipts: by Doc, by receipt date, or the last Post Receipts),
`rows_lines` (the rows selected on Items or Receiving) and `style_lines` (what is in
stock of some styles). `tags_for` turns lines into tags, taking a piece's attributes
from its Items row and what the piece does not say from its Styles row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from addin.core.errors import Problem
from addin.core.ledger import EntryKind, is_memo_location
from addin.core.money import cents_series, fmt, to_cents
from addin.core.rows.cost_code import encode_cost
from addin.core.rows.models import Style, style_key

RECEIPT_KINDS = tuple(
    k for k in ("RECEIPT", "MEMO_IN", "OPENING") if k in EntryKind.__members__
)  # entries that bring a piece in for the first time
SYMBOLS = {"USD": "$", "CAD": "$", "AUD": "$", "NZD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
LINE_COLUMNS = ["serial", "style", "qty", "unit_cost"]
SHORT_DESCRIPTION = 28  # characters of the description a tag has room for


@dataclass(frozen=True)
class Tag:
    """The text of one tag. `code` is what the barcode carries and a scanner reads back."""

    code: str
    style: str
    description: str = ""
    metal: str = ""  # karat and metal: "14K Yellow Gold"
    weight: str = ""  # "2.40 g"
    stone: str = ""  # "Diamond 0.50 ct"
    size: str = ""  # "Size 7"
    price: str = ""  # "$1,250.00"
    cost_code: str = ""  # the cost in the shop's letters, "" when not printed

    @property
    def style_line(self) -> str:
        """The style, as printed under the code: left off a quantity style's tag, whose code
        is the style already."""
        return "" if self.style == self.code else self.style

    @property
    def details(self) -> tuple[str, ...]:
        """The attribute lines a tag prints under style and description, blanks left out."""
        return tuple(t for t in (self.metal, self.weight, self.stone, self.size) if t)


# --- which pieces -------------------------------------------------------------------------


def received_lines(
    lf: pd.DataFrame,
    *,
    docs: Iterable[str] = (),
    on: dt.date | None = None,
    last: bool = False,
) -> pd.DataFrame:
    """Receipt entries still standing (not reversed) as tag lines, in Ledger order.

    `docs`: those packing slips; `on`: received that day; `last`: what the most recent
    Post Receipts posted (the entries stamped with the latest Posted At). Filters combine.
    """
    came = lf[lf["kind"].isin(RECEIPT_KINDS)]
    undone = set(lf.loc[lf["kind"] == EntryKind.REVERSAL, "reverses"])
    came = came[~came["entry"].isin(undone)]
    wanted = {str(d).strip().casefold() for d in docs if str(d).strip()}
    if wanted:
        came = came[came["doc"].str.strip().str.casefold().isin(wanted)]
    if on is not None:
        came = came[came["date"].dt.date == on]
    if last and len(came):
        came = came[came["posted_at"] == came["posted_at"].max()]
    return came.sort_values("entry")[LINE_COLUMNS].reset_index(drop=True)


def rows_lines(frame: pd.DataFrame, rows: Iterable[int], sheet: str) -> pd.DataFrame:
    """The selected Excel rows of a typed Items or Receiving frame as tag lines."""
    picked = frame[frame["_row"].isin(list(rows))]
    qty = picked["Qty"] if "Qty" in picked else pd.Series(1, index=picked.index)
    cost = picked["Unit Cost"] if sheet == "Receiving" else picked["Cost"]
    out = pd.DataFrame(
        {
            "serial": picked["Serial"].astype(str),
            "style": picked["Style"].astype(str),
            "qty": pd.to_numeric(qty, errors="coerce").fillna(1).astype("int64"),
            "unit_cost": cents_series(cost).fillna(0).astype("int64"),
            "_row": picked["_row"],
        }
    )
    return out.reset_index(drop=True)


def style_lines(on_hand: pd.DataFrame, styles: Iterable[str]) -> pd.DataFrame:
    """Everything in the store (memo-out left out) of these styles, as tag lines."""
    keys = {style_key(s) for s in styles}
    here = on_hand[
        on_hand["style"].map(style_key).isin(keys)
        & ~on_hand["location"].map(is_memo_location)
        & (on_hand["qty"] > 0)
    ]
    out = here.assign(unit_cost=0)[LINE_COLUMNS]
    return out.reset_index(drop=True)


# --- the tags -----------------------------------------------------------------------------


def tags_for(
    lines: pd.DataFrame,
    items: pd.DataFrame,
    styles: Mapping[str, Style],
    *,
    cost_word: str = "",
    currency: str = "USD",
    sheet: str = "Receiving",
) -> tuple[list[Tag], list[Problem]]:
    """One tag per serialized piece and per unit of a quantity style, in line order.

    `items` is the typed Items frame (a piece's own attributes win over its style's).
    A line of a serialized style without a serial cannot be tagged: it is a problem
    naming the row (split or post the receipt first, so every piece has its serial).
    """
    by_serial = _items_by_serial(items)
    tags: list[Tag] = []
    problems: list[Problem] = []
    for line in lines.to_dict("records"):
        style = styles.get(style_key(line["style"]))
        serial = str(line.get("serial") or "").strip().upper()
        if serial:
            tags.append(_piece_tag(serial, line, by_serial.get(serial), style, cost_word,
                                   currency))
        elif style is not None and style.serialized:
            problems.append(Problem(
                sheet, line.get("_row"), "Serial",
                f"{int(line['qty'])} piece(s) of serialized style {style.style} have no serial yet",
                "post the receipt (or Split) first, so every piece has its own serial"))
        elif style is None:
            problems.append(Problem(sheet, line.get("_row"), "Style",
                                    f"unknown style {line['style']!r}",
                                    "add it on the Styles sheet, or correct the code"))
        else:
            tag = _style_tag(style, int(line["unit_cost"]), cost_word, currency)
            tags += [tag] * int(line["qty"])
    return tags, problems


def _items_by_serial(items: pd.DataFrame) -> dict[str, dict]:
    if items is None or not len(items):
        return {}
    first = items.drop_duplicates("Serial")
    return {str(r["Serial"]).strip().upper(): r for r in first.to_dict("records")}


def _piece_tag(serial: str, line: dict, item: dict | None, style: Style | None,
               cost_word: str, currency: str) -> Tag:
    item = item or {}
    description = _text(item.get("Description")) or (style.description if style else "")
    retail = _cents(item.get("Retail Price"))
    if retail is None and style is not None:
        retail = style.retail_price
    cost = _cents(item.get("Cost"))
    cost = int(line["unit_cost"]) if cost is None else cost
    karat = _text(item.get("Karat"))
    metal = " ".join(t for t in (karat, style.metal if style else "") if t)
    weight = _number(item.get("Metal Weight (g)"))
    carat = _number(item.get("Carat"))
    stone = " ".join(t for t in (_text(item.get("Stone")), f"{carat} ct" if carat else "") if t)
    size = _text(item.get("Size"))
    return Tag(
        code=serial,
        style=style.style if style else str(line["style"]),
        description=_short(description),
        metal=metal,
        weight=f"{weight} g" if weight else "",
        stone=stone,
        size=f"Size {size}" if size else "",
        price=price_text(retail, currency),
        cost_code=encode_cost(cost, cost_word) if cost else "",
    )


def _style_tag(style: Style, unit_cost: int, cost_word: str, currency: str) -> Tag:
    return Tag(
        code=style_key(style.style),
        style=style.style,
        description=_short(style.description),
        metal=style.metal,
        price=price_text(style.retail_price, currency),
        cost_code=encode_cost(unit_cost, cost_word) if unit_cost else "",
    )


def price_text(cents: int | None, currency: str) -> str:
    """A retail price as a tag prints it: "$1,250.00", "€80.00", "CHF 80.00"."""
    if cents is None:
        return ""
    symbol = SYMBOLS.get(currency.upper())
    return f"{symbol}{fmt(cents)}" if symbol else f"{currency.upper()} {fmt(cents)}"


def _short(text: str) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= SHORT_DESCRIPTION else text[: SHORT_DESCRIPTION - 1] + "…"


def _text(v: object) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _number(v: Any) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)) or v == "":
        return ""
    return f"{float(v):.2f}"


def _cents(v: object) -> int | None:
    if v is None or (not isinstance(v, str) and pd.isna(v)) or v == "":
        return None
    return to_cents(v)
