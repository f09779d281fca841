"""LibreOffice for the template tests: the shared runner, skipping when it is not installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workbook import libreoffice


def convert(book_path: Path, to: str, outdir: Path) -> Path:
    """Convert with the shared runner (fresh profile, always recalculating); skip without it."""
    if libreoffice.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed; `make system-deps` installs it")
    return libreoffice.convert(book_path, to, outdir)
