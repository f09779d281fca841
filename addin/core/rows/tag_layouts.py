"""Tag layouts: the label stocks Loupe prints on, by name (Settings: Tag Layout).

Sizes are in points (1/72 inch), as reportlab draws; ZPL converts them to printer dots.
A *sheet* layout places many labels on a Letter or A4 page for a laser printer; a *roll*
layout is one label per page, for a thermal printer (PDF through its driver, or ZPL).

- ``letter-30``: 2-5/8 x 1 in address labels, 3 x 10 on Letter (the Avery 5160 size).
- ``a4-24``: 70 x 33.9 mm labels, 3 x 8 on A4 (the common 24-up A4 sheet).
- ``label-2x1``: a 2 x 1 in thermal roll label, Code 128.
- ``jewelry-2.2x0.5``: the barbell / rat-tail jewelry tag, 2-3/16 x 1/2 in on a roll,
  folded around the piece: a QR code and price on one wing, the details on the other
  (a linear barcode is too wide for a half-inch wing; QR stays readable there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

INCH = 72.0
MM = INCH / 25.4


@dataclass(frozen=True)
class Layout:
    """One label stock: page, label size, grid and the barcode it carries."""

    name: str
    title: str
    page: tuple[float, float]  # width, height
    label: tuple[float, float]
    columns: int = 1
    rows: int = 1
    margin: tuple[float, float] = (0.0, 0.0)  # left, top of the first label
    pitch: tuple[float, float] = (0.0, 0.0)  # from one label's corner to the next
    symbology: Literal["code128", "qr"] = "code128"
    wings: bool = False  # a folded jewelry tag: barcode wing and details wing

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def corner(self, slot: int) -> tuple[float, float]:
        """Bottom-left corner (reportlab's origin) of label `slot` on its page."""
        col, row = slot % self.columns, slot // self.columns
        x = self.margin[0] + col * self.pitch[0]
        top = self.page[1] - self.margin[1] - row * self.pitch[1]
        return x, top - self.label[1]


LETTER = (8.5 * INCH, 11 * INCH)
A4 = (210 * MM, 297 * MM)

LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        Layout("letter-30", "Letter sheet, 30 labels 2-5/8 x 1 in", LETTER,
               (2.625 * INCH, 1 * INCH), 3, 10, (0.1875 * INCH, 0.5 * INCH),
               (2.75 * INCH, 1 * INCH)),
        Layout("a4-24", "A4 sheet, 24 labels 70 x 33.9 mm", A4, (70 * MM, 33.9 * MM), 3, 8,
               (0.0, 12.9 * MM), (70 * MM, 33.9 * MM)),
        Layout("label-2x1", "Thermal roll, 2 x 1 in", (2 * INCH, 1 * INCH),
               (2 * INCH, 1 * INCH)),
        Layout("jewelry-2.2x0.5", "Jewelry barbell / rat-tail tag, 2-3/16 x 1/2 in",
               (2.1875 * INCH, 0.5 * INCH), (2.1875 * INCH, 0.5 * INCH), symbology="qr",
               wings=True),
    )
}
DEFAULT_LAYOUT = "letter-30"


def layout_named(name: str) -> Layout:
    """The layout called `name` (any case); ValueError lists the ones there are."""
    key = str(name or "").strip().casefold() or DEFAULT_LAYOUT
    for layout in LAYOUTS.values():
        if layout.name.casefold() == key:
            return layout
    raise ValueError(
        f"there is no tag layout {name!r}; use one of {', '.join(LAYOUTS)}"
    )
