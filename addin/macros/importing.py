"""Import Stock: a shop's own stock list (CSV or spreadsheet) in as opening stock.

`import_stock(book, source)` reads the file, plans the OPENING entries
(`addin.core.posting.opening`) and, when nothing is wrong and it is not a dry run, adds
the new styles to Styles, posts the entries to the Ledger and writes what the owner knows
about each piece (description, metal weight, karat, stone, carat, size, retail) to Items.
A dry run (and any run that finds a problem) writes nothing and says what would be posted
and every problem by file row.

Files: ``.csv`` / ``.txt`` (comma, semicolon or tab separated; UTF-8 or Windows-1252) and
``.xlsx`` / ``.xlsm`` / ``.xls`` / ``.ods`` (read with calamine). In a spreadsheet, a sheet
whose name has "style" in it is the style list; the first other sheet with a recognisable
header row is the stock. The header row may sit below a few title rows.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from addin import session
from addin.core.errors import BookError
from addin.core.money import fmt, fmt_unit_cost, value_cents
from addin.core.posting.opening import Opening, opening_doc, plan_opening
from addin.core.rows.stock_file import (
    StockList,
    map_columns,
    read_stock_list,
    read_style_list,
)
from addin.session import Outcome
from addin.sheets import schema
from addin.workbook.port import Workbook

TEXT_FILES = (".csv", ".txt", ".tsv")
SHEET_FILES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
HEADER_SEARCH = 10  # rows at the top of a sheet where the header row may be
SHOWN_LINES = 12


def import_stock(book: Workbook, source: Path, now: dt.datetime, *, styles: Path | None = None,
                 dry_run: bool = False, day_first: bool = False) -> Outcome:
    """Read `source` (and the style list `styles`), plan, and post unless dry or faulty."""
    stock, style_list = read_source(Path(source), styles and Path(styles), day_first)
    shop, problems = session.load_shop(book, now)
    name = Path(source).name
    plan = plan_opening(stock, style_list, shop, name, opening_doc(name))
    report = describe(plan, stock, style_list)
    problems = problems + plan.problems
    refused = len({p.row for p in plan.problems})
    if plan.problems or dry_run:
        head = "Dry run: nothing written." if dry_run else "Nothing written:"
        if plan.problems:
            head += f" {len(plan.problems)} problem(s) to fix in {name} first."
        return Outcome("Import Stock", f"{head}\n{report}", problems, 0, refused)
    merged = dataclasses.replace(shop, styles={**shop.styles,
                                               **{s.key: s for s in plan.new_styles}})
    book.append_rows(schema.STYLES, [style_row(s) for s in plan.new_styles])
    session.append_entries(book, merged, plan.posting.entries, items_frame(plan))
    book.save()
    return Outcome("Import Stock", f"Imported {name}.\n{report}", problems,
                   len(plan.posting.entries), 0)


def describe(plan: Opening, stock: StockList, style_list: StockList | None) -> str:
    """What the import posts (or would), in lines a person reads before saying yes."""
    entries = plan.posting.entries
    legacy = sum(p.legacy for p in plan.pieces)
    fresh = len(plan.pieces) - legacy
    layers = entries[entries["serial"] == ""] if len(entries) else entries
    cost = int(value_cents(entries["qty"].to_numpy(np.int64),
                           entries["unit_cost"].to_numpy(np.int64)).sum()) if len(entries) else 0
    lines = [
        f"{len(plan.pieces)} serialized piece(s): {legacy} keep their own tag, {fresh} get "
        f"a new serial; {len(layers)} quantity layer(s) of "
        f"{int(layers['qty'].sum()) if len(layers) else 0} unit(s); "
        f"{len(entries)} OPENING entries at a cost of {fmt(cost)}, Doc {plan.doc!r}.",
    ]
    if plan.new_styles:
        kinds = Counter(s.tracking for s in plan.new_styles)
        lines.append(f"New styles for the Styles sheet: {len(plan.new_styles)} "
                     f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}): "
                     + ", ".join(s.style for s in plan.new_styles[:SHOWN_LINES])
                     + (" ..." if len(plan.new_styles) > SHOWN_LINES else ""))
    lines.append("Columns read: " + ", ".join(f"{h} -> {f}" for h, f in stock.columns.items()))
    unread = stock.unmapped + (style_list.unmapped if style_list else [])
    if unread:
        lines.append("Columns not imported (no Loupe field matches their header): "
                     + ", ".join(repr(h) for h in unread))
    changed = [p for p in plan.pieces if p.legacy and p.line.typed_tag != p.serial]
    if changed:
        lines.append("Tags written the way Loupe compares them (upper case, no spaces): "
                     + ", ".join(f"{p.line.typed_tag!r} -> {p.serial}"
                                 for p in changed[:SHOWN_LINES]))
    if len(entries):
        lines.append("First entries: " + "; ".join(
            f"{r.style} {r.serial or f'x{r.qty}'} received {r.date:%Y-%m-%d} at "
            f"{fmt_unit_cost(r.unit_cost)}" for r in entries.head(5).itertuples()))
    return "\n".join(lines)


def style_row(style) -> list:
    """A Styles row (schema order) for a style the import adds."""
    values = {
        "Style": style.style, "Description": style.description or None,
        "Category": style.category, "Metal": style.metal or None,
        "Vendor": style.vendor or None, "Vendor Style": style.vendor_style or None,
        "Tracking": style.tracking, "Cost Method": style.cost_method,
        "Retail Price": None if style.retail_price is None else style.retail_price / 100,
        "Reorder Point": style.reorder_point, "Active": "Yes",
    }
    return [values.get(h) for h in schema.STYLES.headers]


def items_frame(plan: Opening) -> pd.DataFrame:
    """Items rows (header -> value) for the imported pieces: what only the owner knows."""
    rows = []
    for p in plan.pieces:
        ln = p.line
        rows.append({
            "Serial": p.serial, "Style": ln.style, "Description": ln.description or None,
            "Metal Weight (g)": ln.weight, "Karat": ln.karat or None, "Stone": ln.stone or None,
            "Carat": ln.carat, "Size": ln.size or None,
            "Retail Price": None if ln.retail is None else ln.retail / 100,
        })
    return pd.DataFrame(rows, columns=list(schema.ITEMS.headers))


# --- reading the shop's file ---------------------------------------------------------------


def read_source(path: Path, styles: Path | None = None, day_first: bool = False
                ) -> tuple[StockList, StockList | None]:
    """(the stock list, the style list or None) from the shop's file(s)."""
    tables = read_tables(path)
    stock_at = [n for n in tables if "style" not in n.lower()] or list(tables)
    stock_name = next((n for n in stock_at if _header_at(tables[n]) is not None), None)
    if stock_name is None:
        raise BookError(f"{path.name} has no row of headers Loupe recognises (like Tag, "
                        "Style, Cost, Received, Qty); add one above the stock")
    style_names = [n for n in tables if "style" in n.lower() and n != stock_name]
    stock = _read(tables[stock_name], path.name, read_stock_list, day_first)
    style_list = None
    if styles is not None:
        found = read_tables(styles)
        style_list = _read(next(iter(found.values())), styles.name, read_style_list)
    elif style_names:
        style_list = _read(tables[style_names[0]], f"{path.name} [{style_names[0]}]",
                           read_style_list)
    return stock, style_list


def _read(grid: list[list], label: str, reader, day_first: bool | None = None) -> StockList:
    at = _header_at(grid) or 0
    args = (label, grid[at], grid[at + 1:])
    out = reader(*args, day_first=day_first) if day_first is not None else reader(*args)
    if at:  # rows numbered as the file numbers them
        out.problems = [dataclasses.replace(p, row=p.row + at) if p.row else p
                        for p in out.problems]
        out.lines = [dataclasses.replace(ln, row=ln.row + at) for ln in out.lines]
    return out


def _header_at(grid: list[list]) -> int | None:
    """The index of the header row: the first of the top rows naming a style column."""
    for i, row in enumerate(grid[:HEADER_SEARCH]):
        fields = set(map_columns(row)[0].values())
        if "style" in fields and len(fields) >= 2:
            return i
    return None


def read_tables(path: Path) -> dict[str, list[list]]:
    """Sheet name -> rows of cells (a CSV is one sheet named after the file)."""
    if not path.exists():
        raise BookError(f"{path} does not exist; give the path of the shop's stock file")
    suffix = path.suffix.lower()
    if suffix in TEXT_FILES:
        return {path.stem: _csv_rows(path)}
    if suffix in SHEET_FILES:
        return _sheet_rows(path)
    raise BookError(f"{path.name}: Loupe reads stock lists saved as CSV ({', '.join(TEXT_FILES)})"
                    f" or spreadsheets ({', '.join(SHEET_FILES)}); save it as one of those")


def _csv_rows(path: Path) -> list[list]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _sheet_rows(path: Path) -> dict[str, list[list]]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in wb.sheet_names}
    except Exception as e:  # calamine's errors are not one type
        raise BookError(f"cannot read {path.name} as a spreadsheet ({e}); open it and save it "
                        "as .xlsx or .csv") from None
