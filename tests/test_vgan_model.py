"""VGAN (Vondrick et al. 2016): parameter counts from the paper's layer table, the two-stream
composite, the mask sparsity prior, the latent, the discriminator's constraints and the spec."""

import math

import pytest
import torch

from ganzoo import config
from ganzoo.errors import GanzooError, IncompatibleError
from ganzoo_vgan import VGANGenerator, VGANVideoDiscriminator

from conftest import build_net as build, count_params as count


def conv(c_in, c_out, kernel, bias):
    """Parameters of a (transposed) convolution; ``bias`` only where no batch norm follows."""
    return c_in * c_out * math.prod(kernel) + (c_out if bias else 0)


def bn(channels):
    return 2 * channels



def tiny(**kwargs):
    return VGANGenerator(frames=8, resolution=16, width=32, **kwargs)


def test_paper_parameter_counts_equal_the_layer_table():
    # Fig. 1 / Sec. 3: z = 100. Background (2D, 4x4 kernels): 100->512 (4x4 from 1x1), 512->256
    # ->128->64 (BN + ReLU each), 64->3 (tanh). Foreground (3D): 100->512 (2x4x4 from 1x1x1),
    # 512->256->128->64 (4x4x4, BN + ReLU each), then 64->3 video and 64->1 mask (4x4x4).
    # D (Sec. 2.3): 3->64 (no BN) ->128->256->512 (4x4x4, BN), 512->1 over the last 2x4x4.
    k2, k3 = (4, 4), (4, 4, 4)
    background = conv(100, 512, k2, False) + bn(512) + conv(512, 256, k2, False) + bn(256) \
        + conv(256, 128, k2, False) + bn(128) + conv(128, 64, k2, False) + bn(64) + conv(64, 3, k2, True)
    foreground = conv(100, 512, (2, 4, 4), False) + bn(512) + conv(512, 256, k3, False) + bn(256) \
        + conv(256, 128, k3, False) + bn(128) + conv(128, 64, k3, False) + bn(64) \
        + conv(64, 3, k3, True) + conv(64, 1, k3, True)
    discriminator = conv(3, 64, k3, True) + conv(64, 128, k3, False) + bn(128) + conv(128, 256, k3, False) \
        + bn(256) + conv(256, 512, k3, False) + bn(512) + conv(512, 1, (2, 4, 4), True)
    spec = config.model_spec("vgan")
    assert (spec.frames, spec.resolution) == (32, 64)
    assert count(build(spec, "generator")) == background + foreground == 16_243_463
    assert count(build(spec, "video")) == discriminator == 11_040_577


def test_mask_in_unit_interval_and_video_is_the_mask_composite():
    g = tiny()
    weights = torch.Generator().manual_seed(0)  # not the global RNG: other tests move it
    with torch.no_grad():  # random BN statistics and weights large enough to use the whole range
        for p in g.parameters():
            p.normal_(0, 0.3, generator=weights)
    parts = g.parts(g.make_latent(3, generator=torch.Generator().manual_seed(0)))
    fg, mask, bg, video = parts["foreground"], parts["mask"], parts["background"], parts["video"]
    assert fg.shape == video.shape == (3, 3, 8, 16, 16) and mask.shape == (3, 1, 8, 16, 16) and bg.shape == (3, 3, 16, 16)
    assert mask.min() >= 0 and mask.max() <= 1 and mask.min() < 0.1 and mask.max() > 0.9
    expected = mask * fg + (1 - mask) * bg[:, :, None]
    torch.testing.assert_close(video, expected, atol=1e-6, rtol=0)
    assert video.min() >= -1 and video.max() <= 1
    # a mask of 0 shows the static background at every frame; a mask of 1 shows the foreground
    latent = g.make_latent(3, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        g.heads.bias[3] = -60.0
        off = g.parts(latent)
        g.heads.bias[3] = 60.0
        on = g.parts(latent)
    torch.testing.assert_close(off["video"], off["background"][:, :, None].expand_as(off["video"]), atol=1e-6, rtol=0)
    torch.testing.assert_close(on["video"], on["foreground"], atol=1e-6, rtol=0)


def test_mask_sparsity_prior_adds_the_gradient_of_lambda_mean_mask():
    torch.manual_seed(0)
    with_prior, without = tiny(mask_l1=0.1), tiny(mask_l1=0.0)
    without.load_state_dict(with_prior.state_dict())
    latent = with_prior.make_latent(2, generator=torch.Generator().manual_seed(3))
    with_prior(latent).mean().backward()
    parts = without.parts(latent)
    (parts["video"].mean() + 0.1 * parts["mask"].mean()).backward()
    for (name, a), (_, b) in zip(with_prior.named_parameters(), without.named_parameters()):
        torch.testing.assert_close(a.grad, b.grad, msg=name, rtol=1e-5, atol=1e-9)
    assert with_prior.heads.bias.grad[3] != 0  # the prior reaches the mask head


def test_latent_is_gaussian_seeded_and_only_the_trained_length_exists():
    g = tiny().eval()
    a = g.make_latent(4, generator=torch.Generator().manual_seed(1))
    b = g.make_latent(4, generator=torch.Generator().manual_seed(1))
    assert a["z"].shape == (4, 100) and torch.equal(a["z"], b["z"])
    assert torch.equal(g(a), g(b))
    assert g.max_frames == g.frames == 8
    with pytest.raises(GanzooError, match="exactly 8 frames"):
        g.make_latent(1, frames=4)
    with pytest.raises(GanzooError, match="at most 8 frames"):
        g.make_latent(1, frames=16)


def test_bad_sizes_are_named():
    with pytest.raises(GanzooError, match="multiple of 4, the model makes 6"):
        VGANGenerator(frames=6, resolution=16, width=32)
    with pytest.raises(GanzooError, match="power-of-two resolution >= 8, the model makes 48px"):
        VGANGenerator(frames=32, resolution=48)
    with pytest.raises(IncompatibleError, match="multiple of 16, the model makes 24"):
        VGANVideoDiscriminator.check(frames=24, resolution=64)


def test_discriminator_scores_each_video():
    d = VGANVideoDiscriminator(frames=8, resolution=16, width=8)
    video = torch.rand(3, 3, 8, 16, 16) * 2 - 1
    logits = d(video)
    assert logits.shape == (3,)
    d.eval()
    assert torch.allclose(d(video[1:2]), d(video)[1:2], atol=1e-6)  # per-video, no batch mixing at eval


def test_spec_follows_the_paper_and_tpd_replaces_only_the_video_role():
    spec = config.model_spec("vgan")
    assert spec.loss.name == "bce" and spec.batch_size == 64 and spec.regularizers == ()
    for net in ("generator", "video"):
        opt = spec.optimizer_for(net)
        assert (opt.name, opt.lr, opt.betas) == ("adam", 0.0002, (0.5, 0.999))
    assert "Vondrick" in spec.citation and spec.description
    run = config.resolve_run("vgan", "tiny", disc="tpd")
    video = run.model.discriminators["video"]
    assert video.name == "tpd" and list(video.kwargs["speeds"]) == [1, 3, 5, 7] and video.weight == 0.5  # Sec. 4 lambda
    assert video.kwargs["parametrization"] == "plain"  # TPD trained as plain layers under VGAN's Adam 2e-4
    assert run.model.loss.name == "bce" and run.model.optimizers == config.apply_preset(spec, "tiny").optimizers
    with pytest.raises(IncompatibleError, match="speed"):
        config.resolve_run("vgan", "tiny", disc="tpd", overrides=["model.discriminators.video.kwargs.speeds=[1, 16]"])
