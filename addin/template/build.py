"""Build ``workbook_template.xlsm`` from its sources: schema, ribbon, VBA text.

Nobody edits the template in Excel: ``python -m addin.template`` rebuilds the committed
file, and a test rebuilds it again and compares part by part. The workbook holds, in order:

    the data sheets of `schema.DATA_SHEETS`   one Excel Table each (see `sheets`)
    Lists                                     hidden; location dropdown source (see `names`)
    xlwings.conf                              how the VBA finds Python (see `xlwings_conf`)

plus the defined names of `names`, the VBA project (xlwings runtime, the Loupe ribbon
callbacks, one document module per sheet) and the Loupe ribbon tab.

Building needs the `template` extra (ms-ovba, oletools; the dev extras include it) and an
importable `addin.macros.buttons`, whose docstrings are the ribbon's tooltips. An installed
Loupe never builds: it ships the template (see `shipped`).
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook

from addin.sheets.schema import DATA_SHEETS
from addin.template import names, package, ribbon, sheets, vba_project, vba_sources
from addin.template.shipped import TemplateMissing, checkout_copies, in_source_checkout
from addin.template.xlwings_conf import CONF_SHEET, lay_out_conf

WORKBOOK_CODE_NAME = "ThisWorkbook"


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
    vba_project.require_build_tools()
    tips = ribbon.supertips()  # first: a missing macro or docstring fails fast
    wb = template_workbook()
    modules = vba_sources.project_modules(
        WORKBOOK_CODE_NAME, [ws.sheet_properties.codeName for ws in wb.worksheets]
    )
    vba = vba_project.build_vba_project(modules)
    return package.package_bytes(wb, vba, ribbon.custom_ui_xml(tips))


def build_template(path: str | Path | None = None) -> list[Path]:
    """Build the Loupe workbook template; return the files written (each replaced atomically).

    The sheets, tables, dropdowns and formats come from the workbook schema, the ribbon
    from addin/template/ribbon.py, its tooltips from the macros' docstrings, and the VBA
    from addin/template/vba/. The same sources always give the same file. Without a
    `path`, a source checkout's two copies (the packaged one and the top-level one) are
    written from one build.
    """
    data = template_bytes()
    targets = [Path(path)] if path is not None else _checkout_targets()
    for target in targets:
        package.write_atomically(target, data)
    return targets


def _checkout_targets() -> list[Path]:
    if not in_source_checkout():
        raise TemplateMissing(
            "this is an installed Loupe, not a source checkout: give the file to write, "
            "e.g. `loupe template build my_template.xlsm`"
        )
    return list(checkout_copies())
