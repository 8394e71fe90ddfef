"""Word lists the attribution rules read: cue verbs, titles, roles, pronouns, organisations.

Kept as data (as textacy keeps REPORTING_VERBS) so users can see and extend what counts as a cue.
"""
from __future__ import annotations

# Reporting verbs by lemma; inflections are generated below (irregular forms listed explicitly).
CUE_LEMMAS = (
    "say", "tell", "insist", "warn", "argue", "claim", "add", "urge", "dismiss", "concede", "write",
    "post", "state", "declare", "announce", "note", "stress", "explain", "assert", "suggest", "indicate",
    "acknowledge", "admit", "confirm", "deny", "reject", "reiterate", "repeat", "emphasise", "emphasize",
    "maintain", "contend", "predict", "promise", "pledge", "vow", "call", "demand", "propose", "reply",
    "respond", "answer", "tweet", "comment", "remark", "observe", "point", "report", "believe", "think",
    "hope", "fear", "accuse", "criticise", "criticize", "praise", "welcome", "describe", "recall", "agree",
    "question", "caution", "signal", "hint", "complain", "boast", "counter", "retort", "mention", "assure",
    "underline", "underscore", "brand", "label", "rule", "lament", "scoff", "quip", "joke", "sign", "ask",
    "cite",
)
_IRREGULAR = {
    "say": ("say", "says", "said", "saying"), "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "written", "writing"), "think": ("think", "thinks", "thought"),
    "rule": ("rule", "rules", "ruled", "ruling"),
}


def _inflect(lemma: str) -> tuple[str, ...]:
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma.endswith("e"):
        return (lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing")
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return (lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing")
    if lemma.endswith(("sh", "ch", "ss", "x")):
        return (lemma, lemma + "es", lemma + "ed", lemma + "ing")
    if lemma in ("admit", "signal", "label", "quip", "scoff"):
        double = lemma + lemma[-1] if lemma in ("admit", "quip") else lemma
        return (lemma, lemma + "s", double + "ed", double + "ing", lemma + "led" if lemma.endswith("l") else double + "ed")
    return (lemma, lemma + "s", lemma + "ed", lemma + "ing")


CUE_FORMS: dict[str, str] = {form: lemma for lemma in CUE_LEMMAS for form in _inflect(lemma)}

# Verbs that report speech only with a particle or object ("called for", "pointed out", "ruled out").
CUE_PARTICLES = {"call": ("for", "on"), "point": ("out",), "rule": ("out",), "sign": ("off",)}
# Cues that introduce speech only when followed by "that" or a colon (too ambiguous otherwise).
WEAK_CUES = frozenset({"believe", "think", "hope", "fear", "agree", "describe", "recall", "question",
                       "welcome", "praise", "criticise", "criticize", "accuse", "report", "mention",
                       "sign", "label", "brand", "post", "answer", "comment", "signal", "observe", "lament",
                       "promise", "pledge", "vow", "demand", "propose", "respond", "reply", "announce", "ask",
                       "state", "remark", "cite"})  # mostly nouns without "that": "state troopers", "his remarks"
# Cues that often take a noun-phrase object ("maintains a program", "dismissed the criticism as …").
NP_OBJECT_CUES = frozenset({"maintain", "dismiss"})
# Verbs whose finite form after a bare "and" / "but" opens a second reported clause of the same
# speaker ("said A and argued that B"); kept narrow, since "and told him" often belongs to the content.
SECOND_CLAUSE_CUES = frozenset({"say", "argue", "warn", "add", "insist", "stress"})
# Prepositional and nominal cues.
PHRASE_CUES = ("according to", "in a statement", "in a post", "in an interview", "in a tweet",
               "in remarks", "in a speech", "in a video", "in comments")

# Words between subject and cue that keep the cue attached ("has said", "also warned", "is understood to have told").
AUX_WORDS = frozenset("""has have had is was were are been be also later previously then again repeatedly
reportedly once earlier recently further publicly privately explicitly openly clearly firmly quickly
swiftly flatly bluntly immediately yesterday today separately himself herself themselves itself
understood believed thought said to has did does do not would will could may might apparently
""".split())

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Dame", "Lord", "Lady", "Prof", "Professor", "President",
          "Prime Minister", "Premier", "Chancellor", "Secretary", "Minister", "Senator", "Sen", "Rep",
          "Representative", "Governor", "Gov", "General", "Gen", "Admiral", "Colonel", "Col", "Ambassador",
          "King", "Queen", "Prince", "Pope", "Judge", "Justice", "Commissioner", "Mayor", "Speaker",
          "Foreign Minister", "Defence Secretary", "Defense Secretary", "Secretary of State",
          "Secretary General", "Secretary-General", "Vice President", "Deputy Prime Minister", "Envoy",
          "Rev", "Reverend", "Rabbi", "Bishop", "Cardinal", "Sheriff")

PRONOUNS = {"he": "person", "she": "person", "they": "plural", "it": "organisation", "we": "plural", "i": "self"}

# Head nouns that make "the X" (or "Ukraine's X") a speaker role.
ROLE_HEADS = frozenset("""president minister secretary spokesman spokeswoman spokesperson chancellor leader
official officials ambassador envoy chief general commander aide aides adviser advisers advisor diplomat
diplomats premier senator governor mayor king queen prince analyst analysts expert experts source sources
secretary-general counterpart negotiator negotiators representative representatives lawmaker lawmakers
mp mps officer officers head director chairman chairwoman chair ministers leaders presidents spokespeople
member members speaker
""".split()) | {"chief of staff", "head of state", "head of government", "secretary of state"}

# Organisations and governments that speak; surface form (lower case) -> canonical name.
ORG_ALIASES = {
    "the us": "United States", "us": "United States", "u.s.": "United States", "the u.s.": "United States",
    "usa": "United States", "the united states": "United States", "united states": "United States",
    "washington": "United States", "america": "United States", "the us administration": "United States",
    "the white house": "White House", "white house": "White House",
    "the kremlin": "Kremlin", "kremlin": "Kremlin", "moscow": "Russia", "russia": "Russia",
    "kyiv": "Ukraine", "kiev": "Ukraine", "ukraine": "Ukraine",
    "the uk": "United Kingdom", "uk": "United Kingdom", "britain": "United Kingdom", "london": "United Kingdom",
    "the united kingdom": "United Kingdom", "downing street": "United Kingdom", "no 10": "United Kingdom",
    "nato": "NATO", "the alliance": "NATO", "the eu": "European Union", "eu": "European Union",
    "the european union": "European Union", "brussels": "European Union", "the european commission": "European Commission",
    "beijing": "China", "china": "China", "paris": "France", "france": "France", "berlin": "Germany",
    "germany": "Germany", "warsaw": "Poland", "poland": "Poland", "budapest": "Hungary", "hungary": "Hungary",
    "ankara": "Turkey", "turkey": "Turkey", "the un": "United Nations", "un": "United Nations",
    "the united nations": "United Nations", "the pentagon": "Pentagon", "pentagon": "Pentagon",
    "the state department": "State Department", "the foreign office": "Foreign Office",
    "the ministry": "ministry", "the government": "government", "the foreign ministry": "foreign ministry",
    "the defence ministry": "defence ministry", "the defense ministry": "defence ministry",
}
ORG_HEADS = frozenset("ministry government administration office department council commission agency "
                      "army military command party campaign committee embassy".split())
