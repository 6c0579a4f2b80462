"""Article pages and feeds: bytes in, typed records out.

The golden pages in tests/fixtures/golden/pages/ are realistic news pages with their boilerplate (cookie
banners, navigation, related links, newsletter boxes, comments, footers). Our extraction must
equal trafilatura's own on each (no regression from our decoding, tree building or clean-up),
and match the reviewed expected record beside it (``<page>.json``). Regenerate those only with
``CARTWATCH_UPDATE_GOLDEN=1 pytest tests/test_parse.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import trafilatura

from cartwatch.commands.page import extract_file
from crawler.errors import ExtractError
from crawler.fetch import Fetched
from crawler.parse import clean_text, decode_html, parse_article, parse_feed, strip_site_name

GOLDEN = Path(__file__).parent / "fixtures" / "golden" / "pages"
PAGES = sorted(GOLDEN.glob("*.html"))
UPDATE = os.environ.get("CARTWATCH_UPDATE_GOLDEN") == "1"
BOILERPLATE = ("cookie", "Accept all", "Related Content", "Most viewed", "Sign up", "All rights reserved",
               "oldriverbank", "Also from this source", "Skip to main content", "Share on")


def fetched(body: bytes, url: str = "https://news.example/a", content_type: str = "text/html") -> Fetched:
    return Fetched(url, url, 200, {"content-type": content_type}, body)


def page(inner: str, head: str = "") -> bytes:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>T</title>{head}</head>"
            f"<body><article><h1>Headline</h1>{inner}</article></body></html>").encode()


LONG = ("<p>Ciltacabtagene autoleucel produced durable responses in the CARTITUDE-1 study, investigators said, "
        "with a median duration of response of 33.9 months among the 97 patients who were treated.</p>"
        "<p>Cytokine release syndrome occurred in 95% of patients and was grade 3 or 4 in 4%, and movement and "
        "neurocognitive adverse events emerged in a small number of patients.</p>")


def test_golden_pages_exist() -> None:
    assert len(PAGES) >= 4


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_text_equals_trafilaturas_own_extraction(path: Path) -> None:
    body = path.read_bytes()
    ours = parse_article(fetched(body)).text
    reference = trafilatura.extract(decode_html(fetched(body)), include_comments=False)
    assert reference and ours == reference
    assert not [b for b in BOILERPLATE if b.lower() in ours.lower()]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_extraction_matches_the_reviewed_golden_record(path: Path) -> None:
    record = extract_file(path)
    record["path"] = path.name
    expected_file = path.with_suffix(".json")
    if UPDATE:
        expected_file.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert record == json.loads(expected_file.read_text(encoding="utf-8"))


def test_html_comments_do_not_cut_paragraphs() -> None:
    # lxml's default parser keeps comments; handing that tree to trafilatura dropped the text
    # after "<!-- ad -->". We build the tree with trafilatura's own loader.
    body = page("<p>The overall response rate was 97.9% <!-- ad slot --> in the 97 treated patients of the "
                "CARTITUDE-1 study, and 82.5% reached a stringent complete response.</p>" + LONG)
    assert "in the 97 treated patients of the CARTITUDE-1 study" in parse_article(fetched(body)).text


def test_windows_1252_page_is_decoded_from_its_meta_charset() -> None:
    text = parse_article(fetched((GOLDEN / "newspaper_feature_cp1252.html").read_bytes())).text
    assert "Aoife’s consultant said the word “CAR-T”" in text and "£2,300" in text and "José Peña" in text


@pytest.mark.parametrize(("head", "expected"), [
    ('<link rel="canonical" href="https://news.example/story"><meta property="og:url" content="https://news.example/og">',
     "https://news.example/story"),
    ('<meta property="og:url" content="https://news.example/og">', "https://news.example/og"),
    ('<link rel="canonical" href="/relative/story">', "https://news.example/relative/story"),
    ('<link rel="canonical" href="javascript:void(0)"><meta property="og:url" content="https://news.example/og">',
     "https://news.example/og"),
    ("", None),
])
def test_declared_canonical_prefers_rel_canonical_then_og_url(head: str, expected: str | None) -> None:
    assert parse_article(fetched(page(LONG, head))).canonical_url == expected


@pytest.mark.parametrize(("body", "content_type", "message"), [
    (b"%PDF-1.7\n%\xe2\xe3", "text/html", "PDF bytes"),
    (b"%PDF-1.7", "application/pdf", "not an HTML page (content-type application/pdf)"),
    (page("<p>Subscribe to read the full story.</p>"), "text/html", "paywall teaser or empty page"),
])
def test_non_articles_are_extract_errors(body: bytes, content_type: str, message: str) -> None:
    with pytest.raises(ExtractError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_article(fetched(body, content_type=content_type))


def test_site_name_suffix_is_stripped_from_titles() -> None:
    assert strip_site_name("Cilta-cel data at ASH | Oncology Trade Daily", "Oncology Trade Daily") == "Cilta-cel data at ASH"
    assert strip_site_name("Cilta-cel data at ASH - oncology trade daily", "Oncology Trade Daily") == "Cilta-cel data at ASH"
    assert strip_site_name("Oncology Trade Daily", "Oncology Trade Daily") == "Oncology Trade Daily"
    assert strip_site_name("A - B", None) == "A - B"


def test_clean_text_unescapes_double_encoded_feed_text() -> None:
    assert clean_text("FDA &amp;quot;approves&amp;quot; <b>Tecartus</b>\n  today") == 'FDA "approves" Tecartus today'
    assert clean_text("   ") is None


def test_bing_news_source_element_names_the_outlet() -> None:
    feed = (b'<?xml version="1.0"?><rss version="2.0" xmlns:News="https://www.bing.com/news/search?q=x&amp;format=rss">'
            b"<channel><title>x</title><item><title>T</title><link>https://www.bing.com/news/apiclick.aspx?url=a</link>"
            b"<News:Source>Fierce Biotech</News:Source></item></channel></rss>")
    [entry] = parse_feed(fetched(feed, content_type="application/rss+xml")).entries
    assert entry.source_name == "Fierce Biotech"


@pytest.mark.parametrize("declared", ["header", "meta"])
def test_a_utf8_page_with_one_bad_byte_stays_utf8(declared: str) -> None:
    body = page("<p>Grade ≥3 cytokine release syndrome occurred in 4% of the patients treated with "
                "ciltacabtagene autoleucel \xe2\x80 in the CARTITUDE-1 study, investigators said.</p>" + LONG)
    body = body.replace(b"\xc3\xa2\xc2\x80", b"\xe2\x80")  # one truncated (invalid) UTF-8 sequence
    if declared == "header":
        body = body.replace(b"<meta charset='utf-8'>", b"")
    result = fetched(body, content_type="text/html; charset=utf-8" if declared == "header" else "text/html")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = decode_html(result)
    assert "Grade ≥3 cytokine" in text and "â‰¥" not in text and "\ufffd" in text


@pytest.mark.parametrize("mark", [
    '<script type="application/ld+json">{"@type": "NewsArticle", "isAccessibleForFree": false}</script>',
    '<script type="application/ld+json">{"isAccessibleForFree":"False"}</script>',
    '<meta property="article:content_tier" content="locked">',
    '<meta itemprop="isAccessibleForFree" content="false">',
])
def test_a_paywalled_page_is_marked_partial(mark: str) -> None:
    assert parse_article(fetched(page(LONG, head=mark))).partial is True


def test_a_free_page_is_not_partial() -> None:
    free = '<script type="application/ld+json">{"isAccessibleForFree": true}</script>'
    assert parse_article(fetched(page(LONG, head=free))).partial is False
