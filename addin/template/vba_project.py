"""Pack VBA module texts into ``vbaProject.bin`` with ms-ovba, byte-for-byte reproducibly.

ms-ovba (pure Python, MS-OVBA) models the project: modules, references, the PROJECT and
dir streams, and writes the OLE container. Three things around it are ours:

* ms-ovba writes its work files into the current directory, so it runs in a scratch one;
* it draws the obfuscation seeds of the PROJECT stream (CMG/DPB/GC) from `random`, so the
  build seeds it (and puts the caller's random state back) to get the same bytes each time;
* ms-ovba-compression 1.0.1 computes a copy token's maximum length as
  ``0xFFFF << bitCount + 3`` where MS-OVBA 2.4.1.3.19.3 says ``(0xFFFF >> bitCount) + 3``,
  so a long repeat (a run of spaces, a repeated comment line) is encoded with a length
  that overflows into the offset bits and the module text comes back garbled. The build
  swaps in the specified formula while it packs.

After packing, every module is decompressed with oletools (an independent reader) and
compared with its source; a difference stops the build.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import random
import tempfile
import uuid
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

from addin.core.errors import BuildError
from addin.template.vba_sources import ModuleKind, VbaModule

PROJECT_ID = "{6C0F5A3E-2B7D-4E61-9A8C-4C6F75706531}"  # fixed, so builds are identical
SEED = 20240611
CODEPAGE = "cp1252"

# Type libraries every Excel VBA project references; Office declares IRibbonControl.
REFERENCES = (
    (
        "stdole",
        "00020430-0000-0000-C000-000000000046",
        "2.0",
        r"C:\Windows\System32\stdole2.tlb",
        "OLE Automation",
    ),
    (
        "Office",
        "2DF8D04C-5BFA-101B-BDE5-00AA0044DE52",
        "2.0",
        r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL",
        "Microsoft Office 16.0 Object Library",
    ),
)


BUILD_TOOLS = {"ms_ovba": "ms-ovba", "ms_ovba_compression": "ms-ovba", "oletools": "oletools"}
BUILD_EXTRA = "pip install 'loupe-inventory[template]'"


class VbaBuildError(BuildError):
    """vbaProject.bin could not be made, or did not read back as its sources."""


def require_build_tools() -> None:
    """Refuse, naming the install command, unless the packages that write VBA are importable.

    They are needed only to build the template; an installed Loupe copies the template it
    ships and never builds one, so a plain `pip install` leaves them out.
    """
    missing = sorted({pip for name, pip in BUILD_TOOLS.items()
                      if importlib.util.find_spec(name) is None})
    if missing:
        raise VbaBuildError(
            f"building the template needs {' and '.join(missing)}, which a plain install of "
            f"Loupe leaves out; install them with `{BUILD_EXTRA}` (in a source checkout, "
            "`make test` sets them up in .venv). `loupe new` does not need them."
        )


def build_vba_project(modules: Sequence[VbaModule]) -> bytes:
    """The bytes of a vbaProject.bin holding `modules`, checked by reading them back."""
    require_build_tools()
    from ms_ovba.Views.project_ole_file import ProjectOleFile

    with tempfile.TemporaryDirectory(prefix="loupe-vba-") as scratch:
        with contextlib.chdir(scratch), _seeded_random(), _specified_copy_token_length():
            project = _project(modules, Path(scratch))
            ProjectOleFile.write_file(project)
            data = Path(scratch, "vbaProject.bin").read_bytes()
    check_read_back(data, modules)
    return data


def _project(modules: Sequence[VbaModule], scratch: Path):
    from ms_ovba.Models.Entities.reference import Reference
    from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
    from ms_ovba.Models.Fields.libid_reference import LibidReference
    from ms_ovba.vbaProject import VbaProject

    project = VbaProject()
    project.project_id = PROJECT_ID
    project.include_projectwm()
    for module in modules:
        project.add_module(_ovba_module(module, scratch))
    for name, guid, version, path, description in REFERENCES:
        libid = LibidReference(uuid.UUID(guid), version, "0", path, description)
        project.add_reference(Reference(ReferenceRegistered(libid), name))
    return project


def _ovba_module(module: VbaModule, scratch: Path):
    """An ms-ovba module whose source stream is `module.code` (CRLF, code page 1252)."""
    from ms_ovba.Models.Entities.doc_module import DocModule
    from ms_ovba.Models.Entities.module_base import ModuleBase
    from ms_ovba.Models.Entities.std_module import StdModule

    class ClassModule(ModuleBase):
        """A class module: MODULETYPE 0x0022 (as documents) but listed as Class= in PROJECT."""

        def __init__(self, name: str) -> None:
            super().__init__(name)
            self.type = "Document"  # ms-ovba writes 0x0022 for this type

        def to_project_module_string(self) -> str:
            return f"Class={self.name}"

    made = {
        ModuleKind.STANDARD: StdModule,
        ModuleKind.CLASS: ClassModule,
        ModuleKind.DOCUMENT: DocModule,
    }[module.kind](module.name)
    source = scratch / module.name
    # ms-ovba compresses "<path>.new" into "<path>.bin"; we write .new ourselves so the text
    # is exactly ours (its normalize_file() reads with the locale's encoding).
    Path(f"{source}.new").write_bytes(_stream_text(module.code))
    made.add_file(str(source))
    return made


def _stream_text(code: str) -> bytes:
    return code.replace("\r\n", "\n").replace("\n", "\r\n").encode(CODEPAGE)


@contextlib.contextmanager
def _seeded_random() -> Iterator[None]:
    state = random.getstate()
    random.seed(SEED)
    try:
        yield
    finally:
        random.setstate(state)


@contextlib.contextmanager
def _specified_copy_token_length() -> Iterator[None]:
    from ms_ovba_compression.ms_ovba import MsOvba

    shipped = MsOvba.__dict__["copytoken_help"]

    def copytoken_help(difference: int) -> dict:
        token = shipped.__func__(difference)
        token["maxLength"] = (0xFFFF >> token["bitCount"]) + 3  # MS-OVBA 2.4.1.3.19.3
        return token

    MsOvba.copytoken_help = staticmethod(copytoken_help)
    try:
        yield
    finally:
        MsOvba.copytoken_help = shipped


def olevba():
    """oletools' olevba module, imported without its pyparsing deprecation noise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools import olevba as module
    return module


def read_back(data: bytes) -> dict[str, str]:
    """module name -> source text (LF line ends) of a vbaProject.bin, read by oletools."""
    parser = olevba().VBA_Parser("vbaProject.bin", data=data)
    try:
        return {
            stream.split("/")[-1]: code.replace("\r\n", "\n")
            for _, stream, _, code in parser.extract_all_macros()
        }
    finally:
        parser.close()


def check_read_back(data: bytes, modules: Sequence[VbaModule]) -> None:
    """Raise VbaBuildError unless every module reads back exactly as its source."""
    found = read_back(data)
    for module in modules:
        want = module.code.replace("\r\n", "\n")
        got = found.get(module.name)
        if got is None:
            raise VbaBuildError(f"vbaProject.bin lost module {module.name}")
        if got.rstrip("\n") != want.rstrip("\n"):
            at = len(os.path.commonprefix([got, want]))
            raise VbaBuildError(
                f"module {module.name} reads back different from its source at character "
                f"{at}: {got[at : at + 40]!r} instead of {want[at : at + 40]!r}"
            )
