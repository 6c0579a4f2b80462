"""Everything the crawler can fail with, under one root so ``run_source`` can catch it per item.

    CrawlerError
    ├── FetchError              the bytes could not be had
    │   ├── FetchTimeout        connect/read timeout after all retries
    │   ├── HTTPStatusError     a 4xx/5xx answer (after retries for 429/5xx)
    │   ├── TooLarge            the body passed ``max_body_bytes`` while streaming
    │   └── Blocked             refused by policy: robots.txt, private address, scheme, redirects
    ├── ParseError              bytes arrived but are not a usable feed / API payload
    └── ExtractError            a page arrived but holds no article text (PDF, empty, teaser)

Each error carries the URL it happened on and a short ``kind`` code that lands in the
``fetches`` table, so the dashboard can group failures without parsing messages.
"""

from __future__ import annotations


class CrawlerError(Exception):
    kind = "crawler_error"

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{message} ({url})")
        self.url = url
        self.message = message


class FetchError(CrawlerError):
    kind = "fetch_error"


class FetchTimeout(FetchError):
    kind = "timeout"


class HTTPStatusError(FetchError):
    kind = "http_status"

    def __init__(self, url: str, status: int, message: str | None = None) -> None:
        super().__init__(url, message or f"HTTP {status}")
        self.status = status


class TooLarge(FetchError):
    kind = "too_large"


class Blocked(FetchError):
    kind = "blocked"


class ParseError(CrawlerError):
    kind = "parse_error"


class ExtractError(CrawlerError):
    kind = "extract_error"
