"""WSDL 1.1 → IR: the SOAP 1.1 document/literal operations, services and ports of a provider.

The WSDL is read as XML (portTypes, bindings, messages, services), so any number of operations,
bindings and services is understood; the xsdata back end has already run, and each message's
element is looked up in its codec plan. Provider facts no WSDL construct holds (its name for
generated types, title, auth scheme) are ``urn:payamak:*`` appinfo on the embedded schema, and
renames and secrets are appinfo on elements (``specs/README.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from ..ir import (
    Auth,
    BodyCredentials,
    Field,
    HttpBasic,
    NoResultCode,
    Operation,
    Provider,
    ResponseElement,
    Result,
    ResultPart,
    ResultPolicy,
    Service,
    SoapDocLit,
    Tunnel,
    XmlModels,
)
from ..models.xmlcodec import Field as CodecField
from ..models.xmlcodec import Root
from ..models.xsdata import SoapModels
from ..naming import docstring_text, first_sentence, snake_case
from .errors import Catalog
from .items import read_item_records
from .records import read_records, structured
from .variants import read_variants
from .xsd import XS, marks, parse_xml, schema_marks

WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP11 = "http://schemas.xmlsoap.org/wsdl/soap/"
_NS = {"wsdl": WSDL, "soap": SOAP11, "xs": XS}


def _qname(node: etree._Element, value: str) -> str:
    """A ``prefix:local`` attribute value as ``{namespace}local``, in ``node``'s scope."""
    prefix, _, local = value.rpartition(":")
    namespace = node.nsmap.get(prefix or None)
    return f"{{{namespace}}}{local}" if namespace else local


def _local(value: str) -> str:
    return value.rpartition(":")[2]


def _auth(facts: dict[str, str], where: str) -> Auth:
    scheme, failure_fa = facts["auth"], facts["auth-failure-fa"]
    if scheme == "body-credentials":
        return BodyCredentials(failure_fa=failure_fa)
    if scheme == "http-basic":
        return HttpBasic(failure_fa=failure_fa)
    raise SystemExit(f"{where}: urn:payamak:auth must be body-credentials or http-basic")


def _services(definitions: etree._Element, where: str) -> dict[str, Service]:
    """Binding name → the service port that serves it over SOAP 1.1."""
    by_binding: dict[str, Service] = {}
    for service in definitions.findall("wsdl:service", _NS):
        for port in service.findall("wsdl:port", _NS):
            address = port.find("soap:address", _NS)
            if address is None:
                continue  # a SOAP 1.2 or HTTP port: not described here
            location = urlsplit(str(address.get("location")))
            by_binding.setdefault(
                _local(str(port.get("binding"))),
                Service(
                    name=f"{service.get('name')}/{port.get('name')}",
                    # A path only: the vendor's host is not known, so there is no default.
                    base_url=f"{location.scheme}://{location.netloc}".lower()
                    if location.netloc
                    else "",
                    path=location.path or "/",
                ),
            )
    if not by_binding:
        raise SystemExit(f"{where}: no SOAP 1.1 soap:address in any wsdl:service")
    return by_binding


def _message_element(
    definitions: etree._Element, direction: etree._Element | None, where: str
) -> str:
    """The element a portType operation's input or output message carries."""
    if direction is None or direction.get("message") is None:
        raise SystemExit(f"{where}: the portType operation needs an input and an output")
    message = str(direction.get("message"))
    for node in definitions.findall("wsdl:message", _NS):
        if node.get("name") == _local(message):
            parts = node.findall("wsdl:part", _NS)
            if len(parts) != 1 or parts[0].get("element") is None:
                raise SystemExit(f"{where}: message {message} must have one element part")
            return _qname(parts[0], str(parts[0].get("element")))
    raise SystemExit(f"{where}: no wsdl:message {message}")


def _schema_element(definitions: etree._Element, tag: str) -> etree._Element | None:
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    for schema in definitions.iter(f"{{{XS}}}schema"):
        if (schema.get("targetNamespace") or "") != namespace:
            continue
        for element in schema.findall("xs:element", _NS):
            if element.get("name") == local:
                return element
    return None


def _child(wrapper: etree._Element | None, local: str) -> etree._Element | None:
    if wrapper is None:
        return None
    return next((e for e in wrapper.iter(f"{{{XS}}}element") if e.get("name") == local), None)


def _doc(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return docstring_text(element.findtext("xs:annotation/xs:documentation", "", _NS))


def _operation(
    definitions: etree._Element,
    binding_op: etree._Element,
    port_type: etree._Element,
    service: Service,
    models: SoapModels,
    where: str,
) -> Operation:
    name = str(binding_op.get("name"))
    where = f"{where} {name}"
    soap_op = binding_op.find("soap:operation", _NS)
    if soap_op is None or soap_op.get("style", "document") != "document":
        raise SystemExit(f"{where}: only SOAP 1.1 document/literal operations are supported")
    abstract = next(
        (op for op in port_type.findall("wsdl:operation", _NS) if op.get("name") == name), None
    )
    if abstract is None:
        raise SystemExit(f"{where}: not in portType {port_type.get('name')}")
    request_tag = _message_element(definitions, abstract.find("wsdl:input", _NS), where)
    response_tag = _message_element(definitions, abstract.find("wsdl:output", _NS), where)
    request, response = models.root(request_tag, where), models.root(response_tag, where)
    request_element = _schema_element(definitions, request_tag)
    params = _params(request, request_element)
    policy, result = _result(response, _schema_element(definitions, response_tag), where)
    description = docstring_text(abstract.findtext("wsdl:documentation", "", _NS))
    tunnel = [p for p in params if "tunnel-request" in p.marks]
    return Operation(
        name=name,
        python_name="",
        summary=first_sentence(description, f"The {name} operation"),
        description=description or f"The {name} operation of the WSDL.",
        binding=SoapDocLit(
            service=service.name,
            soap_action=str(soap_op.get("soapAction", "")),
            request_ref=request.plan.ref,
            request_codec=request.name,
            response_codec=response.name,
            response_tag=response.tag,
            response_local=response.local,
            tunnel_input=tunnel[0].field.model_attr if tunnel else None,
        ),
        params=tuple(p.field for p in params),
        result=result,
        result_policy=policy,
        writes=request_element is not None and "writes" in marks(request_element),
    )


@dataclass(frozen=True)
class _Param:
    field: Field
    marks: dict[str, str]


def _params(request: Root, wrapper: etree._Element | None) -> list[_Param]:
    """The inputs of a request element (a WSDL message's or a tunnelled document's root)."""
    params = []
    for f in request.plan.elements:
        element = _child(wrapper, f.local)
        element_marks = marks(element) if element is not None else {}
        field = Field(
            wire_name=f.local,
            python_name=element_marks.get("name", ""),
            model_attr=f.attr,
            # A repeated element is a list, which the caller always passes (maybe empty).
            type_ref=f"list[{f.py_type}]" if f.many else f.py_type,
            encoding=str(element.get("type", "")) if element is not None else "",
            required=f.required or f.many,
            secret="secret" in element_marks,
            doc=_doc(element) or f"The {f.local} element.",
            credential="credential" in element_marks,
            max_distinct=_count(element_marks, "max-distinct", f"{request.local} {f.local}"),
            same_length_as=element_marks.get("same-length", ""),
        )
        params.append(_Param(field, element_marks))
    return params


def _count(element_marks: dict[str, str], mark: str, where: str) -> int | None:
    """A ``urn:payamak:<mark>`` whose value is a count of items (a positive integer)."""
    if mark not in element_marks:
        return None
    value = element_marks[mark].strip()
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{where}: urn:payamak:{mark} must be a positive integer, not {value!r}")
    return int(value)


def _result(
    response: Root, wrapper: etree._Element | None, where: str
) -> tuple[ResultPolicy, Result]:
    """Where a response element's result code is, and what is left as the result."""
    policy, results = _result_code(response.plan.elements, wrapper, where)
    if not results:  # only a result code: the success code's catalog entry
        return policy, Result(
            type_ref="ResultCode", attr=None, wire_name=None, doc="the result code's entry"
        )
    alternatives = _alternatives(results, wrapper)
    single = results[0] if (len(results) == 1 or alternatives) and not results[0].many else None
    if single is None and isinstance(policy, ResponseElement):
        # Several children beside a result code: a generated class of its own, so that the
        # code is read once and each child comes out as its Python type.
        parts = tuple(_part(f, _child(wrapper, f.local)) for f in results)
        return policy, Result(
            type_ref=f"{response.local.removesuffix('Response')}Outcome",
            attr=None,
            wire_name=None,
            doc="the success code's entry and the other children",
            parts=parts,
        )
    element = _child(wrapper, single.local) if single else None
    return policy, Result(
        type_ref=single.py_type if single else response.plan.ref,
        attr=single.attr if single else None,
        wire_name=single.local if single else None,
        doc=f"its ``{single.local}``" if single else "its response element",
        optional=single is not None and not single.required,
        alternatives=tuple(f.attr for f in results[1:]) if alternatives else (),
        encoding=marks(element).get("encoding", "") if element is not None else "",
    )


def _variants(
    carrier: Operation, xsd: etree._ElementTree, models: SoapModels, where: str
) -> list[Operation]:
    """The actions tunnelled through ``carrier`` that are variants of one shared request
    element (``urn:payamak:variant`` marks on it; ``readers/variants.py``)."""
    schema = xsd.getroot()
    records = read_records(schema, where)
    globals_ = {str(e.get("name")): e for e in schema.findall("xs:element", _NS)}
    actions: list[Operation] = []
    for name, element in globals_.items():
        variants = structured(element, "variant")
        if not variants:
            continue
        response = str(variants[0].get("response"))
        if response not in globals_:
            raise SystemExit(f"{where} {name}: no response element {response}")
        actions += read_variants(
            carrier,
            element,
            models.codec,
            records,
            models.root(name, f"{where} {name}").plan,
            (models.root(response, f"{where} {name}").plan, globals_[response]),
            f"{where} {name}",
        )
    return actions


def _part(f: CodecField, element: etree._Element | None) -> ResultPart:
    element_marks = marks(element) if element is not None else {}
    return ResultPart(
        attr=f.attr,
        python_name=element_marks.get("name") or snake_case(f.local),
        wire_name=f.local,
        type_ref=f"list[{f.py_type}]" if f.many else f.py_type,
        doc=_doc(element) or f"The {f.local} element.",
        optional=not f.required and not f.many,
        encoding=element_marks.get("encoding", ""),
    )


def _alternatives(results: list[CodecField], wrapper: etree._Element | None) -> bool:
    """Whether the result elements are one result under several names: the children of one
    ``xs:choice``, single and of one type (e.g. ``GetNewMessagesListResult`` or
    ``GetNewMessagesAResult``, as different servers of one family name it)."""
    if len(results) < 2 or any(f.many or f.required for f in results):
        return False
    if len({f.py_type for f in results}) != 1:
        return False
    parents = {
        child.getparent() for f in results if (child := _child(wrapper, f.local)) is not None
    }
    if len(parents) != 1:
        return False
    (parent,) = parents
    return parent is not None and parent.tag == f"{{{XS}}}choice"


def _actions(
    carrier: Operation, xsd: etree._ElementTree, models: SoapModels, where: str
) -> list[Operation]:
    """The actions tunnelled through ``carrier``: one per XSD element marked urn:payamak:action,
    whose text names the response element, and the variants of shared request elements."""
    assert isinstance(carrier.binding, SoapDocLit)
    if carrier.result.attr is None or carrier.result.type_ref != "str":
        raise SystemExit(f"{where} {carrier.name}: a tunnel's response must be one string")
    actions: list[Operation] = _variants(carrier, xsd, models, where)
    for element in xsd.getroot().findall("xs:element", _NS):
        action_marks = marks(element)
        if "action" not in action_marks:
            continue
        name = str(element.get("name"))
        response_element = next(
            (
                e
                for e in xsd.getroot().findall("xs:element", _NS)
                if e.get("name") == action_marks["action"]
            ),
            None,
        )
        if response_element is None:
            raise SystemExit(f"{where} {name}: no response element {action_marks['action']}")
        request = models.root(name, f"{where} {name}")
        response = models.root(action_marks["action"], f"{where} {name}")
        if not (request.document and response.document):
            raise SystemExit(f"{where} {name}: tunnelled documents must be XSD global elements")
        policy, result = _result(response, response_element, f"{where} {name}")
        doc = _doc(element)
        actions.append(
            Operation(
                name=name,
                python_name=action_marks.get("name", ""),
                summary=first_sentence(doc, f"The {name} action"),
                description=doc,
                binding=Tunnel(
                    carrier=carrier.name,
                    service=carrier.binding.service,
                    soap_action=carrier.binding.soap_action,
                    response_tag=carrier.binding.response_tag,
                    carrier_request_ref=carrier.binding.request_ref,
                    carrier_request_codec=carrier.binding.request_codec,
                    carrier_input=carrier.binding.tunnel_input or "",
                    carrier_response_codec=carrier.binding.response_codec,
                    carrier_result=carrier.result.attr,
                    request_ref=request.plan.ref,
                    request_codec=request.name,
                    response_codec=response.name,
                    response_local=response.local,
                ),
                params=tuple(p.field for p in _params(request, element)),
                result=result,
                result_policy=policy,
                writes="writes" in action_marks,
            )
        )
    if not actions:
        raise SystemExit(f"{where}: {carrier.name} tunnels documents, but no urn:payamak:action")
    return actions


def _result_code(
    elements: list[CodecField], wrapper: etree._Element | None, where: str
) -> tuple[ResultPolicy, list[CodecField]]:
    """Where the response carries its result code (an element marked ``urn:payamak:result-code``
    with the success code as its text), and the elements that are left for the result."""
    marked = []
    for f in elements:
        element = _child(wrapper, f.local)
        mark = marks(element).get("result-code") if element is not None else None
        if mark is not None:
            marked.append((f, mark))
    if not marked:
        return NoResultCode(), elements
    if len(marked) > 1:
        raise SystemExit(f"{where}: several elements are marked urn:payamak:result-code")
    ((code, success),) = marked
    if code.value is None or code.value.kind != "int" or code.many or not code.required:
        raise SystemExit(f"{where}: the result code {code.local} must be a required integer")
    rest = [f for f in elements if f is not code]
    return ResponseElement(attr=code.attr, wire_name=code.local, success=int(success)), rest


def read_wsdl(
    root: Path,
    provider_id: str,
    wsdl_files: tuple[str, ...],
    xsd_file: str | None,
    sources: tuple[str, ...],
    errors_file: str,
    codes: Catalog,
    models: SoapModels,
) -> Provider:
    """Read one SOAP provider into the IR.

    Operation names without an ``urn:payamak:name`` rename are filled by the naming pass.

    Args:
        root: The repository root.
        provider_id: The provider id from providers.yaml.
        wsdl_files: The WSDL files (one per service family, as ASMX publishes them), relative
            to ``root``; their operations and services are the provider's. The provider marks
            (``urn:payamak:name``…) may sit in any of them, once.
        xsd_file: The XSD of the documents its operations carry inside strings, if any; an
            operation whose input is marked ``urn:payamak:tunnel-request`` gets one action per
            element of it marked ``urn:payamak:action``.
        sources: Every spec file of the provider.
        errors_file: Its errors.yaml.
        codes: Its code catalog, already read.
        models: What the xsdata back end made from the same files.

    Returns:
        The provider.
    """
    trees = [parse_xml(root / wsdl_file) for wsdl_file in wsdl_files]
    where = ", ".join(wsdl_files)
    facts = schema_marks(trees, where, "name", "title", "auth", "auth-failure-fa")
    operations: list[Operation] = []
    used: list[Service] = []
    for tree, wsdl_file in zip(trees, wsdl_files, strict=True):
        definitions = tree.getroot()
        services = _services(definitions, wsdl_file)
        port_types = {str(p.get("name")): p for p in definitions.findall("wsdl:portType", _NS)}
        for binding in definitions.findall("wsdl:binding", _NS):
            service = services.get(str(binding.get("name")))
            if binding.find("soap:binding", _NS) is None or service is None:
                continue  # not a SOAP 1.1 binding, or no port serves it
            if service not in used:
                used.append(service)
            port_type = port_types[_local(str(binding.get("type")))]
            operations += [
                _operation(definitions, op, port_type, service, models, wsdl_file)
                for op in binding.findall("wsdl:operation", _NS)
            ]
    for carrier in list(operations):
        if not isinstance(carrier.binding, SoapDocLit) or carrier.binding.tunnel_input is None:
            continue
        if xsd_file is None:
            raise SystemExit(f"{where}: {carrier.name} tunnels documents, but there is no XSD")
        operations += _actions(carrier, parse_xml(root / xsd_file), models, xsd_file)
    records = read_records(parse_xml(root / xsd_file).getroot(), xsd_file) if xsd_file else None
    if len({s.base_url for s in used}) != 1:
        raise SystemExit(f"{where}: services on several hosts {[s.base_url for s in used]}")
    documentation = trees[0].getroot().findtext("wsdl:documentation", "", _NS)
    return Provider(
        id=provider_id,
        title=facts["title"],
        description=docstring_text(documentation.strip().split("\n\n")[0]),
        class_prefix=facts["name"],
        sources=sources,
        errors_file=errors_file,
        services=tuple(used),
        auth=_auth(facts, where),
        operations=tuple(operations),
        codes=codes,
        xml=XmlModels(packages=models.packages, codec=models.codec),
        records=tuple(records.records) if records else (),
        item_records=read_item_records(trees, models.codec, where),
    )
