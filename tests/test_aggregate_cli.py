"""`stancekit profile` and `stancekit report` on a hand-made quotes.jsonl (no models)."""
import argparse
import json

import pandas as pd
import pytest

from stancekit.cli import profile as profile_cmd
from stancekit.cli import report as report_cmd
from stancekit.doc import Document, Label, Quote


def parse(module, argv):
    parser = argparse.ArgumentParser(prog="stancekit")
    module.add_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


@pytest.fixture
def quotes_jsonl(tmp_path):
    docs = [
        Document("He said yes.", id="a", date="2025-02-12", source="BBC",
                 quotes=[Quote(0, 4, "He s", "direct", speaker="the Defence Secretary",
                               stance={"nato_membership": Label("favor", {"favor": 0.9, "against": 0.05, "none": 0.05})})]),
        Document("No.", id="b", date="2025-02-20", source="Guardian",
                 quotes=[Quote(0, 3, "No.", "direct", speaker="Zelenskyy",
                               stance={"peace_talks": Label("against", {"favor": 0.1, "against": 0.8, "none": 0.1})}),
                         Quote(0, 3, "No.", "direct", speaker="Volodymyr Zelensky",
                               stance={"peace_talks": Label("abstain", {"favor": 0.4, "against": 0.3, "none": 0.3})})]),
    ]
    out = tmp_path / "out"
    out.mkdir()
    path = out / "quotes.jsonl"
    path.write_text("".join(json.dumps(d.to_dict()) + "\n" for d in docs), encoding="utf-8")
    return path


def test_profile_round_trip(quotes_jsonl, tmp_path, capsys):
    gaz = tmp_path / "g.yaml"
    gaz.write_text("- name: John Healey\n  organisation: UK Government\n  roles: [{role: Defence Secretary, start: 2024-07-05}]\n")
    args = parse(profile_cmd, ["profile", str(quotes_jsonl), "-o", str(tmp_path / "p"), "--gazetteer", str(gaz), "--jsonl"])
    assert args.func(args) == 0
    table = pd.read_csv(tmp_path / "p" / "profiles.csv")
    assert table[["actor", "target", "label"]].values.tolist() == [
        ["John Healey", "nato_membership", "favor"], ["Volodymyr Zelensky", "peace_talks", "against"]]
    assert table["organisation"].iat[0] == "UK Government" and pd.isna(table["organisation"].iat[1])
    assert table["n_quotes"].tolist() == [1, 1]
    assert pd.read_parquet(tmp_path / "p" / "profiles.parquet")["actor"].tolist() == table["actor"].tolist()
    assert (tmp_path / "p" / "profiles.jsonl").exists()
    assert "2 documents -> 2 actor x target profiles" in capsys.readouterr().out


def test_profile_defaults_to_input_folder(quotes_jsonl):
    args = parse(profile_cmd, ["profile", str(quotes_jsonl.parent), "--min-quotes", "2"])
    assert args.func(args) == 0
    assert pd.read_csv(quotes_jsonl.parent / "profiles.csv").empty


def test_report_command(quotes_jsonl, tmp_path):
    out = tmp_path / "r.html"
    args = parse(report_cmd, ["report", str(quotes_jsonl.parent), "-o", str(out), "--freq", "M"])
    assert args.func(args) == 0
    assert "Volodymyr Zelensky" in out.read_text(encoding="utf-8")


def test_missing_input_says_what_to_do(tmp_path):
    args = parse(profile_cmd, ["profile", str(tmp_path / "nowhere")])
    with pytest.raises(FileNotFoundError, match="stancekit score"):
        args.func(args)
