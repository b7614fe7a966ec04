"""phi_i / Phi (InMoDeGAN Eq. 6-7, Sec. 4.3) on flow fields small enough to score by hand,
in the paper's reading (normalize="region") and the earlier one (normalize="area")."""

import numpy as np
import pytest

from ganzoo.errors import GanzooError
from ganzoo.interpret import regions
from ganzoo.interpret.motion_scores import MotionScorer

H = 10.0  # wheel radius: lambda = |f| / 10, no vector below reaches the rim


def two_pairs():
    """Two frame pairs of 2 x 2 pixels, different content in each: float (2, 2, 2, 2).

    pair 0: (3,-4) R1 lam .5 | (6,-8) R1 lam 1.0     pair 1: (0,-2) R1 lam .2 | (-6,8) R2 lam 1.0
            (-3,4) R2 lam .5 | (0,0) zero                    (0,0) zero       | (4,3)  R3 lam .5
    (0,-2) is on the axis: u = 0 >= 0 puts it in R1. R0 has no pixel.
    """
    field = np.zeros((2, 2, 2, 2))
    field[0] = [[(3, -4), (6, -8)], [(-3, 4), (0, 0)]]
    field[1] = [[(0, -2), (-6, 8)], [(0, 0), (4, 3)]]
    return field


def mask_per_pair():
    """Pair 0 keeps its top row; pair 1 keeps all but its top-right pixel: N = 2 + 3 = 5."""
    return np.array([[[True, True], [False, False]], [[True, False], [True, True]]])


def test_region_reading_pools_n_i_over_the_video_and_leaves_zero_vectors_out_of_r3():
    values, total = regions.phi(two_pairs(), max_flow=H)
    # R1: N_1 = 3 pooled over both pairs, (.5 + 1.0 + .2) / 3 = 1.7 / 3
    #     (per pair then averaged would be (1.5 / 2 + .2 / 1) / 2 = .475)
    # R2: N_2 = 2, (.5 + 1.0) / 2 = .75
    # R3: N_3 = 1, the two zero vectors counted in no region: .5 / 1 = .5 (with them: .5 / 3)
    # R0: N_0 = 0 -> 0
    assert values == pytest.approx([0.0, 1.7 / 3, 0.75, 0.5])
    # Eq. 7: N = 8 pixels (zero vectors included), (1.7 + 1.5 + .5) / 8 = .4625
    assert total == pytest.approx(3.7 / 8)


def test_area_reading_divides_by_the_area_per_pair_and_sums_to_phi():
    values, total = regions.phi(two_pairs(), max_flow=H, normalize="area")
    # |P| = 4 per pair. pair 0: R1 1.5/4, R2 .5/4; pair 1: R1 .2/4, R2 1.0/4, R3 .5/4
    # averaged over pairs: R1 (.375 + .05)/2 = .2125, R2 (.125 + .25)/2 = .1875, R3 .0625
    assert values == pytest.approx([0.0, 0.2125, 0.1875, 0.0625])
    assert total == pytest.approx(0.4625)  # = sum_i phi_i; equals Eq. 7 here as |P| is constant


def test_region_reading_counts_only_masked_pixels_and_an_emptied_region_scores_zero():
    values, total = regions.phi(two_pairs(), max_flow=H, mask=mask_per_pair())
    # kept: pair 0 (3,-4) .5 R1, (6,-8) 1.0 R1; pair 1 (0,-2) .2 R1, (0,0) zero, (4,3) .5 R3
    # R1: 1.7 / 3; R2: both its pixels masked out, N_2 = 0 -> 0; R3: .5 / 1; R0: 0
    assert values == pytest.approx([0.0, 1.7 / 3, 0.0, 0.5])
    assert total == pytest.approx(2.2 / 5)  # N = 5 masked pixels, lambda sum 1.7 + .5


def test_area_reading_with_a_mask_that_changes_size_between_pairs():
    values, total = regions.phi(two_pairs(), max_flow=H, mask=mask_per_pair(), normalize="area")
    # pair 0: |P| = 2, R1 1.5/2 = .75; pair 1: |P| = 3, R1 .2/3, R3 .5/3
    # R1 (.75 + 1/15)/2 = 49/120, R3 (1/6)/2 = 10/120, Phi = 59/120 (Eq. 7's pooled mean: .44)
    assert values == pytest.approx([0.0, 49 / 120, 0.0, 10 / 120])
    assert total == pytest.approx(59 / 120)


def test_region_reading_is_a_mean_so_a_bigger_moving_patch_keeps_phi_i_and_raises_phi():
    small, big = np.zeros((1, 4, 4, 2)), np.zeros((1, 4, 4, 2))
    small[0, 0, 0] = (-3, -4)   # one pixel left-up (R0), lambda .5; 15 still pixels
    big[0, :2, :2] = (-3, -4)   # four such pixels
    (phi_small, total_small), (phi_big, total_big) = (regions.phi(f, max_flow=H) for f in (small, big))
    assert phi_small == pytest.approx([0.5, 0, 0, 0]) and phi_big == pytest.approx([0.5, 0, 0, 0])
    assert total_small == pytest.approx(0.5 / 16) and total_big == pytest.approx(4 * 0.5 / 16)
    area_small, _ = regions.phi(small, max_flow=H, normalize="area")
    assert area_small == pytest.approx([0.5 / 16, 0, 0, 0])


@pytest.mark.parametrize("normalize", ["region", "area"])
def test_still_video_and_empty_mask_score_zero_without_warnings(normalize):
    with np.errstate(all="raise"):
        values, total = regions.phi(np.zeros((2, 3, 3, 2)), max_flow=H, normalize=normalize)
        assert values.tolist() == [0.0] * 4 and total == 0.0
        values, total = regions.phi(np.ones((2, 3, 3, 2)), max_flow=H, mask=np.zeros((3, 3), bool),
                                    normalize=normalize)
        assert values.tolist() == [0.0] * 4 and total == 0.0


def test_region_reading_clips_lambda_at_the_rim_and_accepts_frame_masks():
    field = np.zeros((2, 2, 2, 2))
    field[:, 0, 0] = (-30, 40)  # R2, |f| = 50 = 5 H: lambda clipped to 1
    field[:, 1, 1] = (3, 4)     # R3, lambda .5
    assert regions.phi(field, max_flow=H)[0] == pytest.approx([0, 0, 1.0, 0.5])
    assert regions.phi(field, max_flow=H, clip=False)[0] == pytest.approx([0, 0, 5.0, 0.5])
    # an (F + 1, H, W) mask of per-frame masks: the first F are used; the third would keep R3
    frames = np.zeros((3, 2, 2), dtype=bool)
    frames[:2, 0, 0] = True
    frames[2] = True
    values, total = regions.phi(field, max_flow=H, mask=frames)
    assert values == pytest.approx([0, 0, 1.0, 0]) and total == pytest.approx(1.0)


def test_an_unknown_reading_is_a_one_line_error():
    with pytest.raises(GanzooError, match="normalize must be one of 'region', 'area'.*got 'pixels'"):
        regions.phi(two_pairs(), max_flow=H, normalize="pixels")
    with pytest.raises(GanzooError, match="normalize must be one of"):
        MotionScorer(normalize="mean")


def _left_column_moves(prev, nxt):
    """A stand-in flow estimator: in a 4 x 4 frame the left column moves (1, 0), the rest is still."""
    field = np.zeros((4, 4, 2), dtype=np.float32)
    field[:, 0] = (1.0, 0.0)  # v = 0 >= 0: R3; lambda = 1 / 2 = .5
    return field


def _left_half(videos):
    mask = np.zeros((videos.shape[0], *videos.shape[2:]), dtype=bool)
    mask[..., :2] = True
    return {"left": mask}


@pytest.mark.parametrize("normalize, frame, left", [
    # region: phi_3 = .5 (4 R3 pixels of lambda .5 per pair); Phi = 4 * .5 / 16 (frame), / 8 (left half)
    ("region", ([0, 0, 0, 0.5], 0.125), ([0, 0, 0, 0.5], 0.25)),
    # area: phi_3 = 4 * .5 / |P| with |P| = 16 (frame) or 8 (left half); Phi = phi_3
    ("area", ([0, 0, 0, 0.125], 0.125), ([0, 0, 0, 0.25], 0.25)),
])
def test_the_scorer_scores_with_its_reading_and_records_it(normalize, frame, left):
    scorer = MotionScorer(max_flow=2.0, masks=_left_half, normalize=normalize)
    scorer.estimate = _left_column_moves
    scores, _ = scorer.score(np.zeros((1, 3, 3, 4, 4), dtype=np.uint8))  # (B, 3, T, H, W), 2 frame pairs
    for area, (phi, total) in {"frame": frame, "left": left}.items():
        assert scores[0][area]["phi"] == pytest.approx(phi) and scores[0][area]["Phi"] == pytest.approx(total)
    protocol = scorer.protocol(4)
    assert protocol["normalize"] == normalize and protocol["reading"] == regions.READINGS[normalize]
