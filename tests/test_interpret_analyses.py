"""Direction statistics and the deactivation study on a generator whose motions are known."""

import json

import numpy as np
import pytest
import torch
from test_interpret_toybank import ToyBank

from ganzoo.errors import GanzooError
from ganzoo.interpret import deactivation, stats
from ganzoo.interpret.masks import foreground, load_provider
from ganzoo.interpret.motion_bank import parse_directions, require_motion_bank
from ganzoo.interpret.motion_scores import MotionScorer


@pytest.fixture(scope="module")
def toy():
    return ToyBank()


def test_statistics_find_the_directions_with_large_variance_and_mean(toy, tmp_path):
    result = stats.direction_statistics(toy, n=400, batch=100, seed=1, progress=False)
    # population variance over 5 steps of N(mu, s^2) has mean s^2 * 4/5
    assert result["var"] == pytest.approx((toy_std() ** 2 * 4 / 5).numpy(), rel=0.1)
    assert result["mean"][1] == pytest.approx(0.8, abs=0.05)
    assert stats.top_k(result["var"], 2) == [0, 1]
    assert stats.top_k(result["mean"], 1, absolute=True) == [1]
    summary = stats.write_statistics(result, tmp_path, top=3)
    assert summary["top_by_variance"] == [0, 1, 2]
    written = json.loads((tmp_path / "stats.json").read_text())
    assert written["top_by_mean"][0] == 1 and len(written["variance"]) == 6
    assert (tmp_path / "stats.csv").read_text().splitlines()[0].startswith("direction,mean")
    assert "| 0 | d1 |" in (tmp_path / "top.md").read_text()
    for name in ("alpha_mean.png", "alpha_variance.png", "alpha_curves.png"):
        assert (tmp_path / name).stat().st_size > 1000


def toy_std():
    from test_interpret_toybank import STD

    return STD


def test_deactivating_a_direction_removes_exactly_its_motion(toy, tmp_path):
    scorer = MotionScorer(max_flow=2.0, masks=foreground)
    result = deactivation.deactivation_study(toy, [0, 1, 5], n=4, batch=4, seed=2, scorer=scorer, progress=False)
    all_on, delta = result["conditions"]["all"], result["delta"]
    # d5 moves nothing: switching it off changes no pixel, so no score at all
    assert delta["d5 off"]["frame"]["Phi"] == 0.0 and delta["d5 off"]["foreground"]["phi"] == [0.0] * 4
    # d0 (right/left) and d1 (down, mean 0.8 px/step) each carry a large share of the motion
    assert delta["d0 off"]["frame"]["Phi"] < -0.2 * all_on["frame"]["Phi"]
    assert delta["d1 off"]["frame"]["Phi"] < -0.2 * all_on["frame"]["Phi"]
    # d1 moves the square down: with it off the "down" regions R2 + R3 lose most
    d1 = delta["d1 off"]["frame"]["phi"]
    assert d1[2] + d1[3] < d1[0] + d1[1]
    # in the flow itself: d0 off leaves no horizontal motion, d1 off no steady vertical motion
    latent = toy.make_latent(4, generator=torch.Generator().manual_seed(2))
    _, flows = scorer.score(toy(toy.edit(latent, deactivate=[0])))
    _, flows_all = scorer.score(toy(latent))
    inner = (slice(None), slice(None), slice(10, 22), slice(10, 22))
    assert np.abs(flows[inner][..., 0]).mean() < 0.15 < np.abs(flows_all[inner][..., 0]).mean()
    assert flows[inner][..., 1].mean() == pytest.approx(flows_all[inner][..., 1].mean(), abs=0.1)
    # the markdown table and the JSON land next to the bar charts
    deactivation.write_study(result, tmp_path)
    table = (tmp_path / "deactivation.md").read_text()
    assert "| frame | d1 off |" in table and "| foreground | all |" in table
    data = json.loads((tmp_path / "deactivation.json").read_text())
    assert data["protocol"]["flow_method"] == "farneback" and data["protocol"]["max_flow_px"] == 2.0
    assert (tmp_path / "deactivation_foreground.png").exists()


def test_bad_directions_and_models_without_a_motion_bank_are_clear_errors(toy):
    assert parse_directions("1, 5", 6) == [1, 5]
    with pytest.raises(GanzooError, match="direction index 6 is outside 0..5"):
        parse_directions("0,6", 6)
    with pytest.raises(GanzooError, match="comma-separated integers"):
        parse_directions("one", 6)

    class NoBank(torch.nn.Module):
        pass

    with pytest.raises(GanzooError, match="model 'mocogan' has none. Models that have one: .*inmodegan"):
        require_motion_bank(NoBank(), model="mocogan", analysis="direction statistics")
    assert require_motion_bank(toy) is toy


def test_mask_providers():
    video = torch.full((1, 3, 2, 8, 8), 40, dtype=torch.uint8)
    video[..., 2:5, 3:6] = 200
    mask = foreground(video)["foreground"]
    assert mask.shape == (1, 2, 8, 8) and mask.sum() == 2 * 9
    assert load_provider("foreground") is foreground
    assert load_provider("ganzoo.interpret.masks:foreground") is foreground
    with pytest.raises(GanzooError, match="unknown mask provider 'face'"):
        load_provider("face")
    with pytest.raises(GanzooError, match="cannot import 'no_such_module'"):
        load_provider("no_such_module:parse")


def test_foreground_masks_match_the_true_shapes_of_moving_shapes():
    from ganzoo_datasets.moving_shapes import render

    ious = []
    for index in range(8):
        clip, _, coverage = render(0, index, 8, 32, return_mask=True)
        mask = foreground(clip[None])["foreground"][0]
        truth = coverage.numpy() > 0.5
        ious.append((mask & truth).sum() / (mask | truth).sum())
    assert min(ious) > 0.85
