"""The adapter registry: one adapter per provider id, each imported only when first used, so a
program that talks to one provider does not load the other providers' generated packages."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from payamak._adapters import ADAPTERS

# Every provider package the codegen config lists (codegen/providers.yaml), independently of
# the registry under test.
PROVIDERS = ("advanced_ws", "ippanel_classic", "payamak_panel", "trez_rest", "trez_xml")

_LOADED = """
import json, sys
{code}
print(json.dumps(sorted(
    name.split(".")[1] for name in sys.modules
    if name.startswith("payamak_gen.") and name.split(".")[1] in {providers!r}
)))
"""


def _providers_loaded_after(code: str) -> list[str]:
    """The provider packages a fresh interpreter has imported after running ``code``."""
    script = _LOADED.format(code=code, providers=set(PROVIDERS))
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    loaded: list[str] = sorted(set(json.loads(run.stdout)))
    return loaded


def test_every_provider_is_registered_under_its_own_id() -> None:
    assert sorted(ADAPTERS) == list(PROVIDERS)
    assert len(ADAPTERS) == len(PROVIDERS)
    for provider in PROVIDERS:
        assert ADAPTERS[provider].id == provider
        assert ADAPTERS[provider] is ADAPTERS[provider]


def test_an_unknown_provider_is_no_key() -> None:
    assert "nope" not in ADAPTERS
    assert ADAPTERS.get("nope") is None
    with pytest.raises(KeyError, match="nope"):
        ADAPTERS["nope"]


def test_threads_asking_at_once_get_the_same_adapter() -> None:
    with ThreadPoolExecutor(8) as pool:
        adapters = list(pool.map(lambda _: ADAPTERS["trez_xml"], range(32)))

    assert all(adapter is adapters[0] for adapter in adapters)


def test_importing_payamak_loads_no_provider_package() -> None:
    assert _providers_loaded_after("import payamak") == []


def test_a_client_loads_its_own_provider_package_only() -> None:
    code = (
        "import payamak\n"
        "payamak.Client('trez_rest', username='u', password='p', base_url='http://127.0.0.1:9')"
    )
    assert _providers_loaded_after(code) == ["trez_rest"]
