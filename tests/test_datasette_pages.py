"""The Datasette pages and canned queries, through Datasette's test client (issue 5)."""

import asyncio
import shutil
from pathlib import Path

import pytest
from datasette.app import Datasette
from sqlite_utils import Database
from typer.testing import CliRunner

from quotetrack.cli import app
from quotetrack.datasette_plugin import article_with_quotes, mark_spans, quote_in_context, snippet_html
from quotetrack.server import metadata_for, write_templates

DATA = Path(__file__).resolve().parent.parent / "data" / "articles"
PAYLOAD = "Mayor Ann Cole said: “<script>window.__pwned = 1</script><b>bold</b> is not what we said.”\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    articles = folder / "articles"
    shutil.copytree(DATA, articles)
    (articles / "payload.txt").write_text("A hostile page\n\n" + PAYLOAD, encoding="utf-8")
    db_path = folder / "quotetrack.db"
    result = CliRunner().invoke(app, ["extract", str(db_path), str(articles)])
    assert result.exit_code == 0, result.output
    templates = write_templates(db_path, folder)
    return db_path, templates


def get(site, *paths):
    db_path, templates = site

    async def fetch():
        ds = Datasette([str(db_path)], metadata=metadata_for(db_path), template_dir=str(templates))
        await ds.invoke_startup()
        return [await ds.client.get(path) for path in paths]

    return asyncio.run(fetch())


def one(site, sql, params=()):
    return Database(site[0]).execute(sql, params).fetchone()[0]


def test_search_query_ranks_and_highlights(site):
    page, data = get(site, "/quotetrack/search_quotes?q=bolster",
                     "/quotetrack/search_quotes.json?q=bolster&_shape=array")
    assert page.status_code == 200
    assert "<mark>bolster</mark>" in page.text and "Bill Urban" in page.text
    rows = data.json()
    assert len(rows) == 1 and rows[0]["speaker"] == "Bill Urban" and "⟦bolster⟧" in rows[0]["snippet"]


def test_search_query_takes_any_text_without_error(site):
    for q in ['"AND OR (', "'; drop table quotes; --", "NEAR(", "*"]:
        (response,) = get(site, f"/quotetrack/search_quotes.json?q={q}&_shape=array")
        assert response.status_code == 200, q
    assert one(site, "select count(*) from quotes") > 0


def test_article_quotes_in_reading_order(site):
    doc_id = "pentagon-strong-message-live-fire-drills.txt"
    (response,) = get(site, f"/quotetrack/article_quotes.json?article={doc_id}&_shape=array")
    starts = [row["char_start"] for row in response.json()]
    assert len(starts) >= 5 and starts == sorted(starts)


def test_most_quoted_and_relayed_queries(site):
    most, relayed = get(site, "/quotetrack/most_quoted.json?_shape=array",
                        "/quotetrack/relayed_through.json?outlet=Task&_shape=array")
    assert most.json()[0]["name"] == "Bill Urban"
    rows = relayed.json()
    assert [row["via"] for row in rows] == ["Task & Purpose"] and rows[0]["speaker"] == "Bill Urban"


def test_quote_page_shows_the_quote_in_its_paragraph(site):
    quote_id = one(site, "select id from quotes where text like 'Exercises like this%'")
    (page,) = get(site, f"/quotetrack/quotes/{quote_id}")
    assert page.status_code == 200
    assert '<mark class="quotetrack-quote">Exercises like this bolster' in page.text
    assert '<span class="quotetrack-mention">The spokesman, Navy Capt. Bill Urban</span>' in page.text
    assert "/quotetrack/speakers/" in page.text and "/quotetrack/articles/" in page.text
    assert "explained" in page.text and "Rule" in page.text


def test_article_page_highlights_quotes_and_escapes_html(site):
    article_id = one(site, "select id from articles where doc_id = 'payload.txt'")
    (page,) = get(site, f"/quotetrack/articles/{article_id}")
    assert page.status_code == 200
    section = page.text.split('class="quotetrack-article"', 1)[1]
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in section
    assert "<script>window.__pwned" not in page.text and "<b>bold</b>" not in page.text
    assert "<mark>" in section and "/quotetrack/quotes/" in section


def test_dashboard_about_and_view_search(site):
    dashboard, about, view = get(site, "/-/dashboards/quotetrack", "/about",
                                 "/quotetrack/quotes_view.json?_search=bolster&_shape=array")
    assert dashboard.status_code == 200 and "Most quoted speakers" in dashboard.text
    assert about.status_code == 200 and "/quotetrack/search_quotes" in about.text
    assert view.status_code == 200 and [row["speaker"] for row in view.json()] == ["Bill Urban"]


def test_filters_escape_and_mark():
    text = "He said <b>“no”</b> & left."
    html = str(mark_spans(text, [(text.index("no"), text.index("no") + 2, "mark", "q")]))
    assert html == 'He said &lt;b&gt;“<mark class="q">no</mark>”&lt;/b&gt; &amp; left.'
    assert str(snippet_html("a ⟦<i>b</i>⟧ c")) == "a <mark>&lt;i&gt;b&lt;/i&gt;</mark> c"
    article = "Title\nFirst “one” here.\nSecond."
    start = article.index("one")
    context = str(quote_in_context(article, start, start + 3))
    assert context == 'First “<mark class="quotetrack-quote">one</mark>” here.'
    linked = str(article_with_quotes(article, [{"char_start": start, "char_end": start + 3, "href": "/q?a=1&b=2"}]))
    assert '<a class="quotetrack-quote-link" href="/q?a=1&amp;b=2"><mark>one</mark></a>' in linked
    assert linked.count("<p>") == 3


def test_bundle_writes_what_datasette_publish_needs(tmp_path, site):
    db_path, _ = site
    result = CliRunner().invoke(app, ["bundle", str(db_path), str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    site_dir = tmp_path / "site"
    assert "quotetrack" in (site_dir / "metadata.json").read_text("utf-8")
    assert (site_dir / "templates" / "row-quotetrack-quotes.html").is_file()
    assert (site_dir / "templates" / "query-quotetrack-search_quotes.html").is_file()
    assert "prepare_jinja2_environment" in (site_dir / "plugins" / "quotetrack_pages.py").read_text("utf-8")
    assert "--plugins-dir" in result.output


def test_statement_queries(site):
    statement = one(site, "select statement_id from quotes where text like 'final stage%' limit 1")
    repeated, first = get(site, "/quotetrack/most_repeated.json?_shape=array",
                          f"/quotetrack/first_reported.json?statement={statement}&_shape=array")
    rows = repeated.json()
    assert len(rows) == 4 and all(row["article_count"] == 2 for row in rows)
    assert {row["speaker"] for row in rows} == {"Bill Urban", "Russian Defense Ministry", "Pentagon",
                                                "Igor Konashenkov"}
    reported = first.json()
    assert len(reported) == 2 and reported[0]["seen"] <= reported[1]["seen"]
    assert reported[1]["copies_article"] is not None  # the second article copies the first
