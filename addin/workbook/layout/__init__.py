"""What Loupe lays out on sheets, the same for both adapters.

`report_layout` places a report on its sheet (title, header, rows, live formulas and the
map of where everything landed); `report_look` says how it looks (number formats,
widths, print setup, charts) and which sheets are Loupe's to replace; `report_sheet`
holds the sheet-name rules; `formulas` spells the workbook's live Excel formulas and
defined names once. The port carries a `Layout`; both adapters render all of it.
May import `addin.workbook.a1`, `addin.core.reports` (the report types) and
`addin.sheets`; never an adapter.
"""
