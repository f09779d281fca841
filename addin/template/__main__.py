"""``python -m addin.template [PATH]``: rebuild the workbook template (and vba/Loupe.bas).

Loupe.bas is rewritten from the ribbon's button list first, so a new button needs only a
line in ribbon.py and a macro in addin/macros/buttons.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from addin.template.build import build_template
from addin.template.vba_sources import LOUPE_MODULE, VBA_DIR, loupe_module


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else None
    loupe_bas = VBA_DIR / f"{LOUPE_MODULE}.bas"
    loupe_bas.write_text(loupe_module(), encoding="utf-8", newline="\n")
    print(f"wrote {loupe_bas}")
    for built in build_template(target):
        print(f"built {built}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
