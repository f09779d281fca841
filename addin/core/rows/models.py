"""The rows people type, as immutable models: Style, Item, and the four input rows.

One model per sheet row: `Style` (Styles), `Item` (Items), `ReceivingRow`, `SaleRow`,
`MovementRow`, `CountRow`. Field names are the snake_case of the sheet headers (From and
To are `from_location` and `to_location`: `from` is a Python keyword); money is in
integer cents; dates are `datetime.date`; blank text is "". Every model knows its Excel
`row`, so anyone who finds a problem with it later can name the cell.

`Model.from_typed(record, sheet_row)` takes one record of a typed frame
(`addin.workbook.reader.tables`: header -> value; blanks may be None, NaN, NA or NaT; money in
dollars, rounded half up to the cent here) and returns `(model, [])`, or `(None,
problems)` where each problem names the sheet, the Excel row, the column header and the
fix, e.g. ``Receiving row 7, column Qty: 0 is not a quantity; enter how many pieces
arrived (1 or more)``. Values that did not go through the typed reader (raw cells) are
judged the same way: "12" in Qty is a number stored as text. A model built in code
(`ReceivingRow(unit_cost=1250, ...)`) is given money in cents, as it holds it, and a unit
cost in ten-thousandths of a dollar (1250 is 0.125; from a sheet it is kept as typed, to 4
decimals, and more decimals are refused).

What is checked here is what one row can tell by itself: required cells, whole positive
quantities, amounts not negative, choices (Kind, Terms, Tracking, Cost Method, Active;
case does not matter), a Serial or a Style on rows that need one, a Due Date not before
its Date. What needs other rows or the ledger (unknown style, oversell, serials sold
twice, dates against Settings) is posting's; duplicate style codes are `duplicate_styles`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from addin.core.errors import Problem
from addin.core.rows.row_fields import (
    FROM_SHEET,
    Date,
    Signed,
    Text,
    amount,
    choice,
    day,
    is_blank,
    measure,
    needed,
    pieces,
    row_error,
    shown,
    signed_cents,
    unit_cost,
    whole_number,
    yes_no,
)
from addin.sheets import schema


def style_key(text: object) -> str:
    """How style codes compare everywhere: case and spaces do not count ('rg 101' == 'RG101')."""
    if is_blank(text):
        return ""
    return "".join(str(text).split()).upper()


# --- the models ------------------------------------------------------------------------------


def _snake(header: str) -> str:
    words = "".join(c.lower() if c.isalnum() else " " for c in header).split()
    return "_".join(words)


class SheetRow(BaseModel):
    """What every row model shares: the sheet it is from, and reading a typed record."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    SHEET: ClassVar[schema.Sheet]
    RENAMED: ClassVar[dict[str, str]] = {}  # header -> field, where snake_case will not do

    @classmethod
    def fields_by_header(cls) -> dict[str, str]:
        """Sheet header -> field name, for every header this model reads."""
        out = {h: cls.RENAMED.get(h, _snake(h)) for h in cls.SHEET.headers}
        return {h: f for h, f in out.items() if f in cls.model_fields}

    @classmethod
    def doc_of(cls, record: Mapping[str, Any]) -> str:
        """The Doc a typed record belongs to (all rows of one Doc post together)."""
        return str(record.get("Doc") or "")

    @classmethod
    def from_typed(cls, record: Mapping[str, Any], sheet_row: int
                   ) -> tuple[Self | None, list[Problem]]:
        """One typed record (header -> value) -> (the model, []) or (None, problems)."""
        values = {f: record[h] for h, f in cls.fields_by_header().items() if h in record}
        values["row"] = sheet_row
        try:
            return cls.model_validate(values, context={FROM_SHEET: True}), []
        except ValidationError as e:
            return None, [cls._problem(err, sheet_row) for err in e.errors()]

    @classmethod
    def _problem(cls, err: Any, sheet_row: int) -> Problem:
        headers = {f: h for h, f in cls.fields_by_header().items()}
        ctx = err.get("ctx") or {}
        field = str(err["loc"][0]) if err["loc"] else ""
        header = headers.get(field, ctx.get("column"))
        if err["type"] == "missing":
            return Problem(cls.SHEET.name, sheet_row, header, f"{header} is blank",
                           f"fill in {header}")
        if err["type"] == "blank":
            return Problem(cls.SHEET.name, sheet_row, header, f"{header} is blank", ctx["fix"])
        if err["type"] == "loupe":
            return Problem(cls.SHEET.name, sheet_row, header, err["msg"], ctx["fix"])
        value = err.get("input")
        return Problem(cls.SHEET.name, sheet_row, header,
                       f"{shown(value)} cannot be read ({err['msg']})",
                       f"retype {header}" if header else "check the row")


class Style(SheetRow):
    """One Styles row: a design the shop stocks, tracked by serial or by quantity."""

    SHEET: ClassVar[schema.Sheet] = schema.STYLES

    row: int | None = None
    style: Annotated[str, BeforeValidator(needed("type the style code, like RG-101"))]
    description: Text = ""
    category: Annotated[str, BeforeValidator(needed("type the category, like Rings"))]
    metal: Text = ""
    vendor: Text = ""
    vendor_style: Text = ""
    tracking: Annotated[Literal["Serialized", "Quantity"],
                        BeforeValidator(choice(schema.TRACKING, required=True))]
    cost_method: Annotated[Literal["FIFO", "Average"] | None,
                           BeforeValidator(choice(schema.COST_METHODS))] = None
    retail_price: Annotated[int | None, BeforeValidator(amount("retail price"))] = None
    reorder_point: Annotated[int | None, BeforeValidator(whole_number(
        "type the stock level that calls for a reorder, 0 or more", least=0))] = None
    active: Annotated[bool, BeforeValidator(yes_no)] = True

    @property
    def key(self) -> str:
        return style_key(self.style)

    @property
    def serialized(self) -> bool:
        return self.tracking == "Serialized"


class Item(SheetRow):
    """One Items row: a serialized piece, with what the owner typed about it."""

    SHEET: ClassVar[schema.Sheet] = schema.ITEMS

    row: int | None = None
    serial: Annotated[str, BeforeValidator(needed("type or scan the piece's serial"))]
    style: Annotated[str, BeforeValidator(needed("type the style code of the piece"))]
    description: Text = ""
    metal_weight_g: Annotated[float | None,
                              BeforeValidator(measure("metal weight in grams"))] = None
    karat: Text = ""
    stone: Text = ""
    carat: Annotated[float | None, BeforeValidator(measure("carat weight"))] = None
    size: Text = ""
    cost: Annotated[int | None, BeforeValidator(amount("cost"))] = None
    retail_price: Annotated[int | None, BeforeValidator(amount("retail price"))] = None
    received: Date = None
    vendor: Text = ""
    location: Text = ""
    status: Annotated[str, BeforeValidator(choice(schema.ITEM_STATUSES, ""))] = ""
    sold_date: Date = None
    sold_price: Annotated[int | None, BeforeValidator(amount("sold price"))] = None
    age_days: Signed = None
    margin: Annotated[int | None, BeforeValidator(signed_cents)] = None
    rfid_tag: Text = ""


class InputRow(SheetRow):
    """What the four input sheets share: an Excel row, Status and Ledger Ref."""

    row: int = Field(ge=1)
    status: Text = ""
    ledger_ref: Text = ""


class ReceivingRow(InputRow):
    """One Receiving row: pieces of a style arriving from a vendor (owned or on memo)."""

    SHEET: ClassVar[schema.Sheet] = schema.RECEIVING

    date: Annotated[dt.date, BeforeValidator(day("type the date the goods arrived"))]
    doc: Annotated[str, BeforeValidator(needed(
        "type the packing slip or invoice number: its rows post together"))]
    vendor: Text = ""
    style: Annotated[str, BeforeValidator(needed(
        "type the style code (it must be on the Styles sheet)"))]
    qty: Annotated[int, BeforeValidator(pieces(
        "arrived", "enter how many pieces arrived (1 or more); to send pieces back, use a "
        "Vendor Return on Movements"))]
    unit_cost: Annotated[int, BeforeValidator(unit_cost(required=True))]  # ten-thousandths
    serial: Text = ""
    location: Text = ""
    terms: Annotated[Literal["Owned", "Memo"],
                     BeforeValidator(choice(schema.TERMS, "Owned"))] = "Owned"
    note: Text = ""


class SaleRow(InputRow):
    """One Sales row: a sale to a customer, or a customer's return (Kind)."""

    SHEET: ClassVar[schema.Sheet] = schema.SALES

    date: Annotated[dt.date, BeforeValidator(day("type the date of the sale"))]
    doc: Annotated[str, BeforeValidator(needed(
        "type the ticket number: its rows post together"))]
    serial: Text = ""
    style: Text = ""
    qty: Annotated[int, BeforeValidator(pieces(
        "were sold or returned", "enter how many pieces (1 or more); for a return, set Kind "
        "to Return and keep Qty positive"))]
    unit_price: Annotated[int, BeforeValidator(unit_cost("unit price", required=True))]
    customer: Text = ""
    location: Text = ""
    kind: Annotated[Literal["Sale", "Return"],
                    BeforeValidator(choice(schema.SALE_KINDS, "Sale"))] = "Sale"

    @model_validator(mode="after")
    def _names_the_piece(self) -> Self:
        if not self.serial and not self.style:
            raise row_error("Style", "neither Serial nor Style is filled",
                             "scan the piece's Serial, or type the Style")
        return self


class MovementRow(InputRow):
    """One Movements row: a transfer, memo out or back, or a return to a vendor."""

    SHEET: ClassVar[schema.Sheet] = schema.MOVEMENTS
    RENAMED: ClassVar[dict[str, str]] = {"From": "from_location", "To": "to_location"}

    date: Annotated[dt.date, BeforeValidator(day("type the date the goods moved"))]
    doc: Annotated[str, BeforeValidator(needed(
        "type the document number: its rows post together"))]
    kind: Annotated[Literal["Transfer", "Memo Out", "Memo Back", "Memo Return",
                            "Vendor Return"],
                    BeforeValidator(choice(schema.MOVEMENT_KINDS, required=True))]
    serial: Text = ""
    style: Text = ""
    qty: Annotated[int, BeforeValidator(pieces("moved"))]
    from_location: Text = ""
    to_location: Text = ""
    party: Text = ""
    due_date: Date = None

    @model_validator(mode="before")
    @classmethod
    def _a_serial_is_one_piece(cls, values: Any) -> Any:
        """A row naming a serial moves that one piece: a blank Qty is 1."""
        if isinstance(values, dict) and not is_blank(values.get("serial")) and is_blank(
                values.get("qty")):
            return {**values, "qty": 1}
        return values

    @model_validator(mode="after")
    def _names_the_piece(self) -> Self:
        if not self.serial and not self.style:
            raise row_error("Style", "neither Serial nor Style is filled",
                             "scan the piece's Serial, or type the Style")
        if self.due_date is not None and self.due_date < self.date:
            raise row_error("Due Date", f"{self.due_date:%Y-%m-%d} is before the move's Date "
                             f"{self.date:%Y-%m-%d}", "type the date the piece is due back")
        return self


def count_doc(count_date: Any, location: Any) -> str:
    """'count 2026-02-28 Main Case': the rows of one count post together or not at all."""
    day = f"{count_date:%Y-%m-%d}" if not is_blank(count_date) else "?"
    return f"count {day} {'' if is_blank(location) else location}".strip()


class CountRow(InputRow):
    """One Counts row: what was found at a location on the count date."""

    SHEET: ClassVar[schema.Sheet] = schema.COUNTS

    count_date: Annotated[dt.date, BeforeValidator(day("type the date of the count"))]
    location: Annotated[str, BeforeValidator(needed("type the location that was counted"))]

    @classmethod
    def doc_of(cls, record: Mapping[str, Any]) -> str:
        """A count's Doc is its date and location: the Counts sheet has no Doc column."""
        return count_doc(record.get("Count Date"), record.get("Location"))

    @property
    def doc(self) -> str:
        return count_doc(self.count_date, self.location)
    serial: Text = ""
    style: Text = ""
    counted_qty: Annotated[int, BeforeValidator(whole_number(
        "enter how many pieces were counted (0 or more)", required=True, least=0,
        pieces=True))]
    expected_qty: Signed = None
    variance: Signed = None

    @model_validator(mode="after")
    def _names_the_piece(self) -> Self:
        if not self.serial and not self.style:
            raise row_error("Style", "neither Serial nor Style is filled",
                             "scan the piece's Serial, or type the Style counted")
        return self


# --- across rows ---------------------------------------------------------------------------


def duplicate_styles(styles: Iterable[Style]) -> list[Problem]:
    """One problem per Style row repeating an earlier code (case and spaces do not count)."""
    first: dict[str, Style] = {}
    problems = []
    for s in styles:
        if s.key in first:
            where = f"row {first[s.key].row}" if first[s.key].row else "an earlier row"
            problems.append(Problem(schema.STYLES.name, s.row, "Style",
                                    f"{s.style!r} repeats {first[s.key].style!r} on {where} "
                                    "(case and spaces do not count)",
                                    "give each style its own code, or delete the repeat"))
        else:
            first[s.key] = s
    return problems
