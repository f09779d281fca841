"""One button press in Excel: settings switched for speed and always switched back; what
values look like on their way into a cell."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from addin.workbook.live import Formula, as_read, press, recalculate, to_excel
from tests.macros import shopbook
from tests.workbook.live.fake_xlwings import FakeBook


@pytest.fixture
def fake(tmp_path):
    return FakeBook.open(shopbook.new_book(tmp_path))


def test_a_press_turns_screen_and_calculation_off_and_shows_progress(fake):
    fake.app._calculation = "semiautomatic"  # the user's own mode comes back, not a default
    with press(fake, "Post Sales") as progress:
        assert (fake.app._screen_updating, fake.app._calculation) == (False, "manual")
        progress("reading Sales")
    assert (fake.app._screen_updating, fake.app._calculation) == (True, "semiautomatic")
    assert fake.app._status_bar is False  # handed back to Excel
    assert fake.app.status_shown == ["Loupe: Post Sales: starting",
                                     "Loupe: Post Sales: reading Sales"]


def test_settings_come_back_when_the_macro_fails(fake):
    with pytest.raises(ZeroDivisionError), press(fake, "Post Sales"):
        raise ZeroDivisionError("a macro that fails")
    assert (fake.app._screen_updating, fake.app._calculation, fake.app._status_bar) == (
        True, "automatic", False)


@pytest.mark.parametrize(("value", "into_cell"), [
    ("RG-101", "'RG-101"),
    ("=SUM(A:A)", "'=SUM(A:A)"),
    ("", None),
    (None, None),
    (True, True),
    (3, 3.0),
    (np.int64(12), 12.0),
    (Decimal("1999.99"), 1999.99),
    (float("nan"), None),
    (dt.date(2026, 3, 1), dt.datetime(2026, 3, 1)),
    (pd.Timestamp("2026-03-01 17:00"), dt.datetime(2026, 3, 1, 17)),
    (pd.NaT, None),
    (np.datetime64("2026-03-01"), dt.datetime(2026, 3, 1)),
    (Formula("=A1*2"), "=A1*2"),
])
def test_values_go_into_cells_as_excel_keeps_them(value, into_cell):
    assert to_excel(value) == into_cell
    assert type(to_excel(value)) is type(into_cell)


def test_what_a_read_gives_back_is_the_text_without_its_mark():
    assert as_read("=SUM(A:A)") == "=SUM(A:A)"
    assert as_read(7) == 7.0
    assert as_read(Formula("=A1")) is None  # the result is Excel's to work out


def test_a_value_no_cell_can_hold_is_refused():
    with pytest.raises(TypeError, match="a cell cannot hold"):
        to_excel(object())


def test_recalculation_is_asked_for_where_excel_offers_it(fake):
    assert recalculate(fake) is True
    assert fake.app.api.full_calculations == 1
    fake.app.api = object()  # macOS engine: no CalculateFull
    assert recalculate(fake) is False
