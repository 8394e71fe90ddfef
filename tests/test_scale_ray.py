"""Scale-out on Ray Data: a local 2-CPU cluster scores rows with the models off (stance/sentiment False).

Slow-marked: starting Ray takes ~10 s. Runs in CI (`make test` runs slow tests; ray is in the dev extra).
"""
import pytest

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'stancekit[ray]' (the dev extra has it)")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield
    ray.shutdown()


def test_score_ray_on_a_local_cluster(local_cluster):
    from stancekit.scale.ray import score_ray

    rows = [{"id": f"d{i}", "text": f"“We will keep talking, round {i},” said Mr Smith.", "date": "2025-01-01"}
            for i in range(30)]
    rows += [{"id": "empty", "text": " ", "date": None}, {"id": "dup", "text": "“Yes,” said Anna Lee."},
             {"id": "dup", "text": "“No,” said Anna Lee."}]
    out = score_ray(rows, workers=2, batch_size=8, stance=False, sentiment=False).to_pandas()
    assert sorted(out["id"]) == sorted(r["id"] for r in rows)          # every row back, none dropped
    ok = out[out["error"].isna()]
    assert len(ok) == 32                                                # ids need not be unique in a data set
    assert set(ok["n_quotes"]) == {1}
    assert {s for sp in ok["speakers"] for s in sp} == {"Smith", "Anna Lee"}
    (err,) = out.loc[out["id"] == "empty", "error"]
    assert err.startswith("empty_text")
    assert {"quotes", "profiles", "stance_nato_membership", "stance_peace_talks"} <= set(out.columns)


def test_scorer_loads_the_pipeline_once_and_maps_pandas_batches():
    pd = pytest.importorskip("pandas")
    from stancekit.scale.ray import Scorer

    scorer = Scorer(stance=False, sentiment=False, text_column="body", id_column="key")
    batch = pd.DataFrame({"key": ["a", "b"], "body": ["“Fine,” said Mr Smith.", float("nan")]})
    out = scorer(batch)
    assert list(out["n_quotes"]) == [1, 0]
    assert pd.isna(out["error"][0]) and out["error"][1].startswith("missing_text")
