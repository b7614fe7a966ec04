"""TGAN (Saito et al. 2017): parameter counts from the paper's network table, the temporal and
image generators, the latent, singular value clipping (the engine's regularizer) and the spec."""

import math

import pytest
import torch

from ganzoo import config, registry
from ganzoo.errors import GanzooError, IncompatibleError
from ganzoo_tgan import TGANGenerator, TGANVideoDiscriminator
from ganzoo_tgan import generator as generator_module

from conftest import build_net as build, count_params as count


def conv(c_in, c_out, kernel, bias):
    """Parameters of a (transposed) convolution or linear layer; ``bias`` where no batch norm follows."""
    return c_in * c_out * math.prod(kernel) + (c_out if bias else 0)


def bn(channels):
    return 2 * channels



def tiny():
    return TGANGenerator(frames=8, resolution=16, z0_dim=16, z1_dim=16, temporal_width=32, width=32)


def test_paper_parameter_counts_equal_the_network_table():
    # G0: z0 (100) -> deconv1d k1 512 -> k4 s2: 256, 128, 128 (BN + ReLU each) -> 100 (tanh).
    # G1: linear(z0) and linear(z1) to 256*4*4 each (BN + ReLU), concat 512x4x4 -> deconv 4x4 s2
    #     256, 128, 64, 32 (BN + ReLU) -> deconv 3x3 s1 to 3 (tanh).
    # D: conv3d 4x4x4 s2 3->64 (no BN) ->128->256->512 (BN), conv2d 4x4 512->1 per time slice.
    temporal = conv(100, 512, (1,), False) + bn(512) + conv(512, 256, (4,), False) + bn(256) \
        + conv(256, 128, (4,), False) + bn(128) + conv(128, 128, (4,), False) + bn(128) + conv(128, 100, (4,), True)
    image = 2 * (conv(100, 256 * 16, (), False) + bn(256 * 16)) + conv(512, 256, (4, 4), False) + bn(256) \
        + conv(256, 128, (4, 4), False) + bn(128) + conv(128, 64, (4, 4), False) + bn(64) \
        + conv(64, 32, (4, 4), False) + bn(32) + conv(32, 3, (3, 3), True)
    k3 = (4, 4, 4)
    critic = conv(3, 64, k3, True) + conv(64, 128, k3, False) + bn(128) + conv(128, 256, k3, False) + bn(256) \
        + conv(256, 512, k3, False) + bn(512) + conv(512, 1, (4, 4), True)
    spec = config.model_spec("tgan")
    assert (spec.frames, spec.resolution) == (16, 64)
    g = build(spec, "generator")
    assert count(g.temporal) == temporal == 825_444
    assert count(g.image) == image == 3_622_691
    assert count(build(spec, "video")) == critic == 11_032_385


def test_temporal_generator_makes_one_code_per_frame_and_image_generator_renders_them():
    g = tiny().eval()
    with torch.no_grad():  # weights large enough for frames to differ visibly (init is U(-0.01, 0.01))
        for p in g.parameters():
            p.normal_(0, 0.3)
    latent = g.make_latent(3, generator=torch.Generator().manual_seed(0))
    z0 = latent["z0"]
    assert z0.shape == (3, 16) and z0.min() >= -1 and z0.max() <= 1 and z0.min() < -0.5 < 0.5 < z0.max()
    z1 = g.frame_codes(latent)
    assert z1.shape == (3, 8, 16) and z1.abs().max() <= 1  # tanh
    video = g(latent)
    assert video.shape == (3, 3, 8, 16, 16) and video.abs().max() <= 1
    # frame t is G1(z0, z1^t), rendered independently of the other frames
    frame = g.image(z0, z1[:, 5])
    torch.testing.assert_close(video[:, :, 5], frame, atol=1e-6, rtol=0)
    # a latent carrying its own frame codes bypasses G0: a constant code gives a still video
    still = g({"z0": z0, "z1": z1[:, :1].expand(-1, 8, -1)})
    torch.testing.assert_close(still, still[:, :, :1].expand_as(still), atol=1e-6, rtol=0)
    assert not torch.allclose(video, video[:, :, :1].expand_as(video), atol=1e-3)


def test_channels_last_image_generator_equals_the_default_layout(monkeypatch):
    """The CPU's channels-last G1 (issue 17.4): the same video and gradients as the default layout."""
    torch.manual_seed(0)
    g = tiny().train()
    latent = g.make_latent(2, generator=torch.Generator().manual_seed(1))

    def video_and_grads():
        video = g(latent)
        return video.detach(), torch.autograd.grad(video.square().sum(), list(g.parameters()))

    fast, fast_grads = video_and_grads()
    monkeypatch.setattr(generator_module, "channels_last_on_cpu", lambda x: x)
    plain, plain_grads = video_and_grads()
    torch.testing.assert_close(fast, plain, rtol=1e-5, atol=1e-6)
    scale = max(a.abs().max() for a in fast_grads)  # batch norm's gradients cancel to tiny sums:
    for a, b in zip(fast_grads, plain_grads):  # rounding is relative to the terms, not the sum
        assert (a - b).abs().max() <= 1e-5 * scale


def test_latent_is_seeded_and_only_the_trained_length_exists():
    g = tiny().eval()
    a = g.make_latent(2, generator=torch.Generator().manual_seed(4))
    b = g.make_latent(2, generator=torch.Generator().manual_seed(4))
    assert torch.equal(a["z0"], b["z0"]) and torch.equal(g(a), g(b))
    assert g.max_frames == 8
    with pytest.raises(GanzooError, match="exactly 8 frames"):
        g.make_latent(1, frames=4)
    with pytest.raises(GanzooError, match="frames must be 2, 4, 8, 16"):
        TGANGenerator(frames=12, resolution=16)
    with pytest.raises(IncompatibleError, match="multiple of 16, the model makes 8"):
        TGANVideoDiscriminator.check(frames=8, resolution=64)


def largest_singular_value(weight, transposed=False):
    w = weight.transpose(0, 1) if transposed else weight
    return torch.linalg.matrix_norm(w.reshape(w.shape[0], -1).double(), ord=2).item()


def test_singular_value_clipping_bounds_every_critic_weight_by_one():
    torch.manual_seed(0)
    d = TGANVideoDiscriminator(frames=8, resolution=16, width=8)
    d(torch.randn(4, 3, 8, 16, 16))  # running statistics for the batch-norm bound
    with torch.no_grad():
        for p in d.parameters():
            p.mul_(300.0)  # far outside the constraint, as after many unconstrained steps
    weights = [m for m in d.modules() if isinstance(m, (torch.nn.Conv2d, torch.nn.Conv3d))]
    norms = [m for m in d.modules() if isinstance(m, torch.nn.BatchNorm3d)]
    assert len(weights) == 3 and len(norms) == 1
    assert all(largest_singular_value(m.weight) > 1.5 for m in weights)
    svc = registry.get("regularizers", "singular-value-clip").factory(limit=1.0)
    assert svc.kind == "constraint"
    svc.apply(d)
    for m in weights:  # conv kernels as (out, in * kernel) matrices, as in Sec. 4.3
        assert largest_singular_value(m.weight) <= 1.0 + 1e-5
    for m in norms:  # BN's gain |gamma| / sigma_B <= 1
        gain = m.weight.abs() / (m.running_var + m.eps).sqrt()
        assert gain.max() <= 1.0 + 1e-5


def test_spec_follows_the_paper_and_keeps_wgan_and_clipping_under_tpd():
    spec = config.model_spec("tgan")
    assert spec.loss.name == "wgan" and spec.d_steps == 1
    (svc,) = spec.regularizers
    assert (svc.name, svc.kwargs["limit"], svc.target, svc.interval) == ("singular-value-clip", 1.0, "discriminators", 5)
    for net in ("generator", "video"):
        opt = spec.optimizer_for(net)
        assert (opt.name, opt.lr) == ("rmsprop", 0.00005)
    assert "Saito" in spec.citation and spec.description
    run = config.resolve_run("tgan", "tiny", disc="tpd")
    assert run.model.discriminators["video"].name == "tpd"
    assert list(run.model.discriminators["video"].kwargs["speeds"]) == [1, 3, 5, 7]
    assert run.model.discriminators["video"].kwargs["parametrization"] == "plain"
    assert run.model.discriminators["video"].weight == 0.5  # the paper's lambda, "for all experiments"
    assert run.model.loss.name == "wgan" and run.model.regularizers == spec.regularizers
    assert run.model.optimizers == spec.optimizers and run.model.frames == 16
