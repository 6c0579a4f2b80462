"""Tables the database keeps up to date itself, by triggers inside each writing transaction:

- ``articles_search``: a second FTS5 index over title and text (contentless, porter) whose rowid
  is the article's *search key*, ``unixepoch(sort_at) * 2^28 + id``. FTS5 walks rowids in order,
  so ``ORDER BY rowid DESC LIMIT n`` is newest first and stops after n matches, whatever share of
  articles a word is in (``articles_fts``, keyed by id, stays for Datasette).
- ``coverage_totals``: article counts (and how many report efficacy / safety numbers) per period
  of ``sort_at`` × outlet × source type, at four grains: the first 0, 4, 7 and 10 characters of
  ``sort_at`` (all time, year, month, day); ``therapy_coverage_totals`` the same per therapy of
  ``article_therapies`` too. A NULL source type is stored as ''. ``/bias/compare`` sums whole
  periods and reads only the articles of a window's partial first and last day.

Every write path (ingest, reanalysis, ratings import, a delete) goes through these triggers, so
the tables cannot drift from ``articles``. ``create`` is the migration; ``fill`` is its backfill,
also run by the bench builder after its bulk load (with the triggers dropped meanwhile).
"""

from __future__ import annotations

import sqlite3

KEY_SHIFT = 1 << 28  # article ids stay below 2^28 (268 million); the rest of the key is the time
ID_MASK = KEY_SHIFT - 1
GRAINS = (0, 4, 7, 10)  # characters of sort_at: all time, year, month, day


def key_sql(row: str) -> str:
    """The search key of ``row`` (``new``, ``old`` or a table alias) as SQL."""
    return f"(coalesce(CAST(strftime('%s', {row}.sort_at) AS INTEGER), 0) * {KEY_SHIFT} + {row}.id)"


SEARCH_TOKENIZE = "porter"  # store.search_terms tokenises a search's prefixes the same way
SEARCH_TABLE = ("CREATE VIRTUAL TABLE articles_search USING fts5(title, text, content='', columnsize=0, "
                f"tokenize='{SEARCH_TOKENIZE}')")

SEARCH_TRIGGERS = (
    f"""CREATE TRIGGER articles_search_ai AFTER INSERT ON articles BEGIN
  INSERT INTO articles_search(rowid, title, text) VALUES ({key_sql('new')}, new.title, new.text);
END""",
    f"""CREATE TRIGGER articles_search_ad AFTER DELETE ON articles BEGIN
  INSERT INTO articles_search(articles_search, rowid, title, text) VALUES ('delete', {key_sql('old')}, old.title, old.text);
END""",
    f"""CREATE TRIGGER articles_search_au AFTER UPDATE OF title, text, sort_at, id ON articles
WHEN old.title IS NOT new.title OR old.text IS NOT new.text OR old.sort_at IS NOT new.sort_at OR old.id != new.id
BEGIN
  INSERT INTO articles_search(articles_search, rowid, title, text) VALUES ('delete', {key_sql('old')}, old.title, old.text);
  INSERT INTO articles_search(rowid, title, text) VALUES ({key_sql('new')}, new.title, new.text);
END""",
)

COVERAGE_TABLES = (
    """CREATE TABLE coverage_totals (
    grain INTEGER NOT NULL,
    period TEXT NOT NULL,
    outlet_domain TEXT NOT NULL,
    source_type TEXT NOT NULL,
    articles INTEGER NOT NULL,
    efficacy INTEGER NOT NULL,
    safety INTEGER NOT NULL,
    PRIMARY KEY (grain, period, outlet_domain, source_type)
) WITHOUT ROWID""",
    """CREATE TABLE therapy_coverage_totals (
    grain INTEGER NOT NULL,
    period TEXT NOT NULL,
    therapy TEXT NOT NULL,
    outlet_domain TEXT NOT NULL,
    source_type TEXT NOT NULL,
    articles INTEGER NOT NULL,
    efficacy INTEGER NOT NULL,
    safety INTEGER NOT NULL,
    PRIMARY KEY (grain, period, therapy, outlet_domain, source_type)
) WITHOUT ROWID""",
)

_UPSERT = ("INSERT INTO {table}(grain, period, {therapy_column}outlet_domain, source_type, articles, efficacy, safety) "
           "SELECT g.column1, substr({a}.sort_at, 1, g.column1), {therapy}{a}.outlet_domain, "
           "coalesce({a}.source_type, ''), {sign}, {sign} * ({a}.reports_efficacy != 0), "
           "{sign} * ({a}.reports_safety != 0) FROM (VALUES (0), (4), (7), (10)) g{source} WHERE {where} "
           "ON CONFLICT DO UPDATE SET articles = articles + excluded.articles, "
           "efficacy = efficacy + excluded.efficacy, safety = safety + excluded.safety;")


def _count(a: str, sign: int, *, therapy: str | None = None, source: str = "", where: str = "true") -> str:
    """Add (sign 1) or remove (-1) the rows of article ``a``: its own, or with ``therapy`` one
    therapy's (``source`` and ``where`` name where the article and the therapy come from)."""
    if therapy is None:
        return _UPSERT.format(table="coverage_totals", therapy_column="", therapy="", a=a, sign=sign, source=source,
                              where=where)
    return _UPSERT.format(table="therapy_coverage_totals", therapy_column="therapy, ", therapy=f"{therapy}, ", a=a,
                          sign=sign, source=source, where=where)


def _of_therapies(a: str, sign: int) -> str:
    """Add or remove article ``a``'s rows for each of its therapies."""
    return _count(a, sign, therapy="t.therapy", source=", article_therapies t", where=f"t.article_id = {a}.id")


def _of_therapy(row: str, sign: int) -> str:
    """Add or remove one ``article_therapies`` row (``new`` or ``old``), if its article exists."""
    return _count("a", sign, therapy=f"{row}.therapy", source=", articles a", where=f"a.id = {row}.article_id")


_CHANGED = ("old.sort_at IS NOT new.sort_at OR old.outlet_domain IS NOT new.outlet_domain OR "
            "old.source_type IS NOT new.source_type OR old.reports_efficacy IS NOT new.reports_efficacy OR "
            "old.reports_safety IS NOT new.reports_safety OR old.id != new.id")

COVERAGE_TRIGGERS = (
    f"CREATE TRIGGER coverage_totals_ai AFTER INSERT ON articles BEGIN {_count('new', 1)} END",
    # BEFORE DELETE: the article's therapy rows are still there (a cascade removes them after,
    # when the article is gone, so the therapy trigger below finds nothing to remove).
    f"CREATE TRIGGER coverage_totals_bd BEFORE DELETE ON articles BEGIN {_count('old', -1)} "
    f"{_of_therapies('old', -1)} END",
    f"CREATE TRIGGER coverage_totals_au AFTER UPDATE OF sort_at, outlet_domain, source_type, reports_efficacy, "
    f"reports_safety, id ON articles WHEN {_CHANGED} BEGIN {_count('old', -1)} {_count('new', 1)} "
    f"{_of_therapies('old', -1)} {_of_therapies('new', 1)} END",
    f"CREATE TRIGGER coverage_totals_therapy_ai AFTER INSERT ON article_therapies BEGIN {_of_therapy('new', 1)} END",
    f"CREATE TRIGGER coverage_totals_therapy_ad AFTER DELETE ON article_therapies BEGIN {_of_therapy('old', -1)} END",
    f"CREATE TRIGGER coverage_totals_therapy_au AFTER UPDATE ON article_therapies BEGIN {_of_therapy('old', -1)} "
    f"{_of_therapy('new', 1)} END",
)

TRIGGER_NAMES = tuple(sql.split()[2] for sql in (*SEARCH_TRIGGERS, *COVERAGE_TRIGGERS))


def create(conn: sqlite3.Connection) -> None:
    """The migration: tables, their contents from the rows already stored, then the triggers."""
    conn.execute(SEARCH_TABLE)
    for sql in COVERAGE_TABLES:
        conn.execute(sql)
    fill(conn)
    create_triggers(conn)


def create_triggers(conn: sqlite3.Connection) -> None:
    for sql in (*SEARCH_TRIGGERS, *COVERAGE_TRIGGERS):
        conn.execute(sql)


def fill(conn: sqlite3.Connection) -> None:
    """Backfill the tables from ``articles`` and ``article_therapies`` (they must be empty)."""
    conn.execute(f"INSERT INTO articles_search(rowid, title, text) SELECT {key_sql('a')} AS k, a.title, a.text "
                 "FROM articles a ORDER BY k")
    fill_coverage(conn)


def fill_coverage(conn: sqlite3.Connection) -> None:
    sums = "count(*), sum(a.reports_efficacy != 0), sum(a.reports_safety != 0)"
    conn.execute(
        "INSERT INTO coverage_totals(grain, period, outlet_domain, source_type, articles, efficacy, safety) "
        f"SELECT g.column1, substr(a.sort_at, 1, g.column1) AS p, a.outlet_domain, coalesce(a.source_type, '') AS st, "
        f"{sums} FROM articles a, (VALUES (0), (4), (7), (10)) g GROUP BY g.column1, p, a.outlet_domain, st")
    conn.execute(
        "INSERT INTO therapy_coverage_totals(grain, period, therapy, outlet_domain, source_type, articles, efficacy, "
        f"safety) SELECT g.column1, substr(a.sort_at, 1, g.column1) AS p, t.therapy, a.outlet_domain, "
        f"coalesce(a.source_type, '') AS st, {sums} FROM article_therapies t JOIN articles a ON a.id = t.article_id, "
        "(VALUES (0), (4), (7), (10)) g GROUP BY g.column1, p, t.therapy, a.outlet_domain, st")
