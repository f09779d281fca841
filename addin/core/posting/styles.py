"""Validate Styles: checks over the whole Styles sheet that no single row can make.

Row-level checks (required fields, enums, prices) come with the Style model; here:
codes unique ignoring case and spaces (`models.duplicate_styles`), and Tracking that
disagrees with the stock on hand (a style whose pieces carry serials cannot become
Quantity by retyping a cell: that is what Convert Style is for, and the other way round),
and Cost Method that disagrees with the method the style's posted history is costed by
(retyping it would re-cost the past: that is what Change Method is for, from a date).
"""

from __future__ import annotations

from dataclasses import replace

from addin.core import costing
from addin.core.costing.method_changes import ledger_methods
from addin.core.errors import Problem
from addin.core.ledger import is_memo_location
from addin.core.posting.cost_adjusting import untied_styles
from addin.core.posting.shop import Shop, methods_of
from addin.core.rows.models import Style, duplicate_styles, style_key

SHEET = "Styles"
OTHER = {"FIFO": "Average", "Average": "FIFO"}


def check_styles(styles: list[Style], shop: Shop) -> list[Problem]:
    """Problems across Styles rows: repeated codes, Tracking at odds with stock and Cost
    Method at odds with the Ledger."""
    return duplicate_styles(styles) + tracking_at_odds(styles, shop) + method_at_odds(styles, shop)


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


def costed_by(shop: Shop) -> dict[str, str]:
    """Style key -> the method its posted history is costed by, for the styles the Ledger
    decides: those with METHOD entries (the method they left it with), and those whose
    Ledger Cost of Goods ties to the other method than their Styles cell says (the cell
    was edited after the history was posted)."""
    known = {style_key(s): m for s, m in ledger_methods(shop.ledger).items()}
    untied = untied_styles(shop.ledger, shop.books)
    suspects = {style_key(s) for s in untied} - set(known)
    cells = {k: typed_method(shop, s) for k, s in shop.styles.items() if k in suspects}
    if not cells:
        return known
    other = {k: OTHER[m] for k, m in cells.items()}
    flipped = methods_of(shop.styles, shop.settings.default_cost_method)
    flipped.update({shop.styles[k].style: m for k, m in other.items()})
    still = {style_key(s) for s in untied_styles(shop.ledger, costing.book(shop.ledger, flipped))}
    return {**known, **{k: m for k, m in other.items() if k not in still}}


def costed_as_posted(shop: Shop) -> Shop:
    """The shop with each style at the method its posted history is costed by: a retyped
    Cost Method cell must not re-cost the past (a press posting, a report refreshed)."""
    truth = costed_by(shop)
    wrong = {k: m for k, m in truth.items()
             if k in shop.styles and typed_method(shop, shop.styles[k]) != m}
    if not wrong:
        return shop
    styles = {k: (s.model_copy(update={"cost_method": wrong[k]}) if k in wrong else s)
              for k, s in shop.styles.items()}
    books = costing.book(shop.ledger, methods_of(styles, shop.settings.default_cost_method))
    return replace(shop, styles=styles, books=books)


def blocking_posts(styles: list[Style], shop: Shop) -> tuple[str, list[Problem]]:
    """Styles problems under which no input row may post (why, and the problems): a code
    the sheet repeats (which row a style means is not Loupe's to guess), or a cost method
    that disagrees with the Ledger (posting would re-cost the past). ("", []) if none."""
    repeated = duplicate_styles(styles)
    if repeated:
        return "the Styles sheet repeats a style code", repeated
    retyped = method_at_odds(styles, shop)
    if retyped:
        return ("a style's cost method (its Styles cell, or Settings' Default Cost Method "
                "where the cell is blank) disagrees with the Ledger"), retyped
    return "", []


def typed_method(shop: Shop, style: Style) -> str:
    """The Styles cell's method (blank: Settings' Default Cost Method)."""
    return str(getattr(style, "cost_method", "") or shop.settings.default_cost_method)


def method_at_odds(styles: list[Style], shop: Shop) -> list[Problem]:
    """A Cost Method cell that disagrees with the method the style's history is costed by:
    changing it would re-cost the past, which only a METHOD entry from a date may do."""
    truth = costed_by(shop)
    problems = []
    for s in styles:
        ledger_says = truth.get(style_key(s.style))
        typed = typed_method(shop, s)
        if not ledger_says or typed == ledger_says:
            continue
        change = (f"to change its method from a date, run `loupe method {shop.book} {s.style} "
                  f"--to {typed} --date YYYY-MM-DD` (or press Change Method)")
        if getattr(s, "cost_method", ""):
            problems.append(Problem(
                SHEET, s.row, "Cost Method",
                f"{s.style} has posted history costed by {ledger_says}; {change}",
                f"put {ledger_says} back in this cell"))
        else:  # the cell is blank: it is Settings' default that changed
            problems.append(Problem(
                SHEET, s.row, "Cost Method",
                f"{s.style} has posted history costed by {ledger_says}, but this cell is "
                f"blank, so it takes Settings' Default Cost Method, now {typed}",
                f"type {ledger_says} in this cell (or set Default Cost Method back to "
                f"{ledger_says}); {change}"))
    return problems


def not_posted(problem: Problem) -> str:
    """The Status of a typed row a press left alone because of a Styles problem."""
    return f"Error: not posted until Styles is fixed: {problem}"
