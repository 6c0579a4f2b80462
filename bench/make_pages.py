"""Write the benchmark's news pages (bench/pages/*.html and bench/pages/pages.json).

Each page is one article body assembled from bench/page_texts.txt (our own text) inside one of
five layouts modelled on real news sites, at real sizes (30-150 KB): a wire service, a newspaper
(Next.js-style, the article repeated in ``__NEXT_DATA__``), a trade-press site, a press-release
wire and a hospital news office. Every layout has a full <head> (meta, Open Graph, JSON-LD,
inline styles and scripts), navigation, a cookie banner, related-links rails and a footer; most
have comments. Deterministic: the same files every run. The pages are committed; rerun this only
to change them.

    .venv/bin/python bench/make_pages.py
"""

from __future__ import annotations

import html
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEXTS = HERE / "page_texts.txt"
OUT = HERE / "pages"


@dataclass(frozen=True, slots=True)
class Spec:
    slug: str
    layout: str
    domain: str
    site: str
    title: str
    topics: tuple[str, ...]
    date: str


SPECS = (
    Spec("cilta-cartitude4-survival", "wire", "reuters.com", "Reuters",
         "J&J, Legend's Carvykti extends myeloma survival in late-stage trial", ("cilta", "safety", "context"), "2026-06-14"),
    Spec("axi-zuma7-five-year", "newspaper", "nytimes.com", "The New York Times",
         "A Cell Therapy for Lymphoma Keeps Patients Alive Longer, Five-Year Data Show", ("axi", "context", "access"),
         "2026-11-10"),
    Spec("karmma3-final", "trade", "onclive.com", "OncLive",
         "Ide-cel Sustains PFS Benefit in Triple-Class-Exposed Myeloma in Final KarMMa-3 Analysis", ("ide", "cilta", "safety", "context"),
         "2026-09-02"),
    Spec("liso-transform-update", "trade", "fiercebiotech.com", "Fierce Biotech",
         "BMS' Breyanzi posts 3-year TRANSFORM data as outpatient use grows", ("liso", "axi", "access"), "2026-03-21"),
    Spec("eliana-five-year", "hospital", "chop.edu", "Children's Hospital of Philadelphia",
         "Five years on, half of children treated with CAR T-cell therapy remain leukemia-free", ("tisa", "obe", "context", "safety"),
         "2026-02-05"),
    Spec("felix-obe-cel", "pressrelease", "prnewswire.com", "PR Newswire",
         "Autolus Presents Updated FELIX Data for AUCATZYL at Annual Meeting", ("obe", "safety", "context", "access"), "2026-11-08"),
    Spec("secondary-malignancy-warning", "newspaper", "washingtonpost.com", "The Washington Post",
         "FDA adds boxed warning on cancer risk to CAR-T cell therapies", ("safety", "ide", "cilta", "axi", "context"), "2026-04-19"),
    Spec("lupus-car-t", "wire", "apnews.com", "AP News",
         "Cell therapy puts lupus into drug-free remission in small study", ("lupus", "context", "safety", "access"), "2026-02-22"),
    Spec("car-t-access-costs", "newspaper", "statnews.com", "STAT",
         "The $500,000 question: why most eligible patients never get CAR-T", ("access", "axi", "context"),
         "2026-07-30"),
    Spec("cartitude1-five-year", "hospital", "mskcc.org", "Memorial Sloan Kettering",
         "Long-term CAR T results in myeloma: one in three patients progression-free at five years",
         ("cilta", "safety", "access"), "2026-01-15"),
    Spec("ash-roundup", "trade", "ashpublications.org", "The Hematologist",
         "ASH roundup: CAR-T moves earlier in myeloma and lymphoma", ("cilta", "axi", "liso", "ide", "obe", "tisa"),
         "2026-11-12"),
    Spec("kite-q3-sales", "wire", "reuters.com", "Reuters",
         "Gilead's cell therapy sales rise as Yescarta use grows in second-line lymphoma", ("axi", "access", "liso"),
         "2026-10-29"),
    Spec("jnj-capacity-release", "pressrelease", "businesswire.com", "Business Wire",
         "Legend Biotech Reports CARTITUDE-4 Overall Survival Data and Expanded Manufacturing Capacity",
         ("cilta", "access", "context"), "2026-11-02"),
    Spec("tisa-market-exit", "trade", "endpts.com", "Endpoints News",
         "Novartis narrows Kymriah footprint as newer CAR-Ts and bispecifics take share", ("tisa", "context", "obe", "liso"),
         "2026-05-11"),
)


def load_texts() -> dict[str, list[str]]:
    topics: dict[str, list[str]] = {}
    current = None
    for block in TEXTS.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("# ")]
        if lines and lines[0].startswith("## "):
            current = lines.pop(0)[3:].strip()
            topics[current] = []
        if lines and current:
            topics[current].append(" ".join(lines))
    return topics


def words(rng: random.Random, n: int) -> str:
    pool = ("cancer", "trial", "patients", "health", "market", "science", "policy", "research", "drug", "study",
            "care", "doctors", "hospital", "news", "results", "data", "approval", "cost", "treatment", "update")
    return " ".join(rng.choice(pool) for _ in range(n))


def inline_css(rng: random.Random, rules: int) -> str:
    props = ("margin:0 auto", "padding:4px 8px", "display:flex", "color:#1a1a1a", "font-size:14px",
             "line-height:1.5", "border-bottom:1px solid #e2e2e2", "grid-template-columns:repeat(12,1fr)",
             "font-family:Georgia,serif", "max-width:1200px", "transition:opacity .2s ease-in-out")
    out = []
    for i in range(rules):
        out.append(f".c-{rng.randrange(16**5):05x}-{i}{{{';'.join(rng.sample(props, 3))}}}")
    return "\n".join(out)


def tracking_js(rng: random.Random, kb: int) -> str:
    """Ad-tech and analytics configuration, as pages inline it (JSON config plus bootstrap code)."""
    units = [{"code": f"ad-slot-{i}", "sizes": [[300, 250], [728, 90]], "bidders": [
        {"bidder": b, "params": {"placementId": rng.randrange(10**7), "siteId": f"{rng.randrange(16**8):08x}"}}
        for b in ("appnexus", "rubicon", "openx", "ix", "pubmatic")]} for i in range(400)]
    blob = json.dumps({"adUnits": units, "consent": {"gdpr": True, "vendors": list(range(900))}})
    return ("window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
            "gtag('js',new Date());gtag('config','G-BENCH0001');\nvar pbjs=pbjs||{};pbjs.que=pbjs.que||[];"
            f"pbjs.que.push(function(){{pbjs.addAdUnits({blob[: kb * 1024]}".rstrip(",") + "})});")


def nav(rng: random.Random, domain: str, links: int) -> str:
    sections = ("World", "US", "Business", "Health", "Science", "Pharma", "Biotech", "Policy", "Oncology",
                "Hematology", "Opinion", "Video", "Podcasts", "Events", "Newsletters", "Markets")
    items = [f'<li><a href="https://{domain}/{s.lower()}/{words(rng, 2).replace(" ", "-")}-{i}">'
             f'{s} {words(rng, 2).title()}</a></li>' for i, s in enumerate(rng.choice(sections) for _ in range(links))]
    return f'<nav class="site-nav" aria-label="Main"><ul>{"".join(items)}</ul></nav>'


def cookie_banner() -> str:
    return ('<div id="onetrust-banner" class="cookie-banner" role="dialog"><p>We and our 842 partners store '
            'and access information on your device, such as cookies, and process personal data such as unique '
            'identifiers and browsing data, to personalise content and ads, measure performance and develop '
            'products. You can accept, reject or manage your choices at any time in Privacy Settings.</p>'
            '<button>Accept all</button><button>Reject all</button><a href="/privacy">Manage preferences</a></div>')


def related(rng: random.Random, domain: str, n: int, heading: str) -> str:
    items = "".join(
        f'<li class="rail-item"><a href="https://{domain}/health/{words(rng, 4).replace(" ", "-")}-{rng.randrange(10**6)}">'
        f'<h3>{words(rng, 7).capitalize()}</h3></a><p class="dek">{words(rng, 18).capitalize()}.</p>'
        f'<time>{rng.randint(1, 23)} hours ago</time></li>' for _ in range(n))
    return f'<aside class="related"><h2>{heading}</h2><ul>{items}</ul></aside>'


def comments(rng: random.Random, n: int) -> str:
    notes = ("My father was treated with this in 2022 and is still in remission.", "The price is the real story.",
             "Why does it take so long to get a slot at a treatment centre?", "Great reporting, thank you.",
             "Bispecifics are easier for community oncologists to give.", "What about patients outside big cities?")
    items = "".join(f'<li class="comment"><span class="author">reader{rng.randrange(10**4)}</span>'
                    f'<p>{rng.choice(notes)} {words(rng, rng.randint(10, 40)).capitalize()}.</p>'
                    f'<span class="likes">{rng.randint(0, 300)} likes</span></li>' for _ in range(n))
    return f'<section id="comments" class="comments"><h2>{n} Comments</h2><ol>{items}</ol></section>'


def footer(rng: random.Random, domain: str, links: int) -> str:
    items = "".join(f'<a href="https://{domain}/{words(rng, 1)}/{i}">{words(rng, 2).title()}</a>' for i in range(links))
    return (f'<footer class="site-footer"><div class="footer-links">{items}</div><p>&copy; 2026 {domain}. '
            'All rights reserved. Use of this site constitutes acceptance of our User Agreement and Privacy '
            'Policy and Cookie Statement and Your Privacy Choices.</p></footer>')


def head(spec: Spec, url: str, paragraphs: list[str], rng: random.Random, *, css_rules: int, js_kb: int,
         body_in_jsonld: bool) -> str:
    description = paragraphs[0][:200]
    ld: dict[str, object] = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": spec.title, "url": url,
        "datePublished": f"{spec.date}T13:05:00Z", "dateModified": f"{spec.date}T18:40:00Z",
        "author": [{"@type": "Person", "name": "Jordan Ellis"}, {"@type": "Person", "name": "Priya Raman"}],
        "publisher": {"@type": "Organization", "name": spec.site, "logo": {"@type": "ImageObject",
                                                                        "url": f"https://{spec.domain}/logo.png"}},
        "image": [f"https://{spec.domain}/img/{spec.slug}-{w}.jpg" for w in (640, 1280, 1920)],
        "isAccessibleForFree": "True", "keywords": ["CAR-T", "cell therapy", "oncology", "hematology"],
    }
    if body_in_jsonld:
        ld["articleBody"] = "\n\n".join(paragraphs)
    crumbs = {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": i + 1, "name": n, "item": f"https://{spec.domain}/{n.lower()}"}
        for i, n in enumerate(("Health", "Oncology", "Cell therapy"))]}
    e = html.escape
    return f"""<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(spec.title)} | {e(spec.site)}</title>
<meta name="description" content="{e(description)}">
<meta property="og:type" content="article"><meta property="og:title" content="{e(spec.title)}">
<meta property="og:url" content="{url}"><meta property="og:site_name" content="{e(spec.site)}">
<meta property="og:description" content="{e(description)}">
<meta property="og:image" content="https://{spec.domain}/img/{spec.slug}-1280.jpg">
<meta name="twitter:card" content="summary_large_image"><meta name="twitter:title" content="{e(spec.title)}">
<meta property="article:published_time" content="{spec.date}T13:05:00Z">
<meta property="article:section" content="Health"><meta name="author" content="Jordan Ellis, Priya Raman">
<link rel="canonical" href="{url}">
<link rel="preconnect" href="https://cdn.{spec.domain}"><link rel="preload" as="font" href="/fonts/serif.woff2">
<link rel="stylesheet" href="https://cdn.{spec.domain}/static/css/main.{rng.randrange(16**8):08x}.css">
<script type="application/ld+json">{json.dumps(ld)}</script>
<script type="application/ld+json">{json.dumps(crumbs)}</script>
<style>{inline_css(rng, css_rules)}</style>
<script>{tracking_js(rng, js_kb)}</script>
<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>
</head>"""


def article_body(spec: Spec, paragraphs: list[str], rng: random.Random, *, ads: bool, dateline: str = "") -> str:
    parts = []
    for i, text in enumerate(paragraphs):
        lead = dateline if i == 0 else ""
        parts.append(f"<p>{lead}{html.escape(text)}</p>")
        if ads and i % 3 == 2:
            parts.append('<div class="ad-slot" data-slot="mid"><span>Advertisement</span></div>')
        if i == 3:
            parts.append(f'<div class="inline-related"><strong>Read more:</strong> <a href="/health/{rng.randrange(10**6)}">'
                         f'{words(rng, 6).capitalize()}</a></div>')
    return "\n".join(parts)


def byline(spec: Spec) -> str:
    return (f'<div class="byline">By <a rel="author" href="/authors/jordan-ellis">Jordan Ellis</a> and '
            f'<a rel="author" href="/authors/priya-raman">Priya Raman</a></div>'
            f'<time datetime="{spec.date}T13:05:00Z">{spec.date}</time>')


def page(spec: Spec, paragraphs: list[str], seed: int) -> str:
    rng = random.Random(seed)
    url = f"https://www.{spec.domain}/health/{spec.date.replace('-', '/')}/{spec.slug}/"
    layout = LAYOUTS[spec.layout]
    return layout(spec, url, paragraphs, rng)


def wire(spec: Spec, url: str, paragraphs: list[str], rng: random.Random) -> str:
    return (f'<!DOCTYPE html><html lang="en">{head(spec, url, paragraphs, rng, css_rules=250, js_kb=30, body_in_jsonld=False)}'
            f'<body>{cookie_banner()}<header>{nav(rng, spec.domain, 120)}</header><main><article>'
            f'<nav class="breadcrumb"><a href="/health">Health</a> / <a href="/health/pharma">Pharma</a></nav>'
            f'<h1>{html.escape(spec.title)}</h1>{byline(spec)}'
            f'<figure><img src="/img/{spec.slug}.jpg" alt=""><figcaption>{words(rng, 16).capitalize()}. '
            f'REUTERS/Staff</figcaption></figure><div class="article-body">'
            f'{article_body(spec, paragraphs, rng, ads=True, dateline="(Reuters) - ")}</div>'
            '<p class="trust">Our Standards: The Thomson Reuters Trust Principles.</p></article>'
            f'{related(rng, spec.domain, 12, "Read Next")}</main>{related(rng, spec.domain, 20, "Most Read")}'
            f'{footer(rng, spec.domain, 150)}</body></html>')


def newspaper(spec: Spec, url: str, paragraphs: list[str], rng: random.Random) -> str:
    next_data = {"props": {"pageProps": {"article": {"headline": spec.title, "blocks": [
        {"type": "paragraph", "text": p, "id": rng.randrange(10**9)} for p in paragraphs]}}},
        "page": "/[...slug]", "buildId": f"{rng.randrange(16**10):010x}"}
    return (f'<!DOCTYPE html><html lang="en-US">{head(spec, url, paragraphs, rng, css_rules=450, js_kb=30, body_in_jsonld=True)}'
            f'<body><div id="__next">{cookie_banner()}<div class="paywall-meter">You have 3 free articles left.</div>'
            f'<header>{nav(rng, spec.domain, 150)}</header><main id="site-content"><article>'
            f'<header><p class="kicker">Health</p><h1>{html.escape(spec.title)}</h1>'
            f'<p class="summary">{html.escape(paragraphs[0][:160])}</p>{byline(spec)}</header>'
            f'<section name="articleBody">{article_body(spec, paragraphs, rng, ads=True)}</section>'
            f'<div class="newsletter"><h3>Sign up for the Well newsletter</h3><p>{words(rng, 25)}</p>'
            '<input type="email"><button>Sign up</button></div></article>'
            f'{related(rng, spec.domain, 16, "More in Health")}{comments(rng, 25)}</main>'
            f'{related(rng, spec.domain, 24, "Editors’ Picks")}{footer(rng, spec.domain, 220)}</div>'
            f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(next_data)}</script></body></html>')


def trade(spec: Spec, url: str, paragraphs: list[str], rng: random.Random) -> str:
    return (f'<!DOCTYPE html><html lang="en">{head(spec, url, paragraphs, rng, css_rules=400, js_kb=25, body_in_jsonld=False)}'
            f'<body>{cookie_banner()}<div class="top-ad ad-slot">Advertisement</div>'
            f'<header>{nav(rng, spec.domain, 160)}</header><div class="layout"><main><article>'
            f'<h1>{html.escape(spec.title)}</h1>{byline(spec)}<div class="share"><a href="#">Share</a>'
            f'<a href="#">Email</a><a href="#">Print</a></div>'
            f'<div class="article-content">{article_body(spec, paragraphs, rng, ads=True)}</div>'
            '<div class="tags"><a href="/tag/car-t">CAR-T</a><a href="/tag/myeloma">Multiple myeloma</a>'
            '<a href="/tag/lymphoma">Lymphoma</a><a href="/tag/ash">ASH</a></div></article>'
            f'{comments(rng, 12)}</main><aside class="sidebar">{related(rng, spec.domain, 10, "Trending")}'
            f'<div class="webinar"><h3>Upcoming webinar</h3><p>{words(rng, 30)}</p></div>'
            f'{related(rng, spec.domain, 10, "Latest Conference Coverage")}</aside></div>'
            f'{footer(rng, spec.domain, 120)}</body></html>')


def pressrelease(spec: Spec, url: str, paragraphs: list[str], rng: random.Random) -> str:
    company = "Autolus Therapeutics" if "obe" in spec.topics else "Legend Biotech"
    boiler = (f"About {company}: {company} is a biopharmaceutical company developing and commercialising "
              "next-generation T cell therapies for the treatment of cancer and autoimmune disease. "
              "Forward-looking statements: This press release contains forward-looking statements within the "
              "meaning of the Private Securities Litigation Reform Act of 1995, which involve substantial risks "
              "and uncertainties, including the timing of regulatory filings, manufacturing capacity, and "
              "commercial uptake. Actual results may differ materially.")
    dateline = f"LONDON, {spec.date} /PRNewswire/ -- "
    return (f'<!DOCTYPE html><html lang="en-US">{head(spec, url, paragraphs, rng, css_rules=300, js_kb=20, body_in_jsonld=False)}'
            f'<body>{cookie_banner()}<header>{nav(rng, spec.domain, 90)}</header><main><article class="release">'
            f'<h1>{html.escape(spec.title)}</h1><p class="subtitle">{words(rng, 14).capitalize()}</p>'
            f'<p class="mb-no-margin">NEWS PROVIDED BY <a href="/news/{company.split()[0].lower()}">{company}</a></p>'
            f'<time>{spec.date}, 07:00</time><section class="release-body">'
            f'{article_body(spec, paragraphs, rng, ads=False, dateline=dateline)}<p>{html.escape(boiler)}</p>'
            '<p>Media contact: press@example.com; Investor contact: ir@example.com</p></section></article>'
            f'{related(rng, spec.domain, 15, "Also from this source")}{related(rng, spec.domain, 15, "Explore")}'
            f'</main>{footer(rng, spec.domain, 200)}</body></html>')


def hospital(spec: Spec, url: str, paragraphs: list[str], rng: random.Random) -> str:
    return (f'<!DOCTYPE html><html lang="en">{head(spec, url, paragraphs, rng, css_rules=150, js_kb=12, body_in_jsonld=False)}'
            f'<body>{cookie_banner()}<header><a class="logo" href="/">{html.escape(spec.site)}</a>'
            f'{nav(rng, spec.domain, 80)}<a class="cta" href="/appointments">Request an appointment</a></header>'
            f'<main><nav class="breadcrumb"><a href="/news">News</a> &gt; <a href="/news/research">Research</a></nav>'
            f'<article><h1>{html.escape(spec.title)}</h1><time>{spec.date}</time>'
            f'{article_body(spec, paragraphs, rng, ads=False)}'
            '<div class="media-contact"><h2>Media contact</h2><p>Office of Communications, 215-555-0100</p></div>'
            f'</article>{related(rng, spec.domain, 8, "Related news")}</main>{footer(rng, spec.domain, 90)}'
            '</body></html>')


LAYOUTS = {"wire": wire, "newspaper": newspaper, "trade": trade, "pressrelease": pressrelease, "hospital": hospital}


def main() -> None:
    topics = load_texts()
    OUT.mkdir(exist_ok=True)
    manifest = []
    for seed, spec in enumerate(SPECS):
        paragraphs = [p for t in spec.topics for p in topics[t]]
        text = page(spec, paragraphs, seed)
        path = OUT / f"{spec.slug}.html"
        path.write_text(text, encoding="utf-8")
        url = f"https://www.{spec.domain}/health/{spec.date.replace('-', '/')}/{spec.slug}/"
        manifest.append({"file": path.name, "url": url, "layout": spec.layout,
                         "body_words": sum(len(p.split()) for p in paragraphs), "bytes": len(text.encode())})
        sys.stdout.write(f"{path.name:<40} {spec.layout:<12} {manifest[-1]['body_words']:>5} words "
                         f"{manifest[-1]['bytes'] / 1024:6.1f} KB\n")
    (OUT / "pages.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
