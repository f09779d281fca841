"""Finding a table's columns by their header text, and saying what is wrong with the header row.

Headers are the contract (`schema.py`): Loupe finds each column by its header, never by
its place, so columns may be in any order. This module is the one place headers are
matched: every reader and writer, on both adapters, finds columns through it. Spaces
around and inside a header do not count, nor does case: `unit  cost` is read as
`Unit Cost`, with a warning (Excel shows the header as typed).

Sheet problems (the sheet cannot be used until fixed): a header missing; a header
renamed, i.e. missing while an unknown header is close to it (difflib), in which case the
problem names the rename to undo; a header heading two columns. Warnings (nothing
stops): extra columns Loupe does not know, which are left alone; a column with data but
no header; a header in another case or spacing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from addin.core.errors import Problem
from addin.sheets.schema import Sheet
from addin.workbook.port import RawTable

CLOSE = 0.6  # difflib ratio above which an unknown header is taken for a renamed one


@dataclass(frozen=True)
class Headers:
    """Where each schema header sits in the table, and what is wrong with the header row."""

    positions: dict[str, int]  # schema header -> position in the raw row
    problems: list[Problem]  # the sheet cannot be used
    warnings: list[Problem]


def header_text(cell: object) -> str:
    """A header cell as compared: text with runs of spaces made one, trimmed."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split())


def header_key(cell: object) -> str:
    """How two headers compare everywhere in Loupe: spacing and case do not count."""
    return header_text(cell).casefold()


def find_headers(raw: RawTable, sheet: Sheet) -> Headers:
    """Map schema headers to raw positions; report missing, renamed and repeated ones."""
    wanted = {header_key(h): h for h in sheet.headers}
    positions: dict[str, int] = {}
    repeats: dict[str, list[int]] = {}
    unknown: list[tuple[int, str]] = []
    warnings: list[Problem] = []
    for pos, cell in enumerate(raw.header):
        text = header_text(cell)
        header = wanted.get(header_key(text))
        if header is None:
            unknown.append((pos, text))
        elif header in positions:
            repeats.setdefault(header, [positions[header]]).append(pos)
        else:
            positions[header] = pos
            if text != header:
                warnings.append(Problem(sheet.name, None, header, f"the header {text!r} is "
                                        f"read as {header!r}", f"retype it as {header}"))
    problems, unknown = _missing(sheet, positions, unknown)
    problems += [_repeated(sheet, header, where) for header, where in repeats.items()]
    warnings += [w for w in (_extra(raw, sheet, pos, text) for pos, text in unknown) if w]
    return Headers(positions, problems, warnings)


def _missing(sheet: Sheet, positions: dict[str, int], unknown: list[tuple[int, str]]):
    """Problems for headers not found, and the unknown headers not taken as renamings."""
    problems = []
    left = list(unknown)
    for header in (h for h in sheet.headers if h not in positions):
        near = difflib.get_close_matches(header.casefold(), [t.casefold() for _, t in left],
                                         n=1, cutoff=CLOSE)
        if near:
            pos, text = next(u for u in left if u[1].casefold() == near[0])
            left.remove((pos, text))
            problems.append(Problem(sheet.name, None, header, f"the header {text!r} in "
                                    f"{nth(pos)} should read {header!r}",
                                    f"rename it back to {header}: Loupe finds each column "
                                    "by its header"))
        else:
            problems.append(Problem(sheet.name, None, header, f"there is no {header!r} column",
                                    f"add a column headed {header} to the {sheet.table} "
                                    "table (the template has it)"))
    return problems, left


def _repeated(sheet: Sheet, header: str, where: list[int]) -> Problem:
    places = " and ".join(nth(p) for p in where)
    return Problem(sheet.name, None, header, f"{header!r} heads {len(where)} columns ({places})",
                   f"keep one column headed {header}: rename or delete the other")


def _extra(raw: RawTable, sheet: Sheet, pos: int, text: str) -> Problem | None:
    if not text:
        used = any(_filled(r[pos]) for r in raw.body if pos < len(r))
        return Problem(sheet.name, None, None, f"{nth(pos)} has data but no header, so Loupe "
                       "ignores it", "give it a header, or move what it holds") if used else None
    near = difflib.get_close_matches(text, sheet.headers, n=1, cutoff=CLOSE)
    hint = f"rename it {near[0]!r} if that was meant" if near else "nothing to do"
    return Problem(sheet.name, None, text, f"the column {text!r} is not one of Loupe's and "
                   "is left alone", hint)


def _filled(v: object) -> bool:
    if v is None or (isinstance(v, float) and v != v):
        return False
    return not (isinstance(v, str) and not v.strip())


def nth(pos: int) -> str:
    """A raw position as the user counts it (the table may not start in column A)."""
    return f"column {pos + 1} of the table"
