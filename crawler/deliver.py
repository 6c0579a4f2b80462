"""Sending alerts: e-mail over SMTP and JSON webhooks. Like ``crawler/fetch.py`` for pages, this
is where the alerting side opens sockets, so the service and its tests of matching and retrying
never do.

- SMTP: ``starttls`` (connect, then STARTTLS before any credential is sent), ``tls`` (TLS from
  the first byte) or ``none`` (a relay on localhost). Certificates and host names are always
  verified; ``ca_file`` adds a private CA instead of turning verification off. The user name and
  password are read from the environment variables the config names, at send time.
- Webhooks: one POST of the payload as JSON, no redirects followed, any status outside 2xx is a
  failure. ``Idempotency-Key`` carries the delivery key, and e-mails get a Message-ID made from
  it: if a process dies between sending and recording, the retry is recognisably the same message.

Every failure leaves as ``DeliveryError`` naming the server and the reason.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate

import httpx

from service.alerts_config import SmtpConfig
from service.outbox import DeliveryError, WebhookPayload

USER_AGENT = "cartwatch-alerts/0.1 (+https://github.com/cartwatch/cartwatch)"


class Deliverer:
    """A ``Sender`` over real sockets. ``environ`` is where credentials are read (tests pass one)."""

    def __init__(self, smtp: SmtpConfig, client: httpx.Client, *, environ: Mapping[str, str] | None = None) -> None:
        self.smtp = smtp
        self.client = client
        self.environ = os.environ if environ is None else environ

    def send_email(self, to: tuple[str, ...], subject: str, body: str, *, key: str) -> None:
        cfg = self.smtp
        if not cfg.host:
            raise DeliveryError("e-mail is not configured ([alerts.smtp] host is empty)")
        message = EmailMessage()
        # Titles come from crawled pages: a line break in a header would be header injection (and
        # the email package refuses it), so the subject is one line, of a length mail clients show.
        message["From"], message["To"], message["Subject"] = cfg.sender, ", ".join(to), " ".join(subject.split())[:250]
        message["Date"] = formatdate(usegmt=True)
        domain = cfg.sender.rpartition("@")[2]
        message["Message-ID"] = f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"
        message.set_content(body)
        credentials = self._credentials()
        where = f"SMTP {cfg.host}:{cfg.port}"
        try:
            with self._connect() as smtp:
                if cfg.security == "starttls":
                    smtp.starttls(context=self._tls())
                if credentials:
                    smtp.login(*credentials)
                smtp.send_message(message)
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"{where}: login refused ({exc.smtp_code})") from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(f"{where}: the server does not offer {_first_line(exc)}") from exc
        except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
            raise DeliveryError(f"{where}: {type(exc).__name__}: {_first_line(exc)}") from exc

    def post_webhook(self, url: str, payload: WebhookPayload) -> None:
        try:
            response = self.client.post(url, json=dataclasses.asdict(payload), follow_redirects=False,
                                        headers={"Idempotency-Key": payload.idempotency_key, "User-Agent": USER_AGENT})
        except httpx.HTTPError as exc:
            raise DeliveryError(f"webhook {_origin(url)}: {type(exc).__name__}: {_first_line(exc)}") from exc
        if not 200 <= response.status_code < 300:
            raise DeliveryError(f"webhook {_origin(url)}: HTTP {response.status_code} {response.text[:200]!r}")

    def _connect(self) -> smtplib.SMTP:
        cfg = self.smtp
        if cfg.security == "tls":
            return smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout_seconds, context=self._tls())
        return smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_seconds)

    def _tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.smtp.ca_file or None)

    def _credentials(self) -> tuple[str, str] | None:
        names = (self.smtp.username_env, self.smtp.password_env)
        if not all(names):
            return None  # the config allows both or neither
        missing = [n for n in names if not self.environ.get(n)]
        if missing:
            raise DeliveryError(f"SMTP credentials: environment variable {', '.join(missing)} is not set")
        if self.smtp.security == "none":
            raise DeliveryError("SMTP credentials are never sent without TLS: set [alerts.smtp] security")
        return self.environ[names[0]], self.environ[names[1]]


def webhook_client(timeout_seconds: float) -> httpx.Client:
    """The webhook client: certificates verified, no redirects, no proxies from the environment."""
    return httpx.Client(timeout=timeout_seconds, trust_env=False, follow_redirects=False)


def _origin(url: str) -> str:
    """Scheme and host only: a Slack webhook's path is its secret and must not reach a log."""
    parsed = httpx.URL(url)
    return f"{parsed.scheme}://{parsed.host}{':' + str(parsed.port) if parsed.port else ''}"


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
