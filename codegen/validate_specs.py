"""``python -m codegen.validate_specs``: check every spec file under specs/.

OpenAPI documents with openapi-spec-validator, XSDs with lxml, WSDLs by loading them in both
xsdata and zeep (offline, strict), errors.yaml files against specs/errors.schema.json, and the
examples/ of each provider: JSON must parse, XML must validate against the provider's XSD, and
a SOAP envelope's body element against the schema embedded in the provider's WSDL that declares it
(a provider with WSDLs only, as ASMX services are, has no XSD beside them).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
from lxml import etree
from openapi_spec_validator import validate as validate_openapi

from codegen._yaml import load_yaml

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"


def _strict_xml_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _check_openapi(path: Path) -> None:
    validate_openapi(load_yaml(path))


def _check_xsd(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path), _strict_xml_parser()))


def _check_wsdl(path: Path) -> None:
    import zeep
    from xsdata.codegen.parsers.definitions import DefinitionsParser

    DefinitionsParser().from_bytes(path.read_bytes())
    settings = zeep.Settings(strict=True, forbid_dtd=True, forbid_entities=True)
    zeep.Client(str(path), settings=settings)  # type: ignore[no-untyped-call]


def _check_errors(path: Path, schema: dict[str, object]) -> None:
    jsonschema.validate(load_yaml(path), schema)


SOAP_ENVELOPE = "{http://schemas.xmlsoap.org/soap/envelope/}Envelope"
SOAP_BODY = "{http://schemas.xmlsoap.org/soap/envelope/}Body"
XS = "http://www.w3.org/2001/XMLSchema"


def _wsdl_schemas(paths: list[Path]) -> dict[str, etree.XMLSchema]:
    """``{namespace}name`` of each global element → the WSDL-embedded schema declaring it."""
    found: dict[str, etree.XMLSchema] = {}
    for path in paths:
        for schema in etree.parse(str(path), _strict_xml_parser()).iter(f"{{{XS}}}schema"):
            compiled = etree.XMLSchema(etree.fromstring(etree.tostring(schema)))
            namespace = schema.get("targetNamespace", "")
            for element in schema.findall(f"{{{XS}}}element"):
                found.setdefault(f"{{{namespace}}}{element.get('name')}", compiled)
    return found


def _check_examples(folder: Path, xsd: etree.XMLSchema | None, wsdls: list[Path]) -> None:
    wsdl_schemas = _wsdl_schemas(wsdls)
    for example in sorted(folder.iterdir()):
        if example.suffix == ".json":
            json.loads(example.read_text(encoding="utf-8"))
        elif example.suffix == ".xml":
            document = etree.parse(str(example), _strict_xml_parser())
            if document.getroot().tag == SOAP_ENVELOPE:
                body = document.getroot().find(SOAP_BODY)
                if body is None or len(body) != 1:
                    raise ValueError(f"{example}: a SOAP example needs one element in its Body")
                tag = etree.QName(body[0]).text
                schema = wsdl_schemas.get(tag)
                if schema is None:
                    raise ValueError(f"{example}: no WSDL beside it declares {tag}")
                schema.assertValid(etree.ElementTree(etree.fromstring(etree.tostring(body[0]))))
            elif xsd is None:
                raise ValueError(f"{example}: XML example but no XSD beside it")
            else:
                xsd.assertValid(document)


def main() -> int:
    errors_schema = json.loads((SPECS / "errors.schema.json").read_text(encoding="utf-8"))
    failures: list[str] = []
    checked = 0
    for provider in sorted(p for p in SPECS.iterdir() if p.is_dir()):
        xsd: etree.XMLSchema | None = None
        checks: list[tuple[Path, Callable[[Path], None]]] = [
            *(
                (path, _check_openapi)
                for path in sorted(provider.glob("*.yaml"))
                if path.name != "errors.yaml"
            ),
            *((path, _check_wsdl) for path in sorted(provider.glob("*.wsdl"))),
        ]
        for path in sorted(provider.glob("*.xsd")):
            try:
                xsd = _check_xsd(path)
                checked += 1
            except Exception as exc:  # report every broken file, not just the first
                failures.append(f"{path.relative_to(ROOT)}: {exc}")
        errors_file = provider / "errors.yaml"
        if errors_file.exists():
            checks.append((errors_file, functools.partial(_check_errors, schema=errors_schema)))
        else:
            failures.append(f"{errors_file.relative_to(ROOT)}: missing")
        if (provider / "examples").is_dir():
            wsdls = sorted(provider.glob("*.wsdl"))
            checks.append(
                (provider / "examples", functools.partial(_check_examples, xsd=xsd, wsdls=wsdls))
            )
        for path, check in checks:
            try:
                check(path)
                checked += 1
            except Exception as exc:
                failures.append(f"{path.relative_to(ROOT)}: {type(exc).__name__}: {exc}")
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"specs: {checked} checked, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
