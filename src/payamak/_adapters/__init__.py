"""The registry of provider adapters: a provider joins the facade by one entry here."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator, Mapping
from typing import Final

from ._base import Adapter

__all__ = ["ADAPTERS", "Adapter"]

# Provider id -> the module of this package that holds its adapter, and the adapter's class.
_ENTRIES: Final = {
    "advanced_ws": ("advanced_ws", "AdvancedWs"),
    "ippanel_classic": ("ippanel_classic", "IppanelClassic"),
    "payamak_panel": ("payamak_panel", "PayamakPanel"),
    "trez_rest": ("trez_rest", "TrezRest"),
    "trez_xml": ("trez_xml", "TrezXml"),
}


class _Registry(Mapping[str, Adapter]):
    """Adapter per provider id, each imported when it is first looked up.

    An adapter imports its provider's generated package (models, codecs, envelopes); importing
    all five was more than half of ``import payamak``, paid by every program and every run of
    the command line, whichever provider it uses.
    """

    def __init__(self) -> None:
        self._adapters: dict[str, Adapter] = {}
        self._lock = threading.Lock()

    def __getitem__(self, provider: str) -> Adapter:
        entry = _ENTRIES.get(provider)
        if entry is None:
            raise KeyError(provider)
        with self._lock:  # one adapter per provider, whichever thread asks first
            adapter = self._adapters.get(provider)
            if adapter is None:
                module, class_name = entry
                found = getattr(importlib.import_module(f".{module}", __name__), class_name)
                adapter = self._adapters[provider] = found()
        return adapter

    def __iter__(self) -> Iterator[str]:
        return iter(_ENTRIES)

    def __len__(self) -> int:
        return len(_ENTRIES)


ADAPTERS: Final[Mapping[str, Adapter]] = _Registry()
"""Adapter per provider id."""
