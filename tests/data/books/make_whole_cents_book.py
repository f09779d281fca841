"""How whole_cents_book.xlsm was made: with the code of main at f3b8206, before unit costs
were kept to 4 decimals (every Unit Cost whole cents, sealed by that code's hash chain).

Run from a checkout of that commit: ``python make_whole_cents_book.py out.xlsm``.
"""

import os
import sys
from pathlib import Path

from typer.testing import CliRunner

from addin.cli import app
from addin.sheets import schema
from tests.macros import shopbook
from tests.macros.shopbook import day

NOW = "2026-03-01T17:00:00"


def loupe(*args) -> None:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"LOUPE_NOW": NOW})
    assert result.exit_code == 0, result.output


def main(out: Path) -> None:
    os.environ["LOUPE_NOW"] = NOW
    path = shopbook.new_book(out.parent, out.name)
    shopbook.type_rows(path, schema.RECEIVING, [
        [day("2026-01-10"), "PO-1", "Aurum", "RG-101", 1, 800.0, None, "Main Case", "Owned"],
        [day("2026-01-12"), "PO-2", "Northstar", "CH-301", 10, 12.34, None, "Main Case", "Owned"],
        [day("2026-01-12"), "PO-2", "Silverline", "ST-401", 1000, 0.13, None, "Main Case",
         "Owned"],
        [day("2026-01-13"), "PO-3", "Silverline", "ST-401", 3, 0.33, None, "Main Case", "Owned"],
    ])
    loupe("post", "receipts", path)
    rings = [i["Serial"] for i in shopbook.read_rows(path, schema.ITEMS)
             if i["Style"] == "RG-101"]
    shopbook.type_rows(path, schema.SALES, [
        [day("2026-02-01"), "T-1", rings[0], None, 1, 1999.99, "B. Chen", None, "Sale"],
        [day("2026-02-02"), "T-2", None, "CH-301", 3, 25.0, "C. Okafor", "Main Case", "Sale"],
        [day("2026-02-03"), "T-3", None, "ST-401", 333, 0.5, "D. Ruiz", "Main Case", "Sale"],
    ])
    loupe("post", "sales", path)
    loupe("verify", path)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
