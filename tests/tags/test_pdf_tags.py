"""Tag PDFs: every barcode on every page scans back to exactly the serial (or style) it
was printed for, on every layout, and the tag says what shops print on it."""

from __future__ import annotations

from collections import Counter

import pytest

from addin.core.reports.tagging import Tag
from addin.core.rows.tag_layouts import LAYOUTS, layout_named
from addin.tags.pdf import tags_pdf
from tests.tags.conftest import decoded_codes, page_text

# serials written out by hand from the default pattern LP-{seq:06d}{check}
SERIALS = ["LP-000001N", "LP-000002L", "LP-000003P", "LP-000004Q", "LP-000005O",
           "LP-000006J", "LP-000007K", "LP-000008I", "LP-0000094"]


def _tags() -> list[Tag]:
    pieces = [
        Tag(code=s, style="RG-101", description="Solitaire ring, round brilliant center",
            metal="14K Yellow Gold", weight="3.20 g", stone="Diamond 0.50 ct", size="Size 7",
            price="$1,250.00", cost_code="BLKE")
        for s in SERIALS
    ]
    # 31 pieces: more than one Letter sheet holds
    pieces += [Tag(code=f"LP-{n:06d}X", style="PD-300", price="$80.00") for n in range(10, 32)]
    units = [Tag(code="CH-200", style="CH-200", description="Rope chain 18 in",
                 price="€80.00")] * 3
    return pieces + units


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_every_barcode_scans_back_to_its_code(name):
    tags = _tags()
    layout = layout_named(name)
    pages = decoded_codes(tags_pdf(tags, layout))
    assert len(pages) == -(-len(tags) // layout.per_page)
    assert Counter(c for page in pages for c in page) == Counter(t.code for t in tags)


def test_a_sheet_holds_its_labels_in_order():
    tags = _tags()
    pages = decoded_codes(tags_pdf(tags, layout_named("letter-30")))
    assert sorted(pages[0]) == sorted(t.code for t in tags[:30])
    assert sorted(pages[1]) == sorted(t.code for t in tags[30:])


@pytest.mark.parametrize("name", ["letter-30", "jewelry-2.2x0.5"])
def test_the_tag_prints_what_shops_print(name):
    text = page_text(tags_pdf(_tags()[:1], layout_named(name)))[0]
    for shown in ("LP-000001N", "RG-101", "Solitaire ring", "14K Yellow Gold", "3.20 g",
                  "Diamond 0.50 ct", "Size 7", "$1,250.00", "BLKE"):
        assert shown in text, f"{shown!r} missing from the {name} tag"


def test_a_price_in_euros_keeps_its_sign():
    text = page_text(tags_pdf(_tags()[-1:], layout_named("label-2x1")))[0]
    assert "€80.00" in text


def test_no_tags_is_a_page_that_says_so():
    assert "No pieces to tag" in page_text(tags_pdf([], layout_named("a4-24")))[0]


def test_an_unknown_layout_lists_the_real_ones():
    with pytest.raises(ValueError, match="letter-30, a4-24, label-2x1, jewelry-2.2x0.5"):
        layout_named("avery-9999")


@pytest.mark.parametrize("name", ["letter-30", "label-2x1"])
def test_a_quantity_tag_prints_its_style_code_once(name):
    text = page_text(tags_pdf(_tags()[-1:], layout_named(name)))[0]
    assert text.count("CH-200") == 1 and "Rope chain 18 in" in text
