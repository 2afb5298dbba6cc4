"""Finding and reading the spec files the sandbox validates against.

The sandbox checks requests against `specs/` itself, never against the generated models, so a
mistake in the generated clients cannot be hidden by the same mistake on the server side.
"""

from __future__ import annotations

import functools
import importlib.resources
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "ErrorCatalog",
    "SpecNotFoundError",
    "load_yaml",
    "parse_yaml",
    "spec_path",
    "specs_root",
]

_ENV_OVERRIDE = "PAYAMAK_SPECS_DIR"


class SpecNotFoundError(FileNotFoundError):
    """A spec file the sandbox needs is not there."""


def specs_root() -> Path:
    """Returns the folder holding `<provider>/…` spec files.

    Looked up in order: the `PAYAMAK_SPECS_DIR` environment variable; the repository's `specs/`
    when running from a source checkout (so edits to the specs take effect without a reinstall);
    the `payamak/_specs` folder an installed wheel carries.

    Raises:
        SpecNotFoundError: If none of these exists.
    """
    override = os.environ.get(_ENV_OVERRIDE)
    if override:
        return Path(override)
    # src/payamak/sandbox/_specs.py -> the repository root is three folders up.
    checkout = Path(__file__).resolve().parents[3] / "specs"
    if checkout.is_dir():
        return checkout
    installed = importlib.resources.files("payamak") / "_specs"
    if installed.is_dir():
        return Path(str(installed))
    raise SpecNotFoundError("no spec folder found (set PAYAMAK_SPECS_DIR)")


def spec_path(provider: str, name: str) -> Path:
    """Returns the path of one provider's spec file.

    Raises:
        SpecNotFoundError: If the file does not exist.
    """
    path = specs_root() / provider / name
    if not path.is_file():
        raise SpecNotFoundError(f"spec file not found: {path}")
    return path


# libyaml's safe loader builds the same data as the pure-Python one about ten times faster;
# reading the specs was half of the sandbox's start-up. PyYAML's wheels ship libyaml, and a build
# without it still loads the same documents, only slower.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """The YAML document ``text``, with YAML's safe types only."""
    return yaml.load(text, Loader=_LOADER)  # a safe loader, C or Python


@functools.cache
def _load(path: Path, mtime_ns: int) -> Any:
    return parse_yaml(path.read_text(encoding="utf-8"))


def load_yaml(provider: str, name: str) -> Any:
    """Parses one provider's YAML spec file (cached until the file changes).

    Raises:
        SpecNotFoundError: If the file does not exist.
    """
    path = spec_path(provider, name)
    return _load(path, path.stat().st_mtime_ns)


class ErrorCatalog:
    """A provider's `errors.yaml`, indexed the ways the sandbox looks codes up.

    Args:
        data: The parsed file (see `specs/errors.schema.json`).

    Attributes:
        texts: Result code -> its text, Persian where the catalog has it (as the gateways send).
        group_codes: Unified group state -> the provider's group status code.
        delivery_codes: Unified delivery state -> the provider's code (the first one listed, when
            several codes share a state).
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        # Integer codes only: a code that is a word (ippanel_classic's "null", a whole answer
        # rather than a code in an envelope) is never sent as a result code.
        self.texts: dict[int, str] = {
            int(c["code"]): str(c.get("fa") or c["en"])
            for c in data.get("result_codes") or ()
            if isinstance(c["code"], int) or str(c["code"]).strip().lstrip("-").isdigit()
        }
        self.group_codes: dict[str, str] = {
            str(c["state"]): str(c["code"]) for c in data.get("group_status_codes") or ()
        }
        self.delivery_codes: dict[str, str] = {}
        for item in data.get("delivery_codes") or ():
            self.delivery_codes.setdefault(str(item["state"]), str(item["code"]))

    @classmethod
    def load(cls, provider: str) -> ErrorCatalog:
        """Reads `specs/<provider>/errors.yaml`.

        Raises:
            SpecNotFoundError: If the file does not exist.
        """
        return cls(load_yaml(provider, "errors.yaml"))
