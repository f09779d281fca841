"""Reading printed tags back the way a scanner would: render the PDF, decode every barcode."""

from __future__ import annotations

import pypdfium2 as pdfium
import zxingcpp

SCAN_DPI = 300  # a desktop scanner's resolution; the tags must read at it


def decoded_codes(pdf: bytes) -> list[list[str]]:
    """Per page, the text of every barcode an independent decoder (zxing-cpp) finds."""
    doc = pdfium.PdfDocument(pdf)
    pages = []
    for page in doc:
        image = page.render(scale=SCAN_DPI / 72).to_pil()
        pages.append([r.text for r in zxingcpp.read_barcodes(image)])
    return pages


def page_text(pdf: bytes) -> list[str]:
    """The text of every page, as a PDF reader extracts it."""
    doc = pdfium.PdfDocument(pdf)
    return [page.get_textpage().get_text_range() for page in doc]
