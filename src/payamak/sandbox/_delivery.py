"""How a sent message's delivery state moves on with the sandbox clock.

Every message gets a *fate* when it is sent (where it will end up) and a send time; its state at
any moment follows from the two, so no background task is needed and `advance` is instant. The
first row that applies gives the state:

==================  ===========================================================================
time since sending  state
==================  ===========================================================================
any time            ``filtered`` if the text has a filtered word
before send time    ``queued`` (scheduled for later), blacklisted numbers too
from send time      ``rejected`` if blacklisted
0 s to 2 s          ``queued`` (accepted, waiting at the gateway)
2 s to 5 s          ``sent`` (at the operator), or ``failed`` for numbers ending in ``998``
5 s and later       ``delivered``; ``undelivered`` for numbers ending in ``999``
==================  ===========================================================================
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "TO_HANDSET_SECONDS",
    "TO_OPERATOR_SECONDS",
    "DeliveryState",
    "Fate",
    "fate_for",
    "state_at",
]

TO_OPERATOR_SECONDS = 2.0
TO_HANDSET_SECONDS = 5.0

Fate = Literal["delivered", "undelivered", "failed", "rejected", "filtered"]
# The unified states of specs/errors.schema.json.
DeliveryState = Literal[
    "pending", "queued", "sent", "delivered", "undelivered", "failed", "rejected", "filtered"
]


def fate_for(core_mobile: str, *, blacklisted: bool, filtered: bool) -> Fate:
    """Decides where a message to this number will end up.

    Args:
        core_mobile: The ten-digit number (`9121234567`).
        blacklisted: Whether the number is on the panel's blacklist.
        filtered: Whether the text contains a filtered word.
    """
    if filtered:
        return "filtered"
    if blacklisted:
        return "rejected"
    if core_mobile.endswith("999"):
        return "undelivered"
    if core_mobile.endswith("998"):
        return "failed"
    return "delivered"


def state_at(fate: str, send_at: float, now: float) -> DeliveryState:
    """Returns the unified delivery state of a message at `now`.

    Args:
        fate: The message's fate (see `fate_for`).
        send_at: When the gateway sends it (the schedule, or the time it was accepted).
        now: The sandbox clock's current time.
    """
    if fate == "filtered":
        return "filtered"
    if now < send_at:
        return "queued"
    if fate == "rejected":
        return "rejected"
    elapsed = now - send_at
    if elapsed < TO_OPERATOR_SECONDS:
        return "queued"
    if fate == "failed":
        return "failed"
    if elapsed < TO_HANDSET_SECONDS:
        return "sent"
    return "undelivered" if fate == "undelivered" else "delivered"
