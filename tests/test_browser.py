"""The Datasette pages in a real browser: ``quotetrack serve`` in a subprocess, Chromium through Playwright.

These check what only a browser can see: quotes highlighted in their text,
facet links that filter, article text containing HTML that stays text (and
whose script never runs), and a dashboard chart that draws its data.

Needs Chromium at /usr/bin/chromium and the ``playwright`` package (``.ci/run``
installs both); the module is skipped without them.  Playwright's own browser
downloads are never used.  Each test saves a screenshot of its page in a
temporary folder and prints the path (shown with ``pytest -s``, or with the
output of a failing test).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import quotetrack

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1100, "height": 700}
TIMEOUT_MS = 15_000       # any one wait in a test
NAVIGATION_MS = 20_000    # loading a page
SERVER_START_S = 30       # waiting for `quotetrack serve` to answer
DB = "quotetrack"         # the database name: the file is quotetrack.db

if not CHROMIUM.exists():
    pytest.skip(f"browser tests need Chromium at {CHROMIUM} (.ci/run installs it with apt-get)",
                allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="browser tests need the playwright package (pip install '.[test]')")
expect = sync_api.expect

REPO = Path(__file__).resolve().parent.parent
ARTICLES = REPO / "data" / "articles"

# A made-up article whose quote is HTML with a script in it.  The pages must
# show it as text: the script never runs and <b> is no element.
PAYLOAD_FILE = "city-hall-denies-script-story.txt"
PAYLOAD_SCRIPT = "<script>window.__pwned = 1</script>"
PAYLOAD = (
    "City Hall Denies Script Story\n"
    "\n"
    "The city council met on Tuesday to discuss next year's budget.\n"
    "\n"
    f"Mayor Ann Cole said: “{PAYLOAD_SCRIPT}<b>bold</b> is not what we said.”\n"
    "\n"
    "The council will meet again next week.\n"
)
URBAN_QUOTE = "Exercises like this bolster"


# --------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def quotetrack_env() -> dict:
    """The environment for ``python -m quotetrack``: the same quotetrack these tests import.

    Run from the source tree (``python -m pytest``) or installed, the
    subprocess must load the same package, whatever its working directory.
    """
    env = dict(os.environ)
    package_root = str(Path(quotetrack.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    return env


def read_log(path: Path) -> str:
    try:
        return path.read_text("utf-8", "replace")[-4000:]
    except OSError:
        return ""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """data/articles plus the payload article, extracted into quotetrack.db and served on a free port.

    Yields a namespace-like dict: ``url`` (with the trailing slash), ``db`` (the file).
    """
    folder = tmp_path_factory.mktemp("browser-db")
    articles = folder / "articles"
    shutil.copytree(ARTICLES, articles)
    (articles / PAYLOAD_FILE).write_bytes(PAYLOAD.encode("utf-8"))
    db_path = folder / "quotetrack.db"
    env = quotetrack_env()

    extracted = subprocess.run(
        [sys.executable, "-m", "quotetrack", "extract", str(db_path), str(articles)],
        check=False, cwd=folder, env=env, capture_output=True, text=True, timeout=120)
    assert extracted.returncode == 0, f"extract failed:\n{extracted.stdout}\n{extracted.stderr}"

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log_path = folder / "serve.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "quotetrack", "serve", str(db_path), "--port", str(port)],
            cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if server.poll() is not None:
                pytest.fail(f"quotetrack serve exited with code {server.returncode}:\n{read_log(log_path)}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"quotetrack serve did not answer at {url} within {SERVER_START_S} s:\n"
                            f"{read_log(log_path)}")
            time.sleep(0.25)
        yield {"url": url, "db": db_path, "log": log_path}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def query_one(db_path: Path, sql: str, params=()) -> tuple:
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute(sql, params).fetchone()
    finally:
        conn.close()
    assert row is not None, f"no row for {sql!r} {params!r}"
    return row


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser-screenshots")


@pytest.fixture
def page(browser, served, artefacts, request):
    """A fresh page on the served database; a screenshot of it is saved when the test ends."""
    context = browser.new_context(viewport=VIEWPORT, base_url=served["url"])
    new_page = context.new_page()
    new_page.set_default_timeout(TIMEOUT_MS)
    new_page.set_default_navigation_timeout(NAVIGATION_MS)
    errors: list[str] = []
    new_page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    new_page.on("console", lambda msg: errors.append(f"console {msg.type}: {msg.text}")
                if msg.type == "error" else None)
    new_page.js_errors = errors  # for failure messages
    try:
        yield new_page
    finally:
        shot = artefacts / (re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name) + ".png")
        try:
            new_page.screenshot(path=str(shot), full_page=True, timeout=TIMEOUT_MS)
            print(f"\nscreenshot: {shot}")
        except sync_api.Error as error:  # a screenshot must never hide the test's own failure
            print(f"\nscreenshot failed ({error}); page errors: {errors}")
        context.close()


def open_page(page, path: str):
    """Go to ``path``; the page must answer 200."""
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    assert response.status == 200, f"{path} answered {response.status}"
    return response


# --------------------------------------------------------------------------- tests


def test_search_highlights_the_word(page):
    open_page(page, f"/{DB}/search_quotes?q=bolster")
    hit = page.locator("mark").filter(has_text=re.compile(r"^\s*bolster\s*$", re.IGNORECASE))
    expect(hit.first).to_be_visible()
    body = page.locator("body")
    expect(body).to_contain_text("Bill Urban")
    expect(body).to_contain_text("like this")  # the words around the match: Urban's quote


def test_speaker_facet_filters_the_quotes(page, served):
    open_page(page, f"/{DB}/quotes?_facet=speaker_id")
    facet = page.locator('.facet-results [data-column="speaker_id"], .facet-results #facet-speaker_id').first
    link = facet.locator("li a").filter(has_text=re.compile(r"^\s*Bill Urban\s*$"))
    expect(link).to_have_count(1)
    link.click()
    page.wait_for_url(re.compile(r"speaker_id="))
    rows = page.locator("table.rows-and-columns tbody tr")
    expect(rows).to_have_count(6)
    speakers = rows.locator("td.col-speaker_id").all_inner_texts()
    assert len(speakers) == 6, speakers
    assert all("Bill Urban" in cell for cell in speakers), speakers


def test_quote_in_context(page, served):
    quote_id, speaker_id, article_id, mention = query_one(
        served["db"], "select id, speaker_id, article_id, speaker_mention from quotes where text like ?",
        (URBAN_QUOTE + "%",))
    open_page(page, f"/{DB}/quotes/{quote_id}")

    quote = page.locator("mark.quotetrack-quote")
    expect(quote.first).to_be_visible()
    expect(quote.first).to_contain_text(URBAN_QUOTE)
    context = page.locator(".quotetrack-context").filter(has=page.locator("mark.quotetrack-quote"))
    expect(context.first).to_be_visible()
    expect(context.first).to_contain_text("explained further")  # words around the quote, not in it
    expect(context.first.locator("mark.quotetrack-quote")).to_contain_text(URBAN_QUOTE)

    mentions = page.locator(".quotetrack-mention")
    expect(mentions.first).to_be_attached()
    if mention:
        expect(mentions.first).to_contain_text(" ".join(mention.split()))

    expect(page.locator(f'a[href*="/{DB}/speakers/{speaker_id}"]').first).to_be_attached()
    expect(page.locator(f'a[href*="/{DB}/articles/{article_id}"]').first).to_be_attached()


def test_article_text_is_escaped_and_quotes_highlighted(page, served):
    [article_id] = query_one(served["db"], "select id from articles where doc_id = ?", (PAYLOAD_FILE,))
    open_page(page, f"/{DB}/articles/{article_id}")

    marks = page.locator(".quotetrack-article mark")
    expect(marks.first).to_be_visible()
    assert "is not what we said" in " ".join(marks.all_inner_texts())

    assert page.evaluate("window.__pwned") is None, "the article's <script> ran"
    injected = page.evaluate(
        "() => Array.from(document.scripts).some(s => s.textContent.trim() === 'window.__pwned = 1')")
    assert not injected, "the article's <script> became a script element"
    assert PAYLOAD_SCRIPT in page.locator("body").inner_text(), "the article's <script> is not shown as text"
    bold = page.locator(".quotetrack-article b").filter(has_text=re.compile(r"^\s*bold\s*$"))
    expect(bold).to_have_count(0)


# A chart drawn by datasette-dashboards (vega-embed): a canvas of non-zero
# size, or an svg with a data mark of non-zero size.  vega-embed's menu icon
# (an svg in <summary>) and vega's backgrounds, axes and legends are no data.
# The element found is tagged data-qt-chart, its mark data-qt-mark.
FIND_CHART = """
() => {
  const candidates = document.querySelectorAll(
    '.dashboard-card canvas, .dashboard-card svg, [class*=chart] canvas, [class*=chart] svg, main canvas, main svg');
  const sized = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  for (const el of candidates) {
    if (el.closest('summary, details, button, a')) continue;
    if (el.tagName.toLowerCase() === 'canvas') {
      if (el.width > 0 && el.height > 0 && sized(el)) { el.setAttribute('data-qt-chart', ''); return 'canvas'; }
      continue;
    }
    if (el.ownerSVGElement) continue;  // an svg inside another: its outer one is a candidate
    const marks = Array.from(el.querySelectorAll('path, rect')).filter(m =>
      !m.classList.contains('background')
      && !m.closest('[class*=role-axis], [class*=role-legend], [class*=role-title], defs, clipPath'));
    const mark = marks.find(sized);
    if (mark) {
      el.setAttribute('data-qt-chart', '');
      mark.setAttribute('data-qt-mark', '');
      return 'svg';
    }
  }
  return false;
}
"""


def test_dashboard_chart_has_data(page):
    data_responses = []
    page.on("response", lambda response: data_responses.append(response)
            if ".json?sql=" in response.url else None)
    open_page(page, f"/-/dashboards/{DB}")
    try:
        kind = page.wait_for_function(FIND_CHART, timeout=20_000).json_value()
    except sync_api.TimeoutError:
        found = page.evaluate(
            "() => Array.from(document.querySelectorAll('svg, canvas')).map(e => e.outerHTML.slice(0, 120))")
        pytest.fail(f"no chart with data drawn within 20 s; svg/canvas on the page: {found}; "
                    f"errors: {page.js_errors}")

    chart = page.locator("[data-qt-chart]").first
    box = chart.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0, f"the chart has no size: {box}"
    if kind == "canvas":
        size = chart.evaluate("c => [c.width, c.height]")
        assert size[0] > 0 and size[1] > 0, size
    else:
        mark = chart.locator("[data-qt-mark]").first
        mark_box = mark.bounding_box()
        assert mark_box and mark_box["width"] > 0 and mark_box["height"] > 0, f"the chart's mark: {mark_box}"

    # the chart's query (datasette-dashboards fetches it as JSON) returned rows
    rows, problems = [], []
    for response in data_responses:
        try:
            rows += response.json().get("rows", []) if response.ok else []
        except (sync_api.Error, ValueError, AttributeError) as error:
            problems.append(f"{response.url}: {error}")
    assert rows, f"no chart query returned rows: {[r.url for r in data_responses]} {problems}"
