"""Stock reports: Valuation, Cost Layers, Ageing (with markdown suggestions) and Memos.

All of them read the open cost layers of the Books. Three kinds of stock are kept apart:
owned stock in the shop; consigned-in stock (memo in: on hand, not owned, out of owned
value); and owned stock out on memo (at "Memo: <party>": owned, not on hand). Owned Value
is what the shop has in stock at cost, and it ties to `costing.owned_value`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from addin.core.costing import figures
from addin.core.ledger import MEMO_PREFIX
from addin.core.money import share
from addin.core.reports import Chart, ColumnSumWhere, Report, RowSum, Section, Total, sum_total
from addin.core.reports.report_facts import (
    Facts,
    days_between,
    exact_lines,
    lookup,
    money_text,
    with_style,
)
from addin.sheets.schema import Kind

INT, M, D, N, P = Kind.INT, Kind.MONEY, Kind.DATE, Kind.NUMBER, Kind.PERCENT
UC = Kind.UNIT_COST
STOCK = {
    "On Hand": INT,
    "Consigned In": INT,
    "Consigned Cost": M,
    "Out on Memo": INT,
    "Owned Qty": INT,
    "Owned Value": M,
}
SUMMED = list(STOCK)


def _layers(facts: Facts) -> pd.DataFrame:
    """Open layers with age, memo flag and style facts."""
    lay = figures.layer_ages(facts.books, facts.as_of).layers
    lay = with_style(lay, facts.styles)
    lay["memo"] = lay["location"].str.startswith(MEMO_PREFIX)
    lay["owned"] = lay["owned"].astype(bool)
    return lay


def stock_lines(facts: Facts) -> pd.DataFrame:
    """One row per open layer and per on-hand group, carrying the STOCK figures."""
    lay = _layers(facts)
    owned, memo, qty, value = lay["owned"], lay["memo"], lay["qty"], lay["value"]
    consigned = ~owned & ~memo
    from_layers = pd.DataFrame(
        {
            "On Hand": 0,
            "Consigned In": qty.where(consigned, 0),
            "Consigned Cost": value.where(consigned, 0),
            "Out on Memo": qty.where(memo, 0),
            "Owned Qty": qty.where(owned, 0),
            "Owned Value": value.where(owned, 0),
            "units": qty,
            "unit_days": qty * lay["age_days"],
        }
    )
    oh = with_style(facts.books.on_hand, facts.styles)
    in_shop = ~oh["location"].str.startswith(MEMO_PREFIX)
    from_counts = pd.DataFrame({"On Hand": oh["qty"].where(in_shop, 0)})
    short = with_style(facts.books.short, facts.styles)
    from_short = pd.DataFrame({"Owned Qty": short["qty"], "Owned Value": short["value"]})
    keys = ["style", "description", "category", "vendor", "location"]
    lines = pd.concat(
        [pd.concat([lay[keys], from_layers], axis=1), pd.concat([oh[keys], from_counts], axis=1),
         pd.concat([short[keys], from_short], axis=1)],
        ignore_index=True,
    )
    return lines.fillna({c: 0 for c in [*STOCK, "units", "unit_days"]})


def stock_by(lines: pd.DataFrame, by: list[str], headers: list[str]) -> pd.DataFrame:
    grouped = lines.groupby(by, sort=True, as_index=False)[[*STOCK, "units", "unit_days"]].sum()
    grouped = grouped[(grouped[SUMMED] != 0).any(axis=1)].reset_index(drop=True)
    out = grouped[by].set_axis(headers, axis=1)
    for h in STOCK:
        out[h] = grouped[h].astype("int64")
    out["Avg Age (days)"] = (
        (grouped["unit_days"] / grouped["units"].where(grouped["units"] > 0))
        .round(0)
        .astype("Int64")
    )
    return out


def valuation(facts: Facts) -> Report:
    """On hand and value by category, location, vendor and style."""
    lines = stock_lines(facts)
    kinds = {**STOCK, "Avg Age (days)": INT}
    sections = []
    for title, by, headers in (
        ("By category", ["category"], ["Category"]),
        ("By location", ["location"], ["Location"]),
        ("By vendor", ["vendor"], ["Vendor"]),
        (
            "By style",
            ["style", "description", "category", "vendor"],
            ["Style", "Description", "Category", "Vendor"],
        ),
    ):
        frame = stock_by(lines, by, headers)
        chart = (
            Chart("bar", "Owned stock at cost by category", "Category", ("Owned Value",))
            if title == "By category"
            else None
        )
        sections.append(
            Section(title, frame, kinds, totals=(sum_total(frame, SUMMED),), chart=chart)
        )
    note = (
        "On Hand counts stock in the shop (consigned-in included). Owned = in the shop and "
        "out on memo, consigned-in excluded. Values at cost. Stock below zero shows as "
        "negative units at minus the cost they were sold at, until stock arrives."
    )
    return Report("Valuation", "Stock on hand and its value", tuple(sections), note)


def cost_layers(facts: Facts) -> Report:
    """Every open cost layer: style, location, receipt date, qty, unit cost, value, age."""
    lay = _layers(facts)
    # quantity layers in the order sales take them (first in, first out: the queue order of
    # the Books); serialized pieces oldest first
    serialized = lay["serial"] != ""
    queue = lay.groupby(["style", "location", "serial"]).cumcount()
    when = lay["received"].astype("int64")
    lay = lay.assign(_kind=serialized, _at=queue.where(~serialized, when)).sort_values(
        ["style", "location", "_kind", "_at", "serial"], kind="stable"
    )
    lay = exact_lines(lay, "value")
    frame = pd.DataFrame(
        {
            "Style": lay["style"],
            "Category": lay["category"],
            "Serial": lay["serial"],
            "Location": lay["location"],
            "Received": lay["received"],
            "Qty": lay["qty"],
            "Unit Cost": lay["unit_cost"],
            "Value": lay["value"],
            "Age (days)": lay["age_days"],
            "Terms": np.where(lay["owned"], "Owned", "Consigned"),
        }
    ).reset_index(drop=True)
    kinds = {"Received": D, "Qty": INT, "Unit Cost": UC, "Value": M, "Age (days)": INT}
    owned = frame["Terms"] == "Owned"
    totals = (
        sum_total(frame, ["Qty", "Value"], "All layers"),
        Total(
            "Owned",
            {
                "Qty": (ColumnSumWhere("Qty", "Terms", "Owned"), int(frame["Qty"][owned].sum())),
                "Value": (
                    ColumnSumWhere("Value", "Terms", "Owned"),
                    int(frame["Value"][owned].sum()),
                ),
            },
        ),
    )
    section = Section(
        "Open cost layers",
        frame,
        kinds,
        totals=totals,
        note="Per style and location, quantity layers in the order sales take "
        "them (FIFO), then serialized pieces (layers of one), oldest first. Every line is "
        "Qty x Unit Cost = Value to the cent: a layer whose value does not divide evenly "
        "by its units to 4 decimals (an average, a split) is shown on two lines of one "
        "receipt, the units carrying the odd cents first." + _below_zero(
            facts, "layer", ", so Valuation's Owned Value is the Owned total here plus it"),
    )
    return Report("Cost Layers", "Cost layers on hand", (section,))


def _below_zero(facts: Facts, what: str, tie: str = "") -> str:
    """Why a report's totals differ from Valuation's while stock is below zero."""
    short = facts.books.short
    if not len(short):
        return ""
    units, value = int(short["qty"].sum()), money_text(pd.Series([short["value"].sum()]))
    return (f" Stock below zero ({units} units, {value.iloc[0]} at cost) has no {what} and "
            "is not in these tables (sold before it arrived; trued up when it does): "
            f"Valuation shows it{tie}.")


def aged_layers(facts: Facts) -> pd.DataFrame:
    """Owned open layers with their age bucket (a Categorical of the bucket labels)."""
    lay = _layers(facts)
    lay = lay[lay["owned"]].copy()
    labels = figures.bucket_labels(facts.buckets)
    no = np.searchsorted(np.asarray(facts.buckets), lay["age_days"].to_numpy(), side="left")
    lay["bucket"] = pd.Categorical(np.asarray(labels, dtype=object)[no], categories=labels)
    return lay


def ageing_rows(facts: Facts) -> pd.DataFrame:
    """Owned stock per style, location and age bucket: Qty and Value (long form, for export)."""
    lay = aged_layers(facts)
    g = (
        lay.groupby(
            ["style", "category", "location", "bucket"], sort=True, observed=True, as_index=False
        )[["qty", "value"]].sum()
        if len(lay)
        else None
    )
    if g is None:
        return pd.DataFrame(columns=["Style", "Category", "Location", "Bucket", "Qty", "Value"])
    return pd.DataFrame(
        {
            "Style": g["style"],
            "Category": g["category"],
            "Location": g["location"],
            "Bucket": g["bucket"].astype(str),
            "Qty": g["qty"].astype("int64"),
            "Value": g["value"].astype("int64"),
        }
    )


def _bucket_pivot(
    lay: pd.DataFrame, by: str, header: str, figure: str, labels: list[str]
) -> pd.DataFrame:
    table = lay.pivot_table(
        index=by, columns="bucket", values=figure, aggfunc="sum", fill_value=0, observed=False
    )
    table = table.reindex(columns=labels, fill_value=0).sort_index()
    out = table.reset_index().rename(columns={by: header})
    out.columns.name = None
    for label in labels:
        out[label] = out[label].astype("int64")
    out["Total"] = out[labels].sum(axis=1).astype("int64")
    return out


def ageing(facts: Facts) -> Report:
    """Owned stock by age bucket (Settings Ageing Buckets), and markdown suggestions."""
    lay = aged_layers(facts)
    labels = figures.bucket_labels(facts.buckets)
    row_total = RowSum(tuple(labels))
    sections = []
    for title, by, header, figure, kind in (
        ("Owned value at cost by age: by category", "category", "Category", "value", M),
        ("Owned value at cost by age: by location", "location", "Location", "value", M),
        ("Pieces and units by age: by category", "category", "Category", "qty", INT),
    ):
        frame = _bucket_pivot(lay, by, header, figure, labels)
        chart = (
            Chart("stacked", "Owned stock at cost by age", header, tuple(labels))
            if by == "category" and figure == "value"
            else None
        )
        sections.append(
            Section(
                title,
                frame,
                {b: kind for b in [*labels, "Total"]},
                formulas={"Total": row_total},
                totals=(sum_total(frame, [*labels, "Total"]),),
                chart=chart,
            )
        )
    sections.append(markdowns(facts, lay))
    note = (
        f"Age = days from receipt to {facts.as_of:%Y-%m-%d}: each serialized piece its own, "
        "each quantity layer its own. Owned stock only (in the shop and out on memo)."
    )
    note += _below_zero(facts, "age")
    return Report("Ageing", "Ageing of stock", tuple(sections), note)


def markdowns(facts: Facts, owned_layers: pd.DataFrame) -> Section:
    """Owned stock in the shop old enough for a Settings Markdown Tier, with its price."""
    kinds = {
        "Received": D,
        "Age (days)": INT,
        "Qty": INT,
        "Unit Cost": UC,
        "Retail Price": M,
        "Markdown": P,
        "Suggested Price": M,
    }
    tiers = sorted(facts.tiers, key=lambda t: t.days)
    days = np.asarray([t.days for t in tiers], dtype=np.int64)
    basis = np.asarray([int(t.fraction * 10000) for t in tiers], dtype=np.int64)
    lay = owned_layers[~owned_layers["memo"]]
    tier = np.searchsorted(days, lay["age_days"].to_numpy(), side="right") - 1
    lay, tier = lay[tier >= 0], tier[tier >= 0]
    retail = lay["serial"].map(facts.retail_by_serial).astype("Int64")
    style_retail = with_style(lay[["style"]], facts.styles, ("retail_price",))["retail_price"]
    retail = retail.fillna(pd.Series(style_retail.to_numpy(), index=lay.index).astype("Int64"))
    cut = basis[tier]
    retail = retail.astype("Int64")
    suggested = pd.Series(share(retail.fillna(0).to_numpy("int64"), 10000 - cut, 10000),
                          index=retail.index, dtype="Int64").where(retail.notna())
    frame = pd.DataFrame(
        {
            "Style": lay["style"],
            "Serial": lay["serial"],
            "Category": lay["category"],
            "Location": lay["location"],
            "Received": lay["received"],
            "Age (days)": lay["age_days"],
            "Qty": lay["qty"],
            "Unit Cost": lay["unit_cost"],
            "Retail Price": retail,
            "Markdown": cut / 10000,
            "Suggested Price": suggested.astype("Int64"),
        }
    ).sort_values(["Age (days)", "Style"], ascending=[False, True], kind="stable")
    tiers_text = ", ".join(f"{t.days} days: {t.percent.normalize():f}%" for t in tiers)
    return Section(
        "Markdown suggestions",
        frame.reset_index(drop=True),
        kinds,
        note=f"Settings Markdown Tiers: {tiers_text}. Suggested Price = Retail Price "
        "less the markdown, to the cent.",
    )


def memos(facts: Facts) -> Report:
    """Consigned-in stock on hand, and owned stock out on memo with due dates."""
    lay = _layers(facts)
    return Report(
        "Memos",
        "Memo stock: consigned in and out on memo",
        (_memo_in(facts, lay), _memo_out(facts, lay)),
    )


def _memo_in(facts: Facts, lay: pd.DataFrame) -> Section:
    mine = lay[~lay["owned"] & ~lay["memo"]]
    party = facts.ledger.set_index("entry")["party"]
    frame = (
        pd.DataFrame(
            {
                "Consignor": lookup(mine["origin"], party).fillna(""),
                "Style": mine["style"],
                "Serial": mine["serial"],
                "Location": mine["location"],
                "Received": mine["received"],
                "Qty": mine["qty"],
                "Cost": mine["value"],
                "Days Held": mine["age_days"],
            }
        )
        .sort_values(["Consignor", "Received", "Style"], kind="stable")
        .reset_index(drop=True)
    )
    return Section(
        "Consigned to us (memo in), in the shop",
        frame,
        {"Received": D, "Qty": INT, "Cost": M, "Days Held": INT},
        totals=(sum_total(frame, ["Qty", "Cost"]),),
        note="On hand, not owned: out of owned value; costed only when sold.",
    )


def _memo_out(facts: Facts, lay: pd.DataFrame) -> Section:
    out = lay[lay["memo"]]
    per = out.groupby(["arrived", "style", "serial", "location"], as_index=False, sort=True)[
        ["qty", "value"]
    ].sum()
    sent = facts.ledger.set_index("entry")
    due = lookup(per["arrived"], facts.memo_due.astype("datetime64[ns]"))
    overdue = days_between(due, facts.as_of)
    on = lookup(per["arrived"], sent["date"])
    frame = pd.DataFrame(
        {
            "Party": per["location"].str.removeprefix(MEMO_PREFIX),
            "Doc": lookup(per["arrived"], sent["doc"]).fillna(""),
            "Style": per["style"],
            "Serial": per["serial"],
            "Sent": on,
            "Due Date": due,
            "Qty": per["qty"],
            "Cost": per["value"],
            "Days Out": days_between(on, facts.as_of),
            "Days Overdue": overdue.where(overdue > 0, 0).where(due.notna()),
        }
    ).sort_values(["Due Date", "Party", "Style"], kind="stable", na_position="last")
    frame = frame.reset_index(drop=True)
    return Section(
        "Out on memo (owned, not in the shop)",
        frame,
        {"Sent": D, "Due Date": D, "Qty": INT, "Cost": M, "Days Out": INT, "Days Overdue": INT},
        totals=(sum_total(frame, ["Qty", "Cost"]),),
        note="Due dates from the Movements rows that sent the stock out.",
    )
