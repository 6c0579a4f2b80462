"""A real uvicorn server on 127.0.0.1 in a background thread, for the browser tests and the
screenshot script. Readiness is one bounded HTTP request that waits for the first answer; the
listening socket is bound before the thread starts, so no port can be taken in between."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn
from fastapi import FastAPI

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def live_server(app: FastAPI, *, ready_timeout: float = 15.0) -> Iterator[str]:
    """Serve ``app`` on a free loopback port; yields the base URL, stops the server on exit."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        # The kernel queues our connection on the bound socket until uvicorn accepts it.
        httpx.get(f"{base}/health", timeout=ready_timeout).raise_for_status()
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
