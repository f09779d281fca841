"""The files adapter: the Workbook port on a saved .xlsm/.xlsx, for headless runs.

    with FilesBook.open("shop.xlsm") as book:      # takes the book's lock
        raw = book.read_table(schema.LEDGER)       # fast read (calamine)
        book.append_rows(schema.LEDGER, rows)      # edits only the parts it must
        book.save()                                # atomic; the old file becomes the backup

Reads are calamine's (see `xlsx_read`). Writes edit the text of the few parts they concern
(the sheet, its table, sometimes styles or the workbook part) and `save` copies every other
part of the file byte for byte, so the VBA project, the ribbon, pivot tables, shapes,
images, comments and the owner's own sheets come through untouched. Leaving the `with`
block without `save()` drops the changes, as closing Excel without saving does.

Each sheet is found by its Excel Table (the schema's table name; a sheet's only table also
counts); a sheet with no table is read as its used range from A1, header in row 1.
`write_report` replaces a report sheet only when it is Loupe's (`report_look`).

This package is the files adapter: `FilesBook` here; `safe_save` (whole-or-old saves
and the book's lock), `table_place` (where a schema sheet sits in the package),
`report_parts` (a report layout as sheet, styles, drawing and chart parts, written by
the same one save as everything else); `ooxml/` is its private
toolkit for the parts of a workbook package. It may import `addin.workbook` (port,
reader, layout, a1), `addin.core.errors`, `addin.core.ledger.chain` (the tip), the `Books`
of `addin.core.costing` (remembered with the Ledger) and `addin.sheets`; nothing outside this
package imports `ooxml/`, and it never imports the live adapter.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from addin.core.costing import Books
from addin.core.errors import BookError, LedgerTampered, Problem
from addin.core.ledger import chain
from addin.sheets import schema
from addin.workbook.a1 import Area, letters
from addin.workbook.files import ledger_memory
from addin.workbook.files.ooxml.defined_names import set_name
from addin.workbook.files.ooxml.sheet_top import UNREAD, first_column_text
from addin.workbook.files.ooxml.sheet_writes import (
    Formula,
    first_filled_below,
    last_filled_row,
    write_rows,
)
from addin.workbook.files.ooxml.sheet_xml import NotASheet, SheetXml
from addin.workbook.files.ooxml.table_xml import (
    TableInfo,
    parse_table,
    resized,
    with_columns,
)
from addin.workbook.files.ooxml.xlsx_parts import (
    TIP_NAME,
    Package,
    SheetEntry,
    TipUnreadable,
    WorkbookMap,
    add_worksheet,
    ask_full_recalc,
    has_vba,
    missing_vba,
    record_tip,
    recorded_tip,
)
from addin.workbook.files.ooxml.xlsx_read import ReadFailed, open_reader, sheet_cells
from addin.workbook.files.ooxml.xlsx_styles import StyleSheet
from addin.workbook.files.ooxml.xlsx_zip import (
    Appended,
    Content,
    DamagedPart,
    Flushed,
    FlushPoint,
    NotAZip,
    ZipParts,
)
from addin.workbook.files.report_parts import foreign_objects, put_report
from addin.workbook.files.safe_save import (
    backup_path,
    book_lock,
    open_elsewhere,
    remove_stale_temps,
    replace_atomically,
)
from addin.workbook.files.table_place import (
    Place,
    check_widths,
    columns_of,
    formula_columns,
    in_table,
    in_used_range,
    own_formats,
    pick_table,
)
from addin.workbook.layout import formulas
from addin.workbook.layout.formulas import cell_formula
from addin.workbook.layout.report_layout import Layout
from addin.workbook.layout.report_look import SIGNATURE_ROWS, not_loupes, ownership_problem
from addin.workbook.layout.report_sheet import name_problem, new_sheet_xml
from addin.workbook.port import Cell, KnownLedger, RawTable
from addin.workbook.reader.tables import ledger_frame

MAX_ROW = 1_048_576  # Excel's last row


class FilesBook:
    """A saved workbook, open for one Loupe run (see the module docstring)."""

    def __init__(self, path: Path):
        self.path = path
        self._read_only = False
        self._known: KnownLedger | None = None  # the Ledger as verified, while unchanged
        self._stream: ledger_memory.LedgerStream | None = None  # where its part's rows end
        self._ledger_pieces: tuple[bytes, bytes, int, bytes] | None = None  # as last put
        self._costing: ledger_memory.Costing | None = None  # Books of the Ledger, kept with it
        self._forget()
        self._open_parts()  # a file that is no workbook is refused here, at open

    @classmethod
    @contextlib.contextmanager
    def open(
        cls, path: str | os.PathLike[str], *, wait: float = 0, writing: bool = True
    ) -> Iterator[FilesBook]:
        """The book at `path`, locked against other Loupe runs until the block ends.

        `writing=False` (verify, export) takes no lock and leaves nothing beside the book,
        so it works in a folder the user may only read; such a book refuses `save`.
        A book whose file is read-only (its permissions say so) is refused for writing.
        """
        book_path = _existing(Path(path))
        if not writing:
            book = cls(book_path)
            book._read_only = True
            try:
                yield book
            finally:
                book.close()
            return
        _writable(book_path)
        with book_lock(book_path, wait):
            remove_stale_temps(book_path)
            book = cls(book_path)
            try:
                yield book
            finally:
                book.close()

    # -- the port -------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The book's file name (shop.xlsm), as messages name it."""
        return self.path.name

    def sheet_names(self) -> list[str]:
        return [s.name for s in self._map.sheets]

    def read_table(self, sheet: schema.Sheet) -> RawTable:
        place = self._place(sheet)
        state = self._read_state(place.entry)
        held = self._reads.get(sheet.name)
        if held is not None and _same_parts(held[0], state):  # read this press, unchanged
            return _copy_of(held[1])
        raw = self._read_table(sheet, place)
        if sheet is not schema.LEDGER:  # read once a press anyway, and by far the largest
            self._reads[sheet.name] = (state, raw)
            return _copy_of(raw)
        return raw

    def _read_state(self, entry: SheetEntry) -> tuple:
        """What a read of the sheet depends on: the file open, its map, and the parts the
        read takes from this press's changes (the sheet's own and its tables' while the
        sheet is unchanged and read from the file; every changed part once it is not)."""
        changed = self._pkg.changed
        if entry.part in changed:
            parts = list(changed.items())
        else:
            parts = [(p, changed.get(p, _UNCHANGED))
                     for p in (entry.part, *self._map.table_parts(entry.part))]
        return (self._package, self._book_map, parts)

    def _read_table(self, sheet: schema.Sheet, place: Place) -> RawTable:
        try:
            grid = sheet_cells(self._reader(place.entry), place.entry.name, place.area,
                               keep=sheet is not schema.LEDGER)
        except ReadFailed as e:
            raise BookError(
                f"cannot read sheet {place.entry.name} of {self.path.name} ({e}); "
                f"open the book in Excel, save it, and try again"
            ) from None
        top = place.area.top if place.area else 1
        if not grid:
            return RawTable(sheet.name, [], [], top + 1)
        return RawTable(sheet.name, grid[0], grid[1:], top + 1)

    def write_cells(self, sheet: schema.Sheet, updates: dict[str, dict[int, Cell]]) -> None:
        updates = {h: cells for h, cells in updates.items() if cells}
        if not updates:
            return
        place = self._place(sheet, writing=True)
        assert place.area is not None
        cols = columns_of(place, sheet, list(updates))
        first, last = place.area.top + 1, place.area.bottom
        new_cells: dict[int, dict[int, object]] = {}
        for header, cells in updates.items():
            for row, value in cells.items():
                if not first <= row <= last:
                    raise BookError(
                        f"{sheet.name} row {row} is outside its {place.where} (rows "
                        f"{first} to {last}); Loupe only writes into table rows"
                    )
                new_cells.setdefault(row, {})[cols[header]] = value
        if sheet is schema.LEDGER:
            self._known = None  # a Ledger edited in place is read and verified afresh
            self._whole_ledger()
        self._write(sheet, place, new_cells, last)

    def append_rows(self, sheet: schema.Sheet, rows: list[list[Cell]]) -> None:
        if not rows:
            return
        place = self._place(sheet, writing=True)
        area = place.area
        assert area is not None
        cols = columns_of(place, sheet, list(sheet.headers))
        check_widths(sheet, rows)
        # Rows at the table's end holding nothing typed (the template's blank row, or
        # formulas alone) are filled first.
        typed = set(range(area.left, area.right + 1)) - set(formula_columns(place, sheet).values())
        if sheet is schema.LEDGER:
            self._ledger_tail_only(place)
        start = 1 + last_filled_row(self._sheet(place.entry), area.top + 1, area.bottom, typed)
        new_cells = {
            start + i: self._row_cells(sheet, cols, row, start + i) for i, row in enumerate(rows)
        }
        self._write(sheet, place, new_cells, max(area.bottom, start + len(rows) - 1))
        if sheet is schema.LEDGER:
            self._ledger_grew(rows, start)

    def replace_rows(self, sheet: schema.Sheet, rows: list[list[Cell]]) -> None:
        if sheet is schema.LEDGER:
            self._whole_ledger()
        place = self._place(sheet, writing=True)
        area = place.area
        assert area is not None
        cols = columns_of(place, sheet, list(sheet.headers))
        check_widths(sheet, rows)
        first = area.top + 1
        new_cells = {
            first + i: self._row_cells(sheet, cols, row, first + i) for i, row in enumerate(rows)
        }
        for r in range(first + len(rows), area.bottom + 1):  # rows the table gives up
            new_cells[r] = dict.fromkeys(cols.values())
        if not rows:  # a table keeps one (empty) body row
            new_cells[first] = dict.fromkeys(cols.values())
        self._write(sheet, place, new_cells, first + max(len(rows), 1) - 1)
        if sheet is schema.LEDGER:
            self._known = None
            self._record_tip(rows[-1] if rows else None)

    def set_items_as_of(self, day: dt.date | None) -> None:
        part = self._map.workbook_part
        set_name(self._pkg, part, formulas.REFRESHED_AS_OF, formulas.refreshed_as_of(day))
        # a book from an earlier template has an AsOfDate that does not look at it yet
        set_name(self._pkg, part, formulas.AS_OF_DATE, formulas.DEFINED_NAMES[formulas.AS_OF_DATE])
        ask_full_recalc(self._pkg, part)

    def add_columns(self, sheet: schema.Sheet, headers: list[str]) -> None:
        place = self._place(sheet, writing=True)
        a = place.area
        if place.table is None or a is None or not headers:
            return  # a table-less sheet: its header row is read as it stands
        right = a.right + len(headers)
        sx = self._sheet(place.entry)
        taken = first_filled_below(sx, a.top - 1, a.right + 1, right)
        if taken is not None and taken <= place.table.area.bottom:
            raise BookError(
                f"{place.entry.name} needs a column headed {headers[0]} at the right end of "
                f"its table {place.table.name} (books made from the earlier template lack "
                f"it), but row {taken} there is not empty (column {letters(a.right + 1)}"
                f"{'' if right == a.right + 1 else '-' + letters(right)}); move what it "
                f"holds elsewhere and run again"
            )
        sx = write_rows(sx, {a.top: {a.right + 1 + i: h for i, h in enumerate(headers)}},
                        first_body=1, styles=self._stylesheet(), date1904=self._map.date1904)
        grown = Area(a.top, a.left, place.table.area.bottom, right)
        self._put_sheet(place.entry, sx.with_dimension(grown))
        self._pkg.put(place.table.part,
                      with_columns(self._pkg.read(place.table.part), headers, grown))
        self._flush_styles()

    def write_report(self, layout: Layout) -> Problem | None:
        entry = self._report_sheet(layout)
        if isinstance(entry, Problem):
            return entry
        self._flush_styles()
        put_report(self._pkg, self._map, entry, layout)
        self._styles = None  # the styles part changed: read it afresh when next needed
        self._sheets.pop(entry.part, None)
        self._memory_reader = None
        return None

    def save(self) -> None:
        """Make the changes durable: a new file swapped in atomically, the old one kept as
        the backup. Nothing to save, nothing written."""
        if not self._pkg.changed:
            return
        if self._read_only:
            raise BookError(f"{self.path.name} was opened to read only; nothing was saved")
        owner = open_elsewhere(self.path)
        if owner is not None:
            raise BookError(
                f"{self.path.name} is open in Excel or another program ({owner.name} "
                f"is beside it), which would overwrite Loupe's changes; close it "
                f"there and run again, or use the Loupe ribbon in Excel. If no "
                f"program has it open, delete {owner}"
            )
        self._refuse_damaged()
        pending, names = dict(self._pkg.changed), self._pkg.names()
        points: dict[str, FlushPoint] = {}

        def write(out: BinaryIO) -> None:
            points.update(self._pkg.write_to(out))
            self._release_files()  # Windows cannot replace a file that is still open

        try:
            replace_atomically(self.path, write, lambda temp: _check_saved(temp, names))
        except DamagedPart as e:
            self._keep_pending(pending)
            raise BookError(
                f"{self.path.name} is damaged on disk ({e}), so Loupe will not save over "
                f"it and the file is untouched; restore it from "
                f"{backup_path(self.path).name} beside it, or open it in Excel and let "
                f"Excel repair it"
            ) from None
        except (NotAZip, OSError) as e:
            self._keep_pending(pending)
            raise BookError(
                f"could not save {self.path.name} ({e}); the file on disk is unchanged"
            ) from None
        except BaseException:
            self._keep_pending(pending)
            raise
        # The file is reopened on the next call, not now: until then nothing holds it open.
        self._release_files()
        stream = self._stream_saved(points, pending)
        self._forget()
        if self._known is not None:  # the Ledger as just saved, for the next press
            self._remember(self._known, stream)

    def close(self) -> None:
        self._release_files()

    def _refuse_damaged(self) -> None:
        """A book that lost its VBA project is not saved over (the backup would go too)."""
        lost = missing_vba(self._pkg, self._map.workbook_part)
        backup = backup_path(self.path)
        if lost is None and self.path.suffix.lower() == ".xlsm" and backup.exists():
            with contextlib.suppress(NotAZip, OSError):
                had = ZipParts(backup)
                try:
                    if has_vba(had.names()) and not has_vba(self._pkg.names()):
                        lost = f"{backup.name}, the copy before the last save, has one"
                finally:
                    had.close()
        if lost is not None:
            raise BookError(
                f"{self.path.name} has lost its VBA project (the macros behind the Loupe "
                f"ribbon): {lost}. A program saved it without its macros (Save As .xlsx, "
                f"or a script); Loupe will not save over it and the file is untouched. "
                f"Copy {backup.name} back over it, or run `loupe excel import-vba` on it"
            )

    # -- the Ledger remembered between presses (port.LedgerMemory) -------------------

    def ledger_tip(self) -> chain.Tip | None:
        """The last entry and Hash recorded in the workbook part when Loupe last wrote the
        Ledger (a hidden defined name), or None for a book that has no record yet."""
        try:
            found = recorded_tip(self._pkg, self._map.workbook_part)
        except TipUnreadable as e:
            raise LedgerTampered(0, 0, (
                f"the Ledger's tip record in {self.path.name} (the hidden name "
                f"{TIP_NAME}, which should read like 'entry 120, hash 0123abcd...') now "
                f"reads {e.args[0]!r}: it was edited by hand; restore the book from the "
                f"backup beside it"
            )) from None
        return chain.Tip(*found) if found else None

    def known_ledger(self, anchor: chain.Tip | None, *, frame: bool = True
                     ) -> KnownLedger | None:
        """The Ledger as last verified, when this file provably holds it unchanged
        (`frame` False: its frame is read only if asked for, see `ledger_memory`)."""
        key = self._ledger_key()
        found = ledger_memory.recall(self.path, key, anchor, frame=frame) if key else None
        if found is None:
            return None
        self._known, self._stream = found
        return self._known

    def remember_ledger(self, known: KnownLedger) -> None:
        """Keep a Ledger that has just verified in full; stored when the file holds it."""
        self._remember(known, None)

    def known_costing(self, methods: dict[str, str]) -> Books | None:
        """The Books of the Ledger `known_ledger` gave (port.CostingMemory): as this press
        left them, or as remembered with that Ledger, costed by exactly `methods`."""
        known, mine = self._known, self._costing
        if known is None:
            return None
        if mine is not None and mine.methods == methods and mine.tip == known.tip:
            return mine.books
        books = ledger_memory.recall_costing(self.path, known, methods)
        if books is not None:
            self._costing = ledger_memory.Costing(dict(methods), books, known.tip)
        return books

    def remember_costing(self, methods: dict[str, str], books: Books,
                         tip: chain.Tip | None) -> None:
        """Keep the Books of the Ledger ending at `tip`; stored with the Ledger when the
        file is saved holding it (port.CostingMemory)."""
        self._costing = ledger_memory.Costing(dict(methods), books, tip)

    def _remember(self, known: KnownLedger, stream: ledger_memory.LedgerStream | None) -> None:
        self._known = known
        key = self._ledger_key()
        if key:
            ledger_memory.remember(self.path, key, known, stream, self._costing)

    # -- the Ledger part appended to where its rows end ------------------------------

    def _ledger_part(self) -> str | None:
        entry = self._map.sheet(schema.LEDGER.name)
        return entry.part if entry is not None else None

    def _ledger_tail_only(self, place: Place) -> None:
        """Before an append: when the file provably holds the Ledger part as Loupe last
        wrote it, work on its head, last row and closing tags alone (`_ledger_content`
        puts the new rows after the old ones without reading or rewriting them)."""
        stream, known, part = self._stream, self._known, place.entry.part
        if stream is None and known is not None and part not in self._pkg.changed \
                and part not in self._sheets:
            stream = self._stream = self._found_stream(place.entry)
        if (
            stream is None or known is None or place.area is None
            or part in self._pkg.changed or part in self._sheets
            or place.area.bottom != stream.last_number
            or stream.last_number != known.first_row + len(known.frame) - 1
        ):
            return
        self._sheets[part] = SheetXml(stream.head + stream.last_row + stream.tail)
        self._mini = part

    def _found_stream(self, entry: SheetEntry) -> ledger_memory.LedgerStream | None:
        """Where the Ledger part's rows end, read from the part itself when nothing is
        remembered of it: the point where Loupe's last save flushed its deflate stream, if
        that is where its rows end (a part another program saved has none, and is kept
        whole in this press, to be rewritten)."""
        try:
            xml, points = self._pkg.read_flushed(entry.part)
            sx = SheetXml(xml)
        except (KeyError, NotASheet, NotAZip):
            return None  # read the usual way, which names what is wrong
        last = sx.last_row()
        point = next((p for p in points if p.size == sx.data_end), None)
        if last is None or point is None:
            self._sheets[entry.part] = sx  # read once: the rewrite starts from it
            return None
        return ledger_memory.LedgerStream(point, sx.xml[: sx.data_start],
                                          sx.xml[last.start : sx.data_end], last.number,
                                          sx.xml[sx.data_end :])

    def _whole_ledger(self) -> None:
        """Any other edit of the Ledger works on the whole part."""
        if self._mini is not None:
            part, self._mini = self._mini, None
            self._sheets[part] = SheetXml(self._pkg.read(part))

    def _ledger_content(self, part: str, sx: SheetXml) -> Content:
        """The Ledger part to save: its old bytes kept up to where its rows ended and the
        new rows and closing tags after them, or the whole part, flushed where rows end."""
        last = sx.last_row()
        self._ledger_pieces = (
            sx.xml[: sx.data_start],
            sx.xml[last.start : sx.data_end] if last else b"",
            last.number if last else 0,
            sx.xml[sx.data_end :],
        )
        stream = self._stream
        if self._mini == part and stream is not None:
            kept = stream.head + stream.last_row
            if sx.xml.startswith(kept):
                return Appended(stream.point, sx.xml[len(kept) :], sx.data_end - len(kept))
            old = self._pkg.kept_bytes(part, stream.point)  # head and rows, as on disk
            whole = (sx.xml[: sx.data_start] + old[len(stream.head) : len(old) - len(
                stream.last_row)] + sx.xml[sx.data_start :])
            sx = SheetXml(whole)
            self._sheets[part], self._mini = sx, None
        return Flushed(sx.xml, sx.data_end)

    def _stream_saved(self, points: dict[str, FlushPoint], pending: dict
                      ) -> ledger_memory.LedgerStream | None:
        """Where the saved Ledger part's rows end: as just written, or as it was when the
        part was copied unchanged."""
        part = self._ledger_part()
        if part is None:
            return None
        if part in points and self._ledger_pieces is not None:
            head, last_row, number, tail = self._ledger_pieces
            return ledger_memory.LedgerStream(points[part], head, last_row, number, tail)
        return self._stream if part not in pending else None

    def _ledger_key(self) -> list[ledger_memory.MemberKey] | None:
        """What proves the Ledger unchanged: the central directory's CRC-32 and sizes of
        every part it is read from; None while this press has changed one of them."""
        entry = self._map.sheet(schema.LEDGER.name)
        if entry is None:
            return None
        parts = [entry.part, *self._map.table_parts(entry.part), self._map.workbook_part,
                 self._map.shared_strings_part, self._map.styles_part]
        infos = self._pkg.zip.infos
        key = []
        for part in parts:
            if part is None or part not in infos:
                continue
            if part in self._pkg.changed:
                return None
            i = infos[part]
            key.append((part, i.CRC, i.compress_size, i.file_size))
        return key

    def _ledger_grew(self, rows: list[list[Cell]], start: int) -> None:
        """New entries at the Ledger's end: recorded as its tip, and added to the Ledger
        remembered for the next press once they verify as the continuation of its chain."""
        self._record_tip(rows[-1])
        known, self._known = self._known, None
        if known is None or start != known.first_row + len(known.frame):
            return
        header = list(schema.LEDGER.headers)
        tail = ledger_frame(RawTable(schema.LEDGER.name, header, rows, start))
        tip = known.tip
        checked = chain.verify(
            tail,
            previous_hash=tip.hash if tip else chain.GENESIS,
            first_entry=tip.entry + 1 if tip else 1,
            first_row=start,
        )
        if checked.ok:
            frame = pd.concat([known.frame, tail], ignore_index=True) if len(known.frame) else tail
            self._known = KnownLedger(frame, known.first_row, known.anchor)

    def _record_tip(self, last_row: list[Cell] | None) -> None:
        headers = schema.LEDGER.headers
        tip = None
        if last_row is not None:
            entry, hash_ = last_row[headers.index("Entry")], last_row[headers.index("Hash")]
            tip = (int(entry), str(hash_))
        record_tip(self._pkg, self._map.workbook_part, tip)

    # -- finding things -------------------------------------------------------------

    @property
    def _pkg(self) -> Package:
        if self._package is None:
            self._open_parts()
        assert self._package is not None
        return self._package

    @property
    def _map(self) -> WorkbookMap:
        if self._book_map is None:
            self._open_parts()
        assert self._book_map is not None
        return self._book_map

    def _open_parts(self) -> None:
        package = None
        try:
            package = Package(self.path)
            self._book_map = WorkbookMap(package)
        except NotAZip as e:
            if package is not None:
                package.close()
            raise BookError(
                f"{self.path.name} is not an Excel workbook (.xlsx/.xlsm): {e}; "
                f"open it in Excel and save it as an Excel Macro-Enabled Workbook "
                f"(.xlsm)"
            ) from None
        self._package = package

    def _forget(self) -> None:
        """Drop everything read from the file; the next call reads it afresh."""
        self._package: Package | None = None
        self._book_map: WorkbookMap | None = None
        self._reads: dict[str, tuple[tuple, RawTable]] = {}  # tables read, and when
        self._sheets: dict[str, SheetXml] = {}
        self._mini: str | None = None  # the Ledger part, while only its ends are in _sheets
        self._styles: StyleSheet | None = None
        self._disk_reader = None
        self._memory_reader = None

    def _keep_pending(self, pending: dict[str, bytes | None]) -> None:
        """After a failed save: the file as it is on disk, with this run's changes on top."""
        self._release_files()
        self._forget()
        self._pkg.changed.update(pending)

    def _entry(self, name: str) -> SheetEntry:
        entry = self._map.sheet(name)
        if entry is None:
            raise BookError(
                f"{self.path.name} has no sheet {name!r} (it has "
                f"{', '.join(self.sheet_names()) or 'none'}); restore the sheet "
                f"from the template or from the backup copy"
            )
        if entry.kind != "worksheet":
            raise BookError(
                f"{name} in {self.path.name} is a {entry.kind}, not a worksheet; "
                f"rename it and restore the {name} sheet from the template"
            )
        return entry

    def _tables(self, entry: SheetEntry) -> list[TableInfo]:
        try:
            return [parse_table(self._pkg.read(p), p) for p in self._map.table_parts(entry.part)]
        except (ValueError, SyntaxError) as e:
            raise BookError(
                f"a table on sheet {entry.name} is damaged ({e}); open the book "
                f"in Excel, let it repair the table, and save"
            ) from None

    def _place(self, sheet: schema.Sheet, *, writing: bool = False) -> Place:
        entry = self._entry(sheet.name)
        table = pick_table(sheet, entry, self._tables(entry))
        if table is not None:
            if sheet in schema.TYPED_SHEETS and not table.totals_rows:
                table = self._take_in_rows_below(entry, table)
            return in_table(entry, table, writing=writing)
        grid = sheet_cells(self._reader(entry), entry.name, None)
        return in_used_range(sheet, entry, grid, writing=writing)

    def _take_in_rows_below(self, entry: SheetEntry, table: TableInfo) -> TableInfo:
        """Rows typed right under the Table become the Table's (saved with the press), so
        nothing typed is skipped."""
        a, bottom = table.area, table.last_row
        sx = self._sheet(entry)
        last = last_filled_row(sx, bottom + 1, MAX_ROW, set(range(a.left, a.right + 1)))
        if last <= bottom:
            return table
        grown = Area(a.top, a.left, last, a.right)
        self._put_sheet(
            entry,
            sx.with_dimension(grown).with_grown_ranges((a.left, a.right), bottom, last, a.top + 1),
        )
        self._pkg.put(table.part, resized(self._pkg.read(table.part), grown))
        return parse_table(self._pkg.read(table.part), table.part)

    # -- writing --------------------------------------------------------------------

    def _row_cells(
        self, sheet: schema.Sheet, cols: dict[str, int], row: list[Cell], excel_row: int
    ) -> dict[int, object]:
        cells: dict[int, object] = {cols[h]: v for h, v in zip(sheet.headers, row, strict=True)}
        for column in sheet.columns:
            if column.formula:
                cells[cols[column.header]] = Formula(cell_formula(sheet, column.header))
        return cells

    def _write(
        self,
        sheet: schema.Sheet,
        place: Place,
        new_cells: dict[int, dict[int, object]],
        new_last: int,
    ) -> None:
        a = place.area
        assert a is not None
        sx = self._sheet(place.entry)
        if new_last > a.bottom:
            below = first_filled_below(sx, a.bottom, a.left, a.right)
            if below is not None and below <= new_last:
                raise BookError(
                    f"{place.entry.name} has cells in row {below}, under its "
                    f"{place.where}, where new rows must go; move them elsewhere"
                )
        sx = write_rows(
            sx,
            new_cells,
            first_body=a.top + 1,
            styles=self._stylesheet(),
            date1904=self._map.date1904,
            formats=own_formats(place, sheet),
        )
        grown = Area(a.top, a.left, new_last, a.right)
        # the Ledger keeps no <dimension>, so its part changes only where its rows end
        sized = sx.without_dimension() if sheet is schema.LEDGER else sx.with_dimension(grown)
        sx = sized.with_grown_ranges((a.left, a.right), a.bottom, new_last, a.top + 1)
        self._put_sheet(place.entry, sx)
        if place.table is not None and new_last != a.bottom:
            self._pkg.put(place.table.part, resized(self._pkg.read(place.table.part), grown))
        if any(isinstance(v, Formula) for cells in new_cells.values() for v in cells.values()):
            ask_full_recalc(self._pkg, self._map.workbook_part)
        self._flush_styles()

    def _report_sheet(self, layout: Layout) -> SheetEntry | Problem:
        """The report's sheet, added when missing; the Problem when it is not Loupe's."""
        name = layout.sheet
        problem = name_problem(name)
        if problem:
            raise BookError(f"report sheet name {name!r} {problem}; pick another name")
        if name.casefold() in {s.name.casefold() for s in schema.DATA_SHEETS}:
            raise BookError(f"{name} is a data sheet; a report cannot be written over it")
        entry = self._map.sheet(name)
        if entry is None:
            add_worksheet(self._pkg, self._map, name, new_sheet_xml())
            self._book_map = WorkbookMap(self._pkg)
            self._memory_reader = None
            return self._entry(name)
        if entry.kind != "worksheet":
            return not_loupes(entry.name, f"it is a {entry.kind}, not a worksheet")
        top, below = SIGNATURE_ROWS
        lines = first_column_text(self._pkg.chunks(entry.part), SIGNATURE_ROWS)
        if UNREAD in lines.values():  # not as Loupe wrote it: read it the full way
            a3, a4 = (row[0] for row in sheet_cells(self._reader(entry), entry.name,
                                                    Area(top, 1, below, 1)))
        else:
            a3, a4 = lines[top], lines[below]
        foreign = foreign_objects(self._pkg, entry.part, layout)
        return ownership_problem(entry.name, a3, a4, foreign, len(self._tables(entry))) or entry

    def _sheet(self, entry: SheetEntry) -> SheetXml:
        if entry.part not in self._sheets:
            try:
                self._sheets[entry.part] = SheetXml(self._pkg.read(entry.part))
            except (KeyError, NotASheet) as e:
                raise BookError(
                    f"sheet {entry.name} of {self.path.name} is damaged ({e}); "
                    f"restore it from the backup copy"
                ) from None
        return self._sheets[entry.part]

    def _put_sheet(self, entry: SheetEntry, sx: SheetXml) -> None:
        self._sheets[entry.part] = sx
        if entry.part == self._ledger_part():
            self._pkg.put(entry.part, self._ledger_content(entry.part, sx))
        else:
            self._pkg.put(entry.part, sx.xml)
        self._memory_reader = None

    def _stylesheet(self) -> StyleSheet:
        if self._styles is None:
            part = self._map.styles_part
            self._styles = StyleSheet(
                self._pkg.read(part) if part and self._pkg.has(part) else None
            )
        return self._styles

    def _flush_styles(self) -> None:
        styles = self._styles
        if styles is not None and styles.changed and self._map.styles_part and styles.xml:
            self._pkg.put(self._map.styles_part, styles.xml)
            styles.changed = False
            self._memory_reader = None

    # -- beyond the port: a plain sheet (no Table), such as xlwings.conf -------------

    def read_cells(self, name: str) -> list[list[Cell]]:
        """The cells of sheet `name` from A1 to the last one used (rows of equal length)."""
        entry = self._entry(name)
        try:
            return sheet_cells(self._reader(entry), entry.name, None)
        except ReadFailed as e:
            raise BookError(f"cannot read sheet {name} of {self.path.name} ({e})") from None

    def write_sheet_cells(self, name: str, cells: dict[int, dict[int, Cell]]) -> None:
        """Write `cells` (row -> column -> value; None empties a cell) on sheet `name`,
        every other cell kept as it is."""
        entry = self._entry(name)
        if name.casefold() == schema.LEDGER.name.casefold():
            self._known = None
            self._whole_ledger()
        sx = write_rows(self._sheet(entry), cells, first_body=1, styles=self._stylesheet(),
                        date1904=self._map.date1904)
        self._put_sheet(entry, sx)
        self._flush_styles()

    # -- reading --------------------------------------------------------------------

    def _reader(self, entry: SheetEntry):
        """calamine on the file itself, or on an in-memory copy once this sheet changed."""
        try:
            if entry.part in self._pkg.changed:
                if self._memory_reader is None:
                    self._memory_reader = open_reader(self._pkg.memory_copy())
                return self._memory_reader
            if self._disk_reader is None:
                self._disk_reader = open_reader(self.path)
            return self._disk_reader
        except ReadFailed as e:
            raise BookError(
                f"cannot read {self.path.name} ({e}); open it in Excel, save it, and try again"
            ) from None

    def _release_files(self) -> None:
        for reader in (self._disk_reader, self._memory_reader):
            if reader is not None:
                with contextlib.suppress(Exception):
                    reader.close()
        self._disk_reader = self._memory_reader = None
        if self._package is not None:
            self._package.close()


_UNCHANGED = object()  # a part this press has not changed


def _same_parts(then: tuple, now: tuple) -> bool:
    """A read's parts are just as they were when the table was read: the same file and
    map, and each part unchanged or the very object put then (a change puts a new one)."""
    if then[0] is not now[0] or then[1] is not now[1] or len(then[2]) != len(now[2]):
        return False
    return all(a == b and x is y for (a, x), (b, y) in zip(then[2], now[2], strict=True))


def _copy_of(raw: RawTable) -> RawTable:
    """A table read earlier, its rows copied (a caller may change its own)."""
    return RawTable(raw.sheet, list(raw.header), [list(r) for r in raw.body], raw.first_row)


def _writable(path: Path) -> None:
    """A file marked read-only (no write permission for anyone) is the owner's to unlock."""
    if not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(
        path, os.W_OK
    ):
        raise BookError(
            f"{path.name} is read-only, so Loupe leaves it as it is; make it writable "
            "(Properties > uncheck Read-only, or chmod u+w) and run again"
        )


def _existing(path: Path) -> Path:
    if not path.exists():
        raise BookError(f"{path} does not exist; check the name and folder of the workbook")
    if not path.is_file():
        raise BookError(f"{path} is a folder, not a workbook file")
    return path.resolve()


def _check_saved(temp: Path, names: list[str]) -> None:
    """The new file opens as a zip and holds exactly the parts it should."""
    saved = ZipParts(temp)
    try:
        if saved.names() != names:
            raise NotAZip("the new file came out incomplete")
    finally:
        saved.close()
