"""Shared fixtures for the template tests: one fresh build per test session, read many ways."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.template.build import build_template


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A template built from the sources now in the checkout."""
    (path,) = build_template(tmp_path_factory.mktemp("template") / "workbook_template.xlsm")
    return path


@pytest.fixture(scope="session")
def parts(built: Path) -> dict[str, bytes]:
    """Every part of the built package, by name."""
    with zipfile.ZipFile(built) as package:
        return {name: package.read(name) for name in package.namelist()}


@pytest.fixture(scope="session")
def book(built: Path) -> openpyxl.Workbook:
    """The built template as openpyxl reads it."""
    return openpyxl.load_workbook(built, keep_vba=True)


@pytest.fixture(scope="session")
def macros(built: Path) -> dict[str, str]:
    """module name -> VBA source, read back from the built file by oletools' olevba."""
    from addin.template.vba_project import olevba  # the oletools module, imported quietly

    parser = olevba().VBA_Parser(str(built))
    try:
        return {
            stream.split("/")[-1]: code.replace("\r\n", "\n")
            for _, stream, _, code in parser.extract_all_macros()
        }
    finally:
        parser.close()
