"""The XSD/WSDL model back end: dataclasses by xsdata, and the plan of our XML codec over them.

xsdata generates ``documents`` (from the XSD, if any) and ``envelopes`` (from the WSDL). Their
metadata is then read through xsdata's own ``XmlContext`` (by importing the fresh modules under
a private name) to plan the specialised codec. What is returned is ``SoapModels``: the codec
roots keyed by element, so the WSDL reader looks each message's element up by name.
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

from lxml import etree
from xsdata.formats.dataclass.context import XmlContext

from .._templates import header
from ..naming import snake_case
from ..readers.xsd import XS, parse_xml
from .xmlcodec import CodecPlan, Root, plan_codec

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


@dataclass(frozen=True)
class SoapModels:
    """What the back end made for one SOAP provider.

    Attributes:
        packages: The generated sub-packages, in import order.
        codec: The codec plan over their classes.
    """

    packages: tuple[str, ...]
    codec: CodecPlan

    def root(self, tag: str, where: str) -> Root:
        """The codec root of the global element ``tag`` (``{namespace}local``)."""
        for root in self.codec.roots:
            if root.tag == tag:
                return root
        raise SystemExit(f"{where}: no generated class for element {tag}")


def run_xsdata(source: Path, package: str, package_dir: Path, source_label: str) -> None:
    """Generate ``<package_dir>/<package>/`` from ``source`` with xsdata, pinned flags.

    xsdata writes a whole package tree (and overwrites parent ``__init__`` files), so it runs
    in a scratch folder and only the sub-package is kept. It runs with our output format
    (``xsdata_plugin``: secret fields get ``repr=False``, modules get ``__all__``); each module
    then gets our header as its first line.
    """
    with tempfile.TemporaryDirectory() as tmp:
        # xsdata formats its output by running `ruff` from PATH: make it the pinned one.
        env = dict(os.environ)
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        # The plugin imports codegen: the repository root must be importable from the scratch dir.
        repository = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [repository, env.get("PYTHONPATH")]))
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "codegen.models.xsdata_plugin",
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
    for module in sorted(target.glob("*.py")):
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
        # A copy of the keys: the other providers' builds import in other threads meanwhile.
        for name in [n for n in list(sys.modules) if n == parent or n.startswith(parent + ".")]:
            del sys.modules[name]


def _exported(package: types.ModuleType, alias: str) -> dict[type, str]:
    return {
        getattr(package, name): f"{alias}.{name}"
        for name in package.__all__
        if isinstance(getattr(package, name), type)
    }


def _xsd_roots(xsd: Path, documents: types.ModuleType) -> list[tuple[type, str, bool]]:
    """The classes of the XSD's global elements: the documents the codec dumps and loads."""
    context = XmlContext()
    by_name: dict[str, list[type]] = {}
    for name in documents.__all__:
        cls = getattr(documents, name)
        if isinstance(cls, type) and dataclasses.is_dataclass(cls):
            local = etree.QName(context.build(cls).qname).localname
            by_name.setdefault(local, []).append(cls)
    roots: list[tuple[type, str, bool]] = []
    for element in parse_xml(xsd).getroot().findall(f"{{{XS}}}element"):
        name = str(element.get("name"))
        candidates = by_name.get(name, [])
        if len(candidates) != 1:
            raise SystemExit(f"{xsd}: {len(candidates)} generated classes for element {name!r}")
        roots.append((candidates[0], snake_case(name), True))
    return roots


def _body_fields(envelope: type) -> list[type]:
    """The classes of the elements an envelope's Body may hold, leaving out the Fault."""
    context = XmlContext()
    (body,) = [v for v in context.build(envelope).get_all_vars() if v.local_name == "Body"]
    return [
        var.types[0]
        for var in context.build(body.types[0]).get_all_vars()
        if var.local_name != "Fault"
    ]


def _envelope_roots(envelopes: types.ModuleType) -> list[tuple[type, str, bool]]:
    """The classes of the elements the WSDL's messages carry in SOAP bodies."""
    # xsdata renders each binding operation as a plain class carrying soap_action, input and
    # output (the envelope dataclasses).
    operations: list[Any] = [
        getattr(envelopes, name)
        for name in envelopes.__all__
        if hasattr(getattr(envelopes, name), "soap_action")
    ]
    roots: list[tuple[type, str, bool]] = []
    for operation in operations:
        for envelope in (operation.input, operation.output):
            (cls,) = _body_fields(envelope)
            local = etree.QName(XmlContext().build(cls).qname).localname
            roots.append((cls, snake_case(local), False))
    return roots


def generate_soap_models(
    root: Path, wsdls: tuple[str, ...], xsd: str | None, package_dir: Path
) -> SoapModels:
    """Generate the dataclass packages of a SOAP provider and plan its codec.

    Args:
        root: The repository root.
        wsdls: The WSDL files, relative to ``root``; their classes share one package.
        xsd: The XSD of documents it carries inside strings, if any.
        package_dir: The provider's package folder.

    Returns:
        The packages and the codec plan.
    """
    package_dir.mkdir(parents=True, exist_ok=True)
    packages = ["envelopes"]
    with tempfile.TemporaryDirectory() as tmp:
        # Several WSDLs are one xsdata run over a folder of them, so that their classes are one
        # package (one module per file) with one index; one WSDL is read where it is.
        source = root / wsdls[0]
        if len(wsdls) > 1:
            source = Path(tmp)
            for wsdl in wsdls:
                shutil.copy(root / wsdl, source / Path(wsdl).name)
        run_xsdata(source, "envelopes", package_dir, ", ".join(wsdls))
    if xsd is not None:
        run_xsdata(root / xsd, "documents", package_dir, xsd)
        packages.insert(0, "documents")
    with _imported(package_dir, *packages) as modules:
        refs: dict[type, str] = {}
        for alias, module in zip(packages, modules, strict=True):
            refs.update(_exported(module, alias))
        by_alias = dict(zip(packages, modules, strict=True))
        roots = _envelope_roots(by_alias["envelopes"])
        if xsd is not None:
            roots = _xsd_roots(root / xsd, by_alias["documents"]) + roots
        codec = plan_codec(roots, refs)
    return SoapModels(packages=tuple(packages), codec=codec)
