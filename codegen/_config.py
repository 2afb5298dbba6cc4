"""Reads codegen/providers.yaml: which providers to render, from which spec files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CONFIG_FILE = Path(__file__).with_name("providers.yaml")


@dataclass(frozen=True)
class JsonEnvelopeConfig:
    """Field names of a JSON provider's result envelope."""

    code: str
    message: str
    result: str
    success: int
    auth_failure_fa: str


@dataclass(frozen=True)
class ProviderConfig:
    """One provider entry of providers.yaml; paths are relative to the repository root."""

    id: str
    kind: str
    title: str
    class_prefix: str
    spec: str
    errors: str
    default_base_url: str
    envelope: JsonEnvelopeConfig | None

    @property
    def sources(self) -> tuple[str, ...]:
        """The spec files this provider's output is rendered from."""
        return (self.spec, self.errors)


def _require(entry: dict[str, Any], key: str, provider: str) -> Any:
    if key not in entry:
        raise SystemExit(f"{CONFIG_FILE}: provider {provider!r} lacks {key!r}")
    return entry[key]


def load_providers(config_file: Path = CONFIG_FILE) -> list[ProviderConfig]:
    """Load every provider of the config file, in file order."""
    raw = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    providers: list[ProviderConfig] = []
    for provider_id, entry in raw["providers"].items():
        envelope_raw = entry.get("envelope")
        envelope = JsonEnvelopeConfig(**envelope_raw) if envelope_raw is not None else None
        providers.append(
            ProviderConfig(
                id=provider_id,
                kind=_require(entry, "kind", provider_id),
                title=_require(entry, "title", provider_id),
                class_prefix=_require(entry, "class_prefix", provider_id),
                spec=_require(entry, "spec", provider_id),
                errors=_require(entry, "errors", provider_id),
                default_base_url=_require(entry, "default_base_url", provider_id),
                envelope=envelope,
            )
        )
    return providers
