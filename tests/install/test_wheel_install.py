"""Loupe as a shop installs it: the built wheel in a clean venv, no dev extras, no checkout.

The wheel is built from a copy of the checkout, installed into a fresh venv with only its
declared dependencies, and the `loupe` of that venv runs the whole loop from a folder
outside the checkout, so nothing can be imported from the source tree by accident.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.sheets import schema
from tests.macros.shopbook import STYLES, read_rows, type_rows

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = "addin/template/workbook_template.xlsm"
LEFT_OUT = (".venv", ".git", "build", "dist", "__pycache__", "*.egg-info", ".pytest_cache",
            ".hypothesis", ".mypy_cache", ".ruff_cache", "demo*.xlsm", "out")

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["LOUPE_NOW"] = "2026-03-31T18:00"
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    if check and done.returncode != 0:
        pytest.fail(f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `pip wheel` builds from (a copy of) this checkout."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*LEFT_OUT))
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps",
          "-q", "-w", str(work / "dist"), str(source)], cwd=work)
    (built,) = (work / "dist").glob("loupe_inventory-*.whl")
    return built


@pytest.fixture(scope="module")
def clean_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the wheel and its declared dependencies only; its bin folder."""
    home = tmp_path_factory.mktemp("venv") / "shop-venv"
    venv.create(home, with_pip=True, clear=True)
    bin_dir = home / ("Scripts" if os.name == "nt" else "bin")
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], cwd=home.parent)
    return bin_dir


@pytest.fixture()
def shop_dir(tmp_path: Path) -> Path:
    """A folder outside the checkout, where a shop keeps its book."""
    assert not tmp_path.is_relative_to(ROOT)
    return tmp_path


def test_the_wheel_ships_the_template_as_built(wheel):
    with zipfile.ZipFile(wheel) as package:
        assert SHIPPED in package.namelist()
        assert package.read(SHIPPED) == (ROOT / "workbook_template.xlsm").read_bytes()


def test_the_clean_venv_has_no_build_or_dev_tools(clean_venv, shop_dir):
    for module in ("ms_ovba", "oletools", "pytest", "addin.template.build"):
        probe = ("import importlib.util, sys; "
                 f"sys.exit(importlib.util.find_spec({module!r}) is None)")
        found = _run([str(clean_venv / "python"), "-c", probe], cwd=shop_dir, check=False)
        expected_found = module == "addin.template.build"  # the code ships; its tools do not
        assert (found.returncode == 0) == expected_found, module


def test_new_post_refresh_verify_from_the_installed_loupe(clean_venv, shop_dir):
    loupe = str(clean_venv / "loupe")
    made = _run([loupe, "new", "shop.xlsm"], cwd=shop_dir)
    assert "New book" in made.stdout
    book = shop_dir / "shop.xlsm"
    assert book.read_bytes() == (ROOT / "workbook_template.xlsm").read_bytes()

    type_rows(book, schema.STYLES, STYLES)
    type_rows(book, schema.RECEIVING, [
        [dt.datetime(2026, 3, 2), "INV-1", "Northstar", "CH-301", 10, 12.5, None, "Main Case",
         "Owned"],
    ])
    _run([loupe, "post", "receipts", "shop.xlsm"], cwd=shop_dir)
    (row,) = read_rows(book, schema.RECEIVING)
    assert row["Status"] == "Posted"
    assert row["Ledger Ref"]

    _run([loupe, "refresh", "shop.xlsm", "--as-of", "2026-03-31"], cwd=shop_dir)
    report = openpyxl.load_workbook(book, read_only=True)["Cost Layers"]
    cells = [v for row in report.iter_rows(values_only=True) for v in row]
    assert "CH-301" in cells and 125 in cells  # the one layer: 10 at 12.50
    verified = _run([loupe, "verify", "shop.xlsm"], cwd=shop_dir)
    assert "Traceback" not in verified.stdout + verified.stderr


def test_new_demo_then_refresh_and_verify(clean_venv, shop_dir):
    loupe = str(clean_venv / "loupe")
    made = _run([loupe, "new", "--demo", "demo.xlsm"], cwd=shop_dir)
    assert "Demo shop written" in made.stdout
    _run([loupe, "refresh", "demo.xlsm", "--as-of", "2026-11-20"], cwd=shop_dir)
    _run([loupe, "verify", "demo.xlsm"], cwd=shop_dir)
    ledger = read_rows(shop_dir / "demo.xlsm", schema.LEDGER)
    assert len(ledger) > 100


def test_template_build_without_its_tools_says_what_to_install(clean_venv, shop_dir):
    done = _run([str(clean_venv / "loupe"), "template", "build", "mine.xlsm"], cwd=shop_dir,
                check=False)
    assert done.returncode == 2
    said = " ".join(done.stderr.split())  # as read, whatever the terminal's width
    assert "needs ms-ovba and oletools" in said
    assert "pip install 'loupe-inventory[template]'" in said
    assert "Traceback" not in done.stdout + done.stderr
    assert not (shop_dir / "mine.xlsm").exists()


def test_nothing_was_written_into_the_installation(clean_venv, shop_dir):
    site = next((clean_venv.parent / "lib").glob("python3*/site-packages"))
    books = sorted(str(p.relative_to(site)) for p in (site / "addin").rglob("*.xls*"))
    assert books == [SHIPPED]
