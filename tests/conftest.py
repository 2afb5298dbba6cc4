"""The whole suite uses the sandbox fixtures users get from the payamak.testing plugin."""

import os

import pytest

pytest_plugins = ["payamak.testing"]


def pytest_configure(config: pytest.Config) -> None:
    # Every test talks to 127.0.0.1 only; a proxy set in the environment must never carry that
    # traffic (and the credentials in it) elsewhere.
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost,::1"
