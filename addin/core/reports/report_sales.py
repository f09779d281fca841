"""Selling reports: Margin, Sale Lines, COGS Explain, Turn & GMROI, Slow Movers, Reorder.

Sale lines come from `figures.sale_lines`: one per SALE, and one negative line per customer
RETURN (giving back the cost its sale took); an entry undone by a REVERSAL in its own month
is left out, one undone in a later month (from closed books) stays in its month and its
REVERSAL is a line of its own, negated, in the month it is dated.
Margin = Sales - Cost of Goods and Margin % = Margin / Sales are live formulas on the sheet;
the same figures are computed here.

Turn and GMROI look back one year from the as-of date (less if the ledger is younger) and
are annualised: Turn = cost of goods x 365 / days / average owned stock at cost; GMROI =
margin x 365 / days / average owned stock at cost. The average is taken day by day: the
owned value each entry adds or removes (its own cost, or what it took over or took away)
is accumulated per category by date.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from addin.core.costing import figures
from addin.core.ledger import MEMO_PREFIX, EntryKind
from addin.core.money import share
from addin.core.reports import (
    Chart,
    ColumnMax,
    Difference,
    Live,
    Ratio,
    Report,
    Section,
    Total,
    ratio,
    sum_total,
)
from addin.core.reports.report_facts import (
    Facts,
    days_between,
    exact_lines,
    keys,
    lookup,
    unit_cost_text,
    with_piece_vendor,
    with_style,
)
from addin.sheets.schema import Kind

INT, M, D, N, P = Kind.INT, Kind.MONEY, Kind.DATE, Kind.NUMBER, Kind.PERCENT
MARGIN = Difference("Sales", "Cost of Goods")
MARGIN_PCT = Ratio("Margin", "Sales")
SALES_KINDS = {"Qty": INT, "Sales": M, "Cost of Goods": M, "Margin": M, "Margin %": P}
YEAR = 365


def lines(facts: Facts) -> pd.DataFrame:
    """Sale lines with category, vendor (a piece's own, else its style's) and description."""
    sold = with_style(figures.sale_lines(facts.ledger, facts.books), facts.styles)
    return with_piece_vendor(sold, facts.books, facts.ledger)


def _totals(frame: pd.DataFrame) -> tuple[Total, ...]:
    total = sum_total(frame, ["Qty", "Sales", "Cost of Goods", "Margin"])
    sales, margin = total.cells["Sales"][1], total.cells["Margin"][1]
    pct = float(ratio(pd.Series([margin]), pd.Series([sales])).iloc[0])
    return (Total(total.label, {**total.cells, "Margin %": (MARGIN_PCT, pct)}),)


def _margin_by(sold: pd.DataFrame, by: list[str], headers: list[str]) -> pd.DataFrame:
    g = sold.groupby(by, sort=True, as_index=False)[["qty", "revenue", "cogs"]].sum()
    out = g[by].set_axis(headers, axis=1)
    out["Qty"] = g["qty"].astype("int64")
    out["Sales"] = g["revenue"].astype("int64")
    out["Cost of Goods"] = g["cogs"].astype("int64")
    out["Margin"] = out["Sales"] - out["Cost of Goods"]
    out["Margin %"] = ratio(out["Margin"], out["Sales"])
    return out


def margin(facts: Facts) -> Report:
    """Sales, cost of goods and margin by month, category, vendor and style."""
    sold = lines(facts)
    sold["month"] = sold["date"].dt.strftime("%Y-%m")
    sold = in_their_months(sold, facts.ledger)
    sections = []
    for title, by, headers in (
        ("By month", ["month"], ["Month"]),
        ("By category", ["category"], ["Category"]),
        ("By vendor", ["vendor"], ["Vendor"]),
        ("By style", ["style", "description", "category"], ["Style", "Description", "Category"]),
    ):
        frame = _margin_by(sold, by, headers)
        chart = (
            Chart("column", "Sales and margin by month", "Month", ("Sales", "Margin"))
            if title == "By month"
            else None
        )
        sections.append(
            Section(
                title,
                frame,
                SALES_KINDS,
                {"Margin": MARGIN, "Margin %": MARGIN_PCT},
                _totals(frame),
                chart=chart,
            )
        )
    note = (
        "Returns count as negative lines at the cost their sale took. A sale undone in its own "
        "month is left out; one undone in a later month (its month was closed) stays in its "
        "month, and the undo counts, negative, in the month it is dated. A cost adjustment of "
        "a sale (stock arriving after it was sold below zero, a late receipt) counts in the "
        "month it is dated, so a past month's figures stay put."
    )
    return Report("Margin", "Sales, cost of goods and margin", tuple(sections), note)


def in_their_months(sold: pd.DataFrame, lf: pd.DataFrame) -> pd.DataFrame:
    """Sale lines (with `month`) whose later COST_ADJUSTs are moved to the months they are
    dated in: the sale's line keeps the cost it was posted at plus the adjustments of its
    own month, and each later month gets a line (no units, no sales) with the change."""
    adjust = lf[(lf["kind"] == EntryKind.COST_ADJUST.value).to_numpy(bool)]
    if adjust.empty or sold.empty:
        return sold
    at = pd.Series(np.arange(len(sold)), index=sold["entry"].to_numpy(np.int64))
    adjust = adjust[adjust["reverses"].isin(at.index).to_numpy(bool)]
    month = adjust["date"].dt.strftime("%Y-%m").to_numpy()
    line = at.reindex(adjust["reverses"].to_numpy(np.int64)).to_numpy(np.int64)
    later = month != sold["month"].to_numpy()[line]
    if not later.any():
        return sold
    change = adjust["cogs"].to_numpy(np.int64)[later]
    moved = sold.iloc[line[later]].reset_index(drop=True).assign(
        month=month[later], qty=0, revenue=0, cogs=change, margin=-change)
    kept = sold.copy()
    np.subtract.at(cogs := kept["cogs"].to_numpy(np.int64).copy(), line[later], change)
    kept["cogs"] = cogs
    kept["margin"] = kept["revenue"] - kept["cogs"]
    return pd.concat([kept, moved], ignore_index=True)


def explanations(facts: Facts, sold: pd.DataFrame) -> pd.Series:
    """Per sale line: which layers it took, '2 @ 150.00 from 2025-01-03; ...', each part
    Qty x Unit Cost to the cent (`exact_lines`)."""
    used = facts.books.consumed
    used = exact_lines(used[used["entry"].isin(sold["entry"])], "cost")
    when = used["received"].dt.strftime("%Y-%m-%d").fillna("no receipt")
    piece = (used["qty"].astype(str) + " @ " + unit_cost_text(used["unit_cost"]) + " from "
             + when + "; ")
    text = piece.groupby(used["entry"].to_numpy()).sum().str.removesuffix("; ")
    out = sold["entry"].map(text).fillna("")
    by_entry = facts.ledger.set_index("entry")
    source = sold["entry"].map(by_entry["reverses"])
    named = "E" + source.astype(str)
    is_return = sold["kind"] == EntryKind.RETURN.value
    is_undo = sold["kind"] == EntryKind.REVERSAL.value
    returned = "back at the cost sale " + named + " took"
    undone = "undoes " + source.map(by_entry["kind"]).astype(str).str.lower() + " " + named
    return out.where(~is_return, returned).where(~is_undo, undone)


PRINTED_LINE_COLUMNS = (
    "Date",
    "Doc",
    "Entry",
    "Kind",
    "Style",
    "Serial",
    "Category",
    "Customer",
    "Qty",
    "Unit Price",
    "Sales",
    "Cost of Goods",
    "Margin",
    "Margin %",
    "Cost Explained",
)


def sale_lines_report(facts: Facts) -> Report:
    """Every sale line with its cost of goods, margin and COGS explain (the sheet leaves
    Vendor and Location to the export, so a page stays readable)."""
    section = sale_lines_section(facts)
    frame = section.frame[list(PRINTED_LINE_COLUMNS)]
    printed = Section(
        section.title, frame, section.kinds, section.formulas, _totals(frame), note=section.note
    )
    return Report("Sale Lines", "Sale lines with cost of goods", (printed,))


def sale_lines_section(facts: Facts) -> Section:
    """Every sale line, all its columns (vendor and location too), by date."""
    sold = lines(facts).sort_values(["date", "entry"], kind="stable").reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "Date": sold["date"],
            "Doc": sold["doc"],
            "Entry": sold["entry"],
            "Kind": sold["kind"].str.title(),
            "Style": sold["style"],
            "Serial": sold["serial"],
            "Category": sold["category"],
            "Vendor": sold["vendor"],
            "Customer": sold["party"],
            "Location": sold["location"],
            "Qty": sold["qty"],
            "Unit Price": sold["unit_price"],
            "Sales": sold["revenue"],
            "Cost of Goods": sold["cogs"],
            "Margin": sold["margin"],
            "Margin %": sold["margin_pct"],
            "Cost Explained": explanations(facts, sold),
        }
    )
    kinds = {"Date": D, "Entry": INT, "Unit Price": Kind.UNIT_COST, **SALES_KINDS}
    return Section(
        "Sale lines",
        frame,
        kinds,
        {"Margin": MARGIN, "Margin %": MARGIN_PCT},
        _totals(frame),
        note="Cost Explained: the layers each sale took, units @ "
        "unit cost from their receipt date.",
    )


def cogs_explain(facts: Facts) -> Report:
    """One row per layer piece each standing sale took (the 'COGS explain')."""
    sold = lines(facts)
    sold = sold[sold["kind"] == EntryKind.SALE.value]
    used = facts.books.consumed
    at = sold.set_index("entry")
    used = used[used["entry"].isin(sold["entry"])]
    used = exact_lines(
        used.assign(_day=lookup(used["entry"], at["date"]))
        .sort_values(["_day", "entry"], kind="stable"), "cost"
    ).reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "Sale Entry": used["entry"],
            "Date": at["date"].reindex(used["entry"]).to_numpy(),
            "Doc": at["doc"].reindex(used["entry"]).to_numpy(),
            "Style": used["style"],
            "Serial": used["serial"],
            "Location": used["location"],
            "Qty": used["qty"],
            "Unit Cost": used["unit_cost"],
            "Cost": used["cost"],
            "Received": used["received"],
            "Receipt Entry": used["origin"],
        }
    ).reset_index(drop=True)
    kinds = {
        "Sale Entry": INT,
        "Date": D,
        "Qty": INT,
        "Unit Cost": Kind.UNIT_COST,
        "Cost": M,
        "Received": D,
        "Receipt Entry": INT,
    }
    section = Section(
        "Layers taken by each sale",
        frame,
        kinds,
        totals=(sum_total(frame, ["Qty", "Cost"]),),
        note="Receipt Entry is the Ledger entry that first brought the units in.",
    )
    return Report("COGS Explain", "Cost of goods explained", (section,))


# --- turn and GMROI ---------------------------------------------------------------------


def owned_changes(facts: Facts) -> pd.DataFrame:
    """Per entry: date, style and the owned value (cents) it put on (+) or took off (-)."""
    lf, books = facts.ledger, facts.books
    used = books.consumed
    owned_out = used["cost"].where(used["owned"], 0).groupby(used["entry"]).sum()
    cost_in = lookup(lf["entry"], books.cost_in.astype("float64")).fillna(0).astype("int64")
    source = lf["reverses"].where(lf["reverses"].isin(books.cogs.index), 0)
    derived = (source > 0).to_numpy()
    taken, owned_taken = taken_over(lf[derived], source[derived], used)
    came_in = cost_in.to_numpy().copy()
    came_in[lf["kind"].to_numpy() == EntryKind.MEMO_IN.value] = 0
    # a derived receipt is owned as far as what it took over was; units its source never
    # took are booked at the row's own cost, owned
    came_in[derived] = owned_taken + (cost_in.to_numpy()[derived] - taken)
    went_out = lookup(lf["entry"], owned_out.astype("float64")).fillna(0)
    return pd.DataFrame(
        {"date": lf["date"], "style": lf["style"], "change": came_in - went_out.to_numpy("int64")}
    )


def taken_over(
    rows: pd.DataFrame, source: pd.Series, used: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """For derived receipts (`rows`, naming `source`): the cost of the units each took over
    from its source's pieces, in all and owned only, cut exactly as the costing engine cuts
    them (cost_routes: consecutive unit ranges per source in entry order, REVERSALs a run of
    their own from the first unit; `money.share` per piece)."""
    want = pd.DataFrame(
        {
            "row": np.arange(len(rows)),
            "source": source.to_numpy(),
            "qty": rows["qty"].to_numpy(),
            "reversal": (rows["kind"] == EntryKind.REVERSAL.value).to_numpy(),
        }
    )
    want["hi"] = want.groupby(["source", "reversal"])["qty"].cumsum()
    want["lo"] = want["hi"] - want["qty"]
    have = used[used["entry"].isin(want["source"])][["entry", "qty", "cost", "owned"]]
    have = have.assign(top=have.groupby("entry")["qty"].cumsum())
    pairs = want.merge(have, left_on="source", right_on="entry", suffixes=("", "_p"))
    base = (pairs["top"] - pairs["qty_p"]).to_numpy()
    n = pairs["qty_p"].to_numpy()
    a = np.clip(pairs["lo"].to_numpy() - base, 0, n)
    b = np.clip(pairs["hi"].to_numpy() - base, 0, n)
    cost = pairs["cost"].to_numpy(np.int64)
    cut = np.where(
        b > a, share(cost, b, np.maximum(n, 1)) - share(cost, a, np.maximum(n, 1)), 0
    )
    total = np.bincount(pairs["row"], weights=cut, minlength=len(rows)).astype(np.int64)
    owned = np.bincount(
        pairs["row"], weights=np.where(pairs["owned"], cut, 0), minlength=len(rows)
    ).astype(np.int64)
    return total, owned


def average_owned(facts: Facts, start: dt.date, end: dt.date) -> pd.Series:
    """Per category: the owned value at cost, averaged over every day of [start, end]."""
    changes = with_style(owned_changes(facts), facts.styles, ("category",))
    daily = changes.groupby(["category", "date"], as_index=False)["change"].sum()
    daily["value"] = daily.groupby("category")["change"].cumsum()
    after = pd.Timestamp(end) + pd.Timedelta(days=1)
    nxt = daily.groupby("category")["date"].shift(-1).fillna(after)
    lo = daily["date"].clip(lower=pd.Timestamp(start))
    hi = nxt.clip(upper=after)
    days = (hi - lo).dt.days.clip(lower=0)
    value_days = (daily["value"] * days).groupby(daily["category"]).sum()
    whole = (pd.Timestamp(end) - pd.Timestamp(start)).days + 1
    return (value_days * 2 + whole) // (2 * whole)


def turn_and_gmroi(facts: Facts) -> Report:
    """Turn and GMROI by category over the year to the as-of date, annualised."""
    end = facts.as_of
    first = facts.ledger["date"].min()
    start = max(end - dt.timedelta(days=YEAR - 1), first.date() if pd.notna(first) else end)
    days = (end - start).days + 1
    sold = lines(facts)
    sold = sold[sold["date"] >= pd.Timestamp(start)]
    by = sold.groupby("category")[["revenue", "cogs"]].sum()
    avg = average_owned(facts, start, end)
    now = _owned_now(facts)
    cats = sorted(set(by.index) | set(avg.index[avg != 0]) | set(now.index[now != 0]))
    frame = pd.DataFrame({"Category": cats})
    frame["Sales"] = frame["Category"].map(by["revenue"]).fillna(0).astype("int64")
    frame["Cost of Goods"] = frame["Category"].map(by["cogs"]).fillna(0).astype("int64")
    frame["Margin"] = frame["Sales"] - frame["Cost of Goods"]
    frame["Avg Owned Stock"] = frame["Category"].map(avg).fillna(0).astype("int64")
    frame["Owned Stock Now"] = frame["Category"].map(now).fillna(0).astype("int64")
    frame["Days"] = days
    frame["Turn"] = ratio(frame["Cost of Goods"] * YEAR / days, frame["Avg Owned Stock"])
    frame["GMROI"] = ratio(frame["Margin"] * YEAR / days, frame["Avg Owned Stock"])
    formulas: dict[str, Live] = {
        "Margin": MARGIN,
        "Turn": Ratio("Cost of Goods", "Avg Owned Stock", times=YEAR, per="Days"),
        "GMROI": Ratio("Margin", "Avg Owned Stock", times=YEAR, per="Days"),
    }
    total = sum_total(
        frame, ["Sales", "Cost of Goods", "Margin", "Avg Owned Stock", "Owned Stock Now"]
    )
    t = {h: int(frame[h].sum()) for h in total.cells}
    cells: dict[str, tuple[Live, object]] = {
        **total.cells,
        "Days": (ColumnMax("Days"), days),
        "Turn": (formulas["Turn"], _ratio1(t["Cost of Goods"] * YEAR / days, t["Avg Owned Stock"])),
        "GMROI": (formulas["GMROI"], _ratio1(t["Margin"] * YEAR / days, t["Avg Owned Stock"])),
    }
    kinds = {
        "Sales": M,
        "Cost of Goods": M,
        "Margin": M,
        "Avg Owned Stock": M,
        "Owned Stock Now": M,
        "Days": INT,
        "Turn": N,
        "GMROI": N,
    }
    section = Section(
        f"By category, {start:%Y-%m-%d} to {end:%Y-%m-%d}",
        frame,
        kinds,
        formulas,
        (Total("All categories", cells),),
        note="Turn = cost of goods a year / average owned stock at cost. GMROI = "
        "margin a year / average owned stock at cost. Both annualised over Days.",
    )
    return Report("Turn & GMROI", "Stock turn and GMROI", (section,))


def _ratio1(top: float, bottom: int) -> float:
    return float(top) / bottom if bottom else float("nan")


def _owned_now(facts: Facts) -> pd.Series:
    lay = with_style(facts.books.layers, facts.styles, ("category",))
    return lay["value"].where(lay["owned"], 0).groupby(lay["category"]).sum()


# --- slow movers and reorder --------------------------------------------------------------


def _in_shop(facts: Facts) -> pd.DataFrame:
    """Per style: units in the shop, owned value there, oldest receipt date."""
    lay = facts.books.layers
    lay = lay[~lay["location"].str.startswith(MEMO_PREFIX)]
    g = lay.groupby("style")
    oh = facts.books.on_hand
    oh = oh[~oh["location"].str.startswith(MEMO_PREFIX)]
    out = pd.DataFrame({"qty": oh.groupby("style")["qty"].sum()})
    out["value"] = lay["value"].where(lay["owned"], 0).groupby(lay["style"]).sum()
    out["oldest"] = g["received"].min()
    return out.fillna({"value": 0}).rename_axis("style").reset_index()


def slow_movers(facts: Facts) -> Report:
    """Styles with stock in the shop and no sale in the last N days."""
    stock = _in_shop(facts)
    stock = stock[stock["qty"] > 0]
    sold = lines(facts)
    last = sold[sold["kind"] == EntryKind.SALE.value].groupby("style")["date"].max()
    stock = with_style(stock, facts.styles)
    stock["last"] = lookup(stock["style"], last)
    since = days_between(stock["last"], facts.as_of)
    held = days_between(stock["oldest"], facts.as_of)
    # slow: stock held at least N days, and no sale in the last N days
    slow = (since.isna() | (since > facts.slow_days)) & (held >= facts.slow_days).fillna(False)
    stock, since = stock[slow.to_numpy()], since[slow.to_numpy()]
    frame = pd.DataFrame(
        {
            "Style": stock["style"],
            "Description": stock["description"],
            "Category": stock["category"],
            "Vendor": stock["vendor"],
            "On Hand": stock["qty"],
            "Owned Value": stock["value"].astype("int64"),
            "Last Sale": stock["last"],
            "Days Since Sale": since,
            "Oldest Received": stock["oldest"],
            "Days Since Receipt": days_between(stock["oldest"], facts.as_of),
        }
    ).sort_values(["Owned Value", "Style"], ascending=[False, True], kind="stable")
    frame = frame.reset_index(drop=True)
    kinds = {
        "On Hand": INT,
        "Owned Value": M,
        "Last Sale": D,
        "Days Since Sale": INT,
        "Oldest Received": D,
        "Days Since Receipt": INT,
    }
    section = Section(
        f"No sale in the last {facts.slow_days} days",
        frame,
        kinds,
        totals=(sum_total(frame, ["On Hand", "Owned Value"]),),
        note="Stock held at least that long and not sold since. Biggest money "
        "first; a blank Last Sale: never sold.",
    )
    return Report("Slow Movers", "Slow movers", (section,))


def reorder(facts: Facts) -> Report:
    """Active quantity styles at or below their Reorder Point (stock in the shop)."""
    styles = facts.styles
    wanted = styles[
        (styles["tracking"] == "Quantity") & styles["active"] & styles["reorder_point"].notna()
    ]
    stock = _in_shop(facts)
    have = stock.groupby(keys(stock["style"]))["qty"].sum()
    lf = facts.ledger
    recent = lf[
        (lf["kind"] == EntryKind.SALE.value)
        & (lf["date"] > pd.Timestamp(facts.as_of) - pd.Timedelta(days=90))
    ]
    sold90 = (-recent["qty"]).groupby(keys(recent["style"])).sum()
    bought = lf[lf["kind"].isin([EntryKind.RECEIPT.value, EntryKind.OPENING.value])]
    last_cost = bought.groupby(keys(bought["style"]))["unit_cost"].last()
    on_hand = wanted["key"].map(have).fillna(0).astype("int64")
    low = (on_hand <= wanted["reorder_point"]).to_numpy(bool)
    w, on_hand = wanted[low], on_hand[low]
    frame = (
        pd.DataFrame(
            {
                "Style": w["style"],
                "Description": w["description"],
                "Category": w["category"],
                "Vendor": w["vendor"],
                "Vendor Style": w["vendor_style"],
                "On Hand": on_hand,
                "Reorder Point": w["reorder_point"].astype("int64"),
                "Below By": w["reorder_point"].astype("int64") - on_hand,
                "Sold Last 90 Days": w["key"].map(sold90).fillna(0).astype("int64"),
                "Last Unit Cost": w["key"].map(last_cost).astype("Int64"),
            }
        )
        .sort_values(["Vendor", "Style"], kind="stable")
        .reset_index(drop=True)
    )
    kinds = {
        "On Hand": INT,
        "Reorder Point": INT,
        "Below By": INT,
        "Sold Last 90 Days": INT,
        "Last Unit Cost": Kind.UNIT_COST,
    }
    section = Section(
        "At or below Reorder Point",
        frame,
        kinds,
        {"Below By": Difference("Reorder Point", "On Hand")},
        note="Quantity styles marked Active with a Reorder Point; On Hand counts "
        "the shop only (not stock out on memo).",
    )
    return Report("Reorder", "Reorder list", (section,))
