"""The scorer of `quotetrack eval`, on gold records written here."""

import json

from typer.testing import CliRunner

from quotetrack.cli import app
from quotetrack.evaluate import name_words, pieces, same_speaker, score_article

TEXT = ('“We will stay,” Navy Capt. Bill Urban said.\n'
        'The ministry said the drills were “the final stage.”\n'
        '“This goes on over a paragraph.\n'
        '“And ends here,” he said.\n')


def gold_quote(text, words, speaker, kind="name", resolved=None):
    start = text.index(words)
    return {"start": start, "end": start + len(words), "text": words, "speaker": speaker,
            "speaker_kind": kind, "speaker_resolved": resolved if resolved is not None else
            (speaker if kind == "name" else None)}


GOLD = [
    gold_quote(TEXT, "We will stay,", "Navy Capt. Bill Urban", resolved="Bill Urban"),
    gold_quote(TEXT, "the final stage.", "The ministry", kind="description"),
    gold_quote(TEXT, "This goes on over a paragraph.\n“And ends here,", "he", kind="pronoun", resolved="Bill Urban"),
]


def predicted_like_gold(speaker="Urban"):
    return [(q["start"], q["end"], speaker) for q in GOLD]


def test_perfect_prediction_scores_one():
    score = score_article(TEXT, GOLD, predicted_like_gold()).counts
    assert score.predicted == score.gold == score.matched == score.exact == 4  # 3 quotes, 4 paragraph pieces
    assert score.speaker_scored == 3  # the description without a resolved name is not scored
    assert score.speaker_right == 3
    assert score.by_kind == {"name": [1, 1], "pronoun": [2, 2]}
    assert score.end_to_end == 4


def test_prediction_without_overlap_scores_zero():
    elsewhere = [(TEXT.index("ministry"), TEXT.index("ministry") + 8, "Urban")]
    score = score_article(TEXT, GOLD, elsewhere).counts
    assert score.matched == score.exact == score.end_to_end == 0
    assert score.predicted == 1 and score.gold == 4


def test_multi_paragraph_quote_scores_like_its_pieces():
    whole = [(GOLD[2]["start"], GOLD[2]["end"], "Bill Urban")]
    split = [(a, b, "Bill Urban") for a, b in pieces(TEXT, GOLD[2]["start"], GOLD[2]["end"])]
    assert len(split) == 2
    assert score_article(TEXT, GOLD[2:], whole).counts == score_article(TEXT, GOLD[2:], split).counts


def test_lenient_match_needs_half_the_union_and_is_one_to_one():
    start, end = GOLD[0]["start"], GOLD[0]["end"]
    overlapping = [(start, end - 2, "Urban"), (start + 1, end, "Urban")]
    score = score_article(TEXT, GOLD[:1], overlapping).counts
    assert score.matched == 1 and score.predicted == 2
    too_short = [(start, start + 3, "Urban")]
    assert score_article(TEXT, GOLD[:1], too_short).counts.matched == 0


def test_exact_ignores_edge_punctuation_only():
    start, end = GOLD[0]["start"], GOLD[0]["end"]
    assert score_article(TEXT, GOLD[:1], [(start, end - 1, "Urban")]).counts.exact == 1  # without the comma
    assert score_article(TEXT, GOLD[:1], [(start + 3, end, "Urban")]).counts.exact == 0


def test_wrong_or_missing_speaker_fails_end_to_end():
    score = score_article(TEXT, GOLD[:1], [(GOLD[0]["start"], GOLD[0]["end"], "Peter Cook")]).counts
    assert score.matched == 1 and score.speaker_right == 0 and score.end_to_end == 0
    score = score_article(TEXT, GOLD[:1], [(GOLD[0]["start"], GOLD[0]["end"], None)]).counts
    assert score.speaker_scored == 1 and score.speaker_right == 0


def test_speaker_names_compare_without_titles():
    assert name_words("Navy Capt. Bill Urban") == ["bill", "urban"]
    assert name_words("the spokesman") == ["spokesman"]  # a title that is the last word stays
    assert same_speaker("Bill Urban", "Navy Capt. Bill Urban")
    assert same_speaker("Urban", "Captain William Urban")
    assert same_speaker("Trump’s", "Donald J. Trump")
    assert not same_speaker("Peter Cook", "Bill Urban")
    assert not same_speaker(None, "Bill Urban")


def test_eval_command_runs_the_extractor_on_a_gold_file(tmp_path):
    record = {"doc_id": "t1", "text": TEXT, "quotes": GOLD}
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"] == 1
    assert report["pieces"]["gold"] == 4
    assert report["quotes_lenient"]["recall"] == 1.0
    assert report["speaker_accuracy"] == 1.0


def test_eval_errors_show_misses_with_context(tmp_path):
    record = {"doc_id": "t2", "text": "Nothing is quoted here at all.", "quotes": [
        {"start": 8, "end": 17, "text": "is quoted", "speaker": None, "speaker_kind": None, "speaker_resolved": None}]}
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(gold), "--errors", "5"])
    assert result.exit_code == 0
    assert "MISS" in result.stdout and "[[is quoted]]" in result.stdout


def test_eval_rejects_a_file_that_is_not_gold(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(bad)])
    assert result.exit_code == 2
    assert "bad.jsonl:1" in result.output
