"""What the alert use cases hand to a sender, and the one error a sender may raise.

The service decides what to send and records the outcome; the sockets live in
``crawler/deliver.py``, which implements ``Sender``. Tests and ``cartwatch alerts test`` use the
same real sender against local servers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class DeliveryError(Exception):
    """A message was not delivered (refused, unreachable, timed out); the text says why and
    never contains a credential."""


@dataclass(frozen=True, slots=True)
class WebhookPayload:
    """The JSON body: ``text`` is what Slack and Teams incoming webhooks display."""

    text: str
    subject: str
    watch: str
    link: str | None
    idempotency_key: str


class Sender(Protocol):
    def send_email(self, to: tuple[str, ...], subject: str, body: str, *, key: str) -> None: ...

    def post_webhook(self, url: str, payload: WebhookPayload) -> None: ...
