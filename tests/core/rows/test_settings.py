"""Settings: the owner's (Setting, Value) rows read as Excel hands them back; a bad row is
named with its fix and keeps the default, and never stops the rest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pydantic
import pytest

from addin.core.rows.settings import MarkdownTier, Settings
from addin.sheets.schema import DEFAULT_SETTINGS


def parse(*rows):
    """Rows as (Setting, Value) pairs, numbered from Excel row 2 under the header."""
    return Settings.parse([(i + 2, name, value) for i, (name, value) in enumerate(rows)])


def test_missing_settings_take_the_template_defaults():
    settings, problems = parse()
    assert problems == []
    assert settings == Settings()
    assert settings.store_name == "My Jewelry Store"
    assert settings.serial_pattern == "{prefix}-{seq:06d}{check}"
    assert settings.serial_prefix == "LP"
    assert settings.ageing_buckets == (90, 180, 365, 730)
    assert settings.markdown_tiers == (
        MarkdownTier(days=365, fraction=Decimal("0.10")),
        MarkdownTier(days=540, fraction=Decimal("0.20")),
        MarkdownTier(days=730, fraction=Decimal("0.30")),
    )
    assert settings.default_cost_method == "FIFO"
    assert settings.locations == ("Main Case", "Vault", "Window")
    assert settings.default_location == "Main Case"
    assert settings.allow_negative_stock is False
    assert settings.report_as_of is None
    assert settings.shop_opened == dt.date(2015, 1, 1)
    assert settings.currency == "USD"


def test_the_template_rows_read_back_as_the_defaults():
    rows = [(name, value) for name, value, _ in DEFAULT_SETTINGS]
    assert parse(*rows) == (Settings(), [])


def test_blank_values_take_the_default():
    settings, problems = parse(("Locations", "  "), ("Currency", None), ("Store Name", ""))
    assert problems == []
    assert settings.locations == ("Main Case", "Vault", "Window") and settings.currency == "USD"


def test_values_as_excel_hands_them_back():
    settings, problems = parse(
        ("Store Name", "  Gems & Co. "),
        ("Ageing Buckets", 120.0),  # one bucket typed as a number
        ("Allow Negative Stock", True),  # TRUE typed in the cell
        ("Report As Of", dt.datetime(2024, 12, 31)),
        ("Shop Opened", 42005.0),  # a date cell that lost its format: Excel day 42005
        ("Default Cost Method", "average"),
        ("Locations", "Front Case, Safe ,Window"),
        ("Markdown Tiers", "180:12.5%, 365:25"),
        ("Currency", "eur"),
        ("Serial Prefix", "gw"),
    )
    assert problems == []
    assert settings.store_name == "Gems & Co."
    assert settings.ageing_buckets == (120,)
    assert settings.allow_negative_stock is True
    assert settings.report_as_of == dt.date(2024, 12, 31)
    assert settings.shop_opened == dt.date(2015, 1, 1)
    assert settings.default_cost_method == "Average"
    assert settings.locations == ("Front Case", "Safe", "Window")
    assert [(t.days, t.fraction) for t in settings.markdown_tiers] == [
        (180, Decimal("0.125")),
        (365, Decimal("0.25")),
    ]
    assert settings.currency == "EUR" and settings.serial_prefix == "GW"


def test_setting_names_match_whatever_their_case_and_spacing():
    settings, problems = parse(("  allow   NEGATIVE stock ", "yes"), ("Aging Buckets", "30,60"))
    assert problems == []
    assert settings.allow_negative_stock is True and settings.ageing_buckets == (30, 60)


def test_a_bad_value_is_named_with_its_fix_and_keeps_the_default():
    settings, problems = parse(("Store Name", "Gems"), ("Ageing Buckets", "90,abc"))
    assert settings.store_name == "Gems"  # the good row still counts
    assert settings.ageing_buckets == (90, 180, 365, 730)
    [problem] = problems
    assert (problem.sheet, problem.row, problem.column) == ("Settings", 3, "Value")
    assert "'abc'" in problem.message and "90,abc" in problem.message
    assert "like 90,180,365,730" in problem.fix


@pytest.mark.parametrize(
    "name,value,words",
    [
        ("Ageing Buckets", "180,90", "go up"),
        ("Ageing Buckets", "0,90", "whole number"),
        ("Markdown Tiers", "365-10%", "no ':'"),
        ("Markdown Tiers", "365:ten", "not a percentage"),
        ("Markdown Tiers", "365:120%", "between 0% and 100%"),
        ("Default Cost Method", "LIFO", "not a cost method"),
        ("Locations", "Vault,vault", "listed twice"),
        ("Locations", "Memo: Ann,Vault", "stock out on memo"),
        ("Allow Negative Stock", "maybe", "not Yes or No"),
        ("Report As Of", "12/31/2024", "not a date"),
        ("Report As Of", 2024.0, "a number, not a date"),
        ("Shop Opened", "soon", "not a date"),
        ("Currency", "Dollars", "3-letter"),
        ("Serial Prefix", "LP1", "1 to 8 letters"),
        ("Serial Pattern", "{prefix}-{check}", "{seq}"),
        ("Serial Pattern", "{check}{prefix}{seq}", "must come last"),
    ],
)
def test_each_kind_of_bad_value_says_what_is_wrong(name, value, words):
    settings, problems = parse((name, value))
    [problem] = problems
    assert problem.row == 2 and problem.column == "Value"
    assert name in problem.message and words in problem.message
    assert problem.fix
    assert settings == Settings()  # the default stands in


def test_unknown_repeated_and_nameless_rows_are_kept_out():
    settings, problems = parse(
        ("Store Name", "Gems"),
        ("Colour Scheme", "Blue"),
        ("Store Name", "Other"),
        (None, None),  # an empty row: nothing to say
        ("", "Vault"),
    )
    assert settings.store_name == "Gems"
    assert [(p.row, p.column) for p in problems] == [(3, "Setting"), (4, "Setting"), (6, "Setting")]
    unknown, again, nameless = problems
    assert "Colour Scheme" in unknown.message and "Store Name" in unknown.fix
    assert "first on row 2" in again.message and "delete one" in again.fix
    assert "'Vault'" in nameless.message
    assert not hasattr(settings, "colour_scheme")


def test_report_as_of_before_the_shop_opened_is_refused():
    _, problems = parse(("Shop Opened", "2020-01-01"), ("Report As Of", "2019-06-30"))
    [problem] = problems
    assert problem.row == 3 and "before Shop Opened 2020-01-01" in problem.message


def test_report_as_of_fixes_the_day_reports_use():
    today = dt.date(2025, 3, 1)
    assert Settings().as_of(today) == today
    fixed, _ = parse(("Report As Of", "2024-12-31"))
    assert fixed.as_of(today) == dt.date(2024, 12, 31)


def test_settings_cannot_be_changed_once_read():
    settings = Settings()
    with pytest.raises(pydantic.ValidationError):
        settings.currency = "EUR"
    with pytest.raises(pydantic.ValidationError):
        Settings(colour="Blue")


def test_settings_read_from_a_saved_workbook(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Settings"
    sheet.append(["Setting", "Value"])
    sheet.append(["Store Name", "Lustre & Co"])
    sheet.append(["Ageing Buckets", 60])
    sheet.append(["Allow Negative Stock", True])
    sheet.append(["Report As Of", dt.datetime(2024, 6, 30)])
    sheet.append(["Locations", "Case 1,Case 2"])
    sheet.append(["Currency", "gbp"])
    sheet.append(["Shoe Size", 9])
    book.save(tmp_path / "book.xlsx")

    table = openpyxl.load_workbook(tmp_path / "book.xlsx")["Settings"]
    pairs = [
        (r, table.cell(r, 1).value, table.cell(r, 2).value) for r in range(2, table.max_row + 1)
    ]
    settings, problems = Settings.parse(pairs)
    assert settings.store_name == "Lustre & Co" and settings.ageing_buckets == (60,)
    assert settings.allow_negative_stock is True
    assert settings.report_as_of == dt.date(2024, 6, 30)
    assert settings.locations == ("Case 1", "Case 2") and settings.currency == "GBP"
    assert [(p.row, p.column) for p in problems] == [(8, "Setting")]


def test_tag_settings_default_to_a_letter_sheet_and_no_cost_on_tags():
    settings, _ = parse()
    assert settings.tag_layout == "letter-30"
    assert settings.cost_code is None


def test_tag_settings_read_in_any_case():
    settings, problems = parse(("Tag Layout", "Jewelry-2.2x0.5"), ("Cost Code", "blackhorse"))
    assert problems == []
    assert (settings.tag_layout, settings.cost_code) == ("jewelry-2.2x0.5", "BLACKHORSE")


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("Tag Layout", "avery-5160", "there is no tag layout 'avery-5160'"),
        ("Cost Code", "BLACKBOARD", "repeats A, B"),
        ("Cost Code", "GOLD", "not ten letters"),
    ],
)
def test_a_bad_tag_setting_names_the_row_and_the_fix(name, value, words):
    settings, problems = parse(("Store Name", "Gem"), (name, value))
    assert [(p.row, p.column) for p in problems] == [(3, "Value")]
    assert words in problems[0].message
    assert settings == Settings(store_name="Gem")  # the default stands in meanwhile
