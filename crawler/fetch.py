"""The only module that opens sockets: polite, bounded, conditional HTTP GETs.

``Fetcher.fetch(url, etag=…, last_modified=…)`` returns ``Fetched`` or ``NotModified`` and raises
a ``FetchError`` subclass otherwise. On every hop it enforces, in this order:

1. scheme is http/https, and the host resolves only to public addresses or to networks (or is a
   host) listed in ``allow_private_networks``; cloud metadata addresses only when listed one by
   one (checked per hop, so a redirect cannot smuggle us onto 127.0.0.1 or 169.254.169.254);
2. robots.txt (protego), fetched once per host and cached for the fetcher's life;
3. per-host politeness: one request at a time per host, spaced by the larger of
   ``per_host_delay_seconds`` and the site's Crawl-delay;
4. retries with exponential backoff on timeouts, connection errors, 5xx and 429, honouring
   Retry-After (capped), then giving up with the last error;
5. the body is streamed and abandoned as soon as it passes ``max_body_bytes``.

Redirects are followed by hand (up to ``max_redirects``) so that 1 and 2 apply to each hop.
Known gap: the address check resolves the name separately from httpx's own connect, so a DNS
answer that changes between the two (rebinding) is not caught.
"""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from crawler.addresses import AddressPolicy
from crawler.config import CrawlerConfig
from crawler.errors import Blocked, FetchError, FetchTimeout, HTTPStatusError, TooLarge
from crawler.robots import parse_robots, product_token

REDIRECTS = {301, 302, 303, 307, 308}
RETRYABLE = {429, 500, 502, 503, 504}


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # final URL after redirects
    requested_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'").lower()
        return None

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


@dataclass(frozen=True, slots=True)
class NotModified:
    url: str


Resolver = Callable[[str], list[str]]


def resolve_host(host: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError(host, f"cannot resolve host {host!r}: {exc}") from exc
    return sorted({str(info[4][0]) for info in infos})


@dataclass
class _HostState:
    slots: threading.BoundedSemaphore  # requests in flight to this host (per_host_concurrency)
    lock: threading.Lock = field(default_factory=threading.Lock)  # guards next_allowed
    next_allowed: float = 0.0
    robots: Protego | None = None
    robots_error: str | None = None
    robots_loaded: bool = False
    # Held while robots.txt is fetched, so sources sharing the fetcher fetch it once per host.
    # Re-entrant: a robots.txt redirecting into its own site asks again on the same thread.
    robots_lock: threading.RLock = field(default_factory=threading.RLock)
    robots_loading: bool = False


class Fetcher:
    """One per crawl run (or per process): holds the connection pool and per-host state."""

    def __init__(
        self,
        config: CrawlerConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver = resolve_host,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self._resolver = resolver
        self._sleep = sleep
        self._monotonic = monotonic
        self._hosts: dict[str, _HostState] = {}
        self._hosts_lock = threading.Lock()
        self._token = product_token(config.user_agent)
        self._addresses = AddressPolicy(config.allow_private_networks)
        self.client = httpx.Client(
            transport=transport,
            timeout=config.timeout_seconds,
            follow_redirects=False,
            headers={"User-Agent": config.user_agent},
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        params: Mapping[str, str | int] | None = None,
        accept: str | None = None,
    ) -> Fetched | NotModified:
        if params:
            url = str(httpx.URL(url, params={**dict(httpx.URL(url).params), **params}))
        headers = {"Accept": accept} if accept else {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        requested, current = url, url
        for _hop in range(self.config.max_redirects + 1):
            self._check_allowed(current)
            response_or_location = self._get_with_retries(current, headers)
            if isinstance(response_or_location, str):
                current = urljoin(current, response_or_location)
                continue
            if isinstance(response_or_location, NotModified):
                return response_or_location
            return Fetched(current, requested, *response_or_location)
        raise Blocked(requested, f"more than {self.config.max_redirects} redirects")

    def pause(self, url: str, seconds: float) -> None:
        """Hold the next request to ``url``'s host until ``seconds`` from now.

        For a source's own pacing on top of the per-host delay (NCBI allows 3 requests/second
        without a key; GDELT about one request per 5 s), and for backing off after an API that
        reports its rate limit in a 200 body. The wait happens in the next request, through the
        same injected ``sleep`` as every other politeness delay.
        """
        state = self._host(urlsplit(url).netloc)
        with state.lock:
            state.next_allowed = max(state.next_allowed, self._monotonic() + seconds)

    # --- policy checks -------------------------------------------------------------------

    def _check_allowed(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Blocked(url, f"only http(s) URLs are fetched, not {parts.scheme or 'a relative'!s} URL")
        self._check_address(url, parts.hostname)
        if self.config.obey_robots and parts.path != "/robots.txt":
            robots = self._robots_for(parts.scheme, parts.netloc)
            if robots is None:
                state = self._host(parts.netloc)
                raise Blocked(url, f"robots.txt unreachable, so the site is treated as disallowed: {state.robots_error}")
            if not robots.can_fetch(url, self._token):
                raise Blocked(url, "disallowed by robots.txt")

    def _check_address(self, url: str, host: str) -> None:
        try:
            addresses = [str(ipaddress.ip_address(host.strip("[]")))]
        except ValueError:
            addresses = self._resolver(host)
        bad = self._addresses.refused(host, addresses)
        if bad or not addresses:
            raise Blocked(url, f"host {host!r} resolves to a non-public address {', '.join(bad)}; "
                          "list it in allow_private_networks to allow it")

    def _host(self, netloc: str) -> _HostState:
        with self._hosts_lock:
            key = netloc.lower()
            if key not in self._hosts:
                self._hosts[key] = _HostState(threading.BoundedSemaphore(self.config.per_host_concurrency))
            return self._hosts[key]

    def _robots_for(self, scheme: str, netloc: str) -> Protego | None:
        state = self._host(netloc)
        with state.robots_lock:
            if state.robots_loaded:
                return state.robots
            if state.robots_loading:  # robots.txt redirected into its own site: no rules for that hop
                return Protego.parse("")
            state.robots_loading = True
            try:
                self._load_robots(state, f"{scheme}://{netloc}/robots.txt")
            finally:
                state.robots_loading = False
            state.robots_loaded = True
            # Crawl-delay applies from the first request after robots.txt, not from the second.
            with state.lock:
                state.next_allowed = max(state.next_allowed, self._monotonic() + self._delay_for(netloc, state))
            return state.robots

    def _load_robots(self, state: _HostState, robots_url: str) -> None:
        try:
            result = self.fetch(robots_url)
        except HTTPStatusError as exc:
            # RFC 9309: 4xx means "no rules"; 5xx means "assume everything is disallowed".
            state.robots = Protego.parse("") if exc.status < 500 else None
            state.robots_error = None if exc.status < 500 else f"HTTP {exc.status}"
        except FetchError as exc:
            state.robots, state.robots_error = None, exc.message
        else:
            body = result.body if isinstance(result, Fetched) else b""
            state.robots = parse_robots(body.decode("utf-8", "replace"), self._token)

    # --- the request itself --------------------------------------------------------------

    def _get_with_retries(
        self, url: str, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes] | NotModified | str:
        attempts = self.config.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                return self._polite_get(url, headers)
            except _Retryable as retry:
                if last:
                    raise retry.error from None
                self._sleep(retry.delay if retry.delay is not None else self._backoff(attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        return float(self.config.backoff_seconds * (2**attempt))

    def _polite_get(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes] | NotModified | str:
        """At most ``per_host_concurrency`` requests in flight per host, starts spaced by the delay,
        and the delay also counted from each request's end (with one slot: end-to-start gaps)."""
        state = self._host(urlsplit(url).netloc)
        with state.slots:
            with state.lock:
                now = self._monotonic()
                start = max(now, state.next_allowed)
                state.next_allowed = start + self._delay_for(url, state)
            if start > now:
                self._sleep(start - now)
            try:
                return self._get(url, headers)
            finally:
                with state.lock:
                    state.next_allowed = max(state.next_allowed, self._monotonic() + self._delay_for(url, state))

    def _delay_for(self, url: str, state: _HostState) -> float:
        delay = self.config.per_host_delay_seconds
        if state.robots is not None:
            crawl_delay = state.robots.crawl_delay(self._token)
            if crawl_delay:
                delay = max(delay, float(crawl_delay))
        return delay

    def _get(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes] | NotModified | str:
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in REDIRECTS and "location" in response.headers:
                    return response.headers["location"]
                if status == 304:
                    return NotModified(url)
                if status in RETRYABLE:
                    raise _Retryable(HTTPStatusError(url, status), self._retry_after(response.headers))
                if status >= 400:
                    raise HTTPStatusError(url, status)
                body = self._read_capped(url, response)
                return status, {k.lower(): v for k, v in response.headers.items()}, body
        except httpx.TimeoutException as exc:
            raise _Retryable(FetchTimeout(url, f"timed out after {self.config.timeout_seconds}s"), None) from exc
        except httpx.TransportError as exc:
            raise _Retryable(FetchError(url, f"connection failed: {exc}"), None) from exc

    def _read_capped(self, url: str, response: httpx.Response) -> bytes:
        limit = self.config.max_body_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge(url, f"body of {declared} bytes exceeds max_body_bytes={limit}")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise TooLarge(url, f"body exceeds max_body_bytes={limit}; download abandoned")
            chunks.append(chunk)
        return b"".join(chunks)

    def _retry_after(self, headers: Mapping[str, str]) -> float | None:
        value = headers.get("retry-after")
        if not value:
            return None
        if value.strip().isdigit():
            seconds = float(value.strip())
        else:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
            seconds = max(0.0, when.timestamp() - time.time())
        return min(seconds, self.config.max_retry_after_seconds)


class _Retryable(Exception):
    def __init__(self, error: FetchError, delay: float | None) -> None:
        super().__init__(str(error))
        self.error = error
        self.delay = delay
