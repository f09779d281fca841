"""The Ledger: append-only entries, what each kind means, and the frame the core works on.

Every change to stock is one or more Ledger entries. `Qty` is the signed change to the
quantity at `Location` (receipts positive, sales negative). Moves between places are
*pairs* of entries in one Doc: an out-half (negative, at the place left) followed by an
in-half (positive, at the place reached) whose `Reverses` names the out-half. That one
rule covers transfers, memo out and memo back (stock out on memo sits at the virtual
location ``Memo: <party>``: owned, not on hand) and tracking switches (CONVERT). A
change of cost method is one METHOD entry (Qty 0, Party ``FIFO to Average``): the costing
engine carries the style's stock across it (`addin.core.costing.method_changes`).

The in-half of a pair, a customer RETURN (Reverses = the SALE entry) and the REVERSAL of
any out-going entry are *derived* receipts: they carry no cost of their own but take over,
unit by unit and in order, the cost layers (cost, receipt date, ownership) that their
source entry consumed. That is how transfers keep receipt dates, returns re-enter at the
cost their sale took, and a reversal restores exactly the layers a sale consumed.

The REVERSAL of an in-coming entry removes the layer that entry made; it is only allowed
while that layer is untouched (posting checks it).

Inside the core a ledger is a DataFrame with the columns of `COLUMNS` (snake_case of
the sheet headers): money in integer cents (int64) but for `unit_cost` and `unit_price`,
which are kept as typed to 4 decimals, in integer ten-thousandths of a dollar (0.125 ->
1250; `money`), dates as datetime64, text as str with "" for blank, `reverses` 0 for none.

This package is the ledger: entry kinds and the ledger frame here, `chain` (the hash
chain). It may import `addin.core.errors`, `addin.core.money` and `addin.sheets` only.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from addin.sheets.schema import LEDGER


class EntryKind(StrEnum):
    RECEIPT = "RECEIPT"  # owned stock in, at Unit Cost
    MEMO_IN = "MEMO_IN"  # consigned stock in: on hand, not owned; costed when sold
    SALE = "SALE"  # out to a customer, at Unit Price; cost of goods by FIFO/average
    RETURN = "RETURN"  # customer brings a sale back; derived from the SALE (Reverses)
    VENDOR_RETURN = "VENDOR_RETURN"  # owned stock back to its vendor
    MEMO_RETURN = "MEMO_RETURN"  # consigned stock back to its owner
    TRANSFER = "TRANSFER"  # a pair: out of From, into To
    MEMO_OUT = "MEMO_OUT"  # a pair: out of a location, into "Memo: <party>"
    MEMO_BACK = "MEMO_BACK"  # a pair: out of "Memo: <party>", into a location
    ADJUST = "ADJUST"  # count variance: shortage consumes like a sale, surplus adds a layer
    CONVERT = "CONVERT"  # tracking switch: pairs between the quantity pool and serials
    REVERSAL = "REVERSAL"  # undoes the entry named in Reverses
    COST_ADJUST = "COST_ADJUST"  # Qty 0: a re-costed entry (Reverses) changes Cost of Goods
    OPENING = "OPENING"  # stock the shop had before Loupe: own cost, original receipt date
    METHOD = "METHOD"  # Qty 0: a style's cost method changes from this entry on (Party)


MEMO_PREFIX = "Memo: "


def memo_location(party: str) -> str:
    """The virtual location that holds stock out on memo with `party`."""
    return f"{MEMO_PREFIX}{party}"


def is_memo_location(location: str) -> bool:
    return location.startswith(MEMO_PREFIX)


# snake_case column -> sheet header, in sheet order.
HEADERS: dict[str, str] = {
    "entry": "Entry",
    "posted_at": "Posted At",
    "date": "Date",
    "kind": "Kind",
    "doc": "Doc",
    "style": "Style",
    "serial": "Serial",
    "qty": "Qty",
    "unit_cost": "Unit Cost",
    "unit_price": "Unit Price",
    "location": "Location",
    "party": "Party",
    "cogs": "Cost of Goods",
    "reverses": "Reverses",
    "hash": "Hash",
}
COLUMNS: tuple[str, ...] = tuple(HEADERS)
assert tuple(HEADERS.values()) == LEDGER.headers, "ledger columns drifted from the schema"

INT_COLUMNS = ("entry", "qty", "unit_cost", "unit_price", "cogs", "reverses")
TEXT_COLUMNS = ("kind", "doc", "style", "serial", "location", "party", "hash")


class Entry(BaseModel):
    """One Ledger row. Money in cents, Unit Cost and Unit Price in ten-thousandths of a
    dollar (1250 is 0.125). Immutable: a posted entry is never edited."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    entry: int = Field(ge=1)
    posted_at: dt.datetime
    date: dt.date
    kind: EntryKind
    doc: str = ""
    style: str
    serial: str = ""
    qty: int
    unit_cost: int = 0  # ten-thousandths
    unit_price: int = 0  # ten-thousandths
    location: str = ""
    party: str = ""
    cogs: int = 0
    reverses: int = 0
    hash: str = ""


def empty() -> pd.DataFrame:
    """An empty ledger frame with the right dtypes."""
    return frame([])


def frame(entries: list[Entry] | list[dict]) -> pd.DataFrame:
    """Entries -> the ledger frame the core computes on."""
    rows = [e.model_dump() if isinstance(e, Entry) else dict(e) for e in entries]
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    return normalize(df)


_TEXT = pd.Series([""]).astype(str).dtype  # the dtype text columns are coerced to


def normalize(df: pd.DataFrame) -> pd.DataFrame:
    """Coerce a ledger frame to the canonical dtypes (int64 money, str text)."""
    df = df.reindex(columns=list(COLUMNS)).copy()
    for c in INT_COLUMNS:
        df[c] = pd.to_numeric(df[c], errors="coerce").fillna(0).astype("int64")
    for c in TEXT_COLUMNS:
        if df[c].dtype == _TEXT and not df[c].isna().any():
            continue  # text already, nothing missing (a frame read back, or normalized)
        col = df[c].astype(object)
        df[c] = col.where(col.notna(), "").astype(str)
    df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
    df["posted_at"] = pd.to_datetime(df["posted_at"]).astype("datetime64[ns]")
    return df.reset_index(drop=True)


def entries(df: pd.DataFrame) -> list[Entry]:
    """The ledger frame -> Entry models (for small frames: posting, tests)."""
    out = []
    for rec in df.to_dict("records"):
        rec["date"] = pd.Timestamp(rec["date"]).date()
        rec["posted_at"] = pd.Timestamp(rec["posted_at"]).to_pydatetime()
        out.append(Entry(**rec))
    return out
