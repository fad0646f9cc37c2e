"""News as it arrives: HTML pages, WARC archives, JSON Lines exports with metadata, standard input."""

from __future__ import annotations

import gzip
import html
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from quotetrack.formats import ReadOptions
from quotetrack.formats.html import decode_html
from quotetrack.formats.normalize import domain_of, iso_date, normalize_url, outlet_name
from quotetrack.ingest import Article, Problem, read_inputs

STRONG_MESSAGE = "pentagon-strong-message-live-fire-drills.txt"
CANONICAL = "https://www.zerohedge.com/news/2018-09-08/pentagon-sends-strong-message"
BOILERPLATE = ("Subscribe to our newsletter", "Privacy policy", "Most read today", "Markets")


def news_page(text: str, *, site_name: str | None = "ZeroHedge", canonical: str | None = CANONICAL,
              author: str | None = "Tyler Durden", published: str | None = "2018-09-08T14:25:00-04:00",
              charset: str = "utf-8") -> str:
    """A news page as sites publish it: the article's paragraphs in <p>, metadata in <head>,
    navigation, a sidebar and a footer around it."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title, paragraphs = lines[0], lines[1:]
    head = [f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
            f"<title>{html.escape(title)}</title>", f'<meta property="og:title" content="{html.escape(title)}">']
    if site_name:
        head.append(f'<meta property="og:site_name" content="{site_name}">')
    if author:
        head.append(f'<meta name="author" content="{author}">')
    if published:
        head.append(f'<meta property="article:published_time" content="{published}">')
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    body = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head>{"".join(head)}</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/markets">Markets</a></li><li><a href="/news">News</a></li></ul></nav>
<main><article><h1>{html.escape(title)}</h1>
<div class="byline">by {author or "staff"}</div>
{body}
</article></main>
<aside><h3>Most read today</h3><ul><li><a href="/a">Another story entirely</a></li></ul></aside>
<footer><p>Subscribe to our newsletter.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>
"""


def write_warc(path: Path, responses: list[tuple], gz: bool | None = None) -> Path:
    """A WARC file with a warcinfo record, then for each (uri, status, content type, body, date)
    a request and a response record, as crawlers write them."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz") if gz is None else gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "quotetrack tests"}))
        for uri, status, content_type, body, date in responses:
            request = StatusAndHeaders(f"GET {uri} HTTP/1.1", [("Host", "example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(uri, "request", http_headers=request,
                                                          warc_headers_dict={"WARC-Date": date}))
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            body = body.encode() if isinstance(body, str) else body
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers,
                                                          warc_headers_dict={"WARC-Date": date}))
    return path


def quotes_and_speakers(h, db_path: Path) -> list[tuple[str, str | None]]:
    return sorted((row["text"], row["name"]) for row in h.rows(
        db_path, "select quotes.text, speakers.name from quotes left join speakers on speakers.id = quotes.speaker_id"))


def articles(h, db_path: Path) -> dict[str, dict]:
    return {row["doc_id"]: row for row in h.rows(db_path, "select * from articles")}


def assert_offsets_hold(h, db_path: Path) -> None:
    found = h.rows(db_path, "select quotes.text, char_start, char_end, articles.text as article "
                            "from quotes join articles on articles.id = quotes.article_id")
    assert found
    for q in found:
        assert q["article"][q["char_start"]:q["char_end"]] == q["text"]


# --- HTML ---------------------------------------------------------------------------------

def test_html_page_gives_the_quotes_of_its_plain_text(tmp_path, extract, articles_dir, h):
    plain = (articles_dir / STRONG_MESSAGE).read_text("utf-8")
    page = h.write_article(tmp_path / "in" / "strong-message.html", news_page(plain))
    assert extract(tmp_path / "text.db", articles_dir / STRONG_MESSAGE).exit_code == 0
    result = extract(tmp_path / "html.db", page)
    assert result.exit_code == 0, result.output
    assert h.parse_summary(result.stdout)["new"] == 1 and "Warning" not in result.stderr
    expected = quotes_and_speakers(h, tmp_path / "text.db")
    assert len(expected) >= 5 and ("Bill Urban" in {name for _, name in expected})
    assert quotes_and_speakers(h, tmp_path / "html.db") == expected
    assert_offsets_hold(h, tmp_path / "html.db")

    [row] = articles(h, tmp_path / "html.db").values()
    title = 'Pentagon Sends "Strong Message" To Russia With Live-Fire Assault Drills In Syria'
    assert (row["doc_id"], row["title"], row["url"], row["outlet"], row["published"], row["author"]) == (
        "strong-message.html", title, CANONICAL, "ZeroHedge", "2018-09-08T14:25:00-04:00", "Tyler Durden")
    assert row["text"].split("\n")[0] == title  # the headline is the first line, as in plain text
    assert "Urban said." in row["text"]
    assert not any(words in row["text"] for words in BOILERPLATE), row["text"]


def test_html_metadata_falls_back_to_the_domain(tmp_path, extract, h):
    page = news_page(h.FERRY, site_name=None, author=None, published="2024-05-06",
                     canonical="https://WWW.Harbor-Gazette.example.com/ferry?utm_source=feed&page=2#comments")
    h.write_article(tmp_path / "in" / "ferry.htm", page)
    result = extract(tmp_path / "q.db", tmp_path / "in")
    assert result.exit_code == 0, result.output
    row = articles(h, tmp_path / "q.db")["ferry.htm"]
    assert row["url"] == "https://www.harbor-gazette.example.com/ferry?page=2"
    assert row["outlet"] == "harbor-gazette.example.com"
    assert row["published"] == "2024-05-06"
    assert row["title"] == "Harbor Town Approves New Ferry Schedule"
    assert ("The new timetable will serve commuters much better,", "Alice Marsh") in quotes_and_speakers(
        h, tmp_path / "q.db")


def test_windows_1252_page_with_declared_charset(tmp_path, extract, h):
    story = ("Caf\u00e9 Owners Protest New Rules\n\n"
             "The owners met at the caf\u00e9 on Monday \u2013 all of them.\n\n"
             "\u201cThese rules will close half the caf\u00e9s in town,\u201d said Ren\u00e9e Dubois.\n")
    data = news_page(story, charset="windows-1252").encode("cp1252")
    assert b"\x93" in data and b"\xe9" in data  # curly quotes and accents as windows-1252 bytes
    h.write_article(tmp_path / "in" / "cafe.html", data)
    result = extract(tmp_path / "q.db", tmp_path / "in")
    assert result.exit_code == 0, result.output
    row = articles(h, tmp_path / "q.db")["cafe.html"]
    assert row["title"] == "Caf\u00e9 Owners Protest New Rules"
    assert "\u2013 all of them" in row["text"] and "\ufffd" not in row["text"]
    assert quotes_and_speakers(h, tmp_path / "q.db") == [
        ("These rules will close half the caf\u00e9s in town,", "Ren\u00e9e Dubois")]


def test_decoding_never_fails():
    assert decode_html("<p>caf\u00e9</p>".encode("utf-8")) == "<p>caf\u00e9</p>"
    assert decode_html(b"\xef\xbb\xbf<p>x</p>") == "<p>x</p>"
    declared_latin1 = b'<meta charset="iso-8859-1"><p>\x93Oui,\x94 dit-il \xe0 Paris</p>'
    assert decode_html(declared_latin1) == '<meta charset="iso-8859-1"><p>\u201cOui,\u201d dit-il \u00e0 Paris</p>'
    assert "\ufffd" in decode_html(b'<meta charset="utf-8"><p>bad \xff byte</p>')  # declared: bad byte replaced
    assert decode_html(b"<p>r\xe9sum\xe9 of the caf\xe9 owners and their na\xefve plans</p>", "utf-8").count(
        "\ufffd") == 4
    assert decode_html(b'<meta charset="hex"><p>caf\xe9 au lait</p>').endswith("<p>caf\u00e9 au lait</p>")
    assert decode_html(b'<meta charset="utf-16"><p>plain</p>') == '<meta charset="utf-16"><p>plain</p>'
    undeclared = decode_html("<p>Les cafés ferment à Paris, déclare le maire.</p>".encode("cp1252"))
    assert undeclared.startswith("<p>Les caf") and isinstance(undeclared, str)


def test_bad_html_pages_are_warnings(tmp_path, extract, h):
    folder = tmp_path / "in"
    h.write_article(folder / "good.txt", h.FERRY)
    h.write_article(folder / "empty.html", b"  \n")
    h.write_article(folder / "no-text.html", "<html><head><title>A title</title></head><body><img src='a.jpg'>"
                                             "<script>var a = 1;</script></body></html>")
    result = extract(tmp_path / "q.db", folder)
    assert result.exit_code == 0, result.output
    assert h.parse_summary(result.stdout)["skipped"] == 2
    assert f"{folder / 'empty.html'}: empty file" in result.stderr
    assert f"{folder / 'no-text.html'}: no article text" in result.stderr
    assert set(articles(h, tmp_path / "q.db")) == {"good.txt"}


# --- WARC ---------------------------------------------------------------------------------

def warc_responses(h) -> list[tuple]:
    return [
        ("https://www.harbor-gazette.com/2024/05/ferry", "200 OK", "text/html; charset=utf-8",
         news_page(h.FERRY, site_name="Harbor Gazette", canonical=None, published="2024-05-01T09:15:00Z"),
         "2024-05-02T07:00:00Z"),
        ("https://harbor-gazette.com/logo.jpg", "200 OK", "image/jpeg", b"\xff\xd8\xff\xe0" + bytes(200),
         "2024-05-02T07:00:01Z"),
        ("https://harbor-gazette.com/old-story", "404 Not Found", "text/html", "<html><body>Not found</body></html>",
         "2024-05-02T07:00:02Z"),
        ("http://bakery-news.org/prize", "200 OK", "text/html",
         news_page(h.BAKERY, site_name=None, canonical=None, author=None, published=None),
         "2024-05-03T10:30:00Z"),
    ]


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses_become_articles(tmp_path, extract, h, name):
    (tmp_path / "in").mkdir()
    warc = write_warc(tmp_path / "in" / name, warc_responses(h))
    result = extract(tmp_path / "q.db", tmp_path / "in")
    assert result.exit_code == 0, result.output
    summary = h.parse_summary(result.stdout)
    assert (summary["new"], summary["skipped"], summary["not_articles"]) == (2, 2, 2)
    assert "2 skipped (2 non-article records)" in result.stdout
    assert "Warning" not in result.stderr and result.stderr.strip() == ""
    stored = articles(h, tmp_path / "q.db")
    assert set(stored) == {"https://www.harbor-gazette.com/2024/05/ferry", "http://bakery-news.org/prize"}
    ferry, bakery = stored["https://www.harbor-gazette.com/2024/05/ferry"], stored["http://bakery-news.org/prize"]
    assert (ferry["url"], ferry["outlet"], ferry["published"]) == (
        "https://www.harbor-gazette.com/2024/05/ferry", "Harbor Gazette", "2024-05-01T09:15:00+00:00")
    # no date in the page: the date of the capture
    assert (bakery["url"], bakery["outlet"], bakery["published"]) == (
        "http://bakery-news.org/prize", "bakery-news.org", "2024-05-03T10:30:00+00:00")
    assert ferry["source"].startswith(f"{warc}@") and int(ferry["source"].rpartition("@")[2]) > 0
    assert ferry["title"] == "Harbor Town Approves New Ferry Schedule"
    assert len(quotes_and_speakers(h, tmp_path / "q.db")) == 5
    assert_offsets_hold(h, tmp_path / "q.db")
    # again: nothing changes
    again = extract(tmp_path / "q.db", tmp_path / "in")
    assert h.parse_summary(again.stdout)["unchanged"] == 2


def test_warc_record_offset_names_the_record(tmp_path, h):
    warc = write_warc(tmp_path / "crawl.warc.gz", warc_responses(h))
    items = [item for item in read_inputs([str(warc)]) if isinstance(item, (Article, Problem))]
    assert [type(item).__name__ for item in items] == ["Article", "Problem", "Problem", "Article"]
    from warcio.archiveiterator import ArchiveIterator

    with warc.open("rb") as handle:  # the offset in a source is where warcio finds that record
        offset = int(items[2].source.rpartition("@")[2])
        handle.seek(offset)
        record = next(iter(ArchiveIterator(handle)))
        assert record.rec_headers.get_header("WARC-Target-URI") == "https://harbor-gazette.com/old-story"
    assert "HTTP 404" in items[2].message and "image/jpeg" in items[1].message


def test_warc_is_streamed(tmp_path, h):
    """The first article comes out before the archive is read much further."""
    responses = [(f"https://example.com/story/{n}", "200 OK", "text/html",
                  news_page(h.FERRY.replace("Monday", f"day {n}"), canonical=None), "2024-05-02T07:00:00Z")
                 for n in range(200)]
    warc = write_warc(tmp_path / "big.warc.gz", responses)
    items = read_inputs([str(warc)])
    first = next(item for item in items if isinstance(item, Article))
    progress = next(items)
    assert first.doc_id == "https://example.com/story/0"
    assert progress.consumed < warc.stat().st_size / 4
    assert sum(isinstance(item, Article) for item in items) == 199


@pytest.mark.parametrize("kept", [0.5, 0.6, 0.75, 0.9])
def test_cut_warc_gz_is_a_warning(tmp_path, extract, h, kept):
    """Wherever the file ends (inside a header, between records, inside a page), one warning."""
    whole = write_warc(tmp_path / "whole.warc.gz", warc_responses(h)).read_bytes()
    cut = h.write_article(tmp_path / "in" / "cut.warc.gz", whole[: int(len(whole) * kept)])
    result = extract(tmp_path / "q.db", cut)
    assert result.exit_code == 0, result.output
    [warning] = [line for line in result.stderr.splitlines() if line.startswith("Warning")]
    assert f"{cut}" in warning and "the rest of the file is" in warning, warning
    assert set(articles(h, tmp_path / "q.db")) == {"https://www.harbor-gazette.com/2024/05/ferry"}


def test_damaged_warc_files_are_warnings(tmp_path, extract, h):
    folder = tmp_path / "in"
    h.write_article(folder / "good.txt", h.RIVER)
    plain = write_warc(tmp_path / "plain.warc", warc_responses(h)).read_bytes()
    h.write_article(folder / "cut.warc", plain[:-300])
    damaged = bytearray(write_warc(tmp_path / "whole.warc.gz", warc_responses(h)).read_bytes())
    damaged[1000:1040] = bytes(b ^ 0x55 for b in damaged[1000:1040])
    h.write_article(folder / "damaged.warc.gz", bytes(damaged))
    h.write_article(folder / "fake.warc", b"this is not an archive\n" * 20)
    h.write_article(folder / "garbage.warc.gz", b"\x1f\x8b\x08\x00garbage garbage garbage")
    result = extract(tmp_path / "q.db", folder)
    assert result.exit_code == 0, result.output
    assert result.exception is None
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning")]
    assert len(warnings) == 4, warnings
    assert any(f"{folder / 'cut.warc'}@" in line and "record cut short" in line for line in warnings), warnings
    assert any(f"{folder / 'damaged.warc.gz'}: damaged WARC data" in line for line in warnings), warnings
    assert any(f"{folder / 'fake.warc'}: not a WARC file" in line for line in warnings), warnings
    assert any(f"{folder / 'garbage.warc.gz'}: not a WARC file" in line for line in warnings), warnings
    assert all(line.isascii() and line.isprintable() for line in warnings)  # no damaged bytes quoted
    # what came before the damage is kept: the ferry page of the cut archive
    assert h.parse_summary(result.stdout)["new"] == 2
    assert set(articles(h, tmp_path / "q.db")) == {"good.txt", "https://www.harbor-gazette.com/2024/05/ferry"}
    strict = extract(tmp_path / "strict.db", folder, "--strict")
    assert strict.exit_code == 1


# --- JSON Lines ---------------------------------------------------------------------------

CC_NEWS = [
    {"url": "https://www.harbor-gazette.com/ferry?utm_medium=rss", "source_domain": "www.harbor-gazette.com",
     "title": "Harbor Town Approves New Ferry Schedule", "maintext": "", "date_publish": "2024-05-01 09:15:00",
     "authors": ["Jo Reporter", "Sam Writer"], "language": "en"},
    {"url": "https://bakery-news.org/prize", "source_domain": "bakery-news.org", "title": "Bakery Wins",
     "maintext": "", "date_publish": "2024-05-03", "authors": [], "language": "en"},
    {"url": "https://river.example.net/flood", "headline": "River Rising", "content": "",
     "date_publish": "Fri, 03 May 2024 18:00:00 +0200"},
]


def cc_news_lines(h) -> list[dict]:
    lines = [dict(line) for line in CC_NEWS]
    lines[0]["maintext"], lines[1]["maintext"], lines[2]["content"] = h.FERRY, h.BAKERY, h.RIVER
    return lines


@pytest.mark.parametrize("compressed", [False, True], ids=["jsonl", "jsonl.gz"])
def test_jsonl_with_cc_news_fields(tmp_path, extract, h, compressed):
    folder = tmp_path / "in"
    content = "".join(json.dumps(line) + "\n" for line in cc_news_lines(h)).encode()
    name = "cc-news.jsonl.gz" if compressed else "cc-news.jsonl"
    h.write_article(folder / name, gzip.compress(content) if compressed else content)
    result = extract(tmp_path / "q.db", folder)
    assert result.exit_code == 0, result.output
    assert h.parse_summary(result.stdout)["new"] == 3 and "Warning" not in result.stderr
    stored = articles(h, tmp_path / "q.db")
    assert set(stored) == {f"{name}#1", f"{name}#2", f"{name}#3"}
    ferry, bakery, river = (stored[f"{name}#{n}"] for n in (1, 2, 3))
    assert ferry["text"] == h.FERRY
    assert (ferry["url"], ferry["outlet"], ferry["published"], ferry["author"], ferry["title"]) == (
        "https://www.harbor-gazette.com/ferry", "harbor-gazette.com", "2024-05-01T09:15:00",
        "Jo Reporter; Sam Writer", "Harbor Town Approves New Ferry Schedule")
    assert (bakery["published"], bakery["outlet"], bakery["author"]) == ("2024-05-03", "bakery-news.org", None)
    assert (river["title"], river["outlet"], river["published"]) == (
        "River Rising", "river.example.net", "2024-05-03T18:00:00+02:00")
    assert river["text"] == h.RIVER
    assert ("The river is rising fast,", "Maria Lopez") in quotes_and_speakers(h, tmp_path / "q.db")


def test_custom_text_and_id_fields(tmp_path, extract, h):
    feed = h.write_jsonl(tmp_path / "export.jsonl", [
        {"guid": "story-1", "story": h.FERRY, "published": "2024-05-01"},
        {"guid": "story-2", "story": h.BAKERY},
        {"story": h.RIVER},
        {"guid": "story-4", "text": "only the default field"},
    ])
    plain = extract(tmp_path / "plain.db", feed)
    assert h.parse_summary(plain.stdout)["new"] == 1  # only the line with "text"
    assert 'no "text" field (nor maintext, content, body)' in plain.stderr
    result = extract(tmp_path / "q.db", feed, "--text-field", "story", "--id-field", "guid")
    assert result.exit_code == 0, result.output
    assert set(articles(h, tmp_path / "q.db")) == {"story-1", "story-2", "export.jsonl#3"}
    assert f'{feed}:4: no "story" field, line skipped' in result.stderr
    assert articles(h, tmp_path / "q.db")["story-1"]["text"] == h.FERRY


def test_truncated_jsonl_gz_keeps_what_came_before(tmp_path, extract, h):
    lines = [{"id": f"a{n}", "text": h.FERRY.replace("Monday", f"day {n}")} for n in range(200)]
    whole = gzip.compress("".join(json.dumps(line) + "\n" for line in lines).encode())
    cut = h.write_article(tmp_path / "cut.jsonl.gz", whole[: len(whole) // 2])
    result = extract(tmp_path / "q.db", cut)
    assert result.exit_code == 0, result.output
    [warning] = [line for line in result.stderr.splitlines() if "Warning" in line]
    assert f"{cut}:" in warning and "the rest of the file is skipped" in warning
    summary = h.parse_summary(result.stdout)
    assert 0 < summary["new"] < 200 and summary["skipped"] == 1


# --- standard input -----------------------------------------------------------------------

@pytest.mark.parametrize("options", [["--format", "html"], []], ids=["format-html", "auto"])
def test_stdin_html(tmp_path, extract, h, options):
    result = extract(tmp_path / "q.db", "-", *options, input=news_page(h.FERRY).encode())
    assert result.exit_code == 0, result.output
    [row] = articles(h, tmp_path / "q.db").values()
    assert row["doc_id"].startswith("stdin-") and row["source"] == "<stdin>"
    assert (row["title"], row["outlet"], row["url"]) == (
        "Harbor Town Approves New Ferry Schedule", "ZeroHedge", CANONICAL)
    assert len(quotes_and_speakers(h, tmp_path / "q.db")) == 3


@pytest.mark.parametrize("compressed", [False, True], ids=["jsonl", "jsonl.gz"])
def test_stdin_jsonl_with_cc_news_fields(tmp_path, extract, h, compressed):
    data = "".join(json.dumps(line) + "\n" for line in cc_news_lines(h)).encode()
    result = extract(tmp_path / "q.db", "-", "--format", "jsonl", input=gzip.compress(data) if compressed else data)
    assert result.exit_code == 0, result.output
    stored = articles(h, tmp_path / "q.db")
    assert set(stored) == {"stdin#1", "stdin#2", "stdin#3"}
    assert stored["stdin#1"]["outlet"] == "harbor-gazette.com"


def test_stdin_warc(tmp_path, extract, h):
    data = write_warc(tmp_path / "crawl.warc.gz", warc_responses(h)).read_bytes()
    for options in (["--format", "warc"], []):
        result = extract(tmp_path / "q.db", "-", *options, input=data)
        assert result.exit_code == 0, result.output
        assert set(articles(h, tmp_path / "q.db")) == {
            "https://www.harbor-gazette.com/2024/05/ferry", "http://bakery-news.org/prize"}
    assert articles(h, tmp_path / "q.db")["http://bakery-news.org/prize"]["source"].startswith("<stdin>@")


# --- duplicates ---------------------------------------------------------------------------

def test_same_url_twice_is_stored_once(tmp_path, extract, h):
    folder = tmp_path / "in"
    h.write_article(folder / "a" / "ferry.html", news_page(h.FERRY))
    # the same story saved again later, with a correction: same canonical URL
    h.write_article(folder / "b" / "ferry-updated.html", news_page(h.FERRY.replace("Monday", "Tuesday")))
    result = extract(tmp_path / "q.db", folder, "--strict")
    assert result.exit_code == 0, result.output  # a duplicate is no bad input
    summary = h.parse_summary(result.stdout)
    assert (summary["new"], summary["skipped"], summary["duplicates"]) == (1, 1, 1)
    assert "1 skipped (1 duplicate)" in result.stdout
    assert f"Duplicate: {folder / 'b' / 'ferry-updated.html'}: same URL as 'a/ferry.html', skipped" in result.stderr
    assert "Warning" not in result.stderr
    assert set(articles(h, tmp_path / "q.db")) == {"a/ferry.html"}


def test_identical_text_under_two_ids_is_stored_once(tmp_path, extract, h):
    feed = h.write_jsonl(tmp_path / "feed.jsonl", [
        {"id": "wire-1", "text": h.FERRY, "url": "https://wire.example.com/1"},
        {"id": "wire-2", "text": h.BAKERY},
        {"id": "reprint-1", "text": h.FERRY, "url": "https://other.example.org/ferry"},
    ])
    result = extract(tmp_path / "q.db", feed)
    assert result.exit_code == 0, result.output
    assert f"{feed}:3: same text as 'wire-1', skipped" in result.stderr
    assert set(articles(h, tmp_path / "q.db")) == {"wire-1", "wire-2"}
    assert len(h.rows(tmp_path / "q.db", "select id from quotes")) == 5
    # a later run that brings the same story under a new id or the same URL: still stored once
    later = h.write_jsonl(tmp_path / "later.jsonl", [
        {"id": "late-copy", "text": h.FERRY},
        {"id": "late-url", "text": h.RIVER, "url": "https://WIRE.example.com/1#top"},
        {"id": "late-new", "text": h.BAKERY.replace("Sunday", "Saturday")},
    ])
    result = extract(tmp_path / "q.db", later)
    summary = h.parse_summary(result.stdout)
    assert (summary["new"], summary["duplicates"]) == (1, 2)
    assert f"{later}:1: same text as stored article 'wire-1'" in result.stderr
    assert f"{later}:2: same URL as stored article 'wire-1'" in result.stderr
    assert set(articles(h, tmp_path / "q.db")) == {"wire-1", "wire-2", "late-new"}
    # re-running the first file: its articles are unchanged, the reprint still a duplicate
    again = h.parse_summary(extract(tmp_path / "q.db", feed).stdout)
    assert (again["unchanged"], again["duplicates"], again["new"]) == (2, 1, 0)


def test_deduplication_can_be_turned_off_below_the_cli(tmp_path):
    from sqlite_utils import Database

    from quotetrack.pipeline import extract_items

    same = "“We are fine,” Harris said."
    items = [Article("a", same, "a"), Article("b", same, "b")]
    summary = extract_items(Database(tmp_path / "q.db"), items, ["test"], deduplicate=False)
    assert (summary.new, summary.duplicates) == (2, 0)
    summary = extract_items(Database(tmp_path / "q2.db"), items, ["test"])
    assert (summary.new, summary.duplicates) == (1, 1)


# --- directories and progress -------------------------------------------------------------

def test_directories_include_the_new_formats(tmp_path, extract, h):
    folder = tmp_path / "in"
    h.write_article(folder / "a.html", news_page(h.FERRY, canonical="https://example.com/a"))
    h.write_article(folder / "sub" / "b.HTM", news_page(h.BAKERY, canonical="https://example.com/b"))
    write_warc(folder / "sub" / "c.warc.gz", [("https://example.com/c", "200 OK", "text/html",
                                                news_page(h.RIVER, canonical=None), "2024-01-01T00:00:00Z")])
    h.write_article(folder / "d.jsonl.gz", gzip.compress(json.dumps(
        {"id": "d", "text": "Title D\n\n\u201cWe will rebuild,\u201d said Ann Lee.\n"}).encode() + b"\n"))
    h.write_article(folder / "e.txt", "Title E\n\n\u201cIt is done,\u201d said Bo Chan.\n")
    h.write_article(folder / "f.csv", "a,b\n")
    h.write_article(folder / "g.gz", gzip.compress(b"not a known kind of file"))
    seen = []
    from sqlite_utils import Database

    from quotetrack.ingest import total_bytes
    from quotetrack.pipeline import run_extract

    summary = run_extract(Database(tmp_path / "q.db"), [str(folder)], on_progress=seen.append)
    assert (summary.new, summary.skipped) == (5, 0)
    assert set(articles(h, tmp_path / "q.db")) == {"a.html", "sub/b.HTM", "https://example.com/c", "d", "e.txt"}
    assert seen == sorted(seen) and seen[-1] == total_bytes([str(folder)])
    assert total_bytes([str(folder)]) == sum(p.stat().st_size for p in folder.rglob("*")
                                             if p.name not in ("f.csv", "g.gz") and p.is_file())


def test_format_option_reads_any_name(tmp_path, extract, h):
    page = h.write_article(tmp_path / "saved-page.dat", news_page(h.FERRY))
    archive = write_warc(tmp_path / "crawl.bin", warc_responses(h), gz=True)
    assert extract(tmp_path / "q.db", page, "--format", "html").exit_code == 0
    assert extract(tmp_path / "q.db", archive, "--format", "warc").exit_code == 0
    stored = articles(h, tmp_path / "q.db")
    assert set(stored) == {"saved-page.dat", "http://bakery-news.org/prize"}  # the WARC's ferry page: same text
    assert stored["saved-page.dat"]["outlet"] == "ZeroHedge"


# --- metadata normalisation ---------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2018-09-02", "2018-09-02"),
    ("2018-09-02 10:30:00", "2018-09-02T10:30:00"),
    ("2018-09-02T10:30:00.123456Z", "2018-09-02T10:30:00+00:00"),
    ("2018-09-08T14:25:00-04:00", "2018-09-08T14:25:00-04:00"),
    ("20180902", "2018-09-02"),
    ("Sun, 02 Sep 2018 10:30:00 GMT", "2018-09-02T10:30:00+00:00"),
    ("September 2, 2018", "2018-09-02"),
    ("2 Sep 2018 10:30", "2018-09-02T10:30:00"),
    ("2024", "2024"),  # not a whole date: kept as given
    ("May 2024", "May 2024"),
    ("yesterday", "yesterday"),
    ("2018-02-30", "2018-02-30"),
    ("  ", None),
    (None, None),
])
def test_iso_date(value, expected):
    assert iso_date(value) == expected


def test_outlet_and_url_normalisation():
    assert outlet_name("www.ZeroHedge.com") == "zerohedge.com"
    assert outlet_name("Fox News") == "Fox News"
    assert outlet_name("https://www.bbc.co.uk/news") == "bbc.co.uk"
    assert outlet_name("  ") is None
    assert domain_of("https://www.example.com:8080/a") == "example.com"
    assert domain_of("http://localhost/a") is None and domain_of("not a url") is None
    assert normalize_url("HTTPS://Example.COM:443/Path/?b=2&utm_source=x&a=1#frag") == "https://example.com/Path/?b=2&a=1"
    assert normalize_url("http://example.com:8080/x") == "http://example.com:8080/x"
    assert normalize_url("http://old") == "http://old"
    assert normalize_url("not a url") == "not a url"
    assert normalize_url("") is None


def test_read_options_are_passed_to_the_reader(tmp_path, h):
    feed = h.write_jsonl(tmp_path / "x.jsonl", [{"key": "k1", "body_text": h.RIVER}])
    [article] = [i for i in read_inputs([str(feed)], options=ReadOptions("body_text", "key")) if isinstance(i, Article)]
    assert (article.doc_id, article.text) == ("k1", h.RIVER)
