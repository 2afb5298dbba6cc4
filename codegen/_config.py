"""Reads codegen/providers.yaml: which providers to render, from which spec files."""

from __future__ import annotations

from dataclasses import dataclass, fields
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


@dataclass(frozen=True)
class ProviderConfig:
    """One provider entry of providers.yaml; paths are relative to the repository root.

    Which of the optional fields a provider needs depends on its kind (``_KIND_FIELDS``):
    ``openapi`` reads ``spec`` and ``envelope``; ``soap`` reads ``wsdl``, ``xsd`` and
    ``templates`` (the folder under codegen/templates/ with the provider's own layer over the
    generic SOAP operations).
    """

    id: str
    kind: str
    title: str
    class_prefix: str
    errors: str
    default_base_url: str
    auth_failure_fa: str
    spec: str | None = None
    envelope: JsonEnvelopeConfig | None = None
    wsdl: str | None = None
    xsd: str | None = None
    templates: str | None = None

    def file(self, name: str) -> str:
        """The path held by the optional field ``name``, which this provider's kind requires
        (``load_providers`` has checked that it is set)."""
        value = getattr(self, name)
        if not isinstance(value, str):
            raise SystemExit(f"provider {self.id!r}: {name!r} is not set")
        return value

    @property
    def sources(self) -> tuple[str, ...]:
        """The spec files this provider's output is rendered from."""
        return tuple(
            source for source in (self.spec, self.wsdl, self.xsd, self.errors) if source is not None
        )


_COMMON_FIELDS = ("kind", "title", "class_prefix", "errors", "default_base_url", "auth_failure_fa")
_KIND_FIELDS = {
    "openapi": ("spec", "envelope"),
    "soap": ("wsdl", "xsd", "templates"),
}


def _provider(provider_id: str, entry: dict[str, Any], config_file: Path) -> ProviderConfig:
    kind = entry.get("kind")
    if kind not in _KIND_FIELDS:
        raise SystemExit(
            f"{config_file}: provider {provider_id!r}: kind must be one of "
            f"{sorted(_KIND_FIELDS)}, got {kind!r}"
        )
    wanted = (*_COMMON_FIELDS, *_KIND_FIELDS[kind])
    missing = [key for key in wanted if key not in entry]
    # A key of the other kind, or a typo, would otherwise be silently ignored.
    unknown = sorted(set(entry) - set(wanted))
    if missing or unknown:
        raise SystemExit(
            f"{config_file}: provider {provider_id!r} ({kind}): "
            f"missing {missing}, not understood {unknown}"
        )
    values = dict(entry)
    if "envelope" in values:
        values["envelope"] = JsonEnvelopeConfig(**values["envelope"])
    known = {f.name for f in fields(ProviderConfig)}
    assert set(values) <= known, set(values) - known
    return ProviderConfig(id=provider_id, **values)


def load_providers(config_file: Path = CONFIG_FILE) -> list[ProviderConfig]:
    """Load every provider of the config file, in file order."""
    raw = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    return [
        _provider(provider_id, entry, config_file)
        for provider_id, entry in raw["providers"].items()
    ]
