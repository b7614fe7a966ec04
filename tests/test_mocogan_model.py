"""MoCoGAN (Tulyakov et al. 2018): parameter counts, latent, GRU motion, discriminators, spec."""

import pytest
import torch

from ganzoo import config, registry
from ganzoo.errors import ConfigError, GanzooError, IncompatibleError
from ganzoo_mocogan.discriminators import MoCoGANImageDiscriminator, MoCoGANVideoDiscriminator
from ganzoo_mocogan.generator import MoCoGANGenerator

from conftest import build_net as build, count_params as count


def tiny(**kwargs):
    return MoCoGANGenerator(frames=16, resolution=16, width=8, **kwargs)


def test_paper_parameter_counts_equal_the_official_networks():
    # Official layer lists (sergeytulyakov/mocogan models.py), unconditional, ngf = ndf = 64:
    # G: GRUCell(10, 10) 660 + deconvs 60->512->256->128->64->3 (no bias) + 4 BatchNorms.
    # D_I (PatchImageDiscriminator): convs 3->64->128->256->1, BN on the middle two.
    # D_V (VideoDiscriminator, 1 output): 4x4x4 convs 3->64->128->256->512->1, BN on the middle three.
    spec = config.model_spec("mocogan")
    assert count(build(spec, "generator")) == 3_249_684
    assert count(build(spec, "image")) == 663_296
    assert count(build(spec, "video")) == 11_056_896


def test_latent_shapes_and_seeded_determinism():
    g = tiny()
    a = g.make_latent(3, generator=torch.Generator().manual_seed(1))
    b = g.make_latent(3, generator=torch.Generator().manual_seed(1))
    assert a["z_content"].shape == (3, 50) and a["h0"].shape == (3, 10) and a["epsilon"].shape == (3, 16, 10)
    assert all(torch.equal(a[k], b[k]) for k in a)
    video = g(a)
    assert video.shape == (3, 3, 16, 16, 16)
    assert video.min() >= -1 and video.max() <= 1
    assert torch.equal(video, g(b))


def test_gru_motion_is_causal_so_longer_videos_extend_shorter_ones():
    g = tiny().eval()  # running BN statistics: each frame depends only on its own code
    latent = g.make_latent(2, frames=24, generator=torch.Generator().manual_seed(0))
    short = {**latent, "epsilon": latent["epsilon"][:, :16]}
    with torch.no_grad():
        long_video, short_video = g(latent), g(short)
    assert long_video.shape[2] == 24  # the GRU unrolls past the trained length
    torch.testing.assert_close(long_video[:, :, :16], short_video)
    # the content code is shared by all frames, the motion codes differ per frame
    z_m = g.motion_codes(latent["h0"], latent["epsilon"])
    assert z_m.shape == (2, 24, 10) and not torch.allclose(z_m[:, 0], z_m[:, 1])


def test_changing_content_keeps_motion_codes():
    g = tiny().eval()
    latent = g.make_latent(1, generator=torch.Generator().manual_seed(0))
    other = {**latent, "z_content": torch.randn(1, 50)}
    with torch.no_grad():
        assert not torch.allclose(g(latent), g(other))
    assert torch.equal(g.motion_codes(latent["h0"], latent["epsilon"]), g.motion_codes(other["h0"], other["epsilon"]))


def test_discriminators_shapes_and_frames_per_video():
    video = torch.rand(2, 3, 16, 32, 32) * 2 - 1
    d_v = MoCoGANVideoDiscriminator(frames=16, resolution=32, width=8)
    d_i = MoCoGANImageDiscriminator(frames=16, resolution=32, width=8, frames_per_video=4)
    assert d_v.consumes == "video" and d_v(video).shape == (2,)
    assert d_i.consumes == "frame" and d_i.frames_per_video == 4
    assert d_i(video[:, :, 0]).shape == (2, 16)  # a 4x4 grid of patch logits per frame
    assert MoCoGANImageDiscriminator(resolution=64, width=8)(torch.zeros(3, 3, 64, 64)).shape == (3, 16)


def test_video_discriminator_rejects_too_few_frames_and_bad_sizes():
    with pytest.raises(IncompatibleError, match="at least 13 frames.*makes 8"):
        MoCoGANVideoDiscriminator.check(frames=8, resolution=64)
    with pytest.raises(IncompatibleError, match="power-of-two resolution.*48px"):
        MoCoGANImageDiscriminator.check(frames=16, resolution=48)
    with pytest.raises(GanzooError, match="mocogan generator needs a power-of-two resolution >= 8, the model makes 48px"):
        MoCoGANGenerator(resolution=48)


def test_one_training_step_moves_every_network():
    """D_I + D_V + G steps with the paper's BCE loss and Adam settings: gradients reach all weights."""
    torch.manual_seed(0)
    g, d_i, d_v = tiny(), MoCoGANImageDiscriminator(resolution=16, width=8), MoCoGANVideoDiscriminator(resolution=16, width=8)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    real = torch.rand(2, 3, 16, 16, 16) * 2 - 1
    for net in (g, d_i, d_v):
        before = [p.detach().clone() for p in net.parameters()]
        opt = torch.optim.Adam(net.parameters(), lr=2e-4, betas=(0.5, 0.999), weight_decay=1e-5)
        fake = g(g.make_latent(2))
        if net is g:
            loss = sum(bce(out, torch.ones_like(out)) for out in (d_v(fake), d_i(fake[:, :, 3])))
        else:
            inputs = (real, fake.detach()) if net is d_v else (real[:, :, 0], fake.detach()[:, :, 5])
            r, f = net(inputs[0]), net(inputs[1])
            loss = bce(r, torch.ones_like(r)) + bce(f, torch.zeros_like(f))
        opt.zero_grad()
        loss.backward()
        opt.step()
        assert all(not torch.equal(a, b) for a, b in zip(before, net.parameters()))


def ensure_tpd():
    """Use the real TPD when its plugin has landed, else a stand-in with the same name."""
    from conftest import make_plugin
    from ganzoo import plugins

    if "tpd" not in registry.get_registry("discriminators"):
        plugins.register_plugin(make_plugin("tpd-stand-in", discriminators=[("tpd", MoCoGANVideoDiscriminator)]), "tpd-stand-in")


def test_spec_presets_and_tpd_swap(clean_plugins):
    spec = config.model_spec("mocogan")
    assert spec.loss.name == "bce" and spec.frames == 16 and spec.resolution == 64
    adam = spec.optimizer_for("video")
    assert (adam.name, adam.lr, adam.betas, adam.weight_decay) == ("adam", 2e-4, (0.5, 0.999), 1e-5)
    assert spec.citation and spec.description
    tiny_spec = config.apply_preset(spec, "tiny")
    assert tiny_spec.resolution == 16 and tiny_spec.discriminators["video"].kwargs["width"] == 8
    with pytest.raises(ConfigError, match="no preset 'huge'; its presets: paper, small, tiny"):
        config.apply_preset(spec, "huge")
    ensure_tpd()
    swapped = config.swap_video_discriminator(tiny_spec, "tpd")
    assert swapped.discriminators["video"].name == "tpd"
    assert swapped.discriminators["video"].kwargs["speeds"] == [1, 3, 5, 7]
    assert swapped.discriminators["video"].weight == 0.5
    assert swapped.discriminators["image"] == tiny_spec.discriminators["image"]
    assert (swapped.loss, swapped.optimizers, swapped.batch_size) == (tiny_spec.loss, tiny_spec.optimizers, tiny_spec.batch_size)
