"""Extraction into shard files and loading them (issue 8: runs too large for one writer)."""

import gzip

from test_workers import content, feed
from typer.testing import CliRunner

from quotetrack.cli import app
from quotetrack.shards import SUFFIX, read_shards

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_shards_loaded_store_what_extract_stores_and_loading_again_changes_nothing(tmp_path):
    path = feed(tmp_path)  # 60 articles and a duplicate
    direct = invoke("extract", tmp_path / "direct.db", path, "--jobs", "1")
    assert direct.exit_code == 0, direct.output
    made = invoke("shard", tmp_path / "shards", path, "--jobs", "2", "--shard-size", "25")
    assert made.exit_code == 0, made.output
    assert "61 articles extracted" in made.stdout and "into 3 shards" in made.stdout
    assert sorted(p.name for p in (tmp_path / "shards").iterdir()) == [f"part-0000{n}{SUFFIX}" for n in range(3)]
    loaded = invoke("load", tmp_path / "loaded.db", tmp_path / "shards")
    assert loaded.exit_code == 0, loaded.output
    assert "60 articles read (60 new" in loaded.stdout and "1 duplicate" in loaded.stdout
    assert content(tmp_path / "loaded.db") == content(tmp_path / "direct.db")
    again = invoke("load", tmp_path / "loaded.db", tmp_path / "shards" / f"part-00001{SUFFIX}")
    assert "(0 new, 0 changed, 25 unchanged)" in again.stdout
    assert content(tmp_path / "loaded.db") == content(tmp_path / "direct.db")


def test_a_damaged_shard_costs_its_bad_lines_only(tmp_path):
    path = feed(tmp_path, count=6)
    assert invoke("shard", tmp_path / "shards", path, "--jobs", "1").exit_code == 0
    good = next((tmp_path / "shards").iterdir())
    lines = gzip.decompress(good.read_bytes()).decode("utf-8").splitlines(keepends=True)
    damaged = tmp_path / f"damaged{SUFFIX}"
    damaged.write_bytes(gzip.compress("".join([lines[0], "{not json\n", '{"article": 3}\n', *lines[1:3]])
                                      .encode("utf-8")))
    cut = tmp_path / f"cut{SUFFIX}"
    whole = gzip.compress("".join(lines[3:]).encode("utf-8"))
    cut.write_bytes(whole[: len(whole) // 2])
    result = invoke("load", tmp_path / "q.db", damaged, cut)
    assert result.exit_code == 0, result.output
    assert f"{damaged}:2: not a quotetrack shard record" in result.output
    assert f"{damaged}:3: not a quotetrack shard record" in result.output
    assert f"{cut}: cannot read the shard" in result.output
    assert "3 articles read (3 new" in result.stdout  # the three good lines of the damaged shard
    strict = invoke("load", tmp_path / "q.db", damaged, "--strict")
    assert strict.exit_code == 1 and "(0 new, 0 changed, 3 unchanged)" in strict.stdout


def test_shards_are_complete_or_named_partial_and_never_overwritten(tmp_path):
    path = feed(tmp_path, count=4)
    assert invoke("shard", tmp_path / "shards", path, "--shard-size", "3").exit_code == 0
    names = sorted(p.name for p in (tmp_path / "shards").iterdir())
    assert names == [f"part-00000{SUFFIX}", f"part-00001{SUFFIX}"]  # 5 articles: 3 and 2, none left .partial
    assert sum(1 for item in read_shards([str(tmp_path / "shards")]) if hasattr(item, "prepared")) == 5
    again = invoke("shard", tmp_path / "shards", path)
    assert again.exit_code == 2 and "holds shards already" in again.output
    assert sorted(p.name for p in (tmp_path / "shards").iterdir()) == names
    not_a_folder = invoke("shard", path, path)
    assert not_a_folder.exit_code == 2 and "Traceback" not in not_a_folder.output
