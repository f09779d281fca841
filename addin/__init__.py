"""Loupe: a jewelry shop's inventory inside one Excel workbook.

From the bottom up: `sheets` (the sheet contract), `core` (the pure rules), `workbook`
(the Workbook port, its typed reader, report layout and two adapters) beside `tags`
(tag PDFs and ZPL drawn from the core's tags), `session` (one
press against one book, shared by buttons and worksheet functions), then the edges:
`macros` (one function per ribbon button), `udfs` (worksheet functions), `template`
(builds workbook_template.xlsm), `demo` and `excel_setup` (a book made ready for desktop
Excel, and the VBA-import fallback), and `cli` (the `loupe` command). Each layer
imports only the layers beneath it; pyproject.toml's import contract holds that.
"""
