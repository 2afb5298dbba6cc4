"""The registry of provider adapters: a provider joins the facade by one entry here."""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from ._base import Adapter
from .advanced_ws import AdvancedWs
from .ippanel_classic import IppanelClassic
from .payamak_panel import PayamakPanel
from .trez_rest import TrezRest
from .trez_xml import TrezXml

__all__ = ["ADAPTERS", "Adapter"]

ADAPTERS: Final[MappingProxyType[str, Adapter]] = MappingProxyType(
    {
        adapter.id: adapter
        for adapter in (AdvancedWs(), IppanelClassic(), PayamakPanel(), TrezRest(), TrezXml())
    }
)
"""Adapter per provider id."""
