"""`python -m addin.demo`: --help says what it does; a name that is not a book is refused."""

from __future__ import annotations

import pytest

from addin import demo


def test_help_says_what_it_makes_and_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as done:
        demo.main(["--help"])
    assert done.value.code == 0
    assert "demo.xlsm in this folder" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_a_name_without_xlsm_is_refused_and_nothing_is_written(tmp_path, capsys):
    assert demo.main([str(tmp_path / "shop")]) == 2
    assert "give a name ending in .xlsm" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
