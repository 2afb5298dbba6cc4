"""One fresh generation of the real specs per test session, shared by every generator test.

Generating runs datamodel-code-generator, xsdata and ruff; doing it once (in-process, into a
temporary folder) instead of once per test keeps the generator tests to a few seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from codegen.__main__ import PACKAGE, generate
from codegen._config import load_providers
from codegen.ir import Provider


@dataclass(frozen=True)
class Generation:
    """A freshly generated ``payamak_gen`` tree and the IR it was rendered from."""

    tree: Path
    providers: dict[str, Provider]


def generate_into(folder: Path) -> Generation:
    """Generate every provider of codegen/providers.yaml into ``folder/payamak_gen``."""
    files = load_providers()
    tree = folder / PACKAGE
    providers = generate(tree, files, {f.id for f in files})
    return Generation(tree=tree, providers=providers)


@pytest.fixture(scope="session")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Generation:
    """The real specs, generated once for the session."""
    return generate_into(tmp_path_factory.mktemp("fresh"))
