"""The catalogue of bad presses: every command on bad books and with bad arguments.

Each case copies the stocked shop (conftest), may spoil it the way shops do, runs one
`loupe` command in-process, and checks what a user would see:
- the exit code the README documents (0 done, 1 rows refused, 2 book or command unusable);
- the exact words that explain it (spacing aside: the terminal wraps long lines);
- never a Python traceback;
- no typed cell changed (only Status and Ledger Ref are Loupe's to write), and a refused
  command (exit 2) leaves the file byte for byte as it was;
- the Ledger still verifies, and no lock or temporary file is left beside the book.
"""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest

from addin.sheets import schema
from tests.macros import shopbook
from tests.macros.conftest import LOST, loupe
from tests.macros.shopbook import day

INPUT = (
    schema.SETTINGS,
    schema.STYLES,
    schema.RECEIVING,
    schema.SALES,
    schema.MOVEMENTS,
    schema.COUNTS,
)
LOUPES = {"Status", "Ledger Ref", "Expected Qty", "Variance"}


@dataclass(frozen=True)
class Press:
    name: str
    args: Callable[[Path], list]  # the command line after `loupe`, given the book's path
    exit: int
    says: str  # words the output must hold (spacing aside); {book} is the book's path
    spoil: Callable[[Path], None] | None = None  # what the shop did to the book first
    env: dict = field(default_factory=dict)
    ledger_ok: bool = True  # the Ledger verifies afterwards
    writes: tuple = ()  # (sheet, header) the command itself writes, besides Status/Ledger Ref
    then: Callable[[Path], None] | None = None  # what the book must say afterwards


def cell(sheet: str, ref: str, value):
    return lambda p: shopbook.set_cell(p, sheet, ref, value)


def header(sheet: schema.Sheet, name: str, value):
    col = sheet.headers.index(name) + 1
    return cell(sheet.name, f"{openpyxl.utils.get_column_letter(col)}1", value)


def text_file(p: Path):
    p.write_text("these are my notes, not a workbook")


def zip_file(p: Path):
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "hi")


def read_only(p: Path):
    os.chmod(p, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def edit_ledger(p: Path):
    cell("Ledger", f"{openpyxl.utils.get_column_letter(9)}3", 1.0)(p)  # a cost "fixed"


def rename_sheet(old: str, new: str):
    def spoil(p: Path):
        wb = openpyxl.load_workbook(p, keep_vba=True)
        wb[old].title = new
        wb.save(p)

    return spoil


def typed(sheet: schema.Sheet, rows: list):
    return lambda p: shopbook.type_rows(p, sheet, rows)


def both(*spoils):
    def spoil(p: Path):
        for s in spoils:
            s(p)

    return spoil


def statuses(sheet: schema.Sheet, want: dict):
    """The Status and Ledger Ref of some rows afterwards: Excel row -> (Status, Ref)."""

    def then(p: Path):
        rows = {r["_row"]: r for r in shopbook.read_rows(p, sheet)}
        assert {n: (rows[n]["Status"], rows[n]["Ledger Ref"]) for n in want} == want

    return then


def under_table(sheet: schema.Sheet, rows: list, gap: int = 0):
    """Rows typed under the Table without growing it (LibreOffice, a paste, a script)."""

    def spoil(p: Path):
        wb = openpyxl.load_workbook(p, keep_vba=True)
        ws = wb[sheet.name]
        last = int(ws.tables[sheet.table].ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        for i, values in enumerate(rows):
            for c, v in enumerate(values, start=1):
                ws.cell(last + 1 + gap * i + i, c).value = v
        wb.save(p)

    return spoil


def merged_doc(rows: list, columns=("A", "B")):
    """An invoice typed with its Date and Doc once, merged down its lines."""

    def spoil(p: Path):
        shopbook.type_rows(p, schema.RECEIVING, rows)
        wb = openpyxl.load_workbook(p, keep_vba=True)
        ws = wb["Receiving"]
        last = int(ws.tables["tblReceiving"].ref.split(":")[1][1:])
        for col in columns:
            ws.merge_cells(f"{col}{last - len(rows) + 1}:{col}{last}")
        wb.save(p)

    return spoil


D = day("2026-02-20")
B = "{book}"

PRESSES = [
    Press(
        "validate a book that does not exist",
        lambda p: ["validate", p.with_name("nope.xlsm")],
        2,
        "loupe: {folder}/nope.xlsm does not exist; check the name and folder of the workbook",
    ),
    Press(
        "post into a folder",
        lambda p: ["post", "receipts", p.parent],
        2,
        "loupe: {folder} is a folder, not a workbook file",
    ),
    Press(
        "post a text file named .xlsm",
        lambda p: ["post", "receipts", p],
        2,
        "shop.xlsm",
        spoil=text_file,
        ledger_ok=False,
    ),
    Press(
        "verify a zip that is no workbook",
        lambda p: ["verify", p],
        2,
        "shop.xlsm",
        spoil=zip_file,
        ledger_ok=False,
    ),
    Press(
        "verify an empty file",
        lambda p: ["verify", p],
        2,
        "shop.xlsm",
        spoil=lambda p: p.write_bytes(b""),
        ledger_ok=False,
    ),
    Press(
        "post sales with a bad LOUPE_NOW",
        lambda p: ["post", "sales", p],
        2,
        "loupe: LOUPE_NOW='yesterday' is not a date and time; set it like 2026-10-31T18:00 "
        "(or 2026-10-31), or unset it",
        env={"LOUPE_NOW": "yesterday"},
    ),
    Press(
        "validate with a bad LOUPE_NOW",
        lambda p: ["validate", p],
        2,
        "LOUPE_NOW='31/10/2026' is not a date and time",
        env={"LOUPE_NOW": "31/10/2026"},
    ),
    Press(
        "refresh with a bad LOUPE_NOW",
        lambda p: ["refresh", p],
        2,
        "LOUPE_NOW='now' is not a date and time",
        env={"LOUPE_NOW": "now"},
    ),
    Press(
        "verify needs no LOUPE_NOW",
        lambda p: ["verify", p],
        0,
        "Ledger OK: 7 entries, chain intact",
        env={"LOUPE_NOW": "garbage"},
    ),
    Press(
        "an --as-of that is not a date",
        lambda p: ["refresh", p, "--as-of", "2026-13-01"],
        2,
        "--as-of '2026-13-01' is not a date; use YYYY-MM-DD",
    ),
    Press(
        "reverse E6, as Ledger Ref writes it",
        lambda p: ["reverse", p, "E6"],
        0,
        "entry 6 reversed: 1 ledger entry added",
    ),
    Press(
        "reverse e6 in lower case",
        lambda p: ["reverse", p, "e6"],
        0,
        "entry 6 reversed: 1 ledger entry added",
    ),
    Press("reverse 6", lambda p: ["reverse", p, "6"], 0, "entry 6 reversed: 1 ledger entry added"),
    Press(
        "reverse E alone",
        lambda p: ["reverse", p, "E"],
        2,
        "loupe: 'E' is not a Ledger entry; give it as E15 (or 15)",
    ),
    Press(
        "reverse a word",
        lambda p: ["reverse", p, "six"],
        2,
        "loupe: 'six' is not a Ledger entry; give it as E15 (or 15)",
    ),
    Press(
        "reverse entry 0",
        lambda p: ["reverse", p, "0"],
        2,
        "loupe: '0' is not a Ledger entry; give it as E15 (or 15)",
    ),
    Press(
        "reverse an entry past the end",
        lambda p: ["reverse", p, "E999"],
        2,
        "Nothing changed: Ledger, column Entry: there is no entry 999; give an Entry number "
        "from the Ledger sheet",
    ),
    Press(
        "change the method of a style that does not exist",
        lambda p: ["method", p, "ZZ-999", "--to", "Average", "--date", "2026-03-01"],
        2,
        "Nothing changed: Styles, column Style: unknown style 'ZZ-999'; type a style code "
        "from the Styles sheet",
    ),
    Press(
        "change to a method Loupe does not have",
        lambda p: ["method", p, "CH-301", "--to", "LIFO", "--date", "2026-03-01"],
        2,
        "cannot change the cost method to 'LIFO'; change it to FIFO or Average",
    ),
    Press(
        "reverse an entry twice",
        lambda p: ["reverse", p, "E6"],
        1,
        "entry 6 was already reversed by entry 8; nothing to do",
        spoil=lambda p: loupe("reverse", p, "E6"),
    ),
    Press(
        "reverse a reversal",
        lambda p: ["reverse", p, "E8"],
        1,
        "Nothing changed: Ledger, column Entry: entry 8 is itself a reversal; post the "
        "original again instead of reversing a reversal",
        spoil=lambda p: loupe("reverse", p, "E6"),
    ),
    Press(
        "convert --to serial",
        lambda p: ["convert", p, "CH-301", "--to", "serial"],
        0,
        "CH-301 is now Serialized",
        writes=(("Styles", "Tracking"),),
        then=lambda p: _converted_pieces_name_their_vendor(p, "CH-301", 8, "Northstar"),
    ),
    Press(
        "convert --to QUANTITY",
        lambda p: ["convert", p, "RG-101", "--to", "QUANTITY"],
        0,
        "RG-101 is now Quantity",
        writes=(("Styles", "Tracking"),),
    ),
    Press(
        "convert --to nonsense",
        lambda p: ["convert", p, "CH-301", "--to", "gold"],
        1,
        "Nothing changed: Styles row 4, column Tracking: cannot convert to 'gold'; convert to "
        "Serialized or Quantity",
    ),
    Press(
        "convert an unknown style",
        lambda p: ["convert", p, "ZZ-9", "--to", "quantity"],
        1,
        "Nothing changed: Styles, column Style: unknown style 'ZZ-9'; type a style code from "
        "the Styles sheet",
    ),
    Press(
        "convert to what it already is",
        lambda p: ["convert", p, "RG-101", "--to", "serialized"],
        1,
        "RG-101 is already Serialized; nothing to convert",
    ),
    Press(
        "clone on Sales",
        lambda p: ["clone", p, "--sheet", "Sales", "--row", "2", "--count", "1"],
        2,
        "loupe: Clone Rows works on Items or Receiving, not 'Sales': on Receiving it makes one "
        "line per piece of a delivery; on Items, tags for pieces not yet received",
    ),
    Press(
        "clone a row past the table",
        lambda p: ["clone", p, "--sheet", "Items", "--row", "99", "--count", "1"],
        2,
        "loupe: Items row 99 is not a row of the table (rows 2-4); pick a data row",
    ),
    Press(
        "clone zero copies",
        lambda p: ["clone", p, "--sheet", "Items", "--row", "3", "--count", "0"],
        2,
        "loupe: clone count 0 is out of range; ask for 1 to 10,000 copies",
    ),
    Press(
        "clone too many copies",
        lambda p: ["clone", p, "--sheet", "Items", "--row", "3", "--count", "10001"],
        2,
        "loupe: clone count 10001 is out of range; ask for 1 to 10,000 copies",
    ),
    Press(
        "clone one copy, sheet in lower case",
        lambda p: ["clone", p, "--sheet", "items", "--row", "3", "--count", "1"],
        0,
        "Items row 3: 1 copy added with serial LP-000004Q",
    ),
    Press(
        "clone three copies",
        lambda p: ["clone", p, "--sheet", "Items", "--row", "3", "--count", "3"],
        0,
        "Items row 3: 3 copies added with serials LP-000004Q to LP-000006J",
    ),
    Press(
        "export over the book itself",
        lambda p: ["export", p, "--what", "sales", "-o", p],
        2,
        "loupe: {book} is a workbook; an export is written to a new .csv or .json file, never "
        "over a workbook (try -o shop-export.csv)",
    ),
    Press(
        "export to a new .xlsx name",
        lambda p: ["export", p, "--what", "sales", "-o", p.with_name("sales.xlsx")],
        2,
        "loupe: {folder}/sales.xlsx is a workbook; an export is written to a new .csv or .json",
    ),
    Press(
        "export over another workbook, named .csv",
        lambda p: ["export", p, "--what", "sales", "-o", p.with_name("other.csv")],
        2,
        "loupe: {folder}/other.csv is a workbook",
        spoil=lambda p: shutil.copyfile(p, p.with_name("other.csv")),
    ),
    Press(
        "export of an unknown figure",
        lambda p: ["export", p, "--what", "profits"],
        2,
        "Invalid value for '--what'",
    ),
    Press(
        "new book named .xlsx",
        lambda p: ["new", p.with_name("shop2.xlsx")],
        2,
        "loupe: a shop book holds the Loupe ribbon's macros, so it must be a macro-enabled "
        ".xlsm (Excel refuses macros in .xlsx); name it shop2.xlsm",
    ),
    Press(
        "new book with no suffix",
        lambda p: ["new", p.with_name("shop2")],
        2,
        "(Excel refuses macros in a file without a suffix); name it shop2.xlsm",
    ),
    Press(
        "new book over an existing one",
        lambda p: ["new", p],
        2,
        "loupe: {book} exists; pick another name or pass --force",
    ),
    Press(
        "post receipts into a read-only book",
        lambda p: ["post", "receipts", p],
        2,
        "loupe: shop.xlsm is read-only, so Loupe leaves it as it is; make it writable "
        "(Properties > uncheck Read-only, or chmod u+w) and run again",
        spoil=both(typed(schema.RECEIVING, [[D, "PO-9", "Aurum", "CH-301", 3, 4.0]]), read_only),
    ),
    Press(
        "validate a read-only book",
        lambda p: ["validate", p],
        2,
        "loupe: shop.xlsm is read-only",
        spoil=read_only,
    ),
    Press(
        "refresh a read-only book",
        lambda p: ["refresh", p],
        2,
        "loupe: shop.xlsm is read-only",
        spoil=read_only,
    ),
    Press(
        "verify a read-only book",
        lambda p: ["verify", p],
        0,
        "Ledger OK: 7 entries, chain intact",
        spoil=read_only,
    ),
    Press(
        "export from a read-only book",
        lambda p: ["export", p, "--what", "onhand"],
        0,
        "CH-301,Rope chain 18in,Chains,Northstar,Main Case,8",
        spoil=read_only,
    ),
    Press(
        "verify an edited Ledger",
        lambda p: ["verify", p],
        2,
        "row 3",
        spoil=edit_ledger,
        ledger_ok=False,
    ),
    Press(
        "post onto an edited Ledger",
        lambda p: ["post", "sales", p],
        2,
        "row 3",
        spoil=edit_ledger,
        ledger_ok=False,
    ),
    Press(
        "post with the Ledger sheet renamed",
        lambda p: ["post", "receipts", p],
        2,
        "loupe: shop.xlsm has no sheet 'Ledger' (it has Settings, Styles, Items, Receiving, "
        "Sales, Movements, Counts, Old Ledger, Scans, Count Reconciliation, Lists, "
        "xlwings.conf); restore the sheet from "
        "the template or from the backup copy",
        spoil=rename_sheet("Ledger", "Old Ledger"),
        ledger_ok=False,
    ),
    Press(
        "validate with the Styles sheet renamed",
        lambda p: ["validate", p],
        2,
        "Styles",
        spoil=rename_sheet("Styles", "My Styles"),
    ),
    Press(
        "Items header Serial typed in lower case: validate",
        lambda p: ["validate", p],
        0,
        "0 problem(s) found",
        spoil=header(schema.ITEMS, "Serial", "serial"),
    ),
    Press(
        "Items header Serial typed in lower case: post",
        lambda p: ["post", "receipts", p],
        0,
        "Receiving: 1 row(s) posted",
        spoil=both(
            header(schema.ITEMS, "Serial", "serial"),
            typed(schema.RECEIVING, [[D, "PO-9", "Aurum", "RG-101", 1, 900.0]]),
        ),
        writes=(("Receiving", "Serial"),),
    ),  # the fresh serial of a blank-Serial piece
    Press(
        "Items header Serial typed in lower case: clone",
        lambda p: ["clone", p, "--sheet", "Items", "--row", "3", "--count", "1"],
        0,
        "Items row 3: 1 copy added",
        spoil=header(schema.ITEMS, "Serial", "serial"),
    ),
    Press(
        "Items header Serial typed in lower case: refresh",
        lambda p: ["refresh", p],
        0,
        "Items: 3 piece(s)",
        spoil=header(schema.ITEMS, "Serial", "serial"),
    ),
    Press(
        "Receiving header Serial typed in capitals: split",
        lambda p: ["split", p],
        0,
        "Receiving: 0 rows split",
        spoil=header(schema.RECEIVING, "Serial", "SERIAL"),
    ),
    Press(
        "Receiving header renamed",
        lambda p: ["post", "receipts", p],
        2,
        "Receiving, column Unit Cost: the header 'Unit Cst' in column 6 of the table should "
        "read 'Unit Cost'",
        spoil=header(schema.RECEIVING, "Unit Cost", "Unit Cst"),
    ),
    Press(
        "Receiving header deleted",
        lambda p: ["post", "receipts", p],
        2,
        "Receiving, column Unit Cost: there is no 'Unit Cost' column",
        spoil=header(schema.RECEIVING, "Unit Cost", None),
    ),
    Press(
        "Items header Serial renamed: clone",
        lambda p: ["clone", p, "--sheet", "Items", "--row", "3", "--count", "1"],
        2,
        "Items, column Serial: the header 'Serial No' in column 1 of the table should read "
        "'Serial'",
        spoil=header(schema.ITEMS, "Serial", "Serial No"),
    ),
    Press(
        "Items header Serial renamed: post",
        lambda p: ["post", "sales", p],
        2,
        "Items, column Serial",
        spoil=header(schema.ITEMS, "Serial", "Serial No"),
    ),
    Press(
        "a setting mistyped",
        lambda p: ["post", "receipts", p],
        2,
        "Settings need fixing before Loupe can post",
        spoil=lambda p: _setting(p, "Allow Negative Stock", "maybe"),
    ),
    Press("post with no sheet named", lambda p: ["post"], 2, "post [OPTIONS] COMMAND"),
    Press("an unknown command", lambda p: ["postt", p], 2, "No such command 'postt'"),
    Press(
        "posting twice changes nothing",
        lambda p: ["post", "sales", p],
        0,
        "Sales: 0 row(s) posted, 0 refused, 2 already posted; 0 ledger entries added",
    ),
    Press(
        "a posted row's Ledger Ref cleared: posts nothing again",
        lambda p: ["post", "receipts", p],
        0,
        "Receiving: 0 row(s) posted, 0 refused, 5 already posted; 0 ledger entries added",
        spoil=cell("Receiving", "L6", None),
    ),
    Press(
        "rows typed under the Receiving table are posted",
        lambda p: ["post", "receipts", p],
        0,
        "Receiving: 2 row(s) posted, 0 refused, 5 already posted; 2 ledger entries added",
        spoil=under_table(
            schema.RECEIVING,
            [[D, "PO-50", "Aurum", "CH-301", 4, 5.0], [D, "PO-51", "Aurum", "ST-401", 2, 1.0]],
            gap=1,
        ),
        then=statuses(schema.RECEIVING, {7: ("Posted", "E8"), 9: ("Posted", "E9")}),
    ),
    Press(
        "rows typed under the Receiving table are validated",
        lambda p: ["validate", p],
        1,
        "Receiving row 7, column Style: unknown style 'ZZ-1'; add it on the Styles sheet "
        "first, or correct the code",
        spoil=under_table(schema.RECEIVING, [[D, "PO-50", "Aurum", "ZZ-1", 4, 5.0]]),
        then=statuses(
            schema.RECEIVING,
            {
                7: (
                    "Error: Style: unknown style 'ZZ-1'; add it on "
                    "the Styles sheet first, or correct the code",
                    None,
                )
            },
        ),
    ),
    Press(
        "a style typed under the Styles table is known",
        lambda p: ["post", "receipts", p],
        0,
        "Receiving: 1 row(s) posted",
        spoil=both(
            under_table(
                schema.STYLES,
                [
                    [
                        "BR-501",
                        "Tennis bracelet",
                        "Bracelets",
                        "14K White Gold",
                        "Aurum",
                        "A-5",
                        "Quantity",
                        "FIFO",
                        500.0,
                        None,
                        "Yes",
                    ]
                ],
            ),
            typed(schema.RECEIVING, [[D, "PO-52", "Aurum", "BR-501", 2, 200.0]]),
        ),
        then=statuses(schema.RECEIVING, {7: ("Posted", "E8")}),
    ),
    Press(
        "sales typed under the Sales table are posted",
        lambda p: ["post", "sales", p],
        0,
        "Sales: 1 row(s) posted",
        spoil=under_table(
            schema.SALES, [[D, "T-50", None, "ST-401", 2, 35.0, "A. Moreno", "Main Case", "Sale"]]
        ),
    ),
    Press(
        "an invoice with merged Date and Doc posts whole",
        lambda p: ["post", "receipts", p],
        0,
        "Receiving: 3 row(s) posted, 0 refused, 5 already posted; 3 ledger entries added",
        spoil=merged_doc(
            [
                [D, "PO-60", "Aurum", "CH-301", 2, 5.0],
                [None, None, "Aurum", "ST-401", 3, 2.0],
                [None, None, "Aurum", "ST-401", 1, 2.0],
            ]
        ),
        then=statuses(
            schema.RECEIVING, {7: ("Posted", "E8"), 8: ("Posted", "E9"), 9: ("Posted", "E10")}
        ),
    ),
    Press(
        "a merged invoice with one bad line waits whole",
        lambda p: ["post", "receipts", p],
        1,
        "Receiving row 8, column Style: unknown style 'ZZ-1'",
        spoil=merged_doc(
            [[D, "PO-61", "Aurum", "CH-301", 2, 5.0], [None, None, "Aurum", "ZZ-1", 3, 2.0]]
        ),
        then=statuses(
            schema.RECEIVING,
            {
                7: (
                    "Not posted: row 8 of Doc PO-61 has an error; "
                    "fix that row, then post again (a Doc posts "
                    "whole or not at all)",
                    None,
                )
            },
        ),
    ),
    Press(
        "a reversed sale's row says so",
        lambda p: ["post", "sales", p],
        0,
        "Sales: 0 row(s) posted, 0 refused, 2 already posted",
        spoil=lambda p: loupe("reverse", p, "E6"),
        then=statuses(schema.SALES, {2: ("Reversed by E8", "E6"), 3: ("Posted", "E7")}),
    ),
    Press(
        "validate after a reversal says so too",
        lambda p: ["validate", p],
        0,
        "0 problem(s) found",
        spoil=lambda p: loupe("reverse", p, "E7"),
        then=statuses(schema.SALES, {2: ("Posted", "E6"), 3: ("Reversed by E8", "E7")}),
    ),
    Press(
        "a cleared Ledger Ref comes back, nothing posts twice",
        lambda p: ["post", "receipts", p],
        0,
        "0 ledger entries added",
        spoil=cell("Receiving", "L6", None),
        then=statuses(schema.RECEIVING, {6: ("Posted", "E5")}),
    ),
    Press(
        "a posted row copied and edited into a new delivery waits with a reason",
        lambda p: ["post", "receipts", p],
        1,
        "Receiving row 7, column Ledger Ref: E5 is the ledger entry of another row (RECEIPT, "
        "Doc PO-2, ST-401, Qty 20); clear Ledger Ref to post this row",
        spoil=typed(
            schema.RECEIVING,
            [
                [
                    D,
                    "PO-2",
                    "Silverline",
                    "ST-401",
                    9,
                    5.0,
                    None,
                    "Main Case",
                    "Owned",
                    None,
                    "Posted",
                    "E5",
                ]
            ],
        ),
    ),
    Press(
        "a second return of a returned ring says it is back in stock",
        lambda p: ["post", "sales", p],
        1,
        "Sales row 5, column Serial: serial LP-000001N is in stock, so it has no sale to return "
        "(a piece comes back once per sale); check the tag; if the piece was returned already, "
        "delete this row",
        spoil=both(
            typed(schema.SALES, [[D, "R-1", "LP-000001N", None, 1, 1999.99, "B. Chen", None,
                                  "Return"]]),
            lambda p: loupe("post", "sales", p),
            typed(schema.SALES, [[D, "R-2", "LP-000001N", None, 1, 1999.99, "B. Chen", None,
                                  "Return"]]),
        ),
    ),
    Press(
        "a receipt at no cost posts with a note",
        lambda p: ["post", "receipts", p],
        0,
        "note: Receiving row 7: posted at a Unit Cost of 0 (as a gift or a sample would be); if "
        "the cost was left out, reverse E8 and post the row again with its cost",
        spoil=typed(schema.RECEIVING, [[D, "PO-70", "Aurum", "ST-401", 2, 0.0]]),
    ),
    Press(
        "the book busy with another run",
        lambda p: ["post", "receipts", p],
        2,
        "is being changed by another Loupe run",
    ),
]


def _converted_pieces_name_their_vendor(p: Path, style: str, count: int, vendor: str):
    pieces = [i for i in shopbook.read_rows(p, schema.ITEMS) if i["Style"] == style]
    assert len(pieces) == count and {i["Vendor"] for i in pieces} == {vendor}


def _setting(p: Path, name: str, value) -> None:
    row = next(r for r in shopbook.read_rows(p, schema.SETTINGS) if r["Setting"] == name)
    shopbook.set_cell(p, "Settings", f"B{row['_row']}", value)


def _typed_cells(p: Path) -> dict | None:
    try:
        return {s.name: shopbook.read_rows(p, s) for s in INPUT}
    except Exception:  # noqa: BLE001 -- a spoiled file has no cells to compare
        return None


def _changed(before: dict | None, after: dict | None, writes=()) -> int:
    if before is None or after is None:
        return 0
    lost = 0
    for sheet, rows in before.items():
        later = {r["_row"]: r for r in after.get(sheet, [])}
        mine = LOUPES | {h for s, h in writes if s == sheet}
        for r in rows:
            a = later.get(r["_row"])
            if a is None or any(a.get(h) != v for h, v in r.items() if h not in mine):
                lost += 1
    return lost


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("case", PRESSES, ids=[c.name for c in PRESSES])
def test_press(case: Press, shop, monkeypatch):
    path: Path = shop["path"]
    if case.spoil:
        case.spoil(path)
    for k, v in case.env.items():
        monkeypatch.setenv(k, v)
    before, raw = _typed_cells(path), path.read_bytes() if path.is_file() else None
    folder = set(os.listdir(path.parent))
    args = case.args(path)
    if case.name == "the book busy with another run":
        from addin.workbook.files import FilesBook

        with FilesBook.open(path):
            result = loupe(*args)
    else:
        result = loupe(*args)
    os.chmod(path, 0o644) if path.is_file() else None
    LOST["tried"] += 1
    output = _norm(result.output)
    want = _norm(case.says.replace("{book}", str(path)).replace("{folder}", str(path.parent)))
    if os.environ.get("CATALOGUE_SHOW"):
        print(f"\n{case.name}: exit {result.exit_code}\n  {output}")
    assert "Traceback" not in result.output
    assert result.exit_code == case.exit, result.output
    assert want in output, result.output
    lost = _changed(before, _typed_cells(path), case.writes)
    LOST["lost"] += lost
    assert lost == 0
    if case.exit == 2 and raw is not None:
        assert path.read_bytes() == raw  # refused: nothing written
    left = set(os.listdir(path.parent)) - folder
    assert not {n for n in left if "loupe-lock" in n or "loupe-tmp" in n}, left
    if case.ledger_ok:
        assert loupe("verify", path).exit_code == 0
    if case.then:
        case.then(path)
