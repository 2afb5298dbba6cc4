"""The SOAP path: dataclasses by xsdata (documents from the XSD, envelopes from the WSDL), then
our templates render the specialised codec, the sans-IO operations of the WSDL, the error
catalog and, from the provider's own template folder, its typed layer and clients.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from lxml import etree
from xsdata.formats.dataclass.context import XmlContext

from ._catalog import load_catalog
from ._config import ProviderConfig
from ._output import add_all
from ._secrets import hide_secret_fields, secret_elements
from ._templates import TEMPLATE_DIR, docstring_text, header, render, snake_case
from ._xmlcodec import CodecPlan, Root, plan_codec

# Pinned so that output does not depend on xsdata's defaults or a stray .xsdata.xml config.
XSDATA_FLAGS = (
    "--structure-style",
    "filenames",
    "--docstring-style",
    "Google",
    "--max-line-length",
    "100",
    "--relative-imports",
    "--no-include-header",
    "--no-unnest-classes",
    "--no-compound-fields",
)
_WSDL = "http://schemas.xmlsoap.org/wsdl/"
_XS = "http://www.w3.org/2001/XMLSchema"
_NS = {"wsdl": _WSDL, "xs": _XS}


@dataclass(frozen=True)
class SoapParam:
    """One keyword argument of a ``build_*`` function: a child of the request wrapper."""

    name: str
    attr: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class SoapOperationPlan:
    """Everything the operations template needs about one WSDL operation."""

    name: str
    py_name: str
    const: str
    soap_action: str
    description: str
    request_ref: str
    request_root: str
    response_root: str
    response_tag: str
    response_local: str
    params: list[SoapParam]
    result_attr: str | None
    result_local: str | None
    result_type: str
    result_description: str


@dataclass(frozen=True)
class ServicePlan:
    """The endpoint every operation of the WSDL posts to."""

    path: str


def run_xsdata(source: Path, package: str, package_dir: Path, source_label: str) -> None:
    """Generate ``<package_dir>/<package>/`` from ``source`` with xsdata, pinned flags.

    xsdata writes a whole package tree (and overwrites parent ``__init__`` files), so it runs
    in a scratch folder and only the sub-package is kept. Fields of elements the spec marks
    secret get ``repr=False``; each module then gets our header as its first line, and an
    ``__all__`` naming its classes where xsdata emits none.
    """
    with tempfile.TemporaryDirectory() as tmp:
        # xsdata formats its output by running `ruff` from PATH: make it the pinned one.
        env = dict(os.environ)
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "xsdata",
                "generate",
                str(source),
                "--package",
                f"out.{package}",
                *XSDATA_FLAGS,
            ],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise SystemExit(f"xsdata failed on {source_label}:\n{result.stdout}{result.stderr}")
        generated = Path(tmp) / "out" / package
        target = package_dir / package
        shutil.copytree(generated, target, ignore=shutil.ignore_patterns("__pycache__"))
    secrets = secret_elements(source)
    if secrets:
        hide_secret_fields(target, secrets, source_label)
    for module in sorted(target.glob("*.py")):
        add_all(module)
        text = module.read_text(encoding="utf-8")
        module.write_text(header(source_label) + "\n" + text, encoding="utf-8")


@contextmanager
def _imported(package_dir: Path, *subpackages: str) -> Iterator[list[types.ModuleType]]:
    """Import freshly generated sub-packages without importing the provider package itself.

    They are registered under a private parent name, so neither the installed payamak_gen nor
    the folder being generated is touched, and they are forgotten afterwards.
    """
    parent = f"_payamak_codegen_{package_dir.name}"
    module = types.ModuleType(parent)
    module.__path__ = [str(package_dir)]
    sys.modules[parent] = module
    importlib.invalidate_caches()
    try:
        yield [importlib.import_module(f"{parent}.{name}") for name in subpackages]
    finally:
        for name in [n for n in sys.modules if n == parent or n.startswith(parent + ".")]:
            del sys.modules[name]


def _exported(package: types.ModuleType, alias: str) -> dict[type, str]:
    return {
        getattr(package, name): f"{alias}.{name}"
        for name in package.__all__
        if isinstance(getattr(package, name), type)
    }


def _xsd_roots(xsd: Path, documents: types.ModuleType) -> list[tuple[type, str, bool]]:
    """The classes of the XSD's global elements: the documents the codec dumps and loads."""
    tree = etree.parse(str(xsd), etree.XMLParser(resolve_entities=False, no_network=True))
    context = XmlContext()
    by_name: dict[str, list[type]] = {}
    for name in documents.__all__:
        cls = getattr(documents, name)
        if isinstance(cls, type) and dataclasses.is_dataclass(cls):
            local = etree.QName(context.build(cls).qname).localname
            by_name.setdefault(local, []).append(cls)
    roots: list[tuple[type, str, bool]] = []
    for element in tree.getroot().findall("xs:element", _NS):
        name = str(element.get("name"))
        candidates = by_name.get(name, [])
        if len(candidates) != 1:
            raise SystemExit(f"{xsd}: {len(candidates)} generated classes for element {name!r}")
        roots.append((candidates[0], snake_case(name), True))
    return roots


def _binding_operations(envelopes: types.ModuleType) -> list[Any]:
    # xsdata renders each binding operation as a plain class carrying soap_action, input and
    # output (the envelope dataclasses).
    return [
        getattr(envelopes, name)
        for name in envelopes.__all__
        if hasattr(getattr(envelopes, name), "soap_action")
    ]


def _body_fields(envelope: type) -> list[type]:
    """The classes of the elements an envelope's Body may hold, leaving out the Fault."""
    context = XmlContext()
    (body,) = [v for v in context.build(envelope).get_all_vars() if v.local_name == "Body"]
    return [
        var.types[0]
        for var in context.build(body.types[0]).get_all_vars()
        if var.local_name != "Fault"
    ]


def _wsdl_docs(wsdl: Path) -> tuple[etree._ElementTree, dict[str, str]]:
    tree = etree.parse(str(wsdl), etree.XMLParser(resolve_entities=False, no_network=True))
    docs = {
        str(op.get("name")): docstring_text(op.findtext("wsdl:documentation", "", _NS))
        for op in tree.getroot().findall("wsdl:portType/wsdl:operation", _NS)
    }
    return tree, docs


def _element_doc(tree: etree._ElementTree, wrapper: str, child: str) -> str:
    path = (
        f"wsdl:types/xs:schema/xs:element[@name='{wrapper}']//xs:element[@name='{child}']"
        "/xs:annotation/xs:documentation"
    )
    found = tree.getroot().find(path, _NS)
    return docstring_text(found.text or "") if found is not None else ""


def _operations(
    provider: ProviderConfig,
    wsdl: Path,
    envelopes: types.ModuleType,
    refs: dict[type, str],
    codec: CodecPlan,
) -> tuple[ServicePlan, list[SoapOperationPlan]]:
    tree, docs = _wsdl_docs(wsdl)
    roots = {root.plan.ref: root for root in codec.roots}
    plans: list[SoapOperationPlan] = []
    paths: set[str] = set()
    for binding_op in _binding_operations(envelopes):
        where = f"{provider.wsdl} {binding_op.__name__}"
        if binding_op.style != "document":
            raise SystemExit(f"{where}: only document/literal bindings are supported")
        address = urlsplit(binding_op.location)
        base = f"{address.scheme}://{address.netloc}".lower()
        if base != provider.default_base_url.rstrip("/").lower():
            raise SystemExit(
                f"{where}: soap:address {binding_op.location} does not start with "
                f"default_base_url {provider.default_base_url}"
            )
        paths.add(address.path or "/")
        (request_cls,) = _body_fields(binding_op.input)
        (response_cls,) = _body_fields(binding_op.output)
        request_root: Root = roots[refs[request_cls]]
        response_root: Root = roots[refs[response_cls]]
        name = request_root.local
        params = [
            SoapParam(
                name=snake_case(f.local),
                attr=f.attr,
                type=f.py_type,
                required=f.required,
                description=_element_doc(tree, name, f.local) or f"The {f.local} element.",
            )
            for f in request_root.plan.elements
        ]
        result_fields = response_root.plan.elements
        single = result_fields[0] if len(result_fields) == 1 and not result_fields[0].many else None
        plans.append(
            SoapOperationPlan(
                name=name,
                py_name=snake_case(name),
                const=snake_case(name).upper(),
                soap_action=binding_op.soap_action,
                description=docs.get(name) or f"The {name} operation of the WSDL.",
                request_ref=request_root.plan.ref,
                request_root=request_root.name,
                response_root=response_root.name,
                response_tag=response_root.tag,
                response_local=response_root.local,
                params=params,
                result_attr=single.attr if single else None,
                result_local=single.local if single else None,
                result_type=single.py_type if single else response_root.plan.ref,
                result_description=f"its ``{single.local}``" if single else "its response element",
            )
        )
    if len(paths) != 1:
        raise SystemExit(f"{provider.wsdl}: expected one service address, found {sorted(paths)}")
    return ServicePlan(path=paths.pop()), plans


def _envelope_roots(envelopes: types.ModuleType) -> list[tuple[type, str, bool]]:
    roots: list[tuple[type, str, bool]] = []
    for binding_op in _binding_operations(envelopes):
        for envelope in (binding_op.input, binding_op.output):
            (cls,) = _body_fields(envelope)
            local = etree.QName(XmlContext().build(cls).qname).localname
            roots.append((cls, snake_case(local), False))
    return roots


def render_soap_provider(
    root: Path, provider: ProviderConfig, package_dir: Path, env: jinja2.Environment
) -> None:
    """Render one SOAP provider into ``package_dir`` (``payamak_gen/<provider>/``)."""
    wsdl = provider.file("wsdl")
    package_dir.mkdir(parents=True, exist_ok=True)
    packages = ["envelopes"]
    run_xsdata(root / wsdl, "envelopes", package_dir, wsdl)
    if provider.xsd is not None:
        run_xsdata(root / provider.xsd, "documents", package_dir, provider.xsd)
        packages.insert(0, "documents")
    with _imported(package_dir, *packages) as modules:
        refs: dict[type, str] = {}
        for alias, module in zip(packages, modules, strict=True):
            refs.update(_exported(module, alias))
        by_alias = dict(zip(packages, modules, strict=True))
        roots = _envelope_roots(by_alias["envelopes"])
        if provider.xsd is not None:
            roots = _xsd_roots(root / provider.xsd, by_alias["documents"]) + roots
        codec = plan_codec(roots, refs)
        service, operations = _operations(provider, root / wsdl, by_alias["envelopes"], refs, codec)
    _render(env, provider, package_dir, packages, codec, service, operations, root)


def _codec_all(codec: CodecPlan) -> list[str]:
    names: list[str] = []
    for root in codec.roots:
        names += [f"read_{root.name}", f"write_{root.name}"]
        if root.document:
            names += [f"dump_{root.name}", f"load_{root.name}"]
    return sorted(names)


def _render(
    env: jinja2.Environment,
    provider: ProviderConfig,
    package_dir: Path,
    packages: list[str],
    codec: CodecPlan,
    service: ServicePlan,
    operations: list[SoapOperationPlan],
    root: Path,
) -> None:
    context: dict[str, Any] = {
        "header": header(*provider.sources),
        "provider": provider.__dict__,
        "catalog": load_catalog(root, provider.errors),
        "codec": codec,
        "codec_modules": packages,
        "codec_all": _codec_all(codec),
        "service": service,
        "operations": operations,
        "operations_all": sorted(
            ["PROVIDER", "SERVICE"]
            + [op.const for op in operations]
            + [f"build_{op.py_name}" for op in operations]
            + [f"parse_{op.py_name}" for op in operations]
        ),
    }
    render(env, "soap/codec.py.jinja", package_dir / "codec.py", **context)
    render(env, "soap/operations.py.jinja", package_dir / "operations.py", **context)
    render(env, "common/errors.py.jinja", package_dir / "errors.py", **context)
    folder = TEMPLATE_DIR / provider.file("templates")
    if not folder.is_dir():
        raise SystemExit(f"provider {provider.id!r}: no template folder {folder}")
    for template in sorted(folder.glob("*.py.jinja")):
        relative = template.relative_to(TEMPLATE_DIR).as_posix()
        render(env, relative, package_dir / template.name.removesuffix(".jinja"), **context)
