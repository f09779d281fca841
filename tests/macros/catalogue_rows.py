"""The bad-row catalogue: rows a shop really types wrong, with the exact Status each must get.

Every case is typed into one shared book per sheet, each case under its own Doc, so one
Validate and one Post judge them all at once (a bad Doc never changes stock for another
Doc: posting redrafts without held Docs). `want` is the exact Status text, worked out by
reading the row: None means the row is fine (Validate leaves Status blank, Post says
Posted).

The stocked shop (conftest, as of 2026-03-01): rings LP-000001N (sold) and LP-000002L at
Main Case, the pendant LP-000003P in the Vault, 8 CH-301 chains and 20 ST-401 studs at
Main Case, OLD-9 an inactive style; locations Main Case, Vault, Window.
"""

from __future__ import annotations

from dataclasses import dataclass

from addin.sheets import schema
from tests.macros.shopbook import day

D = day("2026-02-20")
SOLD, IN_STOCK, PENDANT = "LP-000001N", "LP-000002L", "LP-000003P"
NEVER = "LP-000077M"  # a well-formed serial no one received
BAD_CHECK = "LP-000002Z"  # the in-stock ring's serial with its check character mistyped


def R(
    doc,
    style,
    qty,
    cost,
    serial=None,
    loc="Main Case",
    terms="Owned",
    note=None,
    date=D,
    vendor="Aurum",
    ref=None,
):
    return [date, doc, vendor, style, qty, cost, serial, loc, terms, note, None, ref]


def S(
    doc, serial, style, qty, price, kind="Sale", loc=None, customer="A. Moreno", date=D, ref=None
):
    return [date, doc, serial, style, qty, price, customer, loc, kind, None, ref]


def M(doc, kind, serial, style, qty, frm=None, to=None, party=None, due=None, date=D, ref=None):
    return [date, doc, kind, serial, style, qty, frm, to, party, due, None, ref]


def C(loc, serial, style, counted, date=D, ref=None):
    return [date, loc, serial, style, counted, None, None, None, ref]


@dataclass(frozen=True)
class Case:
    """One bad input: rows (made from the Doc it is typed under) and each row's Status."""

    name: str
    sheet: schema.Sheet
    rows: object  # doc -> list of typed rows
    want: tuple  # exact Status per row; None = fine; HELD = held back by the Doc rule
    after_post: tuple | None = None  # Status on Validate after the post, where the post
    # changed what is true (a row above it posted); None: the same as `want`

    def typed(self, doc: str) -> list[list]:
        return self.rows(doc)


HELD = object()  # the row is fine but its Doc has a bad row


def held(sheet: str, bad_row: int, doc: str) -> str:
    """The Status of a good row whose Doc holds a bad row (worked out from the rule)."""
    return (
        f"Not posted: row {bad_row} of Doc {doc} has an error; "
        "fix that row, then post again (a Doc posts whole or not at all)"
    )


RECV, SALE, MOVE, COUNT = schema.RECEIVING, schema.SALES, schema.MOVEMENTS, schema.COUNTS
STYLE_FIX = "add it on the Styles sheet first, or correct the code"
LOCS = "use one of Main Case, Vault, Window (Settings: Locations)"
TEXT_DATE = "retype it so Excel stores a date (it then sits at the right of the cell)"
RETYPE = "retype it as a number (Excel: select the cell, then Convert to Number)"
CHECK = (
    "fails its check character: one character is wrong or two are swapped; rescan the "
    "tag or retype the serial"
)


def one(name, sheet, make, want):
    return Case(name, sheet, lambda doc: [make(doc)], (want,))


RECEIVING = [
    one(
        "receipt: blank style",
        RECV,
        lambda d: R(d, None, 1, 10.0),
        "Error: Style: Style is blank; fill in Style",
    ),
    one(
        "receipt: unknown style",
        RECV,
        lambda d: R(d, "ZZ-999", 1, 10.0),
        f"Error: Style: unknown style 'ZZ-999'; {STYLE_FIX}",
    ),
    one(
        "receipt: style typed with letter O for zero",
        RECV,
        lambda d: R(d, "CH-3O1", 1, 10.0),
        f"Error: Style: unknown style 'CH-3O1'; {STYLE_FIX}",
    ),
    one(
        "receipt: style typed as a number",
        RECV,
        lambda d: R(d, 101, 1, 10.0),
        f"Error: Style: unknown style '101'; {STYLE_FIX}",
    ),
    one(
        "receipt: inactive style",
        RECV,
        lambda d: R(d, "OLD-9", 1, 10.0),
        "Error: Style: style OLD-9 is inactive; set Active to Yes on the Styles sheet, or "
        "pick another style",
    ),
    one(
        "receipt: style in lower case with spaces is fine",
        RECV,
        lambda d: R(d, " ch-301 ", 2, 10.0),
        None,
    ),
    one(
        "receipt: two million pieces on one row",
        RECV,
        lambda d: R(d, "CH-301", 2_000_000, 10.0),
        "Error: Qty: 2,000,000 is more pieces than one row may hold (1,000,000); check the "
        "number (a stray digit?); split a larger lot over several rows",
    ),
    one(
        "receipt: unit cost beyond any cell's amount",
        RECV,
        lambda d: R(d, "CH-301", 1, 250_000_000.0),
        "Error: Unit Cost: 250,000,000.00 is more than the largest amount a cell may hold "
        "(100,000,000.00); check the unit cost (a stray digit?)",
    ),
    one(
        "receipt: the largest unit cost and qty a row may hold post",
        RECV,
        lambda d: R(d, "CH-301", 1_000_000, 100_000_000.0),
        None,
    ),
    one(
        "receipt: qty zero",
        RECV,
        lambda d: R(d, "CH-301", 0, 10.0),
        "Error: Qty: 0 is not a quantity; enter how many pieces arrived (1 or more)",
    ),
    one(
        "receipt: qty negative",
        RECV,
        lambda d: R(d, "CH-301", -2, 10.0),
        "Error: Qty: -2 is not a quantity; enter how many pieces arrived (1 or more); to "
        "send pieces back, use a Vendor Return on Movements",
    ),
    one(
        "receipt: qty a fraction",
        RECV,
        lambda d: R(d, "CH-301", 1.5, 10.0),
        "Error: Qty: 1.5 is not a whole number; type a whole number, like 3",
    ),
    one(
        "receipt: qty a word",
        RECV,
        lambda d: R(d, "CH-301", "two", 10.0),
        "Error: Qty: 'two' is not a whole number; type a whole number, like 3",
    ),
    one(
        "receipt: qty a number stored as text",
        RECV,
        lambda d: R(d, "CH-301", "3", 10.0),
        f"Error: Qty: '3' is a number stored as text; {RETYPE}",
    ),
    one(
        "receipt: qty blank",
        RECV,
        lambda d: R(d, "CH-301", None, 10.0),
        "Error: Qty: Qty is blank; type a whole number",
    ),
    one(
        "receipt: qty TRUE",
        RECV,
        lambda d: R(d, "CH-301", True, 10.0),
        "Error: Qty: TRUE is not a whole number; type a whole number, like 3",
    ),
    one(
        "receipt: qty 2.9999999999999996 is 3",
        RECV,
        lambda d: R(d, "CH-301", 2.9999999999999996, 10.0),
        None,
    ),
    one(
        "receipt: unit cost a word",
        RECV,
        lambda d: R(d, "CH-301", 3, "cheap"),
        "Error: Unit Cost: 'cheap' is not an amount; type the amount as a number, like 12.50",
    ),
    one(
        "receipt: unit cost negative",
        RECV,
        lambda d: R(d, "CH-301", 3, -4.0),
        "Error: Unit Cost: -4.00 is negative; type the unit cost without a minus sign",
    ),
    one(
        "receipt: unit cost stored as text",
        RECV,
        lambda d: R(d, "CH-301", 3, "12.50"),
        f"Error: Unit Cost: '12.50' is a number stored as text; {RETYPE}",
    ),
    one(
        "receipt: unit cost with a dollar sign as text",
        RECV,
        lambda d: R(d, "CH-301", 3, "$12"),
        f"Error: Unit Cost: '$12' is a number stored as text; {RETYPE}",
    ),
    one(
        "receipt: unit cost blank",
        RECV,
        lambda d: R(d, "CH-301", 3, None),
        "Error: Unit Cost: Unit Cost is blank; type the amount",
    ),
    one(
        "receipt: date a word",
        RECV,
        lambda d: R(d, "CH-301", 3, 4.0, date="March 3"),
        "Error: Date: 'March 3' is not a date; type a date, like 2026-03-01",
    ),
    one(
        "receipt: date that does not exist",
        RECV,
        lambda d: R(d, "CH-301", 3, 4.0, date="2026-02-30"),
        (
            "Error: Date: '2026-02-30' is not a real date: February 2026 has 28 days; type the "
            "date again, like 2026-03-01 (year, month, day)"
        ),
    ),
    one(
        "receipt: date typed as digits",
        RECV,
        lambda d: R(d, "CH-301", 3, 4.0, date=20260301),
        "Error: Date: 20260301 is not a date; type a date, like 2026-03-01",
    ),
    one(
        "receipt: date in the future",
        RECV,
        lambda d: R(d, "CH-301", 3, 4.0, date=day("2027-01-05")),
        "Error: Date: 2027-01-05 is in the future; type the date the goods actually moved",
    ),
    one(
        "receipt: date before the shop opened",
        RECV,
        lambda d: R(d, "CH-301", 3, 4.0, date=day("2014-06-01")),
        "Error: Date: 2014-06-01 is before the shop opened (2015-01-01); check the year; "
        "Settings: Shop Opened holds the first valid date",
    ),
    one(
        "receipt: date blank",
        RECV,
        lambda d: R(d, "CH-301", 3, 4.0, date=None),
        "Error: Date: Date is blank; type the date",
    ),
    one(
        "receipt: date TRUE",
        RECV,
        lambda d: R(d, "CH-301", 3, 4.0, date=True),
        "Error: Date: TRUE is not a date; type a date, like 2026-03-01",
    ),
    one(
        "receipt: date and time is fine",
        RECV,
        lambda d: R(d, "ST-401", 3, 4.0, date=day("2026-02-20T15:30")),
        None,
    ),
    Case(
        "receipt: same serial twice in one receipt",
        RECV,
        lambda d: [
            R(d, "RG-101", 1, 900.0, serial="LP-000050K"),
            R(d, "RG-101", 1, 900.0, serial="LP-000050K"),
        ],
        (
            HELD,
            "Error: Serial: serial LP-000050K is already used (in stock, sold, or on an "
            "earlier row); serials are never reused: clear Serial to get a fresh one",
        ),
    ),
    one(
        "receipt: serial of a ring in stock",
        RECV,
        lambda d: R(d, "RG-101", 1, 900.0, serial=IN_STOCK),
        "Error: Serial: serial LP-000002L is already used (in stock, sold, or on an earlier "
        "row); serials are never reused: clear Serial to get a fresh one",
    ),
    one(
        "receipt: serial sold before",
        RECV,
        lambda d: R(d, "RG-101", 1, 900.0, serial=SOLD),
        "Error: Serial: serial LP-000001N is already used (in stock, sold, or on an earlier "
        "row); serials are never reused: clear Serial to get a fresh one",
    ),
    one(
        "receipt: serial in lower case, in stock",
        RECV,
        lambda d: R(d, "RG-101", 1, 900.0, serial=" lp-000002l"),
        "Error: Serial: serial LP-000002L is already used (in stock, sold, or on an earlier "
        "row); serials are never reused: clear Serial to get a fresh one",
    ),
    one(
        "receipt: serial with a bad check character",
        RECV,
        lambda d: R(d, "RG-101", 1, 900.0, serial=BAD_CHECK),
        f"Error: Serial: {BAD_CHECK} {CHECK}",
    ),
    one(
        "receipt: serial off the pattern",
        RECV,
        lambda d: R(d, "RG-101", 1, 900.0, serial="ABC"),
        (
            "Error: Serial: ABC does not fit the serial pattern {prefix}-{seq:06d}{check} (like "
            "LP-000001N); retype it from the tag; an old tag that does not fit gets a new serial "
            "(leave Serial blank on Receiving)"
        ),
    ),
    one(
        "receipt: unknown location",
        RECV,
        lambda d: R(d, "CH-301", 3, 4.0, loc="Basement"),
        f"Error: Location: unknown location 'Basement'; {LOCS}",
    ),
    one(
        "receipt: location in lower case is fine",
        RECV,
        lambda d: R(d, "ST-401", 3, 4.0, loc="vault"),
        None,
    ),
    one(
        "receipt: terms not Owned or Memo",
        RECV,
        lambda d: R(d, "CH-301", 3, 4.0, terms="Loan"),
        "Error: Terms: 'Loan' is not a Terms choice; use one of Owned, Memo",
    ),
    one(
        "receipt: terms in lower case is fine",
        RECV,
        lambda d: R(d, "ST-401", 1, 4.0, terms="memo"),
        None,
    ),
    one(
        "receipt: serial on a quantity style",
        RECV,
        lambda d: R(d, "CH-301", 1, 4.0, serial="LP-000060P"),
        "Error: Serial: style CH-301 is tracked by quantity, so a row carries no serial; "
        "clear Serial, or switch the style with Convert Style",
    ),
    one(
        "receipt: serialized row of qty 3",
        RECV,
        lambda d: R(d, "RG-101", 3, 900.0),
        "Error: Qty: 3 pieces of a serialized style on one row; split the row into 3 rows "
        "with fresh serials (Clone Rows / loupe split) so each piece has its own serial",
    ),
    Case(
        "receipt: one bad row among good ones",
        RECV,
        lambda d: [R(d, "CH-301", 3, 4.0), R(d, "ZZ-1", 1, 4.0), R(d, "ST-401", 5, 2.0)],
        (HELD, f"Error: Style: unknown style 'ZZ-1'; {STYLE_FIX}", HELD),
    ),
    Case(
        "receipt: a bad cell among good rows",
        RECV,
        lambda d: [R(d, "CH-301", 3, "x"), R(d, "ST-401", 5, 2.0)],
        ("Error: Unit Cost: 'x' is not an amount; type the amount as a number, like 12.50", HELD),
    ),
    one(
        "receipt: note starting with = stays text",
        RECV,
        lambda d: R(d, "ST-401", 2, 4.0, note="=1+1"),
        None,
    ),
    one(
        "receipt: vendor starting with @ stays text",
        RECV,
        lambda d: R(d, "ST-401", 2, 4.0, vendor="@home"),
        None,
    ),
    one(
        "receipt: doc blank",
        RECV,
        lambda d: R(None, "CH-301", 3, 4.0),
        "Error: Doc: Doc is blank; fill in Doc",
    ),
    one(
        "receipt: Ledger Ref 'see PO' on a new row",
        RECV,
        lambda d: R(d, "ST-401", 2, 4.0, ref="see PO"),
        "Error: Ledger Ref: 'see PO' is not a Ledger entry (like E12 or E12-E14); clear "
        "Ledger Ref: Loupe fills it when the row posts",
    ),
    one(
        "receipt: Ledger Ref copied from a posted row, edited into a new delivery",
        RECV,
        lambda d: R(d, "ST-401", 9, 5.0, ref="E5"),
        "Error: Ledger Ref: E5 is the ledger entry of another row (RECEIPT, Doc PO-2, ST-401, Qty "
        "20); clear Ledger Ref to post this row",
    ),
    one(
        "receipt: Ledger Ref of an entry that does not exist",
        RECV,
        lambda d: R(d, "ST-401", 2, 4.0, ref="E999"),
        "Error: Ledger Ref: E999 is not on the Ledger (its last entry is E7); clear Ledger "
        "Ref to post this row",
    ),
    one(
        "receipt: serialized memo piece with a fresh serial is fine",
        RECV,
        lambda d: R(d, "PD-201", 1, 250.0, serial="LP-000090D", terms="Memo"),
        None,
    ),
]

SALES = [
    one(
        "sale: serialized style sold without its serial",
        SALE,
        lambda d: S(d, None, "RG-101", 1, 1500.0),
        (
            "Error: Serial: style RG-101 is serialized, so a sale must name the piece; scan or "
            "type the Serial of each piece (one row per piece)"
        ),
    ),
    one(
        "sale: serial already sold",
        SALE,
        lambda d: S(d, SOLD, None, 1, 1500.0),
        (
            "Error: Serial: serial LP-000001N is not in stock: it was sold to B. Chen on "
            "2026-02-01 (E6, T-1); check the tag; post the customer's Return first if the "
            "piece came back"
        ),
    ),
    one(
        "sale: serial never received",
        SALE,
        lambda d: S(d, NEVER, None, 1, 1500.0),
        (
            "Error: Serial: serial LP-000077M was never received; check the tag, or post its "
            "receipt first"
        ),
    ),
    Case(
        "sale: two tickets sell one serial",
        SALE,
        lambda d: [S(d + "a", PENDANT, None, 1, 800.0), S(d + "b", PENDANT, None, 1, 800.0)],
        (
            None,
            "Error: Serial: serial LP-000003P is not in stock: a row above already takes it "
            "out; check the tag; a piece leaves stock once",
        ),
        (
            None,
            "Error: Serial: serial LP-000003P is not in stock: it was sold to A. Moreno on "
            "2026-02-20 (E8, K-54a); check the tag; post the customer's Return first if the "
            "piece came back",
        ),
    ),
    one(
        "sale: more chains than on hand",
        SALE,
        lambda d: S(d, None, "CH-301", 99, 120.0, loc="Main Case"),
        (
            "Error: Qty: CH-301 had 8 on hand at Main Case on 2026-02-20, 99 asked; post the "
            "receipt or transfer "
            "first, or fix Qty"
        ),
    ),
    one(
        "sale: one more chain than on hand",
        SALE,
        lambda d: S(d, None, "CH-301", 9, 120.0, loc="Main Case"),
        (
            "Error: Qty: CH-301 had 8 on hand at Main Case on 2026-02-20, 9 asked; post the "
            "receipt or transfer "
            "first, or fix Qty"
        ),
    ),
    one(
        "sale: at a location without the stock",
        SALE,
        lambda d: S(d, None, "CH-301", 1, 120.0, loc="Vault"),
        (
            "Error: Qty: CH-301 had 0 on hand at Vault on 2026-02-20, 1 asked (on that day: 8 "
            "at Main Case); fix Location or Qty, or move the stock to Vault first"
        ),
    ),
    one(
        "sale: return with no matching sale",
        SALE,
        lambda d: S(d, None, "ST-401", 2, 35.0, kind="Return", loc="Main Case", customer="B. Chen"),
        (
            "Error: Qty: no sale of 2 ST-401 to B. Chen is open to return (0 sold and not yet "
            "returned); check Style, Customer and Qty; a return must match an earlier sale"
        ),
    ),
    one(
        "sale: return of more than was sold",
        SALE,
        lambda d: S(
            d, None, "CH-301", 3, 120.0, kind="Return", loc="Main Case", customer="C. Okafor"
        ),
        (
            "Error: Qty: no sale of 3 CH-301 to C. Okafor is open to return (2 sold and not yet "
            "returned); check Style, Customer and Qty; a return must match an earlier sale"
        ),
    ),
    one(
        "sale: return for another customer",
        SALE,
        lambda d: S(
            d, None, "CH-301", 1, 120.0, kind="Return", loc="Main Case", customer="Z. Nobody"
        ),
        (
            "Error: Qty: no sale of 1 CH-301 to Z. Nobody is open to return (0 sold and not yet "
            "returned); check Style, Customer and Qty; a return must match an earlier sale"
        ),
    ),
    one(
        "sale: return of a serial dated before its sale",
        SALE,
        lambda d: S(d, SOLD, None, 1, 1999.99, kind="Return", customer="B. Chen",
                    date=day("2026-01-25")),
        (
            "Error: Date: a return cannot be dated before the sale it returns (sale E6 dated "
            "2026-02-01); date it on or after 2026-02-01"
        ),
    ),
    one(
        "sale: return of units dated before their sale",
        SALE,
        lambda d: S(d, None, "CH-301", 1, 120.0, kind="Return", loc="Main Case",
                    customer="C. Okafor", date=day("2026-02-01")),
        (
            "Error: Date: a return cannot be dated before the sale it returns (sale E7 dated "
            "2026-02-02); date it on or after 2026-02-02"
        ),
    ),
    one(
        "sale: return of a serial never sold",
        SALE,
        lambda d: S(d, IN_STOCK, None, 1, 1500.0, kind="Return"),
        (
            "Error: Serial: serial LP-000002L is in stock, so it has no sale to return (a piece "
            "comes back once per sale); check the tag; if the piece was returned already, "
            "delete this row"
        ),
    ),
    one(
        "sale: return of a serial never received",
        SALE,
        lambda d: S(d, NEVER, None, 1, 1500.0, kind="Return"),
        "Error: Serial: serial LP-000077M was never received; check the tag or retype the serial",
    ),
    one(
        "sale: unit price beyond any cell's amount",
        SALE,
        lambda d: S(d, IN_STOCK, None, 1, 150_000_000.0),
        "Error: Unit Price: 150,000,000.00 is more than the largest amount a cell may hold "
        "(100,000,000.00); check the unit price (a stray digit?)",
    ),
    one(
        "sale: refund beyond any cell's amount",
        SALE,
        lambda d: S(d, SOLD, None, 1, 100_000_000.01, kind="Return"),
        "Error: Unit Price: 100,000,000.01 is more than the largest amount a cell may hold "
        "(100,000,000.00); check the unit price (a stray digit?)",
    ),
    one(
        "sale: negative unit price",
        SALE,
        lambda d: S(d, IN_STOCK, None, 1, -5.0),
        "Error: Unit Price: -5.00 is negative; type the unit price without a minus sign",
    ),
    one(
        "sale: unit price blank",
        SALE,
        lambda d: S(d, IN_STOCK, None, 1, None),
        "Error: Unit Price: Unit Price is blank; type the amount",
    ),
    one(
        "sale: unit price a word",
        SALE,
        lambda d: S(d, IN_STOCK, None, 1, "free"),
        "Error: Unit Price: 'free' is not an amount; type the amount as a number, like 12.50",
    ),
    one(
        "sale: unit price stored as text",
        SALE,
        lambda d: S(d, IN_STOCK, None, 1, "1500"),
        (
            "Error: Unit Price: '1500' is a number stored as text; retype it as a number (Excel: "
            "select the cell, then Convert to Number)"
        ),
    ),
    one(
        "sale: kind misspelled",
        SALE,
        lambda d: S(d, IN_STOCK, None, 1, 5.0, kind="Refund"),
        (
            "Error: Kind: 'Refund' is not a Kind choice (did you mean Return?); use one of Sale, "
            "Return"
        ),
    ),
    one(
        "sale: unknown style",
        SALE,
        lambda d: S(d, None, "CH-3O1", 1, 120.0, loc="Main Case"),
        (
            "Error: Style: unknown style 'CH-3O1'; add it on the Styles sheet first, or correct "
            "the code"
        ),
    ),
    one(
        "sale: inactive style",
        SALE,
        lambda d: S(d, None, "OLD-9", 1, 120.0),
        (
            "Error: Style: style OLD-9 is inactive; set Active to Yes on the Styles sheet, or pick "
            "another style"
        ),
    ),
    one(
        "sale: serial with a bad check character",
        SALE,
        lambda d: S(d, BAD_CHECK, None, 1, 100.0),
        (
            "Error: Serial: LP-000002Z fails its check character: one character is wrong or two "
            "are swapped; rescan the tag or retype the serial"
        ),
    ),
    one(
        "sale: serial off the pattern",
        SALE,
        lambda d: S(d, "RING2", None, 1, 100.0),
        (
            "Error: Serial: RING2 does not fit the serial pattern {prefix}-{seq:06d}{check} (like "
            "LP-000001N); retype it from the tag; an old tag that does not fit gets a new serial "
            "(leave Serial blank on Receiving)"
        ),
    ),
    one(
        "sale: unknown location",
        SALE,
        lambda d: S(d, None, "CH-301", 1, 120.0, loc="Basement"),
        (
            "Error: Location: unknown location 'Basement'; use one of Main Case, Vault, Window "
            "(Settings: Locations)"
        ),
    ),
    one(
        "sale: serial sold from the wrong location",
        SALE,
        lambda d: S(d, IN_STOCK, None, 1, 100.0, loc="Window"),
        (
            "Error: Location: serial is at Main Case, not Window; fix Location, or post a Transfer "
            "first"
        ),
    ),
    one(
        "sale: date that does not exist",
        SALE,
        lambda d: S(d, None, "CH-301", 1, 120.0, loc="Main Case", date="2026-02-30"),
        (
            "Error: Date: '2026-02-30' is not a real date: February 2026 has 28 days; type the "
            "date again, like 2026-03-01 (year, month, day)"
        ),
    ),
    one(
        "sale: date typed as digits",
        SALE,
        lambda d: S(d, None, "CH-301", 1, 120.0, loc="Main Case", date=20260301),
        "Error: Date: 20260301 is not a date; type a date, like 2026-03-01",
    ),
    one(
        "sale: date in the future",
        SALE,
        lambda d: S(d, IN_STOCK, None, 1, 100.0, date=day("2026-12-24")),
        "Error: Date: 2026-12-24 is in the future; type the date the goods actually moved",
    ),
    one(
        "sale: date before the shop opened",
        SALE,
        lambda d: S(d, IN_STOCK, None, 1, 100.0, date=day("2010-01-01")),
        (
            "Error: Date: 2010-01-01 is before the shop opened (2015-01-01); check the year; "
            "Settings: Shop Opened holds the first valid date"
        ),
    ),
    one(
        "sale: date blank",
        SALE,
        lambda d: S(d, IN_STOCK, None, 1, 100.0, date=None),
        "Error: Date: Date is blank; type the date",
    ),
    one(
        "sale: dated before the piece arrived",
        SALE,
        lambda d: S(d, IN_STOCK, None, 1, 100.0, date=day("2026-01-05")),
        (
            "Error: Date: 2026-01-05 is before serial LP-000002L was received (2026-01-10); check "
            "the Date: a piece cannot leave before it arrived"
        ),
    ),
    one(
        "sale: serialized style with qty 3 and no serial",
        SALE,
        lambda d: S(d, None, "RG-101", 3, 120.0),
        (
            "Error: Serial: style RG-101 is serialized, so a sale must name the piece; scan or "
            "type the Serial of each piece (one row per piece)"
        ),
    ),
    one(
        "sale: a serial with qty 3",
        SALE,
        lambda d: S(d, IN_STOCK, None, 3, 100.0),
        "Error: Qty: Qty 3 for one serialized piece; a serial is one piece: set Qty to 1",
    ),
    one(
        "sale: neither serial nor style",
        SALE,
        lambda d: S(d, None, None, 1, 100.0),
        (
            "Error: Style: neither Serial nor Style is filled; scan the piece's Serial, or type "
            "the Style"
        ),
    ),
    one(
        "sale: serial and a style that disagree",
        SALE,
        lambda d: S(d, IN_STOCK, "CH-301", 1, 100.0),
        (
            "Error: Style: serial LP-000002L is style RG-101, not CH-301; clear Style or correct "
            "it; the serial decides the style"
        ),
    ),
    one(
        "sale: qty zero",
        SALE,
        lambda d: S(d, None, "CH-301", 0, 120.0, loc="Main Case"),
        "Error: Qty: 0 is not a quantity; enter how many pieces were sold or returned (1 or more)",
    ),
    one(
        "sale: qty negative for a return",
        SALE,
        lambda d: S(d, None, "CH-301", -1, 120.0, loc="Main Case"),
        (
            "Error: Qty: -1 is not a quantity; enter how many pieces (1 or more); for a return, "
            "set Kind to Return and keep Qty positive"
        ),
    ),
    one(
        "sale: qty 2.9999999999999996 is 3",
        SALE,
        lambda d: S(d, None, "ST-401", 2.9999999999999996, 35.0, loc="Main Case"),
        None,
    ),
    one(
        "sale: doc blank",
        SALE,
        lambda d: S(None, None, "CH-301", 1, 120.0, loc="Main Case"),
        "Error: Doc: Doc is blank; fill in Doc",
    ),
    Case(
        "sale: a bad line holds back its ticket",
        SALE,
        lambda d: [
            S(d, None, "ST-401", 1, 35.0, loc="Main Case"),
            S(d, None, "ST-401", 1, "x", loc="Main Case"),
        ],
        (HELD, "Error: Unit Price: 'x' is not an amount; type the amount as a number, like 12.50"),
    ),
    one(
        "sale: Ledger Ref typed as a note",
        SALE,
        lambda d: S(d, None, "ST-401", 1, 35.0, loc="Main Case", ref="see ticket"),
        (
            "Error: Ledger Ref: 'see ticket' is not a Ledger entry (like E12 or E12-E14); clear "
            "Ledger Ref: Loupe fills it when the row posts"
        ),
    ),
    one(
        "sale: Ledger Ref of a receipt",
        SALE,
        lambda d: S(d, None, "ST-401", 1, 35.0, loc="Main Case", ref="E5"),
        (
            "Error: Ledger Ref: E5 is the ledger entry of another row (RECEIPT, Doc PO-2, ST-401, "
            "Qty 20); clear Ledger Ref to post this row"
        ),
    ),
]

MOVEMENTS = [
    one(
        "move: memo back of a piece not out",
        MOVE,
        lambda d: M(d, "Memo Back", IN_STOCK, None, 1, party="Harbor Jewelers"),
        (
            "Error: Serial: serial LP-000002L is not out on memo (it is at Main Case); check the "
            "tag; only a piece out on memo can come back from memo"
        ),
    ),
    one(
        "move: transfer to an unknown location",
        MOVE,
        lambda d: M(d, "Transfer", None, "CH-301", 2, "Main Case", "Attic"),
        (
            "Error: To: unknown location 'Attic'; use one of Main Case, Vault, Window (Settings: "
            "Locations)"
        ),
    ),
    one(
        "move: transfer from an unknown location",
        MOVE,
        lambda d: M(d, "Transfer", None, "CH-301", 2, "Attic", "Vault"),
        (
            "Error: From: unknown location 'Attic'; use one of Main Case, Vault, Window (Settings: "
            "Locations)"
        ),
    ),
    one(
        "move: transfer to the same place",
        MOVE,
        lambda d: M(d, "Transfer", None, "CH-301", 2, "Main Case", "Main Case"),
        (
            "Error: To: From and To are both Main Case; a transfer moves stock between two "
            "different locations"
        ),
    ),
    one(
        "move: transfer with no To",
        MOVE,
        lambda d: M(d, "Transfer", None, "CH-301", 2, "Main Case", None),
        "Error: To: a transfer needs the location it goes to; pick the receiving location in To",
    ),
    one(
        "move: transfer of more than on hand",
        MOVE,
        lambda d: M(d, "Transfer", None, "CH-301", 99, "Main Case", "Vault"),
        (
            "Error: Qty: CH-301 had 8 on hand at Main Case on 2026-02-20, 99 asked; fix Qty or "
            "From, or post the receipt "
            "first"
        ),
    ),
    one(
        "move: transfer from where the stock is not",
        MOVE,
        lambda d: M(d, "Transfer", None, "CH-301", 1, "Vault", "Window"),
        (
            "Error: Qty: CH-301 had 0 on hand at Vault on 2026-02-20, 1 asked (on that day: 8 "
            "at Main Case); fix From or Qty, or move the stock to Vault first"
        ),
    ),
    one(
        "move: transfer of a sold serial",
        MOVE,
        lambda d: M(d, "Transfer", SOLD, None, 1, None, "Vault"),
        (
            "Error: Serial: serial LP-000001N is not in stock: it was sold to B. Chen on "
            "2026-02-01 (E6, T-1); check the tag; post the customer's Return first if the "
            "piece came back"
        ),
    ),
    one(
        "move: transfer of a serial never received",
        MOVE,
        lambda d: M(d, "Transfer", NEVER, None, 1, None, "Vault"),
        (
            "Error: Serial: serial LP-000077M was never received; check the tag, or post its "
            "receipt first"
        ),
    ),
    one(
        "move: transfer of a serial with a bad check character",
        MOVE,
        lambda d: M(d, "Transfer", BAD_CHECK, None, 1, None, "Vault"),
        (
            "Error: Serial: LP-000002Z fails its check character: one character is wrong or two "
            "are swapped; rescan the tag or retype the serial"
        ),
    ),
    one(
        "move: transfer of a serialized style without its serial",
        MOVE,
        lambda d: M(d, "Transfer", None, "RG-101", 1, "Main Case", "Vault"),
        (
            "Error: Serial: style RG-101 is serialized, so a movement must name the piece; scan or "
            "type the Serial of each piece (one row per piece)"
        ),
    ),
    one(
        "move: transfer of a piece before it arrived",
        MOVE,
        lambda d: M(d, "Transfer", IN_STOCK, None, 1, None, "Vault", date=day("2026-01-02")),
        (
            "Error: Date: 2026-01-02 is before serial LP-000002L was received (2026-01-10); check "
            "the Date: a piece cannot leave before it arrived"
        ),
    ),
    one(
        "move: memo out without a party",
        MOVE,
        lambda d: M(d, "Memo Out", IN_STOCK, None, 1, due=day("2026-04-01")),
        (
            "Error: Party: Memo Out needs the customer or dealer it is with; type the customer or "
            "dealer's name in Party"
        ),
    ),
    one(
        "move: memo out without a due date",
        MOVE,
        lambda d: M(d, "Memo Out", IN_STOCK, None, 1, party="Harbor Jewelers"),
        (
            "Error: Due Date: a memo out needs the date it is due back; type the agreed return "
            "date in Due Date"
        ),
    ),
    one(
        "move: due date before the move",
        MOVE,
        lambda d: M(
            d, "Memo Out", IN_STOCK, None, 1, party="Harbor Jewelers", due=day("2026-02-01")
        ),
        (
            "Error: Due Date: 2026-02-01 is before the move's Date 2026-02-20; type the date the "
            "piece is due back"
        ),
    ),
    one(
        "move: kind blank",
        MOVE,
        lambda d: M(d, None, None, "CH-301", 1, "Main Case", "Vault"),
        (
            "Error: Kind: Kind is blank; pick one of Transfer, Memo Out, Memo Back, Memo Return, "
            "Vendor Return"
        ),
    ),
    one(
        "move: kind misspelled",
        MOVE,
        lambda d: M(d, "Move", None, "CH-301", 1, "Main Case", "Vault"),
        (
            "Error: Kind: 'Move' is not a Kind choice; use one of Transfer, Memo Out, Memo Back, "
            "Memo Return, Vendor Return"
        ),
    ),
    one(
        "move: vendor return of more than on hand",
        MOVE,
        lambda d: M(d, "Vendor Return", None, "CH-301", 99, "Main Case", party="Northstar"),
        (
            "Error: Qty: CH-301 had 8 on hand at Main Case on 2026-02-20, 99 asked; fix Qty or "
            "From, or post the receipt "
            "first"
        ),
    ),
    one(
        "move: memo return of owned chains",
        MOVE,
        lambda d: M(d, "Memo Return", None, "CH-301", 2, "Main Case", party="Northstar"),
        (
            "Error: Kind: CH-301 at Main Case is owned stock, none of it on memo from a "
            "consignor; use Vendor Return for owned stock"
        ),
    ),
    one(
        "move: vendor return against a receipt that never brought the style",
        MOVE,
        lambda d: M(d, "Vendor Return", None, "CH-301", 1, "Main Case", "PO-1", party="Northstar"),
        "Error: To: no receipt 'PO-1' brought CH-301 into Main Case; type the Doc of the packing "
        "slip the goods came on (Receiving), or clear To to send back the oldest stock first",
    ),
    one(
        "move: vendor return of an average-cost style against a receipt",
        MOVE,
        lambda d: M(d, "Vendor Return", None, "ST-401", 1, "Main Case", "PO-2", party="Silverline"),
        "Error: To: ST-401 is costed at average, so it goes back at the average cost, not one "
        "receipt's; clear To",
    ),
    one(
        "move: vendor return of a serialized piece against a receipt",
        MOVE,
        lambda d: M(d, "Vendor Return", IN_STOCK, None, 1, None, "PO-1", party="Aurum"),
        "Error: To: serial LP-000002L goes back at its own cost, not a receipt's; clear To (a "
        "serialized piece knows its receipt)",
    ),
    one(
        "move: qty zero",
        MOVE,
        lambda d: M(d, "Transfer", None, "CH-301", 0, "Main Case", "Vault"),
        "Error: Qty: 0 is not a quantity; enter how many pieces moved (1 or more)",
    ),
    one(
        "move: qty a word",
        MOVE,
        lambda d: M(d, "Transfer", None, "CH-301", "some", "Main Case", "Vault"),
        "Error: Qty: 'some' is not a whole number; type a whole number, like 3",
    ),
    one(
        "move: neither serial nor style",
        MOVE,
        lambda d: M(d, "Transfer", None, None, 1, "Main Case", "Vault"),
        (
            "Error: Style: neither Serial nor Style is filled; scan the piece's Serial, or type "
            "the Style"
        ),
    ),
    one(
        "move: serial and a style that disagree",
        MOVE,
        lambda d: M(d, "Transfer", IN_STOCK, "CH-301", 1, None, "Vault"),
        (
            "Error: Style: serial LP-000002L is style RG-101, not CH-301; clear Style or correct "
            "it; the serial decides the style"
        ),
    ),
    one(
        "move: unknown style",
        MOVE,
        lambda d: M(d, "Transfer", None, "ZZ-1", 1, "Main Case", "Vault"),
        "Error: Style: unknown style 'ZZ-1'; add it on the Styles sheet first, or correct the code",
    ),
    one(
        "move: inactive style",
        MOVE,
        lambda d: M(d, "Transfer", None, "OLD-9", 1, "Main Case", "Vault"),
        (
            "Error: Style: style OLD-9 is inactive; set Active to Yes on the Styles sheet, or pick "
            "another style"
        ),
    ),
    one(
        "move: date a word",
        MOVE,
        lambda d: M(d, "Transfer", None, "CH-301", 1, "Main Case", "Vault", date="soon"),
        "Error: Date: 'soon' is not a date; type a date, like 2026-03-01",
    ),
    one(
        "move: date in the future",
        MOVE,
        lambda d: M(d, "Transfer", None, "CH-301", 1, "Main Case", "Vault", date=day("2026-03-02")),
        "Error: Date: 2026-03-02 is in the future; type the date the goods actually moved",
    ),
    one(
        "move: doc blank",
        MOVE,
        lambda d: M(None, "Transfer", None, "CH-301", 1, "Main Case", "Vault"),
        "Error: Doc: Doc is blank; fill in Doc",
    ),
    Case(
        "move: a bad line holds back its document",
        MOVE,
        lambda d: [
            M(d, "Transfer", None, "ST-401", 1, "Main Case", "Vault"),
            M(d, "Transfer", None, "ST-401", 1, "Main Case", "Nowhere"),
        ],
        (
            HELD,
            "Error: To: unknown location 'Nowhere'; use one of Main Case, Vault, Window "
            "(Settings: Locations)",
        ),
    ),
    one(
        "move: Ledger Ref typed as a note",
        MOVE,
        lambda d: M(d, "Transfer", None, "ST-401", 1, "Main Case", "Vault", ref="moved?"),
        (
            "Error: Ledger Ref: 'moved?' is not a Ledger entry (like E12 or E12-E14); clear Ledger "
            "Ref: Loupe fills it when the row posts"
        ),
    ),
]

COUNTS = [
    one(
        "count: serial not on the books",
        COUNT,
        lambda d: C("Main Case", NEVER, None, 1, date=d),
        (
            "Error: Serial: serial LP-000077M is not on the books; receive it first (Receiving), "
            "then count again"
        ),
    ),
    one(
        "count: serial kept elsewhere",
        COUNT,
        lambda d: C("Main Case", PENDANT, None, 1, date=d),
        (
            "Error: Serial: serial LP-000003P is at Vault, not at Main Case; post a Transfer or a "
            "Return first, or count it where it belongs"
        ),
    ),
    one(
        "count: five million counted",
        COUNT,
        lambda d: C("Main Case", None, "CH-301", 5_000_000, date=d),
        "Error: Counted Qty: 5,000,000 is more pieces than one row may hold (1,000,000); check "
        "the number (a stray digit?); split a larger lot over several rows",
    ),
    one(
        "count: counted negative",
        COUNT,
        lambda d: C("Main Case", None, "CH-301", -1, date=d),
        "Error: Counted Qty: -1 is negative; enter how many pieces were counted (0 or more)",
    ),
    one(
        "count: counted a fraction",
        COUNT,
        lambda d: C("Main Case", None, "CH-301", 2.5, date=d),
        "Error: Counted Qty: 2.5 is not a whole number; type a whole number, like 3",
    ),
    one(
        "count: counted a word",
        COUNT,
        lambda d: C("Main Case", None, "CH-301", "eight", date=d),
        "Error: Counted Qty: 'eight' is not a whole number; type a whole number, like 3",
    ),
    one(
        "count: counted blank",
        COUNT,
        lambda d: C("Main Case", None, "CH-301", None, date=d),
        "Error: Counted Qty: Counted Qty is blank; type a whole number",
    ),
    one(
        "count: counted 7.999999999999999 is 8",
        COUNT,
        lambda d: C("Main Case", None, "CH-301", 7.999999999999999, date=d),
        None,
    ),
    one(
        "count: without a location",
        COUNT,
        lambda d: C(None, None, "CH-301", 3, date=d),
        "Error: Location: Location is blank; fill in Location",
    ),
    one(
        "count: unknown location",
        COUNT,
        lambda d: C("Attic", None, "CH-301", 3, date=d),
        (
            "Error: Location: unknown location 'Attic'; use one of Main Case, Vault, Window "
            "(Settings: Locations)"
        ),
    ),
    one(
        "count: unknown style",
        COUNT,
        lambda d: C("Main Case", None, "ZZ-1", 3, date=d),
        "Error: Style: unknown style 'ZZ-1'; add it on the Styles sheet first, or correct the code",
    ),
    one(
        "count: inactive style",
        COUNT,
        lambda d: C("Main Case", None, "OLD-9", 3, date=d),
        (
            "Error: Style: style OLD-9 is inactive; set Active to Yes on the Styles sheet, or pick "
            "another style"
        ),
    ),
    one(
        "count: serialized style counted without serials",
        COUNT,
        lambda d: C("Main Case", None, "RG-101", 1, date=d),
        (
            "Error: Serial: style RG-101 is serialized, so a count must name the piece; scan or "
            "type the Serial of each piece (one row per piece)"
        ),
    ),
    one(
        "count: neither serial nor style",
        COUNT,
        lambda d: C("Main Case", None, None, 1, date=d),
        (
            "Error: Style: neither Serial nor Style is filled; scan the piece's Serial, or type "
            "the Style counted"
        ),
    ),
    one(
        "count: serial with a bad check character",
        COUNT,
        lambda d: C("Main Case", BAD_CHECK, None, 1, date=d),
        (
            "Error: Serial: LP-000002Z fails its check character: one character is wrong or two "
            "are swapped; rescan the tag or retype the serial"
        ),
    ),
    one(
        "count: serial counted as 2",
        COUNT,
        lambda d: C("Main Case", IN_STOCK, None, 2, date=d),
        (
            "Error: Counted Qty: 2 of one serial; a serial is one piece: Counted Qty is 1 (found) "
            "or 0 (missing)"
        ),
    ),
    one(
        "count: date in the future",
        COUNT,
        lambda d: C("Main Case", None, "CH-301", 8, date=day("2026-06-01")),
        "Error: Count Date: 2026-06-01 is in the future; type the date the goods actually moved",
    ),
    one(
        "count: date a word",
        COUNT,
        lambda d: C("Main Case", None, "CH-301", 8, date="yesterday"),
        "Error: Count Date: 'yesterday' is not a date; type a date, like 2026-03-01",
    ),
    one(
        "count: date blank",
        COUNT,
        lambda d: C("Vault", None, "CH-301", 8, date=None),
        "Error: Count Date: Count Date is blank; type the date",
    ),
    one(
        "count: date before the shop opened",
        COUNT,
        lambda d: C("Main Case", None, "CH-301", 8, date=day("2012-01-01")),
        (
            "Error: Count Date: 2012-01-01 is before the shop opened (2015-01-01); check the year; "
            "Settings: Shop Opened holds the first valid date"
        ),
    ),
    Case(
        "count: a bad line holds back the whole count",
        COUNT,
        lambda d: [C("Window", None, "ST-401", 0, date=d), C("Window", None, "ZZ-2", 1, date=d)],
        (HELD, f"Error: Style: unknown style 'ZZ-2'; {STYLE_FIX}"),
    ),
    one(
        "count: Ledger Ref typed as a note",
        COUNT,
        lambda d: C("Window", None, "ST-401", 0, date=d, ref="recount"),
        (
            "Error: Ledger Ref: 'recount' is not a Ledger entry (like E12 or E12-E14); clear "
            "Ledger Ref: Loupe fills it when the row posts"
        ),
    ),
]

CASES = RECEIVING + SALES + MOVEMENTS + COUNTS
