"""The extractor on small made-up articles and on the sample articles in data/."""

from pathlib import Path

import pytest

from quotetrack.extractor import extract
from quotetrack.quotes import find_quotations
from quotetrack.quote_style import single_quoted

DATA = Path(__file__).resolve().parent.parent / "data" / "articles"


def spans(text):
    return [text[q.start:q.end] for q in find_quotations(text)]


def who(text):
    """{quote text: speaker name} for one article."""
    return {q.text: (q.speaker.name if q.speaker else None) for q in extract(text).quotes}


# --- quotation spans -------------------------------------------------------

def test_curly_straight_and_mixed_marks():
    text = 'He said “one thing.” She said "another." They said “mixed one." And "mixed two.”'
    assert spans(text) == ["one thing.", "another.", "mixed one.", "mixed two."]


def test_nested_single_quotes_stay_inside_the_outer_quotation():
    text = "“We call it the ‘deconfliction zone’ here,” she said."
    assert spans(text) == ["We call it the ‘deconfliction zone’ here,"]


def test_quotation_over_several_paragraphs():
    text = ("“This is the first paragraph of a long statement.\n\n"
            "“And this is the second one, which closes,” the minister said.\n")
    found = find_quotations(text)
    assert [text[q.start:q.end] for q in found] == [
        "This is the first paragraph of a long statement.",
        "And this is the second one, which closes,",
    ]
    assert found[0].continued and found[1].continuation


def test_stray_mark_does_not_swallow_the_article():
    text = ('The 12" guns were loud.\n'
            'An unbalanced “mark opens here and never closes\n'
            '“Clean quote,” Smith said.\n')
    found = spans(text)
    assert "Clean quote," in found
    assert all("\n" not in s for s in found)


def test_non_breaking_spaces_and_markup_do_not_break_pairing():
    text = ('<tweet tweet-id="123">a tweet</tweet> “We\u00a0will\u00a0win,” Mayor Jane\u00a0Doe said.')
    assert spans(text) == ["We\u00a0will\u00a0win,"]
    assert who(text) == {"We\u00a0will\u00a0win,": "Jane Doe"}  # names are stored with plain spaces


def test_two_apostrophe_marks():
    text = "''We will see,'' Mr. Brown said."
    assert spans(text) == ["We will see,"]


# --- attribution patterns --------------------------------------------------

@pytest.mark.parametrize("text, quote, speaker", [
    ('“The bridge is closed,” Harris said.', "The bridge is closed,", "Harris"),
    ('“The bridge is closed,” said Transport Secretary Alan Harris.', "The bridge is closed,", "Alan Harris"),
    ('Alan Harris said: “The bridge is closed.”', "The bridge is closed.", "Alan Harris"),
    ('Mayor Lucy Park said that the plan was “not final.”', "not final.", "Lucy Park"),
    ('Lucy Park explained further that “The plan is not final yet.”', "The plan is not final yet.", "Lucy Park"),
    ('“We are ready,” Gen. Tom Reyes, the head of the Northern Command, said in a statement.',
     "We are ready,", "Tom Reyes"),
    ('“We are ready,” Tom Reyes told reporters on Monday.', "We are ready,", "Tom Reyes"),
    ('According to Tom Reyes, “the army is ready to move.”', "the army is ready to move.", "Tom Reyes"),
    ('“The army is ready to move,” according to Tom Reyes.', "The army is ready to move,", "Tom Reyes"),
    ('The company’s spokeswoman, Maria Lopez, said the results were “a disappointment.”',
     "a disappointment.", "Maria Lopez"),
    ('“Prices will fall next year,” — Maria Lopez', "Prices will fall next year,", "Maria Lopez"),
    ('“The oven broke twice,” said baker Tom Ellis.', "The oven broke twice,", "Tom Ellis"),
    ("''Wages are rising,'' the economist Jared Bell said.", "Wages are rising,", "Jared Bell"),
    ('“We will not print it,” Herald opinion editor Ann Cole told reporters.', "We will not print it,", "Ann Cole"),
    ('Gov. Ray Hollis (R-OH), said, “We are ready for the vote.”', "We are ready for the vote.", "Ray Hollis"),
    ('“It is over,” Senate Majority Leader Tom Reyes, R-Ky., said.', "It is over,", "Tom Reyes"),
    ('“It is over,” Ann Cole, co-founder of the Open Roads Committee, said.', "It is over,", "Ann Cole"),
    ('Ann Cole went on to say, “We will win this fight.”', "We will win this fight.", "Ann Cole"),
    ('Ann Cole, the mayor’s sister, issued a statement on Friday, saying “the city deserves better.”',
     "the city deserves better.", "Ann Cole"),
    ('And then Ann Cole went on the attack, calling the plan “a disgrace.”', "a disgrace.", "Ann Cole"),
    ('“We did not discuss that,” warm-and-fuzzy Cole said.', "We did not discuss that,", "Cole"),
    ('“They cannot afford rent,” Fight for Rent organizing director Kendall Fells told reporters.',
     "They cannot afford rent,", "Kendall Fells"),
    ('“The deal was assessed for a long time,” Read said.', "The deal was assessed for a long time,", "Read"),
    ('Said Dorothy Poynter, who grew up with him, “We were all so proud of him.”',
     "We were all so proud of him.", "Dorothy Poynter"),
    ('“The war changes everything,” Will wrote.', "The war changes everything,", "Will"),
    ('Because of the calendar, explained Rosenberg, “it will all be over by March.”',
     "it will all be over by March.", "Rosenberg"),
    ('Ann Cole on Thursday ratcheted up her attacks, saying he is “weak on crime.”', "weak on crime.", "Ann Cole"),
    ("Ann Cole, Trayvon's aunt, issued a statement, saying the family has “no comment at this time.”",
     "no comment at this time.", "Ann Cole"),
    ('On Friday, Ann Cole — named by the Herald as a likely choice — told reporters that “the offer is serious.”',
     "the offer is serious.", "Ann Cole"),
    ('Here in Columbia, Ann Cole stepped up her attacks, saying, “We have to win this state.”',
     "We have to win this state.", "Ann Cole"),
    ('In selling the courses, Ann Cole released a video that said, “We will have the best professors.”',
     "We will have the best professors.", "Ann Cole"),
    ('“They came for the free buses,” Jim Dale shot back with a laugh.', "They came for the free buses,", "Jim Dale"),
    ('“People fear wasting their votes,” Ann Cole surmised.', "People fear wasting their votes,", "Ann Cole"),
])
def test_attribution_patterns(text, quote, speaker):
    assert who(text)[quote] == speaker


def test_a_name_followed_by_where_the_person_is_from():
    text = ("Representative Debbie Wasserman Schultz of Florida, the party chairwoman, spoke too.\n"
            "“We will reach out to both campaigns,” she said.\n")
    assert who(text) == {"We will reach out to both campaigns,": "Debbie Wasserman Schultz"}


def test_pronoun_resolves_to_the_person_named_before():
    text = ("Senator Ann Whitfield spoke on Tuesday.\n"
            "“This bill is a disgrace,” she said.\n")
    assert who(text) == {"This bill is a disgrace,": "Ann Whitfield"}


def test_relayed_quote_keeps_the_outlet_as_via():
    text = ("Navy Capt. Ron Diaz said the troops would stay.\n"
            "“Our forces will remain in place,” The Daily Ledger cited him as saying.\n")
    quote = extract(text).quotes[-1]
    assert quote.speaker.name == "Ron Diaz"
    assert quote.via == "The Daily Ledger"
    assert quote.cue == "cited him as saying"


def test_quoted_by_outlet_as_saying():
    text = "“It is hard,” the intelligence official was quoted by CNN as saying."
    quote = extract(text).quotes[0]
    assert quote.via == "CNN"
    assert quote.speaker.kind == "anonymous"


def test_paragraph_that_is_only_a_quotation_inherits_the_speaker():
    text = ("According to Pierre Martin, the talks have failed.\n"
            "\"We have tried everything. Nobody wants to listen to us any more.\"\n")
    assert who(text) == {"We have tried everything. Nobody wants to listen to us any more.": "Pierre Martin"}


def test_quote_continued_after_the_speaker_clause():
    text = "“We are ready,” Harris said. “We have trained for months and the crews are prepared.”"
    assert set(who(text).values()) == {"Harris"}


def test_surname_and_full_name_are_one_speaker():
    text = ("The spokesman, Navy Capt. Bill Carver, said the drill went well.\n"
            "“We expect the other side to respect the agreement,” Carver said.\n")
    result = extract(text)
    assert [s.name for s in result.speakers] == ["Bill Carver"]
    assert result.speakers[0].title == "Navy Capt."


def test_organisation_and_anonymous_speakers():
    text = ("The Russian ministry said the drills are “the latest evidence of hostile intent.”\n"
            "A senior official who spoke with the Herald described the move as a “serious provocation.”\n")
    quotes = extract(text).quotes
    assert quotes[0].speaker.kind == "organization"
    assert quotes[1].speaker.kind == "anonymous"
    assert quotes[1].via == "Herald"


# --- what is not a quotation ----------------------------------------------

def test_titles_names_and_scare_quotes_are_not_quotes():
    text = ('Tensions rose (read "Everything you need to know about the looming battle") this week.\n'
            'Pierre Le Corf, founder of the NGO “WeAreSuperHeroes,” lives in Aleppo.\n'
            'Four Sukhoi "Flanker" jets have been deployed.\n'
            'It has also “routinely” briefed the White House.\n')
    assert extract(text).quotes == []


def test_kinds_direct_and_partial():
    text = ('“We will not move,” Harris said.\n'
            'Harris said the situation was “under control.”\n'
            'Harris explained further that “Exercises like this keep the crews ready.”\n')
    kinds = {q.text: q.kind for q in extract(text).quotes}
    assert kinds == {"We will not move,": "direct", "under control.": "partial",
                     "Exercises like this keep the crews ready.": "direct"}


def test_offsets_index_the_text():
    text = DATA.joinpath("pentagon-strong-message-live-fire-drills.txt").read_text("utf-8")
    for q in extract(text).quotes:
        assert text[q.start:q.end] == q.text
        if q.mention_start is not None:
            assert text[q.mention_start:q.mention_end] == q.speaker_mention


def test_extraction_is_deterministic():
    text = DATA.joinpath("russia-releases-video-of-military-drills.txt").read_text("utf-8")
    first = [(q.start, q.end, q.speaker.name if q.speaker else None) for q in extract(text).quotes]
    second = [(q.start, q.end, q.speaker.name if q.speaker else None) for q in extract(text).quotes]
    assert first == second


# --- the sample articles ---------------------------------------------------

SPOKESMEN_QUOTES = {
    "pentagon-strong-message-live-fire-drills.txt": {
        "demonstrate the capability to deploy rapidly": "Bill Urban",
        "Exercises like this bolster": "Bill Urban",
        "The Russians agreed to a [34 mile]": "Bill Urban",
        "does not seek to fight the Russians": "Bill Urban",
        "final stage.": "Igor Konashenkov",
    },
    "russia-releases-video-of-military-drills.txt": {
        "a hotbed of terrorism": "Dmitry Peskov",
        "additional safety measures": "Dmitry Peskov",
        "justified.": "Dmitry Peskov",
        "final stage.": "Igor Konashenkov",
        "Our forces will demonstrate": "William Urban",
    },
    "russia-expands-military-expedition-in-syria.txt": {
        "deconfliction in Syria,": "Peter Cook",
    },
    "pentagon-refuses-to-bend-to-russian-threats.txt": {
        "Our operations will continue,": "Peter Cook",
        "precautions with regard to the safety": "Peter Cook",
        "differences": "Peter Cook",
        "would encourage the Russians to do the same,": "Peter Cook",
    },
}


@pytest.mark.parametrize("name", sorted(SPOKESMEN_QUOTES))
def test_every_spokesman_quote_is_found_and_attributed(name):
    text = DATA.joinpath(name).read_text("utf-8")
    found = {q.text: q.speaker.name if q.speaker else None for q in extract(text).quotes}
    for start, speaker in SPOKESMEN_QUOTES[name].items():
        matches = [s for quote, s in found.items() if quote.replace("\u00a0", " ").startswith(start)]
        assert matches == [speaker], f"{start!r} in {name}: {found}"


def test_no_non_quotation_from_the_samples_is_stored():
    stored = [q.text for path in DATA.glob("*.txt") for q in extract(path.read_text("utf-8")).quotes]
    for non_quote in ("Everything you need to know", "WeAreSuperHeroes", "Flanker", "routinely",
                      "Strong Message", "One Of A Kind"):
        assert not any(non_quote in s for s in stored), non_quote


def test_pronoun_after_a_quote_is_whoever_spoke_just_before():
    text = ("Senator Ann Whitfield met Governor Mark Dale on Monday.\n"
            "Dale said he had not changed his mind. “I remember every word of that debate,” he said.\n")
    assert who(text) == {"I remember every word of that debate,": "Mark Dale"}


def test_object_of_a_preposition_is_not_the_antecedent():
    text = ("Mark Dale went after Tom Reyes at the debate on Tuesday.\n"
            "“He has no plan at all,” he said.\n")
    assert who(text) == {"He has no plan at all,": "Mark Dale"}


def test_capitalised_words_that_look_like_verbs_are_not_cues():
    text = "Mayor Ann Cole says the league has gone “soft” like the United States.\n"
    assert who(text) == {"soft": "Ann Cole"}


def test_a_paragraph_ending_with_a_colon_introduces_the_next():
    text = ("After the attack, Governor Ann Cole issued the following statement:\n"
            "“Our prayers are with all those affected by this terrible crime.”\n")
    assert who(text) == {"Our prayers are with all those affected by this terrible crime.": "Ann Cole"}


def test_sentence_openers_that_name_no_one():
    text = ("Hastily, the council voted on the plan and called it “a historic compromise.”\n"
            "At a rally in Portsmouth, N.H., on Tuesday, Senator Ann Cole endorsed Mark Dale, "
            "saying that he would “make an outstanding governor.”\n")
    found = who(text)
    assert found["make an outstanding governor."] == "Ann Cole"
    assert found["a historic compromise."] != "Hastily"


def test_guillemets_and_a_possessive_spokesman():
    text = ("Le ministre a déclaré : « Nous resterons. »\n"
            "“We are not leaving,” the Kremlin’s spokesman said.\n")
    spans_found = spans(text)
    assert "Nous resterons." in spans_found
    quote = [q for q in extract(text).quotes if q.text.startswith("We are")][0]
    assert quote.speaker is not None and quote.speaker_mention == "the Kremlin’s spokesman"


def test_bylines_are_titles_and_passive_agents_are_speakers():
    text = ('MOVING SHOP—"Gallery opening across from the museum," by Example Daily\'s Dana Lee: a story.\n'
            'The movement has been called “strategic ambiguity” by Joshua Hendrick, a professor.\n')
    found = who(text)
    assert "Gallery opening across from the museum," not in found
    assert found["strategic ambiguity"] == "Joshua Hendrick"


def test_a_pronoun_skips_a_name_in_object_position():
    text = ("Marvin Roffman, a securities analyst, sued Donald Trump in 1990 and won.\n\n"
            "Like many others, Roffman does not want to tangle with Trump anymore.\n\n"
            "“I'm 76, and I don't feel like going through that again,” he said.\n")
    assert who(text) == {"I'm 76, and I don't feel like going through that again,": "Marvin Roffman"}


def test_a_lone_surname_of_an_earlier_speaker_is_an_antecedent():
    text = ("“We will win this state,” Bernie Sanders said at a rally in Iowa.\n\n"
            "Several paragraphs about the polls followed, with no names at all in them.\n\n"
            "Hillary Clinton was campaigning in Ohio, where Mark Dale introduced her.\n\n"
            "Asked about Clinton, Sanders laughed heartily.\n\n"
            "“Politics is a tough game,” he said.\n")
    assert who(text)["Politics is a tough game,"] == "Bernie Sanders"


def test_united_states_first_names_decide_gender():
    from quotetrack.speakers import first_name_gender

    assert first_name_gender("Bernie") == "m" and first_name_gender("Rand") == "m"
    assert first_name_gender("Hillary") == "f" and first_name_gender("Pat") is None


def test_a_capitalised_sentence_opener_the_article_writes_in_lower_case_is_no_speaker():
    text = ("Todd Wilcox and Carlos Beruff argued that the department is not needed. "
            "States can do that, they said.\n\n"
            "To believe the federal government must ensure states are educating students, "
            "“you have to take a really cynical view of the 50 states,” he said.\n")
    assert who(text)["you have to take a really cynical view of the 50 states,"] != "To"


def test_lower_case_role_words_and_ordinals_inside_a_speaker_phrase():
    text = ("“It just became a lot of people competing for that space,” said Republican political "
            "consultant Chris Russell.\n\n"
            "“I was hoping we'd see something else,” said Air Force 1st Lt. Tyler Livingston.\n")
    assert who(text) == {"It just became a lot of people competing for that space,": "Chris Russell",
                         "I was hoping we'd see something else,": "Tyler Livingston"}


def test_an_apposition_ends_with_its_sentence():
    text = ("“The candidates just don't understand the military,” said Army Capt. Christian Pardo, "
            "who said he would not vote for either of them. “Their policies are so far out there” he added, "
            "and left.\n")
    mentions = {q.speaker_mention for q in extract(text).quotes}
    assert "Army Capt. Christian Pardo, who said he would not vote for either of them" in mentions  # (no full stop)


def test_an_apposition_ends_with_its_paragraph():
    # a paragraph that ends without a sentence end ("Association..") must not lend its mention the next one
    text = ("Farm\n\n“Prices could fall,” said Jon Doggett, executive vice president of the National Corn Growers "
            "Association..\n\nShaw said that Clinton already has “clearly moved on” from the rule.\n")
    found = {q.text: q.speaker_mention for q in extract(text).quotes}
    assert found["Prices could fall,"] == ("Jon Doggett, executive vice president of the National Corn Growers "
                                           "Association..")
    assert found["clearly moved on"] == "Shaw"


def test_a_contraction_is_no_possessive():
    text = "Trump spoke in Las Vegas. He’s predicting he will do “very, very well” in the next contest.\n"
    assert extract(text).quotes[0].speaker_mention == "He’s"


def test_an_age_or_a_role_in_apposition_makes_a_person_of_an_unknown_first_name():
    from quotetrack.names import person_names

    text = ("Amadou Magassa, 13, of Philadelphia sold water on Broad Street. "
            "Ngozi Okafor, a securities analyst, watched. Broad Street, the main road, was closed. "
            "Ilyzse Hogue, president of the group, spoke.")
    assert [m.name for m in person_names(text)] == ["Amadou Magassa", "Ngozi Okafor", "Ilyzse Hogue"]


def test_a_lower_case_title_with_of_before_a_name():
    text = "“The first line of defense is the community,” said former secretary of state Hillary Clinton.\n"
    assert who(text) == {"The first line of defense is the community,": "Hillary Clinton"}


def test_a_pronoun_after_an_inverted_attribution_is_its_speaker():
    text = ("No Child Left Behind was “very assertive and interventionist,” said Gary Orfield, a professor "
            "at the University of California. He added that the administration “doubled down the bets” "
            "by using its influence.\n")
    assert who(text) == {"very assertive and interventionist,": "Gary Orfield", "doubled down the bets": "Gary Orfield"}


def test_an_indefinite_pronoun_opening_a_sentence_is_no_name():
    text = ("Nobody asked about the refugee rhetoric, so Barack Obama brought it up himself. "
            "He called it “shameful” and left.\n")
    assert who(text) == {"shameful": "Barack Obama"}


def test_an_inverted_cue_after_reported_words_names_the_speaker():
    text = ("The paradox of the governor, says Carla Anthony, a historian at the state library, is that "
            "she was “one of the most powerful governors in decades.”\n\n"
            "And the mayor, said Louise Sunshine, who remains friendly with him, does not forgive. "
            "“If you let him down, you only have one shot at it,” she said.\n\n"
            "“We cannot go on like this,” Jeb Bush told CNN.\n")
    assert who(text) == {"one of the most powerful governors in decades.": "Carla Anthony",
                         "If you let him down, you only have one shot at it,": "Louise Sunshine",
                         "We cannot go on like this,": "Jeb Bush"}


def test_who_after_a_comma_stands_for_the_name_before_it():
    text = ("Marvin Roffman, who estimates that his legal costs were “in the seven figures,” described "
            "the impact as “horrendous.”\n")
    assert who(text)["in the seven figures,"] == "Marvin Roffman"


def test_a_place_and_a_party_are_no_personal_name():
    from quotetrack.names import person_names

    text = "Patrick Murphy, a Jupiter Democrat, met Todd Wilcox, an Orlando Republican, and Orlando Bloom."
    assert [m.name for m in person_names(text)] == ["Patrick Murphy", "Todd Wilcox", "Orlando Bloom"]


def test_a_subject_before_two_asides():
    text = ("RoseAnn DeMoro, executive director of National Nurses United, a union that has endorsed "
            "the senator, also said her group would “be a significant force inside and outside.”\n")
    assert who(text) == {"be a significant force inside and outside.": "RoseAnn DeMoro"}


def test_a_fragment_without_a_cue_is_the_words_of_a_named_subject():
    text = ("Preceded at the lectern by the sheriff, Donald Trump launched into a lament for the "
            "“countless Americans” who are victims.\n\n"
            "Tensions rose over the “deconfliction zone” this week. Paris hosts the “summit of the year.”\n")
    found = extract(text).quotes
    assert [(q.text, q.speaker.name, q.rule) for q in found] == [
        ("countless Americans", "Donald Trump", "fragment-subject")]


def test_a_noun_that_looks_like_a_reporting_verb_does_not_end_the_search_for_the_cue():
    text = ("“They feel he is the one guy,” Thomas Hanify, the president of the Indiana state "
            "firefighters union, said of Mr. Trump.\n")
    assert who(text) == {"They feel he is the one guy,": "Thomas Hanify"}


def test_a_subject_before_a_chain_of_asides():
    text = ("“Both of them scare me,” Harry Bond, 30, of Raleigh, N.C., who was among those polled, "
            "said in an interview.\n\n"
            "Under what Mr. Hedge called “the prior economy model,” the Marsh Landing Country Club, "
            "a private course in Ponte Vedra Beach, Fla., charged members $10,000.\n")
    assert who(text) == {"Both of them scare me,": "Harry Bond", "the prior economy model,": "Hedge"}


def test_phrasal_cues_went_on_and_put_it():
    text = ("“You know, it happens, right?” Trump went on, as if he had not heard.\n\n"
            "As Akhil Amar, professor of constitutional law at Yale, put it, “Senate Republicans "
            "should remember that.”\n\n"
            "“We will win,” Hannity went to the studio.\n\n"
            "He put the “prior economy model” aside.\n")
    found = {q.text: (q.speaker.name if q.speaker else None, q.cue) for q in extract(text).quotes}
    assert found["You know, it happens, right?"] == ("Trump", "went on")
    assert found["Senate Republicans should remember that."] == ("Akhil Amar", "put it")
    assert found.get("We will win,", (None, None))[0] is None


def test_a_verb_is_a_cue_only_with_its_particle():
    from quotetrack import lexicon

    lex = lexicon.load()
    assert lex.particles["go"] == "on" and lex.particles["put"] == "it"
    assert lex.reporting_forms["went"] == "go" and "go" in lex.closing_only


def test_a_time_phrase_between_subject_and_cue():
    text = ("Republican candidate Donald Trump on Saturday tweeted an image bearing the words "
            "“most corrupt candidate ever!”\n\n"
            "Speaker Paul D. Ryan, the nation's highest-ranking Republican, on Tuesday called the "
            "remarks “racist,” an extraordinary indictment.\n")
    assert who(text) == {"most corrupt candidate ever!": "Donald Trump", "racist,": "Paul D. Ryan"}


def test_a_subject_before_asides_ahead_of_a_quotation():
    text = ("Cory James, 22, of Flint, Mich., said he had not given up hope of a convention “surprise.”\n\n"
            "The Podesta Group's CEO, Kimberley Fritts, said the firms “coordinated on it.”\n")
    assert who(text) == {"surprise.": "Cory James", "coordinated on it.": "Kimberley Fritts"}


def test_a_verb_without_its_particle_introduces_no_quotation():
    from quotetrack.article import last_cue_offset

    text = "His wife, Jane, spoke just before New Yorkers went to the polls."
    assert last_cue_offset(text, 0, len(text)) is None
    text = "She went on at length."
    assert last_cue_offset(text, 0, len(text)) == 4


def test_an_inverted_cue_before_an_apposition_that_ends_the_sentence():
    text = ("“The most impressive aspect has been a newfound resilience,” like the recent volatility of "
            "markets, said Richard Curtin, the chief economist for the Michigan Survey of Consumers.\n")
    assert who(text) == {"The most impressive aspect has been a newfound resilience,": "Richard Curtin"}


def test_a_sentence_end_without_a_space_after_the_period():
    from quotetrack.tokens import tokenize

    assert [t.text for t in tokenize("Trump said.Trump claimed the U.S. and Mic.com")] == [
        "Trump", "said", ".", "Trump", "claimed", "the", "U.S.", "and", "Mic.com"]
    text = "“The Chinese have complete control,” Trump said.Trump claimed that he learned this.\n"
    assert who(text) == {"The Chinese have complete control,": "Trump"}


def test_shot_back_and_fired_back_introduce_a_quotation():
    text = ("When Trump suggested that Cuba would sue, Rubio fired back forcefully: “They’re going to lose.”\n\n"
            "After Gov. Jerry Brown criticized Bill Clinton, Hillary shot back, “I could have baked cookies.”\n")
    assert who(text) == {"They’re going to lose.": "Rubio", "I could have baked cookies.": "Hillary"}


def test_a_reporting_verb_before_a_title_and_a_name_is_a_noun():
    text = "“We are not undertaking design,” White House press secretary Josh Earnest said Tuesday.\n"
    found = extract(text).quotes
    assert [(q.speaker.name, q.cue) for q in found] == [("Josh Earnest", "said")]


def test_a_place_name_that_opens_with_a_first_name_is_no_person():
    from quotetrack.names import person_names

    text = "Luis Osuna spoke at a rally in San Diego and at a breakfast in Des Moines."
    assert [m.name for m in person_names(text)] == ["Luis Osuna"]


def test_a_dropped_fragment_subject_is_no_antecedent():
    text = ("Putting the show together, Norbert Butz said, allowed him to “get in touch with himself.” "
            "Audiences can expect him to approach the set with “a little more recklessness.”\n\n"
            "“It’s straight from the heart,” he said.\n")
    assert who(text) == {"get in touch with himself.": "Norbert Butz",
                         "It’s straight from the heart,": "Norbert Butz"}


def test_a_closing_mark_without_a_space_after_it():
    text = "“It has been most surprising to me,”Clinton said. “Some of the comments were divisive.”\n"
    assert who(text) == {"It has been most surprising to me,": "Clinton",
                         "Some of the comments were divisive.": "Clinton"}


def test_more_closing_cues():
    text = "“This is fantastic!” beamed Donald Hartley of Madison.\n\n“Not bad,” she deadpanned.\n"
    found = {q.text: q.cue for q in extract(text).quotes}
    assert found == {"This is fantastic!": "beamed", "Not bad,": "deadpanned"}


def test_an_inverted_cue_far_from_the_sentence_end():
    text = ("“To see the number of cases that could change is stunning,” since so many were decided by "
            "5-to-4 votes, said Lee Epstein, who teaches constitutional law and legal institutions at "
            "Washington University and has written about the court for many years.\n\n"
            "Mr. Coll said that Mr. Cohen had made “serious allegations.” He went on to rebut many of the "
            "detailed points in the letter, writing that Ms. Rust gave the company plenty of time.\n")
    assert who(text) == {"To see the number of cases that could change is stunning,": "Lee Epstein",
                         "serious allegations.": "Coll"}


def test_a_possessive_description_and_a_name_after_an_inverted_cue():
    text = ("“We will win here,” said his campaign manager, Corey Lewandowski.\n\n"
            "“We are close,” said the bureau's director, James B. Comey.\n\n"
            "“We will see,” said her spokesman.\n")
    found = {q.text: (q.speaker.name, q.speaker_mention) for q in extract(text).quotes}
    assert found == {"We will win here,": ("Corey Lewandowski", "his campaign manager, Corey Lewandowski"),
                     "We are close,": ("James B. Comey", "the bureau's director, James B. Comey"),
                     "We will see,": ("her spokesman", "her spokesman")}


def test_numbers_and_participles_opening_a_sentence_name_no_one():
    text = ("Sharpton said he would endorse. Eight years ago, he supported Obama and said, “Clinton has "
            "never done anything for us.”\n")
    assert who(text) == {"Clinton has never done anything for us.": "Sharpton"}


def test_a_participle_after_a_quotation_is_the_subjects_act_not_an_inverted_cue():
    text = "Bloomberg pegged him at $2.9 billion, which Mr. Trump called “a disgrace,” blaming Michael Bloomberg.\n"
    assert who(text) == {"a disgrace,": "Trump"}


def test_a_dateline_before_the_subject():
    text = ("Washington (AFP) – Democrat Hillary Clinton has taken a swipe at Trump, saying that "
            "“bombastic comments” do harm.\n\n"
            "WASHINGTON - Senator Ted Cruz took aim at Trump, saying his plan was “a disaster.”\n")
    assert who(text) == {"bombastic comments": "Hillary Clinton", "a disaster.": "Ted Cruz"}


def test_a_dash_byline_ends_its_clause():
    text = ("“We will win this state,” — Senator Bernie Sanders.\n\n"
            "Although Martin O'Malley lamented her gaffes - “why does she keep giving them ammunition?” - "
            "Democrats in Iowa who watched her said little.\n")
    found = who(text)
    assert found["We will win this state,"] == "Bernie Sanders"
    assert found.get("why does she keep giving them ammunition?") != "Democrats"


def test_an_adverbial_phrase_between_subject_and_cue():
    text = ("Donald Trump in a statement said the ruling was “a disgrace.”\n\n"
            "Hillary Clinton on Twitter called it “a dangerous idea.”\n")
    assert who(text) == {"a disgrace.": "Donald Trump", "a dangerous idea.": "Hillary Clinton"}


def test_a_report_speaks_for_whoever_issued_it():
    text = ("The Holocaust Memorial Museum in Washington issued a report charging the Islamic State with "
            "“crimes against humanity.”\n")
    assert who(text) == {"crimes against humanity.": "Holocaust Memorial Museum"}


def test_front_runner_is_a_role_and_ask_an_imperative():
    text = ("Democratic front-runner Hillary Clinton weighed in on Friday.\n\n"
            "“Proud of my friend for breaking down barriers,” she said.\n\n"
            "Ask yourself: which state will Clinton win with her talk of the “enemy”?\n")
    found = who(text)
    assert found["Proud of my friend for breaking down barriers,"] == "Hillary Clinton"
    assert found.get("enemy") != "Ask"


def test_a_byline_paragraph_after_a_quotation_paragraph():
    text = ("Other news organizations have asked for copies.\n\n"
            "“I went to Wall Street before the crash.”\n\n"
            "- Clinton.\n\n"
            "“Boeing and GE pay zero taxes.”\n\n"
            "— Sen. Bernie Sanders, in a debate on Feb. 4\n\n"
            "“We will build a wall.”\n\n"
            "- and then the crowd cheered.\n")
    found = {q.text: (q.speaker.name if q.speaker else None, q.speaker_mention, q.rule) for q in extract(text).quotes}
    assert found["I went to Wall Street before the crash."] == ("Clinton", "Clinton", "dash-byline")
    assert found["Boeing and GE pay zero taxes."] == ("Bernie Sanders", "Sen. Bernie Sanders", "dash-byline")
    assert found.get("We will build a wall.", (None, None, None))[2] != "dash-byline"


def test_group_words_are_no_person_for_he_or_she():
    from quotetrack.speakers import read_name

    assert read_name("Senate Republicans").kind == "group"
    assert read_name("Russians").kind == "group"
    assert read_name("Benjamin Green").kind == "person"
    text = ("Mr. Trump tried to limit the damage. But most Republicans agreed they had no recourse.\n\n"
            "In his statement, he said it was “unfortunate that my comments have been misconstrued.”\n")
    assert who(text) == {"unfortunate that my comments have been misconstrued.": "Trump"}


def test_a_byline_with_the_dash_against_the_name():
    text = "“The whole idea of a ‘Crooked Hillary’ is something we hear about.”\n\n-Michelle Marks, Philadelphia.\n"
    assert who(text) == {"The whole idea of a ‘Crooked Hillary’ is something we hear about.": "Michelle Marks"}


def test_a_sentence_opening_with_a_bracketed_word_is_a_direct_quotation():
    text = ("“There are fundamental points about liberty,” Howard said. “(Cruz) has those values. "
            "I would like to see him win.”\n\n“The New York Times is claiming today that they had a meeting,” "
            "Hannity started.\n")
    found = {q.text: (q.kind, q.speaker.name if q.speaker else None) for q in extract(text).quotes}
    assert found["(Cruz) has those values. I would like to see him win."] == ("direct", "Howard")
    assert found["The New York Times is claiming today that they had a meeting,"] == ("direct", "Hannity")


def test_a_capitalised_pronoun_after_an_abbreviation_opens_a_sentence():
    text = ("Sen. John McCain spoke this morning in Washington D.C. He recalled the Tea Party uprising.\n\n"
            "“Some of this appeals to the base,” he said.\n")
    assert who(text) == {"Some of this appeals to the base,": "John McCain"}


def test_a_coordinated_verb_after_an_adverbial_has_the_sentence_subject():
    text = ("Dottie Deans, the chairwoman of the Vermont Democratic Party, is supporting Sanders and in a "
            "statement credited him for “an exciting and inspiring campaign.”\n")
    assert who(text) == {"an exciting and inspiring campaign.": "Dottie Deans"}


def test_a_parenthetical_attribution_before_the_verb():
    text = "CNN, Cruz said, called the announcement “highly significant.”\n"
    found = extract(text).quotes
    assert [(q.speaker.name, q.cue) for q in found] == [("Cruz", "said")]


def test_a_single_word_said_with_its_own_punctuation_is_a_quotation():
    text = ("“Really,” she added when the interviewer expressed shock.\n\n"
            "“Out!” the crowd yelled.\n\n"
            "She wrote for “Politico” magazine.\n")
    found = {q.text for q in extract(text).quotes}
    assert found == {"Really,", "Out!"}


def test_a_quotation_inside_a_quotation_with_other_marks():
    from quotetrack.quotes import find_quotations

    def spans(text):
        return [text[q.start:q.end] for q in find_quotations(text)]

    assert spans('Ward stated: "The DOJ isn’t about “Equal Justice Under Law” anymore. It’s about power."') == [
        "The DOJ isn’t about “Equal Justice Under Law” anymore. It’s about power."]
    assert spans('“He said "no" to me,” she said.') == ['He said "no" to me,']
    # an outer mark that never closes was stray: the inner pair is the quotation
    assert spans('“He went home. "Then he left," she said.') == ["Then he left,"]


def test_a_cue_word_after_a_possessive_and_a_name_is_a_noun():
    text = ("“She knows what it takes,” said Ms. Warren, who has often been on the receiving side of "
            "Mr. Trump's Twitter attacks. “She doesn't whine.”\n")
    assert who(text) == {"She knows what it takes,": "Warren", "She doesn't whine.": "Warren"}


def test_a_fragment_after_a_quotation_of_the_same_sentence_is_that_speakers():
    text = ("Republican front-runner Donald Trump called the merger “a terrible deal” and ranked Carly Fiorina "
            "as one of the worst CEOs “in the history of business.”\n\n"
            "Penny Nance said she supports his candidacy because there is “no question” he is “the most "
            "pro-life of the two.”\n")
    found = who(text)
    assert found["in the history of business."] == "Donald Trump"
    assert found["the most pro-life of the two."] == "Penny Nance"


def test_a_prepositional_phrase_without_a_speaker_noun_before_the_cue():
    text = ("Trump at the time said he had asked his “people” to look into it.\n\n"
            "Clinton noted that Sanders in the past has criticized the president and called him “weak.”\n")
    assert who(text) == {"people": "Trump", "weak.": "Clinton"}


def test_a_subject_with_the_organisation_it_works_for():
    text = ("“Building a staged weapon is hard,” Jeffrey Lewis of the James Martin Center for "
            "Nonproliferation Studies wrote in December.\n\n"
            "John Smith of the Brookings Institution said the plan was “a disaster.”\n")
    found = {q.text: (q.speaker.name, q.speaker.kind) for q in extract(text).quotes}
    assert found == {"Building a staged weapon is hard,": ("Jeffrey Lewis", "person"),
                     "a disaster.": ("John Smith", "person")}


def test_a_new_sentence_that_quotes_someone_else_after_a_quotation():
    text = ("On Twitter, former Florida Gov. Jeb Bush called Trump “unhinged.” Sen. Marco Rubio called the "
            "statement “offensive and outlandish.”\n\nDemocratic candidates went further.\n")
    assert who(text) == {"unhinged.": "Jeb Bush", "offensive and outlandish.": "Marco Rubio"}


def test_it_takes_no_persons_name_from_the_sentence_before():
    text = ("The Post reported that Edward Klein said he was gathering material. It added, “the visit "
            "comes as Trump promises to debut new attacks.”\n")
    assert who(text)["the visit comes as Trump promises to debut new attacks."] != "Edward Klein"


def test_a_description_does_not_run_over_a_verb():
    text = ("Growing sharper as he spoke, Mr. Trump continued: “The worst attack ever? It was during his "
            "presidency.” He added that praising the former president for what happened after the Sept. 11 "
            "attacks was like saying the opposing team “scored 19 runs in the first inning.”\n")
    assert who(text)["scored 19 runs in the first inning."] == "Trump"


def test_an_introductory_clause_without_a_comma():
    text = ("Judge Richard Berman took a short recess. When he returned he began by saying, “I don’t think "
            "that prison is necessary.”\n")
    assert who(text) == {"I don’t think that prison is necessary.": "Richard Berman"}


def test_a_cue_word_after_the_and_a_name_is_a_noun():
    text = ("After the Paris attacks, Trump released a new radio ad calling it “dangerous.”\n\n"
            "The Pentagon says the strike was “a success.”\n")
    assert who(text) == {"dangerous.": "Trump", "a success.": "Pentagon"}


def test_an_ed_word_after_a_name_is_its_verb():
    text = ("At a rally in Ohio on Monday, Porter rallied supporters by warning that “the country is in "
            "danger.”\n")
    assert who(text) == {"the country is in danger.": "Porter"}


def test_the_sentence_subject_past_asides_between_commas():
    text = ("Jane Porter, herself a union member during the strike, earned boos upon saying, “The deal is fair.”\n\n"
            "In early May, the campaign's state director, Mike Rubin, reached out to the group, writing in an "
            "email: “We want this now.”\n")
    assert who(text) == {"The deal is fair.": "Jane Porter", "We want this now.": "Mike Rubin"}


def test_a_claim_belongs_to_whoever_owns_it():
    text = ("The talks stalled. The worries go beyond Jane Porter's controversial pledge to be “neutral” in the "
            "dispute.\n\n"
            "It is the lasting pull of Tom Reed's “you can keep your plan” promise: voters remember it.\n\n"
            "Sen. Ann Lowe has long pushed her promise of “free college” for all.\n\n"
            "Mayor Dan Hill denounced Porter's remarks as “hurtful and silly.”\n")
    assert who(text) == {"neutral": "Jane Porter", "you can keep your plan": "Tom Reed",
                         "free college": "Ann Lowe", "hurtful and silly.": "Dan Hill"}


def test_a_claim_right_before_its_words_overrides_the_reporting_verb():
    text = ("Gov. Jim Hale on Thursday blamed the media for making an issue out of Dan Reed’s claim that "
            "President Ann Lowe “founded the gang,” saying they were nitpicking.\n\n"
            "Speaker Tom Price called Reed's remarks “racist.”\n")
    assert who(text) == {"founded the gang,": "Dan Reed", "racist.": "Tom Price"}


def test_a_name_in_marks_inside_the_speaker_clause_does_not_cut_it():
    text = ("“We have had better conventions than this one,” Texas delegate Bill Eastman, wearing a cowboy hat and "
            "“Ted Cruz” campaign pins, said.\n\n"
            "Hemsley, the co-author of \"Going Viral,\" about the spread of news, said the days of "
            "\"a shared story\" are gone.\n")
    found = who(text)
    assert found["We have had better conventions than this one,"] == "Bill Eastman"
    assert found["a shared story"] == "Hemsley"


def test_a_verb_inside_the_attribution_of_the_quotation_before_does_not_take_the_next_one():
    text = ("“They are not terminable at will,” company spokesman Ron Leeds told the Journal in July, after "
            "Mayor Bill Harris stated an interest in ending the deals. “These contracts are binding.”\n")
    assert who(text) == {"They are not terminable at will,": "Ron Leeds", "These contracts are binding.": "Ron Leeds"}


def test_a_sentence_after_a_quotation_that_introduces_the_next_one():
    text = ("Jane Hall answers her aide with, “Why now? I was on my way to Paris?” Mills then writes back, "
            "“You look great.”\n\n"
            "Tom Reed wrote to the board, “We are done.” Lee then replies, “Fine by us.”\n")
    assert who(text) == {"Why now? I was on my way to Paris?": "Jane Hall", "You look great.": "Mills",
                         "We are done.": "Tom Reed", "Fine by us.": "Lee"}


def test_a_possessive_name_is_not_the_speakers_name():
    text = ("“This has to be the end,” said Clinton’s top foreign policy aide Jake Sullivan.\n\n"
            "But Podliska’s most explosive claim is that the panel is a “witch hunt.”\n\n"
            "Donald Trump won again. He’s predicting he will do “very, very well” in the state.\n")
    assert who(text) == {"This has to be the end,": "Jake Sullivan", "witch hunt.": "Podliska",
                         "very, very well": "Donald Trump"}


def test_with_a_name_and_a_participle_cue():
    text = ("The attack sparked a debate over how the government responds to violence, with Senator Joan Marsh "
            "telling reporters on Thursday she viewed the agency as “directly responsible” for it.\n")
    assert who(text) == {"directly responsible": "Joan Marsh"}


def test_a_fragment_in_the_last_clause_is_that_clauses_subjects():
    text = ("Gov. Tom Reed on Monday signed an order to block the plan, while Mike Hale, the former governor, "
            "proposed we “wake up and smell the coffee” instead.\n")
    assert who(text) == {"wake up and smell the coffee": "Mike Hale"}


def test_a_participle_cue_in_the_last_clause_has_that_clauses_subject():
    text = "Gov. Tom Reed signed the order on Monday, while Mike Hale criticised it, calling it “a disgrace.”\n"
    assert who(text) == {"a disgrace.": "Mike Hale"}


def test_according_to_an_outlet_after_the_speaker_is_a_relay_for_the_quotations_that_follow():
    text = "“I ask you not to protest,” Sanders said, according to CNN. “It is important.”\n"
    found = [(q.text, q.speaker.name, q.via) for q in extract(text).quotes]
    assert found == [("I ask you not to protest,", "Sanders", "CNN"), ("It is important.", "Sanders", "CNN")]


def test_two_names_after_a_quotation_speak_together():
    text = ("Politico described a candidate aggrieved. “He is filled with resentment,” Anna Dove and Gabriel "
            "Debenedetti wrote.\n")
    found = extract(text).quotes
    assert [(q.speaker.name, q.speaker_mention) for q in found] == [
        ("Gabriel Debenedetti", "Anna Dove and Gabriel Debenedetti")]


def test_state_after_an_article_and_a_capitalised_word_is_a_noun():
    text = ("Buddy Valastro praised the governor's ability to get things done in a heavily Democratic state.\n\n"
            "“We need someone who cuts through it and brings people together.”\n")
    assert who(text) == {"We need someone who cuts through it and brings people together.": "Buddy Valastro"}


def test_a_name_after_a_possessive_outlet_is_a_person_for_pronouns():
    text = ("CNN barely mentioned the remarks. Fox News’ Bret Baier noticed that no network cut away. He "
            "commented that his network “held on” during her event.\n")
    assert who(text) == {"held on": "Bret Baier"}


def test_quick_or_prompted_to_say_is_the_subjects_speech():
    text = ("The debate was so subdued that Tom Reed was prompted to say, “I cannot believe how civil it is.”\n\n"
            "Donald Trump said the wall was negotiable. Trump was quick to add that the talks do not include "
            "dropping the idea.\n\n“Building it? Not negotiable.”\n")
    assert who(text) == {"I cannot believe how civil it is.": "Tom Reed", "Building it? Not negotiable.": "Donald Trump"}


def test_a_paragraph_of_quotation_after_a_paragraph_about_someone():
    text = ("Richard Vigor spoke at length about the race.\n\n"
            "Vigor is upbeat about Cruz’s chances, in part because he sees Cruz as a uniter.\n\n"
            "“Not only can Ted Cruz win in November, he is the one with the best chance of it.”\n\n"
            "Come again?\n\n"
            "“That is what I said and I mean it,” he said.\n")
    assert who(text) == {"Not only can Ted Cruz win in November, he is the one with the best chance of it.":
                         "Richard Vigor", "That is what I said and I mean it,": "Richard Vigor"}


def test_a_fragment_after_a_connective_goes_on_with_the_last_speaker():
    text = ("“We were not happy when it was first announced,” said Jock Finn, head of policy at the council. "
            "Now, “within the business community there is a sizable change of heart.”\n")
    assert who(text)["within the business community there is a sizable change of heart."] == "Jock Finn"


def test_a_quotation_inside_a_participle_aside_is_the_subjects():
    text = ("Mr. Paul Mann, citing “the unique magic of the candidate,” said the candidate could be competitive in "
            "states like Pennsylvania.\n")
    assert who(text) == {"the unique magic of the candidate,": "Paul Mann"}


def test_two_titles_joined_by_and_before_a_name():
    text = "“That is what he did,” said former Pennsylvania Gov. and Democratic Party Chairman Ed Rendell.\n"
    assert who(text) == {"That is what he did,": "Ed Rendell"}


def test_a_capitalised_title_with_of_and_a_lower_case_word_before_a_name():
    text = ("Actress Susan Sands has joined the campaign.\n\nFormer US secretary of state Ann Berg, a party supporter, fanned "
            "controversy this year over her remark that “there is a special place for those who stay home.”\n")
    [quote] = extract(text).quotes
    assert (quote.speaker.name, quote.speaker_mention) == ("Ann Berg", "Former US secretary of state Ann Berg, a party supporter")


def test_a_possessive_opening_the_paragraph_before_is_no_speaker_for_the_next():
    text = ("And suffice it to say, Donald Trump’s reversals do not change the fact that his views are "
            "incoherent.\n\n“I worry that we may see a resurgence of deficit hawks in the party.”\n")
    assert who(text) == {"I worry that we may see a resurgence of deficit hawks in the party.": None}


def test_a_relative_pronoun_is_no_modifier_of_the_noun_after_it():
    from quotetrack.tokens import tokenize
    from quotetrack.subjects import subject_before
    text = "the emails, which included staff members suggesting someone should question it"
    tokens = tokenize(text)
    found = subject_before(tokens, [t.text for t in tokens].index("suggesting"))
    assert not text[found.start:found.end].startswith("which")


def test_an_inverted_cue_after_the_clause_that_carries_the_quotation():
    text = ("Strategists are skeptical. “He can assert it, but it seems extremely unlikely” that Sanders can catch "
            "Clinton, said Steve Elman, a party strategist.\n")
    assert who(text) == {"He can assert it, but it seems extremely unlikely": "Steve Elman"}


def test_a_colon_introduction_beats_a_new_sentence_after_the_quotation():
    text = ("Senators kept asking her about it. Jane Hall, exasperated, famously responded: “What difference does "
            "it make?” Her critics cited it as evidence that she did not care.\n")
    assert who(text) == {"What difference does it make?": "Jane Hall"}


def test_a_name_between_dashes_after_a_description():
    text = ("Senator Lena Gray tweeted that the plan would fail.\n\nA former Republican presidential candidate -- "
            "John Mack, who lost the 2008 election -- said the president “offered no changes to his strategy.”\n")
    assert who(text) == {"offered no changes to his strategy.": "John Mack"}


def test_the_agent_of_a_passive_cue_speaks():
    text = "Sanders was asked by host Bill Maher, who backs him, “Now, you famously said the emails did not matter?”\n"
    found = extract(text).quotes
    assert [(q.speaker.name, q.rule) for q in found] == [("Bill Maher", "passive-agent")]


def test_a_person_the_last_sentence_is_about_comes_before_an_older_speaker():
    text = ("The family suggested a picture of his lunch.\n\n"
            "Paul Manafort politely suggested that this might be seen as condescending. The picture went out. "
            "Donald Trump himself was delighted by the controversy. “The people who were offended were people we "
            "wanted to offend,” he later said.\n\n"
            "Speaker Paul Ryan said the bureau erred. FBI director James Comey decided not to recommend charges "
            "even though he found “evidence” of careless handling.\n")
    found = who(text)
    assert found["The people who were offended were people we wanted to offend,"] == "Donald Trump"
    assert found["evidence"] == "James Comey"


def test_a_lower_case_role_is_part_of_the_title_and_gives_the_gender():
    text = ("“There are management issues,” Shane Shook said.\n\n"
            "Speaking in Beijing, Chinese Foreign Ministry spokesman Lu Kang repeated that China opposed hacking.\n\n"
            "People should not wave around words like “maybe” and “perhaps”, he told reporters.\n")
    found = {q.text: q.speaker for q in extract(text).quotes}
    assert (found["maybe"].name, found["maybe"].gender) == ("Lu Kang", "m")


def test_a_cue_in_a_subordinate_clause_has_that_clauses_subject():
    text = ("There have been sharper references, such as when Senator Ted Crane knocked Rubio on trade and called "
            "him a “moderate,” a subtle dig.\n")
    assert who(text) == {"moderate,": "Ted Crane"}


def test_a_common_noun_the_lexicon_lacks_then_a_name_between_commas():
    text = ("“He deserved it,” the assailant, John McGraw, told the program “Inside Edition” after the "
            "confrontation, which was captured on video. “Next time, we might have to do worse.”\n")
    assert who(text) == {"He deserved it,": "John McGraw", "Next time, we might have to do worse.": "John McGraw"}


def test_a_spaced_dash_introduces_a_quotation_like_a_colon():
    text = ("Donald Trump also embraced harsh interrogation techniques -- “I think waterboarding is peanuts "
            "compared to what they do.”\n\n"
            "FAREWELL—“The Living Room to close at the end of December.”\n")
    found = who(text)
    assert found == {"I think waterboarding is peanuts compared to what they do.": "Donald Trump",
                     "The Living Room to close at the end of December.": None}


def test_a_long_aside_between_the_name_and_the_cue_after_a_quotation():
    text = ("“Very good reporter, very good reporter this guy,” Donald Trump, the 2016 Republican presidential "
            "front-runner nationally and the current polling leader in South Carolina by a very wide margin over "
            "all of his many rivals in the field, said at the event.\n")
    assert who(text) == {"Very good reporter, very good reporter this guy,": "Donald Trump"}


def test_heres_a_name_and_a_colon():
    text = "Here’s Hillary Clinton in December 1992: “Our new direction must rest on the new realities.”\n"
    assert who(text) == {"Our new direction must rest on the new realities.": "Hillary Clinton"}


def test_a_relative_clause_in_the_aside_without_a_closing_comma():
    text = ("“Clinton needs a strategy for targeting third-party voters,” Nate Silver, the polling guru who founded "
            "fivethirtyeight.com tweeted on Wednesday.\n")
    assert who(text) == {"Clinton needs a strategy for targeting third-party voters,": "Nate Silver"}


def test_that_quote_from_a_name():
    text = ("“I would rather have a sister in a jail than a brother in the bureau.” That quote from Alabama "
            "Securities Commissioner Tom Krebs appeared on the front page.\n")
    assert who(text) == {"I would rather have a sister in a jail than a brother in the bureau.": "Tom Krebs"}


def test_a_fragment_the_sentence_runs_through_keeps_the_cue_before_it():
    text = ("Jane Hall is pointing to a recent interview. She is noting the “kind of problems” Sanders had answering "
            "questions about the banks.\n")
    assert who(text) == {"kind of problems": "Jane Hall"}


def test_to_a_name_a_fragment_is_in_that_persons_view():
    text = ("Betsy Sharp of Burke County knows Donald Trump well.\n\n"
            "To Sharp, Trump is the “kind-hearted and caring” man who saved her family’s farm.\n\n"
            "Tom Reed proposed a debate on April 4 - but the Sanders campaign rejected the idea as “ludicrous” "
            "because of a game that night.\n")
    assert who(text) == {"kind-hearted and caring": "Betsy Sharp"}


def test_a_participle_after_a_relative_clause_belongs_to_its_antecedent():
    text = ("The senator was rallying for a 70-year-old academic named Eric Kingson, who is running for Congress "
            "and who worked the crowd, praising “his genuineness and indisputable integrity” as he spoke.\n")
    assert who(text) == {"his genuineness and indisputable integrity": "Eric Kingson"}


def test_two_names_opening_the_sentence_speak_together():
    text = ("The speaker came closer to an endorsement. Tom Trent and Paul Ryde issued a statement describing "
            "their meeting as a “very positive step toward unification.”\n")
    found = extract(text).quotes
    assert [(q.speaker.name, q.speaker_mention) for q in found] == [("Paul Ryde", "Tom Trent and Paul Ryde")]


def test_said_his_survey_is_what_was_said_and_a_name_of_a_place_is_a_person():
    text = ("The poll showed Mr. Trump losing supporters after the debate.\n\n"
            "Another pollster, David Woodard of Clemson University, said his survey of Republicans showed the "
            "support holding steady.\n\n"
            "“Even after the debate his numbers were the same as before,” he said in an email.\n")
    assert who(text) == {"Even after the debate his numbers were the same as before,": "David Woodard"}


def test_a_cue_in_a_because_clause_gives_way_to_the_main_clause():
    text = ("Mr. David Nevins said he pursued a new season only because Mr. Lynch agreed to participate. (“We have "
            "persuaded the original creators to complete the story,” he said.)\n")
    assert who(text) == {"We have persuaded the original creators to complete the story,": "David Nevins"}


def test_an_introductory_phrase_holding_the_quotation_has_the_main_clauses_subject():
    text = ("And in explaining why many of those “common-sense solutions” had not passed already, Hillary Clinton "
            "described a rigged system.\n")
    assert who(text) == {"common-sense solutions": "Hillary Clinton"}


def test_that_after_a_cue_opens_a_clause_not_an_inverted_subject():
    text = ("In October, Mr. John Paulson told investors that concerns about drug makers like Valeant were “overblown,” "
            "adding that Valeant had “significant upside.”\n")
    assert who(text) == {"overblown,": "John Paulson", "significant upside.": "John Paulson"}


def test_a_name_between_commas_after_its_role_is_the_subject_for_a_pronoun():
    text = ("Senator Tom Reed spoke first and left early.\n\n"
            "Kazakhstan's foreign minister, Erlan Idrissov, plays down concerns. China's progress is good news, he "
            "says.\n\n“Our philosophy is simple: we should get on board that train,” he said in an interview.\n")
    assert who(text) == {"Our philosophy is simple: we should get on board that train,": "Erlan Idrissov"}


def test_a_watch_group_is_an_organisation():
    text = "“The claims are false,” Human Rights Watch said in a statement.\n"
    [quote] = extract(text).quotes
    assert (quote.speaker.name, quote.speaker.kind) == ("Human Rights Watch", "organization")


def test_a_state_or_country_is_no_person():
    text = ("Officials in California disagreed.\n\nCalifornia sued the agency on Monday, calling the rule "
            "“unlawful.”\n\nChina said the tariffs were “a mistake.”\n")
    found = {q.text: (q.speaker.name, q.speaker.kind) for q in extract(text).quotes}
    assert found == {"unlawful.": ("California", "organization"), "a mistake.": ("China", "organization")}


def test_a_new_sentence_reporting_with_that_is_not_the_quotations_speaker():
    text = ("In June 2009, after Hillary Clinton suffered a concussion, David Axelrod emailed her, telling her, "
            "“you are an all-star player and we need you for the long run!” She replied to him that it was an "
            "“honor to serve the President with you.”\n")
    assert who(text)["you are an all-star player and we need you for the long run!"] == "David Axelrod"


def test_a_relative_pronoun_with_an_aside_before_its_verb():
    text = ("First there was The Wall Street Journal's deputy editorial page editor Bret Stevens, who, after trading "
            "insults with Mr. Hannity over Mr. Trump, said on the MSNBC show “Morning Joe” that “too much of the "
            "party became an echo chamber.”\n")
    [quote] = [q for q in extract(text).quotes if q.text.startswith("too much")]
    assert (quote.speaker.name, quote.speaker_mention) == (
        "Bret Stevens", "The Wall Street Journal's deputy editorial page editor Bret Stevens")


def test_a_surname_given_in_full_a_few_thousand_characters_before_is_a_name_for_hints():
    filler = "The campaign moved on to other states and other issues that week. " * 45
    text = ("Donald Trump spoke in Dallas on Friday.\n\n" + filler + "\n\n"
            "Kevin Conway said the remarks were planned. In somber remarks, Trump mourned the assault as an "
            "attack on the country, but he also noted the “senseless, tragic deaths” of black men.\n")
    assert who(text)["senseless, tragic deaths"] == "Donald Trump"


def test_at_one_point_is_no_reporting_verb():
    text = "At one point, Ted Crane coached his rival to “breathe, breathe, breathe.”\n"
    assert who(text) == {"breathe, breathe, breathe.": "Ted Crane"}


def test_a_sentence_end_attribution_beats_a_cue_without_a_speaker():
    text = "The hacker was branded “in homage to” a Romanian hacker, Ann Song wrote.\n"
    assert who(text) == {"in homage to": "Ann Song"}


def test_a_comma_before_a_whole_sentence_quotation_introduces_it():
    text = ("Earlier this week, Hillary Clinton shared a bit of her anxiety with an audience at a fundraiser, “I do "
            "not know which candidate will show up.”\n")
    assert who(text) == {"I do not know which candidate will show up.": "Hillary Clinton"}


def test_the_sentence_subject_after_two_introductory_phrases():
    text = ("Moreover, as part of the exchange with the nominee, Trey Gowdy referenced a report that “less than one "
            "percent of the emails” were captured.\n")
    assert who(text) == {"less than one percent of the emails": "Trey Gowdy"}


def test_specifically_is_a_connective_that_goes_on_with_the_speaker():
    text = ("Kevin Williams assails what he calls the “immoral” “lie” of the moment. Specifically, “that the "
            "working class is a victim of forces beyond its control.”\n")
    assert who(text)["that the working class is a victim of forces beyond its control."] == "Kevin Williams"


def test_a_name_after_a_dash_and_before_a_colon_speaks_for_the_cue():
    text = "Pollsters agree - Carl Bialik: “One of the biggest lessons was a simple one: keep on contacting voters.”\n"
    assert who(text) == {"One of the biggest lessons was a simple one: keep on contacting voters.": "Carl Bialik"}


def test_a_role_of_two_words_joined_by_of_before_an_inverted_speakers_name():
    text = "“Thanks for welcoming these families,” said master of ceremonies Ada Tabchi, an engineer.\n"
    assert who(text) == {"Thanks for welcoming these families,": "Ada Tabchi"}


def test_an_adverb_between_commas_after_the_subject():
    text = ("Mary Smith spoke on Monday. She, too, is a pragmatic internationalist, cautioning that the turmoil "
            "underscores a need for “calm, steady, experienced leadership.”\n")
    assert who(text) == {"calm, steady, experienced leadership.": "Mary Smith"}


def test_an_age_opens_the_subjects_name():
    text = "76-year-old Morton Blackwell endorsed Cruz last week, saying he “has demonstrated his commitment.”\n"
    assert who(text) == {"has demonstrated his commitment.": "Morton Blackwell"}


def test_who_after_a_dash_stands_for_the_name_before_it():
    text = ("The front-runner Donald Trump - who previously said he would “bomb the hell out of” oil fields - said "
            "at a rally that the nation should act.\n")
    assert who(text) == {"bomb the hell out of": "Donald Trump"}


def test_according_to_a_document_names_who_issued_it():
    text = ("“The situation is under control,” according to a statement from the Interior Ministry.\n\n"
            "“We did nothing wrong,” according to an email from Jane Smith, the mayor's spokeswoman.\n")
    assert who(text) == {"The situation is under control,": "Interior Ministry", "We did nothing wrong,": "Jane Smith"}


def test_a_description_with_a_postmodifier_stops_at_its_sentence_end():
    text = ("“We did nothing wrong,” according to a spokesman for the company. Officials were unavailable for "
            "comment on Monday.\n")
    (quote,) = extract(text).quotes
    assert quote.speaker_mention == "a spokesman for the company"
    assert quote.speaker.name == "a spokesman for the company"


def test_an_article_quoting_in_single_marks_is_read_like_double_marks():
    text = ("‘We will fight on,’ said Sir Keir Starmer, the Labour leader. He added: ‘It’s not over.’\n\n"
            "The minister, Jane Hobbs, said: 'We have no plans to change course.' The voters’ choice was clear "
            "in the ’90s, she said.\n\n"
            "‘He told me “never again”,’ said Mary Brown, 54.\n")
    quotes = extract(text).quotes
    assert who(text) == {"We will fight on,": "Keir Starmer", "It’s not over.": "Keir Starmer",
                         "We have no plans to change course.": "Jane Hobbs",
                         "He told me “never again”,": "Mary Brown"}
    # offsets and words index the text as given, its marks unchanged
    assert all(text[q.start:q.end] == q.text for q in quotes)
    assert all(text[q.mention_start:q.mention_end] == q.speaker_mention for q in quotes)


def test_single_marks_nested_in_double_ones_stay_inside_them():
    text = ("“He called it ‘a farce’ and ‘a waste’,” said Mary Brown. Tom Lee said it was ‘fine’ and "
            "‘normal’.\n")
    assert "He called it ‘a farce’ and ‘a waste’," in who(text)


def test_apostrophes_alone_make_no_single_quoted_article():
    text = "Don't ask: the voters' choice in the '90s was 'rock 'n' roll', O'Brien said.\n"
    assert single_quoted(text) is None


def test_a_title_as_a_description_is_the_person_named_with_that_title():
    text = ("Gov. Chris Christie spoke in Trenton on Monday.\n\n“We will win,” the governor said.\n\n"
            "Prime Minister Theresa May arrived later.\n\n“It is a good day,” the Prime Minister said.\n")
    assert who(text) == {"We will win,": "Chris Christie", "It is a good day,": "Theresa May"}


def test_a_title_alone_or_a_former_one_names_nobody_by_title():
    text = ("President Barack Obama spoke on Monday.\n\n“We will win,” the former president said.\n\n"
            "“It is a good day,” the President said.\n")
    quotes = {q.text: q.speaker for q in extract(text).quotes}
    assert quotes["We will win,"].name == "the former president"
    # (the President here is Obama: the nearest person with that title)
    assert quotes["It is a good day,"].name == "Barack Obama"
    lone = extract("“We will win,” the Prime Minister said.\n").quotes[0].speaker
    assert (lone.name, lone.kind) == ("the Prime Minister", "anonymous")  # not a person called "Minister"


def test_of_course_opens_no_name():
    text = ("In an interview, the candidate stated that his “divisive” and “mean-spirited” comments do not “fit "
            "with what I thought I knew about him.” Of course, Clinton said, “I didn’t know him well.”\n")
    assert "Of" not in {q.speaker.name for q in extract(text).quotes if q.speaker}


def test_a_title_case_headline_makes_no_names():
    text = ("Obama Claims Hillary Most Qualified Presidential Candidate Ever, But Facts Disagree\n\n"
            "One of the claims of President Barack Obama’s speech on Wednesday night does not stand up.\n\n"
            "He told his audience, to rowdy applause:\n\n"
            "“I can say with confidence there has never been a man or a woman more qualified.”\n")
    assert who(text) == {"I can say with confidence there has never been a man or a woman more qualified.":
                         "Barack Obama"}


def test_a_capitalised_title_with_the_then_a_full_name_between_commas_is_that_person():
    text = ("The UN Secretary-General, Antonio Guterres, said in a statement that the attack was “a flagrant "
            "violation of international law”.\n")
    assert who(text) == {"a flagrant violation of international law": "Antonio Guterres"}


def test_according_to_an_outlet_before_a_description_that_speaks_is_the_relay():
    text = "According to the Associated Press, the senator said he would “fight until the end.”\n"
    (quote,) = extract(text).quotes
    assert (quote.speaker.name, quote.via) == ("the senator", "Associated Press")


def test_a_document_speaks_for_its_owner():
    text = ("The ministry's statement said the strike was “a provocation.”\n\n"
            "The Pentagon's annual report said the strikes were “precise.”\n")
    speakers = {q.text: (q.speaker.name, q.speaker.kind) for q in extract(text).quotes}
    assert speakers == {"a provocation.": ("the ministry", "organization"),
                        "precise.": ("Pentagon", "organization")}
