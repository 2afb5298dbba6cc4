"""The providers the contract suites run over, and how to make each one's calls.

A provider joins every contract suite by one entry in ``PROVIDERS``: how to build its sync and
async clients against a base URL, one read call and one send (a write) through each, and the
wire names its errors give those two operations. The suites take every expectation from
``specs/<provider>/errors.yaml`` or write it out by hand, never from the generated code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Literal

from payamak.sandbox import DEMO_LINE, DEMO_PASSWORD, DEMO_USERNAME
from payamak_gen.advanced_ws import AdvancedWsClient, AsyncAdvancedWsClient
from payamak_gen.ippanel_classic import AsyncIppanelClassicClient, IppanelClassicClient
from payamak_gen.payamak_panel import AsyncPayamakPanelClient, PayamakPanelClient
from payamak_gen.trez_rest import AsyncTrezRestClient, TrezRestClient
from payamak_gen.trez_xml import AsyncTrezXmlClient, TrezXmlClient
from tests.spec_tables import result_codes

__all__ = ["PROVIDERS", "ProviderContract", "result_codes"]


@dataclass(frozen=True)
class ProviderContract:
    """How the suites drive one provider.

    Attributes:
        id: Provider id, as in specs/ and in every error's ``provider``.
        client: Builds a sync client: (base_url, username, password) -> client.
        async_client: The same, async.
        read: One read call (the balance). Sync and async clients share method names, so the
            same call serves both; on an async client it returns the awaitable.
        send: One send to ``mobile`` with the caller's ``reference``; the same for both.
        read_operation: The operation name errors of ``read`` carry.
        send_operation: The operation name errors of ``send`` carry.
        codes_on: Which of the two calls answers with the provider's result codes (a provider
            whose reads carry no code, such as payamak_panel's GetCredit, has them on sends).
    """

    id: str
    client: Callable[[str, str, str], Any]
    async_client: Callable[[str, str, str], Any]
    read: Callable[[Any], Any]
    send: Callable[[Any, str, str], Any]
    read_operation: str
    send_operation: str
    codes_on: Literal["read", "send"] = "read"

    def coded(self, client: Any) -> Any:
        """Make the call that carries result codes (an awaitable on an async client)."""
        if self.codes_on == "read":
            return self.read(client)
        return self.send(client, "09121234567", "coded")

    @property
    def coded_operation(self) -> str:
        """The operation name errors of the coded call carry."""
        return self.read_operation if self.codes_on == "read" else self.send_operation


def _now() -> datetime:
    return datetime.now(timezone.utc)


PROVIDERS: tuple[ProviderContract, ...] = (
    ProviderContract(
        id="trez_rest",
        client=lambda url, user, password: TrezRestClient(user, password, base_url=url),
        async_client=lambda url, user, password: AsyncTrezRestClient(user, password, base_url=url),
        read=lambda client: client.get_credit(),
        send=lambda client, mobile, reference: client.send_message(
            phone_number=DEMO_LINE,
            message="contract",
            mobiles=[mobile],
            user_group_id=reference,
            send_at=_now(),
        ),
        read_operation="GetCredit",
        send_operation="SendMessage",
    ),
    ProviderContract(
        id="trez_xml",
        client=lambda url, user, password: TrezXmlClient(user, password, DEMO_LINE, base_url=url),
        async_client=lambda url, user, password: AsyncTrezXmlClient(
            user, password, DEMO_LINE, base_url=url
        ),
        read=lambda client: client.get_credit(),
        send=lambda client, mobile, reference: client.send_message(
            mobiles=[mobile], message="contract", user_group_id=reference
        ),
        read_operation="credit",
        send_operation="sendmessage",
    ),
    ProviderContract(
        id="payamak_panel",
        client=lambda url, user, password: PayamakPanelClient(user, password, base_url=url),
        async_client=lambda url, user, password: AsyncPayamakPanelClient(
            user, password, base_url=url
        ),
        read=lambda client: client.get_credit(),
        send=lambda client, mobile, reference: client.send_sms(
            to=[mobile], sender=DEMO_LINE, text="contract", isflash=False
        ),
        read_operation="GetCredit",
        send_operation="SendSms",
        codes_on="send",
    ),
    ProviderContract(
        id="ippanel_classic",
        client=lambda url, user, password: IppanelClassicClient(user, password, base_url=url),
        async_client=lambda url, user, password: AsyncIppanelClassicClient(
            user, password, base_url=url
        ),
        read=lambda client: client.get_credit(),
        send=lambda client, mobile, reference: client.send(
            sender=DEMO_LINE, message="contract", to=[mobile]
        ),
        read_operation="credit",
        send_operation="send",
    ),
    ProviderContract(
        id="advanced_ws",
        client=lambda url, user, password: AdvancedWsClient(user, password, base_url=url),
        async_client=lambda url, user, password: AsyncAdvancedWsClient(
            user, password, base_url=url
        ),
        read=lambda client: client.get_credit(),
        # The service takes no caller reference: the suites' reference is the text.
        send=lambda client, mobile, reference: client.send_sms(
            from_num=DEMO_LINE, to_num=[mobile], message_content=reference
        ),
        read_operation="GetCredit",
        send_operation="SendSMS",
    ),
)

DEMO = (DEMO_USERNAME, DEMO_PASSWORD)
