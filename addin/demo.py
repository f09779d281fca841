"""The demo shop: a year in the life of a jewelry store, typed and posted the way staff would.

`new_book(path, demo=True)` copies the template, then month by month types Receiving,
Sales, Movements and Counts rows and presses the same buttons the ribbon has: split
serialized deliveries, post receipts, scan sold tags off the Items sheet, post sales,
returns, a transfer, memo in and out, a physical count and one method switch. On the last
day it prints the tags of the last delivery (a PDF beside the book) and counts the Window
by scan: a handheld scanner's export reconciled on the Count Reconciliation sheet, left
there for the owner to read (Post Counts posts the accepted lines). A seeded generator and
a fixed calendar make the same seed give the same book on any machine and any day.
`python -m addin.demo` is what `make demo` runs.
"""

from __future__ import annotations

import datetime as dt
import inspect
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from addin.macros import buttons
from addin.sheets import schema
from addin.template.shipped import shipped_template

DEMO_END = dt.date(2026, 11, 20)  # the demo's "today": a fixed day keeps runs identical
MONTHS = 12
MAIN, VAULT, WINDOW = "Main Case", "Vault", "Window"

FINE = {  # serialized categories: code prefix, unit cost range, markup
    "Rings": ("RG", (180, 4200), 2.4),
    "Pendants": ("PD", (120, 2600), 2.3),
    "Earrings": ("ER", (90, 1900), 2.3),
    "Bracelets": ("BR", (220, 3800), 2.2),
    "Watches": ("WT", (650, 7400), 1.7),
}
COMMODITY = {  # quantity categories
    "Chains": ("CH", (14, 160), 2.6),
    "Studs": ("ST", (6, 70), 2.8),
    "Findings": ("FN", (1, 9), 3.0),
    "Charms": ("CM", (8, 45), 2.7),
}
METALS = ("14K Yellow Gold", "14K White Gold", "18K Yellow Gold", "Platinum", "Sterling Silver")
VENDORS = ("Aurum Casting Co", "Brilliant Stones Ltd", "Northstar Chains", "Silverline Findings")
WATCH_VENDOR = "Meridian Watch Group"
CONSIGNOR = "Estate Buyers Guild"
CUSTOMERS = (
    "A. Moreno",
    "B. Chen",
    "C. Okafor",
    "D. Lindqvist",
    "E. Haddad",
    "F. Novak",
    "G. Patel",
    "H. Kowalski",
    "I. Tanaka",
    "J. Rivera",
    "K. Fischer",
    "L. Dubois",
)
DEALERS = ("Harbor Jewelers", "Crown & Clasp")
# An estate lot bought long before the demo year and never sold: the shop's slow movers,
# its over-365-day ageing and its markdown suggestions. (code, category, tracking, cost,
# retail, pieces or units, days before DEMO_END it arrived)
ESTATE = (
    ("BC-101", "Brooches", True, 640.0, 1399.0, 2, 600),
    ("BC-102", "Brooches", True, 380.0, 899.0, 3, 420),
    ("CF-101", "Cufflinks", False, 45.0, 119.0, 8, 560),
)
ESTATE_VENDOR = "Estate Buyers Guild"


@dataclass
class DemoStyle:
    code: str
    category: str
    metal: str
    vendor: str
    serialized: bool
    cost: float
    retail: float
    method: str = "FIFO"
    reorder: int | None = None


def make_styles(rng: random.Random) -> list[DemoStyle]:
    """~150 styles: serialized fine jewelry and quantity commodity lines."""
    styles = []
    for cats, serialized, n in ((FINE, True, 18), (COMMODITY, False, 15)):
        for category, (prefix, (lo, hi), markup) in cats.items():
            for i in range(n):
                cost = round(rng.uniform(lo, hi), 2)
                vendor = WATCH_VENDOR if category == "Watches" else rng.choice(VENDORS)
                style = DemoStyle(
                    f"{prefix}-{101 + i}",
                    category,
                    rng.choice(METALS),
                    vendor,
                    serialized,
                    cost,
                    round(cost * markup) - 0.01,
                )
                if not serialized:
                    style.method = "Average" if i % 5 == 4 else "FIFO"
                    style.reorder = rng.choice((6, 10, 12, 20))
                styles.append(style)
    for code, category, serialized, cost, retail, _, _ in ESTATE:
        styles.append(
            DemoStyle(code, category, "14K Yellow Gold", ESTATE_VENDOR, serialized, cost, retail)
        )
    return styles


SLOW = {code for code, *_ in ESTATE}


def singular(category: str) -> str:
    """'Watches' -> 'Watch', 'Brooches' -> 'Brooch', 'Rings' -> 'Ring'."""
    return category[:-2] if category.endswith(("ches", "shes")) else category[:-1]


def style_rows(styles: list[DemoStyle]) -> list[list]:
    rows = []
    for s in styles:
        desc = f"{s.metal} {singular(s.category).lower()} {s.code[-3:]}"
        rows.append(
            [
                s.code,
                desc,
                s.category,
                s.metal,
                s.vendor,
                f"V{s.code.replace('-', '')}",
                "Serialized" if s.serialized else "Quantity",
                s.method,
                s.retail,
                s.reorder,
                "Yes",
            ]
        )
    return rows


def month_end(m: int) -> dt.date:
    return DEMO_END - dt.timedelta(days=30 * (MONTHS - 1 - m))


def day_in(rng: random.Random, m: int) -> dt.datetime:
    d = month_end(m) - dt.timedelta(days=rng.randint(0, 27))
    return dt.datetime(d.year, d.month, d.day)


def evening(day: dt.date) -> dt.datetime:
    """The time the demo's buttons are pressed on `day`: six in the evening."""
    return dt.datetime.combine(day, dt.time(18))


class Year:
    """Plays twelve months into an open book."""

    def __init__(self, book, seed: int):
        self.book = book
        self.rng = random.Random(seed)
        self.styles = make_styles(self.rng)
        self.by_code = {s.code: s for s in self.styles}
        self.doc = 5000
        self.ticket = 20000
        self.sold_serials: list[tuple[str, str]] = []  # (serial, customer)
        self.converted: set[str] = set()
        self.pressed: list[str] = []
        self.now = evening(month_end(0))  # when the next press happens
        self.last_delivery = ""
        self.told: list[str] = []  # what the last day's tags and scan count did

    def press(self, button, *args) -> None:
        clocked = "now" in inspect.signature(button).parameters
        outcome = button(self.book, *args, **({"now": self.now} if clocked else {}))
        self.pressed.append(outcome.summary)
        if outcome.refused and outcome.button != "Validate Styles":
            raise RuntimeError(f"demo row refused: {outcome.summary}: {outcome.problems[:3]}")

    def play(self) -> None:
        self.book.replace_rows(schema.STYLES, style_rows(self.styles))
        self.now = evening(month_end(0))
        self.estate_lot()
        for m in range(MONTHS):
            self.now = evening(month_end(m))
            self.month(m)
        self.now = evening(DEMO_END)
        self.press(buttons.validate_styles)
        self.press(buttons.verify_ledger)

    def tags_and_scan_count(self, tags: Path) -> None:
        """The last day: tags for the last delivery, then the Window counted by scan."""
        self.now = evening(DEMO_END)
        printed = buttons.print_tags(self.book, tags, docs=(self.last_delivery,), now=self.now)
        self.pressed.append(printed.summary)
        self.told.append(printed.summary)
        counted = buttons.count_by_scan(self.book, WINDOW, DEMO_END, self.window_scans(),
                                        "the Window scanner's export", now=self.now)
        self.pressed.append(counted.summary)
        self.told.append(f"{counted.summary.split('. ')[0]}; left on the Count "
                         "Reconciliation sheet for review, not posted (Post Counts posts "
                         "its accepted lines)")

    def window_scans(self) -> str:
        """A handheld scanner's CSV of the Window: every piece there but one, a Vault piece
        left on the Window, a sold piece still in the case, an unknown code, a misscan, a
        piece scanned twice, and the Window's chains one short."""
        stock = sorted(self.in_stock(), key=lambda i: i["Serial"])
        here = [i["Serial"] for i in stock if i["Location"] == WINDOW]
        vault = next(i["Serial"] for i in stock if i["Location"] == VAULT)
        sold = sorted(s for s, _ in self.sold_serials)[0]
        misscan = here[1][:-1] + ("A" if here[1][-1] != "A" else "B")
        codes = [*here[2:], here[2], vault, sold, "ZZ-4417", misscan]
        shop_units = self.quantity_on_hand(WINDOW)
        for code, units in sorted(shop_units.items()):
            codes += [code] * max(units - 1, 0)
        start = dt.datetime.combine(DEMO_END, dt.time(9, 30))
        lines = [f"{start + dt.timedelta(seconds=4 * n):%Y-%m-%d %H:%M:%S},{c}"
                 for n, c in enumerate(codes)]
        return "Time,Barcode\n" + "\n".join(lines) + "\n"

    def month(self, m: int) -> None:
        self.receive(m)
        if m == 6:
            self.consignment(m)
        self.press(buttons.split_receiving)
        self.press(buttons.post_receipts)
        if m >= 1:
            self.sell(m)
        if m in (3, 7):
            self.returns(m)
        if m == 4:
            self.transfers(m)
        if m == 5:
            self.vendor_return(m)
        if m in (9, 10):
            self.memos(m)
        if m == 8:
            self.convert_one()
        if m == 10:
            self.count(m)

    # -- typing rows ---------------------------------------------------------------
    def type_rows(self, sheet: schema.Sheet, rows: list[list]) -> None:
        if rows:
            self.book.append_rows(sheet, rows)

    def estate_lot(self) -> None:
        """The old estate lot, received long ago (one row per piece for a serialized style)."""
        rows = []
        for code, _, serialized, cost, _, count, days in ESTATE:
            self.doc += 1
            day = dt.datetime.combine(DEMO_END - dt.timedelta(days=days), dt.time())
            for qty in [1] * count if serialized else [count]:
                rows.append(
                    [
                        day,
                        f"PO-{self.doc}",
                        ESTATE_VENDOR,
                        code,
                        qty,
                        cost,
                        None,
                        VAULT,
                        "Owned",
                        "estate lot",
                        None,
                        None,
                    ]
                )
        self.type_rows(schema.RECEIVING, rows)
        self.press(buttons.post_receipts)

    def receive(self, m: int) -> None:
        fine = [s for s in self.styles if s.serialized and s.code not in SLOW]
        bulk = [
            s
            for s in self.styles
            if not s.serialized and s.code not in self.converted and s.code not in SLOW
        ]
        rows = []
        for _ in range(4):  # four deliveries a month
            self.doc += 1
            self.last_delivery = f"PO-{self.doc}"
            day = day_in(self.rng, m)
            for s in self.rng.sample(fine, 19):
                qty = self.rng.choice((1, 1, 1, 2, 3))
                cost = round(s.cost * self.rng.uniform(0.94, 1.06), 2)
                rows.append(
                    [
                        day,
                        f"PO-{self.doc}",
                        s.vendor,
                        s.code,
                        qty,
                        cost,
                        None,
                        self.rng.choice((MAIN, MAIN, VAULT)),
                        "Owned",
                        None,
                        None,
                        None,
                    ]
                )
            for s in self.rng.sample(bulk, 5):
                cost = round(s.cost * self.rng.uniform(0.9, 1.12), 2)
                rows.append(
                    [
                        day,
                        f"PO-{self.doc}",
                        s.vendor,
                        s.code,
                        self.rng.choice((12, 24, 36)),
                        cost,
                        None,
                        MAIN,
                        "Owned",
                        None,
                        None,
                        None,
                    ]
                )
        self.type_rows(schema.RECEIVING, rows)

    def consignment(self, m: int) -> None:
        self.doc += 1
        day = day_in(self.rng, m)
        rows = [
            [
                day,
                f"MEMO-{self.doc}",
                CONSIGNOR,
                s.code,
                1,
                round(s.cost * 0.8, 2),
                None,
                VAULT,
                "Memo",
                "estate piece on consignment",
                None,
                None,
            ]
            for s in self.rng.sample([s for s in self.styles if s.category == "Rings"], 4)
        ]
        self.type_rows(schema.RECEIVING, rows)

    def in_stock(self) -> list[dict]:
        raw = self.book.read_table(schema.ITEMS)
        header = [str(h) for h in raw.header]
        items = [dict(zip(header, r, strict=True)) for r in raw.body]
        return [i for i in items if i.get("Status") == "In Stock" and i.get("Serial")]

    def sell(self, m: int) -> None:
        pieces = sorted(
            (i for i in self.in_stock() if i["Style"] not in SLOW), key=lambda i: i["Serial"]
        )
        picks = self.rng.sample(pieces, min(len(pieces), self.rng.randint(60, 80)))
        rows = []
        for i in picks:
            self.ticket += 1
            who = self.rng.choice(CUSTOMERS)
            retail = self.by_code[i["Style"]].retail if i["Style"] in self.by_code else None
            price = round((retail or (i["Cost"] or 100) * 2) * self.rng.uniform(0.85, 1.0), 2)
            rows.append(
                [
                    max(day_in(self.rng, m), i["Received"]),  # never before it arrived
                    f"T-{self.ticket}",
                    i["Serial"],
                    None,
                    1,
                    price,
                    who,
                    None,
                    "Sale",
                    None,
                    None,
                ]
            )
            self.sold_serials.append((i["Serial"], who))
        on_hand = self.quantity_on_hand()
        for code, have in sorted(on_hand.items()):
            if code in SLOW or have < 4 or self.rng.random() < 0.35:
                continue
            self.ticket += 1
            s = self.by_code[code]
            rows.append(
                [
                    month_end(m),  # stock is checked as of the sale's date: the month's is in
                    f"T-{self.ticket}",
                    None,
                    code,
                    self.rng.randint(1, max(1, have // 3)),
                    s.retail,
                    self.rng.choice(CUSTOMERS),
                    MAIN,
                    "Sale",
                    None,
                    None,
                ]
            )
        self.type_rows(schema.SALES, rows)
        self.press(buttons.post_sales)

    def quantity_on_hand(self, location: str = MAIN) -> dict[str, int]:
        from addin import session

        shop, _ = session.load_shop(self.book, self.now)
        return {
            s.code: shop.stock.on_hand(s.code, location)
            for s in self.styles
            if not s.serialized and s.code not in self.converted and s.code not in SLOW
        }

    def returns(self, m: int) -> None:
        serial, who = self.sold_serials[self.rng.randrange(len(self.sold_serials) // 2)]
        self.sold_serials = [x for x in self.sold_serials if x[0] != serial]
        self.ticket += 1
        rows = [
            [month_end(m), f"R-{self.ticket}", serial, None, 1, 0, who, MAIN, "Return", None, None]
        ]
        self.type_rows(schema.SALES, rows)
        self.press(buttons.post_sales)

    def transfers(self, m: int) -> None:
        pieces = [i for i in self.in_stock() if i["Location"] == VAULT]
        rows = [
            [
                month_end(m),
                "XFER-1",
                "Transfer",
                i["Serial"],
                None,
                1,
                VAULT,
                WINDOW,
                None,
                None,
                None,
                None,
            ]
            for i in sorted(pieces, key=lambda i: i["Serial"])[:6]
        ]
        chains = self.quantity_on_hand()
        code = max(chains, key=chains.get)
        rows.append(
            [
                month_end(m),
                "XFER-1",
                "Transfer",
                None,
                code,
                2,
                MAIN,
                WINDOW,
                None,
                None,
                None,
                None,
            ]
        )
        self.type_rows(schema.MOVEMENTS, rows)
        self.press(buttons.post_movements)

    def vendor_return(self, m: int) -> None:
        pieces = [i for i in self.in_stock() if str(i["Style"]).startswith("WT")]
        if not pieces:
            return
        i = sorted(pieces, key=lambda i: i["Serial"])[0]
        self.type_rows(
            schema.MOVEMENTS,
            [
                [
                    month_end(m),
                    "RTV-1",
                    "Vendor Return",
                    i["Serial"],
                    None,
                    1,
                    None,
                    None,
                    WATCH_VENDOR,
                    None,
                    None,
                    None,
                ]
            ],
        )
        self.press(buttons.post_movements)

    def memos(self, m: int) -> None:
        if m == 9:
            pieces = sorted(
                [i for i in self.in_stock() if i["Location"] == MAIN], key=lambda i: i["Serial"]
            )[:5]
            due_soon = dt.datetime.combine(month_end(m) + dt.timedelta(days=21), dt.time())
            due_later = dt.datetime.combine(DEMO_END + dt.timedelta(days=30), dt.time())
            rows = [
                [
                    month_end(m),
                    "MO-1",
                    "Memo Out",
                    i["Serial"],
                    None,
                    1,
                    MAIN,
                    None,
                    DEALERS[0],
                    due_soon,
                    None,
                    None,
                ]
                for i in pieces[:3]
            ]
            rows += [
                [
                    month_end(m),
                    "MO-2",
                    "Memo Out",
                    i["Serial"],
                    None,
                    1,
                    MAIN,
                    None,
                    DEALERS[1],
                    due_later,
                    None,
                    None,
                ]
                for i in pieces[3:]
            ]
            self.memo_out = [i["Serial"] for i in pieces[:3]]
        else:
            rows = [
                [
                    month_end(m),
                    "MB-1",
                    "Memo Back",
                    self.memo_out[0],
                    None,
                    1,
                    None,
                    MAIN,
                    DEALERS[0],
                    None,
                    None,
                    None,
                ]
            ]
        self.type_rows(schema.MOVEMENTS, rows)
        self.press(buttons.post_movements)

    def convert_one(self) -> None:
        charms = sorted(s.code for s in self.styles if s.category == "Charms")
        on_hand = self.quantity_on_hand()
        code = next(c for c in charms if 0 < on_hand.get(c, 0) <= 40)
        self.press(buttons.convert_style, code, "Serialized")
        self.converted.add(code)

    def count(self, m: int) -> None:
        day = dt.datetime.combine(month_end(m), dt.time())
        on_hand = self.quantity_on_hand()
        rows = []
        for code in sorted(on_hand)[:12]:
            have = on_hand[code]
            counted = max(0, have + self.rng.choice((0, 0, -1, -2, 1)))
            rows.append([day, MAIN, None, code, counted, None, None, None, None])
        pieces = sorted(
            [i for i in self.in_stock() if i["Location"] == MAIN], key=lambda i: i["Serial"]
        )
        for i in pieces[:8]:
            rows.append([day, MAIN, i["Serial"], None, 1, None, None, None, None])
        rows.append([day, MAIN, pieces[8]["Serial"], None, 0, None, None, None, None])
        self.type_rows(schema.COUNTS, rows)
        self.press(buttons.post_counts)


def new_book(path: Path, demo: bool = False, seed: int = 7) -> str:
    """Copy the template to `path`; with `demo`, play a year of a shop into it."""
    from addin.workbook.files import FilesBook

    shutil.copyfile(shipped_template(), path)
    if not demo:
        return f"New book {path} made from the template."
    with FilesBook.open(path) as book:
        year = Year(book, seed)
        year.play()
        year.tags_and_scan_count(tags_path(path))
    return "\n".join([
        f"Demo shop written to {path}: {len(year.pressed)} button presses over {MONTHS} months.",
        *year.told,
    ])


def tags_path(book: Path) -> Path:
    """Where the demo's tags go: beside the book (demo.xlsm -> demo-tags.pdf)."""
    return book.with_name(f"{book.stem}-tags.pdf")


def main(argv: list[str] | None = None) -> int:
    """`make demo`: a fresh demo book, every button in a shop's order, and a summary."""
    import argparse

    from addin.macros.summary import shop_summary
    from addin.workbook.files import FilesBook

    parser = argparse.ArgumentParser(
        prog="python -m addin.demo",
        description="Make the demo shop's book, press every button on it in a shop's "
                    "order, and print a summary of the shop.")
    parser.add_argument("book", nargs="?", default="demo.xlsm",
                        help="the .xlsm book to write (default: demo.xlsm in this folder); "
                             "an existing file is replaced")
    path = Path(parser.parse_args(argv).book)
    if path.suffix.casefold() != ".xlsm":
        print(f"{path}: a Loupe book is an .xlsm file; give a name ending in .xlsm",
              file=sys.stderr)
        return 2
    print(new_book(path, demo=True))
    with FilesBook.open(path) as book:
        outcome = buttons.refresh_reports(book, DEMO_END, now=evening(DEMO_END))
        print(outcome.summary)
        print(shop_summary(book, evening(DEMO_END)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
