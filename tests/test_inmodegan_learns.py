"""The ``small`` preset learns moving-shapes (slow: ``tox -e slow``; it prints its wall time, which
benchmarks, not tests, judge)."""

import pytest

from ganzoo.config import DataConfig, resolve_run
from ganzoo.build import build_generator


@pytest.mark.slow
def test_small_preset_learns_moving_shapes(tmp_path):
    from ganzoo.metrics import evaluate
    from ganzoo.train import train
    from ganzoo.checkpoints import load_generator

    run = resolve_run("inmodegan", "small", overrides=["schedule.sample_every=0", "schedule.checkpoint_every=500"],
                      data=DataConfig("moving-shapes"))
    untrained = build_generator(run.model).eval()
    score = lambda g: evaluate("fid-shapes", "moving-shapes", g, n=256, batch=32, seed=1).value  # noqa: E731
    before = score(untrained)
    result = train(run, tmp_path / "run", progress=False)
    trained, _ = load_generator(result["checkpoint"])
    after = score(trained)
    print(f"small preset: {result['wall_time']:.0f} s of training, fid-shapes {before:.1f} -> {after:.1f}")
    assert after < 0.5 * before, f"fid-shapes {before:.1f} -> {after:.1f}: the small preset did not learn"
