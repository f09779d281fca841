"""Write old_inventory.xlsx / .csv: a real shop's stock list, as shops really keep one.

Sparkle Jewelers' export: 300 tagged pieces of 30 serialized styles (their own tag
numbers: A1234, b-2201, SJ 10442 ...) and 40 quantity styles in 2 to 4 layers each, with
title rows above the header, header spellings of its own, dates typed four ways or stored
as dates, costs with dollar signs and commas, stray spaces, and columns Loupe has no use
for. A style list sits on a second sheet. answers.json holds what the list means, worked
out here from the generator's own numbers (not by Loupe): pieces, layers, units, total
cost in cents, and a few pieces to look at.

Run `python tests/data/opening/make_old_inventory.py` to write the files again (seeded:
the same files every time).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
HEADER = ["Tag #", " Style No ", "Item Description", "Metal", "Kt", "Wt (g)", "Stone", "Ct",
          "Size", "Date Rec'd", "Our Cost", "Qty", "Retail", "Vendor", "Case", "Notes",
          "Photo", "Last Counted"]
VENDORS = ["Aurum Casting Co", "Brilliant Stones Ltd", "Northstar Chains", "Silverline Findings"]
CASES = ["Main Case", "main case", "VAULT ", "Window", " Vault"]
METALS = [("14K Yellow Gold", "14"), ("14K White Gold", "14"), ("18K Yellow Gold", "18"),
          ("Platinum", ""), ("Sterling Silver", "")]


def date_text(day: dt.date, i: int):
    """Four ways of writing a date, and real date cells."""
    return [day, f"{day.month}/{day.day}/{day.year}", day.isoformat(),
            f"{day.day:02d} {day:%b} {day.year}", f"{day:%B} {day.day}, {day.year}"][i % 5]


def money_text(cents: int, i: int):
    dollars = cents / 100
    return [dollars, f"${dollars:,.2f}", f" {dollars:.2f} ", f"{dollars:,.2f}"][i % 4]


def main() -> None:
    rng = random.Random(1123)
    styles, rows, answers_pieces = [], [], []
    total, units, layers = 0, 0, 0
    for s in range(30):
        code = f"SJR-{100 + s}"
        metal, kt = METALS[s % len(METALS)]
        styles.append([code, f"Ring design {s}", "Rings", metal, VENDORS[s % 4], "Serialized"])
    for s in range(40):
        code = f"SJC-{500 + s}"
        styles.append([code, f"Chain {s}", "Chains", "Sterling Silver", VENDORS[2], "Quantity"])
    for n in range(300):
        style = styles[n % 30]
        metal, kt = METALS[(n % 30) % len(METALS)]
        day = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(0, 3500))
        cost = rng.randrange(9000, 480000)
        tag = [f"A{1000 + n}", f" b-{2200 + n} ", f"SJ {10000 + n}"][n % 3]
        size = str(rng.choice([5, 6, 6.5, 7, 8])) if n % 2 else ""
        rows.append([tag, f" {style[0]}", f"  {style[1]}  ", metal, kt,
                     round(rng.uniform(1.5, 9.5), 2), rng.choice(["Diamond", "Sapphire", ""]),
                     round(rng.uniform(0.1, 2.0), 2) if n % 4 == 0 else "", size,
                     date_text(day, n), money_text(cost, n), "" if n % 2 else 1,
                     money_text(cost * 2 + 99, n + 1), style[4], CASES[n % 5],
                     "repaired clasp" if n % 17 == 0 else "", f"IMG_{n:04d}.jpg",
                     "2025-12-30"])
        total += cost
        units += 1
        if n in (0, 1, 2, 150, 299):
            answers_pieces.append({"tag": " ".join(tag.split()).upper().replace(" ", ""),
                                   "style": style[0], "received": day.isoformat(),
                                   "cost_cents": cost, "size": size})
    for s in range(40):
        style = styles[30 + s]
        for k in range(2 + s % 3):
            day = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(0, 3000))
            cost = rng.randrange(800, 9000)
            qty = rng.randrange(2, 40)
            rows.append(["", style[0] + " ", style[1], style[3], "", "", "", "", "",
                         date_text(day, s + k), money_text(cost, k), qty,
                         money_text(cost * 3, k), style[4], CASES[(s + k) % 5], "", "", ""])
            total += cost * qty
            units += qty
            layers += 1
    wb = Workbook()
    ws = wb.active
    ws.title = "Inventory"
    ws.append(["Sparkle Jewelers - inventory export"])
    ws.append(["printed 2026-02-27 by the old point-of-sale"])
    ws.append([])
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    st = wb.create_sheet("Style List")
    st.append(["Style #", "Description", "Category", "Metal", "Supplier", "Tracking"])
    for s in styles:
        st.append(s)
    wb.save(HERE / "old_inventory.xlsx")
    with open(HERE / "old_inventory.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for r in rows:
            out.writerow([c.isoformat() if isinstance(c, dt.date) else c for c in r])
    (HERE / "answers.json").write_text(json.dumps({
        "pieces": 300, "quantity_styles": 40, "serialized_styles": 30, "layers": layers,
        "units": units, "total_cost_cents": total, "file_rows": len(rows),
        "header_row": 4, "unmapped": ["Notes", "Photo", "Last Counted"],
        "sample_pieces": answers_pieces}, indent=1) + "\n")


if __name__ == "__main__":
    main()
