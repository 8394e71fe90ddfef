"""How the cross-encoders run: threads, fp16 on GPU, ONNX Runtime on CPU.

`PairClassifier.load(path, device=..., backend=...)` calls `prepare_for_inference`;
`stancekit.load(..., backend="onnx")` passes the option down. What it costs and buys on 2 CPU
cores is measured in benchmarks/RESULTS_throughput.md. int8 dynamic quantization (torch and ONNX
Runtime, per-tensor and per-channel) was measured too and dropped: it cost the stance model 1.4-4
macro-F1 points, over the 1-point budget.

Example:
    >>> from stancekit.scale.runtime import available_cores
    >>> available_cores() >= 1
    True
"""
from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

BACKENDS = ("torch", "onnx")
THREAD_ENV = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "STANCEKIT_NUM_THREADS")


def available_cores() -> int:
    """CPU cores this process may use: the affinity mask, capped by a cgroup CPU quota."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS / Windows
        n = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            n = min(n, max(1, int(int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return max(1, n)


def configure_threads(num_threads: int | None = None) -> int:
    """Set torch's intra-op threads; returns the count in force.

    `num_threads` (or the STANCEKIT_NUM_THREADS variable) is applied as given. Otherwise torch is
    left as the user set it (OMP_NUM_THREADS / MKL_NUM_THREADS, or a lower `torch.set_num_threads`)
    and only lowered to the available cores when it would run more threads than there are cores
    (torch counts the host's cores, not a container's CPU quota).
    """
    import torch

    env = os.environ.get("STANCEKIT_NUM_THREADS", "")
    if num_threads is None and env.isdigit():
        num_threads = int(env)
    if num_threads is not None:
        torch.set_num_threads(max(1, int(num_threads)))
    elif not any(os.environ.get(k) for k in THREAD_ENV) and torch.get_num_threads() > available_cores():
        torch.set_num_threads(available_cores())
    return torch.get_num_threads()


def prepare_for_inference(clf: Any, num_threads: int | None = None) -> Any:
    """Apply a loaded PairClassifier's device / backend options (in place; returns it)."""
    backend = getattr(clf, "backend", "torch") or "torch"
    if backend not in BACKENDS:
        raise ValueError(f"Unknown backend {backend!r}: use one of {', '.join(BACKENDS)}.")
    on_gpu = str(clf.device_).startswith("cuda")
    if on_gpu and backend != "torch":
        raise ValueError("backend='onnx' is a CPU option; on a GPU the model runs in torch, in fp16 "
                         "(use device='cpu' for ONNX Runtime).")
    if on_gpu:
        clf.net_.half()
        return clf
    configure_threads(num_threads)
    if backend == "onnx":
        path = export_onnx(clf)
        clf.net_.to("meta")  # the torch weights are not used any more: free them before ORT loads its copy
        import gc

        gc.collect()
        clf.session_ = OnnxSession(path)
    return clf


def cache_dir() -> Path:
    """Where ONNX exports are kept: $STANCEKIT_CACHE, else ~/.cache/stancekit."""
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "stancekit"
    path = Path(os.environ.get("STANCEKIT_CACHE", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_onnx(clf: Any) -> Path:
    """Export the fp32 network to ONNX (plain `torch.onnx.export`) once per weights file; returns the file."""
    import torch

    config = getattr(clf, "config_", None) or {}
    if "sha256" not in config:
        raise ValueError("backend='onnx' needs a saved model (PairClassifier.load(path, backend='onnx')).")
    try:
        import onnx  # noqa: F401  (torch.onnx.export writes through it)
    except ImportError as exc:
        raise RuntimeError("backend='onnx' needs the onnx package: pip install 'stancekit[onnx]'") from exc
    out = cache_dir() / f"{'-'.join(clf.labels)}-{config['sha256'][:16]}.onnx"
    if out.exists():
        return out
    enc = clf.encode_batch(["a target", "another target"], ["a quote", "a somewhat longer quote text"])
    names = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc]
    axes = {k: {0: "batch", 1: "tokens"} for k in names}
    axes["logits"] = {0: "batch"}
    tmp = out.with_suffix(f".tmp{os.getpid()}")
    clf.net_.eval()
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes on shape-dependent Python branches
        torch.onnx.export(clf.net_, tuple(enc[k] for k in names), str(tmp), input_names=names,
                          output_names=["logits"], dynamic_axes=axes, opset_version=17, dynamo=False)
    os.replace(tmp, out)
    return out


class OnnxSession:
    """An ONNX Runtime session over an exported PairNet; `run(encoding)` returns logits (numpy)."""

    def __init__(self, path: str | Path, num_threads: int | None = None):
        try:
            import onnxruntime as ort
        except ImportError as exc:  # RuntimeError: the pipeline skips a model on ImportError, not on this
            raise RuntimeError("backend='onnx' needs ONNX Runtime: pip install 'stancekit[onnx]'") from exc

        path = Path(path)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = num_threads or _torch_threads()
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.session.get_inputs()]

    def run(self, enc) -> Any:
        feed = {k: enc[k].astype("int64") for k in self.inputs}
        return self.session.run(None, feed)[0]


def _torch_threads() -> int:
    import torch

    return torch.get_num_threads()
