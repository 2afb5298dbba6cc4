"""Fixtures of the contract suites: every test runs once per provider, sync and async."""

from __future__ import annotations

import pytest

from tests.contract.providers import PROVIDERS, ProviderContract


@pytest.fixture(params=PROVIDERS, ids=lambda provider: provider.id)
def provider(request: pytest.FixtureRequest) -> ProviderContract:
    contract: ProviderContract = request.param
    return contract
