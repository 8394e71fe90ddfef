"""Optional dependencies, imported on first use with an error that says what to install."""
from __future__ import annotations

import importlib
from types import ModuleType

_PIP = {"yaml": "pyyaml"}


def require(module: str, purpose: str) -> ModuleType:
    """Import `module` or raise ImportError naming the package to install for `purpose`."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        package = _PIP.get(module.split(".")[0], module.split(".")[0])
        raise ImportError(f"{purpose} needs {package}: pip install 'stancekit[viz]' (or pip install {package}).") from err
