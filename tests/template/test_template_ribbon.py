"""The Loupe ribbon tab in the built file: its buttons, callbacks, macros and tooltips."""

from __future__ import annotations

import importlib
import inspect
import re
import sys
import types
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from addin.template import ribbon

NS = {"ui": "http://schemas.microsoft.com/office/2006/01/customui"}
REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# The tab as the issue describes it: group -> button labels, in order.
EXPECTED_TAB = {
    "Check": ["Validate Styles", "Verify Ledger"],
    "Edit": ["Clone Rows", "Convert Style", "Change Method", "Reverse Entry", "Import Stock"],
    "Post": ["Post Receipts", "Post Sales", "Post Movements", "Post Counts"],
    "Tags": ["Print Tags", "Count by Scan"],
    "Reports": ["Refresh Reports", "Close Period"],
}
EXPECTED_MACROS = {
    "close_period",
    "print_tags",
    "count_by_scan",
    "validate_styles",
    "clone_rows",
    "post_receipts",
    "post_sales",
    "post_movements",
    "post_counts",
    "refresh_reports",
    "verify_ledger",
    "convert_style",
    "change_method",
    "import_stock",
    "reverse",
}


@pytest.fixture(scope="module")
def tab(parts):
    root = ET.fromstring(parts["customUI/customUI.xml"])
    assert root.tag == f"{{{NS['ui']}}}customUI"
    (tab,) = root.findall("ui:ribbon/ui:tabs/ui:tab", NS)
    return tab


def test_the_package_points_at_the_ribbon_with_the_2006_relationship(parts):
    rels = ET.fromstring(parts["_rels/.rels"])
    ui = [r for r in rels if r.get("Target") == "customUI/customUI.xml"]
    assert [r.get("Type") for r in ui] == [
        "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
    ]
    assert all(r.tag == f"{REL_NS}Relationship" for r in rels)


def test_tab_loupe_has_the_groups_and_buttons_of_the_issue(tab):
    assert tab.get("label") == "Loupe"
    found = {
        group.get("label"): [b.get("label") for b in group.findall("ui:button", NS)]
        for group in tab.findall("ui:group", NS)
    }
    assert found == EXPECTED_TAB
    assert list(found) == list(EXPECTED_TAB)


def test_buttons_use_builtin_icons_and_unique_ids(tab):
    buttons = tab.findall("ui:group/ui:button", NS)
    assert all(re.fullmatch(r"[A-Z][A-Za-z]+", b.get("imageMso") or "") for b in buttons)
    ids = [b.get("id") for b in buttons]
    assert len(set(ids)) == len(ids) == 15


def test_every_on_action_is_a_vba_sub_in_the_built_file(tab, macros):
    subs = set(re.findall(r"^Sub (\w+)\(control As IRibbonControl\)", macros["Loupe"], re.M))
    actions = {b.get("onAction") for b in tab.findall("ui:group/ui:button", NS)}
    assert actions and actions <= subs


def test_every_macro_named_on_the_ribbon_exists_with_a_docstring():
    buttons = importlib.import_module("addin.macros.buttons")
    assert {b.macro for b in ribbon.BUTTONS} == EXPECTED_MACROS
    for name in EXPECTED_MACROS:
        macro = getattr(buttons, name)
        assert callable(macro) and inspect.getdoc(macro), name


def test_supertips_are_the_first_paragraph_of_each_macro_docstring(tab):
    buttons = importlib.import_module("addin.macros.buttons")
    by_action = {b.callback: b.macro for b in ribbon.BUTTONS}
    for element in tab.findall("ui:group/ui:button", NS):
        doc = inspect.getdoc(getattr(buttons, by_action[element.get("onAction")]))
        first = doc.split("\n\n")[0].replace("\n", " ")
        assert element.get("supertip") == " ".join(first.split())
        assert element.get("screentip") == element.get("label")


def _fake_macros(monkeypatch, name: str, **functions) -> str:
    module = types.ModuleType(name)
    for macro, fn in functions.items():
        setattr(module, macro, fn)
    monkeypatch.setitem(sys.modules, name, module)
    return name


def test_build_stops_naming_a_macro_without_docstring(monkeypatch):
    def documented(book):
        """Does a thing."""

    def bare(book):
        return None

    functions = {b.macro: documented for b in ribbon.BUTTONS}
    functions["post_sales"] = bare
    del functions["verify_ledger"]
    name = _fake_macros(monkeypatch, "tests_fake_buttons", **functions)
    with pytest.raises(ribbon.RibbonError, match="verify_ledger, post_sales"):
        ribbon.supertips(name)


def test_build_stops_when_the_macros_cannot_be_imported():
    with pytest.raises(ribbon.RibbonError, match="importing addin.macros.no_such_module failed"):
        ribbon.supertips("addin.macros.no_such_module")


def test_a_too_long_tooltip_stops_the_build():
    tips = {b.macro: "x" * 1025 for b in ribbon.BUTTONS}
    with pytest.raises(ribbon.RibbonError, match="1025 characters"):
        ribbon.custom_ui_xml(tips)


EXCEL_ICONS = Path(__file__).resolve().parents[1] / "data" / "excel_icons.tsv"
NOT_EXCEL = {"RecurrenceEdit", "ImportExcel"}  # an Outlook-style icon and an Access control


def test_every_icon_is_an_excel_control_id():
    lines = [ln for ln in EXCEL_ICONS.read_text().splitlines() if ln and not ln.startswith("#")]
    listed = {ln.split("\t")[0] for ln in lines[1:]}
    used = {b.image_mso for b in ribbon.BUTTONS}
    assert used - listed == set(), "find these in Excel's control-ID list, then add them"
    assert not listed & NOT_EXCEL
