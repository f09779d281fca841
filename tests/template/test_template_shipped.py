"""The template as an installed Loupe finds it, and `loupe template build` without its tools."""

from __future__ import annotations

import importlib.util

from typer.testing import CliRunner

from addin.cli import app
from addin.template import shipped, vba_project


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def test_template_build_without_ms_ovba_names_the_install_command(tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(vba_project.importlib.util, "find_spec",
                        lambda name, *a: None if name.startswith("ms_ovba") else real(name, *a))
    result = run("template", "build", tmp_path / "mine.xlsm")
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "needs ms-ovba, which a plain install of Loupe leaves out" in said
    assert "pip install 'loupe-inventory[template]'" in said
    assert "Traceback" not in said
    assert not (tmp_path / "mine.xlsm").exists()


def test_new_without_a_shipped_template_says_how_to_mend_it(tmp_path, monkeypatch):
    monkeypatch.setattr(shipped, "PACKAGED", tmp_path / "gone" / "workbook_template.xlsm")
    result = run("new", tmp_path / "shop.xlsm")
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "has no workbook template" in said and "pip install --force-reinstall" in said
    assert not (tmp_path / "shop.xlsm").exists()


def test_new_copies_the_shipped_template_byte_for_byte(tmp_path):
    assert run("new", tmp_path / "shop.xlsm").exit_code == 0
    assert (tmp_path / "shop.xlsm").read_bytes() == shipped.PACKAGED.read_bytes()
