"""The Loupe ribbon tab: its buttons as data, their tooltips, and the customUI XML.

This is the one list of buttons. The ribbon XML, the VBA callbacks in ``vba/Loupe.bas``
and the tests are all made from `BUTTONS`. A button's tooltip (supertip) is the first
paragraph of its macro's docstring in `addin.macros.buttons`, so the text a shop owner
reads on hover is the text the docs and ``loupe --help`` show.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from addin.core.errors import BuildError

CUSTOM_UI_NS = "http://schemas.microsoft.com/office/2006/01/customui"
# The relationship from the package root (_rels/.rels) to customUI/customUI.xml. This is the
# Office 2007 type that matches the 2006 namespace; openpyxl keeps only this one on a save.
CUSTOM_UI_REL = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
CUSTOM_UI_PART = "customUI/customUI.xml"
MACROS_MODULE = "addin.macros.buttons"
TAB_ID, TAB_LABEL = "loupeTab", "Loupe"


@dataclass(frozen=True)
class Button:
    id: str  # the control id in customUI.xml
    label: str
    group: str
    image_mso: str  # a built-in icon listed in Excel's own control-ID lists
    callback: str  # the VBA Sub in the Loupe module (onAction)
    macro: str  # the function in addin.macros.buttons that RunPython calls


GROUPS: tuple[str, ...] = ("Check", "Edit", "Post", "Tags", "Reports")

# fmt: off
BUTTONS: tuple[Button, ...] = (
    Button("loupeValidateStyles", "Validate Styles", "Check", "DataValidation",
           "LoupeValidateStyles", "validate_styles"),
    Button("loupeVerifyLedger", "Verify Ledger", "Check", "ReviewProtectWorkbook",
           "LoupeVerifyLedger", "verify_ledger"),
    Button("loupeCloneRows", "Clone Rows", "Edit", "Copy", "LoupeCloneRows", "clone_rows"),
    Button("loupeConvertStyle", "Convert Style", "Edit", "TextToColumns",
           "LoupeConvertStyle", "convert_style"),
    Button("loupeChangeMethod", "Change Method", "Edit", "FunctionsFinancialInsertGallery",
           "LoupeChangeMethod", "change_method"),
    Button("loupeReverseEntry", "Reverse Entry", "Edit", "Undo", "LoupeReverseEntry",
           "reverse"),
    Button("loupeImportStock", "Import Stock", "Edit", "GetExternalDataExistingConnections",
           "LoupeImportStock", "import_stock"),
    Button("loupePostReceipts", "Post Receipts", "Post", "GetExternalDataFromText",
           "LoupePostReceipts", "post_receipts"),
    Button("loupePostSales", "Post Sales", "Post", "FunctionsFinancialInsertGallery",
           "LoupePostSales", "post_sales"),
    Button("loupePostMovements", "Post Movements", "Post", "Cut",
           "LoupePostMovements", "post_movements"),
    Button("loupePostCounts", "Post Counts", "Post", "AutoSum", "LoupePostCounts", "post_counts"),
    Button("loupePrintTags", "Print Tags", "Tags", "FilePrintQuick", "LoupePrintTags",
           "print_tags"),
    Button("loupeCountByScan", "Count by Scan", "Tags", "FindDialog", "LoupeCountByScan",
           "count_by_scan"),
    Button("loupeRefreshReports", "Refresh Reports", "Reports", "RefreshAll",
           "LoupeRefreshReports", "refresh_reports"),
    Button("loupeClosePeriod", "Close Period", "Reports", "ReviewProtectWorkbook",
           "LoupeClosePeriod", "close_period"),
)
# fmt: on

SUPERTIP_LIMIT = 1024  # characters, per the customUI schema


class RibbonError(BuildError):
    """The ribbon cannot be built: a macro or its docstring is missing."""


def first_paragraph(doc: str) -> str:
    """The first paragraph of a docstring, on one line."""
    paragraph = inspect.cleandoc(doc).split("\n\n", 1)[0]
    return " ".join(paragraph.split())


def supertips(module_name: str = MACROS_MODULE) -> dict[str, str]:
    """macro name -> tooltip text, read from the macros' docstrings (imported only now)."""
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # the build must say why, whatever the import raised
        raise RibbonError(
            f"cannot build the ribbon: importing {module_name} failed ({exc!r}); "
            "the tooltips come from its docstrings, so fix that module first"
        ) from exc
    tips, missing = {}, []
    for button in BUTTONS:
        macro = getattr(module, button.macro, None)
        text = first_paragraph(macro.__doc__ or "") if callable(macro) else ""
        if not text:
            missing.append(button.macro)
        tips[button.macro] = text
    if missing:
        raise RibbonError(
            f"cannot build the ribbon: {module_name} lacks a function with a docstring for "
            f"{', '.join(missing)}; add it (its first paragraph is the button's tooltip)"
        )
    return tips


def custom_ui_xml(tips: Mapping[str, str]) -> bytes:
    """customUI.xml for the Loupe tab, one group per entry of `GROUPS`, in button order."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        f'<customUI xmlns="{CUSTOM_UI_NS}">',
        "  <ribbon>",
        "    <tabs>",
        f'      <tab id="{TAB_ID}" label="{TAB_LABEL}">',
    ]
    for group in GROUPS:
        lines.append(f'        <group id="loupeGroup{group}" label="{group}">')
        lines += [f"          {_button_xml(b, tips[b.macro])}" for b in BUTTONS if b.group == group]
        lines.append("        </group>")
    lines += ["      </tab>", "    </tabs>", "  </ribbon>", "</customUI>", ""]
    return "\n".join(lines).encode("utf-8")


def _button_xml(button: Button, tip: str) -> str:
    if len(tip) > SUPERTIP_LIMIT:
        raise RibbonError(
            f"the tooltip of {button.macro} is {len(tip)} characters, over Excel's "
            f"{SUPERTIP_LIMIT}; shorten the first paragraph of its docstring"
        )
    attrs = {
        "id": button.id,
        "label": button.label,
        "size": "large",
        "imageMso": button.image_mso,
        "onAction": button.callback,
        "screentip": button.label,
        "supertip": tip,
    }
    return "<button " + " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items()) + "/>"
