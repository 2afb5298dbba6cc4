"""The intermediate representation: what the readers make of the specs, and all templates see.

Readers (``codegen/readers/``) turn spec files into a ``Provider``; passes (``codegen/passes.py``)
rewrite it (names, renames); templates render it. Every wire fact lives here as typed data, read
from ``specs/`` (see ``specs/README.md`` for the vocabulary), so no template and no renderer needs
to know which provider it is rendering.

The model back ends (``codegen/models/``) run before the readers and return the names they made;
a reader records those names in the IR, so the IR says both what is on the wire (``wire_name``,
``encoding``) and what the generated code calls it (``python_name``, ``type_ref``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .models.xmlcodec import CodecPlan
from .readers.errors import Catalog


@dataclass(frozen=True)
class Wrapper:
    """An ``ArrayOfX``-style element: one repeated child, which Python sees as a list.

    Attributes:
        ref: The wrapper's class, as the provider package names it.
        item_attr: The attribute of that class holding the items.
        item_type: The Python annotation of one item.
        convert: The operations module's function that turns one parsed item into
            ``item_type`` (an item record, ``ItemRecord``), or empty when items are kept as parsed.
    """

    ref: str
    item_attr: str
    item_type: str
    convert: str = ""


@dataclass(frozen=True)
class ItemField:
    """One child element of a complex list item (``ItemRecord``).

    Attributes:
        attr: The attribute of the parsed item class, and of the generated record.
        wire_name: The element's name.
        type_ref: The Python annotation, after its encoding.
        doc: What it holds (the element's documentation).
        optional: The element may be absent: ``None`` (a repeated one is an empty list).
        many: The element repeats: a list.
        encoding: An ``urn:payamak:encoding`` of the element (``RESULT_ENCODINGS`` in passes).
    """

    attr: str
    wire_name: str
    type_ref: str
    doc: str
    optional: bool
    many: bool = False
    encoding: str = ""


@dataclass(frozen=True)
class ItemRecord:
    """A complex type of list items some of whose children carry an ``urn:payamak:encoding``:
    generated as a frozen dataclass in the operations module, so that every item of a result
    list holds those children as their Python type (a code's catalog entry, an aware time).

    Attributes:
        name: The generated class's name (the complex type's).
        source_ref: The parsed item class, as the provider package names it.
        convert: The name of the generated function that converts one parsed item.
        doc: The complex type's documentation, on one line.
        fields: Its children, in order.
    """

    name: str
    source_ref: str
    convert: str
    doc: str
    fields: tuple[ItemField, ...]


@dataclass(frozen=True)
class Field:
    """One input of an operation: a property of a JSON body or a child of a SOAP request element.

    Attributes:
        wire_name: The name on the wire, exactly as the spec spells it.
        python_name: The keyword argument generated code takes (after the naming pass).
        model_attr: The attribute of the generated model class that holds it.
        type_ref: The Python annotation of one value, as written in the provider package.
        encoding: The wire type as the spec names it (``integer``, ``xs:string``…).
        required: The spec requires it; otherwise it defaults to ``None``.
        secret: The spec marks it secret: generated code keeps it out of reprs and messages.
        doc: The spec's description, on one line.
        credential: The spec marks it as a credential passed in the body: clients take it
            once, in their constructor, instead of in every method.
        wrapper: Set by the wrapper pass when the element is an ``ArrayOfX`` wrapper.
        default: The Python literal an optional input defaults to, when it is not ``None``
            (``()`` for an optional list, a number the spec gives).
        max_distinct: A list input takes at most this many distinct values; a repeated value
            counts once (``urn:payamak:max-distinct``): more is refused before sending.
        same_length_as: The Python name of another list input this one must match in length
            (``urn:payamak:same-length``; the reader records the wire name, the naming pass
            the Python name): a difference is refused before sending.
    """

    wire_name: str
    python_name: str
    model_attr: str
    type_ref: str
    encoding: str
    required: bool
    secret: bool
    doc: str
    credential: bool = False
    wrapper: Wrapper | None = None
    default: str | None = None
    max_distinct: int | None = None
    same_length_as: str = ""


@dataclass(frozen=True)
class ResultPart:
    """One child of a response element whose several children together are the result.

    Attributes:
        attr: The attribute of the parsed response class that holds it.
        python_name: The attribute of the generated result class.
        wire_name: The element's name.
        type_ref: The Python annotation, after wrappers and encodings.
        doc: What it is (the element's documentation).
        optional: The element may be absent: ``None`` (lists are empty instead).
        wrapper: An ``ArrayOfX`` wrapper whose items are the value, set by the wrapper pass.
        encoding: An ``urn:payamak:encoding`` of the element (``ENCODINGS`` in passes).
    """

    attr: str
    python_name: str
    wire_name: str
    type_ref: str
    doc: str
    optional: bool
    wrapper: Wrapper | None = None
    encoding: str = ""


@dataclass(frozen=True)
class Result:
    """What an operation returns once its envelope or wrapper is taken off.

    Attributes:
        type_ref: The Python annotation of the result, as written in the provider package.
        attr: The attribute of the parsed response model that holds it; ``None`` when the
            whole response element is the result.
        wire_name: The wire name of that field (``None`` with ``attr``).
        doc: What the result is, for the ``Returns:`` section of docstrings.
        optional: The field may be absent (``None``), which parsing reports as an error.
        wrapper: Set by the wrapper pass when the field is an ``ArrayOfX`` wrapper, whose
            items are returned as a list (empty when the field is absent).
        alternatives: Other attributes that carry the same result in place of ``attr``: the
            response element is an ``xs:choice`` of same-typed elements (servers that name the
            result differently); the first one present is the result.
        encoding: An ``urn:payamak:encoding`` of the result element (``ENCODINGS`` in passes):
            the value is converted to ``type_ref`` (a delivery code to its catalog entry…).
        parts: Set when several children are the result: the generated code returns a class
            named ``type_ref`` (in the operations module) with one attribute per part, and the
            success code's catalog entry as ``code`` when the response carries a result code.
            A response with only a result code returns that entry (``ResultCode``).
    """

    type_ref: str
    attr: str | None
    wire_name: str | None
    doc: str
    optional: bool = False
    wrapper: Wrapper | None = None
    alternatives: tuple[str, ...] = ()
    encoding: str = ""
    parts: tuple[ResultPart, ...] = ()


@dataclass(frozen=True)
class HttpJson:
    """A JSON body POSTed (or sent with ``method``) to ``path``, a JSON body back.

    Attributes:
        method: The HTTP method, upper case.
        path: The path below the base URL.
        request_model: The model class of the request body; ``None`` when the operation takes
            no input (``{}`` is sent).
        response_model: The model class of the whole response body.
    """

    method: str
    path: str
    request_model: str | None
    response_model: str
    kind: Literal["http-json"] = "http-json"


@dataclass(frozen=True)
class SoapDocLit:
    """A SOAP 1.1 document/literal operation: one request element in, one response element out.

    Attributes:
        service: The name of the ``Service`` whose address the operation posts to.
        soap_action: The ``SOAPAction`` header value.
        request_ref: The request element's class, as the provider package names it.
        request_codec: The suffix of the codec's ``write_*`` function for the request element.
        response_codec: The suffix of the codec's ``read_*`` function for the response element.
        response_tag: The response element as lxml names it (``{namespace}local``).
        response_local: The response element's local name, for error messages.
        tunnel_input: The request attribute that carries a tunnelled document as text, when
            the operation is a tunnel (marked ``urn:payamak:tunnel-request``): clients offer its
            actions (``Tunnel`` operations) instead of the operation itself.
    """

    service: str
    soap_action: str
    request_ref: str
    request_codec: str
    response_codec: str
    response_tag: str
    response_local: str
    tunnel_input: str | None = None
    kind: Literal["soap-doc-lit"] = "soap-doc-lit"


@dataclass(frozen=True)
class Variant:
    """An action that is a variant of one shared request document (``urn:payamak:variant``):
    fixed values and the caller's inputs at paths into it, and its result read out of the
    shared response document.

    The reader resolves the spec's paths against the codec plan and writes them out as Python,
    since a path is only ever attribute access, element creation and a conversion.

    Attributes:
        build: Statements that fill ``document`` (an empty request root) from the inputs,
            indented by four spaces per level.
        parse: An expression of the result over ``document`` (the response root, read).
        imports: The import lines the two need in the module that holds them.
    """

    build: tuple[str, ...]
    parse: str
    imports: tuple[str, ...]


@dataclass(frozen=True)
class Tunnel:
    """An action whose request and response are XSD documents carried, as text, by a string input
    and a string result of a SOAP operation (the carrier).

    Attributes:
        carrier: The carrier operation's name.
        service: The name of the ``Service`` the carrier posts to.
        soap_action: The carrier's ``SOAPAction``.
        response_tag: The carrier's response element (``{namespace}local``).
        carrier_request_ref: The carrier's request element class.
        carrier_request_codec: The codec suffix of the carrier's request element.
        carrier_input: The attribute of the carrier's request that holds the document text.
        carrier_response_codec: The codec suffix of the carrier's response element.
        carrier_result: The attribute of the carrier's response that holds the answer's text.
        request_ref: The request document's class.
        request_codec: The codec suffix (``dump_``) of the request document.
        response_codec: The codec suffix (``load_``) of the response document.
        response_local: The response document's root element, for error messages.
        carrier_result_wire: The carrier result's wire name, for error messages.
        variant: Set when the action is a variant of a shared request document.
    """

    carrier: str
    service: str
    soap_action: str
    response_tag: str
    carrier_request_ref: str
    carrier_request_codec: str
    carrier_input: str
    carrier_response_codec: str
    carrier_result: str
    request_ref: str
    request_codec: str
    response_codec: str
    response_local: str
    carrier_result_wire: str = ""
    variant: Variant | None = None
    kind: Literal["tunnel"] = "tunnel"


@dataclass(frozen=True)
class FormOp:
    """A form-encoded body POSTed to a path that serves many operations, told apart by a field.

    Attributes:
        method: The HTTP method, upper case.
        path: The one path every operation of the family shares.
        op_field: The wire name of the field that names the operation.
        op_attr: Its attribute on the request model.
        op_value: This operation's value of it.
        request_model: The model class of the form.
        json_fields: Wire names of the fields sent as JSON text inside the form.
        result_model: The model class (or type alias) of the data a success carries.
        result_is_json_text: The data is JSON again, inside a JSON string.
        bare_result: A success answers the data itself, not ``[code, data]``
            (``x-payamak-bare-result``); an array answer is still the envelope.
    """

    method: str
    path: str
    op_field: str
    op_attr: str
    op_value: str
    request_model: str
    json_fields: tuple[str, ...]
    result_model: str
    result_is_json_text: bool
    bare_result: bool = False
    kind: Literal["form-op"] = "form-op"


Binding = HttpJson | SoapDocLit | Tunnel | FormOp


@dataclass(frozen=True)
class ObjectEnvelope:
    """The result code is a field of a JSON object that wraps every response.

    Attributes:
        code_field: The field holding the result code.
        message_field: The field holding the provider's text for it.
        result_field: The field holding the operation's result.
        success: The code that means success; any other is looked up in the code catalog.
    """

    code_field: str
    message_field: str
    result_field: str
    success: int
    kind: Literal["object-envelope"] = "object-envelope"


@dataclass(frozen=True)
class ArrayEnvelope:
    """Every response is a JSON array holding the result code and the data at fixed positions.

    Attributes:
        code_index: The position of the result code.
        result_index: The position of the data.
        success: The code that means success; any other is looked up in the code catalog.
        answers: Whole bodies (their text, trimmed) that are not an array but stand for a code
            of the catalog (the literal ``null``, a plain-text error), in spec order.
    """

    code_index: int
    result_index: int
    success: int
    answers: tuple[tuple[str, int | str], ...] = ()
    kind: Literal["array-envelope"] = "array-envelope"


@dataclass(frozen=True)
class ResponseElement:
    """The result code is a child element of the SOAP response element.

    Attributes:
        attr: The attribute of the response class holding the code.
        wire_name: The element's name, for error messages.
        success: The code that means success; any other is looked up in the code catalog.
    """

    attr: str
    wire_name: str
    success: int
    kind: Literal["response-element"] = "response-element"


@dataclass(frozen=True)
class DocumentCode:
    """The result code is a child of a tunnelled response document, present only on failure.

    Attributes:
        root: The document's root element.
        element: The child holding the code (its first number is the code).
        message: The child holding the provider's text for it, if the spec marks one.
    """

    root: str
    element: str
    message: str | None
    kind: Literal["document-code"] = "document-code"


@dataclass(frozen=True)
class NoResultCode:
    """The response carries no result code: failures are SOAP faults and HTTP statuses, or live
    inside a document the result carries (which the operation itself does not read)."""

    kind: Literal["none"] = "none"


ResultPolicy = ObjectEnvelope | ArrayEnvelope | ResponseElement | DocumentCode | NoResultCode


@dataclass(frozen=True)
class HttpBasic:
    """HTTP Basic authentication on every request, from a username and a password.

    Attributes:
        failure_fa: The Persian text of an HTTP 401 answer, which no code catalog covers.
    """

    failure_fa: str
    kind: Literal["http-basic"] = "http-basic"


@dataclass(frozen=True)
class BodyCredentials:
    """The credentials travel inside request bodies (elements the spec marks as credentials).

    Attributes:
        failure_fa: The Persian text of an HTTP 401 answer (from a proxy in front of the
            service, since the service itself answers bad credentials with a result code).
        fields: The Python names of the credential inputs, which clients take in their
            constructor (filled by the credentials pass; empty when they travel inside a
            document the operations do not see, as trez_xml's do).
    """

    failure_fa: str
    fields: tuple[str, ...] = ()
    kind: Literal["body-credentials"] = "body-credentials"


Auth = HttpBasic | BodyCredentials


@dataclass(frozen=True)
class Operation:
    """One operation a client offers as a method.

    Attributes:
        name: The operation's name in the spec (``operationId`` or WSDL operation name).
        python_name: The method and ``build_``/``parse_`` suffix (after the naming pass).
        summary: One sentence, ending with a full stop.
        description: The spec's description, on one line (may be empty).
        binding: How it travels.
        params: Its inputs, in spec order.
        result: What it returns.
        result_policy: Where its result code lives.
        writes: The operation changes state at the provider (a send), marked in the spec
            (``x-payamak-writes``, ``urn:payamak:writes``): a caller must never retry it
            blindly, since a lost answer leaves its outcome unknown. Unmarked operations read.
    """

    name: str
    python_name: str
    summary: str
    description: str
    binding: Binding
    params: tuple[Field, ...]
    result: Result
    result_policy: ResultPolicy
    writes: bool = False


@dataclass(frozen=True)
class Service:
    """An endpoint operations are sent to.

    Attributes:
        name: Its name in the spec (WSDL service and port), or ``default``.
        base_url: The scheme and host clients default to; empty when the spec knows no host
            (a ``soap:address`` that is a path only): clients must then be given one.
        path: The path below the base URL that SOAP operations post to (``""`` for OpenAPI,
            whose operations carry their own paths).
    """

    name: str
    base_url: str
    path: str


@dataclass(frozen=True)
class XmlModels:
    """What the xsdata back end made for a SOAP provider, as the codec template needs it.

    Attributes:
        packages: The generated sub-packages (``documents`` from the XSD, ``envelopes`` from
            the WSDL), in import order.
        codec: The plan of the specialised XML codec over their classes.
    """

    packages: tuple[str, ...]
    codec: CodecPlan


@dataclass(frozen=True)
class RecordField:
    """One field of a record.

    Attributes:
        name: The Python attribute.
        type_ref: Its annotation, as the records module writes it.
        doc: What it holds.
        code: It holds a code table's entry (whose ``state`` a ``state`` property exposes).
    """

    name: str
    type_ref: str
    doc: str
    code: bool = False


@dataclass(frozen=True)
class Record:
    """A value type actions take or return beyond plain values (``urn:payamak:record``),
    generated as a frozen dataclass in the provider's ``results`` module.

    Attributes:
        name: The class name.
        doc: Its docstring's first line.
        fields: Its fields, in order.
    """

    name: str
    doc: str
    fields: tuple[RecordField, ...]


@dataclass(frozen=True)
class Provider:
    """One gateway, as every template sees it.

    Attributes:
        id: The provider id (``trez_rest``): the sub-package name.
        title: A human title for docstrings.
        description: The spec's first paragraph, on one line (may be empty).
        class_prefix: The prefix of the client classes (``TrezRest`` → ``TrezRestClient``).
        sources: The spec files it is rendered from, relative to the repository root.
        errors_file: The errors.yaml among them.
        services: Its endpoints; the first one's base URL is the clients' default.
        auth: How requests authenticate.
        operations: Its operations, in spec order.
        codes: Its code catalog (errors.yaml).
        xml: For SOAP providers, the xsdata models and codec plan.
        records: Value types of its actions (the ``results`` module), in spec order.
        item_records: Complex list item types with encoded children (the operations module).
    """

    id: str
    title: str
    description: str
    class_prefix: str
    sources: tuple[str, ...]
    errors_file: str
    services: tuple[Service, ...]
    auth: Auth
    operations: tuple[Operation, ...]
    codes: Catalog
    xml: XmlModels | None = None
    records: tuple[Record, ...] = ()
    item_records: tuple[ItemRecord, ...] = ()

    @property
    def default_base_url(self) -> str:
        """The base URL clients use unless told otherwise; empty when there is none."""
        return self.services[0].base_url
