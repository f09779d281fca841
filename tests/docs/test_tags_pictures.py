"""The README's pictures of a tag sheet and a count reconciliation: committed, shown, and
still made by docs/tags/make_pictures.py from a real book (tags that scan, every result)."""

from __future__ import annotations

import importlib.util
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from tests.docs.test_getting_started import png_size

ROOT = Path(__file__).resolve().parents[2]
PICTURES = ROOT / "docs" / "tags"
NAMES = ("tag-sheet", "count-reconciliation")


def load_script():
    spec = importlib.util.spec_from_file_location("tag_pictures", PICTURES / "make_pictures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_shows_both_pictures_and_they_are_committed():
    shown = re.findall(r"\]\(docs/tags/([a-z-]+)\.png\)", (ROOT / "README.md").read_text())
    assert sorted(shown) == sorted(NAMES)
    for name in NAMES:
        width, height = png_size(PICTURES / f"{name}.png")
        assert width > 600 and height > 100, name


@pytest.mark.slow
@pytest.mark.libreoffice
def test_the_script_makes_both_from_the_guides_shop(tmp_path):
    if not all(shutil.which(p) for p in ("soffice", "pdftoppm", "pdftotext")):
        pytest.skip("needs LibreOffice and poppler-utils (make test installs both)")
    from addin.sheets import schema
    from tests.macros.shopbook import read_rows
    from tests.tags.conftest import decoded_codes

    made = load_script()
    work = tmp_path / "work"
    work.mkdir()
    book, guide = made.shop(work)
    sheet = made.tag_sheet(book, guide, tmp_path, work)
    assert png_size(sheet)[1] > 300
    # the tags are the day's two solitaires and 24 chains, each barcode read back
    serials = sorted(i["Serial"] for i in read_rows(book, schema.ITEMS)
                     if i["Received"] and i["Received"].date().isoformat() == "2026-03-02")
    codes = [c for page in decoded_codes((work / "tags.pdf").read_bytes()) for c in page]
    assert Counter(codes) == Counter([*serials, *["SJC-500"] * 24])
    made.count_reconciliation(book, guide, tmp_path, work)
    results = Counter(r["Result"] for r in read_rows(book, schema.COUNT_RECONCILIATION))
    assert results == {"Missing": 1, "Booked elsewhere": 1, "Sold / memo / gone": 1,
                       "Unknown code": 1, "Misscan": 1, "Duplicate scan": 1,
                       "Quantity variance": 1, "Quantity counted": 1, "Counted": 1}
    width, height = png_size(tmp_path / "count-reconciliation.png")
    assert width > 1000 and 60 < height < 600  # cut to the sheet's rows
