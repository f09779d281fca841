"""The typed reader: a `RawTable` of raw cells -> a typed frame plus every problem found.

`headers` finds columns by header text, `cells` reads one column as its schema kind,
`tables` puts them together (and turns the Ledger into the core's ledger frame). Both
adapters hand their cells here, so a bad cell gets the same message on either. May import
`addin.workbook.port`, `addin.core` (errors, money, ledger) and `addin.sheets`.
"""
