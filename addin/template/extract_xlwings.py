"""Copy the xlwings VBA runtime out of the installed xlwings, as text, into ``vba/``.

The template embeds the xlwings runtime (RunPython, the UDF importer) so that the workbook
works without the xlwings add-in ("standalone"). xlwings ships that runtime inside
``quickstart_standalone.xlsm``; this reads its VBA project with oletools and writes the
modules Loupe keeps as plain text, with the attribute lines the VBA project needs.

Run it once per xlwings upgrade (``python -m addin.template.extract_xlwings``), then
rebuild the template; a test fails while the committed text differs from the installed
xlwings.
"""

from __future__ import annotations

from pathlib import Path

from addin.template.vba_sources import VBA_DIR

# Module name in the quickstart project -> file in vba/. Module1 (a sample) and the empty
# sheet modules are not kept: the template makes its own document modules.
RUNTIME_MODULES = {"xlwings": "xlwings.bas", "Dictionary": "Dictionary.cls"}


def quickstart_path() -> Path:
    """The quickstart_standalone.xlsm of the installed xlwings."""
    import xlwings

    return Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"


def runtime_sources(workbook: Path | None = None) -> dict[str, str]:
    """file name -> module text (LF line ends) of the xlwings runtime in `workbook`."""
    from addin.template.vba_project import olevba

    parser = olevba().VBA_Parser(str(workbook or quickstart_path()))
    try:
        found = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_all_macros()}
    finally:
        parser.close()
    missing = sorted(set(RUNTIME_MODULES) - set(found))
    if missing:
        raise LookupError(f"{workbook or quickstart_path()} has no VBA module {missing}")
    return {RUNTIME_MODULES[name]: _lf(found[name]) for name in RUNTIME_MODULES}


def _lf(code: str) -> str:
    text = code.replace("\r\n", "\n").replace("\r", "\n")
    return text.rstrip("\n") + "\n"


def main() -> None:
    for name, text in runtime_sources().items():
        (VBA_DIR / name).write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {VBA_DIR / name}")


if __name__ == "__main__":
    main()
