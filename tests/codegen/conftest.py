"""One fresh generation of the real specs per test session, shared by every generator test.

Generating runs datamodel-code-generator, xsdata and ruff; doing it once (in-process, into a
temporary folder) instead of once per test keeps the generator tests to a few seconds.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from codegen.__main__ import PACKAGE, ROOT, generate
from codegen._config import ProviderFiles, load_providers
from codegen._output import format_tree
from codegen._templates import environment
from codegen.ir import Provider
from codegen.pipeline import build_provider
from codegen.render import render_provider


@dataclass(frozen=True)
class Generation:
    """A freshly generated ``payamak_gen`` tree and the IR it was rendered from."""

    tree: Path
    providers: dict[str, Provider]


def generate_into(folder: Path, only: set[str] | None = None) -> Generation:
    """Generate the providers of codegen/providers.yaml (every one, or ``only`` those) into
    ``folder/payamak_gen``; the shared runtime, package index and lock file come either way."""
    files = load_providers()
    tree = folder / PACKAGE
    providers = generate(tree, files, {f.id for f in files} if only is None else only)
    return Generation(tree=tree, providers=providers)


@pytest.fixture(scope="session")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Generation:
    """The real specs, generated once for the session."""
    return generate_into(tmp_path_factory.mktemp("fresh"))


def generate_fixture(folder: Path, provider_id: str, *sources: str) -> None:
    """Generate one fixture provider (spec files relative to the repository root) into
    ``folder/<provider_id>``, formatted as ``make generate`` formats, ready to import with
    ``folder`` on ``sys.path``."""
    files = ProviderFiles(id=provider_id, sources=sources)
    package_dir = folder / provider_id
    provider = build_provider(ROOT, files, package_dir, package=provider_id)
    render_provider(environment(), provider, package_dir)
    format_tree(ROOT, package_dir)


def fixture_package(
    factory: pytest.TempPathFactory, provider_id: str, *sources: str
) -> Iterator[types.ModuleType]:
    """Generate a fixture provider and import it for the duration of a (module) fixture."""
    folder = factory.mktemp(provider_id)
    generate_fixture(folder, provider_id, *sources)
    yield from import_fixture(folder, provider_id)


def import_fixture(folder: Path, provider_id: str) -> Iterator[types.ModuleType]:
    """Import a generated fixture package for the duration of a fixture, then forget it."""
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(provider_id)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == provider_id or n.startswith(f"{provider_id}.")]:
            del sys.modules[name]
