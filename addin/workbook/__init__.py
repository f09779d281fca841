"""The Workbook port and its two adapters: everything that knows a book is a book.

- `port`: the only things Loupe asks of a workbook (read a table, write rows, statuses,
  reports); macros and UDFs hold a `Workbook` and never know which adapter is behind it.
- `a1`: A1 references as Excel spells them, shared by the adapters and the layout.
- `reader/`: raw cells -> typed frames plus every problem found; both adapters' tables
  go through it, so bad input reads the same everywhere.
- `layout/`: what Loupe writes onto sheets: where a report lands (title, header, rows,
  live formulas), how it looks (formats, widths, page, charts, whose sheet it is), and
  the Excel formula text of the workbook. The port carries a whole report `Layout`.
- `files/`: the files adapter on a saved .xlsm/.xlsx, with its private OOXML toolkit.
- `live/`: the live adapter on a book open in Excel, through xlwings.
- `memory`: the in-memory adapter, for tests of macros and core that need no file.
- `archive/`: a book's closed periods in an SQLite file beside it (docs/archive.md).

May import `addin.core` and `addin.sheets`; never `addin.macros`, `addin.udfs`,
`addin.session` or the CLI. The adapters never import each other (the import
contract in pyproject.toml holds all of this).
"""
