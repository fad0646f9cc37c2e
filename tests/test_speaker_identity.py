"""Speakers as entities across the database: identity, profiles, curation (issue 4)."""

import asyncio
import json
import random
from pathlib import Path

import nicknames
import yaml
from datasette.app import Datasette
from sqlite_utils import Database
from sqlite_utils.utils import hash_record
from typer.testing import CliRunner

from helpers import speaker_of, write_article
from quotetrack.cli import app
from quotetrack.db import ensure_db_shape, transaction
from quotetrack.identity import Directory, Namesakes, NamesakesCache, first_names_match, key_id
from quotetrack.server import metadata_for, write_templates

DATA = Path(__file__).resolve().parent.parent / "data" / "articles"
runner = CliRunner()


def extract(db_path, folder):
    result = runner.invoke(app, ["extract", str(db_path), str(folder)])
    assert result.exit_code == 0, result.output
    return Database(db_path)


def speakers(db):
    return {row["name"]: row for row in db.query("select * from speakers")}


def test_nicknames_match():
    assert first_names_match("bill", "william")
    assert first_names_match("bob", "robert")
    assert first_names_match("p", "peter")
    assert not first_names_match("hillary", "bill")


def oldest_match(first, namesakes):
    """The plain loop ``Namesakes.find`` stands for: the same first name, else the oldest matching one."""
    if first in namesakes:
        return namesakes[first]
    return next((sid for other, sid in namesakes.items() if first_names_match(first, other)), None)


def test_namesakes_find_what_the_plain_loop_finds():
    rng = random.Random(20)
    names = ["bill", "william", "will", "willie", "bob", "robert", "rob", "bobby", "bert", "peggy", "margaret",
             "peg", "meg", "peter", "pete", "elizabeth", "liz", "beth", "john", "jack", "jon", "hillary", "igor",
             "dmitry", "zyx", "o'neil", "jean-pierre", "émile", "é", "-", "Bill", "WILLIAM", " bob"]
    nicknamer = nicknames.NickNamer()
    names += rng.sample(sorted(nicknamer.nickname_lookup), 40) + rng.sample(sorted(nicknamer.canonical_lookup), 40)
    names += [name[0] for name in names]  # initials: "P. Cook" is the key "person:p cook"
    # name forms need not be symmetric ("Bill" lists "william", "william" lists "bill"): both ways count
    assert first_names_match("william", "Bill") and not first_names_match("bill", "Bill")
    for _ in range(300):
        stored = rng.choices(names, k=rng.randint(0, 40))  # repeats: the oldest speaker keeps a name
        namesakes, indexed = {}, Namesakes()
        for position, first in enumerate(stored):
            namesakes.setdefault(first, f"s{position}")
            indexed.add(first, f"s{position}")
        for first in rng.sample(names, 60):
            assert indexed.find(first) == oldest_match(first, namesakes), (first, list(namesakes))


def test_key_id_is_the_hash_record_of_the_key():
    for key in ["person:peter cook", "organization:ministère de la défense", 'group:the "elders"@a1',
                "person:o’neil-smith \\ \ud800", ""]:
        assert key_id(key) == hash_record({"key": key})[:16]


def test_nickname_and_title_variants_are_one_speaker(tmp_path):
    folder = tmp_path / "in"
    write_article(folder / "a.txt",
                  "Drills\n\n“We are ready,” said Navy Capt. Bill Urban, a spokesman for Central Command.\n")
    write_article(folder / "b.txt",
                  "More drills\n\nCaptain William Urban said the troops would stay “as long as needed.”\n")
    db = extract(tmp_path / "q.db", folder)
    people = [row for row in speakers(db).values() if row["kind"] == "person"]
    assert len(people) == 1
    assert people[0]["quote_count"] == 2 and people[0]["article_count"] == 2
    assert {"Bill Urban", "William Urban"} <= {row["alias"] for row in db["aliases"].rows}


def test_a_bare_surname_links_inside_its_article_but_not_across(tmp_path):
    folder = tmp_path / "in"
    write_article(folder / "a.txt",
                  "One\n\nNavy Capt. Bill Urban spoke on Monday.\n\n“The drill went well,” Urban said.\n")
    write_article(folder / "b.txt", "Two\n\n“Nobody told us anything,” Urban said.\n")
    db = extract(tmp_path / "q.db", folder)
    assert speaker_of(db, "drill went well") == "Bill Urban"
    assert speaker_of(db, "Nobody told us") == "Urban"
    assert len([n for n in speakers(db) if n.endswith("Urban")]) == 2


def test_people_who_share_a_surname_stay_apart(tmp_path):
    folder = tmp_path / "in"
    write_article(folder / "a.txt", "One\n\n“We will win,” Hillary Clinton said.\n")
    write_article(folder / "b.txt", "Two\n\n“She will win,” Bill Clinton said.\n")
    db = extract(tmp_path / "q.db", folder)
    assert {"Hillary Clinton", "Bill Clinton"} <= set(speakers(db))


def test_organisation_variants_are_one_organisation(tmp_path):
    folder = tmp_path / "in"
    write_article(folder / "a.txt", "One\n\nThe Russian Defense Ministry said the drills were “a warning.”\n"
                                    "The ministry said the ships would return “within days.”\n")
    write_article(folder / "b.txt", "Two\n\nRussia’s Defense Ministry said the strikes were “precise.”\n")
    write_article(folder / "c.txt", "Three\n\nThe Russian ministry said the talks were “over.”\n")
    db = extract(tmp_path / "q.db", folder)
    orgs = [row for row in speakers(db).values() if row["kind"] == "organization"]
    assert [row["name"] for row in orgs] == ["Russian Defense Ministry"]
    assert orgs[0]["quote_count"] == 4 and orgs[0]["article_count"] == 3


def test_sample_spokesmen_are_one_row_each_with_their_profile(tmp_path):
    db = extract(tmp_path / "q.db", DATA)
    rows = speakers(db)
    expected = {
        "Bill Urban": ("Navy Capt.", "spokesman", "U.S. Central Command"),
        "Peter Cook": (None, "Press Secretary", "Pentagon"),
        "Igor Konashenkov": ("Major General", "spokesman", "Russian Defense Ministry"),
        "Dmitry Peskov": (None, "spokesman", "Kremlin"),
    }
    for name, (rank, role, organization) in expected.items():
        assert (rows[name]["rank"], rows[name]["role"], rows[name]["organization"]) == (rank, role, organization)
        assert [n for n in rows if n.split()[-1] == name.split()[-1]] == [name]
    assert rows["Bill Urban"]["article_count"] == 2 and rows["Peter Cook"]["article_count"] == 2
    assert rows["Russian Defense Ministry"]["kind"] == rows["Pentagon"]["kind"] == "organization"


def test_merge_alias_and_split_survive_re_extraction(tmp_path):
    folder = tmp_path / "in"
    write_article(folder / "a.txt", "One\n\n“We are ready,” said Pentagon Press Secretary Peter Cook.\n"
                                    "“The port stays open,” the Port Authority said.\n")
    write_article(folder / "b.txt", "Two\n\n“Nothing changes,” the Harbor Safety Board said.\n")
    db_path = tmp_path / "q.db"
    extract(db_path, folder)
    assert runner.invoke(app, ["merge", str(db_path), "Port Authority", "Harbor Safety Board"]).exit_code == 0
    assert runner.invoke(app, ["alias", str(db_path), "Peter Cook", "Pete Cook"]).exit_code == 0
    # the article changes: it is extracted again, and the decisions still hold
    write_article(folder / "b.txt", "Two\n\n“Nothing changes at all,” the Harbor Safety Board said.\n")
    write_article(folder / "c.txt", "Three\n\n“We stay,” Pete Cook said.\n")
    db = extract(db_path, folder)
    assert speaker_of(db, "Nothing changes at all") == "Port Authority"
    assert speaker_of(db, "We stay") == "Peter Cook"
    split = runner.invoke(app, ["unmerge", str(db_path), "Port Authority"])
    assert split.exit_code == 0, split.output
    assert speaker_of(Database(db_path), "Nothing changes at all") == "Harbor Safety Board"


def test_curation_exports_and_imports_as_yaml(tmp_path):
    folder = tmp_path / "in"
    write_article(folder / "a.txt", "One\n\n“Nothing changes,” the Harbor Safety Board said.\n"
                                    "“Still nothing,” the Port Authority said.\n")
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    extract(first, folder)
    extract(second, folder)
    assert runner.invoke(app, ["merge", str(first), "Port Authority", "Harbor Safety Board"]).exit_code == 0
    exported = tmp_path / "curation.yml"
    assert runner.invoke(app, ["curation", "export", str(first), str(exported)]).exit_code == 0
    decisions = yaml.safe_load(exported.read_text("utf-8"))["decisions"]
    assert decisions[0]["into"] == "Port Authority"
    result = runner.invoke(app, ["curation", "import", str(second), str(exported)])
    assert result.exit_code == 0, result.output
    assert speaker_of(Database(second), "Nothing changes") == "Port Authority"


def test_curation_errors_are_clear(tmp_path):
    folder = tmp_path / "in"
    write_article(folder / "a.txt", "One\n\n“We are ready,” said Peter Cook.\n")
    db_path = tmp_path / "q.db"
    extract(db_path, folder)
    result = runner.invoke(app, ["merge", str(db_path), "Peter Cook", "Nobody Atall"])
    assert result.exit_code == 2 and "no speaker called 'Nobody Atall'" in result.output
    result = runner.invoke(app, ["split", str(db_path), "Peter Cook"])
    assert result.exit_code == 2 and "nothing was merged" in result.output


def test_speakers_json_lists_profile_counts_and_aliases(tmp_path):
    db_path = tmp_path / "q.db"
    extract(db_path, DATA)
    result = runner.invoke(app, ["speakers", str(db_path), "--json"])
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    urban = rows["Bill Urban"]
    assert urban["kind"] == "person" and urban["organization"] == "U.S. Central Command"
    assert urban["quotes"] == 6 and urban["articles"] == 2
    assert "Urban" in urban["aliases"] and "William Urban" in urban["aliases"]


def test_speaker_page_and_everything_said_query(tmp_path):
    db_path = tmp_path / "quotetrack.db"
    extract(db_path, DATA)
    templates = write_templates(db_path, tmp_path)
    urban_id = Database(db_path).execute("select id from speakers where name = 'Bill Urban'").fetchone()[0]

    async def fetch():
        ds = Datasette([str(db_path)], metadata=metadata_for(db_path), template_dir=str(templates))
        await ds.invoke_startup()
        page = await ds.client.get(f"/quotetrack/speakers/{urban_id}")
        query = await ds.client.get("/quotetrack/everything_said.json?name=Urban&_shape=array")
        titled = await ds.client.get("/quotetrack/everything_said.json?name=Captain+William+Urban&_shape=array")
        return page, query, titled

    page, query, titled = asyncio.run(fetch())
    assert {row["quote_id"] for row in titled.json()} == {row["quote_id"] for row in query.json()}
    assert page.status_code == 200
    assert "Also written as" in page.text and "William Urban" in page.text
    assert "Exercises like this bolster" in page.text
    rows = query.json()
    assert len(rows) == 6 and {row["speaker"] for row in rows} == {"Bill Urban"}


def test_a_merge_that_fails_halfway_changes_nothing(tmp_path):
    folder = tmp_path / "in"
    write_article(folder / "a.txt", "One\n\n“Nothing changes,” the Harbor Safety Board said.\n"
                                    "“Still nothing,” the Port Authority said.\n")
    db_path = tmp_path / "q.db"
    before = {name: row["quote_count"] for name, row in speakers(extract(db_path, folder)).items()}
    # the first drop is merged, the second is the target itself: the whole merge must roll back
    result = runner.invoke(app, ["merge", str(db_path), "Port Authority", "Harbor Safety Board", "Port Authority"])
    assert result.exit_code == 2 and "already" in result.output
    db = Database(db_path)
    assert speaker_of(db, "Nothing changes") == "Harbor Safety Board"
    assert {name: row["quote_count"] for name, row in speakers(db).items()} == before
    assert db.execute("select count(*) from curated_keys").fetchone()[0] == 0


def _resolve_batches(db_path, batches, cache, between=None):
    """Resolve each batch of (first, last) names in its own transaction: the speaker id of each name."""
    db = Database(db_path)
    ensure_db_shape(db)
    ids = []
    for number, names in enumerate(batches):
        if between:
            between(number)
        with transaction(db):
            keys = [(f"person:{first} {last}", last, f"{first} {last}", "person") for first, last in names]
            ids.append([natural for natural, _ in Directory(db, cache() if callable(cache) else cache).resolve(keys)])
    return ids


def test_namesakes_kept_across_batches_match_as_reading_them_each_batch(tmp_path):
    batches = [[("william", "smith"), ("anna", "jones")], [("bill", "smith"), ("p", "jones")],
               [("peter", "jones"), ("w", "smith"), ("maria", "lopez")], [("pete", "jones"), ("billy", "smith")]]
    kept = _resolve_batches(tmp_path / "kept.db", batches, NamesakesCache())
    fresh = _resolve_batches(tmp_path / "fresh.db", batches, NamesakesCache)  # a new cache per batch
    assert kept == fresh
    william = kept[0][0]
    assert kept[1][0] == kept[2][1] == kept[3][1] == william  # Bill, W. and Billy Smith are William Smith
    assert kept[2][0] == kept[1][1] != kept[0][1]  # Peter joins P. Jones, not Anna Jones


def test_namesakes_kept_are_read_again_after_another_connection_writes(tmp_path):
    db_path = tmp_path / "q.db"

    def other_writer(number):
        if number == 1:  # after the first batch read "jones" and found nobody
            with Database(db_path).conn as conn:
                conn.execute("insert into speaker_keys (key, speaker_id, surname, name, kind) "
                             "values ('person:robert jones', 'bob-id', 'jones', 'Robert Jones', 'person')")

    ids = _resolve_batches(db_path, [[("anna", "jones")], [("bob", "jones")]], NamesakesCache(), other_writer)
    assert ids[1] == ["bob-id"]


def test_namesakes_cache_holds_at_most_its_size_in_first_names(tmp_path):
    cache = NamesakesCache(size=3)
    _resolve_batches(tmp_path / "q.db", [[("anna", "lee"), ("bo", "lee"), ("cy", "kim"), ("di", "kim")],
                                         [("ed", "wu")]], cache)
    assert list(cache.entries) == ["lee", "wu"]  # kim, the least recently used, went first
    assert sum(len(n.speakers) for n in cache.entries.values()) <= 3
