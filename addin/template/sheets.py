"""Lay out one data sheet of the template: an Excel Table with the schema's headers.

Each sheet gets its table (name from the schema, a table style, the header row frozen),
column widths and number formats from the schema, dropdowns for columns with fixed
choices and for location columns, and red paint on Status cells that start "Error:".

A table must hold at least one body row, so a sheet with no data gets exactly one row
that is completely empty (formula columns too; their formula lives on the table as the
calculated column formula, which Excel gives every row it adds). Readers drop fully blank
trailing rows, so that row reads as "no data".
"""

from __future__ import annotations

from openpyxl.formatting.rule import Rule
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableFormula, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from addin.sheets.schema import DEFAULT_SETTINGS, SETTINGS, Sheet
from addin.template import formats
from addin.template.names import LOCATION_LIST
from addin.workbook.layout.formulas import formulas_for
from addin.workbook.layout.report_look import footer_text, input_sheet_setup

LAST_ROW = 1_048_576  # Excel's last row: dropdowns and paint cover rows added later

# Columns that name a shop location: their dropdown lists Settings > Locations.
LOCATION_COLUMNS: dict[str, tuple[str, ...]] = {
    "Items": ("Location",),
    "Receiving": ("Location",),
    "Sales": ("Location",),
    "Movements": ("From", "To"),
    "Counts": ("Location",),
}


def lay_out(ws: Worksheet, sheet: Sheet) -> None:
    """Fill `ws` as the template's `sheet`."""
    ws.append(list(sheet.headers))
    rows = body_rows(sheet)
    for row in rows:
        ws.append(row)
    last_row = 1 + max(len(rows), 1)
    format_columns(ws, sheet, last_row)
    ws.add_table(table(sheet, last_row))
    add_dropdowns(ws, sheet)
    paint_errors(ws, sheet)
    ws.freeze_panes = "A2"
    ws.sheet_properties.tabColor = formats.TAB_COLORS[sheet.written_by]
    set_up_page(ws, sheet)
    if sheet.name == SETTINGS.name:
        add_setting_notes(ws)


def set_up_page(ws: Worksheet, sheet: Sheet) -> None:
    """Landscape, one page wide and as many tall as it takes, the header row on every page,
    the sheet's name and its own page numbers in the footer."""
    page = input_sheet_setup(sheet.name)
    ws.page_setup.orientation = "landscape" if page.landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = page.pages_wide, 0
    ws.page_setup.useFirstPageNumber, ws.page_setup.firstPageNumber = True, 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = page.title_rows.replace("$", "")
    ws.oddFooter.left.text = footer_text(page.footer_left)
    ws.oddFooter.right.text = page.footer_right


def body_rows(sheet: Sheet) -> list[list[object]]:
    """The data the template ships: the default Settings, nothing elsewhere."""
    if sheet.name == SETTINGS.name:
        return [[name, value or None] for name, value, _ in DEFAULT_SETTINGS]
    return []


def column_range(sheet: Sheet, header: str, first_row: int = 2, last_row: int = LAST_ROW) -> str:
    letter = get_column_letter(sheet.headers.index(header) + 1)
    return f"{letter}{first_row}:{letter}{last_row}"


def format_columns(ws: Worksheet, sheet: Sheet, last_row: int) -> None:
    """Widths and number formats: on whole columns, and on every body cell of the table."""
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        number_format = formats.NUMBER_FORMATS[column.kind]
        dimension = ws.column_dimensions[letter]
        dimension.width = column.width
        dimension.number_format = number_format
        for row in range(2, last_row + 1):
            ws.cell(row=row, column=index).number_format = number_format


def table(sheet: Sheet, last_row: int) -> Table:
    """The sheet's Excel Table, with calculated column formulas for formula columns."""
    ref = f"A1:{get_column_letter(len(sheet.columns))}{last_row}"
    formulas = formulas_for(sheet)
    columns = [
        TableColumn(
            id=index,
            name=column.header,
            calculatedColumnFormula=(
                TableFormula(attr_text=formulas[column.header]) if column.formula else None
            ),
        )
        for index, column in enumerate(sheet.columns, start=1)
    ]
    return Table(
        id=1,  # renumbered by openpyxl on save
        displayName=sheet.table,
        name=sheet.table,
        ref=ref,
        tableColumns=columns,
        autoFilter=AutoFilter(ref=ref),
        tableStyleInfo=TableStyleInfo(name=formats.TABLE_STYLE, showRowStripes=True),
    )


def add_dropdowns(ws: Worksheet, sheet: Sheet) -> None:
    """A list dropdown on every column with choices, and on the location columns."""
    for column in sheet.columns:
        if column.choices:
            dropdown = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="stop",
                errorTitle=f"{sheet.name}: {column.header}",
                error=f"{column.header} must be one of: {', '.join(column.choices)}.",
            )
            dropdown.add(column_range(sheet, column.header))
            ws.add_data_validation(dropdown)
    locations = LOCATION_COLUMNS.get(sheet.name, ())
    if locations:
        # A warning, not a stop: an unknown place may be typed, and posting then says why.
        dropdown = DataValidation(
            type="list",
            formula1=LOCATION_LIST,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=f"{sheet.name}: location",
            error="That place is not in Settings > Locations. Add it there, or pick one from "
            "the list.",
        )
        for header in locations:
            dropdown.add(column_range(sheet, header))
        ws.add_data_validation(dropdown)


def paint_errors(ws: Worksheet, sheet: Sheet) -> None:
    """Light red fill, dark red text on Status cells that start with "Error:"."""
    if "Status" not in sheet.headers or sheet.column("Status").choices:
        return  # Items' Status is a fixed list written by Loupe, never an error
    cells = column_range(sheet, "Status")
    first = cells.split(":")[0]
    prefix = formats.ERROR_PREFIX
    rule = Rule(
        type="beginsWith",
        operator="beginsWith",
        text=prefix,
        formula=[f'LEFT({first},{len(prefix)})="{prefix}"'],
        dxf=DifferentialStyle(
            font=Font(color=formats.ERROR_TEXT),
            fill=PatternFill(fill_type="solid", bgColor=formats.ERROR_FILL),
        ),
        stopIfTrue=False,
    )
    ws.conditional_formatting.add(cells, rule)


def add_setting_notes(ws: Worksheet) -> None:
    """What each setting means, in grey beside the Settings table (outside it)."""
    ws.column_dimensions["C"].width = 60
    for row, (_, _, note) in enumerate(DEFAULT_SETTINGS, start=2):
        cell = ws.cell(row=row, column=3, value=note)
        cell.font = Font(italic=True, color=formats.NOTE_TEXT)
