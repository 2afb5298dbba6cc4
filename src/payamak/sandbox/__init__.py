"""A local, stateful sandbox of the Iranian SMS gateways payamak speaks.

A real HTTP server on 127.0.0.1 that answers each gateway's wire protocol at its real paths, keeps
accounts, lines, credit, sent messages, delivery progress and inbound messages like a real panel,
answers bad input with each gateway's own error codes, and injects faults on request.

Run it with ``python -m payamak.sandbox`` or from Python::

    from payamak.sandbox import Sandbox

    with Sandbox() as sandbox:
        ...  # point a client at sandbox.base_url; inspect with sandbox.admin.messages()

The demo account is ``demo`` / ``demo`` (see `SandboxConfig` for the rest of the initial state).
"""

from .._extras import require_extra, running_as_module

require_extra("payamak.sandbox", "sandbox", command=running_as_module())

# The check above must run before anything that needs the extra is imported (hence E402).
from ._client import (  # noqa: E402
    AccountInfo,
    FaultInfo,
    InboundInfo,
    LineInfo,
    SandboxAdmin,
    SandboxAdminError,
    SentMessage,
)
from ._config import (  # noqa: E402
    DEMO_BLACKLISTED,
    DEMO_FILTERED_WORD,
    DEMO_LINE,
    DEMO_PASSWORD,
    DEMO_PORT_LINE,
    DEMO_USERNAME,
    AccountConfig,
    InboundConfig,
    LineConfig,
    SandboxConfig,
)
from ._server import Sandbox  # noqa: E402

__all__ = [
    "DEMO_BLACKLISTED",
    "DEMO_FILTERED_WORD",
    "DEMO_LINE",
    "DEMO_PASSWORD",
    "DEMO_PORT_LINE",
    "DEMO_USERNAME",
    "AccountConfig",
    "AccountInfo",
    "FaultInfo",
    "InboundConfig",
    "InboundInfo",
    "LineConfig",
    "LineInfo",
    "Sandbox",
    "SandboxAdmin",
    "SandboxAdminError",
    "SandboxConfig",
    "SentMessage",
]
