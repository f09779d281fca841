"""The formulas as Excel stores them: the Items columns and each report rule (their results
are checked in LibreOffice)."""

from __future__ import annotations

import pytest

from addin.core.reports import ColumnMax, ColumnSum, ColumnSumWhere, Difference, Ratio, RowSum
from addin.sheets import schema
from addin.workbook.layout import formulas


def test_same_row_references_use_the_stored_form_not_the_at_shorthand():
    assert formulas.this_row(schema.ITEMS, "Sold Date") == "tblItems[[#This Row],[Sold Date]]"
    assert all("[@" not in f for f in formulas.ITEM_FORMULAS.values())


def test_a_misspelled_header_fails_when_the_formula_is_made():
    with pytest.raises(KeyError, match="Sold On"):
        formulas.this_row(schema.ITEMS, "Sold On")


def test_cells_get_the_formula_with_an_equals_sign():
    assert formulas.cell_formula(schema.ITEMS, "Margin") == (
        '=IF(tblItems[[#This Row],[Sold Price]]="","",'
        "tblItems[[#This Row],[Sold Price]]-tblItems[[#This Row],[Cost]])"
    )


def test_only_items_has_formula_columns():
    assert set(formulas.formulas_for(schema.ITEMS)) == {"Age (days)", "Margin"}
    assert formulas.formulas_for(schema.RECEIVING) == {}
    with pytest.raises(KeyError):
        formulas.cell_formula(schema.SALES, "Status")


def test_age_uses_the_report_date_name():
    assert "AsOfDate" in formulas.ITEM_FORMULAS["Age (days)"]
    assert "TODAY()" in formulas.DEFINED_NAMES["AsOfDate"]


@pytest.mark.parametrize(("rule", "spelled"), [
    (Difference("Sales", "Cost of Goods"), "{Sales}-{Cost of Goods}"),
    (RowSum(("0-90", "91-180", "Over 365")), "SUM({0-90},{91-180},{Over 365})"),
    (Ratio("Margin", "Sales"), 'IF({Sales}=0,"",{Margin}/{Sales})'),
    (Ratio("Margin", "Avg Owned Stock", times=365, per="Days"),
     'IF({Avg Owned Stock}=0,"",{Margin}*365/{Days}/{Avg Owned Stock})'),
    (ColumnSum("Owned Value"), "SUM({Owned Value:col})"),
    (ColumnMax("Days"), "MAX({Days:col})"),
    (ColumnSumWhere("Qty", "Terms", "Owned"), 'SUMIF({Terms:col},"Owned",{Qty:col})'),
])
def test_each_rule_of_a_report_is_spelled_as_one_excel_formula(rule, spelled):
    assert formulas.report_formula(rule) == spelled


def test_a_rule_the_layout_cannot_spell_is_refused():
    with pytest.raises(TypeError, match="no formula"):
        formulas.report_formula("SUM(A1:A3)")
