"""The database served by Datasette with quotetrack's metadata (in process, no server)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from datasette.app import Datasette
from sqlite_utils import Database

from quotetrack.server import metadata_for


def fetch(db_path: Path, *paths: str) -> list:
    """GET each path from a Datasette on ``db_path``, as quotetrack serve configures it."""

    async def run():
        ds = Datasette([str(db_path)], metadata=metadata_for(db_path))
        await ds.invoke_startup()
        return [await ds.client.get(path) for path in paths]

    return asyncio.run(run())


@pytest.fixture(scope="module")
def name(sample_db) -> str:
    return sample_db.stem


def test_quotes_table_page(sample_db, name):
    [page] = fetch(sample_db, f"/{name}/quotes")
    assert page.status_code == 200
    assert "Every quoted statement with its speaker" in page.text  # table description
    assert "Offset of the first quoted character in articles.text." in page.text  # column description
    assert 'name="_search"' in page.text  # full-text search box from fts_table


def test_search_with_labels(sample_db, name):
    [response] = fetch(sample_db, f"/{name}/quotes.json?_search=bolster&_shape=array&_labels=on")
    assert response.status_code == 200
    found = response.json()
    assert found, "no quote found for 'bolster'"
    urban = [row for row in found if "Exercises like this bolster" in row["text"]]
    assert len(urban) == 1
    assert urban[0]["speaker_id"]["label"] == "Bill Urban"
    assert urban[0]["article_id"]["label"].startswith('Pentagon Sends "Strong Message"')


def test_search_with_fts_syntax_is_escaped(sample_db, name):
    # searchmode: escaped -- operators and quotes are searched as words, not an error
    [response] = fetch(sample_db, f'/{name}/quotes.json?_search=%22AND%20OR%20(&_shape=array')
    assert response.status_code == 200
    assert response.json() == []


def test_metadata_descriptions(sample_db, name):
    [response] = fetch(sample_db, "/-/metadata.json")
    assert response.status_code == 200
    databases = response.json()["databases"]
    assert set(databases) == {name}
    tables = databases[name]["tables"]
    assert tables["quotes"]["description"].startswith("Every quoted statement")
    assert tables["quotes"]["columns"]["speaker_id"].startswith("Who said it")
    assert tables["speakers"]["label_column"] == "name"


def test_speaker_facet(sample_db, name):
    [response] = fetch(sample_db, f"/{name}/quotes.json?_facet=speaker_id")
    assert response.status_code == 200
    facet = response.json()["facet_results"]["speaker_id"]
    by_label = {row["label"]: row["count"] for row in facet["results"]}
    assert by_label.get("Bill Urban", 0) >= 1
    assert by_label.get("Peter Cook", 0) >= 1
    top = facet["results"][0]
    [filtered] = fetch(sample_db, top["toggle_url"].replace("http://localhost", "") + "&_shape=array")
    assert filtered.status_code == 200
    assert len(filtered.json()) == top["count"]
    assert {row["speaker_id"] for row in filtered.json()} == {top["value"]}


def test_other_pages(sample_db, name):
    speakers, articles, view, home = fetch(
        sample_db, f"/{name}/speakers?_facet=kind", f"/{name}/articles", f"/{name}/quotes_view.json?_shape=array",
        "/")
    assert speakers.status_code == 200 and "Bill Urban" in speakers.text
    assert articles.status_code == 200 and "One row per news article read" in articles.text
    assert view.status_code == 200 and {"quote", "speaker", "article"} <= set(view.json()[0])
    assert home.status_code == 200 and "Quoted statements found in news articles" in home.text


def test_connections_read_through_a_memory_map(sample_db, name):
    async def run():
        ds = Datasette([str(sample_db)], metadata=metadata_for(sample_db))
        await ds.invoke_startup()
        return (await ds.get_database(name).execute("pragma mmap_size")).first()[0]

    # a search page reads thousands of scattered rows: a map instead of a read() call each
    assert asyncio.run(run()) > 0


def test_quote_search_is_faceted_by_speaker_and_outlet(sample_db, name):
    [response] = fetch(sample_db, f"/{name}/quotes_view.json?_search=bolster")
    assert response.status_code == 200
    facets = response.json()["facet_results"]
    assert set(facets) == {"speaker", "outlet"}
    assert {"Bill Urban"} <= {row["value"] for row in facets["speaker"]["results"]}


def test_quotes_per_outlet_chart_counts_every_quote_from_an_index(tmp_path):
    from typer.testing import CliRunner

    from helpers import write_jsonl
    from quotetrack.cli import app

    said = "Port\n\n“The port stays open,” the Port Authority said. “Ships may dock,” it said.\n"
    write_jsonl(tmp_path / "feed.jsonl", [
        {"id": "a", "text": said, "outlet": "Daily News"},
        {"id": "b", "text": said.replace("open", "shut"), "outlet": "Daily News"},
        {"id": "c", "text": said.replace("dock", "leave"), "outlet": "The Herald"},
        {"id": "d", "text": said.replace("Ships", "Boats")},
        {"id": "e", "text": "Weather\n\nIt rained all day.\n", "outlet": "The Herald"}])
    db_path = tmp_path / "charts.db"
    assert CliRunner().invoke(app, ["extract", str(db_path), str(tmp_path / "feed.jsonl")]).exit_code == 0
    chart = metadata_for(db_path)["plugins"]["datasette-dashboards"]["quotetrack"]["charts"]["per-outlet"]["query"]
    db = Database(db_path)
    counted = db.execute("select coalesce(articles.outlet, '(unknown)'), count(*) from quotes "
                         "join articles on articles.id = quotes.article_id group by 1").fetchall()
    assert sorted(db.execute(chart).fetchall()) == sorted(counted) == [("(unknown)", 2), ("Daily News", 4),
                                                                       ("The Herald", 2)]
    plan = " | ".join(row[3] for row in db.execute("explain query plan " + chart))
    assert "COVERING INDEX idx_articles_outlet_quote_count" in plan  # not the articles, text and all
