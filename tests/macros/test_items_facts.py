"""The Items sheet and the reports say the same of a piece: its vendor is the one its cost
came from (its receipt, or the receipt of the layer Convert Style made it from), moved or
not, on Items, in the sale lines (`loupe export --what sales`) and in Margin by vendor."""

from __future__ import annotations

import json

import openpyxl

from addin.sheets import schema
from tests.macros import shopbook
from tests.macros.conftest import loupe
from tests.macros.shopbook import day


def table_under(path, sheet: str, first: str) -> list[dict]:
    """The rows of the report table whose header row starts with `first`."""
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(path)[sheet].iter_rows()]
    at = next(i for i, r in enumerate(rows) if r[0] == first)
    header = rows[at]
    out = []
    for r in rows[at + 1:]:
        if r[0] in (None, "Total"):
            break
        out.append(dict(zip(header, r, strict=True)))
    return out


def exported(path, what: str) -> list[dict]:
    result = loupe("export", path, "--what", what, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def post(path, what: str) -> None:
    result = loupe("post", what, path)
    assert result.exit_code == 0, result.output


def test_a_pieces_vendor_is_the_same_on_items_and_in_the_reports(shop):
    path = shop["path"]
    shopbook.type_rows(path, schema.RECEIVING, [  # neither is the style's usual vendor
        [day("2026-02-03"), "EST-1", "Estate Buyers Guild", "RG-101", 1, 700.0, None, "Vault",
         "Owned"],
        [day("2026-02-05"), "CD-1", "Chain Depot", "CH-301", 3, 55.0, None, "Main Case",
         "Owned"],
    ])
    post(path, "receipts")
    assert loupe("convert", path, "CH-301", "--to", "serialized").exit_code == 0
    items = shopbook.read_rows(path, schema.ITEMS)
    estate = next(i["Serial"] for i in items if i["Vendor"] == "Estate Buyers Guild")
    chains = [i for i in items if i["Style"] == "CH-301"]
    # 8 units left of Northstar's 10 (2 sold), 3 of Chain Depot's: each keeps its vendor
    assert sorted(i["Vendor"] for i in chains) == ["Chain Depot"] * 3 + ["Northstar"] * 8
    depot = next(i["Serial"] for i in chains if i["Vendor"] == "Chain Depot")
    shopbook.type_rows(path, schema.MOVEMENTS, [
        [day("2026-02-12"), "TR-5", "Transfer", estate, None, 1, "Vault", "Window"],
    ])
    post(path, "movements")
    shopbook.type_rows(path, schema.SALES, [
        [day("2026-02-20"), "T-50", estate, None, 1, 1500.0, "A. Moreno", None, "Sale"],
        [day("2026-02-20"), "T-51", depot, None, 1, 120.0, "B. Chen", None, "Sale"],
    ])
    post(path, "sales")
    assert loupe("refresh", path).exit_code == 0
    items = {i["Serial"]: i for i in shopbook.read_rows(path, schema.ITEMS)}
    assert items[estate]["Vendor"] == "Estate Buyers Guild"
    assert items[depot]["Vendor"] == "Chain Depot"
    lines = {r["Serial"]: r for r in exported(path, "sales") if r["Serial"]}
    for serial in (estate, depot, shop["sold"]):
        assert lines[serial]["Vendor"] == items[serial]["Vendor"], serial
    assert items[shop["sold"]]["Vendor"] == "Aurum"  # received from the style's own vendor
    by_vendor = {r["Vendor"]: r for r in table_under(path, "Margin", "Vendor")}
    assert by_vendor["Estate Buyers Guild"]["Sales"] == 1500
    assert by_vendor["Chain Depot"]["Sales"] == 120
