"""Loupe's worksheet functions (`=LOUPE_ONHAND(...)` and the rest): thin and cached.

`functions` holds the xlwings wrappers, `answers` the pure answers they give, `cache`
when a Ledger is read again. May import `addin.session`, `addin.workbook`, `addin.core`
and `addin.sheets`; never `addin.macros`.
"""
