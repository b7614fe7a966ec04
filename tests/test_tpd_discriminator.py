"""Temporal Pyramid Discriminator (InMoDeGAN Sec. 3.3): frames 0, v, 2v, ... stacked along channels."""

import pytest
import torch

from ganzoo import registry
from ganzoo.config import resolve_run
from ganzoo.errors import GanzooError, IncompatibleError
from ganzoo_tpd import TemporalPyramidDiscriminator, pyramid_indices

TINY_D = dict(resolution=16, channel_base=128, channel_max=8)


def index_coded_video(batch, frames, size=16):
    """Every pixel of frame t (all channels) holds t, and channel c adds 100 * c."""
    t = torch.arange(frames, dtype=torch.float32)[None, None, :, None, None]
    c = 100 * torch.arange(3, dtype=torch.float32)[None, :, None, None, None]
    return (t + c).expand(batch, 3, frames, size, size).contiguous()


def test_pyramid_indices_match_the_paper():
    assert pyramid_indices(16, 1) == list(range(16))
    assert pyramid_indices(16, 3) == [0, 3, 6, 9, 12, 15]
    assert pyramid_indices(16, 5) == [0, 5, 10, 15]
    assert pyramid_indices(16, 7) == [0, 7, 14]


def test_each_sub_discriminator_gets_frames_0_v_2v():
    tpd = TemporalPyramidDiscriminator(frames=16, speeds=[1, 3, 5, 7], **TINY_D)
    seen = {}
    for v, sub in tpd.subs.items():
        sub.register_forward_pre_hook(lambda mod, args, v=v: seen.__setitem__(int(v), args[0].clone()))
    logits = tpd(index_coded_video(2, 16))
    assert len(logits) == 4 and all(l.shape == (2,) for l in logits)
    for v in (1, 3, 5, 7):
        x = seen[v]
        frames = pyramid_indices(16, v)
        assert x.shape == (2, 3 * len(frames), 16, 16)
        # time to channel, frame-major: channel 3k + c holds frame frames[k], colour c
        expected = torch.tensor([f + 100 * c for f in frames for c in range(3)], dtype=torch.float32)
        assert torch.equal(x[0, :, 5, 5], expected) and torch.equal(x[1, :, 0, 0], expected)


def test_random_start_keeps_the_step_and_stays_inside():
    torch.manual_seed(0)
    tpd = TemporalPyramidDiscriminator(frames=8, speeds=[2, 3], start="random", **TINY_D)
    starts = set()
    for _ in range(10):
        for v, x in zip((2, 3), tpd.stacks(index_coded_video(4, 8))):
            got = x[:, 0::3, 0, 0]  # red channel of each stacked frame = the frame index
            assert (got[:, 1:] - got[:, :-1] == v).all() and (got >= 0).all() and (got <= 7).all()
            starts.update(got[:, 0].tolist())
    assert starts == {0.0, 1.0}  # v=2: K=4 frames span 7 of 8, so s is 0 or 1; v=3: K=3 spans 7 too


def test_check_names_the_speed_that_needs_more_frames():
    with pytest.raises(IncompatibleError, match="speed v=7 needs at least 8 frames.*makes 6"):
        TemporalPyramidDiscriminator.check(frames=6, resolution=64, channels=3, speeds=[1, 3, 5, 7])
    TemporalPyramidDiscriminator.check(frames=8, resolution=64, channels=3, speeds=[1, 3, 5, 7])
    for speeds, message in (([], "empty"), ([0], "positive"), ([1, 1], "repeat")):
        with pytest.raises(IncompatibleError, match=message):
            TemporalPyramidDiscriminator.check(frames=8, resolution=64, speeds=speeds)
    with pytest.raises(IncompatibleError, match="power-of-two"):
        TemporalPyramidDiscriminator.check(frames=8, resolution=48)
    with pytest.raises(IncompatibleError, match="start"):
        TemporalPyramidDiscriminator.check(frames=8, resolution=64, start="middle")


def test_wrong_video_shape_is_a_clear_error():
    tpd = TemporalPyramidDiscriminator(frames=8, speeds=[1, 3], **TINY_D)
    with pytest.raises(GanzooError, match="built for .3 channels, 8 frames."):
        tpd(torch.zeros(1, 3, 6, 16, 16))


def test_tpd_is_registered_and_swaps_into_other_models():
    entry = registry.get("discriminators", "tpd")
    assert entry.factory is TemporalPyramidDiscriminator and entry.factory.consumes == "video"
    run = resolve_run("inmodegan", "tiny")
    assert run.model.discriminators["video"].name == "tpd" and run.model.discriminators["video"].weight == 0.5
    with pytest.raises(IncompatibleError, match="role 'video'.*speed v=5"):
        resolve_run("inmodegan", "tiny", overrides=["model.discriminators.video.kwargs.speeds=[1, 5]", "model.frames=4"])


def test_plain_parametrization_is_the_same_network_trained_as_plain_layers():
    """``parametrization="plain"`` (the baselines' swap): same function at init, but Adam's first
    step moves each effective weight by about lr instead of lr / sqrt(fan_in)."""
    video = torch.randn(4, 3, 8, 16, 16)
    nets = {}
    for kind in ("equalized", "plain"):
        torch.manual_seed(0)
        nets[kind] = TemporalPyramidDiscriminator(frames=8, speeds=[1, 3], parametrization=kind, **TINY_D)
    for a, b in zip(nets["equalized"](video), nets["plain"](video)):
        assert torch.allclose(a, b, atol=1e-5)
    moved = {}
    for kind, net in nets.items():
        layer = net.subs["1"].from_rgb.conv
        before = (layer.weight * layer.scale).detach().clone()
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        sum(x.sum() for x in net(video)).backward()
        opt.step()
        moved[kind] = ((layer.weight * layer.scale).detach() - before).abs().max().item()
    fan_in = 3 * 8 * 1 * 1  # from_rgb: 1x1 conv over 8 stacked frames
    assert moved["plain"] == pytest.approx(1e-3, rel=0.01)
    assert moved["plain"] / moved["equalized"] == pytest.approx(fan_in**0.5, rel=0.01)
    with pytest.raises(IncompatibleError, match="parametrization must be one of"):
        TemporalPyramidDiscriminator(frames=8, speeds=[1], parametrization="spectral", **TINY_D)
