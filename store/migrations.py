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
    db["articles"].enable_fts(["title", "text"], tokenize="porter", create_triggers=True)  # type: ignore[union-attr]


def migrate(db: sqlite_utils.Database) -> None:
    migrations.apply(db)


def schema_version(db: sqlite_utils.Database) -> int:
    return len(migrations.applied(db))
