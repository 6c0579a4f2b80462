"""Canonical URLs: one spelling per article, so the same page is stored once.

``canonical_url`` lowercases scheme and host, prefers https (the same page is served on both),
removes default ports, fragments and known tracking parameters, and sorts the rest of the
query. ``www.`` stays in the URL (some sites serve different pages) but not in the outlet key.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "oly_", "vero_")
TRACKING_KEYS = {
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "ocid", "cmpid", "cmp", "_hsenc",
    "_hsmi", "mkt_tok", "ncid", "sr_share", "smid", "ref", "ref_src", "referrer", "spm",
    "s_cid", "wt.mc_id", "soc_src",
    "soc_trk", "at_medium", "at_campaign", "xtor", "guccounter", "guce_referrer", "__twitter_impression",
}


def canonical_url(url: str) -> str:
    parts = urlsplit(url.strip())
    scheme = "https" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(key)
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in TRACKING_KEYS or lowered.startswith(TRACKING_PREFIXES)


def host_of(url: str) -> str:
    """The host an outlet is keyed by: lowercase, without ``www.``."""
    host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def same_site(a: str, b: str) -> bool:
    """Whether two URLs belong to one publisher site (host equal up to ``www.``/a subdomain)."""
    host_a, host_b = host_of(a), host_of(b)
    return host_a == host_b or host_a.endswith("." + host_b) or host_b.endswith("." + host_a)
