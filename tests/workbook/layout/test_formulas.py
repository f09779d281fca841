"""The Items formulas as Excel stores them (their results are checked in LibreOffice)."""

from __future__ import annotations

import pytest

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
