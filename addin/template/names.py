"""Defined names and the hidden ``Lists`` sheet that feed formulas and location dropdowns.

Settings keeps the shop's places as one comma-separated value ("Main Case,Vault,Window").
A dropdown needs them one per cell, so the hidden sheet ``Lists`` splits that value with
formulas, one place per row (up to `MAX_LOCATIONS`), and the name `LOCATION_LIST` covers
exactly as many rows as there are places. Editing Settings updates every dropdown at once;
nothing is copied, so nothing goes stale.

Names (workbook scope):

    ReportAsOf        the Settings value "Report As Of"
    AsOfDate          that date, or today when it is blank (used by Items' Age)
    LocationsSetting  the Settings value "Locations"
    LocationList      the Lists cells holding one location each (the dropdown source)
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from addin.template import formats
from addin.workbook.layout.formulas import DEFINED_NAMES, setting

LISTS_SHEET = "Lists"
MAX_LOCATIONS = 50
PIECE = 255  # characters per place when the value is split (a place name is shorter)

LOCATIONS_SETTING = "LocationsSetting"
LOCATION_LIST = "LocationList"
_first, _last = 2, 1 + MAX_LOCATIONS
_count = f'LEN({LOCATIONS_SETTING})-LEN(SUBSTITUTE({LOCATIONS_SETTING},",",""))+1'

TEMPLATE_NAMES: dict[str, str] = {
    **DEFINED_NAMES,
    LOCATIONS_SETTING: setting("Locations"),
    LOCATION_LIST: (
        f"{LISTS_SHEET}!$A${_first}:"
        f"INDEX({LISTS_SHEET}!$A${_first}:$A${_last},MIN({MAX_LOCATIONS},{_count}))"
    ),
}


def location_formula(position: int) -> str:
    """Place number `position` (from 1) of Settings > Locations, trimmed; "" past the end."""
    start = (position - 1) * PIECE + 1
    spread = f'SUBSTITUTE({LOCATIONS_SETTING},",",REPT(" ",{PIECE}))'
    return f"=TRIM(MID({spread},{start},{PIECE}))"


def add_names(wb: Workbook) -> None:
    for name, formula in TEMPLATE_NAMES.items():
        wb.defined_names[name] = DefinedName(name, attr_text=formula)


def lay_out_lists(ws: Worksheet) -> None:
    """The hidden helper sheet: one location per row, made by formulas from Settings."""
    ws["A1"] = "Location"
    ws["A1"].font = Font(bold=True)
    ws["B1"] = "Made by formulas from Settings > Locations for the location dropdowns."
    ws["B1"].font = Font(italic=True, color=formats.NOTE_TEXT)
    for position in range(1, MAX_LOCATIONS + 1):
        ws.cell(row=position + 1, column=1, value=location_formula(position))
    ws.column_dimensions["A"].width = 24
    ws.sheet_state = "hidden"
