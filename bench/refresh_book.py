"""A realistic shop book of any size, made fast: for the refresh benchmark and the
LibreOffice recalculation test.

The ledger comes from `synthetic_ledger` (receipts, transfers, sales, returns over four
years; serialized and quantity styles, FIFO and Average), dressed as a shop: styles get
categories, vendors, retail prices and reorder points; receipts name their vendor (one in
seven of a consignor's is memo-in stock); sales are priced at the style's retail and name a
customer; every row gets a Doc. The entries are sealed onto the hash chain and written into
a copy of the template with the files adapter, as posting would have left them.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from addin.core import costing  # noqa: E402
from addin.core.ledger import chain  # noqa: E402
from addin.session import ledger_rows  # noqa: E402
from addin.sheets import schema  # noqa: E402
from addin.workbook.files import FilesBook  # noqa: E402
from bench.synthetic_ledger import as_posted, synthetic_ledger  # noqa: E402

TEMPLATE = ROOT / "workbook_template.xlsm"
FINE = ("Rings", "Pendants", "Earrings", "Bracelets", "Watches")
COMMODITY = ("Chains", "Studs", "Findings", "Charms")
VENDORS = ("Aurum Casting Co", "Brilliant Stones Ltd", "Northstar Chains", "Silverline Findings")
CONSIGNOR = "Estate Buyers Guild"
CUSTOMERS = ("A. Moreno", "B. Chen", "C. Okafor", "D. Lindqvist", "E. Haddad", "F. Novak")
PLACES = {"Main": "Main Case", "Vault": "Vault", "Window": "Window"}


def shop_ledger(rows: int, styles: int, seed: int, last_day: dt.date):
    """(sealed ledger frame, style rows for the Styles sheet), deterministic for a seed."""
    lf, methods = synthetic_ledger(rows, styles, seed)
    rng = np.random.default_rng(seed + 1)
    lf["date"] = lf["date"] + (pd.Timestamp(last_day) - lf["date"].max())
    lf["posted_at"] = lf["date"] + pd.Timedelta(hours=18)
    lf["location"] = lf["location"].map(PLACES)
    names = sorted(methods)
    serialized = set(lf.loc[lf["serial"] != "", "style"])
    cost = lf[lf["kind"] == "RECEIPT"].groupby("style")["unit_cost"].median() // 100  # cents
    retail = (
        (cost.reindex(names).fillna(1000) * rng.uniform(1.8, 2.8, len(names))) // 100 * 100 - 1
    ).astype(np.int64)
    vendor = pd.Series(np.array(VENDORS, dtype=object)[rng.integers(0, 4, len(names))], index=names)
    receipt = lf["kind"] == "RECEIPT"
    memo = receipt & (rng.random(len(lf)) < 1 / 7)
    lf.loc[memo, "kind"] = "MEMO_IN"
    lf["party"] = np.where(receipt, lf["style"].map(vendor).to_numpy(), "")
    lf.loc[memo, "party"] = CONSIGNOR
    sale_or_back = lf["kind"].isin(["SALE", "RETURN"])
    # retail in cents; the frame holds a unit price in ten-thousandths
    lf.loc[sale_or_back, "unit_price"] = lf.loc[sale_or_back, "style"].map(retail) * 100
    lf.loc[sale_or_back, "party"] = np.array(CUSTOMERS, dtype=object)[
        lf["entry"][sale_or_back].to_numpy() % len(CUSTOMERS)
    ]
    prefix = (
        lf["kind"]
        .map({"RECEIPT": "PO-", "MEMO_IN": "MI-", "SALE": "T-", "RETURN": "R-", "TRANSFER": "TR-"})
        .fillna("D-")
    )
    lf["doc"] = prefix + lf["entry"].astype(str)
    lf = as_posted(lf, costing.book(lf, methods))  # memo-in stock changes the averages
    sealed = chain.seal(lf, chain.GENESIS)
    style_rows = [
        _style_row(i, s, s in serialized, methods[s], int(retail[s]), vendor[s])
        for i, s in enumerate(names)
    ]
    return sealed, style_rows


def _style_row(i: int, code: str, serialized: bool, method: str, retail: int, vendor: str):
    category = FINE[i % len(FINE)] if serialized else COMMODITY[i % len(COMMODITY)]
    return [
        code,
        f"{category[:-1]} {code[-3:]}",
        category,
        "14K Yellow Gold",
        vendor,
        f"V{code}",
        "Serialized" if serialized else "Quantity",
        "FIFO" if serialized else method,
        retail / 100,
        None if serialized else 6 + i % 10,
        "Yes",
    ]


def make_book(
    path: Path,
    rows: int = 3000,
    styles: int = 60,
    seed: int = 7,
    as_of: dt.date = dt.date(2026, 11, 20),
) -> Path:
    """A shop book at `path` holding a `rows`-entry ledger, Report As Of = `as_of`."""
    sealed, style_rows = shop_ledger(rows, styles, seed, as_of)
    shutil.copyfile(TEMPLATE, path)
    with FilesBook.open(path) as book:
        book.replace_rows(schema.STYLES, style_rows)
        book.append_rows(schema.LEDGER, ledger_rows(sealed))
        settings = book.read_table(schema.SETTINGS)
        at = {str(r[0]): settings.first_row + i for i, r in enumerate(settings.body)}
        book.write_cells(
            schema.SETTINGS,
            {
                "Value": {
                    at["Report As Of"]: dt.datetime(as_of.year, as_of.month, as_of.day),
                    at["Locations"]: ", ".join(PLACES.values()),
                }
            },
        )
        book.save()
    return path


if __name__ == "__main__":
    print(make_book(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3000))
