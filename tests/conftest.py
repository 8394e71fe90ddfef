import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
SEED_TEXT = ROOT / "seeds" / "ukraine_nato_healey_2025-02-12.txt"
SEED_GOLD = ROOT / "seeds" / "ukraine_nato_healey_2025-02-12.gold.json"


@pytest.fixture(scope="session")
def seed_gold():
    return json.loads(SEED_GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_text():
    return SEED_TEXT.read_text(encoding="utf-8")


def needs_shared_data(sub: str = ""):
    path = SHARED_DATA / sub
    return pytest.mark.skipif(not path.exists(), reason=f"needs the shared data sets at {path} (present in CI, absent in a user's clone)")
