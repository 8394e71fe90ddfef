"""Model runtime options: threads, device / backend checks, and (slow) that ONNX Runtime gives the
same probabilities as torch on the same weights."""
import os

import numpy as np
import pytest

import stancekit
from stancekit.scale import runtime


@pytest.fixture
def torch_threads():
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    yield torch
    torch.set_num_threads(before)


def test_available_cores_is_within_the_machine():
    assert 1 <= runtime.available_cores() <= (os.cpu_count() or 1)


def test_configure_threads_explicit_env_and_oversubscription(torch_threads, monkeypatch):
    torch = torch_threads
    for k in runtime.THREAD_ENV:
        monkeypatch.delenv(k, raising=False)
    assert runtime.configure_threads(1) == 1
    assert runtime.configure_threads() == 1                 # a lower count the user set is kept
    torch.set_num_threads(runtime.available_cores() + 3)
    assert runtime.configure_threads() == runtime.available_cores()   # never more threads than cores
    torch.set_num_threads(runtime.available_cores() + 3)
    monkeypatch.setenv("OMP_NUM_THREADS", "7")
    assert runtime.configure_threads() == runtime.available_cores() + 3  # the user's variable wins
    monkeypatch.setenv("STANCEKIT_NUM_THREADS", "1")
    assert runtime.configure_threads() == 1


class _Net:
    def __init__(self):
        self.halved = False

    def half(self):
        self.halved = True


class _Clf:
    def __init__(self, device="cpu", backend="torch"):
        self.device_, self.backend, self.net_ = device, backend, _Net()


def test_gpu_runs_fp16_and_cpu_only_options_are_refused_there():
    assert runtime.prepare_for_inference(_Clf("cuda")).net_.halved
    with pytest.raises(ValueError, match="CPU option"):
        runtime.prepare_for_inference(_Clf("cuda:0", backend="onnx"))
    with pytest.raises(ValueError, match="Unknown backend"):
        runtime.prepare_for_inference(_Clf(backend="tensorrt"))


def test_load_passes_runtime_options_to_the_models(monkeypatch, tmp_path):
    from stancekit.models import pair_classifier

    seen = []

    class Fake:
        labels = ["favor", "against", "none"]
        abstain_below = 0.0

        def predict_proba(self, a, b):
            return np.tile([0.2, 0.1, 0.7], (len(a), 1))

    def fake_load(path, **kwargs):
        seen.append((str(path), kwargs))
        return Fake()

    monkeypatch.setattr(pair_classifier.PairClassifier, "load", staticmethod(fake_load))
    nlp = stancekit.load(["nato_membership"], sentiment=False, stance_model=str(tmp_path), device="cpu",
                         backend="onnx", num_threads=1, stance_heads="never")
    doc = nlp("“Ukraine must join NATO,” Mr Smith said.")
    assert doc.quotes[0].stance["nato_membership"].label == "none"
    assert seen == [(str(tmp_path), {"device": "cpu", "backend": "onnx", "num_threads": 1, "batch_size": 32})]


@pytest.mark.slow
@pytest.mark.parametrize("pooling", ["mean", "mean+mark"])
def test_onnx_agrees_with_torch(tmp_path, monkeypatch, torch_threads, pooling):
    """A randomly initialised head over the real base encoder: same inputs, two runtimes."""
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    from stancekit.models.pair_classifier import PairClassifier

    monkeypatch.setenv("STANCEKIT_CACHE", str(tmp_path / "cache"))
    path = PairClassifier(device="cpu", pooling=pooling)._build().save(tmp_path / "m")
    a = ["Ukraine should become a member of NATO."] * 6
    b = ["Its rightful place is in the <t> alliance </t>.", "We reject any talk of membership.", "The weather was fine.",
         "Talks", "A much longer quote about the summit, the <t> allies </t> and what the alliance promised.", "No."]
    ref = PairClassifier.load(path, device="cpu").predict_proba(a, b)
    onnx = PairClassifier.load(path, device="cpu", backend="onnx")
    assert np.abs(onnx.predict_proba(a, b) - ref).max() < 1e-4
    assert list((tmp_path / "cache").glob("*.onnx"))                 # exported once, cached
