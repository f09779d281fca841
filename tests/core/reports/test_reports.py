"""The owner's reports, on a small shop whose every figure is worked out by hand below.

THE SHOP (as of 2026-03-01)
- CH-1 chains (quantity, FIFO, retail 25.00, reorder point 6): 10 received 2025-01-10 at
  10.00, 5 received 2025-06-10 at 12.00; 12 sold 2026-02-01 at 25.00 (FIFO: 10 x 10.00 +
  2 x 12.00 = 124.00); 2 returned 2026-02-05 at the cost their sale took (2 x 10.00).
  Left: 3 x 12.00 (received 2025-06-10, 264 days) and 2 x 10.00 (2025-01-10, 415 days):
  56.00 owned.
- RG-1 rings (serialized, retail 999.00): LP-1 received 2025-03-01 at 500.00 (365 days), sent
  out on memo to Harbor 2026-02-10 (due 2026-02-20: 9 days overdue); LP-2 consigned in by
  Estate 2025-04-01 at 400.00 (on hand, not owned).
- PD-1 pendants (serialized): LP-3 received 2026-01-05 at 200.00, sold 2026-01-20 at 450.00,
  and that sale reversed 2026-01-21 (so it is back, and no sale counts).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.core import costing
from addin.core.reports import ColumnSum, Difference, Ratio, build_reports
from addin.core.reports.report_facts import facts_for, memo_due_dates, style_frame
from addin.core.rows.settings import Settings
from tests.core.costing import costing_ledgers
from tests.core.costing.fifo_tables import ledger_table

AS_OF = dt.date(2026, 3, 1)
SHOP = """
#   date        kind       style  serial  qty  cost    price   location      party      rev
1   2025-01-10  RECEIPT    CH-1   .       10   10.00   .       Main          Northstar  .
2   2025-06-10  RECEIPT    CH-1   .       5    12.00   .       Main          Northstar  .
3   2026-02-01  SALE       CH-1   .       -12  .       25.00   Main          Ann        .
4   2026-02-05  RETURN     CH-1   .       2    .       25.00   Main          Ann        3
5   2025-03-01  RECEIPT    RG-1   LP-1    1    500.00  .       Main          Aurum      .
6   2025-04-01  MEMO_IN    RG-1   LP-2    1    400.00  .       Main          Estate     .
7   2026-02-10  MEMO_OUT   RG-1   LP-1    -1   .       .       Main          Harbor     .
8   2026-02-10  MEMO_OUT   RG-1   LP-1    1    .       .       Memo: Harbor  Harbor     7
9   2026-01-05  RECEIPT    PD-1   LP-3    1    200.00  .       Vault         Aurum      .
10  2026-01-20  SALE       PD-1   LP-3    -1   .       450.00  Vault         Bea        .
11  2026-01-21  REVERSAL   PD-1   LP-3    1    .       .       Vault         .          10
"""


def style(code, category, tracking, retail=None, reorder=None, vendor="", active=True):
    return SimpleNamespace(
        style=code,
        description=f"{category[:-1]} {code}",
        category=category,
        vendor=vendor,
        vendor_style="V" + code,
        tracking=tracking,
        retail_price=retail,
        reorder_point=reorder,
        active=active,
    )


STYLES = [
    style("CH-1", "Chains", "Quantity", 2500, 6, "Northstar"),
    style("RG-1", "Rings", "Serialized", 99900, None, "Aurum"),
    style("PD-1", "Pendants", "Serialized", 45000, None, "Aurum"),
]
DUE = memo_due_dates(
    pd.DataFrame(
        {"Kind": ["Memo Out"], "Due Date": [pd.Timestamp("2026-02-20")], "Ledger Ref": ["E7-E8"]}
    )
)


def reports(text=SHOP, styles=STYLES, as_of=AS_OF, config=None, **kw):
    lf = ledger_table(text)
    facts = facts_for(lf, {"CH-1": "FIFO"}, styles, config or Settings(), as_of, memo_due=DUE, **kw)
    return {r.sheet: r for r in build_reports(facts)}, facts


def section(report, title):
    return next(s for s in report.sections if s.title.startswith(title))


def rows(frame: pd.DataFrame, key: str) -> dict:
    return frame.set_index(key).to_dict("index")


@pytest.fixture(scope="module")
def shop():
    return reports()


def test_valuation_keeps_owned_consigned_and_memo_apart(shop):
    by_cat = rows(section(shop[0]["Valuation"], "By category").frame, "Category")
    assert by_cat["Chains"] | {} == {
        "On Hand": 5,
        "Consigned In": 0,
        "Consigned Cost": 0,
        "Out on Memo": 0,
        "Owned Qty": 5,
        "Owned Value": 5600,
        "Avg Age (days)": round((3 * 264 + 2 * 415) / 5),
    }
    rings = by_cat["Rings"]
    assert (rings["On Hand"], rings["Consigned In"], rings["Consigned Cost"]) == (1, 1, 40000)
    assert (rings["Out on Memo"], rings["Owned Qty"], rings["Owned Value"]) == (1, 1, 50000)
    assert by_cat["Pendants"]["Owned Value"] == 20000  # the reversed sale put it back


def test_valuation_total_is_the_books_owned_value(shop):
    report, facts = shop
    for s in report["Valuation"].sections:
        total = s.totals[0].cells["Owned Value"]
        assert total == (ColumnSum("Owned Value"), 5600 + 50000 + 20000)
    assert costing.owned_value(facts.books) == 75600


def test_valuation_by_location_shows_memo_out_as_its_own_place(shop):
    by_loc = rows(section(shop[0]["Valuation"], "By location").frame, "Location")
    assert by_loc["Memo: Harbor"]["On Hand"] == 0
    assert by_loc["Memo: Harbor"]["Owned Value"] == 50000
    assert by_loc["Main"]["On Hand"] == 5 + 1


def test_cost_layers_list_every_open_layer_oldest_first(shop):
    frame = shop[0]["Cost Layers"].sections[0].frame
    chains = frame[frame["Style"] == "CH-1"]
    assert chains[["Qty", "Unit Cost", "Value", "Age (days)"]].values.tolist() == [
        [3, 12_0000, 3600, 264],  # Unit Cost in ten-thousandths, Value in cents
        [2, 10_0000, 2000, 415],
    ]  # the return queues behind (FIFO)
    owned = shop[0]["Cost Layers"].sections[0].totals[1].cells
    assert owned["Value"][1] == 75600
    assert frame.loc[frame["Serial"] == "LP-2", "Terms"].item() == "Consigned"


def test_ageing_buckets_put_exactly_365_days_in_the_365_bucket(shop):
    frame = section(shop[0]["Ageing"], "Owned value at cost by age: by category").frame
    by_cat = rows(frame, "Category")
    assert by_cat["Rings"]["181-365"] == 50000  # LP-1: 2025-03-01 to 2026-03-01 = 365 days
    assert by_cat["Chains"]["181-365"] == 3600 and by_cat["Chains"]["366-730"] == 2000
    assert by_cat["Pendants"]["0-90"] == 20000
    assert "Rings" in by_cat and by_cat["Rings"]["Total"] == 50000  # consigned LP-2 left out


def test_ageing_follows_the_settings_buckets():
    config, _ = Settings.parse([(2, "Ageing Buckets", "300,400")])
    report, _ = reports(config=config)
    frame = section(report["Ageing"], "Owned value at cost by age: by category").frame
    assert list(frame.columns) == ["Category", "0-300", "301-400", "over 400", "Total"]
    assert rows(frame, "Category")["Chains"]["over 400"] == 2000


def test_markdown_suggestions_take_the_tier_for_the_age_and_round_half_up():
    odd = [style("CH-1", "Chains", "Quantity", 1235, 6), *STYLES[1:]]
    report, _ = reports(styles=odd)
    frame = section(report["Ageing"], "Markdown suggestions").frame
    # only the 2 chains from 2025-01-10 (415 days) are past 365 days in the shop and owned;
    # LP-1 (365 days) is out on memo, LP-2 is consigned
    assert frame[
        ["Style", "Qty", "Markdown", "Retail Price", "Suggested Price"]
    ].values.tolist() == [["CH-1", 2, 0.1, 1235, 1112]]  # 12.35 less 10% = 11.115 -> 11.12


def test_markdown_uses_a_pieces_own_retail_price_from_items():
    text = SHOP + "12  2024-01-02  RECEIPT  RG-1  LP-9  1  300.00  .  Main  Aurum  .\n"
    report, _ = reports(text, retail_by_serial=pd.Series({"LP-9": 80000}, dtype="Int64"))
    frame = section(report["Ageing"], "Markdown suggestions").frame
    nine = frame[frame["Serial"] == "LP-9"].iloc[0]
    assert nine["Age (days)"] == 789 and nine["Markdown"] == 0.3  # over 730 days: 30%
    assert nine["Suggested Price"] == 56000


def test_memos_show_consignor_and_days_overdue(shop):
    memo_in = shop[0]["Memos"].sections[0].frame
    assert memo_in[["Consignor", "Serial", "Cost", "Days Held"]].values.tolist() == [
        ["Estate", "LP-2", 40000, 334]
    ]
    memo_out = shop[0]["Memos"].sections[1].frame.iloc[0]
    assert (memo_out["Party"], memo_out["Serial"], memo_out["Cost"]) == ("Harbor", "LP-1", 50000)
    assert memo_out["Due Date"] == pd.Timestamp("2026-02-20")
    assert (memo_out["Days Out"], memo_out["Days Overdue"]) == (19, 9)


def test_margin_nets_returns_and_leaves_out_reversed_sales(shop):
    month = section(shop[0]["Margin"], "By month").frame
    assert month.to_dict("records") == [
        {
            "Month": "2026-02",
            "Qty": 10,
            "Sales": 25000,
            "Cost of Goods": 10400,
            "Margin": 14600,
            "Margin %": pytest.approx(146 / 250),
        }
    ]
    assert "Pendants" not in set(section(shop[0]["Margin"], "By category").frame["Category"])


def test_margin_figures_are_live_rules_with_python_totals(shop):
    s = section(shop[0]["Margin"], "By category")
    assert s.formulas == {"Margin": Difference("Sales", "Cost of Goods"),
                          "Margin %": Ratio("Margin", "Sales")}
    assert s.totals[0].cells["Sales"] == (ColumnSum("Sales"), 25000)
    assert s.totals[0].cells["Margin %"][1] == pytest.approx(0.584)


def test_sale_lines_explain_which_layers_each_sale_took(shop):
    frame = shop[0]["Sale Lines"].sections[0].frame
    sale, back = frame.iloc[0], frame.iloc[1]
    assert sale["Cost Explained"] == "10 @ 10.00 from 2025-01-10; 2 @ 12.00 from 2025-06-10"
    assert (sale["Sales"], sale["Cost of Goods"], sale["Margin"]) == (30000, 12400, 17600)
    assert (back["Qty"], back["Sales"], back["Cost of Goods"]) == (-2, -5000, -2000)
    assert back["Cost Explained"] == "back at the cost sale E3 took"


def test_cogs_explain_lists_the_pieces_with_their_receipts(shop):
    frame = shop[0]["COGS Explain"].sections[0].frame
    assert frame[["Sale Entry", "Qty", "Unit Cost", "Cost", "Receipt Entry"]].values.tolist() == [
        [3, 10, 10_0000, 10000, 1],  # Unit Cost in ten-thousandths, Cost in cents
        [3, 2, 12_0000, 2400, 2],
    ]


def test_turn_and_gmroi_use_the_day_by_day_average_owned_stock(shop):
    frame = rows(shop[0]["Turn & GMROI"].sections[0].frame, "Category")
    # Chains, 2025-03-02 .. 2026-03-01 (365 days): 100 days at 100.00, 236 at 160.00,
    # 4 at 36.00, 25 at 56.00 -> 4,930,400 cent-days / 365 = 13,508 cents
    chains = frame["Chains"]
    assert chains["Avg Owned Stock"] == 13508 and chains["Days"] == 365
    assert chains["Turn"] == pytest.approx(10400 / 13508)
    assert chains["GMROI"] == pytest.approx(14600 / 13508)
    assert frame["Rings"]["Avg Owned Stock"] == 50000  # LP-1 all year; memo moves net out
    # Pendants: 200.00 owned from 2026-01-05 to 2026-03-01 (56 days) but for 2026-01-20,
    # the day of the sale reversed the next morning: 55 days of 365
    assert frame["Pendants"]["Avg Owned Stock"] == round(20000 * 55 / 365)


def test_owned_changes_add_up_to_owned_value_per_category(shop):
    from addin.core.reports.report_sales import owned_changes

    _, facts = shop
    changes = owned_changes(facts)
    assert int(changes["change"].sum()) == costing.owned_value(facts.books)
    assert changes.groupby("style")["change"].sum().to_dict() == {
        "CH-1": 5600,
        "PD-1": 20000,
        "RG-1": 50000,
    }


def test_turn_is_annualised_over_a_younger_ledger():
    report, _ = reports(as_of=dt.date(2025, 3, 10))
    chains = rows(report["Turn & GMROI"].sections[0].frame, "Category")["Chains"]
    assert chains["Days"] == (dt.date(2025, 3, 10) - dt.date(2025, 1, 10)).days + 1


def test_slow_movers_are_stocked_styles_without_a_recent_sale(shop):
    frame = shop[0]["Slow Movers"].sections[0].frame
    # RG-1: LP-2 in the shop since 2025-04-01 (334 days), never sold: slow. CH-1 sold 28 days
    # ago: not slow. PD-1: its one sale was reversed, but it came in only 55 days ago.
    assert frame[["Style", "On Hand", "Days Since Receipt"]].values.tolist() == [["RG-1", 1, 334]]
    assert frame["Last Sale"].isna().all()


def test_slow_movers_wait_the_full_period_after_a_receipt():
    fresh = reports(as_of=dt.date(2026, 7, 4))[0]["Slow Movers"].sections[0].frame
    assert "PD-1" in set(fresh["Style"])  # 180 days after 2026-01-05, still unsold


def test_reorder_lists_quantity_styles_at_or_below_their_point():
    def listed(point):
        styles = [style("CH-1", "Chains", "Quantity", 2500, point, "Northstar"), *STYLES[1:]]
        frame = reports(styles=styles)[0]["Reorder"].sections[0].frame
        return frame[
            ["Style", "On Hand", "Reorder Point", "Below By", "Sold Last 90 Days", "Last Unit Cost"]
        ].values.tolist()

    assert listed(6) == [["CH-1", 5, 6, 1, 12, 12_0000]]  # Last Unit Cost: ten-thousandths
    assert listed(5) == [["CH-1", 5, 5, 0, 12, 12_0000]]
    assert listed(4) == []


def test_reports_cut_the_ledger_at_the_as_of_date():
    report, facts = reports(as_of=dt.date(2026, 1, 31))
    assert facts.ledger["entry"].tolist() == [1, 2, 5, 6, 9, 10, 11]
    assert section(report["Margin"], "By month").frame.empty
    chains = rows(section(report["Valuation"], "By category").frame, "Category")["Chains"]
    assert chains["Owned Value"] == 16000  # nothing sold yet on the 31st


def test_styles_match_whatever_case_and_spacing_the_ledger_used():
    text = SHOP.replace("CH-1   .       10", "ch-1   .       10")
    by_cat = rows(section(reports(text)[0]["Valuation"], "By category").frame, "Category")
    assert by_cat["Chains"]["On Hand"] == 5


def test_memo_due_dates_read_single_and_range_ledger_refs():
    due = memo_due_dates(
        pd.DataFrame(
            {
                "Kind": ["Memo Out", "Memo Out", "Transfer", "Memo Out"],
                "Due Date": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01", None]),
                "Ledger Ref": ["E12-E13", "E20", "E30-E31", "E40-E41"],
            }
        )
    )
    assert due.to_dict() == {
        12: pd.Timestamp("2026-01-01"),
        13: pd.Timestamp("2026-01-01"),
        20: pd.Timestamp("2026-02-01"),
    }


def test_style_frame_reads_the_style_models():
    frame = style_frame(STYLES)
    assert frame.loc[0, ["key", "category", "retail_price", "reorder_point"]].tolist() == [
        "CH-1",
        "Chains",
        2500,
        6,
    ]


def test_an_empty_ledger_gives_empty_reports_and_everything_to_reorder():
    report, _ = reports(SHOP.strip().splitlines()[0] + "\n")
    for r in report.values():
        for s in r.sections:
            if r.sheet != "Reorder":
                assert s.frame.empty, (r.sheet, s.title)
    reorder = report["Reorder"].sections[0].frame
    assert reorder[["Style", "On Hand", "Below By"]].values.tolist() == [["CH-1", 0, 6]]


# --- invariants over random shops (the costing tests' simulator) ----------------------------

operations = st.lists(
    st.tuples(
        st.integers(0, len(costing_ledgers.OPS) - 1),
        st.integers(0, 10_000),
        st.integers(1, 6),
        st.integers(1, 50_000),
    ),
    min_size=1,
    max_size=60,
)
RANDOM_STYLES = [
    style("RG-1", "Rings", "Quantity", 9900, 3),
    style("CH-2", "Chains", "Quantity"),
    style("PD-3", "Pendants", "Serialized"),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_every_report_ties_to_the_books_owned_value(ops):
    from addin.core.reports.report_sales import owned_changes

    lf = costing_ledgers.build(ops).frame()
    day = (lf["date"].max() if len(lf) else pd.Timestamp("2024-01-01")).date()
    facts = facts_for(lf, {"CH-2": "Average"}, RANDOM_STYLES, Settings(), day)
    owned = facts.books.layers
    per_style = owned["value"].where(owned["owned"], 0).groupby(owned["style"]).sum()
    got = {r.sheet: r for r in build_reports(facts)}
    for s in got["Valuation"].sections:
        assert s.totals[0].cells["Owned Value"][1] == costing.owned_value(facts.books)
    ageing = section(got["Ageing"], "Owned value at cost by age: by category")
    assert ageing.totals[0].cells["Total"][1] == costing.owned_value(facts.books)
    changes = owned_changes(facts).groupby("style")["change"].sum()
    assert changes[changes != 0].to_dict() == per_style[per_style != 0].to_dict()
    margin = section(got["Margin"], "By category").totals[0].cells
    assert margin["Margin"][1] == margin["Sales"][1] - margin["Cost of Goods"][1]


AVERAGE_SHOP = """
#   date        kind       style  serial  qty  cost    price   location  party      rev
1   2026-01-10  RECEIPT    AV-1   .       2    10.00   .       Main      Northstar  .
2   2026-01-12  RECEIPT    AV-1   .       1    10.01   .       Main      Northstar  .
3   2026-02-01  SALE       AV-1   .       -1   .       25.00   Main      Ann        .
"""


def test_every_cost_layer_line_multiplies_out_to_its_value():
    # 3 units worth 20.00 + 10.01 = 30.01; the sale takes round(30.01 / 3) = 10.00, leaving
    # 2 units worth 20.01: not 2 x 10.00. Shown as 1 x 10.01 + 1 x 10.00 = 20.01.
    lf = ledger_table(AVERAGE_SHOP)
    styles = [style("AV-1", "Chains", "Quantity", 2500, None, "Northstar")]
    facts = facts_for(lf, {"AV-1": "Average"}, styles, Settings(), AS_OF, memo_due=DUE)
    layers = {r.sheet: r for r in build_reports(facts)}["Cost Layers"].sections[0]
    lines = layers.frame[["Qty", "Unit Cost", "Value"]].values.tolist()
    assert lines == [[1, 10_0100, 1001], [1, 10_0000, 1000]]  # Unit Cost in ten-thousandths
    assert layers.totals[0].cells["Value"][1] == 2001
    assert "two lines" in layers.note
