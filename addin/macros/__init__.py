"""The ribbon buttons: one function per button, `op(book) -> Outcome`, on any adapter.

`buttons` maps each button to its macro; `cloning`, `refreshing`, `exporting`,
`importing` (opening stock) and `summary` hold the larger ones; `entry` is the
RunPython entry point that wraps the calling book in the live adapter. May import
`addin.session`, `addin.workbook`, `addin.core` and `addin.sheets`; never `addin.udfs`.
"""
