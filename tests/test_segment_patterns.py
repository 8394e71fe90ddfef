"""One case per attribution pattern: (text, expected [(quote text, kind, speaker)])."""
import pytest

from stancekit.segment import segment


def run(text):
    quotes, _ = segment(text)
    for q in quotes:
        assert text[q.start:q.end] == q.text
    return [(q.text, q.kind, q.speaker) for q in quotes]


CASES = {
    "colon_curly": ('Mr Healey said: “We will do more.”', [("We will do more.", "direct", "Healey")]),
    "straight_marks": ('John Smith said: "We will do more."', [("We will do more.", "direct", "John Smith")]),
    "trailing_he_said": ('Anna Kowalska met envoys. “The door is open,” she said.',
                         [("The door is open,", "direct", "Anna Kowalska")]),
    "inverted_said_name": ('“The door is open,” said Mr Orban.', [("The door is open,", "direct", "Orban")]),
    "dash_attribution": ('“We are ready for talks” — Dmitry Peskov', [("We are ready for talks", "direct", "Dmitry Peskov")]),
    "name_colon": ('Olaf Scholz: “Peace needs strength.”', [("Peace needs strength.", "direct", "Olaf Scholz")]),
    "cue_then_quote_no_colon": ('Later Mr Zelensky warned “Putin is not ready for any deal” and left.',
                                [("Putin is not ready for any deal", "direct", "Zelensky")]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_direct_patterns(name):
    text, expected = CASES[name]
    assert run(text) == expected


def test_multi_paragraph_quote_is_one_quote():
    text = ('Kaja Kallas said: “Europe must stay united.\n'
            '“We will keep supporting Ukraine for as long as it takes.\n'
            '“There is no alternative.”\nThe meeting ended.')
    got = run(text)
    assert len(got) == 1
    assert got[0][0].startswith("Europe must stay united.") and got[0][0].endswith("There is no alternative.")
    assert got[0][2] == "Kaja Kallas"


def test_split_quote_keeps_speaker():
    text = '“We are ready,” Mr Sybiha said. “But not at any price.”'
    got = run(text)
    assert [g[0] for g in got] == ["We are ready,", "But not at any price."]
    assert {g[2] for g in got} == {"Sybiha"}


def test_floating_quote_paragraph_continues_last_speaker():
    text = ('Donald Tusk said: “Poland will not send troops.”\n'
            '“Our task is to defend our own border and the eastern flank.”')
    got = run(text)
    assert [g[2] for g in got] == ["Donald Tusk", "Donald Tusk"]


def test_inner_single_quotes_stay_inside():
    text = 'He said: “Putin used my motto, ‘Common Sense.’ We both believe in it.”'
    got = run(text)
    assert len(got) == 1 and "‘Common Sense.’" in got[0][0]


@pytest.mark.parametrize("text", [
    'The so-called “peace plan” was published on Monday.',
    'The film “War and Peace” opened in Kyiv.',
    'Officials called it a “special military operation”.',
])
def test_scare_quotes_and_titles_are_not_speech(text):
    assert run(text) == []


def test_single_quote_headline_fragment():
    got = run("Trump says he and Putin starting ‘negotiations’")
    assert got == [("he and Putin starting ‘negotiations’", "mixed", "Trump")]


INDIRECT = {
    "said_that": ("Mr Lavrov said that Moscow would never accept Nato troops in Ukraine.",
                  ("Moscow would never accept Nato troops in Ukraine", "indirect", "Lavrov")),
    "said_no_that": ("Emmanuel Macron said Europe must prepare for a long war.",
                     ("Europe must prepare for a long war", "indirect", "Emmanuel Macron")),
    "told_object_that": ("Keir Starmer told MPs that Britain would keep up its support.",
                         ("Britain would keep up its support", "indirect", "Keir Starmer")),
    "trailing": ("The talks will resume in Geneva next week, he said.",
                 ("The talks will resume in Geneva next week", "indirect", None)),
    "according_to": ("According to the Kremlin, the meeting was constructive and useful.",
                     ("the meeting was constructive and useful", "indirect", "Kremlin")),
    "insisted": ("The US insisted the country’s membership was not on the table.",
                 ("the country’s membership was not on the table", "indirect", "United States")),
    "mixed": ("Mr Rutte said Ukraine’s path to membership was “irreversible”.",
              ("Ukraine’s path to membership was “irreversible”", "mixed", "Rutte")),
    "warned_aux": ("Sergei Lavrov has repeatedly warned that any deal must respect Russia’s interests.",
                   ("any deal must respect Russia’s interests", "indirect", "Sergei Lavrov")),
}


@pytest.mark.parametrize("name", sorted(INDIRECT))
def test_indirect_patterns(name):
    text, expected = INDIRECT[name]
    assert expected in run(text)


def test_clause_stops_at_subordinate_cue():
    text = ("John Healey said the focus should be on strengthening Kyiv, after the US insisted "
            "membership was not a realistic prospect.")
    got = run(text)
    assert ("the focus should be on strengthening Kyiv", "indirect", "John Healey") in got
    assert ("membership was not a realistic prospect", "indirect", "United States") in got


def test_coordinated_cue_takes_the_subject():
    text = ("Mr Healey is understood to have told his counterpart that allies are stepping up, "
            "and insisted the best way to secure peace was to strengthen Kyiv.")
    got = run(text)
    assert [g[2] for g in got] == ["Healey", "Healey"]
    assert got[1][0].startswith("the best way to secure peace")


def test_trailing_attribution_with_role_and_as_clause():
    text = ("Pete Hegseth spoke in Brussels. Welcoming Ukraine to Nato will take “some time”, the US defence "
            "secretary said as Donald Trump claimed he and Vladimir Putin had agreed to start negotiations.")
    quotes, _ = segment(text, date="2025-02-12")
    got = [(q.text, q.kind, q.speaker) for q in quotes]
    assert ("Welcoming Ukraine to Nato will take “some time”", "mixed", "Pete Hegseth") in got
    assert ("he and Vladimir Putin had agreed to start negotiations", "indirect", "Donald Trump") in got


def test_pronoun_he_added_skips_person_mentioned_in_between():
    text = ('Mr Healey said: “What Mr Hegseth set out was his commitment.”\n'
            'He added: “We have always been clear.”')
    assert [g[2] for g in run(text)] == ["Healey", "Healey"]


def test_pronoun_prefers_the_subject_over_the_last_name():
    text = ('Mr Trump said that he and Mr Putin had agreed to begin negotiations.\n'
            'In a post, he said: “We both agreed we want to stop the deaths.”')
    assert [g[2] for g in run(text)] == ["Trump", "Trump"]


def test_role_links_to_named_person():
    text = ("Volodymyr Zelensky visited Kharkiv. The Ukrainian president said: “We will not give up our land.”")
    quotes, actors = segment(text, date="2025-02-12")
    assert quotes[0].speaker == "Volodymyr Zelensky"
    assert quotes[0].speaker_mention.text == "The Ukrainian president"


def test_role_introduced_in_document():
    text = ("Finnish defence minister Antti Hakkanen arrived on Monday. "
            "The defence minister said that the alliance must keep its door open.")
    quotes, _ = segment(text)
    assert quotes[-1].speaker == "Antti Hakkanen"


def test_unresolved_role_keeps_role_phrase():
    quotes, _ = segment("The Kremlin spokesman said that talks were possible in principle.")
    assert quotes[0].speaker == "The Kremlin spokesman"


def test_canonical_name_is_fullest_form_and_titles_stripped():
    text = ('Volodymyr Zelensky spoke. Mr Zelensky said: “We need air defence now.” '
            'President Zelenskyy (sic) was in Kyiv.')
    quotes, actors = segment(text)
    assert quotes[0].speaker == "Volodymyr Zelensky"
    z = next(a for a in actors if a.name == "Volodymyr Zelensky")
    assert len(z.mentions) >= 2 and z.type == "person"


def test_organisations_as_speakers():
    got = run("The Kremlin said the proposal was unacceptable. The ministry said it would respond.")
    assert [g[2] for g in got] == ["Kremlin", "ministry"]


def test_markup_lines_are_ignored():
    text = '![A photo of “Mr X” at a summit](https://example.com/a.jpg)\nMr Healey said: “Yes.”'
    got = run(text)
    assert got == [("Yes.", "direct", "Healey")]


def test_wire_story_patterns():
    text = ("KYIV, Ukraine (AP) — Russia is ready to discuss a settlement, the Kremlin said Tuesday.\n"
            "U.S. Secretary of State Marco Rubio, speaking in Riyadh, said Washington wanted a lasting deal.\n"
            "Hungarian Prime Minister Viktor Orban has repeatedly argued that Ukraine should stay neutral.\n"
            "Sybiha, Ukraine's foreign minister, wrote on X: \"No decisions about Ukraine without Ukraine.\"\n"
            "The minister added that Kyiv would consult its partners.\n"
            "\"It's a trap,\" said one Western diplomat.")
    got = run(text)
    assert got == [
        ("Russia is ready to discuss a settlement", "indirect", "Kremlin"),
        ("Washington wanted a lasting deal", "indirect", "Marco Rubio"),
        ("Ukraine should stay neutral", "indirect", "Viktor Orban"),
        ("No decisions about Ukraine without Ukraine.", "direct", "Sybiha"),
        ("Kyiv would consult its partners", "indirect", "Sybiha"),
        ("It's a trap,", "direct", "one Western diplomat"),
    ]


@pytest.mark.parametrize("text, expected", [
    ("Mr Smith spoke. “This is it. This is fine,” said Caddell.", ("This is it. This is fine,", "direct", "Caddell")),
    ("Ann Lee spoke. “We will win this election!” Trump said.", ("We will win this election!", "direct", "Trump")),
    ("Ann Lee spoke. “Will we win?” asked Trump.", ("Will we win?", "direct", "Trump")),
])
def test_trailing_attribution_after_sentence_end_inside_quote(text, expected):
    assert run(text) == [expected]


def test_new_sentence_with_its_own_clause_is_not_a_trailing_attribution():
    got = run("Ann Lee spoke. “We will win.” Trump said that the polls were wrong.")
    assert ("the polls were wrong", "indirect", "Trump") in got
    assert all(g[0] != "We will win." or g[2] != "Trump" for g in got)


@pytest.mark.parametrize("text, expected", [
    ("''We should throw as many monkey wrenches into the works as possible,'' Mr. Castañeda said.",
     [("We should throw as many monkey wrenches into the works as possible,", "direct", "Castañeda")]),
    ("Liz Wahl quit. ''I cannot be part of it,'' Ms. Wahl told the RT America audience.",
     [("I cannot be part of it,", "direct", "Liz Wahl")]),
    ("Mr. Trump said: ''Of course, I pay federal taxes.''",
     [("Of course, I pay federal taxes.", "direct", "Trump")]),
])
def test_nyt_doubled_apostrophes_are_quote_marks(text, expected):
    assert run(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("“The most unqualified child to ever run for president.” ― Francisco Herrero",
     [("The most unqualified child to ever run for president.", "direct", "Francisco Herrero")]),
    ("“Trump is a fraud.” ―Ana Navarro, a Republican strategist",
     [("Trump is a fraud.", "direct", "Ana Navarro")]),
])
def test_horizontal_bar_dash_attribution(text, expected):
    assert run(text) == expected


@pytest.mark.parametrize("text, expected", [
    ('"It was the least bad outcome," Mr. Morgan of the Sierra Club said.',
     ("It was the least bad outcome,", "direct", "Morgan")),
    ('"Subpoenas are not optional," panel Chairman Rep. Jason Chaffetz (R-Utah) said after Pagliano failed to show up.',
     ("Subpoenas are not optional,", "direct", "Jason Chaffetz")),
    ('"Subpoenas are not optional," said Rep. Jason Chaffetz (R-Utah).',
     ("Subpoenas are not optional,", "direct", "Jason Chaffetz")),
    ('"To be frank, the city will never go back," said the Rev. Peter Wherry, of Mayfield Church.',
     ("To be frank, the city will never go back,", "direct", "Peter Wherry")),
    ("“The cause has not been determined,” said O'Neill, on his first day.",
     ("The cause has not been determined,", "direct", "O'Neill")),
    ('"It is dead," Sen. Claire McCaskill, D-Mo., said.', ("It is dead,", "direct", "Claire McCaskill")),
    ("Sen. Claire McCaskill (D-Mo.) said the bill was dead.", ("the bill was dead", "indirect", "Claire McCaskill")),
    ("A lawyer for the news outlets, David Schulz, said no immediate decision had been made.",
     ("no immediate decision had been made", "indirect", "David Schulz")),
    # a name in apposition to a role speaks, and "wrote on X that" still opens the clause
    ("Estonia’s defence minister, Marta Kask, wrote on X that the alliance must keep its door open.",
     ("the alliance must keep its door open", "indirect", "Marta Kask")),
    ("The Kremlin’s spokesman, Ivan Sorokin, said Moscow would study the proposal.",
     ("Moscow would study the proposal", "indirect", "Ivan Sorokin")),
    ("The head of the presidential office, Petro Danko, told reporters that no deal was close.",
     ("no deal was close", "indirect", "Petro Danko")),
    ("Petro Danko, the head of the presidential office, said no deal was close.",
     ("no deal was close", "indirect", "Petro Danko")),
])
def test_name_with_title_pp_parenthetical_or_party_tag(text, expected):
    assert run(text) == [expected]


def test_sentence_initial_preposition_is_not_part_of_the_speaker():
    assert run("Unlike Trump, Clinton paid her taxes. Trump said that he was smart.") == [
        ("he was smart", "indirect", "Trump")]
    got = run("After campaign aides insisted that Mr. Obama would not be pigeonholed, he left.")
    assert [g[2] for g in got] == ["campaign aides"]


@pytest.mark.parametrize("text", [
    "The Guard and state troopers will remain in Charlotte through Sunday.",
    "Editor’s note: Donald Trump regularly incites political violence.",
    "Battleground state Florida is nearly 3% Polish American.",
    "Because of Pagliano's Fifth Amendment claims, prosecutors rarely pursue such cases.",
    "The Bush Center in Dallas maintains a program to develop leaders.",
    "Mr. Obama's remarks compelling, especially given that they voted.",
])
def test_noun_homographs_of_cues_are_not_cues(text):
    assert run(text) == []


def test_cue_homographs_still_work_as_verbs():
    assert run("The governor will state that the roads are closed.") == [
        ("the roads are closed", "indirect", "The governor")]
    assert run("Trump claims the election is rigged.") == [("the election is rigged", "indirect", "Trump")]
    assert run("Donald Trump’s claim that there were thousands of shootings was false.")[0][2] == "Donald Trump"


@pytest.mark.parametrize("text, expected", [
    ('"Europe must defend itself," Hollande said Friday as he entered the talks.',
     [("Europe must defend itself,", "direct", "Hollande")]),
    ("Hollande said Friday as he entered the talks.", []),
    ("Everything Trump says is a lie unless proven otherwise.", []),
    ("Sen. Lindsey Graham (R-S.C.) told The Huffington Post on Thursday.", []),
    ("John Podesta told NBC’s “Meet the Press” that the campaign believes it will win.",
     [("the campaign believes it will win", "indirect", "John Podesta")]),
    ("After the vote, the meeting deteriorated from there, said one GOP source in the room.",
     [("After the vote, the meeting deteriorated from there", "indirect", "one GOP source")]),
    ("Clinton plans to visit Charlotte on Sunday, according to a campaign aide.",
     [("Clinton plans to visit Charlotte on Sunday", "indirect", "a campaign aide")]),
])
def test_object_or_adverbial_after_the_cue_is_not_the_reported_clause(text, expected):
    assert run(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Clinton had told police officials that she didn’t want the escort, but the NYPD overruled that request, "
     "the source added.",
     [("Clinton had told police officials that she didn’t want the escort, but the NYPD overruled that request",
       "indirect", "the source")]),
    ("The park, which, Tompkins said, is usually full of activities.",
     [("The park, which, Tompkins said, is usually full of activities", "indirect", "Tompkins")]),
    ("The economy is strong, Trump said, but the deficit is large.",
     [("The economy is strong", "indirect", "Trump")]),
])
def test_attribution_inside_or_after_a_reported_clause(text, expected):
    assert run(text) == expected


def test_coordinated_cue_after_non_cue_verb_with_appositive_subject():
    text = ("Donald Trump, her Republican opponent, bemoaned the unrest and said he thought that drugs were a "
            "factor.")
    assert run(text) == [("he thought that drugs were a factor", "indirect", "Donald Trump")]
    assert run("Mr Lavrov said he believed that Moscow would never accept it.") == [
        ("he believed that Moscow would never accept it", "indirect", "Lavrov")]


@pytest.mark.parametrize("text, expected", [
    ("Trump said after the convention he would not accept the endorsement.",
     [("he would not accept the endorsement", "indirect", "Trump")]),
    ("Clinton said during a rally in Ohio she would win.", [("she would win", "indirect", "Clinton")]),
    ("Clinton said on Sunday night she would win.", [("she would win", "indirect", "Clinton")]),
    ("CNS reported Monday that the U.S. had accepted 11,491 Syrian refugees.",
     [("the U.S. had accepted 11,491 Syrian refugees", "indirect", "CNS")]),
    ("Trump said after the convention.", []),
    ("He said after he left the room.", []),
])
def test_adverbial_between_cue_and_reported_clause(text, expected):
    assert run(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Hillary Clinton had mocked the complaint, saying anybody who complains about a microphone is not having a "
     "good night.",
     [("anybody who complains about a microphone is not having a good night", "indirect", "Hillary Clinton")]),
    ("Donald Trump chimed in on Twitter, saying that Charlotte officials should release the videos.",
     [("Charlotte officials should release the videos", "indirect", "Donald Trump")]),
    ("Trump said the economy was weak, adding that jobs were leaving.",
     [("the economy was weak", "indirect", "Trump"), ("jobs were leaving", "indirect", "Trump")]),
    ("The crowd cheered, saying nothing.", []),
])
def test_participial_cue_after_a_non_cue_main_verb(text, expected):
    assert run(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Bernie Sanders asked, “Why are we spending so much money on the military?”",
     [("Why are we spending so much money on the military?", "direct", "Bernie Sanders")]),
    ("Anna Kowalska met envoys. She asked if she could help.", [("if she could help", "indirect", "Anna Kowalska")]),
    ("Trump cited his own endorsements from 88 generals and admirals Tuesday.",
     [("his own endorsements from 88 generals and admirals Tuesday", "indirect", "Trump")]),
    ("McConnell praised the country in June 2012, citing the release of political prisoners.",
     [("the release of political prisoners", "indirect", "McConnell")]),
    ("Strada accused the Saudi government of attempting to intimidate the 9/11 families.",
     [("the Saudi government of attempting to intimidate the 9/11 families", "indirect", "Strada")]),
    ("He asked for the bill.", []),
    ("He was asked whether he would run.", []),
    ("He was cited for speeding.", []),
    ("The accused man was released.", []),
    ("He accused her of nothing.", []),
    ("Trump asked the crowd to vote.", []),
])
def test_asked_cited_accused_of(text, expected):
    assert run(text) == expected


@pytest.mark.parametrize("text, expected", [
    ('David Pepper called the decision a "huge win for Ohio voters."',
     [('the decision a "huge win for Ohio voters."', "mixed", "David Pepper")]),
    ('Trump called the senator a "nasty guy," an "anchor baby," "unstable" and "sick."',
     [('the senator a "nasty guy," an "anchor baby," "unstable" and "sick."', "mixed", "Trump")]),
    ("He called for an investigation.", []),
    ("He called his mother on Sunday.", []),
    ("The band leader called Democratic bigwigs to the stage.", []),
    ('The group, called "Vets for Trump," met on Monday.', []),
])
def test_called_x_quoted_label(text, expected):
    assert run(text) == expected


def test_a_second_speech_verb_of_the_same_subject_opens_a_second_quote():
    text = ("Chancellor Anna Berg warned that the fighting could drag on and said Ukraine must not be pushed into a "
            "bad deal.")
    assert run(text) == [("the fighting could drag on", "indirect", "Anna Berg"),
                         ("Ukraine must not be pushed into a bad deal", "indirect", "Anna Berg")]
    assert run("Mr Novak said the talks had stalled and argued that sanctions should stay.") == [
        ("the talks had stalled", "indirect", "Novak"), ("sanctions should stay", "indirect", "Novak")]


def test_said_a_but_warned_b_is_two_quotes():
    assert run("Ms Vogel said Berlin backed the plan but warned that money alone would not end the war.") == [
        ("Berlin backed the plan", "indirect", "Vogel"), ("money alone would not end the war", "indirect", "Vogel")]


def test_the_meeting_or_summit_after_said_is_the_clause_subject_not_an_object():
    assert run("Mr Novak said the summit had failed to agree on anything.") == [
        ("the summit had failed to agree on anything", "indirect", "Novak")]
    assert run("Mr Novak told the summit that Europe had to pay more.") == [
        ("Europe had to pay more", "indirect", "Novak")]


@pytest.mark.parametrize("text, speaker", [
    ("Ukraine’s presidential office said the draft was only a working document.", "Ukraine’s presidential office"),
    ("Russia's defence ministry said the exchange would take place within days.", "Russia's defence ministry"),
])
def test_a_country_s_ministry_or_office_speaks(text, speaker):
    ((_, kind, got),) = run(text)
    assert kind == "indirect" and got == speaker


def test_a_role_with_an_of_complement_speaks():
    ((_, kind, speaker),) = run("Zelensky’s chief of staff said the talks were possible.")
    assert kind == "indirect" and speaker == "Zelensky’s chief of staff"


@pytest.mark.parametrize("text, expected", [
    # a `that` after a finite verb is a determiner or a relative pronoun of the clause, not its opener
    ("Mr Horvath said Budapest would block any step in that direction.",
     [("Budapest would block any step in that direction", "indirect", "Horvath")]),
    ("Ms Lind said the committee would vote against any text that closed the door to the alliance.",
     [("the committee would vote against any text that closed the door to the alliance", "indirect", "Lind")]),
    ("Mr Horvath said in a statement that Budapest would block the step.",
     [("Budapest would block the step", "indirect", "Horvath")]),
])
def test_that_after_a_finite_verb_does_not_open_the_clause(text, expected):
    assert run(text) == expected


def test_accused_x_of_a_quoted_gerund():
    assert run("Mr Kravchuk accused the minister of “doing Moscow’s homework”.") == [
        ("the minister of “doing Moscow’s homework”", "mixed", "Kravchuk")]


def test_with_x_saying_that_the_absolute_clause_subject_speaks():
    assert run("The talks ended without a deal, with Peskov saying that Moscow was still open to dialogue.") == [
        ("Moscow was still open to dialogue", "indirect", "Peskov")]
    assert run("The talks ended with nothing signed.") == []


def test_a_parliament_s_speaker_speaks():
    ((content, kind, speaker),) = run("The debate went on, with the parliament’s speaker insisting that Kyiv would "
                                      "not abandon its bid.")
    assert (content, kind, speaker) == ("Kyiv would not abandon its bid", "indirect", "parliament’s speaker")
