"""Tags as a PDF: sheet labels for a laser printer, or one roll label per page.

Drawn with reportlab, barcodes included (its Code 128 and QR widgets): Loupe draws no
bar itself. Each label carries its barcode, the code in plain text under it (so a tag
whose barcode is damaged can still be typed), and the tag's lines; text that does not
fit its room is shrunk, then cut with an ellipsis, never drawn over its neighbour.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import black
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from addin.core.reports.tagging import Tag
from addin.core.rows.tag_layouts import Layout

FONT, BOLD = "Helvetica", "Helvetica-Bold"
PAD = 4.0  # points of white inside a label's edge
SMALLEST = 4.0  # points: text is never shrunk below this
MODULE = 0.8  # points per Code 128 bar module (0.011 in: any scanner, any laser)


def tags_pdf(tags: Sequence[Tag], layout: Layout, *, title: str = "Loupe tags") -> bytes:
    """The PDF bytes of `tags` on `layout`, in order, as many pages as they need."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=layout.page, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("Loupe")
    for i, tag in enumerate(tags):
        slot = i % layout.per_page
        if i and slot == 0:
            canvas.showPage()
        x, y = layout.corner(slot)
        if layout.wings:
            _jewelry_tag(canvas, tag, x, y, layout)
        else:
            _label(canvas, tag, x, y, layout)
    if not tags:
        canvas.setFont(FONT, 9)
        canvas.drawString(PAD, layout.page[1] - 12, "No pieces to tag.")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _label(canvas: Canvas, tag: Tag, x: float, y: float, layout: Layout) -> None:
    """A sheet or roll label: barcode and code on the left, price and details right."""
    w, h = layout.label
    bar_h = h * 0.36
    left_w = _code128(canvas, tag.code, x + PAD, y + h - PAD - bar_h, bar_h, w * 0.62)
    _text(canvas, tag.code, x + PAD, y + h - PAD - bar_h - 7, left_w, 6.5, BOLD)
    lines = [(tag.style_line, BOLD), (tag.description, FONT)]
    _column(canvas, lines, x + PAD, y + h - PAD - bar_h - 15, left_w, 6.5)
    right = x + PAD + left_w + 4
    room = x + w - PAD - right
    _text(canvas, tag.price, right, y + h - PAD - 9, room, 9, BOLD)
    details = [(t, FONT) for t in tag.details] + ([(tag.cost_code, BOLD)] if tag.cost_code else [])
    _column(canvas, details, right, y + h - PAD - 18, room, 6)


def _jewelry_tag(canvas: Canvas, tag: Tag, x: float, y: float, layout: Layout) -> None:
    """A folded jewelry tag: wing one has the QR code, code and price; wing two the rest."""
    w, h = layout.label
    wing = w / 2
    side = h - 2 * 2.0
    _qr(canvas, tag.code, x + 2.0, y + 2.0, side)
    right = x + 2.0 + side + 2
    room = x + wing - 3 - right
    _text(canvas, tag.price, right, y + h - 10, room, 7.5, BOLD)
    _text(canvas, tag.code, right, y + h - 18, room, 5, BOLD)
    _text(canvas, tag.cost_code, right, y + h - 25, room, 5, BOLD)
    lines = [(tag.style_line, BOLD), (tag.description, FONT)] + [(t, FONT) for t in tag.details]
    _column(canvas, lines, x + wing + 3, y + h - 5.5, wing - 6, 4.6, bottom=y + 0.5)


def _code128(canvas: Canvas, code: str, x: float, y: float, height: float, most: float) -> float:
    """Code 128 of `code` with its quiet zones, narrowed to fit `most`; returns its width."""
    module = MODULE
    bars = Code128(code, barWidth=module, barHeight=height, quiet=1, humanReadable=False)
    if bars.width > most:
        module = max(0.5, module * most / bars.width)
        bars = Code128(code, barWidth=module, barHeight=height, quiet=1, humanReadable=False)
    bars.drawOn(canvas, x, y)
    return bars.width


def _qr(canvas: Canvas, code: str, x: float, y: float, side: float) -> None:
    widget = QrCodeWidget(code, barLevel="M", barBorder=2)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _column(canvas: Canvas, lines, x: float, top: float, room: float, size: float,
            bottom: float | None = None) -> None:
    """Lines of text downward from `top` (a baseline), while they fit above `bottom`."""
    for text, font in lines:
        if not text:
            continue
        if bottom is not None and top < bottom + 1:
            return
        _text(canvas, text, x, top, room, size, font)
        top -= size * 1.2


def _text(canvas: Canvas, text: str, x: float, y: float, room: float, size: float,
          font: str = FONT) -> None:
    """One line at baseline `y`, shrunk to fit `room` down to SMALLEST, then cut."""
    if not text or room <= 0:
        return
    width = stringWidth(text, font, size)
    if width > room:
        size = max(SMALLEST, size * room / width)
    while text and stringWidth(text, font, size) > room:
        text = text[:-2] + "…" if len(text) > 1 else ""
    canvas.setFillColor(black)
    canvas.setFont(font, size)
    canvas.drawString(x, y, text)
