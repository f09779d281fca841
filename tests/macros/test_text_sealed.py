"""Text is sealed into the hash chain exactly as it is written to the cell, and every cell
Loupe writes fits one Excel cell (32,767 UTF-16 units: an emoji counts 2).

Typed with openpyxl as Excel stores such text: a control character as `_xHHHH_` (a barcode
scanner's GS is `_x001D_`), a literal `_x0041_` as `_x005F_x0041_`. Read back with calamine,
which decodes both exactly as Excel does.
"""

from __future__ import annotations

import python_calamine

from addin.sheets import schema
from addin.sheets.schema import cell_units
from tests.macros import shopbook
from tests.macros.conftest import loupe
from tests.macros.shopbook import day

GS, VT, GEM = "\x1d", "\x0b", "\U0001f48e"  # group separator, vertical tab, a gem emoji


def table(path, sheet: schema.Sheet) -> list[dict]:
    """A sheet's rows as Excel shows them (calamine decodes Excel's _xHHHH_ escapes)."""
    found = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet.name)
    header, *body = found.to_python()
    return [dict(zip(header, r, strict=False)) for r in body if any(c != "" for c in r)]


def test_control_characters_and_a_typed_escape_survive_a_post_a_verify_and_an_undo(shop):
    path = shop["path"]
    shopbook.type_rows(path, schema.RECEIVING, [
        [day("2026-02-20"), "PO_x001D_77", "Gem_x000B_line", "CH-301", 2, 40.0, None,
         "Main Case", "Owned"],
        [day("2026-02-20"), "_x005F_x0041_", "Aurum", "CH-301", 1, 40.0, None, "Main Case",
         "Owned"],
    ])
    assert loupe("post", "receipts", path).exit_code == 0
    ledger = table(path, schema.LEDGER)
    docs = [e["Doc"] for e in ledger if e["Kind"] == "RECEIPT"][-2:]
    assert docs == [f"PO{GS}77", "_x0041_"]  # as typed, not "A" and not "PO77"
    assert ledger[-2]["Party"] == f"Gem{VT}line"
    verified = loupe("verify", path)
    assert verified.exit_code == 0 and "Ledger OK" in verified.output
    again = loupe("post", "receipts", path)  # the rows are known by their Doc: no new entries
    assert again.exit_code == 0 and len(table(path, schema.LEDGER)) == len(ledger)
    entry = int(ledger[-1]["Entry"])
    why = f"typed twice{VT} {GEM}"
    assert loupe("reverse", path, str(entry), "--why", why).exit_code == 0
    assert table(path, schema.LEDGER)[-1]["Party"] == why
    assert loupe("verify", path).exit_code == 0


def test_a_reason_longer_than_a_cell_is_refused_and_the_book_is_left_alone(shop):
    path = shop["path"]
    before = path.read_bytes()
    why = GEM * 16_384  # 16,384 characters, 32,768 as Excel counts them: one too many
    result = loupe("reverse", path, "5", "--why", why)
    assert result.exit_code != 0
    assert "32,768 characters long as Excel counts them" in result.output
    assert path.read_bytes() == before


def test_a_status_quoting_a_very_long_value_still_fits_its_cell(shop):
    path = shop["path"]
    style = GEM * 16_370  # 32,740 units: fits a cell, but not with Loupe's words around it
    shopbook.type_rows(path, schema.SALES, [
        [day("2026-02-20"), "T-9", None, style, 1, 10.0, "Ann", "Main Case", "Sale"],
    ])
    loupe("post", "sales", path)
    status = table(path, schema.SALES)[-1]["Status"]
    assert status.startswith("Error: Style: unknown style '" + GEM)
    assert status.endswith("\u2026; add it on the Styles sheet first, or correct the code")
    assert cell_units(status) <= 32_767
