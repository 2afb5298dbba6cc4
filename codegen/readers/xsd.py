"""The ``urn:payamak:*`` appinfo vocabulary of XSD schemas (standalone, or inside a WSDL).

Every mark is an ``xs:appinfo`` whose ``source`` attribute names the fact and whose text, if any,
is its value (``specs/README.md`` lists them). Marks on the schema say something about the
provider; marks on an element say something about that element.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
PREFIX = "urn:payamak:"
SECRET = f"{PREFIX}secret"
_APPINFO = f"{{{XS}}}annotation/{{{XS}}}appinfo"


def parse_xml(path: Path) -> etree._ElementTree:
    """Parse a spec file with a parser that reads no DTD, entity or network resource."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.parse(str(path), parser)


def marks(node: etree._Element) -> dict[str, str]:
    """The payamak marks directly on ``node``: name after ``urn:payamak:`` → text (``""`` for
    a bare mark)."""
    found: dict[str, str] = {}
    for appinfo in node.findall(_APPINFO):
        source = str(appinfo.get("source", ""))
        if source.startswith(PREFIX):
            found[source.removeprefix(PREFIX)] = " ".join((appinfo.text or "").split())
    return found


def schema_marks(trees: list[etree._ElementTree], where: str, *names: str) -> dict[str, str]:
    """The provider-level marks ``names`` from the schemas of ``trees``; a missing one, or one
    given twice with different values, stops generation with a message naming it."""
    found: dict[str, str] = {}
    for tree in trees:
        for schema in tree.iter(f"{{{XS}}}schema"):
            for name, value in marks(schema).items():
                if found.setdefault(name, value) != value:
                    raise SystemExit(f"{where}: {PREFIX}{name} is given twice, differently")
    missing = [name for name in names if name not in found]
    if missing:
        raise SystemExit(f"{where}: missing appinfo {[PREFIX + name for name in missing]}")
    return {name: found[name] for name in names}


def secret_elements(schema_file: Path) -> set[str]:
    """Names of the elements marked secret in an XSD or in a WSDL's ``types`` schema."""
    return {
        str(element.get("name"))
        for element in parse_xml(schema_file).iter(f"{{{XS}}}element")
        if "secret" in marks(element)
    }
