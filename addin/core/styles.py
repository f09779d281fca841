"""Validate Styles: checks over the whole Styles sheet that no single row can make.

Row-level checks (required fields, enums, prices) come with the Style model; here:
codes unique ignoring case and spaces, and Tracking that disagrees with the stock on hand
(a style whose pieces carry serials cannot become Quantity by retyping a cell: that is
what Convert Style is for, and the other way round).
"""

from __future__ import annotations

import pandas as pd

from addin.core.errors import Problem
from addin.core.ledger import is_memo_location
from addin.core.shop import Shop, style_key

SHEET = "Styles"


def check_styles(frame: pd.DataFrame, shop: Shop) -> list[Problem]:
    """Problems across Styles rows: duplicates and Tracking at odds with stock."""
    return duplicate_codes(frame) + tracking_at_odds(frame, shop)


def duplicate_codes(frame: pd.DataFrame) -> list[Problem]:
    keys = frame["Style"].map(style_key)
    firsts: dict[str, int] = {}
    problems = []
    for key, row, code in zip(keys, frame["_row"], frame["Style"], strict=True):
        if not key:
            continue
        if key in firsts:
            problems.append(Problem(SHEET, int(row), "Style", f"{code!r} repeats the style on "
                                    f"row {firsts[key]} (case and spaces do not count)",
                                    "give each style its own code, or delete the repeat"))
        else:
            firsts[key] = int(row)
    return problems


def tracking_at_odds(frame: pd.DataFrame, shop: Shop) -> list[Problem]:
    oh = shop.books.on_hand
    held = oh[(oh["qty"] > 0)]
    as_serials = set(held.loc[held["serial"] != "", "style"].map(style_key))
    as_counts = set(held.loc[(held["serial"] == "")
                             & ~held["location"].map(is_memo_location), "style"].map(style_key))
    problems = []
    for row, code, tracking in zip(frame["_row"], frame["Style"], frame["Tracking"], strict=True):
        key = style_key(code)
        if tracking == "Quantity" and key in as_serials:
            problems.append(Problem(SHEET, int(row), "Tracking", f"{code} has serialized pieces "
                                    "in stock but Tracking says Quantity",
                                    "set Tracking back to Serialized, then use Convert Style"))
        elif tracking == "Serialized" and key in as_counts:
            problems.append(Problem(SHEET, int(row), "Tracking", f"{code} has stock counted by "
                                    "quantity but Tracking says Serialized",
                                    "set Tracking back to Quantity, then use Convert Style"))
    return problems
