"""The workbook template: ``workbook_template.xlsm`` built from sources, never by hand.

`build.build_template` makes it from the workbook schema (sheets, tables, formats,
dropdowns), `ribbon` (the Loupe tab) and the VBA text in ``vba/`` (the xlwings runtime and
the ribbon callbacks). ``python -m addin.template`` rebuilds the committed file.

May import `addin.sheets` and `addin.workbook.layout` (the formulas it puts on sheets);
`addin.macros.buttons` is imported by name only while building, for the tooltips.
"""
