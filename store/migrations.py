"""Schema, as forward-only migrations applied on every open (sqlite-utils ``Migrations``).

The schema version is the number of applied migrations of the ``cartwatch`` set. Never edit a
migration that has shipped; add the next one. Tables are plain SQLite with an FTS5 index made by
sqlite-utils, so the file opens as is in Datasette and ``sqlite-utils``.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

migrations = Migrations("cartwatch")

INITIAL_SCHEMA = """
CREATE TABLE outlets (
    domain TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    source_type TEXT,
    owner TEXT,
    ownership_category TEXT,
    country TEXT,
    verified_at TEXT,
    provenance TEXT NOT NULL DEFAULT 'cartwatch'
);
CREATE TABLE sources (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    last_run_at TEXT,
    last_success_at TEXT,
    last_error TEXT,
    last_error_at TEXT,
    error_count INTEGER NOT NULL DEFAULT 0,
    state TEXT
);
CREATE TABLE http_cache (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    checked_at TEXT NOT NULL
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    canonical_url TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    summary TEXT,
    kind TEXT NOT NULL,
    source_name TEXT NOT NULL,
    outlet_domain TEXT NOT NULL,
    outlet_name TEXT,
    published_at TEXT,
    sort_at TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    language TEXT,
    authors TEXT,
    doi TEXT,
    pmid TEXT,
    nct_id TEXT,
    title_key TEXT,
    content_hash TEXT NOT NULL
);
CREATE INDEX idx_articles_sort_at ON articles(sort_at, id);
CREATE INDEX idx_articles_published_at ON articles(published_at);
CREATE INDEX idx_articles_fetched_at ON articles(fetched_at);
CREATE INDEX idx_articles_outlet ON articles(outlet_domain, published_at);
CREATE INDEX idx_articles_title_key ON articles(title_key, outlet_domain);
CREATE UNIQUE INDEX idx_articles_doi ON articles(doi) WHERE doi IS NOT NULL;
CREATE UNIQUE INDEX idx_articles_pmid ON articles(pmid) WHERE pmid IS NOT NULL;
CREATE UNIQUE INDEX idx_articles_nct ON articles(nct_id) WHERE nct_id IS NOT NULL;
CREATE TABLE article_therapies (
    therapy TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (therapy, article_id)
) WITHOUT ROWID;
CREATE INDEX idx_article_therapies_article ON article_therapies(article_id);
CREATE TABLE crawl_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    trigger TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'running'
);
CREATE TABLE crawl_results (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES crawl_runs(id),
    source_name TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    fetched INTEGER NOT NULL DEFAULT 0,
    new INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    skipped_reasons TEXT,
    message TEXT
);
CREATE INDEX idx_crawl_results_source ON crawl_results(source_name, started_at);
CREATE TABLE fetches (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES crawl_runs(id),
    source_name TEXT NOT NULL,
    url TEXT,
    at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    error_kind TEXT,
    status INTEGER,
    message TEXT
);
CREATE INDEX idx_fetches_run ON fetches(run_id);
CREATE INDEX idx_fetches_source ON fetches(source_name, at);
"""


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    for statement in INITIAL_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    # sqlite-utils' own FTS layout (articles_fts + triggers) is what Datasette recognises.
    db.table("articles").enable_fts(["title", "text"], tokenize="porter", create_triggers=True)


ANALYSIS_SCHEMA = """
ALTER TABLE articles ADD COLUMN story_id INTEGER REFERENCES stories(id);
ALTER TABLE articles ADD COLUMN source_type TEXT;
ALTER TABLE articles ADD COLUMN proximity TEXT;
ALTER TABLE articles ADD COLUMN syndicated_from TEXT;
ALTER TABLE articles ADD COLUMN reports_efficacy INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN reports_safety INTEGER NOT NULL DEFAULT 0;
CREATE INDEX idx_articles_story ON articles(story_id, sort_at);
CREATE INDEX idx_articles_source_type ON articles(source_type, sort_at);
CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    therapy TEXT NOT NULL,
    trial TEXT,
    indication TEXT,
    metric TEXT NOT NULL,
    value REAL,
    unit TEXT NOT NULL,
    not_reached INTEGER NOT NULL DEFAULT 0,
    timepoint_months REAL,
    ci_low REAL,
    ci_high REAL,
    denominator INTEGER,
    followup_months REAL,
    sentence TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    confidence REAL NOT NULL,
    -- Copied from the article so claims-by-therapy never needs a join to filter or sort.
    published_at TEXT,
    sort_at TEXT NOT NULL,
    outlet_domain TEXT NOT NULL,
    source_type TEXT,
    article_kind TEXT NOT NULL,
    extracted_at TEXT NOT NULL
);
CREATE INDEX idx_claims_therapy ON claims(therapy, metric, sort_at);
CREATE INDEX idx_claims_therapy_sort ON claims(therapy, sort_at);
CREATE INDEX idx_claims_trial ON claims(trial, metric);
CREATE INDEX idx_claims_article ON claims(article_id);
CREATE INDEX idx_claims_sort ON claims(sort_at);
CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    therapies TEXT NOT NULL DEFAULT '[]',
    trials TEXT NOT NULL DEFAULT '[]',
    title_tokens TEXT NOT NULL DEFAULT '[]',
    signatures BLOB,
    article_count INTEGER NOT NULL DEFAULT 0,
    outlet_count INTEGER NOT NULL DEFAULT 0,
    blindspot TEXT
);
CREATE INDEX idx_stories_last_seen ON stories(last_seen_at);
CREATE INDEX idx_stories_created ON stories(created_at);
CREATE INDEX idx_stories_blindspot ON stories(blindspot, last_seen_at) WHERE blindspot IS NOT NULL;
CREATE TABLE story_keys (
    key TEXT NOT NULL,
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    PRIMARY KEY (key, story_id)
) WITHOUT ROWID;
CREATE INDEX idx_story_keys_story ON story_keys(story_id);
CREATE TABLE story_therapies (
    therapy TEXT NOT NULL,
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    PRIMARY KEY (therapy, story_id)
) WITHOUT ROWID;
CREATE TABLE ratings (
    id INTEGER PRIMARY KEY,
    domain TEXT NOT NULL,
    rater TEXT NOT NULL,
    dimension TEXT NOT NULL,
    value TEXT NOT NULL,
    raw_value TEXT NOT NULL,
    rated_at TEXT,
    origin TEXT,
    imported_at TEXT NOT NULL,
    UNIQUE (domain, rater, dimension)
);
CREATE INDEX idx_ratings_domain ON ratings(domain);
"""


@migrations()
def m002_claims_stories_ratings(db: sqlite_utils.Database) -> None:
    for statement in ANALYSIS_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m003_read_indexes(db: sqlite_utils.Database) -> None:
    """Indexes for the digest, the per-therapy claims feed and /bias/compare (measured on a
    100k-article copy: 167 ms → 10 ms, 253 ms → 9 ms, 1.96 s → 0.52 s all-time)."""
    db.execute("CREATE INDEX idx_claims_extracted ON claims(extracted_at)")
    db.execute("CREATE INDEX idx_claims_therapy_extracted ON claims(therapy, extracted_at)")
    db.execute("CREATE INDEX idx_articles_coverage ON articles"
               "(sort_at, outlet_domain, source_type, reports_efficacy, reports_safety)")


@migrations()
def m004_run_state(db: sqlite_utils.Database) -> None:
    """``crawl_runs.pid``: which process runs it, so a run whose process died (kill -9, power cut)
    is shown as interrupted instead of running forever; ``sources.next_run_at``: the scheduler's
    next run of each source, for /crawl/status."""
    db.execute("ALTER TABLE crawl_runs ADD COLUMN pid INTEGER")
    db.execute("ALTER TABLE sources ADD COLUMN next_run_at TEXT")


@migrations()
def m005_partial_text(db: sqlite_utils.Database) -> None:
    """``articles.partial_text``: the page declared a paywall, so the stored text is a teaser."""
    db.execute("ALTER TABLE articles ADD COLUMN partial_text INTEGER NOT NULL DEFAULT 0")


@migrations()
def m006_journals_languages_copies(db: sqlite_utils.Database) -> None:
    """Issue 12: the route a paper came by (``articles.via``; its outlet is now its journal), the
    language an outlet publishes in, a story's event keys (``stories.events``, analysis.events),
    and the index that finds syndicated copies by their text: ``copy_keys`` holds each article's
    MinHash band keys (or a brief's word hash), ``article_fingerprints`` its signature."""
    db.execute("ALTER TABLE articles ADD COLUMN via TEXT")
    db.execute("ALTER TABLE outlets ADD COLUMN language TEXT")
    db.execute("ALTER TABLE stories ADD COLUMN events TEXT NOT NULL DEFAULT '[]'")
    db.execute("CREATE TABLE article_fingerprints (article_id INTEGER PRIMARY KEY "
               "REFERENCES articles(id) ON DELETE CASCADE, fingerprint BLOB NOT NULL, text_key TEXT)")
    db.execute("CREATE TABLE copy_keys (key TEXT NOT NULL, article_id INTEGER NOT NULL "
               "REFERENCES articles(id) ON DELETE CASCADE, PRIMARY KEY (key, article_id)) WITHOUT ROWID")
    db.execute("CREATE INDEX idx_copy_keys_article ON copy_keys(article_id)")


ALERTS_SCHEMA = """
CREATE TABLE watches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    origin TEXT NOT NULL,
    kind TEXT NOT NULL,
    therapy TEXT,
    target TEXT,
    metric TEXT,
    evidence TEXT,
    query TEXT,
    email TEXT NOT NULL DEFAULT '[]',
    webhook TEXT,
    created_at TEXT NOT NULL,
    checked_until TEXT
);
CREATE TABLE alert_deliveries (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL,
    channel TEXT NOT NULL,
    watch_name TEXT NOT NULL,
    target TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    last_attempt_at TEXT,
    last_error TEXT,
    sent_at TEXT,
    UNIQUE (idempotency_key, channel)
);
CREATE INDEX idx_alert_deliveries_due ON alert_deliveries(status, next_attempt_at);
CREATE INDEX idx_alert_deliveries_watch ON alert_deliveries(watch_name, created_at);
CREATE INDEX idx_articles_updated_at ON articles(updated_at);
"""


@migrations()
def m007_watches_and_alert_deliveries(db: sqlite_utils.Database) -> None:
    """Watches (from config.toml and the API) and one row per alert per channel: the UNIQUE
    (idempotency key, channel) is what makes a second delivery of one match impossible. Article
    watches read what changed since their last check through ``idx_articles_updated_at``."""
    for statement in ALERTS_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m008_fingerprints_v2(db: sqlite_utils.Database) -> None:
    """MinHash format 2 (``analysis.fingerprint``, hashed with numpy) gives other values than
    format 1: the band keys made from format-1 signatures are dropped (story band keys, text copy
    keys) and story signatures emptied; ``service.fingerprints.refresh_fingerprints`` recomputes
    them all from the stored text when the write handle opens (``service.db.open_store``), before
    anything is ingested, while ``upkeep`` lists the task. Format-1 article signatures stay until
    then: they mark what is stale."""
    db.execute("CREATE TABLE upkeep (task TEXT PRIMARY KEY)")  # work a migration leaves to service
    db.execute("INSERT INTO upkeep(task) VALUES ('fingerprints_v2')")
    db.execute("UPDATE stories SET signatures = NULL")
    db.execute("DELETE FROM story_keys WHERE key GLOB 'b[0-9][0-9]:*'")
    db.execute("DELETE FROM copy_keys WHERE key GLOB 'cp:b[0-9][0-9]:*'")


@migrations()
def m009_search_key_and_coverage_totals(db: sqlite_utils.Database) -> None:
    """Issue 14: ``articles_search``, a time-keyed FTS5 index (newest-first search at any word
    frequency), and ``coverage_totals`` / ``therapy_coverage_totals``, the counts ``/bias/compare``
    sums; all filled from the stored articles and kept by triggers (store.maintained)."""
    from store.maintained import create

    create(db.conn)


STORY_COUNTS_SCHEMA = """
CREATE TABLE story_outlets (
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    outlet_domain TEXT NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (story_id, outlet_domain)
) WITHOUT ROWID;
CREATE INDEX idx_story_outlets_domain ON story_outlets(outlet_domain);
INSERT INTO story_outlets(story_id, outlet_domain, articles)
    SELECT story_id, outlet_domain, count(*) FROM articles WHERE story_id IS NOT NULL GROUP BY story_id, outlet_domain;
CREATE TABLE story_keys_dated (
    key TEXT NOT NULL,
    day INTEGER NOT NULL,
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    PRIMARY KEY (key, day, story_id)
) WITHOUT ROWID;
INSERT INTO story_keys_dated(key, day, story_id)
    SELECT k.key, CAST(julianday(substr(s.first_seen_at, 1, 10)) - 2440587.5 AS INTEGER), k.story_id
    FROM story_keys k JOIN stories s ON s.id = k.story_id;
DROP TABLE story_keys;
ALTER TABLE story_keys_dated RENAME TO story_keys;
CREATE INDEX idx_story_keys_story ON story_keys(story_id);
ALTER TABLE stories ADD COLUMN core_therapies TEXT;
ALTER TABLE stories ADD COLUMN core_trials TEXT;
ALTER TABLE stories ADD COLUMN keys_open INTEGER NOT NULL DEFAULT 1;
CREATE INDEX idx_stories_open ON stories(updated_at) WHERE keys_open = 1
"""


@migrations()
def m010_story_counts_and_dated_keys(db: sqlite_utils.Database) -> None:
    """Issue 14, ingest whose cost does not grow with the database: ``story_outlets`` (articles
    per story and outlet, indexed by domain) keeps a story's counts incrementally; story keys carry
    the day of the article that added them (days since 1970), so a lookup reads only the window;
    ``stories.keys_open`` marks stories whose keys are still indexed (a closed story's keys are
    deleted); ``core_therapies`` / ``core_trials`` hold what a story is about (NULL for stories
    stored before: they are judged on everything they name, as before). Existing keys are dated
    by their story's first article."""
    for statement in STORY_COUNTS_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m011_claims_from_headlines(db: sqlite_utils.Database) -> None:
    """Issue 9: a figure only the headline states is a claim of the article too; ``part`` says
    whether a claim's sentence (and offsets) are the title's or the text's."""
    db.execute("ALTER TABLE claims ADD COLUMN part TEXT NOT NULL DEFAULT 'text'")


# sqlite-utils' own trigger re-indexes the article in ``articles_fts`` on EVERY update (delete the
# old text, insert the new), so the ingest's updates of flags, story and copy marks re-indexed each
# article three times; a delete of the row just inserted also makes FTS5 flush its pending terms to
# a new one-document segment, and merging those grows with the index. Same name, same statements,
# only when the indexed columns or the rowid change.
FTS_UPDATE_TRIGGER = """CREATE TRIGGER "articles_au" AFTER UPDATE OF "title", "text", "id" ON "articles"
WHEN old."title" IS NOT new."title" OR old."text" IS NOT new."text" OR old.rowid != new.rowid BEGIN
  INSERT INTO "articles_fts" ("articles_fts", rowid, "title", "text") VALUES('delete', old.rowid, old."title", old."text");
  INSERT INTO "articles_fts" (rowid, "title", "text") VALUES (new.rowid, new."title", new."text");
END"""


@migrations()
def m012_flat_write_cost(db: sqlite_utils.Database) -> None:
    """Issue 14, a write cost that does not grow with the database: ``articles_fts``' update trigger
    fires only when the title, text or id change (``FTS_UPDATE_TRIGGER``), and new copy-index keys
    go to ``copy_keys_recent``, moved into ``copy_keys`` in key order a few thousand articles at a
    time (``store.articles.CopyTables.settle_copy_keys``)."""
    db.execute('DROP TRIGGER IF EXISTS "articles_au"')
    db.execute(FTS_UPDATE_TRIGGER)
    db.execute("CREATE TABLE copy_keys_recent (key TEXT NOT NULL, article_id INTEGER NOT NULL "
               "REFERENCES articles(id) ON DELETE CASCADE, PRIMARY KEY (key, article_id)) WITHOUT ROWID")
    db.execute("CREATE INDEX idx_copy_keys_recent_article ON copy_keys_recent(article_id)")


def migrate(db: sqlite_utils.Database) -> None:
    """Apply pending migrations under the write lock, re-checking once it is held: two processes
    (or scheduled jobs) opening a fresh database at once apply each migration exactly once."""
    if not migrations.pending(db):
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        migrations.apply(db)
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()


def schema_version(db: sqlite_utils.Database) -> int:
    return len(migrations.applied(db))
