"""Prefix searches (``surviv*``) as the index terms they stand for, so FTS5 walks them newest first.

FTS5 answers a prefix query by merging the doclists of every term with that prefix into one list
in memory before it hands out the first row, however few rows are asked for: ``surviv*`` cost
90-550 ms at a million articles, where one word costs about 1 ms (bench/README.md). An OR of the terms
themselves (``"surviv" OR "survivor" OR ...``) is walked lazily in rowid order like a single
word. The terms come from the index's own vocabulary (an ``fts5vocab`` table over
``articles_search`` in the connection's temp schema), one seek per term; the prefix is first
tokenised as FTS5 tokenises it (the same porter tokenizer, in a private in-memory database).

An expansion is only used when it is exact: at most ``MAX_TERMS`` terms, each of which the
tokenizer maps back to itself (so the quoted term matches that term and no other; porter maps a
few stems to shorter ones, ``overal`` to ``over``), and a last word that is one token. Otherwise
the prefix query is left to FTS5 as it is: slower, never different.
"""

from __future__ import annotations

import re
import sqlite3
import threading

from store.maintained import SEARCH_TOKENIZE

MAX_TERMS = 40
VOCAB = "articles_search_terms"
VOCAB_SQL = f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{VOCAB} USING fts5vocab(main, articles_search, instance)"
_PHRASE = re.compile(r'"([^"]*)"(\*?)')


class _Tokenizer(threading.local):
    """A private in-memory FTS5 table per thread (connections are not shared between threads)."""

    conn: sqlite3.Connection | None = None

    def tokens(self, text: str) -> list[str]:
        if self.conn is None:
            self.conn = sqlite3.connect(":memory:")
            self.conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{SEARCH_TOKENIZE}')")
            self.conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
        with self.conn:
            self.conn.execute("INSERT INTO t(rowid, x) VALUES (1, ?)", [text])
            found = [r[0] for r in self.conn.execute("SELECT term FROM v ORDER BY offset")]
            self.conn.execute("DELETE FROM t")
        return found


_tokenizer = _Tokenizer()


def add_vocabulary(conn: sqlite3.Connection) -> None:
    """The vocabulary table this module reads, in ``conn``'s temp schema (a read-only
    connection creates it before it is made query-only; nothing is written to the file)."""
    conn.execute(VOCAB_SQL)


def _has_vocabulary(conn: sqlite3.Connection) -> bool:
    if conn.execute("SELECT 1 FROM temp.sqlite_master WHERE name = ?", [VOCAB]).fetchone():
        return True
    try:
        add_vocabulary(conn)
    except sqlite3.OperationalError:  # a query-only connection opened elsewhere: FTS5 expands itself
        return False
    return True


def expand_prefixes(conn: sqlite3.Connection, match: str) -> str | None:
    """``match`` (``store.articles.fts_query``'s form: quoted phrases, a prefix one ending in
    ``*``) with each prefix phrase replaced by an OR of its terms' phrases; ``match`` itself when
    a prefix cannot be expanded exactly; None when a prefix matches no term (nothing matches)."""
    if '"*' not in match or not _has_vocabulary(conn):
        return match
    parts = []
    for words, star in _PHRASE.findall(match):
        if not star:
            parts.append(f'"{words}"')
            continue
        *head, last = words.split(" ")
        tokens = _tokenizer.tokens(last)
        if len(tokens) != 1:
            return match
        terms = _terms(conn, tokens[0])
        # FTS5 tokenises each phrase again: every term must come back as itself (porter maps
        # some stems to shorter ones, 'overal' to 'over'; FTS5 then keeps its own prefix query).
        if terms is None or _tokenizer.tokens(" ".join(terms)) != terms:
            return match
        if not terms:
            return None
        lead = " ".join(head) + " " if head else ""
        parts.append("(" + " OR ".join(f'"{lead}{t}"' for t in terms) + ")")
    return " AND ".join(parts)


def _terms(conn: sqlite3.Connection, prefix: str) -> list[str] | None:
    """The index terms starting with ``prefix``, or None when there are more than ``MAX_TERMS``."""
    terms: list[str] = []
    bound = prefix
    while True:
        # One seek per term: the lowest term >= bound. A bound just above the last term found
        # (the term + U+0001; no term holds U+0000) skips its instances without reading them.
        row = conn.execute(f"SELECT term FROM temp.{VOCAB} WHERE term >= ? LIMIT 1", [bound]).fetchone()
        if row is None or not row[0].startswith(prefix):
            break
        if len(terms) == MAX_TERMS:
            return None
        terms.append(row[0])
        bound = row[0] + "\x01"
    return terms
