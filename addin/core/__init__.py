"""The pure core: the shop's rules as functions over frames and immutable values.

- `ledger/`: entry kinds, the ledger frame and its hash chain.
- `costing/`: FIFO and moving-average layers, cost of goods, stock figures.
- `rows/`: the rows people type as models, their field rules, Settings and serials.
- `posting/`: input rows -> new entries plus one outcome per row, one module a sheet.
- `reports/`: the owner's reports and the Items sheet, as frames.
- `closing`: a period close: the entries that carry a Ledger's end state past its archive.
- `errors` (the exception tree) and `money` (exact cents) serve all of them.

The core imports pandas, numpy, pydantic and `addin.sheets` only: never an Excel
library, never `addin.workbook`, the macros, the UDFs or the CLI (the import contract
in pyproject.toml holds this, and the layers among the packages above).
"""
