"""ZPL for Zebra-class printers: one complete label format per tag, the barcode command
carrying exactly the code, and text that can never break the format."""

from __future__ import annotations

import re

from addin.core.reports.tagging import Tag
from addin.core.rows.tag_layouts import layout_named
from addin.tags.zpl import tags_zpl

PIECE = Tag(code="LP-000001N", style="RG-101", description="Bague ^solitaire~ é_1",
            metal="18K White Gold", weight="2.10 g", stone="Diamond 0.30 ct",
            size="Size 6", price="€1,250.00", cost_code="BLKE")
UNIT = Tag(code="CH-200", style="CH-200", description="Rope chain", price="$80.00")


def _formats(zpl: str) -> list[str]:
    return re.findall(r"\^XA.*?\^XZ", zpl, flags=re.S)


def _unhex(data: str) -> str:
    """Undo ^FH: _XX is one byte of UTF-8 (written here independently of the encoder)."""
    raw = bytearray()
    i = 0
    while i < len(data):
        if data[i] == "_":
            raw.append(int(data[i + 1 : i + 3], 16))
            i += 3
        else:
            raw += data[i].encode()
            i += 1
    return raw.decode("utf-8")


def _fields(fmt: str) -> list[str]:
    return [_unhex(d) for d in re.findall(r"\^FD(.*?)\^FS", fmt, flags=re.S)]


def test_one_label_format_per_tag_sized_for_the_label():
    zpl = tags_zpl([PIECE, UNIT, UNIT], layout_named("label-2x1"))
    formats = _formats(zpl)
    assert len(formats) == 3
    assert zpl.count("^XA") == zpl.count("^XZ") == 3
    for fmt in formats:
        assert "^CI28" in fmt  # UTF-8 field data
        assert "^PW406" in fmt and "^LL203" in fmt  # 2 x 1 in at 203 dpi
        assert "^PQ1" in fmt


def test_code128_on_labels_carries_exactly_the_code():
    fmt = _formats(tags_zpl([PIECE], layout_named("label-2x1")))[0]
    barcode = re.search(r"\^BC[^\^]*\^FH_\^FD(.*?)\^FS", fmt)
    assert barcode and _unhex(barcode.group(1)) == "LP-000001N"
    assert "^BY" in fmt


def test_jewelry_tags_carry_a_qr_code_and_their_size():
    fmt = _formats(tags_zpl([PIECE], layout_named("jewelry-2.2x0.5")))[0]
    qr = re.search(r"\^BQN,2,\d+\^FH_\^FD(.*?)\^FS", fmt)
    assert qr and _unhex(qr.group(1)) == "MA,LP-000001N"  # M error correction, automatic
    assert "^PW444" in fmt and "^LL102" in fmt  # 2-3/16 x 1/2 in at 203 dpi


def test_every_field_of_the_tag_is_there_and_special_characters_are_escaped():
    fmt = _formats(tags_zpl([PIECE], layout_named("label-2x1")))[0]
    fields = _fields(fmt)
    for shown in ("LP-000001N", "RG-101", "Bague ^solitaire~ é_1", "18K White Gold", "2.10 g",
                  "Diamond 0.30 ct", "Size 6", "€1,250.00", "BLKE"):
        assert shown in fields
    raw = re.findall(r"\^FD(.*?)\^FS", fmt, flags=re.S)
    assert all("^" not in d and "~" not in d for d in raw)  # no stray command in any field
    assert all(ord(ch) < 128 for d in raw for ch in d)  # UTF-8 travels as hex
    assert fmt.count("^FD") == fmt.count("^FH_^FD")  # every field is sent with ^FH


def test_a_300_dpi_head_gets_the_label_in_its_own_dots():
    fmt = _formats(tags_zpl([UNIT], layout_named("label-2x1"), dpi=300))[0]
    assert "^PW600" in fmt and "^LL300" in fmt


def test_a_quantity_tag_prints_its_style_code_once():
    fmt = _formats(tags_zpl([UNIT], layout_named("label-2x1")))[0]
    texts = [_unhex(d) for d in re.findall(r"\^A0N[^\^]*\^FH_\^FD(.*?)\^FS", fmt)]
    assert texts.count("CH-200") == 1 and "Rope chain" in texts
