"""A piece's whole history, across closed periods: every entry that names it.

`piece_history(book, serial)` reads the Ledger and, when it starts after a close, the
archive beside the book (`closing.history`: the carried entries left out, the entries they
carry read from the archive), and returns the entries of that serial in the order of
events: when it came in, from whom and at what cost (Unit Cost in ten-thousandths of a
dollar, as the Ledger frame holds it), every move, the sale and its price (Unit Price in
ten-thousandths too),
returns and reversals. A style code instead of a serial gives the style's entries.
"""

from __future__ import annotations

import pandas as pd

from addin import session
from addin.core import closing
from addin.core.costing import in_event_order
from addin.core.errors import InputError
from addin.core.rows.models import style_key
from addin.core.rows.serials import normalize_serial
from addin.macros.refreshing import archived_entries
from addin.workbook.port import Workbook

COLUMNS = {"entry": "Entry", "date": "Date", "kind": "Kind", "doc": "Doc", "style": "Style",
           "serial": "Serial", "location": "Location", "qty": "Qty", "unit_cost": "Unit Cost",
           "unit_price": "Unit Price", "cogs": "Cost of Goods", "party": "Party",
           "reverses": "Reverses"}


def piece_history(book: Workbook, serial_or_style: str) -> pd.DataFrame:
    """Every entry of a serial (or a style), archive and Ledger, in the order of events."""
    lf = session.read_ledger(book)
    archived = archived_entries(book, lf)
    whole = lf if archived is None else closing.history(archived, lf)
    wanted = normalize_serial(serial_or_style)
    mine = whole[whole["serial"].map(normalize_serial) == wanted]
    if mine.empty:
        mine = whole[whole["style"].map(style_key) == style_key(serial_or_style)]
    if mine.empty:
        raise InputError(f"no entry names {serial_or_style!r}, in the Ledger or its archive; "
                         "check the serial or style code")
    return in_event_order(mine)[list(COLUMNS)].rename(columns=COLUMNS)
