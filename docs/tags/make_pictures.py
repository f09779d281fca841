"""Make the README's pictures of a tag sheet and of a count reconciliation.

    python docs/tags/make_pictures.py [OUT_DIR]

The shop is the guide's first week (docs/getting-started/make_pictures.py: Sparkle Jewelers,
its old stock brought in, a first delivery, a sale, a return, a transfer and a memo), with
BLACKHORSE as its cost code. Then, as the README tells an owner to:

- `loupe tags --received 2026-03-02` prints the tags of that day's deliveries (two
  solitaires and 24 chains) on Letter label sheets; page 1 becomes `tag-sheet.png`;
- the Main Case is counted with a handheld scanner (its CSV export: one solitaire not
  scanned, a Vault pendant left in the case, the piece sold on the first ticket still
  there, an unknown code, a misscan, a double scan, the chains one short) and `loupe count`
  reconciles it; the Count Reconciliation sheet, printed by LibreOffice Calc, becomes
  `count-reconciliation.png`.

Needs `soffice`, `pdftoppm` and `pdftotext` (Debian: libreoffice-calc, poppler-utils).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from addin.sheets import schema  # noqa: E402
from tests.macros.shopbook import read_rows, set_cell  # noqa: E402

COUNT_DAY = "2026-03-09"
DPI = 110


def guide():
    """docs/getting-started/make_pictures.py (its folder's dash keeps it from an import)."""
    path = ROOT / "docs" / "getting-started" / "make_pictures.py"
    spec = importlib.util.spec_from_file_location("guide_pictures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shop(work: Path):
    """The guide's first-week book, with a cost code for the tags; (book, guide module)."""
    made = guide()
    book = made.first_week(work / "sparkle.xlsm", work)
    settings = {r["Setting"]: r["_row"] for r in read_rows(book, schema.SETTINGS)}
    set_cell(book, "Settings", f"B{settings['Cost Code']}", "BLACKHORSE")
    return book, made


def scanner_export(book: Path) -> str:
    """What the handheld scanner exports after a sweep of the Main Case (see the docstring)."""
    items = read_rows(book, schema.ITEMS)
    solitaires = sorted(i["Serial"] for i in items
                        if i["Style"] == "SJR-100" and i["Status"] == "In Stock"
                        and i["Location"] == "Main Case")
    vault = next(i["Serial"] for i in items if i["Location"] == "Vault"
                 and i["Status"] == "In Stock")
    sold = next(i["Serial"] for i in items if i["Status"] == "Sold")
    kept = solitaires[1]
    misscan = kept[:-1] + ("A" if kept[-1] != "A" else "B")
    codes = [kept, vault, sold, "ZZ-4417", misscan, kept] + ["SJC-500"] * 53 + ["SJS-600"] * 28
    return "Time,Barcode\n" + "".join(
        f"{COUNT_DAY} 09:{30 + n // 60:02d}:{n % 60:02d},{code}\n" for n, code in enumerate(codes)
    )


def tag_sheet(book: Path, made, out_dir: Path, work: Path) -> Path:
    """Page 1 of the tags of 2026-03-02's deliveries, cut to the labels it shows."""
    pdf = work / "tags.pdf"
    made.loupe("tags", book, "--received", "2026-03-02", "-o", pdf)
    left, top, right, bottom = made._drawn_area(pdf)
    box = [int(v * DPI / 72) for v in (left, top, right - left, bottom - top)]
    target = out_dir / "tag-sheet.png"
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", "1", "-l", "1",
                    "-x", str(box[0]), "-y", str(box[1]), "-W", str(box[2]), "-H", str(box[3]),
                    "-singlefile", str(pdf), str(target.with_suffix(""))], check=True,
                   timeout=120)
    return target


def count_reconciliation(book: Path, made, out_dir: Path, work: Path) -> Path:
    """The Main Case counted by scan, its Count Reconciliation sheet printed."""
    scans = work / "main-case-scans.csv"
    scans.write_text(scanner_export(book), encoding="utf-8")
    made.loupe("count", book, "--location", "Main Case", "--scans", scans, "--date", COUNT_DAY)
    return made.picture(book, "Count Reconciliation", out_dir, work)


def main() -> None:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        book, made = shop(work)
        print(tag_sheet(book, made, out_dir, work))
        print(count_reconciliation(book, made, out_dir, work))


if __name__ == "__main__":
    main()
