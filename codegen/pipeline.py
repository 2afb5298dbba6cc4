"""One provider from spec files to IR: model back end, reader, passes."""

from __future__ import annotations

from pathlib import Path

from ._config import ProviderFiles
from ._templates import header
from .ir import Provider
from .models.datamodel import generate_models
from .models.xsdata import generate_soap_models
from .passes import run_passes
from .readers.errors import load_catalog
from .readers.openapi import read_openapi
from .readers.wsdl import read_wsdl


def build_provider(
    root: Path, files: ProviderFiles, package_dir: Path, package: str | None = None
) -> Provider:
    """Generate a provider's models into ``package_dir`` and return its IR after every pass.

    The model back end runs first because the IR records the names it made. ``package`` is the
    provider package's import name (default ``payamak_gen.<id>``).
    """
    codes = load_catalog(root, files.errors)
    if files.openapi is not None:
        models = generate_models(
            root,
            files.openapi,
            package_dir / "models.py",
            header(files.openapi),
            package or f"payamak_gen.{files.id}",
        )
        provider = read_openapi(
            root, files.id, files.openapi, files.sources, files.errors, codes, models
        )
    else:
        soap_models = generate_soap_models(root, files.wsdls, files.xsd, package_dir)
        provider = read_wsdl(
            root, files.id, files.wsdls, files.xsd, files.sources, files.errors, codes, soap_models
        )
    return run_passes(provider)
