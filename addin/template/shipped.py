"""Where the workbook template lives: inside the installed package, and in a source checkout.

An installed Loupe (a wheel, `pip install .`) carries the template as package data, so
`loupe new` only copies it; nothing is built, and nothing is written into the installation.
A source checkout keeps a second copy at its top level, for people who open the template
by hand. `loupe template build` writes both from one build, so they are the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from addin.core.errors import BookError

TEMPLATE_NAME = "workbook_template.xlsm"
PACKAGED = Path(__file__).resolve().with_name(TEMPLATE_NAME)
_CHECKOUT_ROOT = Path(__file__).resolve().parents[2]
CHECKOUT = _CHECKOUT_ROOT / TEMPLATE_NAME


class TemplateMissing(BookError):
    """This installation of Loupe has no workbook template to copy."""


def in_source_checkout() -> bool:
    """True when Loupe runs from a source checkout (editable install or the repo itself)."""
    return (_CHECKOUT_ROOT / "pyproject.toml").exists() and (_CHECKOUT_ROOT / "addin").is_dir()


def shipped_template() -> Path:
    """The template `loupe new` copies; a clear refusal if the installation lacks it."""
    if PACKAGED.exists():
        return PACKAGED
    raise TemplateMissing(
        f"this Loupe installation has no workbook template ({PACKAGED} is missing); "
        "reinstall it with `pip install --force-reinstall loupe-inventory`, or in a source "
        "checkout run `loupe template build`"
    )


def checkout_copies() -> tuple[Path, Path]:
    """The two files a build in a source checkout writes: the packaged one and the top-level one."""
    return PACKAGED, CHECKOUT
