"""docs/getting-started.md: its pictures exist, are the ones its script makes, and the script
still makes them from a real book."""

from __future__ import annotations

import importlib.util
import re
import shutil
import struct
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "getting-started.md"
PICTURES = ROOT / "docs" / "getting-started"


def load_script():
    """docs/getting-started/make_pictures.py (its folder's dash keeps it from an import)."""
    spec = importlib.util.spec_from_file_location("make_guide_pictures",
                                                  PICTURES / "make_pictures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_every_sheet_the_script_prints_is_in_the_guide_and_committed():
    pictures = load_script().SHEETS
    shown = set(re.findall(r"\]\(getting-started/([a-z-]+)\.png\)", GUIDE.read_text()))
    assert shown == {s.lower() for s in pictures}
    for name in shown:
        width, height = png_size(PICTURES / f"{name}.png")
        assert width > 400 and height > 40, name


@pytest.mark.slow
@pytest.mark.libreoffice
def test_the_script_still_makes_the_first_week_and_prints_a_sheet(tmp_path):
    if shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
        pytest.skip("needs LibreOffice and pdftoppm (make test installs both)")
    made = load_script()
    book = made.first_week(tmp_path / "sparkle.xlsm", tmp_path)
    from addin.sheets import schema
    from tests.macros.shopbook import read_rows

    items = {r["Serial"]: r for r in read_rows(book, schema.ITEMS)}
    assert items["A1041"]["Status"] == "Sold"  # opening stock, then sold on the first ticket
    assert items["A1042"]["Status"] == "Memo Out"
    assert items["B-2202"]["Location"] == "Vault"  # the transfer
    picture = made.picture(book, "Items", tmp_path, tmp_path)
    width, height = png_size(picture)
    assert width > 1000 and 60 < height < 600  # cut to the rows, not a whole blank page
