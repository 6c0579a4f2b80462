"""Canonical URLs: one spelling per article, so the same page is stored once.

``canonical_url`` lowercases scheme and host, prefers https (the same page is served on both),
removes default ports, fragments and known tracking parameters, and sorts the rest of the
query. ``www.`` stays in the URL (some sites serve different pages) but not in the outlet key.

A page's own claim (rel=canonical, else og:url; see ``crawler.parse``) names the article only
when it stays on the site the bytes came from: a syndicated copy's canonical pointing at the wire
service or another outlet is recorded as ``syndicated_from``, never adopted as the copy's identity.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "oly_", "vero_")
TRACKING_KEYS = {
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "ocid", "cmpid", "cmp", "_hsenc",
    "_hsmi", "mkt_tok", "ncid", "sr_share", "smid", "ref", "ref_src", "referrer", "spm",
    "s_cid", "wt.mc_id", "soc_src",
    "soc_trk", "at_medium", "at_campaign", "xtor", "guccounter", "guce_referrer", "guce_referrer_sig",
    "__twitter_impression", "_ga", "_gl", "gclsrc", "fb_action_ids", "fb_action_types", "fb_ref",
    "fb_source", "icid",
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


def syndicated_from(declared: str | None, fetched_url: str) -> str | None:
    """The other site a page names as its original (its canonical/og:url), if any."""
    if not declared or not declared.startswith(("http://", "https://")) or same_site(declared, fetched_url):
        return None
    return canonical_url(declared)


def page_identity(fetched_url: str, declared: str | None, publisher_domain: str | None = None) -> str:
    """The canonical URL an extracted page is stored under.

    The page's declared canonical when it is on the fetched site; also when the bytes came from
    elsewhere (a mirror or cache) but the declared canonical is on the publisher the listing named
    (feed ``<source>``, a search API's domain field): two independent sources agree. Otherwise the
    URL we fetched, so a syndicated copy stays its own article.
    """
    if declared and declared.startswith(("http://", "https://")):
        if same_site(declared, fetched_url):
            return canonical_url(declared)
        if publisher_domain and same_site(declared, f"https://{publisher_domain}/") \
                and not same_site(fetched_url, f"https://{publisher_domain}/"):
            return canonical_url(declared)
    return canonical_url(fetched_url)
