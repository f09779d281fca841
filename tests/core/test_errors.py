"""The exception tree drawn in `addin/core/errors.py` is the tree the code has."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

from addin.core import errors

ROOT = Path(__file__).resolve().parents[2]
INTERNAL = {"NotAZip", "NotASheet", "BadValue", "Cancelled", "TipUnreadable"}  # never reach a user


def exception_classes() -> dict[str, str]:
    """Every exception class defined in addin/: name -> module."""
    found = {}
    for path in (ROOT / "addin").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    getattr(b, "id", "").endswith(("Error", "Exception")) or
                    getattr(b, "id", "") in {"LedgerTampered", "LoupeError"}
                    for b in node.bases):
                module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
                found[node.name] = module.removesuffix(".__init__")
    return found


def drawn_tree() -> dict[str, str]:
    """name -> parent, read off the drawing in the errors docstring (depth = the column the
    name starts at)."""
    parents: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for line in (errors.__doc__ or "").splitlines():
        m = re.match(r"[ │├└─]*([A-Z][A-Za-z]+)  ", line)
        if not m or not line.lstrip(" │├└─").startswith(m.group(1)):
            continue
        depth = m.start(1)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            parents[m.group(1)] = stack[-1][1]
        stack.append((depth, m.group(1)))
    return parents


def test_every_exception_is_in_the_tree_or_named_as_internal():
    found = exception_classes()
    drawn = drawn_tree()
    assert set(found) - INTERNAL == set(drawn) | {"LoupeError"}
    for name, parent in drawn.items():
        cls = getattr(importlib.import_module(found[name]), name)
        assert cls.__mro__[1].__name__ == parent, name


def test_every_class_of_the_tree_is_raised_somewhere():
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "addin").rglob("*.py"))
    subclassed = {"LoupeError", "BuildError"}  # raised as their subclasses
    for name in set(drawn_tree()) - subclassed:
        assert re.search(rf"raise {name}\(", text), f"{name} is never raised"


def test_an_input_error_is_a_value_error_and_a_loupe_error():
    assert issubclass(errors.InputError, ValueError)
    assert issubclass(errors.InputError, errors.LoupeError)


def test_a_status_never_holds_more_than_one_cell():
    from addin.core.errors import Problem

    long = Problem("Sales", 3, "Style", "unknown style '" + "\U0001f48e" * 20_000 + "'", "fix it")
    status = long.status
    # 32,767 units in all: "Error: Style: " (14) + the message cut + "…" (1) + "; fix it" (8)
    assert len(status.encode("utf-16-le")) // 2 == 32_767 - 1  # a gem is never cut in half
    assert status.startswith("Error: Style: unknown style '\U0001f48e")
    assert status.endswith("\u2026; fix it")
    assert Problem("Sales", 3, "Qty", "short", "fix it").status == "Error: Qty: short; fix it"
