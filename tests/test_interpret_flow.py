"""Colour wheel, optical flow, regions and phi (InMoDeGAN Sec. 4.3, Eq. 6-7)."""

import numpy as np
import pytest
import torch

from ganzoo.errors import GanzooError
from ganzoo.interpret import colorwheel, flow, regions

# The published Middlebury wheel (Baker et al. 2011, colorcode.cpp makecolorwheel):
# ramps RY 15, YG 6, GC 4, CB 11, BM 13, MR 6, one channel moving as floor(255 * i / n).
PUBLISHED = {
    0: (255, 0, 0), 1: (255, 17, 0), 14: (255, 238, 0),     # RY
    15: (255, 255, 0), 16: (213, 255, 0), 20: (43, 255, 0),  # YG
    21: (0, 255, 0), 22: (0, 255, 63), 24: (0, 255, 191),    # GC
    25: (0, 255, 255), 26: (0, 232, 255), 35: (0, 24, 255),  # CB
    36: (0, 0, 255), 37: (19, 0, 255), 48: (235, 0, 255),    # BM
    49: (255, 0, 255), 50: (255, 0, 213), 54: (255, 0, 43),  # MR
}


def test_colorwheel_matches_published_middlebury_wheel():
    wheel = colorwheel.make_colorwheel()
    assert wheel.shape == (55, 3) and wheel.dtype == np.uint8
    for index, rgb in PUBLISHED.items():
        assert tuple(int(c) for c in wheel[index]) == rgb, index
    # each ramp moves exactly one channel, monotonically
    starts = np.cumsum([0, 15, 6, 4, 11, 13])
    for start, (_, n) in zip(starts, colorwheel.RAMPS):
        moving = np.abs(np.diff(wheel[start:start + n].astype(int), axis=0)).sum(0)
        assert (moving > 0).sum() == 1


def test_flow_to_color_matches_published_colour_code():
    # values of computeColor(u, v) in the published tool, worked out by hand
    cases = {
        (0.0, 0.0): (255, 255, 255),   # no motion: white centre
        (1.0, 0.0): (255, 0, 0),       # right: red
        (0.0, 1.0): (255, 229, 0),     # down: between wheel[13] and wheel[14]
        (-1.0, 0.0): (0, 209, 255),    # left: wheel[27]
        (0.0, -1.0): (88, 0, 255),     # up: between wheel[40] and wheel[41]
        (0.5, 0.0): (255, 127, 127),   # half radius: half desaturated
        (2.0, 0.0): (191, 0, 0),       # beyond the rim: darkened to 75 %
    }
    vectors = np.array(list(cases), dtype=np.float64)
    colours = colorwheel.flow_to_color(vectors, max_flow=1.0)
    for vector, colour in zip(cases, colours):
        assert tuple(int(c) for c in colour) == cases[vector], vector


def test_wheel_image_is_white_in_the_centre_and_red_on_the_right_rim():
    image = colorwheel.wheel_image(65)
    assert tuple(image[32, 32]) == (255, 255, 255)
    right = image[32, 63].astype(int)
    assert right[0] > 240 and right[1] < 20 and right[2] < 60


@pytest.mark.parametrize("normalize", ["region", "area"])
@pytest.mark.parametrize("u, v, region", [(-2, -1, 0), (2, -1, 1), (-2, 1, 2), (2, 1, 3)])
def test_phi_uniform_flow_lands_in_its_region_with_its_magnitude(u, v, region, normalize):
    # every pixel moves the same way: N_i = N = |P|, so both readings agree
    field = np.zeros((3, 8, 8, 2))
    field[..., 0], field[..., 1] = u, v
    values, total = regions.phi(field, max_flow=4.0, normalize=normalize)
    expected = np.hypot(u, v) / 4.0
    assert values[region] == pytest.approx(expected)
    assert np.delete(values, region) == pytest.approx(np.zeros(3))
    assert total == pytest.approx(expected)
    assert regions.OPPOSITE[region] == regions.region_of(np.array([-u, -v]))


def test_phi_area_reading_mixes_regions_by_area_and_clips_at_the_rim():
    # normalize="area": each region's lambda over the whole analysed area
    field = np.zeros((1, 4, 4, 2))
    field[0, :, :2] = (1.0, -1.0)    # half the frame right-up (R1), length sqrt 2
    field[0, :, 2:] = (-10.0, 10.0)  # the other half far left-down (R2), beyond the rim
    values, total = regions.phi(field, max_flow=2.0, normalize="area")
    assert values[1] == pytest.approx(0.5 * np.sqrt(2) / 2)
    assert values[2] == pytest.approx(0.5)  # clipped lambda = 1
    unclipped, _ = regions.phi(field, max_flow=2.0, clip=False, normalize="area")
    assert unclipped[2] == pytest.approx(0.5 * np.hypot(10, 10) / 2)
    # a mask keeps only the R1 half
    mask = np.zeros((4, 4), dtype=bool)
    mask[:, :2] = True
    masked, masked_total = regions.phi(field, max_flow=2.0, mask=mask, normalize="area")
    assert masked[1] == pytest.approx(np.sqrt(2) / 2) and masked[2] == 0
    assert masked_total == pytest.approx(np.sqrt(2) / 2)


def test_phi_rejects_wrong_shapes():
    with pytest.raises(GanzooError, match="flow must be"):
        regions.phi(np.zeros((4, 4, 2)), max_flow=1.0)
    with pytest.raises(GanzooError, match="does not fit"):
        regions.phi(np.zeros((2, 4, 4, 2)), max_flow=1.0, mask=np.ones((5, 5), bool))
    with pytest.raises(GanzooError, match="max_flow"):
        regions.phi(np.zeros((2, 4, 4, 2)), max_flow=0)


def _moving_texture(dx, dy, frames=4, size=48, seed=0):
    """A smooth random texture translated by (dx, dy) pixels per frame: uint8 (3, T, H, W)."""
    import cv2

    rng = np.random.default_rng(seed)
    big = cv2.GaussianBlur(rng.uniform(0, 255, (size * 2, size * 2)).astype(np.float32), (0, 0), 2.0)
    big = cv2.normalize(big, None, 0, 255, cv2.NORM_MINMAX)
    clips = []
    for t in range(frames):
        ox, oy = size // 2 - dx * t, size // 2 - dy * t
        clips.append(big[oy:oy + size, ox:ox + size])
    gray = np.stack(clips).astype(np.uint8)
    return torch.from_numpy(np.repeat(gray[None], 3, axis=0))


@pytest.mark.parametrize("method", ["farneback", "dis"])
def test_estimated_flow_of_a_translating_texture_gives_the_right_region(method):
    video = _moving_texture(2, -1)  # right and up: R1
    field = flow.video_flow(video, method=method)
    assert field.shape == (3, 48, 48, 2)
    inner = field[:, 8:-8, 8:-8].reshape(-1, 2)
    assert np.median(inner, axis=0) == pytest.approx([2.0, -1.0], abs=0.25)
    values, total = regions.phi(field[:, 8:-8, 8:-8], max_flow=4.0)
    assert int(np.argmax(values)) == 1
    assert total == pytest.approx(np.hypot(2, 1) / 4.0, rel=0.15)


def test_flow_accepts_float_batches_and_rejects_bad_input():
    video = _moving_texture(1, 1, frames=3, size=32)
    as_float = video.float().div(127.5).sub(1)[None]  # (1, 3, T, H, W) in [-1, 1]
    assert flow.batch_flow(as_float).shape == (1, 2, 32, 32, 2)
    with pytest.raises(GanzooError, match="unknown flow method 'farnebak'; did you mean 'farneback'"):
        flow.video_flow(video, method="farnebak")
    with pytest.raises(GanzooError, match="at least 2 frames"):
        flow.video_flow(video[:, :1])
    with pytest.raises(GanzooError, match=r"\(3, T, H, W\)"):
        flow.video_flow(video[:2])


def test_tvl1_without_contrib_is_a_clear_error(monkeypatch):
    import cv2

    monkeypatch.delattr(cv2, "optflow", raising=False)
    with pytest.raises(GanzooError, match="opencv-contrib"):
        flow.get_method("tvl1")


def test_region_numbering_png(tmp_path):
    path = regions.draw_regions(tmp_path / "regions.png")
    import matplotlib.image

    image = matplotlib.image.imread(path)
    assert image.shape[0] > 100 and image.shape[2] in (3, 4)
