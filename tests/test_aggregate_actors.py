"""Cross-document actor resolution: name keys, surname merging, gazetteer names and dated roles."""
import pytest

from stancekit.aggregate import Gazetteer, Person, Role, load_gazetteer, merge_names, profile, resolve_actors
from stancekit.aggregate.names import display_name, name_key
from stancekit.doc import Document, Label, Quote


@pytest.mark.parametrize("a,b", [
    ("Zelensky", "Zelenskyy"), ("Zelensky", "Zelenskiy"), ("Mr Zelensky", "ZELENSKY"),
    ("Volodymyr Zelensky", "Ukrainian President Volodymyr Zelenskyy"), ("Sergei Lavrov", "Sergey Lavrov"),
    ("Recep Tayyip Erdoğan", "Recep Tayyip Erdogan"), ("Donald J. Trump", "Donald Trump"),
    ("Secretary General (Mark) Rutte", "Mark Rutte"),
])
def test_same_key(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a,b", [("Boris Johnson", "Mike Johnson"), ("the US", "United States"),
                                 ("UK Defence Secretary", "US Defence Secretary")])
def test_different_key(a, b):
    assert name_key(a) != name_key(b)


@pytest.mark.parametrize("name,shown", [("Mr Zelensky", "Zelensky"), ("the Defence Secretary", "Defence Secretary"),
                                        ("UN General Assembly", "UN General Assembly"),
                                        ("US defence secretary Pete Hegseth", "Pete Hegseth")])
def test_display_name_drops_titles_only(name, shown):
    assert display_name(name) == shown


def test_zelensky_variants_merge_to_fullest_form():
    names = ["Zelensky", "Zelenskyy", "Volodymyr Zelenskiy", "Mr Zelensky", "Volodymyr Zelensky",
             "Volodymyr Zelensky", "Donald Trump", "Trump"]
    out = resolve_actors(names)
    assert set(out[:6]) == {"Volodymyr Zelensky"}  # most words, then most frequent spelling
    assert out[6:] == ["Donald Trump", "Donald Trump"]


def test_ambiguous_surname_stays_apart():
    out = merge_names(["Johnson", "Boris Johnson", "Mike Johnson"])
    assert out == {"Johnson": "Johnson", "Boris Johnson": "Boris Johnson", "Mike Johnson": "Mike Johnson"}


def test_none_speaker_stays_none():
    assert resolve_actors([None, "Putin"]) == [None, "Putin"]


def test_alias_merging_across_documents_in_profile():
    def doc(i, speaker):
        return Document("x", id=f"d{i}", source=f"s{i % 2}",
                        quotes=[Quote(0, 1, "x", "direct", speaker=speaker, stance={"t": Label("favor")})])

    prof = profile([doc(0, "Zelensky"), doc(1, "Volodymyr Zelenskiy"), doc(2, "Zelenskyy"), doc(3, "Mr Zelensky")])
    assert list(prof["actor"]) == ["Volodymyr Zelenskiy"]
    assert prof["n_documents"].iat[0] == 4 and prof["n_outlets"].iat[0] == 2


GAZ = Gazetteer((
    Person("John Healey", ("Healey",), "UK Government", (Role("Defence Secretary", "2024-07-05"),)),
    Person("Grant Shapps", (), "UK Government", (Role("Defence Secretary", "2023-08-31", "2024-07-04"),)),
    Person("Pete Hegseth", ("Hegseth",), "US Government", (Role("US Defence Secretary", "2025-01-25"),)),
    Person("Volodymyr Zelensky", ("Zelenskyy", "Zelenskiy"), "Government of Ukraine", (Role("Ukrainian President", "2019-05-20"),)),
))


@pytest.mark.parametrize("speaker,date,expected", [
    ("the Defence Secretary", "2025-02-12", "John Healey"),        # exact role beats the US suffix match
    ("the Defence Secretary", "2024-01-10", "Grant Shapps"),
    ("the US Defence Secretary", "2025-02-12", "Pete Hegseth"),
    ("the US Defence Secretary", "2024-01-10", "US Defence Secretary"),  # nobody held it: left as is
    ("the Ukrainian president", "2025-02-12T09:30:00Z", "Volodymyr Zelensky"),
    ("Mr Healey", "2020-01-01", "John Healey"),                    # aliases do not depend on the date
    ("Zelenskiy", None, "Volodymyr Zelensky"),
    ("Zelensky", None, "Volodymyr Zelensky"),                      # surname of a gazetteer name
])
def test_gazetteer_names_and_roles_by_date(speaker, date, expected):
    assert resolve_actors([speaker], [date], GAZ) == [expected]


def test_undated_ambiguous_role_is_not_guessed():
    assert resolve_actors(["the Defence Secretary"], [None], GAZ) == ["Defence Secretary"]


def test_gazetteer_organisation_in_profile():
    doc = Document("x", id="a", date="12 February 2025",  # not ISO: parsed before roles are resolved
                   quotes=[Quote(0, 1, "x", "direct", speaker="the Defence Secretary", stance={"t": Label("favor")})])
    prof = profile([doc], gazetteer=GAZ)
    assert prof[["actor", "organisation"]].values.tolist() == [["John Healey", "UK Government"]]


def test_load_gazetteer_yaml(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("- name: John Healey\n  aliases: [Healey, Mr Healey]\n  organisation: UK Government\n"
                    "  roles:\n    - {role: Defence Secretary, start: 2024-07-05}\n"
                    "- name: Grant Shapps\n  roles: [{role: Defence Secretary, start: 2023-08-31, end: 2024-07-04}]\n",
                    encoding="utf-8")
    gaz = load_gazetteer(path)
    assert gaz.holder("the Defence Secretary", "2025-02-12").name == "John Healey"
    assert gaz.holder("the Defence Secretary", "2024-02-12").name == "Grant Shapps"
    assert gaz.organisation("Mr Healey") == "UK Government"


def test_load_gazetteer_csv(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("name,aliases,organisation,role,start,end\n"
                    "John Healey,Healey;Mr Healey,UK Government,Defence Secretary,2024-07-05,\n"
                    "John Healey,,,Shadow Defence Secretary,2020-04-06,2024-07-04\n", encoding="utf-8")
    gaz = load_gazetteer(path)
    (person,) = gaz.people
    assert person.aliases == ("Healey", "Mr Healey") and len(person.roles) == 2
    assert gaz.holder("Shadow Defence Secretary", "2022-01-01").name == "John Healey"


@pytest.mark.parametrize("name,error", [("missing.yaml", FileNotFoundError), ("g.txt", ValueError)])
def test_load_gazetteer_errors(tmp_path, name, error):
    if name.endswith(".txt"):
        (tmp_path / name).write_text("x")
    with pytest.raises(error):
        load_gazetteer(tmp_path / name)


@pytest.mark.parametrize("missing", [None, float("nan"), ""])
def test_missing_dates_count_as_undated(missing):
    # an undated "the Defence Secretary" matches two holders over time: left unresolved, not guessed
    assert resolve_actors(["the Defence Secretary", "Mr Healey"], [missing, missing], GAZ) == [
        "Defence Secretary", "John Healey"]
