"""Per-call cost of the generated SOAP client against a raw httpx POST of a prebuilt body.

A small HTTP/1.1 keep-alive server in a separate process answers every POST with the same
response for its path: a getxml credit balance (trez_xml) or a SendSms success with two recIds
(payamak_panel, the generic SOAP binding). The ways of calling it are timed in interleaved
rounds, each call on its own, so that drift in the machine affects them all alike:

    raw     httpx.Client.post of a prebuilt getxml envelope, body read (the baseline)
    client  TrezXmlClient.get_credit(): build the document, serialise, envelope, POST, parse
            the envelope and the inner document, convert the balance
    xsdata  the same exchange through xsdata's generic XmlSerializer and XmlParser (for
            information: what the specialised codec replaces)
    panel_raw     httpx.Client.post of a prebuilt SendSms envelope (payamak_panel's baseline)
    panel_client  PayamakPanelClient.send_sms(): envelope, POST, parse, result code, recIds and
                  status flags

It prints µs per call (median of the round medians), the client/raw ratio of each provider
(median of the per-round ratios) and the offline cost of each side, and exits 1 if either ratio
exceeds the limit (1.5 by default).

    python bench/soap_client_overhead.py [--rounds 25] [--calls 300] [--limit 1.5]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

import httpx
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig
from xsdata.formats.dataclass.serializers import XmlSerializer

from payamak_gen._runtime.http import HttpRequest, HttpResponse
from payamak_gen.payamak_panel import PayamakPanelClient
from payamak_gen.payamak_panel import operations as panel_operations
from payamak_gen.payamak_panel.operations import SendSmsOutcome
from payamak_gen.trez_xml import TrezXmlClient, codec, documents, envelopes, operations

PATH = "/XmlForSMS.asmx"
INNER_RESPONSE = (
    '<?xml version="1.0" encoding="utf-8"?><xmlresponse><username>bench</username>'
    "<number>9830008632</number><action>credit</action><body>998515184</body></xmlresponse>"
)
RESPONSE = (
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
    'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>'
    '<getxmlResponse xmlns="http://tempuri.org/"><getxmlResult>'
    + escape(INNER_RESPONSE)
    + "</getxmlResult></getxmlResponse></soap:Body></soap:Envelope>"
).encode()
PANEL_PATH = "/post/send.asmx"
PANEL_RESPONSE = (
    b'<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
    b'xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
    b'<SendSmsResponse xmlns="http://tempuri.org/"><SendSmsResult>1</SendSmsResult>'
    b"<recId><long>120045</long><long>120046</long></recId><status>AAA=</status>"
    b"</SendSmsResponse></soap:Body></soap:Envelope>"
)
PANEL_TO, PANEL_SENDER, PANEL_TEXT = ["09121234567", "09351234567"], "30001234", "سلام"
USERNAME, PASSWORD, LINE = "bench", "secret", "9830008632"
EXPECTED_CREDIT = 998515184
DEADLINE_S = 50.0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        body = PANEL_RESPONSE if self.path == PANEL_PATH else RESPONSE
        self.send_response(200)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: one log line per request would cost more than the request."""


def serve() -> None:
    """Run the canned server on a free port of 127.0.0.1; print the port, serve until killed."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    print(server.server_address[1], flush=True)
    server.serve_forever()


def _xsdata_call(http: httpx.Client, url: str) -> int:
    serializer = XmlSerializer()
    parser = XmlParser(config=ParserConfig(fail_on_unknown_properties=True))
    inner = serializer.render(_credit_document())
    envelope = envelopes.XmlForSmssoapGetxmlInput(
        body=envelopes.XmlForSmssoapGetxmlInput.Body(getxml=envelopes.Getxml(xml_string=inner))
    )
    response = http.post(
        url, content=serializer.render(envelope).encode(), headers=operations.GETXML.headers
    )
    output = parser.from_bytes(response.content, envelopes.XmlForSmssoapGetxmlOutput)
    assert output.body.getxml_response is not None
    result = output.body.getxml_response.getxml_result
    assert result is not None
    document = parser.from_string(result, documents.Xmlresponse)
    assert document.body is not None
    return int(str(document.body.content[0]))


def _credit_document() -> documents.Xmlrequest:
    # The document build_get_credit carries, for xsdata's own serializer to write.
    return documents.Xmlrequest(
        username=USERNAME, password=PASSWORD, number=LINE, action=documents.Action.CREDIT
    )


def _build_credit() -> HttpRequest:
    return operations.build_get_credit(username=USERNAME, password=PASSWORD, number=LINE)


def _panel_send(panel: PayamakPanelClient) -> SendSmsOutcome:
    return panel.send_sms(isflash=False, to=PANEL_TO, sender=PANEL_SENDER, text=PANEL_TEXT)


def _per_call_us(call: Callable[[], object], calls: int) -> float:
    times: list[int] = []
    for _ in range(calls):
        start = time.perf_counter_ns()
        call()
        times.append(time.perf_counter_ns() - start)
    return statistics.median(times) / 1000


def _offline_us(call: Callable[[], object], calls: int = 2000) -> float:
    start = time.perf_counter_ns()
    for _ in range(calls):
        call()
    return (time.perf_counter_ns() - start) / calls / 1000


def _offline_report() -> None:
    serializer = XmlSerializer()
    parser = XmlParser()
    document = _credit_document()
    response = HttpResponse(status_code=200, content=RESPONSE)
    ours_build = _offline_us(_build_credit)
    ours_parse = _offline_us(lambda: operations.parse_get_credit(response))
    xsdata_build = _offline_us(lambda: serializer.render(document))
    xsdata_parse = _offline_us(lambda: parser.from_string(INNER_RESPONSE, documents.Xmlresponse))
    print(
        f"offline, µs: ours build+envelope {ours_build:.1f}, parse envelope+document "
        f"{ours_parse:.1f}; xsdata inner document only: serialise {xsdata_build:.1f}, "
        f"parse {xsdata_parse:.1f}"
    )
    assert codec.load_xmlresponse(INNER_RESPONSE).body is not None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--calls", type=int, default=300, help="calls per way per round")
    parser.add_argument("--limit", type=float, default=1.5)
    args = parser.parse_args()
    if args.serve:
        serve()
        return 0

    server = subprocess.Popen(
        [sys.executable, __file__, "--serve"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        base_url = f"http://127.0.0.1:{int(server.stdout.readline())}"
        url = base_url + PATH
        body = _build_credit().content
        headers = dict(operations.GETXML.headers)
        panel_request = panel_operations.build_send_sms(
            username="bench",
            password="secret",
            isflash=False,
            to=PANEL_TO,
            sender=PANEL_SENDER,
            text=PANEL_TEXT,
        )
        panel_url = base_url + PANEL_PATH
        with (
            httpx.Client() as raw_http,
            httpx.Client() as xsdata_http,
            httpx.Client() as panel_http,
            TrezXmlClient(USERNAME, PASSWORD, LINE, base_url=base_url) as client,
            PayamakPanelClient("bench", "secret", base_url=base_url) as panel,
        ):
            ways: dict[str, Callable[[], object]] = {
                "raw": lambda: raw_http.post(url, content=body, headers=headers).content,
                "client": client.get_credit,
                "xsdata": lambda: _xsdata_call(xsdata_http, url),
                "panel_raw": lambda: (
                    panel_http.post(
                        panel_url, content=panel_request.content, headers=panel_request.headers
                    ).content
                ),
                "panel_client": lambda: _panel_send(panel),
            }
            assert client.get_credit() == EXPECTED_CREDIT
            assert _xsdata_call(xsdata_http, url) == EXPECTED_CREDIT
            assert _panel_send(panel).rec_ids == [120045, 120046]
            for way in ways.values():  # warm up connections, caches and the server's threads
                _per_call_us(way, 200)
            rounds: dict[str, list[float]] = {name: [] for name in ways}
            started = time.monotonic()
            for _ in range(args.rounds):
                for name, way in ways.items():
                    rounds[name].append(_per_call_us(way, args.calls))
                if time.monotonic() - started > DEADLINE_S:
                    break
    finally:
        server.kill()
        server.wait()

    done = len(rounds["raw"])
    medians = {name: statistics.median(values) for name, values in rounds.items()}
    ratio = statistics.median(c / r for c, r in zip(rounds["client"], rounds["raw"], strict=True))
    xsdata_ratio = statistics.median(
        x / r for x, r in zip(rounds["xsdata"], rounds["raw"], strict=True)
    )
    print(f"{done} rounds x {args.calls} calls per way, µs per call (median of round medians):")
    for name, value in medians.items():
        print(f"  {name:<7}{value:8.1f}")
    _offline_report()
    print(f"xsdata/raw ratio: {xsdata_ratio:.2f} (for information)")
    panel_ratio = statistics.median(
        c / r for c, r in zip(rounds["panel_client"], rounds["panel_raw"], strict=True)
    )
    print(f"client/raw ratio: {ratio:.2f} (limit {args.limit})")
    print(f"payamak_panel SendSms client/raw ratio: {panel_ratio:.2f} (limit {args.limit})")
    return 0 if max(ratio, panel_ratio) <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
