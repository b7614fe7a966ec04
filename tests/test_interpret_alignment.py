"""Ground-truth alignment: estimators checked on moving-shapes, NMI matrix and MIG on a
generator whose directions are known, against random directions."""

import json

import numpy as np
import pytest
from test_interpret_toybank import ToyBank

from ganzoo.interpret import alignment


def test_mutual_information_and_mig_on_known_cases():
    a = np.repeat(np.arange(4), 24)
    assert alignment.mutual_information(a, a) == pytest.approx(np.log(4))
    assert alignment.mutual_information(a, np.tile(np.arange(4), 24)) == pytest.approx(0.0, abs=1e-12)
    assert alignment.mig(np.eye(3)) == pytest.approx(1.0)
    assert alignment.mig(np.full((3, 3), 0.5)) == pytest.approx(0.0)
    drive = np.linspace(-1, 1, 40)
    noise = np.random.default_rng(0).normal(size=(40, 8))
    row = alignment.nmi_row(drive, np.concatenate([drive[:, None] ** 3, noise], 1), bins=5)
    assert row[0] == pytest.approx(1.0)   # any monotone relation is perfect
    assert row[1:].mean() < 0.08          # chance-corrected: noise scores near 0 even for 40 samples


def test_estimators_follow_the_true_factors_of_moving_shapes():
    from ganzoo.data import open_dataset

    dataset = open_dataset("moving-shapes", frames=8, resolution=32, size=48, seed=0)
    check = alignment.estimator_check(dataset, n=48, progress=False)
    diagonal = np.diag(check)
    assert diagonal[[0, 1, 4]].min() > 0.85          # translation and brightness: near perfect
    assert diagonal[[2, 3]].min() > 0.35             # turn and zoom of 32 px shapes: readable
    off = check[~np.eye(5, dtype=bool)]
    assert np.abs(off).max() < 0.5


def test_known_directions_align_with_their_factors_and_beat_random_ones(tmp_path):
    toy = ToyBank(frames=6, resolution=32)
    result = alignment.align(toy, [0, 1, 2, 3, 4], n=32, batch=32, seed=0, random_directions=3, progress=False)
    matrix = np.asarray(result["matrix"])
    # each toy direction's best factor is its own: d0 dx, d1 dy, d2 rotation, d3 scale, d4 brightness
    assert [p["best_factor"] for p in result["per_direction"]] == ["dx", "dy", "rotation", "scale", "brightness"]
    assert np.diag(matrix).min() > 0.8
    assert result["mig"] > result["random_mig"] + 0.2
    alignment.write_alignment(result, tmp_path, check=np.eye(5))
    table = (tmp_path / "align.md").read_text()
    assert "| MIG |" in table and "random0" in table and "Estimator check" in table
    data = json.loads((tmp_path / "align.json").read_text())
    assert data["mig"] == pytest.approx(result["mig"]) and len(data["random_matrix"]) == 3
    assert (tmp_path / "align_matrix.png").exists()
