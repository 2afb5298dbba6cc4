"""Reads codegen/providers.yaml: which providers to render, from which spec files.

Each entry is a provider id and its spec files; what each file is follows from its name
(``errors.yaml``, ``*.wsdl``, ``*.xsd``, else an OpenAPI document). Every other fact about a
provider is in the spec files themselves (``specs/README.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ._yaml import load_yaml

CONFIG_FILE = Path(__file__).with_name("providers.yaml")
ERRORS_FILE = "errors.yaml"


@dataclass(frozen=True)
class ProviderFiles:
    """One provider of providers.yaml: its id and spec files, relative to the repository root."""

    id: str
    sources: tuple[str, ...]

    def _one(self, kind: str, matches: list[str], required: bool = True) -> str | None:
        if len(matches) > 1 or (required and not matches):
            raise SystemExit(f"provider {self.id!r}: expected one {kind} file, got {matches}")
        return matches[0] if matches else None

    @property
    def errors(self) -> str:
        """Its errors.yaml."""
        found = self._one(ERRORS_FILE, [s for s in self.sources if Path(s).name == ERRORS_FILE])
        assert found is not None
        return found

    @property
    def wsdls(self) -> tuple[str, ...]:
        """Its WSDL files, for a SOAP provider (ASMX services publish one per endpoint)."""
        return tuple(s for s in self.sources if s.endswith(".wsdl"))

    @property
    def xsd(self) -> str | None:
        """The XSD of the documents its WSDL operations carry inside strings, if any."""
        return self._one("XSD", [s for s in self.sources if s.endswith(".xsd")], False)

    @property
    def openapi(self) -> str | None:
        """Its OpenAPI document, for a JSON provider."""
        others = [
            s
            for s in self.sources
            if Path(s).name != ERRORS_FILE and Path(s).suffix in (".yaml", ".yml", ".json")
        ]
        return self._one("OpenAPI", others, False)


def load_providers(config_file: Path = CONFIG_FILE) -> list[ProviderFiles]:
    """Load every provider of the config file, in file order."""
    raw = load_yaml(config_file)
    providers: list[ProviderFiles] = []
    for provider_id, sources in raw["providers"].items():
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            raise SystemExit(f"{config_file}: provider {provider_id!r}: expected a list of files")
        provider = ProviderFiles(id=provider_id, sources=tuple(sources))
        if (provider.openapi is None) == (not provider.wsdls):
            raise SystemExit(
                f"{config_file}: provider {provider_id!r}: needs an OpenAPI document or a WSDL"
            )
        provider.errors  # noqa: B018 - checks that there is exactly one
        provider.xsd  # noqa: B018 - checks that there is at most one
        providers.append(provider)
    return providers
