"""Throughput of the whole pipeline on ~600-word articles, against the bare encoder, in one run.

    python benchmarks/throughput.py > benchmarks/RESULTS_throughput.md
    python benchmarks/throughput.py --device cuda --configs default --n 2000 --n-process 14   # on a GPU

What it measures, per runtime configuration (each in its own process, so peak RSS is its own):
  * articles/s and quotes/s of `nlp.pipe` (segmentation, both built-in stance targets, quote tone,
    sentiment toward mentioned actors, document profiles) over ~600-word articles built by cutting
    and concatenating (a) the seed article's paragraphs, rotated — dense in NATO / talks quotes,
    the worst case for the stance model — and (b) PolNeAR news texts from ../shared/data when present;
  * the bare encoder: every `PairClassifier.predict_proba` call the pipeline made is recorded and
    replayed alone on the exact same pairs; pipeline time / bare time is what the pipeline adds on
    top of this model's limit on this machine;
  * peak RSS of the process (resource.getrusage); an ONNX export is made beforehand in another
    process (it is cached, as in use), so it does not count;
  * the same for ONNX Runtime (--configs), with the stance and sentiment scores of each runtime on
    the domain dev split (models/data/stance_domain.jsonl) and the seed gold, so a faster runtime is
    kept only if it stays within 1 point.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SEED = sorted((REPO / "seeds").glob("*.txt"))[0]
GOLD = SEED.with_suffix(".gold.json")
POLNEAR = REPO.parent / "shared" / "data" / "quotes" / "polnear"
DOMAIN = REPO / "models" / "data" / "stance_domain.jsonl"
CONFIGS = {"default": dict(backend="torch", stance_heads="always"),  # the heads: one pass per quote
           "confident": dict(backend="torch", stance_heads="confident"),
           "nato-cross-encoder": dict(backend="torch", stance_heads="confident",
                                      defer_below={"nato_membership": 2.0, "peace_talks": 0.0}),
           "cross-encoder": dict(backend="torch", stance_heads="never"),  # stance-minilm for every open pair
           "onnx": dict(backend="onnx", stance_heads="never")}
"""Every configuration reads tone and sentiment toward actors from quote-minilm, one pass per quote.
Stance of the built-in targets: default, the quote model's heads from that same pass; confident, the
heads where confident, the cross-encoder (stance-minilm, one pass per (quote, target) the keyword gate
lets through) for the rest; nato-cross-encoder, the cross-encoder for NATO membership and the heads for
peace talks; cross-encoder, the cross-encoder for every open pair; onnx, the same through ONNX Runtime."""


def log(*a) -> None:
    print(*a, file=sys.stderr, flush=True)


# -- articles ------------------------------------------------------------------------------------
def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def _cut(paragraphs, words: int, n: int) -> list[str]:
    """Articles of >= `words` words made of consecutive paragraphs from an endless stream."""
    out, cur, count = [], [], 0
    for p in paragraphs:
        cur.append(p)
        count += len(p.split())
        if count >= words:
            out.append("\n\n".join(cur))
            cur, count = [], 0
            if len(out) == n:
                break
    return out


def seed_articles(n: int, words: int) -> list[str]:
    paras = _paragraphs(SEED.read_text(encoding="utf-8"))

    def stream():
        for i in range(n * 4):  # rotate the start so the articles differ
            start = (i * 3) % len(paras)
            yield from paras[start:] + paras[:start]
            yield None

    arts, cur, count = [], [], 0
    for p in stream():
        if p is None:
            cur, count = [], 0
            continue
        cur.append(p)
        count += len(p.split())
        if count >= words:
            arts.append("\n\n".join(cur))
            cur, count = [], 0
            if len(arts) == n:
                break
    return arts


def polnear_articles(n: int, words: int) -> list[str]:
    files = sorted(POLNEAR.glob("*/text/*.txt"))
    return _cut((p for f in files for p in _paragraphs(f.read_text(encoding="utf-8", errors="replace"))), words, n)


# -- one configuration (child process) -----------------------------------------------------------
def instrument(clf) -> list:
    """Record every predict_proba call of a classifier's model: (a, b, seconds)."""
    calls = []
    model = clf.model
    real = model.predict_proba

    def recorded(a, b, batch_size=None):
        t = time.perf_counter()
        out = real(a, b, batch_size)
        calls.append((list(a), list(b), time.perf_counter() - t))
        return out

    model.predict_proba = recorded
    return calls


def run_corpus(nlp, name: str, texts: list[str], batch_size: int) -> dict:
    records = [{"id": f"{name}-{i}", "text": t} for i, t in enumerate(texts)]
    recorders = {k: instrument(m) for k, m in zip(("quote", "stance", "sentiment"), nlp._models()) if m is not None}
    errors: list = []  # documents on which the pipeline raised (reported, not fatal)
    t0 = time.perf_counter()
    docs = list(nlp.pipe(records, errors=errors))
    t_pipe = time.perf_counter() - t0
    t_enc = sum(c[2] for calls in recorders.values() for c in calls)
    t_bare = 0.0
    for kind, calls in recorders.items():  # replay the exact pairs on the bare encoder
        model = dict(zip(("quote", "stance", "sentiment"), nlp._models()))[kind].model
        bare = type(model).predict_proba
        for a, b, _ in calls:
            t = time.perf_counter()
            bare(model, a, b)
            t_bare += time.perf_counter() - t
        model.predict_proba = bare.__get__(model)
    n_quotes = sum(len(d.quotes) for d in docs)
    return {"corpus": name, "articles": len(docs), "failed": [e.error[:160] for e in errors], "words": round(sum(len(t.split()) for t in texts) / len(texts)),
            "quotes": n_quotes, "pairs": sum(len(c[0]) for calls in recorders.values() for c in calls),
            "t_pipe": t_pipe, "t_enc_in_pipe": t_enc, "t_bare": t_bare,
            "articles_per_s": len(texts) / t_pipe, "quotes_per_s": n_quotes / t_pipe,
            "ratio": t_pipe / t_bare if t_bare else float("nan")}


def _gold(v):
    return v if isinstance(v, list) else [v]


def macro_f1(pairs, labels) -> float:
    """Macro-F1 in points, with the gold format's acceptable labels counted as right."""
    from stancekit.evaluate import macro_f1_acceptable

    return 100 * macro_f1_acceptable(pairs, labels)


def accuracy(nlp) -> dict:
    """Stance and tone macro-F1 on the domain dev split and the seed gold quotes, and the predictions."""
    quick, stance, sentiment = nlp._models()
    targets = [t.id for t in nlp.targets]
    dev = [json.loads(x) for x in DOMAIN.read_text(encoding="utf-8").splitlines() if x.strip()]
    dev = [r for r in dev if r.get("split") == "dev"]
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    text = gold.get("text") or SEED.read_text(encoding="utf-8")
    seed = [q for q in gold["quotes"] if q.get("stance")]
    out: dict = {"preds": {}}
    heads = nlp._head_targets(quick)
    if quick is not None:  # one pass per quote; shaped as the cross-encoders' outputs
        seed_ctx = [(q["text"], text[max(0, q["start"] - 400):q["start"]], []) for q in gold["quotes"]]
        dev_res = quick.analyze([(r["text"], "", []) for r in dev], heads)
        seed_res = dict(zip((q["text"] for q in gold["quotes"]), quick.analyze(seed_ctx, heads)))
        sentiment = True
    if stance is not None or heads:
        if heads:
            dev_pred = [r.stance for r in dev_res]
            seed_pred = [seed_res[q["text"]].stance for q in seed]
            if stance is not None and nlp.stance_heads == "confident":  # unsure heads: the cross-encoder's
                dev_x = stance.predict([(r["text"], "") for r in dev], nlp.targets)
                seed_x = stance.predict([(q["text"], text[max(0, q["start"] - 400):q["start"]]) for q in seed],
                                        nlp.targets)
                dev_pred, seed_pred = ([{t: p[t] if quick.confident(t, p[t], nlp.defer_below) else x[t] for t in p}
                                        for p, x in zip(preds, xs)] for preds, xs in ((dev_pred, dev_x), (seed_pred, seed_x)))
        else:
            dev_pred = stance.predict([(r["text"], "") for r in dev], nlp.targets)
            seed_pred = stance.predict([(q["text"], text[max(0, q["start"] - 400):q["start"]]) for q in seed],
                                       nlp.targets)
        labels = ("favor", "against", "none")
        out["stance_dev_f1"] = sum(macro_f1([(_gold(r[t]), p[t].label) for r, p in zip(dev, dev_pred)], labels)
                                   for t in targets) / len(targets)
        out["stance_seed_f1"] = sum(macro_f1([(_gold(q["stance"][t]), p[t].label) for q, p in zip(seed, seed_pred)
                                              if t in q["stance"]], labels) for t in targets) / len(targets)
        out["preds"]["stance"] = [p[t].label for p in dev_pred + seed_pred for t in targets]
    if sentiment is not None:
        labels = ("negative", "neutral", "positive")
        sq = [q for q in gold["quotes"] if q.get("sentiment")]
        if quick is not None:
            dev_pred = [r.tone for r in dev_res]
            seed_pred = [seed_res[q["text"]].tone for q in sq]
        else:
            dev_pred = sentiment.tone([r["text"] for r in dev])
            seed_pred = sentiment.tone([q["text"] for q in sq])
        out["tone_dev_f1"] = macro_f1([(_gold(r["sentiment"]), p.label) for r, p in zip(dev, dev_pred)], labels)
        out["tone_seed_f1"] = macro_f1([(_gold(q["sentiment"]), p.label) for q, p in zip(sq, seed_pred)], labels)
        out["preds"]["tone"] = [p.label for p in dev_pred + seed_pred]
    return out


def child(args) -> None:
    import stancekit

    t0 = time.perf_counter()
    nlp = stancekit.load(device=args.device, batch_size=args.batch_size, num_threads=args.threads,
                         stance_model=args.stance_model, sentiment_model=args.sentiment_model,
                         stance=True, sentiment=True, **CONFIGS[args.child])
    corpora = {"seed": seed_articles(args.n, args.words)}
    if POLNEAR.exists():
        corpora["polnear"] = polnear_articles(args.n, args.words)
    list(nlp.pipe([{"id": "warm", "text": corpora["seed"][0]}]))  # load the models, first batches
    load_s = time.perf_counter() - t0
    if args.prepare:  # ONNX export, cached for the measured run
        return
    import torch

    parallel = {}
    if args.n_process > 1:  # the same pipeline in n worker processes (own models each), timed alone
        par = stancekit.load(device=args.device, batch_size=args.batch_size, stance_model=args.stance_model,
                             sentiment_model=args.sentiment_model, stance=True, sentiment=True,
                             n_process=args.n_process, **CONFIGS[args.child])
        warm = [{"id": f"w{i}", "text": corpora["seed"][i % len(corpora["seed"])]}
                for i in range(2 * args.n_process * args.batch_size)]
        list(par.pipe(warm))
        for name, texts in corpora.items():
            t0 = time.perf_counter()
            docs = list(par.pipe([{"id": f"{name}-{i}", "text": t} for i, t in enumerate(texts)], errors=[]))
            dt = time.perf_counter() - t0
            parallel[name] = {"articles_per_s": len(texts) / dt, "quotes_per_s": sum(len(d.quotes) for d in docs) / dt,
                              "seconds": dt, "articles": len(docs)}
        par.close()
    res = {"config": args.child, "load_s": load_s, "threads": torch.get_num_threads(), "parallel": parallel,
           "device_name": torch.cuda.get_device_name() if args.device.startswith("cuda") else cpu_name(),
           "runs": [run_corpus(nlp, name, texts, args.batch_size) for name, texts in corpora.items()]}
    res["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.accuracy:
        res["accuracy"] = accuracy(nlp)
    print(json.dumps(res))


# -- report (parent) -----------------------------------------------------------------------------
def trainings_running() -> list[str]:
    try:
        ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout.splitlines()
    except OSError:
        return []
    return [p[:90] for p in ps if ("stancekit.train" in p or "cli.main train" in p or "stancekit train" in p)
            and "grep" not in p]


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100, help="articles per corpus")
    ap.add_argument("--words", type=int, default=600, help="words per article (at least)")
    ap.add_argument("--batch-size", type=int, default=16, help="documents per pipeline batch")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--n-process", type=int, default=1, help="segmentation worker processes (Pipeline n_process)")
    ap.add_argument("--threads", type=int, default=None, help="model threads (default: the available cores)")
    ap.add_argument("--configs", nargs="*", default=list(CONFIGS), choices=list(CONFIGS),
                    help="runtime configurations to measure (the first is the reference)")
    ap.add_argument("--no-accuracy", dest="accuracy", action="store_false", help="skip the accuracy check")
    ap.add_argument("--stance-model", default=None)
    ap.add_argument("--sentiment-model", default=None)
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args)

    from stancekit.scale.runtime import available_cores

    busy_before, load_before = trainings_running(), os.getloadavg()
    results = []
    for name in args.configs:
        log(f"measuring {name} …")
        cmd = [sys.executable, __file__, "--child", name, "--n", str(args.n), "--words", str(args.words),
               "--batch-size", str(args.batch_size), "--device", args.device, "--n-process", str(args.n_process)]
        cmd += ["--threads", str(args.threads)] if args.threads else []
        cmd += ["--stance-model", args.stance_model] if args.stance_model else []
        cmd += ["--sentiment-model", args.sentiment_model] if args.sentiment_model else []
        cmd += [] if args.accuracy else ["--no-accuracy"]
        if CONFIGS[name]["backend"] == "onnx":  # export once, outside the measured process
            subprocess.run(cmd + ["--prepare", "--n", "1"], capture_output=True, text=True, check=True)
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode:
            log(out.stderr[-3000:])
            raise SystemExit(f"{name} failed")
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    busy_after, load_after = trainings_running(), os.getloadavg()
    report(args, results, busy_before or busy_after, load_before, load_after, available_cores())


def report(args, results, busy, load_before, load_after, cores) -> None:
    p = print
    cmd = " ".join(["benchmarks/throughput.py"] + sys.argv[1:])
    p("# Throughput: the whole pipeline vs the bare encoder\n")
    p(f"Command: `python {cmd}`\n")
    p(f"Machine: {cpu_name()}, {cores} cores available, device {args.device} ({results[0].get('device_name')}), "
      f"pipeline worker processes {args.n_process}, Python {platform.python_version()}; "
      f"load average {load_before[0]:.1f} at start, {load_after[0]:.1f} at end.")
    if busy:
        p(f"**Other work was running during the measurement** (model trainings: {len(busy)} process(es)), so these "
          "numbers are lower than on an idle machine.\n")
    else:
        p("No model training was running during the measurement.\n")
    p(f"Articles: {args.n} per corpus, each at least {args.words} words — `seed`: the seed article's paragraphs, "
      "rotated and cut (dense in NATO / talks quotes: most stance pairs pass the keyword gate); `polnear`: "
      "consecutive PolNeAR news texts, cut and concatenated. Both built-in targets, tone and sentiment toward "
      f"actors, document profiles; batch size {args.batch_size} documents.\n")
    p("| runtime | corpus | words/article | quotes | model pairs | articles/s | quotes/s | pipeline s | "
      "bare encoder s | pipeline / bare | peak RSS MB | threads |")
    p("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        for run in r["runs"]:
            p(f"| {r['config']} | {run['corpus']} | {run['words']} | {run['quotes']} | {run['pairs']} | "
              f"{run['articles_per_s']:.2f} | {run['quotes_per_s']:.1f} | {run['t_pipe']:.1f} | {run['t_bare']:.1f} | "
              f"{run['ratio']:.2f} | {r['peak_rss_mb']:.0f} | {r['threads']} |")
    if any(r.get("parallel") for r in results):
        p(f"\nThe same pipeline in {args.n_process} worker processes (`stancekit.load(n_process={args.n_process})`, "
          "each with its own models on the same device; peak RSS above is the parent's):\n")
        p("| runtime | corpus | articles/s | quotes/s | seconds |")
        p("|---|---|---:|---:|---:|")
        for r in results:
            for corpus, v in r.get("parallel", {}).items():
                p(f"| {r['config']} ×{args.n_process} | {corpus} | {v['articles_per_s']:.1f} | {v['quotes_per_s']:.0f} | "
                  f"{v['seconds']:.1f} |")
        p("")
    failed = {f for r in results for run in r["runs"] for f in run["failed"]}
    if failed:
        n = max(len(run["failed"]) for r in results for run in r["runs"])
        p(f"The pipeline raised on {n} article(s) of a corpus (reported in `errors`, the rest scored; counted in "
          f"articles/s): {'; '.join(sorted(failed))}\n")
    p("")
    if results and "accuracy" in results[0]:
        ref = results[0]["accuracy"]
        keys = [k for k in ("stance_dev_f1", "stance_seed_f1", "tone_dev_f1", "tone_seed_f1") if k in ref]
        p(f"Accuracy (macro-F1, points) — domain dev split and seed gold; Δ against {results[0]['config']}, and "
          "how many labels agree with it:\n")
        p("| runtime | " + " | ".join(keys) + " | max |Δ| | labels agreeing |")
        p("|---|" + "---:|" * (len(keys) + 2))
        for r in results:
            acc = r["accuracy"]
            deltas = [acc[k] - ref[k] for k in keys]
            same = total = 0
            for kind in acc["preds"]:
                pairs = list(zip(acc["preds"][kind], ref["preds"].get(kind, [])))
                same += sum(a == b for a, b in pairs)
                total += len(pairs)
            cells = " | ".join(f"{acc[k]:.1f} ({d:+.1f})" for k, d in zip(keys, deltas))
            p(f"| {r['config']} | {cells} | {max(map(abs, deltas)):.1f} | {same}/{total} |")
        p("")
    main_r = results[0]
    p(f"Requirements on {cores} cores ({main_r['config']}): ≥ 5 articles/s — "
      + ", ".join(f"{run['corpus']} {run['articles_per_s']:.2f}" for run in main_r["runs"])
      + "; pipeline / bare encoder ≤ 1.3 — " + ", ".join(f"{run['corpus']} {run['ratio']:.2f}" for run in main_r["runs"])
      + f"; peak RSS ≤ 1.5 GB — {main_r['peak_rss_mb']:.0f} MB.")


if __name__ == "__main__":
    main()
