"""robots.txt for our product token (RFC 9309), parsed with protego.

RFC 9309 §2.2.1: a crawler finds its group by case-insensitive match of its *product token*
(``cartwatch``), not of the whole User-Agent header. Protego matches a group's name anywhere at a
word start in the string it is given, so a ``User-agent: github`` group would apply to us
because our contact URL contains github, and ``User-agent: cart`` because it starts our name.
So protego is given only our token, and every User-agent line naming another product is
rewritten to a name that cannot match before parsing (a group listing us among others keeps its
line for us).
"""

from __future__ import annotations

import re

from protego import Protego

_USER_AGENT_LINE = re.compile(r"^(\s*user-agent\s*:\s*)([^#\r\n]*)", re.IGNORECASE | re.MULTILINE)
_NOT_US = "-other-product-"


def product_token(user_agent: str) -> str:
    """``cartwatch/0.1 (+https://…)`` → ``cartwatch``."""
    return user_agent.strip().split("/")[0].split()[0].lower()


def parse_robots(text: str, token: str) -> Protego:
    def keep_only_us(match: re.Match[str]) -> str:
        name = match.group(2).strip().split("/")[0].strip().lower()
        return match.group(1) + (name if name in ("*", token) else _NOT_US)

    return Protego.parse(_USER_AGENT_LINE.sub(keep_only_us, text))
