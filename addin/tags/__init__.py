"""Printing tags: label layouts, the PDF (reportlab) and ZPL for thermal printers."""
