"""Printing tags: the core's `Tag`s drawn for a printer.

- `pdf`: sheet labels and roll labels as a PDF, barcodes by reportlab (Code 128, QR).
- `zpl`: the same tags as ZPL II for Zebra-class thermal printers.

May import `addin.core` and `addin.sheets` (and reportlab); never `addin.workbook`,
`addin.session`, `addin.macros` or the CLI: a tag knows nothing of the book it came from
(the import contract in pyproject.toml holds this).
"""
