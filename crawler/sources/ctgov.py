"""ClinicalTrials.gov API v2: CAR-T studies updated in the window, with their posted results.

``config.url`` is the studies endpoint (``https://clinicaltrials.gov/api/v2/studies``). Each run
asks for studies whose ``LastUpdatePostDate`` falls on or after the window start
(``filter.advanced=AREA[LastUpdatePostDate]RANGE[start,MAX]``) and follows ``nextPageToken``.
A study becomes one ``trial`` item keyed by its NCT id; its text is the protocol summary plus the
results section (outcome measures per arm, serious adverse events) written out as sentences, so
a study whose results are posted later is updated in place (same URL, new text).

Result values are strings in the API and text is CommonMark (``\\[`` escapes): both are kept as
written, with the escapes removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, Field

from crawler.config import SourceConfig
from crawler.errors import ParseError
from crawler.sources.base import Item, SourceContext
from crawler.sources.literature import (
    CTGOV_INTERVENTION, ApiOptions, convert_record, fetch_api, iso_day, join_paragraphs, load_json, window,
)

MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")


class CtgovOptions(ApiOptions):
    # Essie expression for query.intr (interventions); query.term adds free text (both ANDed).
    intervention: str = CTGOV_INTERVENTION
    term: str | None = None
    # Studies per page (1–1000).
    page_size: Annotated[int, Field(ge=1, le=1000)] = 100
    initial_days: Annotated[int, Field(ge=1, le=3650)] = 30


class CtgovSource:
    kind: ClassVar[str] = "ctgov"
    Options: ClassVar[type[BaseModel]] = CtgovOptions

    def __init__(self, config: SourceConfig, options: CtgovOptions) -> None:
        self.config = config
        self.options = options

    def discover(self, ctx: SourceContext) -> Iterator[Item]:
        start, _end = window(ctx, self.options.initial_days)
        params: dict[str, str | int] = {
            "query.intr": self.options.intervention,
            "filter.advanced": f"AREA[LastUpdatePostDate]RANGE[{start:%Y-%m-%d},MAX]",
            "pageSize": self.options.page_size, "format": "json",
        }
        if self.options.term:
            params["query.term"] = self.options.term
        token: str | None = None
        for _page in range(self.options.max_pages):
            fetched = fetch_api(ctx, self.config.url, {**params, **({"pageToken": token} if token else {})},
                                what="ClinicalTrials.gov", min_delay=self.options.min_delay_seconds)
            body = load_json(fetched, "ClinicalTrials.gov")
            if not isinstance(body, dict) or not isinstance(body.get("studies", []), list):
                raise ParseError(fetched.url, "ClinicalTrials.gov answer has no studies list")
            for study in body.get("studies") or []:
                item = convert_record(ctx, "ctgov", study_item, study)
                if item is not None:
                    yield item
            token = body.get("nextPageToken")
            if not token or not body.get("studies"):
                return
        ctx.problems.append(f"ctgov: stopped after max_pages={self.options.max_pages} pages")


def _md(value: Any) -> str:
    return re.sub(r"\s+", " ", MARKDOWN_ESCAPE.sub(r"\1", str(value or ""))).strip()


def _get(node: Any, *path: str) -> Any:
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def study_item(study: dict[str, Any]) -> Item | None:
    protocol = study.get("protocolSection") or {}
    nct_id = _get(protocol, "identificationModule", "nctId")
    title = _md(_get(protocol, "identificationModule", "briefTitle"))
    if not nct_id or not title:
        return None
    status = protocol.get("statusModule") or {}
    summary = _md(_get(protocol, "descriptionModule", "briefSummary"))
    officials = _get(protocol, "contactsLocationsModule", "overallOfficials") or []
    return Item(
        title=title,
        url=f"https://clinicaltrials.gov/study/{nct_id}",
        kind="trial",
        summary=summary or None,
        text=join_paragraphs(title, _md(_get(protocol, "identificationModule", "officialTitle")), _design(protocol),
                             summary, _results(study.get("resultsSection") or {})),
        published_at=iso_day(_get(status, "studyFirstPostDateStruct", "date")),
        updated_at=iso_day(_get(status, "lastUpdatePostDateStruct", "date")),
        outlet_domain="clinicaltrials.gov",
        outlet_name="ClinicalTrials.gov",
        authors=tuple(_md(o.get("name")) for o in officials if isinstance(o, dict) and o.get("name")),
        nct_id=str(nct_id),
        language="en",
        prefilter=False,
    )


def _design(protocol: dict[str, Any]) -> str:
    """"Status: COMPLETED. Phase: PHASE2. Enrollment: 97. …" from the protocol's modules."""
    interventions = _get(protocol, "armsInterventionsModule", "interventions") or []
    facts = [
        ("Status", _get(protocol, "statusModule", "overallStatus")),
        ("Phase", ", ".join(_get(protocol, "designModule", "phases") or [])),
        # "Enrollment (estimated)" is a plan, "Enrollment (actual)" a group size: the claims extractor
        # counts only the latter, so the type is written out
        (_enrollment_label(_get(protocol, "designModule", "enrollmentInfo", "type")),
         _get(protocol, "designModule", "enrollmentInfo", "count")),
        ("Sponsor", _md(_get(protocol, "sponsorCollaboratorsModule", "leadSponsor", "name"))),
        ("Conditions", "; ".join(_md(c) for c in _get(protocol, "conditionsModule", "conditions") or [])),
        ("Interventions", "; ".join(_md(i.get("name")) for i in interventions if isinstance(i, dict))),
    ]
    return " ".join(f"{label}: {value}." for label, value in facts if value not in (None, ""))


def _enrollment_label(kind: Any) -> str:
    return f"Enrollment ({kind.lower()})" if isinstance(kind, str) and kind else "Enrollment"


def _results(results: dict[str, Any]) -> str:
    measures = _get(results, "outcomeMeasuresModule", "outcomeMeasures") or []
    paragraphs = [_measure(m) for m in measures if isinstance(m, dict)]
    paragraphs.append(_serious_events(results.get("adverseEventsModule") or {}))
    return join_paragraphs(*paragraphs)


def _measure(measure: dict[str, Any]) -> str:
    """One outcome measure: "Primary outcome result: PFS (time frame: …). Arm: value unit (CI) of N …"."""
    groups = {g.get("id"): _md(g.get("title")) for g in measure.get("groups") or []}
    denominators = {c.get("groupId"): c.get("value")
                    for d in measure.get("denoms") or [] for c in d.get("counts") or []}
    spread = _md(measure.get("dispersionType")) or "range"
    unit = _md(measure.get("unitOfMeasure"))
    head = f"{(measure.get('type') or '').title()} outcome result: {_md(measure.get('title'))}"
    if measure.get("timeFrame"):
        head += f" (time frame: {_md(measure.get('timeFrame'))})"
    values = []
    for klass in measure.get("classes") or []:
        for category in klass.get("categories") or []:
            label = " ".join(filter(None, (_md(klass.get("title")), _md(category.get("title")))))
            for m in category.get("measurements") or []:
                group = groups.get(m.get("groupId")) or str(m.get("groupId"))
                median = "median " if (measure.get("paramType") or "").upper() == "MEDIAN" else ""
                text = f"{group}{f' ({label})' if label else ''}: {median}{m.get('value')} {unit}".rstrip()
                if m.get("lowerLimit") is not None and m.get("upperLimit") is not None:
                    text += f" ({spread} {m['lowerLimit']} to {m['upperLimit']})"
                elif m.get("spread") is not None:
                    text += f" ({spread} {m['spread']})"
                if m.get("comment"):  # e.g. why a median is "NA": too few events to reach it
                    text += f" ({_md(m['comment'])})"
                denominator = denominators.get(m.get("groupId"))
                values.append(text + (f" of {denominator} participants analysed" if denominator is not None else ""))
    analyses = [_analysis(a) for a in measure.get("analyses") or [] if isinstance(a, dict)]
    return " ".join(filter(None, [f"{head}.", "; ".join(values) + "." if values else "", *analyses]))


def _analysis(analysis: dict[str, Any]) -> str:
    parts = []
    if analysis.get("paramType") and analysis.get("paramValue") is not None:
        parts.append(f"{_md(analysis['paramType'])} {analysis['paramValue']}")
        if analysis.get("ciLowerLimit") is not None and analysis.get("ciUpperLimit") is not None:
            parts[-1] += f" (CI {analysis['ciLowerLimit']} to {analysis['ciUpperLimit']})"
    if analysis.get("pValue"):
        p_value = str(analysis["pValue"]).strip()
        parts.append(f"p {p_value}" if p_value[:1] in "<>=" else f"p = {p_value}")
    return "Analysis: " + ", ".join(parts) + "." if parts else ""


def _serious_events(adverse: dict[str, Any]) -> str:
    lines = [f"{_md(g.get('title'))}: {g['seriousNumAffected']} of {g.get('seriousNumAtRisk')} participants"
             for g in adverse.get("eventGroups") or [] if g.get("seriousNumAffected") is not None]
    return "Serious adverse events: " + "; ".join(lines) + "." if lines else ""
