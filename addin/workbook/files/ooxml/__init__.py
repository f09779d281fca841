"""The files adapter's toolkit for the parts of a workbook package (OOXML).

The zip of parts (`xlsx_zip`), the map of parts (`xlsx_parts`), the fast reader
(`xlsx_read`), styles (`xlsx_styles`), worksheet XML edited in place (`sheet_xml`,
`sheet_writes`, `cell_xml`, `xml_text`), Excel Table parts (`table_xml`), and report
sheets as XML (`report_xml`, `report_block`, `report_styles`, `charts`). Only the files
adapter imports it. May import `addin.workbook.a1`, `addin.workbook.layout`,
`addin.core` (errors, report types) and `addin.sheets`.
"""
