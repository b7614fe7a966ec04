"""Generation tools (activate, trajectory, longer, interpolate) and trajectory specs."""

import json

import av
import numpy as np
import pytest
import torch
from test_interpret_toybank import ToyBank

from ganzoo.errors import GanzooError
from ganzoo.interpret import editing
from ganzoo.interpret.motion_scores import MotionScorer
from ganzoo.interpret.trajectory import parse_trajectory


@pytest.fixture(scope="module")
def toy():
    return ToyBank(frames=5, resolution=32)


def _frames(path):
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def test_activate_only_one_direction_shows_only_its_motion(toy, tmp_path):
    result = editing.activate(toy, [0, 1, 5], tmp_path, n=2, seed=0, scorer=MotionScorer(max_flow=2.0))
    rows = result["rows"]
    assert rows["only d5"]["mean"]["frame"]["Phi"] < 1e-4  # d5 moves nothing
    # d1 alone: steady downward motion (mean alpha 0.8 px/step) lands in R2/R3
    down = rows["only d1"]["mean"]["frame"]["phi"]
    assert down[2] + down[3] > 4 * (down[0] + down[1])
    frames = _frames(tmp_path / "activate.mp4")
    assert len(frames) == 5
    # 4 rows x 2 videos, each 32 px video + 32 px flow beside it, padding 2
    assert frames[0].shape == (4 * 34 + 2, 2 * 66 + 2, 3)
    # the first frame's flow panel is the wheel's white centre
    assert frames[0][2:34, 36:66].min() > 235
    assert (tmp_path / "activate.gif").exists()
    assert json.loads((tmp_path / "activate.json").read_text())["directions"] == [0, 1, 5]


def test_trajectory_drives_a_direction_along_a_formula(toy, tmp_path):
    result = editing.trajectory(toy, "0=const*2", tmp_path, n=2, amplitude=1.0, scorer=MotionScorer(max_flow=4.0))
    assert result["trajectories"]["d0"].tolist() == [2.0] * 4
    # d0 at 2 px/step to the right and nothing else: flow u ~ 2, v ~ 0 on the square
    videos = toy(toy.edit(toy.make_latent(1, generator=torch.Generator().manual_seed(0)), only=[0],
                          trajectory={0: torch.full((4,), 2.0)}))
    _, flows = MotionScorer().score(videos)
    inner = flows[0, :, 12:20, 12:20].reshape(-1, 2)
    assert np.median(inner, axis=0) == pytest.approx([2.0, 0.0], abs=0.3)
    assert (tmp_path / "trajectory.mp4").exists() and (tmp_path / "trajectory.json").exists()


def test_trajectory_specs_and_their_errors(tmp_path):
    paths = parse_trajectory("1=sin,3=linear*0.5", steps=4, count=6, amplitude=2.0)
    assert paths[1] == pytest.approx(torch.tensor([0.0, 2.0, 0.0, -2.0]), abs=1e-6)
    assert paths[3] == pytest.approx(torch.tensor([-1.0, -1 / 3, 1 / 3, 1.0]))
    good = tmp_path / "good.csv"
    good.write_text("d1,d5\n0.1,1\n0.2,2\n0.3,3\n0.4,4\n")
    from_file = parse_trajectory(str(good), steps=4, count=6, amplitude=1.0)
    assert from_file[5].tolist() == [1.0, 2.0, 3.0, 4.0]
    short = tmp_path / "short.csv"
    short.write_text("1\n0.1\n0.2\n")
    with pytest.raises(GanzooError, match=r"short.csv has 2 rows of alpha, the video needs 4"):
        parse_trajectory(str(short), steps=4, count=6, amplitude=1.0)
    with pytest.raises(GanzooError, match="direction index 9 is outside 0..5"):
        parse_trajectory("9=sin", steps=4, count=6, amplitude=1.0)
    with pytest.raises(GanzooError, match="unknown trajectory formula 'sine'"):
        parse_trajectory("1=sine", steps=4, count=6, amplitude=1.0)
    with pytest.raises(GanzooError, match="does not exist"):
        parse_trajectory(str(tmp_path / "missing.csv"), steps=4, count=6, amplitude=1.0)


def test_longer_and_interpolate(toy, tmp_path):
    result = editing.longer(toy, tmp_path, frames=12, n=2)
    assert result["frames"] == 12 and len(result["Phi_per_step"]) == 11
    assert len(_frames(tmp_path / "longer.mp4")) == 12
    motion = editing.interpolate(toy, tmp_path, part="motion", steps=3, n=2)
    assert np.asarray(motion["Phi"]).shape == (2, 3)
    look = editing.interpolate(toy, tmp_path, part="appearance", steps=3, n=2)
    assert len(look["t"]) == 3 and (tmp_path / "interpolate_appearance.gif").exists()
    with pytest.raises(GanzooError, match="--part must be"):
        editing.interpolate(toy, tmp_path, part="colour")
