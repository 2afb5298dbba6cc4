"""Credentials marked in the specs stay out of the reprs of the generated dataclasses.

A spec marks an element that carries a credential with ``urn:payamak:secret`` appinfo
(``codegen/readers/xsd.py``). Here every dataclass field xsdata generated from such an element
gets ``repr=False``, so printing or logging a request document never shows the password.
"""

from __future__ import annotations

import re
from pathlib import Path

from xsdata.utils.text import snake_case


def hide_secret_fields(package: Path, names: set[str], source_label: str) -> None:
    """Add ``repr=False`` to every generated field of a secret element in ``package``.

    xsdata names fields by snake-casing the element name and declares each as
    ``name: type = field(``, which is what is matched. A marked element whose field is not
    found stops generation, so a change in xsdata's output cannot silently drop the protection.
    """
    modules = sorted(package.glob("*.py"))
    for name in sorted(names):
        declaration = re.compile(rf"^(    {re.escape(snake_case(name))}: [^\n]*= field\()$", re.M)
        found = 0
        for module in modules:
            text, count = declaration.subn(r"\1repr=False, ", module.read_text(encoding="utf-8"))
            if count:
                module.write_text(text, encoding="utf-8")
                found += count
        if not found:
            raise SystemExit(
                f"{source_label}: element {name!r} is marked secret, "
                f"but no generated field {snake_case(name)!r} was found in {package.name}/"
            )
