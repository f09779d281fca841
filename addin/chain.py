"""A chain of stores: many store books (and their archives) read into one set of reports.

`chain_view(books, as_of)` opens each book read-only, checks its Ledger and archive (a
store whose chain does not verify is refused by name), puts its whole history (archive +
Ledger) into one embedded SQLite database (`ChainStore`) and reports, as of one day:

- valuation by store: units in the store, owned value on its shelves, owned stock
  travelling to another store, out on memo elsewhere, consigned in (core costing per store);
- margin by store, and by store and month (SQL over the Ledgers' Cost of Goods);
- shipments between stores (a Memo Out whose Party is another store of the chain, received
  there by a Receiving row with the same Doc), the ones still in transit first.

Every book must name its store (Settings > Store Name), each a different name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from addin import session
from addin.core import closing
from addin.core.errors import BookError
from addin.core.posting.shop import methods_of
from addin.core.reports.chain import VALUATION_COLUMNS, store_valuation
from addin.macros.closing import with_archive
from addin.macros.refreshing import archived_entries
from addin.workbook.archive.chain_store import ChainStore
from addin.workbook.files import FilesBook


@dataclass(frozen=True)
class Store:
    name: str
    book: Path
    history: pd.DataFrame  # archive + Ledger (the carried entries are left out later)
    methods: dict


@dataclass(frozen=True)
class ChainView:
    as_of: dt.date
    valuation: pd.DataFrame
    margin: pd.DataFrame
    margin_by_month: pd.DataFrame
    shipments: pd.DataFrame


def read_store(path: Path) -> Store:
    """One store book, its Ledger and archive verified, as the chain reads it."""
    with FilesBook.open(path, writing=False) as book:
        settings, problems = session.read_settings(book)
        if problems:
            raise BookError(f"{path.name}: Settings need fixing: {problems[0]}")
        styles, _ = session.read_styles(book)
        result, known = session.check_ledger(book)
        if known is None:
            raise BookError(f"{path.name}: {result.message}")
        lf = known.frame
        archive = with_archive(book, known)
        if archive is not None and not archive.ok:
            raise BookError(f"{path.name}: {archive.message}")
        archived = archived_entries(book, lf)
    history = lf if archived is None else closing.history(archived, lf)
    return Store(settings.store_name, path,
                 history, methods_of(styles, settings.default_cost_method))


def chain_view(books: Sequence[Path], as_of: dt.date, db: Path | None = None) -> ChainView:
    """The chain's reports as of a day (keep the SQLite database at `db` if given)."""
    stores = [read_store(Path(b)) for b in books]
    names = [s.name for s in stores]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise BookError(f"two books are both called {twice[0]!r}: give each store its own "
                        "Store Name on its Settings sheet")
    engine = ChainStore(db)
    try:
        for s in stores:
            engine.add_store(s.name, s.book.name, s.history)
        valuation = pd.DataFrame(
            [store_valuation(s.name, s.history, s.methods, as_of, names) for s in stores],
            columns=list(VALUATION_COLUMNS))
        shipments = engine.shipments(as_of)
        shipments["status"] = shipments["received"].map(
            lambda d: "in transit" if d is None or pd.isna(d) else "received")
        shipments = shipments.sort_values(["status", "sent"], kind="stable").reset_index(
            drop=True)
        return ChainView(as_of, valuation, engine.margin_by_store(as_of),
                         engine.margin_by_month(as_of), shipments)
    finally:
        engine.close()
