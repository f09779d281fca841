"""Render each report sheet of a refreshed book to PNG (LibreOffice -> PDF -> pdftoppm).

    python docs/reports/make_pictures.py BOOK.xlsm [OUT_DIR]

Each report sheet is printed on its own: a copy of the book with every other sheet hidden
goes through LibreOffice Calc headless (a fresh profile that recalculates every formula on
load), then the first page of the PDF becomes `<sheet>.png`. Needs `soffice` and
`pdftoppm` (Debian: libreoffice-calc, poppler-utils).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from addin.core.reports import REPORT_SHEETS  # noqa: E402
from tests.workbook.libreoffice import convert  # noqa: E402


def only_sheet(book: Path, sheet: str, out: Path) -> None:
    """A copy of `book` where every sheet but `sheet` is hidden and `sheet` is active."""
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = _hide_others(data.decode("utf-8"), sheet).encode("utf-8")
            dst.writestr(info, data)


def _hide_others(xml: str, keep: str) -> str:
    names = re.findall(r'<sheet\b[^>]*\bname="([^"]*)"', xml)
    index = names.index(keep.replace("&", "&amp;"))

    def hide(m: re.Match) -> str:
        tag = re.sub(r'\sstate="[^"]*"', "", m.group(0))
        name = re.search(r'\bname="([^"]*)"', tag).group(1)
        if name == keep.replace("&", "&amp;"):
            return tag
        return tag.replace("<sheet ", '<sheet state="hidden" ', 1)

    xml = re.sub(r"<sheet\b[^>]*/>", hide, xml)
    xml = re.sub(r'\sactiveTab="\d+"', "", xml)
    xml = xml.replace("<workbookView ", f'<workbookView activeTab="{index}" ', 1)
    return re.sub(r'\sfirstSheet="\d+"', "", xml)


def picture(book: Path, sheet: str, out_dir: Path, work: Path) -> Path:
    slug = sheet.lower().replace(" & ", "-").replace(" ", "-")
    single = work / f"{slug}.xlsx"
    only_sheet(book, sheet, single)
    pdf = convert(single, "pdf", work)
    target = out_dir / f"{slug}.png"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "90",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(target.with_suffix("")),
        ],
        check=True,
        timeout=120,
    )
    return target


def main() -> None:
    book = Path(sys.argv[1])
    out_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).parent
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for sheet in REPORT_SHEETS:
            print(picture(book, sheet, out_dir, Path(tmp)))
    shutil.rmtree(Path(tmp), ignore_errors=True)


if __name__ == "__main__":
    main()
