"""Build ``workbook_template.xlsm`` from its sources: schema, ribbon, VBA text.

Nobody edits the template in Excel: ``python -m addin.template`` rebuilds the committed
file, and a test rebuilds it again and compares part by part. The workbook holds, in order:

    the data sheets of `schema.DATA_SHEETS`   one Excel Table each (see `sheets`)
    Lists                                     hidden; location dropdown source (see `names`)
    xlwings.conf                              how the VBA finds Python (see `xlwings_conf`)

plus the defined names of `names`, the VBA project (xlwings runtime, the Loupe ribbon
callbacks, one document module per sheet) and the Loupe ribbon tab.

Building needs the dev extras (ms-ovba, oletools) and an importable
`addin.macros.buttons`, whose docstrings are the ribbon's tooltips.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook

from addin.sheets.schema import DATA_SHEETS
from addin.template import names, package, ribbon, sheets, vba_project, vba_sources
from addin.template.xlwings_conf import CONF_SHEET, lay_out_conf

WORKBOOK_CODE_NAME = "ThisWorkbook"
TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "workbook_template.xlsm"


def code_name(sheet_name: str) -> str:
    """The VBA code name of a sheet: ``sh`` + its name in letters and digits."""
    return "sh" + re.sub(r"[^A-Za-z0-9]", " ", sheet_name).title().replace(" ", "")


def template_workbook() -> Workbook:
    """The template's sheets, tables and names, without VBA or ribbon."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in DATA_SHEETS:
        sheets.lay_out(wb.create_sheet(sheet.name), sheet)
    names.lay_out_lists(wb.create_sheet(names.LISTS_SHEET))
    lay_out_conf(wb.create_sheet(CONF_SHEET))
    names.add_names(wb)
    wb.code_name = WORKBOOK_CODE_NAME
    for ws in wb.worksheets:
        ws.sheet_properties.codeName = code_name(ws.title)
    wb.active = 0
    return wb


def template_bytes() -> bytes:
    """The whole template, as the bytes of an .xlsm file."""
    tips = ribbon.supertips()  # first: a missing macro or docstring fails fast
    wb = template_workbook()
    modules = vba_sources.project_modules(
        WORKBOOK_CODE_NAME, [ws.sheet_properties.codeName for ws in wb.worksheets]
    )
    vba = vba_project.build_vba_project(modules)
    return package.package_bytes(wb, vba, ribbon.custom_ui_xml(tips))


def build_template(path: str | Path = TEMPLATE_PATH) -> Path:
    """Build the Loupe workbook template at `path` (replacing it atomically); return the path.

    The sheets, tables, dropdowns and formats come from the workbook schema, the ribbon
    from addin/template/ribbon.py, its tooltips from the macros' docstrings, and the VBA
    from addin/template/vba/. The same sources always give the same file.
    """
    target = Path(path)
    package.write_atomically(target, template_bytes())
    return target
