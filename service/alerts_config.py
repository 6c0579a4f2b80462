"""The ``[alerts]`` section: how often to look for new matches, how to deliver them, the daily
digest, and the watches themselves (``[[alerts.watches]]``; more come through ``POST /watches``).

``WatchSpec`` is the one validated form of a watch, for config.toml and the API alike: names
resolve (``cilta-cel`` → the canonical product, ``orr`` → ``ORR``), unknown ones are errors.
Secrets never sit here: ``username_env``/``password_env`` name environment variables.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from analysis.consistency import EVIDENCE_CLASSES
from analysis.model.metrics import METRICS, resolve_metric
from analysis.therapies import resolve_therapy
from analysis.model.records import Watch, WatchKind
from analysis.watches import TARGETS
from store.articles import fts_query

WATCH_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
KNOWN_TARGETS = tuple(sorted(set(TARGETS.values())))


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def check_email(value: str) -> str:
    if not EMAIL.match(value):
        raise ValueError(f"not an e-mail address: {value[:80]!r}")
    return value


class WatchSpec(Section):
    """One watch as a user writes it (config.toml table or API body)."""

    name: Annotated[str, Field(description="short slug, unique", examples=["cilta-orr"])]
    kind: WatchKind = "claim"
    therapy: Annotated[str | None, Field(description="any name of a product, e.g. cilta-cel")] = None
    target: Annotated[str | None, Field(description="antigen class, e.g. BCMA, CD19")] = None
    metric: Annotated[str | None, Field(description="metric code, any case, e.g. ORR, crs_grade3plus")] = None
    evidence: Annotated[str | None, Field(description="an evidence level, e.g. peer_reviewed, news")] = None
    query: Annotated[str | None, Field(max_length=500, description="words that must all appear in title or text")] = None
    email: tuple[str, ...] = ()
    webhook: str | None = None

    @field_validator("name")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not WATCH_NAME.match(value):
            raise ValueError("must be a short slug of lowercase letters, digits, '-' or '_'")
        return value

    @field_validator("therapy")
    @classmethod
    def _therapy(cls, value: str | None) -> str | None:
        if value is None:
            return None
        canonical = resolve_therapy(value)
        if canonical is None:
            raise ValueError(f"no product named {value[:80]!r} (see GET /therapies)")
        return canonical

    @field_validator("target")
    @classmethod
    def _target(cls, value: str | None) -> str | None:
        if value is None:
            return None
        found = next((t for t in KNOWN_TARGETS if t.casefold() == value.strip().casefold()), None)
        if found is None:
            raise ValueError(f"unknown target {value[:40]!r} (known: {', '.join(KNOWN_TARGETS)})")
        return found

    @field_validator("metric")
    @classmethod
    def _metric(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = resolve_metric(value)
        if code is None:
            raise ValueError(f"unknown metric {value[:40]!r} (known: {', '.join(METRICS)})")
        return code

    @field_validator("evidence")
    @classmethod
    def _evidence(cls, value: str | None) -> str | None:
        # Checked against the one vocabulary of analysis.consistency, whatever levels it holds.
        if value is not None and value not in EVIDENCE_CLASSES:
            raise ValueError(f"unknown evidence level {value[:40]!r} (known: {', '.join(EVIDENCE_CLASSES)})")
        return value

    @field_validator("query")
    @classmethod
    def _query(cls, value: str | None) -> str | None:
        if value is not None and fts_query(value) is None:
            raise ValueError(f"{value[:60]!r} has no word to search for")
        return value

    @field_validator("email")
    @classmethod
    def _emails(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(check_email(v) for v in value)

    @field_validator("webhook")
    @classmethod
    def _webhook(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/?#\s]+[^\s]*$", value):
            raise ValueError("must be an absolute http:// or https:// URL")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> WatchSpec:
        if not self.email and not self.webhook:
            raise ValueError("give email addresses, a webhook URL or both: a watch must deliver somewhere")
        if self.query and self.kind != "article":
            raise ValueError("query is for kind = \"article\" (full-text watches)")
        if self.kind == "article" and not (self.query or self.therapy or self.target):
            raise ValueError("an article watch needs a query, a therapy or a target")
        if self.metric and self.kind not in ("claim", "discrepancy"):
            raise ValueError("metric is for kind = \"claim\" or \"discrepancy\"")
        if self.evidence and self.kind != "claim":
            raise ValueError("evidence is for kind = \"claim\"")
        return self

    def to_watch(self) -> Watch:
        return Watch(name=self.name, kind=self.kind, therapy=self.therapy, target=self.target, metric=self.metric,
                     evidence=self.evidence, query=self.query, email=self.email, webhook=self.webhook)


class SmtpConfig(Section):
    host: str = ""  # empty: no e-mail (watches with email addresses are then a config error)
    port: Annotated[int, Field(ge=1, le=65535)] = 587
    # starttls: plain connect then STARTTLS (port 587); tls: TLS from the first byte (port 465);
    # none: only for a relay on localhost. Certificates are always verified.
    security: Literal["starttls", "tls", "none"] = "starttls"
    username_env: str = ""
    password_env: str = ""
    sender: str = "cartwatch@example.org"
    ca_file: str = ""  # extra CA bundle for a private relay's certificate
    timeout_seconds: Annotated[float, Field(gt=0, le=300)] = 30.0

    @field_validator("username_env", "password_env")
    @classmethod
    def _env(cls, value: str) -> str:
        if value and not ENV_NAME.match(value):
            raise ValueError("the NAME of an environment variable (letters, digits, _), not the secret itself")
        return value

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str) -> str:
        return check_email(value)

    @model_validator(mode="after")
    def _both_or_neither(self) -> SmtpConfig:
        if bool(self.username_env) != bool(self.password_env):
            raise ValueError("set both username_env and password_env, or neither")
        return self


class DigestConfig(Section):
    enabled: bool = False
    schedule: str = "0 7 * * *"  # cron in UTC; the digest covers the 24 hours before each run
    email: tuple[str, ...] = ()

    @field_validator("email")
    @classmethod
    def _emails(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(check_email(v) for v in value)


class AlertsConfig(Section):
    enabled: bool = True
    schedule: str = "every 5m"
    max_attempts: Annotated[int, Field(ge=1, le=50)] = 6
    retry_backoff_seconds: Annotated[float, Field(ge=0, le=86_400)] = 60.0
    max_backoff_seconds: Annotated[float, Field(ge=0, le=7 * 86_400)] = 6 * 3600.0
    webhook_timeout_seconds: Annotated[float, Field(gt=0, le=300)] = 20.0
    # New matches one watch sends one by one per check; more (a first crawl, a backfill) are
    # sent as one summary message instead.
    max_alerts_per_check: Annotated[int, Field(ge=1, le=1000)] = 10
    # A new record is looked for this far behind the last check too: an article committed
    # seconds after its timestamp is not missed, and the delivery key stops a double alert.
    overlap_minutes: Annotated[int, Field(ge=0, le=24 * 60)] = 30
    smtp: SmtpConfig = Field(default_factory=SmtpConfig)
    digest: DigestConfig = Field(default_factory=DigestConfig)
    watches: tuple[WatchSpec, ...] = ()

    @model_validator(mode="after")
    def _deliverable(self) -> AlertsConfig:
        names = [w.name for w in self.watches]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate watch name(s) {', '.join(duplicates)}")
        mailing = [f"watch {w.name}" for w in self.watches if w.email] + (["the digest"] if self.digest.enabled else [])
        if mailing and not self.smtp.host:
            raise ValueError(f"{', '.join(mailing)} would send e-mail, but [alerts.smtp] has no host")
        if self.digest.enabled and not self.digest.email:
            raise ValueError("digest.enabled needs digest.email addresses")
        return self
