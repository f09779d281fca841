"""What Loupe lays out on sheets, the same for both adapters.

`report_layout` places a report on its sheet (title, header, rows, live formulas and the
map of where everything landed); `report_sheet` holds the report-sheet rules (names,
title row); `formulas` spells the workbook's live Excel formulas and defined names once.
May import `addin.workbook.a1`, `addin.core.reports` (the report types) and
`addin.sheets`; never an adapter.
"""
