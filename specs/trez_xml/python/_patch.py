"""trez_xml's action clients: ``TrezXmlClient`` and ``AsyncTrezXmlClient``, one method per action
of the XML web service, over the generated clients (whose one method is the carrier ``getxml``).

Hand-written (specs/trez_xml/python/, vendored verbatim into the generated package): Azure's
``_patch.py`` pattern. The generated ``__init__`` star-imports this module, so the names in
``__all__`` replace the generated ones; everything here only forwards to ``actions``.
"""

from collections.abc import Sequence
from datetime import datetime

import httpx

from payamak_gen._runtime.http import DEFAULT_TIMEOUT, HttpResponse
from payamak_gen.trez_xml import _client, actions, documents, results
from payamak_gen.trez_xml._client import DEFAULT_BASE_URL
from payamak_gen.trez_xml.actions import Account
from payamak_gen.trez_xml.results import (
    GroupStatus,
    MessageStatus,
    PeerMessage,
    ReceivedMessage,
    ReceivedPage,
    RecipientStatus,
    SentMessage,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "Account",
    "AsyncTrezXmlClient",
    "GroupStatus",
    "MessageStatus",
    "PeerMessage",
    "ReceivedMessage",
    "ReceivedPage",
    "RecipientStatus",
    "SentMessage",
    "TrezXmlClient",
    "actions",
    "results",
]


def _operation(document: documents.Xmlrequest) -> str:
    # Errors, transport ones included, name the action the document asks for.
    return actions.operation_of(document.action).name


class TrezXmlClient(_client.TrezXmlClient):
    """Trez XML web service (XmlForSMS.asmx), synchronous client.

    Every action is an ``xmlrequest`` document sent through the SOAP operation ``getxml`` to
    ``<base_url>/XmlForSMS.asmx``; the credentials travel inside that document and never
    appear in reprs or error messages.

    Args:
        username: Panel user name.
        password: Panel password.
        number: The account's dedicated line, digits; a line starting with 3000 is sent with
            the 98 prefix (9830008632 for 30008632).
        base_url: The service's scheme and host (real clients use ``DEFAULT_BASE_URL``; the
            manual also names http://smspanel.trez.ir).
        timeout: Seconds, or an ``httpx.Timeout``, for every request.
        http_client: An ``httpx.Client`` to send with; the caller keeps ownership.

    Raises:
        payamak_gen.errors.ApiError: from every method, for a result code of the provider (a
            subclass per kind) or a SOAP Fault (``SoapFaultError``).
        payamak_gen.errors.TransportError: the exchange did not complete (for a send, the
            outcome is unknown).
        payamak_gen.errors.ProtocolError: the answer does not follow the specs.
        payamak_gen.errors.HttpStatusError: an HTTP status the specs do not describe.
        ValueError: from every method, for input the specs do not allow (before any I/O).
    """

    def __init__(
        self,
        username: str,
        password: str,
        number: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(base_url=base_url, timeout=timeout, http_client=http_client)
        self._account = Account(username=username, password=password, number=number)

    def send_message(
        self,
        *,
        mobiles: Sequence[str],
        message: str,
        user_group_id: str,
        send_at: datetime | None = None,
    ) -> str:
        """Send one text to one or many numbers, now or at a given time (sendmessage type 0).

        Args:
            mobiles: The recipients' mobile numbers.
            message: The text, at most 640 characters.
            user_group_id: The caller's own id for this send; it must be unique.
            send_at: When to send (timezone-aware; written in Jalali, Tehran time); now if None.

        Returns:
            The server's id for the send (``groupmid``, a GUID), for ``group_status``.
        """
        document = actions.build_send_message(
            self._account,
            mobiles=mobiles,
            message=message,
            user_group_id=user_group_id,
            send_at=send_at,
        )
        return actions.parse_send_message(self._call(document))

    def send_peer_to_peer(
        self, *, messages: Sequence[PeerMessage], user_group_id: str
    ) -> list[SentMessage]:
        """Send a different text to each number (sendmessage type 1).

        Args:
            messages: One ``PeerMessage`` (mobile, text, the caller's ``doreid``) per number.
            user_group_id: The caller's own id for this send; it must be unique.

        Returns:
            One ``SentMessage`` per message, with the server's id for ``message_status``.
        """
        document = actions.build_send_peer_to_peer(
            self._account, messages=messages, user_group_id=user_group_id
        )
        return actions.parse_send_peer_to_peer(self._call(document))

    def send_to_port(
        self,
        *,
        messages: Sequence[PeerMessage],
        user_group_id: str,
        receive_port: int,
        send_port: int,
    ) -> list[SentMessage]:
        """Send a text per number to an application port (sendmessage type 2; 3000 lines only).

        Args:
            messages: One ``PeerMessage`` (mobile, text, the caller's ``doreid``) per number.
            user_group_id: The caller's own id for this send; it must be unique.
            receive_port: The receiving application port, 1000-9999 (the wire's ``reciveport``).
            send_port: The sending application port, 1000-9999.

        Returns:
            One ``SentMessage`` per message, with the server's id for ``message_status``.
        """
        document = actions.build_send_to_port(
            self._account,
            messages=messages,
            user_group_id=user_group_id,
            receive_port=receive_port,
            send_port=send_port,
        )
        return actions.parse_send_to_port(self._call(document))

    def get_credit(self) -> int:
        """The account's balance (credit).

        Returns:
            The balance in rials.
        """
        return actions.parse_get_credit(self._call(actions.build_get_credit(self._account)))

    def group_status(self, *, group_id: str, mobiles: Sequence[str] = ()) -> GroupStatus:
        """The status of a group send (status type 0).

        Args:
            group_id: The ``groupmid`` that ``send_message`` returned.
            mobiles: If given, the request lists these numbers with ``body status="1"``, as
                real clients do; otherwise it has the manual's form, without a body.

        Returns:
            The group's status and, once it is sent, each number's delivery code.
        """
        document = actions.build_group_status(self._account, group_id=group_id, mobiles=mobiles)
        return actions.parse_group_status(self._call(document))

    def message_status(self, *, message_ids: Sequence[int]) -> list[MessageStatus]:
        """The status of peer-to-peer messages (status type 1).

        Args:
            message_ids: The server's ids that ``send_peer_to_peer`` or ``send_to_port``
                returned (sent as the wire's ``doreid``).

        Returns:
            Each message's delivery code and unified state.
        """
        document = actions.build_message_status(self._account, message_ids=message_ids)
        return actions.parse_message_status(self._call(document))

    def received_messages(self, *, start: datetime, end: datetime, page: int = 1) -> ReceivedPage:
        """Inbound messages received in a period, 50 per page (recivemessage).

        Args:
            start: Start of the period (timezone-aware; written in Jalali, Tehran time).
            end: End of the period (timezone-aware).
            page: The page wanted, from 1.

        Returns:
            The page, the number of pages and the messages, dated in Tehran time.

        Raises:
            payamak_gen.errors.NotFoundError: no message in the period (result code 490).
        """
        document = actions.build_received_messages(self._account, start=start, end=end, page=page)
        return actions.parse_received_messages(self._call(document))

    def is_sub_user(self, *, name: str) -> bool:
        """Whether a user is a sub-user of this (reseller) account (issubuser).

        Args:
            name: The user name to check.

        Returns:
            True if ``name`` is a sub-user of this account.
        """
        document = actions.build_is_sub_user(self._account, name=name)
        return actions.parse_is_sub_user(self._call(document))

    def _call(self, document: documents.Xmlrequest) -> HttpResponse:
        return self._send(_operation(document), actions.request(document))


class AsyncTrezXmlClient(_client.AsyncTrezXmlClient):
    """Trez XML web service (XmlForSMS.asmx), asynchronous client: ``TrezXmlClient``'s
    arguments (``http_client`` is an ``httpx.AsyncClient``), methods, results and errors."""

    def __init__(
        self,
        username: str,
        password: str,
        number: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(base_url=base_url, timeout=timeout, http_client=http_client)
        self._account = Account(username=username, password=password, number=number)

    async def send_message(
        self,
        *,
        mobiles: Sequence[str],
        message: str,
        user_group_id: str,
        send_at: datetime | None = None,
    ) -> str:
        """As ``TrezXmlClient.send_message`` (sendmessage type 0)."""
        document = actions.build_send_message(
            self._account,
            mobiles=mobiles,
            message=message,
            user_group_id=user_group_id,
            send_at=send_at,
        )
        return actions.parse_send_message(await self._call(document))

    async def send_peer_to_peer(
        self, *, messages: Sequence[PeerMessage], user_group_id: str
    ) -> list[SentMessage]:
        """As ``TrezXmlClient.send_peer_to_peer`` (sendmessage type 1)."""
        document = actions.build_send_peer_to_peer(
            self._account, messages=messages, user_group_id=user_group_id
        )
        return actions.parse_send_peer_to_peer(await self._call(document))

    async def send_to_port(
        self,
        *,
        messages: Sequence[PeerMessage],
        user_group_id: str,
        receive_port: int,
        send_port: int,
    ) -> list[SentMessage]:
        """As ``TrezXmlClient.send_to_port`` (sendmessage type 2)."""
        document = actions.build_send_to_port(
            self._account,
            messages=messages,
            user_group_id=user_group_id,
            receive_port=receive_port,
            send_port=send_port,
        )
        return actions.parse_send_to_port(await self._call(document))

    async def get_credit(self) -> int:
        """As ``TrezXmlClient.get_credit`` (credit)."""
        document = actions.build_get_credit(self._account)
        return actions.parse_get_credit(await self._call(document))

    async def group_status(self, *, group_id: str, mobiles: Sequence[str] = ()) -> GroupStatus:
        """As ``TrezXmlClient.group_status`` (status type 0)."""
        document = actions.build_group_status(self._account, group_id=group_id, mobiles=mobiles)
        return actions.parse_group_status(await self._call(document))

    async def message_status(self, *, message_ids: Sequence[int]) -> list[MessageStatus]:
        """As ``TrezXmlClient.message_status`` (status type 1)."""
        document = actions.build_message_status(self._account, message_ids=message_ids)
        return actions.parse_message_status(await self._call(document))

    async def received_messages(
        self, *, start: datetime, end: datetime, page: int = 1
    ) -> ReceivedPage:
        """As ``TrezXmlClient.received_messages`` (recivemessage)."""
        document = actions.build_received_messages(self._account, start=start, end=end, page=page)
        return actions.parse_received_messages(await self._call(document))

    async def is_sub_user(self, *, name: str) -> bool:
        """As ``TrezXmlClient.is_sub_user`` (issubuser)."""
        document = actions.build_is_sub_user(self._account, name=name)
        return actions.parse_is_sub_user(await self._call(document))

    async def _call(self, document: documents.Xmlrequest) -> HttpResponse:
        return await self._send(_operation(document), actions.request(document))
