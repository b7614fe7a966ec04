"""moving-shapes: deterministic clips that carry their factors; a zero factor is no motion."""

import pytest
import torch

from ganzoo.data import open_dataset
from ganzoo.errors import GanzooError
from ganzoo_datasets import moving_shapes
from ganzoo_datasets.moving_shapes import FACTORS, MAX_SCALE, render

STILL = {name: 0.0 for name in FACTORS}


def centroid(mask):
    """Per-frame (x, y) centre and area of the shapes' coverage (T, H, W)."""
    ys, xs = torch.meshgrid(torch.arange(mask.shape[1]), torch.arange(mask.shape[2]), indexing="ij")
    area = mask.sum((1, 2)).float()
    return (mask * xs).sum((1, 2)) / area, (mask * ys).sum((1, 2)) / area, area


def test_cached_clips_are_the_rendered_clips_and_stay_unchanged(monkeypatch):
    """Issue 17.4: clips come from a byte-bounded cache: each is its render, with the dataset's
    factor overrides, a caller writing into one does not change the next read, and the budget
    evicts the least recently used."""
    monkeypatch.setattr(moving_shapes, "_CLIPS", moving_shapes._ClipCache(3 * 3 * 4 * 8 * 8))  # three clips
    still = open_dataset("moving-shapes", 4, 8, size=6, seed=1, factors=STILL)
    moving = open_dataset("moving-shapes", 4, 8, size=6, seed=1)
    for i in range(6):
        assert torch.equal(still[i], render(1, i, 4, 8, STILL)[0]) and torch.equal(moving[i], render(1, i, 4, 8)[0])
    assert not torch.equal(still[5], moving[5])  # the overrides are part of the key
    clip = moving[4]
    clip.zero_()
    assert torch.equal(moving[4], render(1, 4, 4, 8)[0])
    cache = moving_shapes._CLIPS
    assert len(cache.clips) == 3 and cache.used == 3 * clip.numel()
    assert list(k[1] for k in cache.clips)[-1] == 4  # most recently used last


def test_shapes_dtype_and_determinism():
    a = open_dataset("moving-shapes", 16, 64, size=8, seed=5)
    b = open_dataset("moving-shapes", 16, 64, size=8, seed=5)
    c = open_dataset("moving-shapes", 16, 64, size=8, seed=6)
    assert a[3].shape == (3, 16, 64, 64) and a[3].dtype == torch.uint8
    assert torch.equal(a[3], b[3]) and not torch.equal(a[3], c[3])
    assert torch.equal(a[-1], a[7]) and a.fingerprint == b.fingerprint != c.fingerprint
    factors = a.info(3)["factors"]
    assert set(factors) == set(FACTORS) and all(-1 <= v <= 1 for v in factors.values())
    assert a.info(3)["factors"] != a.info(4)["factors"]
    # a longer clip starts with the shorter one: frame t does not depend on the length asked for
    long = open_dataset("moving-shapes", 24, 64, size=8, seed=5)
    assert torch.equal(long[3][:, :16], a[3])


def test_all_factors_zero_is_a_still_image():
    clip, _ = render(0, 1, 16, 64, STILL)
    assert torch.equal(clip, clip[:, :1].expand_as(clip))


@pytest.mark.parametrize("index", range(3))
def test_each_factor_alone_makes_only_its_motion(index):
    still, _, still_mask = render(0, index, 16, 64, STILL, return_mask=True)
    base_x, base_y, base_area = centroid(still_mask)

    def alone(name, value=1.0):
        clip, factors, mask = render(0, index, 16, 64, {**STILL, name: value}, return_mask=True)
        assert factors[name] == value and torch.equal(clip[:, 0], still[:, 0])  # frame 0: rest pose
        return clip, mask

    x, y, area = centroid(alone("dx")[1])
    assert (x - base_x).abs().max() > 5 and (y - base_y).abs().max() < 0.5
    x, y, area = centroid(alone("dy")[1])
    assert (y - base_y).abs().max() > 5 and (x - base_x).abs().max() < 0.5
    x, y, area = centroid(alone("scale")[1])
    assert area.max() > 0.9 * MAX_SCALE ** 2 * area[0] and (x - base_x).abs().max() < 1.0
    rotated, mask = alone("rotation")
    x, y, area = centroid(mask)
    assert not torch.equal(mask, still_mask) and (x - base_x).abs().max() < 1.0 and (y - base_y).abs().max() < 1.0
    bright, mask = alone("brightness")
    gain = bright.float().mean((0, 2, 3)) / still.float().mean((0, 2, 3))
    assert gain.max() > 1.2 and torch.equal(mask, still_mask)  # the frame brightens, nothing moves


def test_zeroing_one_factor_of_a_random_clip_removes_that_motion():
    data = open_dataset("moving-shapes", 16, 64, size=4, seed=2, factors={"dx": 0.0, "dy": 0.0})
    for i in range(4):
        info = data.info(i)["factors"]
        assert info["dx"] == info["dy"] == 0.0 and info["rotation"] != 0.0
        clip = data[i]
        _, _, mask = render(2, i, 16, 64, {**data.info(i)["factors"]}, return_mask=True)
        assert torch.equal(render(2, i, 16, 64, data.info(i)["factors"])[0], clip)
        x, y, _ = centroid(mask)
        assert (x - x[0]).abs().max() < 1.5 and (y - y[0]).abs().max() < 1.5
        assert not torch.equal(clip, clip[:, :1].expand_as(clip))  # the other factors still move


def test_factor_list_and_bad_factor():
    only_dx = open_dataset("moving-shapes", 8, 32, size=2, factors=["dx"])
    assert {k for k, v in only_dx.info(0)["factors"].items() if v != 0} == {"dx"}
    with pytest.raises(GanzooError, match="did you mean 'rotation'"):
        open_dataset("moving-shapes", 8, 32, factors={"rotaton": 0.0})
    with pytest.raises(GanzooError, match="does not take options"):
        open_dataset("moving-shapes", 8, 32, colour=True)
    with pytest.raises(IndexError):
        only_dx[2]
