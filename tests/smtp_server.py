"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the alert tests: STARTTLS or TLS from the first
byte, AUTH LOGIN/PLAIN checked against one user, every accepted message kept in memory.

The listening socket is bound before the server thread starts (as in tests/live_server.py), so
no other process can take the port in between. The certificate is made once per session with
the openssl command line, for the IP address 127.0.0.1, and trusted through ``ca_file``.
"""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "alerts@example.org", "s3cret-for-tests"


def make_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


@dataclass
class Inbox:
    """What the server accepted, and who logged in."""

    messages: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and data.login.decode() == USER and data.password.decode() == PASSWORD
        if ok:
            self.logins.append(data.login.decode())
        return AuthResult(success=ok)


class _BoundController(Controller):
    """aiosmtpd's controller serving on a socket we bound ourselves."""

    def __init__(self, handler: Any, sock: socket.socket, **kwargs: Any) -> None:
        super().__init__(handler, hostname="127.0.0.1", port=sock.getsockname()[1], **kwargs)
        self._sock = sock

    def _create_server(self) -> Any:
        return self.loop.create_server(self._factory_invoker, sock=self._sock, ssl=self.ssl_context)


@dataclass(frozen=True)
class SmtpServer:
    port: int
    inbox: Inbox
    ca_file: str


@contextmanager
def smtp_server(cert: Path, key: Path, *, security: str = "starttls", starttls_offered: bool = True) -> Iterator[SmtpServer]:
    """``security``: "starttls" (STARTTLS required before AUTH and mail) or "tls" (implicit TLS)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    options: dict[str, Any] = {"authenticator": inbox.authenticate, "auth_require_tls": True}
    if security == "tls":
        # aiosmtpd only knows STARTTLS as "TLS": on a TLS-from-the-start socket it would hide AUTH.
        options |= {"ssl_context": context, "auth_require_tls": False}
    elif starttls_offered:
        options |= {"tls_context": context, "require_starttls": True}
    else:
        options["auth_require_tls"] = False  # a server without STARTTLS: our client must refuse it
    controller = _BoundController(inbox, sock, **options)
    controller.start()
    try:
        yield SmtpServer(sock.getsockname()[1], inbox, str(cert))
    finally:
        controller.stop()
        sock.close()
