"""Fixtures for the whole suite."""

import pytest


@pytest.fixture(scope="session", autouse=True)
def _ledger_memory(tmp_path_factory):
    """The suite keeps the Ledgers it remembers in a folder of its own, never in the user's
    cache folder (`addin.workbook.files.ledger_memory`)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LOUPE_CACHE_DIR", str(tmp_path_factory.mktemp("ledger-memory")))
        yield
