"""Pluggable SMS backends, chosen by `settings.SMS_BACKEND` (a dotted path), like Django's email backends.

- ConsoleSmsBackend (default): writes the message to the log / stdout; for development.
- LocmemSmsBackend (tests): keeps messages in the module-level `outbox` list.
A production backend (Twilio, an SMPP gateway...) subclasses BaseSmsBackend and implements send().
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass
class SmsMessage:
    to: str
    body: str
    sent_at: object = field(default_factory=timezone.now)


class BaseSmsBackend:
    def send(self, message: SmsMessage) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, message: SmsMessage) -> None:
        self.stream.write(f"--- SMS to {message.to} ---\n{message.body}\n---\n")
        self.stream.flush()


outbox: list[SmsMessage] = []


class LocmemSmsBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> None:
        outbox.append(message)


def get_backend(path: str | None = None) -> BaseSmsBackend:
    return import_string(path or settings.SMS_BACKEND)()


def send_sms(*, to: str, body: str) -> SmsMessage | None:
    """Send through the configured backend; None when staff switched SMS off (nothing is sent)."""
    from skincare.core.config import feature_enabled

    if not feature_enabled("sms"):
        logger.info("SMS is switched off in the site configuration; not sent")
        return None
    message = SmsMessage(to=to, body=body)
    get_backend().send(message)
    return message
