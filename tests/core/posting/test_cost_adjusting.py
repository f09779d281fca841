"""Cost adjustments never land in closed books: `priced` dates them on the first open day.

Posting refuses rows dated in closed books, so through a press the cause of an adjustment is
always in the open period; `priced` still holds the rule itself, tested here directly.
"""

from __future__ import annotations

import datetime as dt

from addin.core import costing
from addin.core.posting.cost_adjusting import priced
from tests.core.costing.fifo_tables import ledger_table

PAST = """
#  date        kind     style  serial  qty  cost   price  location  rev
1  2026-01-02  RECEIPT  CH-1   .       1    10.00  .      Main      .
2  2026-01-20  SALE     CH-1   .       -2   .      30.00  Main      .
"""
# E2 sold 2 with 1 on hand: 10.00 + 1 unit beyond stock at the last cost 10.00 = 20.00.
NEW = """
#  date        kind     style  serial  qty  cost   price  location  rev
3  2026-01-10  RECEIPT  CH-1   .       5    30.00  .      Main      .
"""
# E3 (dated 01-10, before the sale) covers the missing unit at 30.00: E2 now costs 40.00.


def test_an_adjustment_for_an_entry_in_closed_books_is_dated_the_first_open_day():
    past = ledger_table(PAST).assign(cogs=[0, 2000])
    out, full, _ = priced(ledger_table(NEW), past, costing.book(past, {}), {},
                          first_open_day=dt.date(2026, 2, 1))
    adjust = out[out["kind"] == "COST_ADJUST"]
    assert list(adjust["reverses"]) == [2] and list(adjust["cogs"]) == [2000]  # 40 - 20
    assert [d.date() for d in adjust["date"]] == [dt.date(2026, 2, 1)]  # not 01-20
    assert int(full["cogs"].sum()) == 4000


def test_without_closed_books_it_is_dated_on_the_entry_it_re_costs():
    past = ledger_table(PAST).assign(cogs=[0, 2000])
    out, _, _ = priced(ledger_table(NEW), past, costing.book(past, {}), {})
    adjust = out[out["kind"] == "COST_ADJUST"]
    assert [d.date() for d in adjust["date"]] == [dt.date(2026, 1, 20)]
