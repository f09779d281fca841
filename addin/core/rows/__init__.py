"""The rows people type: models for each sheet row and the rules of their fields.

`models` (Style, Item and the four input rows, immutable), `row_fields` (reading one
cell and saying what is wrong with it), `settings` (the Settings sheet as one model) and
`serials` (the serial pattern, check character, clones and splits). May import
`addin.core.ledger`, the core's `errors` and `money`, and `addin.sheets`.
"""
