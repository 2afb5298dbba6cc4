"""IR → files: the templates of each binding, given nothing but the ``Provider``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from ._templates import header, render
from .ir import ArrayEnvelope, FormOp, HttpJson, ObjectEnvelope, Provider, SoapDocLit, Tunnel
from .naming import snake_case


@dataclass(frozen=True)
class _ServiceConstant:
    constant: str
    name: str
    path: str


def _names(provider: Provider, *constants: str) -> list[str]:
    """What a provider's ``operations`` module exports."""
    names = list(constants)
    for op in provider.operations:
        names += [f"build_{op.python_name}", f"parse_{op.python_name}"]
    return sorted(names)


def _render_http(
    env: jinja2.Environment, provider: Provider, package_dir: Path, *, form: bool
) -> None:
    policies = {op.result_policy for op in provider.operations}
    wanted = ArrayEnvelope if form else ObjectEnvelope
    if len(policies) != 1 or not isinstance(envelope := policies.pop(), wanted):
        raise SystemExit(f"{provider.id}: operations need one {wanted.__name__}, got {policies}")
    context = {
        "header": header(*provider.sources),
        "provider": provider,
        "envelope": envelope,
        "operations": provider.operations,
        "operations_all": _names(provider, "PROVIDER", "ENVELOPE", "WRITES"),
        "uses_datetime": any(
            f.type_ref.startswith("datetime") for op in provider.operations for f in op.params
        ),
    }
    render(env, "openapi/__init__.py.jinja", package_dir / "__init__.py", **context)
    operations = "openapi/form_operations.py.jinja" if form else "openapi/operations.py.jinja"
    render(env, operations, package_dir / "operations.py", **context)
    render(env, "openapi/client.py.jinja", package_dir / "_client.py", **context)


def _render_soap(env: jinja2.Environment, provider: Provider, package_dir: Path) -> None:
    if provider.xml is None:
        raise SystemExit(f"{provider.id}: SOAP operations but no XML models")
    # One SoapService constant per endpoint: SERVICE when there is one (trez_xml's public name),
    # else <SERVICE NAME>_SERVICE; each operation posts to its own.
    services = [
        _ServiceConstant(
            constant="SERVICE"
            if len(provider.services) == 1
            else f"{snake_case(s.name.split('/')[0]).upper()}_SERVICE",
            name=s.name,
            path=s.path,
        )
        for s in provider.services
    ]
    if len({s.constant for s in services}) != len(services):
        raise SystemExit(f"{provider.id}: two services would share a constant: {services}")
    codec_all: list[str] = []
    for root in provider.xml.codec.roots:
        codec_all += [f"read_{root.name}", f"write_{root.name}"]
        if root.document:
            codec_all += [f"dump_{root.name}", f"load_{root.name}"]
    # What the operations and client modules must import: only what they use (ruff).
    results = [op.result for op in provider.operations]
    item_fields = [f for record in provider.item_records for f in record.fields]
    encodings = (
        {r.encoding for r in results}
        | {p.encoding for r in results for p in r.parts}
        | {f.encoding for f in item_fields}
    )
    outcomes = [r.type_ref for r in results if r.parts]
    types = (
        {r.type_ref for r in results}
        | {p.type_ref for r in results for p in r.parts}
        | {f.type_ref for f in item_fields}
    )
    catalog_types = sorted(
        name
        for name in ("ResultCode", "StatusCode")
        if _names_type(types, name) or (name == "ResultCode" and outcomes)
    )
    # The client's signatures name only the results' types (a list of entries included).
    client_catalog = [
        name for name in catalog_types if _names_type({r.type_ref for r in results}, name)
    ]
    limits = sorted(
        {"max_distinct" for op in provider.operations for f in op.params if f.max_distinct}
        | {"same_length" for op in provider.operations for f in op.params if f.same_length_as}
    )
    variants = [op.binding.variant for op in provider.operations if isinstance(op.binding, Tunnel)]
    client_types = " ".join(
        [op.result.type_ref for op in provider.operations]
        + [f.type_ref for op in provider.operations for f in op.params]
    )
    context = {
        "header": header(*provider.sources),
        "provider": provider,
        "variant_imports": sorted({line for v in variants if v for line in v.imports}),
        "client_imports": _client_imports(client_types),
        "records_use_codes": any(f.code for r in provider.records for f in r.fields),
        "records_use_datetime": any(
            "datetime" in f.type_ref for r in provider.records for f in r.fields
        ),
        "encodings": encodings,
        "limits": limits,
        "outcomes": outcomes,
        "catalog_types": catalog_types,
        "client_catalog": client_catalog,
        "service": provider.services[0],
        "services": services,
        "service_of": {s.name: s.constant for s in services},
        "operations": provider.operations,
        "operations_all": _names(
            provider,
            "PROVIDER",
            "WRITES",
            *(s.constant for s in services),
            *(op.python_name.upper() for op in provider.operations),
            *outcomes,
            *(r.name for r in provider.item_records),
        ),
        "codec_all": sorted(codec_all),
    }
    render(env, "soap/codec.py.jinja", package_dir / "codec.py", **context)
    render(env, "soap/operations.py.jinja", package_dir / "operations.py", **context)
    render(env, "soap/__init__.py.jinja", package_dir / "__init__.py", **context)
    if provider.records:
        render(env, "soap/results.py.jinja", package_dir / "results.py", **context)
    render(env, "soap/client.py.jinja", package_dir / "_client.py", **context)


def _names_type(annotations: set[str], name: str) -> bool:
    """Whether one of ``annotations`` is ``name`` or a list of it."""
    return bool(annotations & {name, f"list[{name}]"})


def _client_imports(types: str) -> list[str]:
    """What the client module imports for the annotations of its methods."""
    imports = []
    if "Sequence[" in types:
        imports.append("from collections.abc import Sequence")
    if "datetime" in types:
        imports.append("from datetime import datetime")
    if "results." in types:
        imports.append("from . import results")
    return imports


def render_provider(env: jinja2.Environment, provider: Provider, package_dir: Path) -> None:
    """Render one provider's package (``payamak_gen/<provider>/``) from its IR."""
    bindings = {type(op.binding) for op in provider.operations}
    if bindings == {HttpJson}:
        _render_http(env, provider, package_dir, form=False)
    elif bindings == {FormOp}:
        _render_http(env, provider, package_dir, form=True)
    elif bindings in ({SoapDocLit}, {SoapDocLit, Tunnel}):
        _render_soap(env, provider, package_dir)
    else:
        raise SystemExit(f"{provider.id}: no templates for bindings {sorted(map(str, bindings))}")
    render(
        env,
        "common/errors.py.jinja",
        package_dir / "errors.py",
        header=header(*provider.sources),
        provider=provider,
    )
