"""Papers stored before journals were resolved move to their journal (``cartwatch db journals``)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from analysis.journals import JournalRegistry
from analysis.model import Article, Claim
from analysis.outlets import OutletRegistry
from cartwatch.cli import app
from service.journals import move_papers_to_journals
from store import AnalysisWrites, Store
from store.articles import ArticleDerived

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)


def old_paper(store: Store, pmid: str, journal: str, doi: str | None, route: str = "pubmed.ncbi.nlm.nih.gov") -> int:
    article = Article(canonical_url=f"https://{route}/{pmid}/", url=f"https://{route}/{pmid}/",
                      title=f"Paper {pmid}", text="Abstract.", source_name="pubmed", outlet_domain=route,
                      kind="paper", outlet_name=journal, pmid=pmid, doi=doi, published_at="2026-11-01T00:00:00Z")
    derived = ArticleDerived(source_type="aggregator", proximity="independent", reports_efficacy=False,
                             reports_safety=False)
    return store.save_article(article, now=NOW, derived=derived).article_id


def test_papers_move_to_their_journal_with_their_claims_and_route(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "old.db")
    writes = AnalysisWrites(store)
    nrco = old_paper(store, "1", "Nature reviews. Clinical oncology", None)
    jco = old_paper(store, "2", "Some title", "10.1200/JCO.26.00001", route="europepmc.org")
    unknown = old_paper(store, "3", "Journal of Obscure Studies", None)
    claim = Claim(therapy="ciltacabtagene autoleucel", metric="ORR", value=97.0, unit="%", sentence="ORR 97%.",
                  start=0, end=8)
    writes.replace_claims(nrco, [claim], now=NOW)
    story = writes.create_story("Paper 1", first_seen_at="2026-11-01T00:00:00Z", now=NOW)
    for article_id in (nrco, jco):
        writes.set_article_story(article_id, story)

    moves = move_papers_to_journals(store, JournalRegistry.load_default(), OutletRegistry.load_default())
    assert (moves.moved, moves.unknown) == (2, 1)
    got = store.db.execute("SELECT id, outlet_domain, outlet_name, via, source_type FROM articles ORDER BY id").fetchall()
    assert [tuple(r) for r in got] == [
        (nrco, "nature.com/nrclinonc", "Nature Reviews Clinical Oncology", "pubmed.ncbi.nlm.nih.gov",
         "peer-reviewed journal"),
        (jco, "ascopubs.org/journal/jco", "Journal of Clinical Oncology", "europepmc.org", "peer-reviewed journal"),
        (unknown, "pubmed.ncbi.nlm.nih.gov", "Journal of Obscure Studies", None, "aggregator"),
    ]
    assert tuple(store.db.execute("SELECT outlet_domain, source_type FROM claims").fetchone()) == (
        "nature.com/nrclinonc", "peer-reviewed journal")
    assert tuple(store.db.execute("SELECT article_count, outlet_count FROM stories").fetchone()) == (2, 2)
    # Run again: nothing left to move.
    again = move_papers_to_journals(store, JournalRegistry.load_default(), OutletRegistry.load_default())
    assert (again.moved, again.unknown) == (0, 1)
    store.close()


def test_the_cli_command_moves_papers_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    store = Store.open(db)
    old_paper(store, "1", "Blood advances", "10.1182/bloodadvances.2026019999")
    store.close()
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\npath = "{db}"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", str(config), "db", "journals"])
    assert result.exit_code == 0, result.output
    assert "moved 1 paper(s) to their journal; 0 from journals not in" in result.output
    store = Store.open(db)
    assert tuple(store.db.execute("SELECT outlet_domain, via FROM articles").fetchone()) == (
        "ashpublications.org/bloodadvances", "pubmed.ncbi.nlm.nih.gov")
    facts = store.db.execute("SELECT source_type, owner FROM outlets WHERE domain = ?",
                             ["ashpublications.org/bloodadvances"]).fetchone()
    assert tuple(facts) == ("peer-reviewed journal", "American Society of Hematology")
    store.close()
