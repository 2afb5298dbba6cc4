"""Reading the YAML specs and configs: one loader for the whole generator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# libyaml's safe loader builds the same data as the pure-Python one about ten times faster; the
# specs are read on every generation, so it is the bulk of the generator's own time. PyYAML's
# wheels ship libyaml, and a build without it still loads the same documents, only slower.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    """The document in ``path`` (UTF-8), with YAML's safe types only."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
