"""The dashboard: server-rendered HTML pages over the same data as the JSON API.

Pages: ``/`` Today, ``/story/{id}``, ``/therapy`` and ``/therapy/{name}``, ``/compare``,
``/outlets`` (sources and ratings), ``/status`` (crawl status). Templates autoescape every value
(never ``|safe``); links to crawled URLs go through the ``href`` filter, which lets only http(s)
through. CSS is served from ``api/static``; there is no JavaScript and nothing from a CDN.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, get_args

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.templating import Jinja2Templates

from analysis.model import EvidenceLevel
from analysis.model.metrics import difference_text, metric_label, unit_family
from api.charts import LEAN_CSS, lean_segments, metric_charts, timeline_bars
from api.deps import Conn, Cursor, Since, Until
from api.params import BadParameter, CompareBy, Rater, check_id, optional_choice, window
from service.alerts import watch_states
from service.compare import compare
from service.listings import BadCursor, front_page_stories, ratings_imported, unrated_outlets
from service.names import short_names
from service.views import (
    crawl_status_data,
    outlets_page,
    story_detail,
    story_discrepancies,
    therapy_detail,
    therapy_items,
)

router = APIRouter(include_in_schema=False)
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
RECENT = 20
# The Therapy page: groups shown in full, values per list, discrepancies per group, history rows.
THERAPY_GROUPS, THERAPY_VALUES, THERAPY_DISCREPANCIES, THERAPY_HISTORY = 12, 8, 3, 50
THERAPY_MORE_GROUPS = 60  # older groups listed one line each; beyond them, the JSON has all
COMPARE_SINCE = "90d"  # the Compare page's default window (the API's default is all time)
UNRATED_PAGE = 50
RATERS: tuple[str, ...] = get_args(Rater)


def href(url: object) -> str:
    """A crawled URL as a link target: http(s) only, anything else (``javascript:``) goes nowhere."""
    text = str(url or "")
    return text if text.lower().startswith(("http://", "https://")) else "#"


def build_templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                      trim_blocks=False, lstrip_blocks=False)
    env.filters["href"] = href
    env.filters["evidence_label"] = lambda value: EvidenceLevel(value).label
    short = short_names()
    env.globals.update(lean_segments=lean_segments, lean_css=LEAN_CSS, raters=RATERS, metric_label=metric_label,
                       difference_text=difference_text, unit_family=unit_family,
                       short_name=lambda canonical: short.get(canonical, canonical))
    return Jinja2Templates(env=env)


def render(request: Request, name: str, page: str, **context: Any) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, {"page": page, "max_page": request.app.state.max_page_size,
                                                      **context})


@router.get("/", response_class=HTMLResponse)
def today(request: Request, conn: Conn,
          since: Annotated[str, Query(max_length=64)] = "24h",
          rater: Annotated[str | None, Query(max_length=20)] = None) -> HTMLResponse:
    rater = optional_choice("rater", rater, RATERS)
    begin, _ = window(request, since, None)
    new, recent = front_page_stories(conn, since=begin or "", recent=RECENT, rater=rater)
    return render(request, "today.html", "today", new=new, recent=recent,
                  since=(begin or "")[:16].replace("T", " ") + " UTC", since_param=since, rater=rater,
                  no_ratings=not ratings_imported(conn))


@router.get("/story/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: int, conn: Conn,
               rater: Annotated[str | None, Query(max_length=20)] = None) -> HTMLResponse:
    detail = story_detail(conn, check_id("story", story_id), optional_choice("rater", rater, RATERS))
    return render(request, "story.html", "today", story=detail, coverage=detail["coverage"],
                  timeline=timeline_bars(detail["coverage"].timeline), articles=detail["articles"],
                  claims=detail["claims"], blindspot_in_view=detail["blindspot_in_view"], rater=rater,
                  echo=detail["echo"], no_ratings=not ratings_imported(conn), discrepancies=story_discrepancies(
                      conn, detail["therapies"], {a["id"] for a in detail["articles"]}))


@router.get("/therapy", response_class=HTMLResponse)
def therapies_page(request: Request, conn: Conn) -> HTMLResponse:
    return render(request, "therapies.html", "therapy", therapies=therapy_items(conn))


@router.get("/therapy/{name}", response_class=HTMLResponse)
def therapy_page(request: Request, name: str, conn: Conn) -> HTMLResponse:
    """Bounded to about a screen per section whatever the database holds: the groups with the
    newest data in full (a few values each), older groups one line each, the latest claims."""
    detail = therapy_detail(conn, name)
    metrics = sorted(detail["metrics"], key=_latest, reverse=True)
    return render(request, "therapy.html", "therapy", charts=metric_charts(detail["metrics"]),
                  history=list(reversed(detail["history"]))[:THERAPY_HISTORY], metrics=metrics[:THERAPY_GROUPS],
                  more_metrics=metrics[THERAPY_GROUPS:THERAPY_GROUPS + THERAPY_MORE_GROUPS],
                  more_metrics_left=max(len(metrics) - THERAPY_GROUPS - THERAPY_MORE_GROUPS, 0), values_shown=THERAPY_VALUES,
                  discrepancies_shown=THERAPY_DISCREPANCIES,
                  **{k: v for k, v in detail.items() if k not in ("history", "metrics")})


def _latest(summary: Any) -> str:
    return max((v.published_at or "" for v in (*summary.peer_reviewed, *summary.other)), default="")


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, conn: Conn,
                 by: Annotated[CompareBy, Query()] = "therapy",
                 since: Since = None,
                 until: Until = None,
                 rater: Annotated[str | None, Query(max_length=20)] = None) -> HTMLResponse:
    since = COMPARE_SINCE if since is None else since  # an emptied field means "all time"
    begin, end = window(request, since, until)
    found = compare(conn, by=by, since=begin, until=end, rater=optional_choice("rater", rater, RATERS))
    return render(request, "compare.html", "compare", found=found, since_param=since)


@router.get("/outlets", response_class=HTMLResponse)
def outlets_page_html(request: Request, conn: Conn,
                      cursor: Cursor = None,
                      unrated_cursor: Cursor = None) -> HTMLResponse:
    try:
        outlets = outlets_page(conn, limit=request.app.state.max_page_size, cursor=cursor)
    except BadCursor as exc:
        raise BadParameter("cursor", str(exc)) from None
    try:
        unrated = unrated_outlets(conn, limit=UNRATED_PAGE, cursor=unrated_cursor)
    except BadCursor as exc:
        raise BadParameter("unrated_cursor", str(exc)) from None
    return render(request, "outlets.html", "outlets", outlets=outlets.items, outlets_next=outlets.next_cursor,
                  unrated=unrated.items, unrated_next=unrated.next_cursor, no_ratings=not ratings_imported(conn))


@router.get("/status", response_class=HTMLResponse)
def status_page(request: Request, conn: Conn,
                notice: Annotated[str | None, Query(max_length=500)] = None) -> HTMLResponse:
    """Per source: its state, its next scheduled run (``sources.next_run_at``, written by the
    scheduler of `cartwatch run`) and, with the API token, a button that starts it now."""
    return render(request, "status.html", "status", notice=notice,
                  can_crawl=bool(request.app.state.api_config.token) and request.app.state.crawl_trigger is not None,
                  watches=watch_states(conn), **crawl_status_data(conn))
