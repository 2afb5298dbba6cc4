"""Every public module lists its API in ``__all__``: no missing, stray or duplicate names.

The order of ``__all__`` is enforced by ruff (RUF022) in ``make lint``.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import types

import pytest

import payamak
import payamak_gen


def _public_modules(package: types.ModuleType) -> list[str]:
    names = [package.__name__]
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


MODULES = _public_modules(payamak_gen) + _public_modules(payamak)


@pytest.mark.parametrize("name", MODULES)
def test_all_lists_exactly_the_public_names(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    assert len(exported) == len(set(exported)), f"{name}.__all__ repeats a name"
    for attribute in exported:
        # A package may list sub-modules it does not import eagerly.
        is_submodule = (
            importlib.util.find_spec(f"{name}.{attribute}") is not None
            if hasattr(module, "__path__")
            else False
        )
        assert hasattr(module, attribute) or is_submodule, f"{name}.__all__: no {attribute!r}"
    defined_here = {
        attribute
        for attribute, value in vars(module).items()
        if not attribute.startswith("_")
        and getattr(value, "__module__", None) == name
        and isinstance(value, (type, types.FunctionType))
    }
    assert defined_here <= set(exported), f"{name} does not export {defined_here - set(exported)}"


def test_generated_package_lists_its_providers() -> None:
    assert "trez_rest" in payamak_gen.__all__
    assert "errors" in payamak_gen.__all__
