"""A small shop with stock on the books, made once per test session and copied per test."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from typer.testing import CliRunner

from addin.cli import app
from addin.sheets import schema
from tests.macros import shopbook
from tests.macros.shopbook import day

NOW = "2026-03-01T17:00:00"  # LOUPE_NOW: the `loupe` command reads it
PRESSED = dt.datetime.fromisoformat(NOW)  # what a test hands to a press it calls itself
LOST = {"tried": 0, "lost": 0, "tracebacks": 0}


def loupe(*args: str):
    """Run the `loupe` command in-process, as a user would from a shell; a Python exception
    escaping it is counted as a traceback a user would have seen, and fails the test."""
    # a wide terminal, so that printed problems are not wrapped mid-sentence
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "240"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        LOST["tracebacks"] += 1
        raise result.exception
    return result


@pytest.fixture(scope="session")
def stocked(tmp_path_factory):
    """Two rings, a pendant, 10 chains and 20 studs received; one ring sold."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LOUPE_NOW", NOW)
        return _stock(tmp_path_factory.mktemp("stocked"))


def _stock(tmp):
    path = shopbook.new_book(tmp)
    shopbook.type_rows(path, schema.RECEIVING, [
        [day("2026-01-10"), "PO-1", "Aurum", "RG-101", 1, 800.0, None, "Main Case", "Owned"],
        [day("2026-01-10"), "PO-1", "Aurum", "RG-101", 1, 820.0, None, "Main Case", "Owned"],
        [day("2026-01-10"), "PO-1", "Aurum", "PD-201", 1, 300.0, None, "Vault", "Owned"],
        [day("2026-01-12"), "PO-2", "Northstar", "CH-301", 10, 50.0, None, "Main Case", "Owned"],
        [day("2026-01-12"), "PO-2", "Silverline", "ST-401", 20, 5.0, None, "Main Case", "Owned"],
    ])
    result = loupe("post", "receipts", path)
    assert result.exit_code == 0, result.output
    items = shopbook.read_rows(path, schema.ITEMS)
    rings = sorted(i["Serial"] for i in items if i["Style"] == "RG-101")
    shopbook.type_rows(path, schema.SALES, [
        [day("2026-02-01"), "T-1", rings[0], None, 1, 1999.99, "B. Chen", None, "Sale"],
        [day("2026-02-02"), "T-2", None, "CH-301", 2, 120.0, "C. Okafor", "Main Case", "Sale"],
    ])
    result = loupe("post", "sales", path)
    assert result.exit_code == 0, result.output
    return {"path": path, "sold": rings[0], "in_stock": rings[1],
            "pendant": next(i["Serial"] for i in items if i["Style"] == "PD-201")}


@pytest.fixture
def shop(stocked, tmp_path, monkeypatch):
    monkeypatch.setenv("LOUPE_NOW", NOW)
    path = tmp_path / "shop.xlsm"
    shutil.copyfile(stocked["path"], path)
    return {**stocked, "path": path}


def pytest_terminal_summary(terminalreporter):
    if LOST["tried"]:
        terminalreporter.write_line(
            f"bad inputs tried: {LOST['tried']}, rows lost: {LOST['lost']}, "
            f"tracebacks: {LOST['tracebacks']}")
