"""Three demo stores for the chain view: `loupe chain --demo FOLDER` (or `make chain-demo`).

Downtown, Uptown and Harbor each get three years (2023-2025) of a small jewelry shop,
posted through the same buttons a shop presses: deliveries of quantity styles (FIFO and
moving average) and one-of-a-kind pieces, sales month by month, and a year-end close
(Harbor closes 2023 and 2024, Downtown 2024, so their history sits in archives). Downtown ships
stock to the other two as Memo Outs whose Party is the store: Uptown has received its
shipment (a Receiving row with the shipment's Doc, Terms Memo), Harbor's is still in
transit. The data is deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

from addin import session
from addin.macros import buttons
from addin.sheets import schema
from addin.template.shipped import shipped_template
from addin.workbook.files import FilesBook

STORES = ("Downtown", "Uptown", "Harbor")
YEARS = (2023, 2024, 2025)
CLOSES = {"Harbor": (2023, 2024), "Downtown": (2024,)}
MAIN = "Main Case"
# Style, Description, Category, Metal, Vendor, Vendor Style, Tracking, Cost Method, Retail,
# Reorder Point, Active; and the unit cost it is bought at
STYLES = [
    (["CH-18", "Rope chain 18in", "Chains", "14K Yellow Gold", "Northstar", "N-18", "Quantity",
      "FIFO", 189.0, 10, "Yes"], 64.0),
    (["CH-20", "Box chain 20in", "Chains", "Sterling Silver", "Northstar", "N-20", "Quantity",
      "Average", 59.0, 10, "Yes"], 17.5),
    (["ST-04", "Diamond studs 0.25ct", "Studs", "14K White Gold", "Brilliant", "B-04",
      "Quantity", "FIFO", 349.0, 6, "Yes"], 141.0),
    (["CM-11", "Heart charm", "Charms", "Sterling Silver", "Silverline", "S-11", "Quantity",
      "Average", 29.0, 20, "Yes"], 6.25),
    (["RG-01", "Solitaire ring", "Rings", "Platinum", "Aurum", "A-01", "Serialized", "FIFO",
      2499.0, None, "Yes"], 1050.0),
    (["PD-07", "Sapphire pendant", "Pendants", "18K Yellow Gold", "Aurum", "A-07", "Serialized",
      "FIFO", 1299.0, None, "Yes"], 520.0),
]
CUSTOMERS = ("A. Moreno", "B. Chen", "C. Okafor", "D. Lindqvist", "E. Haddad")


def _evening_of(day: dt.date) -> dt.datetime:
    """A press on the evening of `day`."""
    return dt.datetime.combine(day, dt.time(18))


def _press(path: Path, button, now: dt.datetime, *args) -> None:
    with FilesBook.open(path) as book:
        outcome = button(book, *args, now=now)
    if outcome.exit_code:
        raise RuntimeError(f"demo press refused: {outcome.summary}: {outcome.problems[:2]}")


def _type(path: Path, sheet: schema.Sheet, rows: list[list]) -> None:
    with FilesBook.open(path) as book:
        book.append_rows(sheet, [r + [None] * (len(sheet.headers) - len(r)) for r in rows])
        book.save()


def _new_store(folder: Path, name: str) -> Path:
    path = folder / f"{name.lower()}.xlsm"
    shutil.copyfile(shipped_template(), path)
    with FilesBook.open(path) as book:
        raw = book.read_table(schema.SETTINGS)
        pos = session.columns(raw, schema.SETTINGS)
        row = next(raw.first_row + i for i, r in enumerate(raw.body)
                   if r[pos["Setting"]] == "Store Name")
        book.write_cells(schema.SETTINGS, {"Value": {row: name}})
        book.replace_rows(schema.STYLES, [s for s, _ in STYLES])
        book.save()
    return path


class _Year:
    """One year of one store: receipts every month, then the sales they allow."""

    def __init__(self, rng: random.Random, year: int, store: str):
        self.rng, self.year, self.store = rng, year, store
        self.stock: dict[str, list[int]] = {}  # style -> units received per month

    def day(self, month: int, lo: int = 1, hi: int = 27) -> dt.datetime:
        return dt.datetime(self.year, month, self.rng.randint(lo, hi))

    def receipts(self) -> list[list]:
        rows = []
        for m in range(1, 13):
            for style, cost in STYLES:
                code = style[0]
                if style[6] == "Serialized":
                    n = self.rng.randint(0, 2)
                    rows += [[self.day(m, 1, 5), f"PO-{self.year}{m:02d}", style[4], code, 1,
                              round(cost * self.rng.uniform(0.9, 1.1), 2), None, MAIN,
                              "Owned"] for _ in range(n)]
                    continue
                if self.rng.random() < 0.5:
                    qty = self.rng.randint(8, 24)
                    rows.append([self.day(m, 1, 5), f"PO-{self.year}{m:02d}", style[4], code,
                                 qty, round(cost * self.rng.uniform(0.95, 1.08), 2), None,
                                 MAIN, "Owned"])
        return rows

    def sales(self, on_hand: dict, serials: dict[str, list]) -> list[list]:
        """Quantity sales after the month's deliveries (never more than is there), and
        now and then a piece."""
        rows, ticket = [], 0
        for m in range(1, 13):
            for style, _ in STYLES:
                code, retail = style[0], style[8]
                ticket += 1
                doc = f"T-{self.store[:2].upper()}{self.year}{ticket:04d}"
                if style[6] == "Serialized":
                    when = self.day(m, 8, 28)
                    ready = [p for p in serials.get(code, []) if p[0] < when]
                    if ready and self.rng.random() < 0.35:
                        serials[code].remove(ready[0])
                        rows.append([when, doc, ready[0][1], None, 1, retail,
                                     self.rng.choice(CUSTOMERS), None, "Sale"])
                    continue
                want = self.rng.randint(0, 6)
                if 0 < want <= on_hand.get((code, m), 0):
                    rows.append([self.day(m, 8, 28), doc, None, code, want, retail,
                                 self.rng.choice(CUSTOMERS), MAIN, "Sale"])
                    for later in range(m, 13):
                        on_hand[(code, later)] -= want
        return rows


def _on_hand_by_month(path: Path, year: int) -> dict:
    """(style, month) -> units on hand at the start of that month's sales."""
    with FilesBook.open(path, writing=False) as book:
        lf = session.read_ledger(book)
    out = {}
    for style, _ in STYLES:
        if style[6] != "Quantity":
            continue
        mine = lf[lf["style"] == style[0]]
        for m in range(1, 13):
            cut = dt.datetime(year, m, 7)
            out[(style[0], m)] = int(mine.loc[mine["date"] <= cut, "qty"].sum())
    return out


def _pieces_in_stock(path: Path) -> dict[str, list]:
    """Style -> (received, serial) of each piece in stock, oldest first."""
    with FilesBook.open(path, writing=False) as book:
        items = session.read_sheet(book, schema.ITEMS).frame
    here = items[items["Status"] == "In Stock"]
    return {code: sorted(zip(here.loc[here["Style"] == code, "Received"],
                             here.loc[here["Style"] == code, "Serial"], strict=True))
            for code in set(here["Style"])}


def _play_store(path: Path, store: str, seed: int) -> None:
    rng = random.Random(f"{seed}-{store}")
    for year in YEARS:
        y = _Year(rng, year, store)
        now = _evening_of(dt.date(year, 12, 31))
        _type(path, schema.RECEIVING, y.receipts())
        _press(path, buttons.post_receipts, now)
        _type(path, schema.SALES, y.sales(_on_hand_by_month(path, year),
                                          _pieces_in_stock(path)))
        _press(path, buttons.post_sales, now)
        if year in CLOSES.get(store, ()):
            _press(path, buttons.close_period, _evening_of(dt.date(year + 1, 1, 2)),
                   dt.date(year, 12, 31))


def _ship(paths: dict[str, Path]) -> None:
    """Downtown ships chains to Uptown (received) and studs to Harbor (in transit)."""
    day, now = dt.datetime(2025, 12, 20), _evening_of(dt.date(2025, 12, 31))
    _type(paths["Downtown"], schema.MOVEMENTS, [
        [day, "SHIP-2025-01", "Memo Out", None, "CH-18", 3, MAIN, None, "Uptown",
         dt.datetime(2026, 1, 31)],
        [day, "SHIP-2025-02", "Memo Out", None, "ST-04", 2, MAIN, None, "Harbor",
         dt.datetime(2026, 1, 31)]])
    _press(paths["Downtown"], buttons.post_movements, now)
    _type(paths["Uptown"], schema.RECEIVING, [
        [dt.datetime(2025, 12, 22), "SHIP-2025-01", "Downtown", "CH-18", 3, 64.0, None,
         MAIN, "Memo"]])
    _press(paths["Uptown"], buttons.post_receipts, now)


def make_chain_demo(folder: Path, seed: int = 14) -> list[Path]:
    """Three store books in `folder` (made afresh), with their archives."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for store in STORES:
        for old in folder.glob(f"{store.lower()}.*"):
            old.unlink()
        paths[store] = _new_store(folder, store)
        _play_store(paths[store], store, seed)
    _ship(paths)
    return list(paths.values())
