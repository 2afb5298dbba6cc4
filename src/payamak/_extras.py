"""Optional parts of payamak and the extra that installs each.

The core (``payamak_gen`` and ``payamak``'s own modules) needs only the runtime dependencies.
The sandbox, the demo, the pytest plugin and the command line need more; importing them without
it must say which extra to install, in one line, instead of failing deep inside with a bare
``ModuleNotFoundError``.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable

__all__ = ["MissingExtraError", "require_extra"]

# Top-level modules each extra provides (pyproject.toml's [project.optional-dependencies]).
EXTRA_MODULES: dict[str, tuple[str, ...]] = {
    "cli": ("click", "rich"),
    "sandbox": ("starlette", "uvicorn", "jsonschema", "yaml"),
    "testing": ("starlette", "uvicorn", "jsonschema", "yaml", "pytest"),
}


class MissingExtraError(ImportError):
    """An optional part of payamak was imported without the extra that provides it."""


def _missing(modules: Iterable[str]) -> list[str]:
    return [module for module in modules if importlib.util.find_spec(module) is None]


def require_extra(part: str, extra: str, *, command: bool = False) -> None:
    """Fail unless the modules of ``extra`` are importable.

    Args:
        part: What needs them, as the user named it (``payamak.sandbox``).
        extra: The extra of pyproject.toml that installs them.
        command: True when ``part`` is being run as a command (``python -m``): then the failure
            is one line on stderr and exit status 1 (``SystemExit``), not a traceback.

    Raises:
        MissingExtraError: Something is missing and ``part`` was imported as a library.
        SystemExit: Something is missing and ``part`` is being run as a command.
    """
    missing = _missing(EXTRA_MODULES[extra])
    if not missing:
        return
    message = (
        f"{part} needs the {extra!r} extra: pip install 'payamak[{extra}]' "
        f"(not installed: {', '.join(missing)})"
    )
    if command:
        raise SystemExit(message)
    raise MissingExtraError(message)


def running_as_module() -> bool:
    """Whether ``python -m`` is locating a module right now.

    While ``python -m`` imports the packages on the way to the module it runs, ``sys.argv[0]``
    is ``"-m"`` (documented in the -m option of the Python command line); a package's
    ``__init__`` can use this to tell a command from a library import.
    """
    return sys.argv[:1] == ["-m"]
