"""Validate Styles: checks over the whole Styles sheet that no single row can make.

Row-level checks (required fields, enums, prices) come with the Style model; here:
codes unique ignoring case and spaces (`models.duplicate_styles`), and Tracking that
disagrees with the stock on hand (a style whose pieces carry serials cannot become
Quantity by retyping a cell: that is what Convert Style is for, and the other way round).
"""

from __future__ import annotations

from addin.core.errors import Problem
from addin.core.ledger import is_memo_location
from addin.core.posting.shop import Shop
from addin.core.rows.models import Style, duplicate_styles, style_key

SHEET = "Styles"


def check_styles(styles: list[Style], shop: Shop) -> list[Problem]:
    """Problems across Styles rows: repeated codes and Tracking at odds with stock."""
    return duplicate_styles(styles) + tracking_at_odds(styles, shop)


def tracking_at_odds(styles: list[Style], shop: Shop) -> list[Problem]:
    oh = shop.books.on_hand
    held = oh[(oh["qty"] > 0)]
    as_serials = set(held.loc[held["serial"] != "", "style"].map(style_key))
    as_counts = set(
        held.loc[
            (held["serial"] == "") & ~held["location"].map(is_memo_location).astype(bool), "style"
        ].map(style_key)
    )
    problems = []
    for s in styles:
        row, code, tracking, key = s.row, s.style, s.tracking, style_key(s.style)
        if tracking == "Quantity" and key in as_serials:
            problems.append(
                Problem(
                    SHEET,
                    row,
                    "Tracking",
                    f"{code} has serialized pieces in stock but Tracking says Quantity",
                    "set Tracking back to Serialized, then use Convert Style",
                )
            )
        elif tracking == "Serialized" and key in as_counts:
            problems.append(
                Problem(
                    SHEET,
                    row,
                    "Tracking",
                    f"{code} has stock counted by quantity but Tracking says Serialized",
                    "set Tracking back to Quantity, then use Convert Style",
                )
            )
    return problems
