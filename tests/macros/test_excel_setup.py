"""`loupe excel setup` on a saved book, and `loupe excel import-vba` through the stand-in."""

from __future__ import annotations

import importlib.metadata

import openpyxl
import pytest

from addin import excel_setup
from addin.template import vba_sources
from addin.template.xlwings_conf import RUNTIME_KEY, embedded_xlwings_version
from tests.macros.conftest import loupe
from tests.workbook.live.fake_xlwings import ExcelBook

WIN_PYTHON = r"C:\Users\ann\loupe\.venv\Scripts\python.exe"


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "shop.xlsm"
    assert loupe("new", path).exit_code == 0
    return path


def as_xlwings_reads(path) -> dict:
    """Keys in A from A1 down to the first blank, values in B, as xlwings' VBA reads them."""
    ws = openpyxl.load_workbook(path, keep_vba=True)["xlwings.conf"]
    conf = {}
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value in (None, ""):
            break
        conf[ws.cell(r, 1).value] = ws.cell(r, 2).value
    return conf


def said(result) -> str:
    return " ".join(result.output.split())


def test_setup_writes_this_pythons_path_and_checks_xlwings(book):
    result = loupe("excel", "setup", book, "--for", "windows", "--python", WIN_PYTHON)
    assert result.exit_code == 0, result.output
    assert as_xlwings_reads(book) == {"Interpreter_Win": WIN_PYTHON,
                                      "UDF Modules": "addin.udfs.functions",
                                      "Use UDF Server": False}
    text = said(result)
    assert f"xlwings.conf: Interpreter_Win = {WIN_PYTHON}" in text
    assert f"xlwings {embedded_xlwings_version()} is installed, the same version" in text
    assert "xlwings runpython install" not in text  # that is for a Mac


def test_setup_on_a_mac_says_to_install_runpython(book):
    mac_python = "/Users/ann/.venv/bin/python"
    result = loupe("excel", "setup", book, "--for", "mac", "--python", mac_python)
    assert result.exit_code == 0
    assert as_xlwings_reads(book)["Interpreter_Mac"] == mac_python
    assert "On this Mac, run once in Terminal: xlwings runpython install" in said(result)


def test_blank_keys_that_would_hide_the_users_conf_file_are_taken_out(book):
    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb["xlwings.conf"]  # the layout of an older book: blank keys in the read part
    ws.insert_rows(1, 3)
    for r, key in enumerate(("Interpreter_Win", "PYTHONPATH", "Conda Env"), start=1):
        ws.cell(r, 1).value = key
    wb.save(book)
    result = loupe("excel", "setup", book, "--for", "mac", "--python", "/usr/local/bin/python3")
    assert result.exit_code == 0, result.output
    conf = as_xlwings_reads(book)
    assert conf == {"Interpreter_Mac": "/usr/local/bin/python3",
                    "UDF Modules": "addin.udfs.functions", "Use UDF Server": False}
    assert "took out blank key(s) Interpreter_Win, PYTHONPATH, Conda Env" in said(result)


def test_setup_twice_gives_the_same_sheet(book):
    args = ("excel", "setup", book, "--for", "windows", "--python", WIN_PYTHON)
    assert loupe(*args).exit_code == 0
    once = [r for r in openpyxl.load_workbook(book)["xlwings.conf"].iter_rows(values_only=True)]
    assert loupe(*args).exit_code == 0
    twice = [r for r in openpyxl.load_workbook(book)["xlwings.conf"].iter_rows(values_only=True)]
    assert once == twice
    assert (RUNTIME_KEY, embedded_xlwings_version(), None) in twice


def test_a_different_installed_xlwings_is_named_with_the_fix(book, monkeypatch):
    real = importlib.metadata.version
    monkeypatch.setattr(excel_setup.importlib.metadata, "version",
                        lambda name: "0.30.1" if name == "xlwings" else real(name))
    result = loupe("excel", "setup", book, "--for", "windows", "--python", WIN_PYTHON)
    assert result.exit_code == 1
    text = said(result)
    assert f"the installed xlwings is 0.30.1, but the book's VBA is the xlwings " \
           f"{embedded_xlwings_version()} runtime" in text
    assert f"pip install xlwings=={embedded_xlwings_version()}" in text


def test_setup_off_windows_and_macos_needs_to_be_told_which(book, monkeypatch):
    monkeypatch.setattr(excel_setup.sys, "platform", "linux")
    result = loupe("excel", "setup", book)
    assert result.exit_code == 2
    assert "run `loupe excel setup` on the computer that runs Excel" in said(result)
    assert "Traceback" not in result.output


# --- the VBA-import fallback, through the xlwings stand-in -------------------------------------


def test_excel_itself_imports_loupes_modules_replacing_the_old_ones(book):
    excel = ExcelBook.open_with(book, modules=["ThisWorkbook", "shSettings", "xlwings", "Loupe"])
    outcome = excel_setup.import_vba(book, open_book=lambda path: excel)
    parts = excel.components
    assert parts.removed == ["xlwings", "Loupe"]  # each old copy goes before its import
    assert [(n, k) for n, k, _ in parts.imported] == [
        ("xlwings", "module"), ("Dictionary", "class"), ("Loupe", "module")]
    for name, _, data in parts.imported:
        source = vba_sources.source_module(f"{name}.{'cls' if name == 'Dictionary' else 'bas'}")
        text = data.decode("cp1252")
        assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # as Windows writes it
        body = text.split("END\r\n", 1)[1] if name == "Dictionary" else text
        wanted = [ln for ln in source.code.splitlines() if not ln.startswith("Attribute VB_Base")]
        assert body.splitlines() == wanted
    assert [c.Name for c in parts.items] == ["ThisWorkbook", "shSettings", "xlwings",
                                             "Dictionary", "Loupe"]
    assert (excel.saved, excel.closed) == (1, 1)
    assert outcome.summary.startswith(f"Excel imported 3 VBA modules into {book.name}")


def test_without_trusted_access_to_the_vba_project_it_says_where_to_tick(book, monkeypatch):
    excel = ExcelBook.open_with(book, trusted=False)
    monkeypatch.setattr(excel_setup, "_open_in_excel", lambda path: excel)
    result = loupe("excel", "import-vba", book)
    assert result.exit_code == 2
    text = said(result)
    assert "Trust access to the VBA project object model" in text
    assert "File > Options > Trust Center > Trust Center Settings > Macro Settings" in text
    assert excel.closed == 1 and excel.saved == 0
