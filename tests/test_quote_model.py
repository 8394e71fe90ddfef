"""The single-pass quote model: span pooling, batching, files, its recipe's data, and its classifier's rules."""
import json

import numpy as np
import pytest

from stancekit.classify.quote import QuoteClassifier, model_text
from stancekit.classify.stance import certain_none
from stancekit.models.quote_model import QuoteModel, span_mask
from stancekit.targets import Target
from stancekit.train import quote as recipe

torch = pytest.importorskip("torch")

TASKS = {"tone": ["negative", "neutral", "positive"], "nato_membership": ["favor", "against", "none"],
         "toward": ["negative", "neutral", "positive"]}


@pytest.fixture(scope="module")
def model():
    return QuoteModel(TASKS, device="cpu")._build()


def test_span_mask_selects_the_mention_tokens(model):
    text = "Critics say Vladimir Putin lied about the talks."
    enc = model.tokenize([text])
    mask = span_mask(enc["offset_mapping"][0], [(12, 26)])
    toks = model.tokenizer_.convert_ids_to_tokens(enc["input_ids"][0])
    assert [t for t, m in zip(toks, mask) if m] == ["vladimir", "putin"]
    assert span_mask(enc["offset_mapping"][0], [(200, 210)]).sum() == 0


def test_one_pass_answers_every_task_in_input_order(model):
    texts = ["Putin praised Zelensky warmly.", "No.", "Nato must let Ukraine in, Biden said."]
    items = [(0, [(0, 5)]), (0, [(14, 22)]), (2, [(26, 31)])]
    out = model.predict_proba(texts, items)
    assert out["tone"].shape == (3, 3) and out["nato_membership"].shape == (3, 3) and out["toward"].shape == (3, 3)
    assert np.allclose(out["toward"].sum(1), 1) and np.abs(out["toward"][0] - out["toward"][1]).max() > 1e-4
    # batch size and text order change nothing
    one = model.predict_proba(texts, items, batch_size=1)
    rev = model.predict_proba(texts[::-1], [(2 - i, s) for i, s in items])
    for t in out:
        assert np.allclose(out[t], one[t], atol=1e-5)
    assert np.allclose(out["tone"], rev["tone"][::-1], atol=1e-5)
    assert np.allclose(out["toward"], rev["toward"], atol=1e-5)


def test_a_mention_lost_to_truncation_falls_back_to_the_text_mean(model):
    long = "word " * 300 + "Putin"
    out = model.logits([long], [(0, [(len(long) - 5, len(long))])])
    enc = model.feed(model.tokenize([long]), [0])
    with torch.inference_mode():
        hidden = model.net_.encoder(**enc).last_hidden_state
        pooled = hidden.mean(1)
        expect = model.net_.heads["toward"](torch.cat([pooled, pooled], 1)).numpy()
    assert np.allclose(out["toward"], expect, atol=1e-4)


def test_bad_items_are_refused(model):
    with pytest.raises(ValueError, match="points at text 3"):
        model.logits(["a"], [(3, [(0, 1)])])
    with pytest.raises(ValueError, match="no 'toward' head"):
        QuoteModel({"tone": TASKS["tone"]}, device="cpu")._build().logits(["a"], [(0, [(0, 1)])])


def test_save_load_round_trip_and_sha256_check(model, tmp_path):
    model.temperature_ = {t: 1.5 for t in TASKS}
    model.abstain_below_ = {"tone": 0.4}
    path = model.save(tmp_path / "m", seed=1)
    again = QuoteModel.load(path, device="cpu")
    texts, items = ["Nato is our future."], [(0, [(0, 4)])]
    for t, v in model.predict_proba(texts, items).items():
        assert np.allclose(v, again.predict_proba(texts, items)[t], atol=2e-3)
    assert again.abstain_below_ == {"tone": 0.4} and json.loads((path / "config.json").read_text())["seed"] == 1
    data = bytearray((path / "model.safetensors").read_bytes())
    data[-1] ^= 1
    (path / "model.safetensors").write_bytes(bytes(data))
    with pytest.raises(ValueError, match="sha256"):
        QuoteModel.load(path, device="cpu")


def test_focus_heads_read_their_keywords_and_survive_a_round_trip(tmp_path):
    from stancekit.targets import keyword_spans

    assert keyword_spans("NATO talks; the Alliance", ["nato", "alliance"]) == [(0, 4), (16, 24)]
    assert keyword_spans("no keyword here", []) == []
    with pytest.raises(ValueError, match="not text tasks"):
        QuoteModel(TASKS, focus={"toward": ["nato"]})
    m = QuoteModel(TASKS, device="cpu", focus={"nato_membership": ["nato", "alliance"]})._build()
    assert m.net_.heads["nato_membership"].in_features == 2 * m.net_.heads["tone"].in_features
    enc = m.tokenize(["We back NATO now.", "Nothing here."])
    tokens = m.tokenizer_.convert_ids_to_tokens(enc["input_ids"][0])
    assert [t for t, x in zip(tokens, enc["focus"][0][0]) if x] == ["nato"]
    assert not enc["focus"][1].any()
    m.temperature_ = {t: 1.0 for t in TASKS}
    texts = ["We back NATO now.", "Nothing here."]
    before = m.predict_proba(texts)["nato_membership"]
    again = QuoteModel.load(m.save(tmp_path / "f"), device="cpu")
    assert again.focus == {"nato_membership": ["nato", "alliance"]}
    assert np.allclose(before, again.predict_proba(texts)["nato_membership"], atol=2e-3)
    # the head reads [text mean ‖ keyword-token mean], and the text mean twice where no keyword occurs
    logits = m.logits(texts)["nato_membership"]
    for k, text in enumerate(texts):
        e = m.tokenizer_(text, return_tensors="pt")
        with torch.no_grad():
            hidden = m.net_.encoder(**e).last_hidden_state[0]
            mean = hidden.mean(0)
            key = hidden[torch.as_tensor(enc["focus"][k][0], dtype=torch.bool)]
            feats = torch.cat([mean, key.mean(0) if len(key) else mean])
            assert np.allclose(m.net_.heads["nato_membership"](feats).numpy(), logits[k], atol=1e-4)


def test_training_learns_a_toy_task():
    m = QuoteModel({"tone": TASKS["tone"], "toward": TASKS["toward"]}, device="cpu")
    examples = [{"text": "We love this wonderful deal.", "labels": {"tone": "positive"}, "items": []},
                {"text": "This is a shameful disaster.", "labels": {"tone": "negative"}, "items": []},
                {"text": "Smith lied and Jones helped.", "labels": {},
                 "items": [([(0, 5)], "negative"), ([(15, 20)], "positive")]}]
    recipe.train_quote_model(m, examples * 4, epochs=6, lr=3e-4, batch_size=4, progress=False)
    out = m.predict_proba([e["text"] for e in examples], [(2, [(0, 5)]), (2, [(15, 20)])])
    assert out["tone"][:2].argmax(1).tolist() == [2, 0]
    assert out["toward"].argmax(1).tolist() == [0, 2]
    with pytest.raises(ValueError, match="example 0"):
        recipe.train_quote_model(m, [{"text": "x", "labels": {"tone": "happy"}, "items": []}], progress=False)


def test_init_from_lays_a_saved_encoder_over_the_base_and_leaves_the_heads(tmp_path):
    from stancekit.models.pair_classifier import PairClassifier

    donor = PairClassifier(device="cpu")._build()
    with torch.no_grad():
        donor.net_.encoder.encoder.layer[3].output.dense.weight.add_(1.0)
    donor.temperature_ = 1.0
    donor.save(tmp_path / "donor")
    m = QuoteModel({"tone": TASKS["tone"]}, device="cpu")._build()
    head = m.net_.heads["tone"].weight.detach().clone()
    base = m.net_.encoder.encoder.layer[3].output.dense.weight.detach().clone()
    info = recipe.init_encoder_from(m, tmp_path / "donor")
    moved = m.net_.encoder.encoder.layer[3].output.dense.weight.detach()
    assert info["tensors"] > 0 and info["path"] == "donor"
    assert torch.allclose(moved, (base + 1.0).half().float())
    assert torch.equal(m.net_.heads["tone"].weight, head)
    with pytest.raises(ValueError, match="sha256"):
        (tmp_path / "donor" / "model.safetensors").write_bytes(b"x")
        recipe.init_encoder_from(m, tmp_path / "donor")


def test_newsmtsc_sentences_become_one_example_with_their_targets(tmp_path):
    row = {"sentence_normalized": "Trump attacked Clinton.", "primary_gid": "x",
           "targets": [{"from": 0, "to": 5, "mention": "Trump", "polarity": 2.0},
                       {"from": 15, "to": 22, "mention": "Clinton", "polarity": 4.0}]}
    long = dict(row, sentence_normalized="Trump attacked Clinton. " + "x " * 400)
    path = tmp_path / "n.jsonl"
    path.write_text(json.dumps(row) + "\n" + json.dumps(long) + "\n")
    ex = recipe.newsmtsc_examples(path)
    assert ex[0] == {"text": "Trump attacked Clinton.", "labels": {},
                     "items": [([(0, 5)], "negative"), ([(15, 22)], "neutral")]}
    assert len(ex) == 3 and all(len(e["text"]) <= 600 for e in ex[1:])  # the long one, cropped per target
    assert [e["text"][s:t] for e in ex[1:] for [(s, t)], _ in e["items"]] == ["Trump", "Clinton"]


# -- the classifier's rules, on a stand-in model that returns fixed probabilities -----------------
class FixedModel:
    tasks = {"tone": TASKS["tone"], "nato_membership": TASKS["nato_membership"], "toward": TASKS["toward"]}
    abstain_below_ = {"tone": 0.5}

    def __init__(self):
        self.calls = []

    def predict_proba(self, texts, items):
        self.calls.append((list(texts), list(items)))
        return {"tone": np.tile([0.45, 0.35, 0.2], (len(texts), 1)),
                "nato_membership": np.tile([0.7, 0.2, 0.1], (len(texts), 1)),
                "toward": np.tile([0.1, 0.1, 0.8], (len(items), 1))}


def test_model_text_puts_the_context_before_short_or_anaphoric_quotes():
    text, shift = model_text("That is what Putin wants.", "Ukraine belongs in Nato. He said: “")
    assert text[shift:] == "That is what Putin wants." and text.startswith("Ukraine belongs in Nato.")
    assert model_text("We will keep supporting Ukraine for years.", "Nato matters. He said: ") == (
        "We will keep supporting Ukraine for years.", 0)


def test_classifier_gates_shifts_mentions_and_abstains():
    fixed = FixedModel()
    clf = QuoteClassifier(fixed)
    talks = Target("talks_custom", "Peace talks should go ahead.", keywords=("talks",))
    items = [("That is what Putin wants.", "Ukraine belongs in Nato. He said: “", [(13, 18)]),
             ("We grow wheat here.", "", [])]
    a, b = clf.analyze(items, ["nato_membership", talks])
    assert set(a.stance) == {"nato_membership"}  # the custom target is not the model's
    assert a.stance["nato_membership"].label == "favor"  # "Nato" is in the context sentence
    assert b.stance["nato_membership"].label == "none" and b.stance["nato_membership"].scores["none"] == 1.0
    assert a.tone.label == "abstain" and a.tone.scores["negative"] == 0.45  # under the tone threshold
    assert [l.label for l in a.toward] == ["positive"] and b.toward == []
    texts, mitems = fixed.calls[0]
    [(i, [(s, e)])] = mitems
    assert texts[i][s:e] == "Putin"  # the span moved with the context put in front
    with pytest.raises(ValueError, match="Mention 0 of quote 0"):
        clf.analyze([("short", "", [(3, 30)])])


def test_marks_wrap_each_mention_and_the_spans_follow():
    from stancekit.models.quote_model import insert_marks, mark_texts

    text, spans = insert_marks("Putin met Biden.", [(10, 15), (0, 5)])
    assert text == "<t> Putin </t> met <t> Biden </t>." and [text[s:e] for s, e in spans] == ["Biden", "Putin"]
    text, spans = insert_marks("Vladimir Putin met.", [(0, 14), (9, 14)])  # nested: one pair of marks
    assert text == "<t> Vladimir Putin </t> met." and [text[s:e] for s, e in spans] == ["Vladimir Putin", "Putin"]
    texts, items = mark_texts(["A said.", "Putin met Biden."], [(1, [(10, 15)]), (1, [(0, 5)])])
    assert texts == ["A said.", "<t> Putin </t> met <t> Biden </t>."]
    assert [texts[i][s:e] for i, [(s, e)] in items] == ["Biden", "Putin"]


def test_a_marking_model_marks_the_mentions_it_is_asked_about(model):
    marking = QuoteModel(TASKS, device="cpu", mark_mentions=True)._build()
    marking.net_.load_state_dict(model.net_.state_dict())
    text = "Critics say Putin lied."
    plain = model.logits(["Critics say <t> Putin </t> lied."], [(0, [(16, 21)])])
    marked = marking.logits([text], [(0, [(12, 17)])])
    for t in plain:
        assert np.allclose(plain[t], marked[t], atol=1e-5)


def test_sentiment_classifier_runs_on_a_quote_model(model):
    from stancekit.classify.sentiment import SentimentClassifier

    model.abstain_below_ = {"tone": 0.0, "toward": 0.0}
    clf = SentimentClassifier(model)
    long = "word " * 200 + "Critics say Putin lied." + " word" * 200
    start = long.index("Putin")
    out = clf.toward([("Putin praised Zelensky.", 14, 22), (long, start, start + 5)])
    assert len(out) == 2 and all(abs(sum(l.scores.values()) - 1) < 1e-4 for l in out)
    assert clf.toward_proba([(long, start, start + 5)]).shape == (1, 3)  # cut to a window around the mention
    assert clf.tone("We will win.").label in clf.labels and clf.labels == TASKS["toward"]
    assert clf.tone([]) == [] and clf.toward([]) == []


def test_pipeline_modes_route_each_target_to_its_model():
    import stancekit
    from stancekit.classify.stance import StanceClassifier

    class Pairs:  # stand-in stance cross-encoder: always against
        labels = ["favor", "against", "none"]

        def __init__(self):
            self.calls = []

        def predict_proba(self, a, b):
            self.calls.append(list(a))
            return np.tile([0.1, 0.8, 0.1], (len(a), 1))

    ceasefire = Target("ceasefire_now", "An immediate ceasefire should be agreed.", keywords=("ceasefire",))
    text = "“Vladimir Putin wants a ceasefire only on his terms, and Nato should welcome Ukraine,” Mr Healey said."
    # head answers favor with 0.7; the fixed model has no fitted threshold, so "confident" defers all
    modes = [(dict(single_pass=True), "favor", [1]), (dict(), "favor", [1]),  # the default: the heads
             (dict(stance_heads="never"), "against", [2]),
             (dict(stance_heads="confident"), "against", [1, 1]),
             (dict(stance_heads="confident", defer_below=0.65), "favor", [1]),
             (dict(stance_heads="confident", defer_below=0.75), "against", [1, 1]),
             # per target: NATO to the cross-encoder, the rest keeps its fitted threshold
             (dict(stance_heads="confident", defer_below={"nato_membership": 2.0}), "against", [1, 1]),
             (dict(stance_heads="confident", defer_below={"nato_membership": 0.0}), "favor", [1])]
    for kwargs, nato, calls in modes:
        nlp = stancekit.load(targets=["nato_membership", ceasefire], **kwargs)
        nlp._quote, pairs = QuoteClassifier(FixedModel()), Pairs()
        nlp._stance = StanceClassifier(pairs)
        q = nlp(text).quotes[0]
        assert list(q.stance) == ["nato_membership", "ceasefire_now"], kwargs
        assert q.stance["ceasefire_now"].label == "against"  # custom: always the cross-encoder
        assert q.stance["nato_membership"].label == nato, kwargs
        assert [len(c) for c in pairs.calls] == calls, kwargs
        assert q.sentiment.label == "abstain" and q.sentiment_toward["Vladimir Putin"].label == "positive"
        assert nlp._sentiment is None  # the quote model answered tone and toward
    fitted = FixedModel()
    fitted.config_ = {"defer": {"below": {"nato_membership": 0.65}}}
    clf = QuoteClassifier(fitted)
    assert clf.defer_below("nato_membership") == 0.65 and clf.defer_below("peace_talks") == float("inf")
    assert clf.confident("peace_talks", certain_none())  # the gate's answer always stands
    with pytest.raises(ValueError, match="stance_heads"):
        stancekit.load(stance_heads="sometimes")
    with pytest.raises(ValueError, match="not targets of this pipeline"):
        stancekit.load(stance_heads="confident", defer_below={"nato": 2.0})
    with pytest.raises(ValueError, match="not numbers"):
        stancekit.load(stance_heads="confident", defer_below={"nato_membership": "high"})
    off = stancekit.load(single_pass=True, sentiment=False)
    off._quote = QuoteClassifier(FixedModel())
    q2 = off(text).quotes[0]
    assert q2.sentiment is None and q2.sentiment_toward == {} and q2.stance["nato_membership"].label == "favor"


@pytest.mark.slow
@pytest.mark.skipif(not (recipe.sd.DEFAULT_DATA / recipe.sd.NEWSMTSC["dev_rw"]).exists(),
                    reason="needs NewsMTSC dev from the shared data sets (present in CI, absent in a user's clone)")
def test_recalibrate_refits_every_task_on_dev_and_keeps_the_card(tmp_path):
    from stancekit.train.soup import soup

    runs = []
    for seed in (1, 2):
        m = QuoteModel(recipe.TASKS, device="cpu", mark_mentions=True)._build()
        with torch.no_grad():
            m.net_.heads["tone"].bias += seed  # two different "runs" of one recipe
        runs.append(m.save(tmp_path / f"r{seed}", task="quote", seed=seed, note="kept"))
    out = soup(runs, tmp_path / "soup")
    assert recipe.main(["--recalibrate", "--out", str(out), "--threads", "2"]) == 0
    cfg = json.loads((out / "config.json").read_text())
    assert set(cfg["temperature"]) == set(recipe.TASKS) and cfg["note"] == "kept" and cfg["seed"] == [1, 2]
    assert {"newsmtsc_rw_dev/toward", "newsmtsc_mt_dev/toward", "domain_dev/tone"} <= set(cfg["dev_metrics"])
    again = QuoteModel.load(out, device="cpu")  # sha256 rewritten with the weights
    assert again.mark_mentions and again.temperature_ == pytest.approx(cfg["temperature"])


def test_cascade_threshold_rule_and_the_shipped_fit():
    from stancekit.models.base import shipped_model_dir
    from stancekit.train.cascade import cascade_labels, pick_threshold

    assert cascade_labels(["favor", "none"], [1.0, 0.6], ["against", "favor"], 2.0) == ["favor", "favor"]
    rows = [{"threshold": 0.5, "cascade_f1": 80.0, "cross_encoder_f1": 86.0},
            {"threshold": 0.6, "cascade_f1": 85.6, "cross_encoder_f1": 86.0},
            {"threshold": 0.7, "cascade_f1": 86.2, "cross_encoder_f1": 86.0}]
    assert pick_threshold(rows, 0.5) == 0.6 and pick_threshold(rows, 0.0) == 0.7
    assert pick_threshold(rows[:1], 0.5) == float("inf")  # nothing qualifies: always ask the cross-encoder
    config_path = shipped_model_dir("quote-minilm") / "config.json"
    if not config_path.exists():
        pytest.skip("the shipped quote model is not installed")
    fit = json.loads(config_path.read_text())["defer"]
    assert set(fit["below"].values()) == {pick_threshold(fit["grid"], fit["tolerance_points"])}


@pytest.mark.slow
def test_cascade_recipe_reproduces_the_shipped_threshold_and_leaves_the_weights(tmp_path):
    import shutil

    from stancekit.models.base import shipped_model_dir
    from stancekit.train import cascade

    shipped = shipped_model_dir("quote-minilm")
    if not (shipped / "config.json").exists():
        pytest.skip("the shipped quote model is not installed")
    copy = shutil.copytree(shipped, tmp_path / "q")
    before = json.loads((copy / "config.json").read_text())
    del before["defer"]
    (copy / "config.json").write_text(json.dumps(before))
    assert cascade.main(["--quote-model", str(copy), "--threads", "2"]) == 0
    after = json.loads((copy / "config.json").read_text())
    fit = json.loads((shipped / "config.json").read_text())["defer"]
    assert after["defer"]["below"] == fit["below"]
    assert [r["deferred"] for r in after["defer"]["grid"]] == [r["deferred"] for r in fit["grid"]]
    assert {k: v for k, v in after.items() if k != "defer"} == before  # weights and their sha256 untouched


def test_default_heads_fall_back_to_the_cross_encoder_without_a_quote_model(monkeypatch):
    import stancekit
    from stancekit import pipeline as pl

    monkeypatch.setattr(pl.Pipeline, "_sentiment_is_quote_model", lambda self: False)
    nlp = stancekit.load(["nato_membership"], sentiment=False)
    assert nlp.stance_heads == "always" and not nlp.single_pass
    assert nlp._model("quote") is None and nlp._head_targets(None) == []  # the cross-encoder answers
    assert [t.id for t in nlp._cross_encoder_targets(None)] == ["nato_membership"]
    strict = stancekit.load(["nato_membership"], single_pass=True)
    with pytest.raises(ValueError, match="needs a QuoteModel"):
        strict._model("quote")


@pytest.mark.skipif(not (recipe.sd.DEFAULT_DATA / recipe.sd.NEWSMTSC["dev_rw"]).exists(),
                    reason="needs the NewsMTSC files of the shared data sets (present in CI, absent in a user's clone)")
def test_an_extra_domain_set_joins_train_and_is_a_dev_set_of_its_own(tmp_path):
    rows = [{"text": f"We will never accept neutrality, number {i}.", "nato_membership": "favor", "peace_talks": "none",
             "sentiment": "negative", "split": "dev" if i % 5 == 0 else "train"} for i in range(10)]
    extra = tmp_path / "negation.jsonl"
    extra.write_text("".join(json.dumps(r) + "\n" for r in rows))
    plain = recipe.build_sets(None, recipe.sd.DEFAULT_DOMAIN, limit=3, domain_upsample=2)
    more = recipe.build_sets(None, recipe.sd.DEFAULT_DOMAIN, limit=3, domain_upsample=2, extra=[extra])
    assert len(more["train"]) - len(plain["train"]) == 2 * 8
    assert [ex["labels"] for ex in more["dev"]["negation_dev"]] == [
        {"tone": "negative", "nato_membership": "favor", "peace_talks": "none"}] * 2
    assert more["dev"]["domain_dev"] == plain["dev"]["domain_dev"]


@pytest.mark.skipif(not (recipe.sd.DEFAULT_DATA / recipe.sd.NEWSMTSC["dev_rw"]).exists(),
                    reason="needs the NewsMTSC files of the shared data sets (present in CI, absent in a user's clone)")
def test_continue_from_goes_on_from_the_saved_heads_and_encoder(tmp_path, monkeypatch):
    m = QuoteModel(recipe.TASKS, device="cpu", mark_mentions=True)._build()
    with torch.no_grad():
        m.net_.heads["tone"].bias += 3.0
    saved = m.save(tmp_path / "start", task="quote")
    seen = {}

    def fake_train(model, examples, **kw):  # no training: what matters is the model it is handed
        seen["bias"] = model.net_.heads["tone"].bias.detach().clone()
        seen["marks"] = model.mark_mentions
        seen["dtype"] = next(model.net_.parameters()).dtype
        model.train_seconds_ = 0.0
        return model

    monkeypatch.setattr(recipe, "train_quote_model", fake_train)
    monkeypatch.setattr(recipe, "calibrate", lambda model, dev: {"dev_metrics": {}})
    assert recipe.main(["--continue-from", str(saved), "--limit", "2", "--out", str(tmp_path / "next")]) == 0
    assert torch.allclose(seen["bias"], m.net_.heads["tone"].bias.half().float()) and seen["marks"]
    assert seen["dtype"] == torch.float32
    cfg = json.loads((tmp_path / "next" / "config.json").read_text())
    assert cfg["init_from"]["continue_from"] == "start" and cfg["hyperparameters"]["mark_mentions"]
    with pytest.raises(SystemExit):
        recipe.main(["--continue-from", str(saved), "--init-from", str(saved), "--limit", "2", "--out", str(tmp_path / "x")])
