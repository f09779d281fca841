"""Make the first-week shop and the pictures of docs/getting-started.md from it.

    python docs/getting-started/make_pictures.py [OUT_DIR]

The shop is made the way the guide tells an owner and a bookkeeper to make theirs: a new
book, the store's name in Settings, the stock it already has brought in from its old
list, then a first receiving day, a sale, a return, a transfer and a memo, each posted,
and a refresh. Each sheet the guide shows is then printed on its own through LibreOffice
Calc (PDF) and pdftoppm (PNG), as docs/reports/make_pictures.py does for the reports, so
the pictures always show what the current Loupe writes. Needs `soffice` and `pdftoppm`
(Debian: libreoffice-calc, poppler-utils).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from typer.testing import CliRunner  # noqa: E402

from addin.cli import app  # noqa: E402
from addin.sheets import schema  # noqa: E402
from tests.macros.shopbook import read_rows, set_cell, type_rows  # noqa: E402
from tests.workbook.libreoffice import convert  # noqa: E402

TODAY = "2026-03-09T18:00:00"  # the shop's first Monday with Loupe, a week in
SHEETS = ("Settings", "Styles", "Receiving", "Sales", "Movements", "Items", "Ledger")
DPI = 150
MARGIN = 12  # points of white around what the page shows
OLD_LIST = """Tag #,Style No,Item Description,Category,Metal,Kt,Wt (g),Stone,Size,Date Rec'd,Our Cost,Qty,Retail,Vendor,Case,Notes
A1041,SJR-100,Diamond solitaire,Rings,14K White Gold,14,3.1,Diamond,6.5,3/14/2019,"$1,250.00",,"$2,999.00",Aurum Casting Co,Main Case,
A1042,SJR-100,Diamond solitaire,Rings,14K White Gold,14,3.2,Diamond,7,2019-06-02,"$1,310.00",,"$2,999.00",Aurum Casting Co,Main Case,resized
B-2201,SJP-200,Sapphire pendant,Pendants,18K Yellow Gold,18,2.4,Sapphire,,04 Mar 2021,880.00,,"$1,950.00",Brilliant Stones Ltd,Vault,
B-2202,SJP-200,Sapphire pendant,Pendants,18K Yellow Gold,18,2.5,Sapphire,,"March 9, 2022",915.00,,"$1,950.00",Brilliant Stones Ltd,Window,
,SJC-500,Rope chain 18in,Chains,Sterling Silver,,,,,2023-01-10,18.50,12,59.00,Northstar Chains,Main Case,
,SJC-500,Rope chain 18in,Chains,Sterling Silver,,,,,2024-08-01,21.00,20,59.00,Northstar Chains,Main Case,
,SJS-600,Silver studs,Earrings,Sterling Silver,,,,,2025-11-20,6.25,30,24.00,Silverline Findings,Main Case,
"""


def loupe(*args) -> None:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    if result.exit_code not in (0,):
        raise SystemExit(f"loupe {' '.join(map(str, args))} exited {result.exit_code}:\n"
                         f"{result.output}")


def day(text: str) -> dt.date:
    """A date as a person types it into Excel: a date, shown as one."""
    return dt.date.fromisoformat(text)


def first_week(book: Path, work: Path) -> Path:
    """The shop of the guide, a week in; returns the book."""
    os.environ["LOUPE_NOW"] = TODAY
    loupe("new", book, "--force")
    settings = {r["Setting"]: r["_row"] for r in read_rows(book, schema.SETTINGS)}
    set_cell(book, "Settings", f"B{settings['Store Name']}", "Sparkle Jewelers")
    set_cell(book, "Settings", f"B{settings['Report As Of']}", day(TODAY[:10]))  # fixed ages
    old = work / "old_inventory.csv"
    old.write_text(OLD_LIST, encoding="utf-8")
    loupe("import", book, old)
    type_rows(book, schema.RECEIVING, [
        [day("2026-03-02"), "INV-5531", "Aurum Casting Co", "SJR-100", 1, 1275.0, None,
         "Main Case", "Owned", "new solitaire"],
        [day("2026-03-02"), "INV-5531", "Aurum Casting Co", "SJR-100", 1, 1275.0, None,
         "Main Case", "Owned", None],
        [day("2026-03-02"), "PS-118", "Northstar Chains", "SJC-500", 24, 22.0, None,
         "Main Case", "Owned", None],
        [day("2026-03-03"), "MEMO-77", "Estate Buyers Guild", "SJP-200", 1, 1400.0, None,
         "Vault", "Memo", "on consignment"],
    ])
    loupe("post", "receipts", book)
    type_rows(book, schema.SALES, [
        [day("2026-03-04"), "T-1001", "A1041", None, 1, 2899.0, "B. Chen", None, "Sale"],
        [day("2026-03-04"), "T-1001", None, "SJC-500", 2, 59.0, "B. Chen", "Main Case", "Sale"],
        [day("2026-03-05"), "T-1002", None, "SJS-600", 3, 24.0, "C. Okafor", "Main Case",
         "Sale"],
    ])
    loupe("post", "sales", book)
    type_rows(book, schema.SALES, [  # a day later: one pair of studs comes back
        [day("2026-03-06"), "R-1002", None, "SJS-600", 1, 24.0, "C. Okafor", "Main Case",
         "Return"],
    ])
    loupe("post", "sales", book)
    type_rows(book, schema.MOVEMENTS, [
        [day("2026-03-06"), "TR-1", "Transfer", "B-2202", None, 1, "Window", "Vault", None,
         None],
        [day("2026-03-07"), "MO-1", "Memo Out", "A1042", None, 1, "Main Case", None,
         "D. Lindqvist", day("2026-03-21")],
    ])
    loupe("post", "movements", book)
    loupe("refresh", book, "--as-of", TODAY[:10])
    return book


def picture(book: Path, sheet: str, out_dir: Path, work: Path) -> Path:
    """`sheet` alone, landscape and one page wide, printed to PDF and cut to what it shows."""
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        ws.sheet_state = "visible" if ws.title == sheet else "hidden"
    ws = wb[sheet]
    wb.active = wb.worksheets.index(ws)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
    ws.oddFooter.left.text = ws.oddFooter.right.text = None  # the sheet, not a printed page
    slug = sheet.lower().replace(" ", "-")
    single = work / f"{slug}.xlsx"
    wb.save(single)
    pdf = convert(single, "pdf", work)
    left, top, right, bottom = _drawn_area(pdf)
    target = out_dir / f"{slug}.png"
    box = [int(v * DPI / 72) for v in (left, top, right - left, bottom - top)]
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1",
                    "-x", str(box[0]), "-y", str(box[1]), "-W", str(box[2]), "-H", str(box[3]),
                    "-singlefile", str(pdf), str(target.with_suffix(""))], check=True, timeout=120)
    return target


def _drawn_area(pdf: Path) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) in points around the text of page 1, from pdftotext's
    word boxes, with a margin."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
                          capture_output=True, text=True, check=True, timeout=120).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    edges = {k: [float(v) for v in re.findall(rf'{k}="([\d.]+)"', html)]
             for k in ("xMin", "yMin", "xMax", "yMax")}
    if page is None or not edges["xMax"]:
        return 0.0, 0.0, 842.0, 595.0
    width, height = float(page.group(1)), float(page.group(2))
    return (max(min(edges["xMin"]) - MARGIN, 0), max(min(edges["yMin"]) - MARGIN, 0),
            min(max(edges["xMax"]) + MARGIN, width), min(max(edges["yMax"]) + MARGIN, height))


def main() -> None:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        book = first_week(work / "sparkle.xlsm", work)
        for sheet in SHEETS:
            print(picture(book, sheet, out_dir, work))


if __name__ == "__main__":
    main()
