"""Run LibreOffice headless from tests: convert a workbook, skip when it is not installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(book_path: Path, to: str, outdir: Path) -> None:
    """LibreOffice headless conversion, in its own profile so parallel runs do not clash."""
    program = soffice()
    if program is None:
        pytest.skip("LibreOffice (soffice) is not installed; `make system-deps` installs it")
    profile = (outdir / "lo-profile").as_uri()
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            str(book_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
