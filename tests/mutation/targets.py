"""What ``make mutate`` mutates, the tests it runs for each module, and each module's floor.

A floor is the least share of non-equivalent mutants the tests must kill, in percent. A mutant
is equivalent when no test could tell it from the original (it changes nothing observable);
each one is listed in ``EQUIVALENT`` by its id (``path:line:change``) with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EQUIVALENT", "TARGETS", "Target"]


@dataclass(frozen=True)
class Target:
    """One module to mutate.

    Attributes:
        path: The module, relative to the repository.
        tests: The test paths whose covering tests are run against its mutants.
        floor: Least killed share of its non-equivalent mutants, in percent.
    """

    path: str
    tests: tuple[str, ...]
    floor: float


# Only tests that run against the code are mapped to a mutant (coverage contexts), so a wide set
# costs little beyond one covered run.
_CLIENT_TESTS = ("tests/generated", "tests/contract")
_SANDBOX_TESTS = ("tests/sandbox", "tests/contract")

TARGETS: tuple[Target, ...] = (
    Target("generated/payamak_gen/_runtime/errors.py", _CLIENT_TESTS, 90),
    Target("generated/payamak_gen/_runtime/json_api.py", _CLIENT_TESTS, 90),
    Target("generated/payamak_gen/_runtime/soap.py", _CLIENT_TESTS, 90),
    Target("generated/payamak_gen/_runtime/tunnel.py", _CLIENT_TESTS, 90),
    Target("generated/payamak_gen/_runtime/form_api.py", _CLIENT_TESTS, 90),
    Target("generated/payamak_gen/trez_xml/codec.py", _CLIENT_TESTS, 75),
    Target("src/payamak/sandbox/_store.py", _SANDBOX_TESTS, 90),
    Target("src/payamak/sandbox/providers/trez_rest.py", _SANDBOX_TESTS, 85),
    Target("src/payamak/sandbox/providers/trez_xml.py", _SANDBOX_TESTS, 85),
    Target("src/payamak/sandbox/providers/payamak_panel.py", _SANDBOX_TESTS, 85),
    Target("src/payamak/sandbox/providers/ippanel_classic.py", _SANDBOX_TESTS, 85),
    Target("generated/payamak_gen/_runtime/limits.py", _CLIENT_TESTS, 90),
    Target(
        "src/payamak/sandbox/providers/advanced_ws.py",
        (*_SANDBOX_TESTS, "tests/generated/advanced_ws"),
        85,
    ),
)

_ADVANCED_WS = "src/payamak/sandbox/providers/advanced_ws.py"
_FORM_API = "generated/payamak_gen/_runtime/form_api.py"
_IPPANEL = "src/payamak/sandbox/providers/ippanel_classic.py"
_PANEL = "src/payamak/sandbox/providers/payamak_panel.py"
_TREZ_REST = "src/payamak/sandbox/providers/trez_rest.py"
_TREZ_XML = "src/payamak/sandbox/providers/trez_xml.py"
_SLOTS_ONLY = "slots change the memory layout only; frozen (tested) is what forbids assignment"
_QUOTES = (
    'a body of one or two characters that is quotes only (", "") unquotes to a text no answer'
    " table holds (none is empty or a quote), so it is no answer either way"
)

_TREZ_XML_CAP = (
    "only a page (xs:positiveInteger) reaches _integer wider than xs:long, and a page wider than"
    " 19 digits is past the last page whatever the cap (433)"
)
_TREZ_XML_PARSER = (
    "this parser reads only the shipped xmlapi.xsd, which has no entity, DTD, comment that"
    " matters, processing instruction or network reference, and declares UTF-8; callers'"
    " documents go through safe_parse"
)
_TREZ_XML_FROZEN = "nothing assigns to a _Call once it is made"
_TREZ_XML_ZIP1 = "mobiles is made from recipients one for one just before the zip"
_TREZ_XML_ZIP2 = "the store answers an id per item, and mobiles and refs are one per item"
_TREZ_XML_GROUP = (
    "the group was found among this account's sends; its id (a fresh UUID) is one send's"
)
_TREZ_XML_IDS = "the same messages are found among all of the account's; only the work differs"

EQUIVALENT: dict[str, str] = {
    f"{_ADVANCED_WS}:67:1:frozen= dropped": "nothing assigns to a _Call once it is made",
    f"{_ADVANCED_WS}:67:18:True -> False": "nothing assigns to a _Call once it is made",
    f"{_ADVANCED_WS}:252:28:strict= dropped": (
        "the lists were checked to be of one length (-4) just before the zip"
    ),
    f"{_ADVANCED_WS}:252:55:True -> False": (
        "the lists were checked to be of one length (-4) just before the zip"
    ),
    f"{_ADVANCED_WS}:292:21:ids= dropped": (
        "the same messages are found among all of the account's; only the work differs"
    ),
    f"{_PANEL}:67:1:frozen= dropped": "nothing assigns to a _Call once it is made",
    f"{_PANEL}:67:18:True -> False": "nothing assigns to a _Call once it is made",
    f"{_PANEL}:240:15:username= dropped": (
        "the group id is a fresh UUID of this account's send; no other account has its messages"
    ),
    f"{_FORM_API}:71:1:slots= dropped": _SLOTS_ONLY,
    f"{_FORM_API}:71:30:True -> False": _SLOTS_ONLY,
    f"{_FORM_API}:157:11:Gt -> GtE": _QUOTES,
    f"{_FORM_API}:157:23:1 -> 2": _QUOTES,
    "generated/payamak_gen/_runtime/json_api.py:34:9:bound= dropped": (
        "a TypeVar's bound is read by type checkers only; mypy --strict is what guards it"
    ),
    f"{_IPPANEL}:83:1:frozen= dropped": "nothing assigns to a _Bare once it is made",
    f"{_IPPANEL}:83:18:True -> False": "nothing assigns to a _Bare once it is made",
    f"{_IPPANEL}:202:95:0 -> 1": (
        "the default goes through max(send_at, now); the clock is the wall clock moved forward"
        " only, never within a second of the epoch"
    ),
    f"{_IPPANEL}:228:15:username= dropped": (
        "the group id is a fresh UUID of this account's send; no other account has its messages"
    ),
    f"{_IPPANEL}:261:16:username= dropped": (
        "_group reads the group with username= too: another account's bulk id still finds none"
    ),
    f"{_IPPANEL}:263:12:return None": (
        "both callers only test the group for emptiness (`if not messages`); None is as falsy"
    ),
    f"{_IPPANEL}:264:15:username= dropped": (
        "_group found the first message among this account's; a group (fresh UUID) is one send's"
    ),
    f"{_IPPANEL}:358:61:7 -> 8": (
        "an eighth digit adds a multiple of 10,000,000, which % 10_000_000, % 5 and the last"
        " digit all drop"
    ),
    f"{_IPPANEL}:358:71:7 -> 8": "the padded digits are read by int() only; leading zeros vanish",
    f"{_TREZ_REST}:459:21:username= dropped": (
        "the group was found among this account's sends; its id (a fresh UUID) is one send's"
    ),
    f"{_TREZ_REST}:472:21:ids= dropped": (
        "the same messages are found among all of the account's; only the work differs"
    ),
    f"{_TREZ_XML}:95:13:Sub -> Add": _TREZ_XML_CAP,
    f"{_TREZ_XML}:95:13:2 -> 3": _TREZ_XML_CAP,
    f"{_TREZ_XML}:95:16:63 -> 64": _TREZ_XML_CAP,
    f"{_TREZ_XML}:95:21:1 -> 2": _TREZ_XML_CAP,
    f"{_TREZ_XML}:106:10:resolve_entities= dropped": _TREZ_XML_PARSER,
    f"{_TREZ_XML}:106:10:no_network= dropped": _TREZ_XML_PARSER,
    f"{_TREZ_XML}:106:10:load_dtd= dropped": _TREZ_XML_PARSER,
    f"{_TREZ_XML}:106:10:huge_tree= dropped": _TREZ_XML_PARSER,
    f"{_TREZ_XML}:106:10:remove_comments= dropped": _TREZ_XML_PARSER,
    f"{_TREZ_XML}:106:10:remove_pis= dropped": _TREZ_XML_PARSER,
    f"{_TREZ_XML}:106:10:encoding= dropped": _TREZ_XML_PARSER,
    f"{_TREZ_XML}:107:21:False -> True": _TREZ_XML_PARSER,
    f"{_TREZ_XML}:108:15:True -> False": _TREZ_XML_PARSER,
    f"{_TREZ_XML}:109:13:False -> True": _TREZ_XML_PARSER,
    f"{_TREZ_XML}:110:14:False -> True": _TREZ_XML_PARSER,
    f"{_TREZ_XML}:111:20:True -> False": _TREZ_XML_PARSER,
    f"{_TREZ_XML}:112:15:True -> False": _TREZ_XML_PARSER,
    f"{_TREZ_XML}:191:1:frozen= dropped": _TREZ_XML_FROZEN,
    f"{_TREZ_XML}:191:18:True -> False": _TREZ_XML_FROZEN,
    f"{_TREZ_XML}:424:33:strict= dropped": _TREZ_XML_ZIP1,
    f"{_TREZ_XML}:424:65:True -> False": _TREZ_XML_ZIP1,
    f"{_TREZ_XML}:457:43:strict= dropped": _TREZ_XML_ZIP2,
    f"{_TREZ_XML}:457:74:True -> False": _TREZ_XML_ZIP2,
    f"{_TREZ_XML}:508:21:username= dropped": _TREZ_XML_GROUP,
    f"{_TREZ_XML}:524:21:ids= dropped": _TREZ_XML_IDS,
}
