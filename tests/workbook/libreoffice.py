"""LibreOffice Calc headless for tests and pictures, in a fresh profile that always
recalculates formulas on load (so a stale cached value in a file is never trusted)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def fresh_profile(folder: Path) -> Path:
    """A LibreOffice user profile whose only setting is: recalculate on load, always."""
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    return folder


def convert(book: Path, to: str, outdir: Path) -> Path:
    """`book` converted by LibreOffice Calc to `to` (xlsx, ods, pdf) in `outdir`."""
    program = soffice()
    if program is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as tmp:
        profile = fresh_profile(Path(tmp))
        subprocess.run(
            [
                program,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                to,
                "--outdir",
                str(outdir),
                str(book),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    ext = to.split(":")[0]
    out = outdir / f"{book.stem}.{ext}"
    made = [out] if out.exists() else sorted(outdir.glob(f"{book.stem}-*.{ext}"))
    if not made:  # (a CSV export of every sheet names its files <stem>-<sheet>.csv)
        raise FileNotFoundError(f"LibreOffice made no {out.name} from {book.name}")
    return made[0]
