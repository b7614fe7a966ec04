"""G3AN (Wang et al. 2020): parameter counts, G3 streams, F-SA factorization, frames, discriminators, spec."""

import copy

import pytest
import torch

from ganzoo import config, registry
from ganzoo.errors import ConfigError, GanzooError, IncompatibleError
from ganzoo_g3an.attention import CHUNK_BYTES, ChunkedAttention, FactorizedSelfAttention
from ganzoo_g3an.discriminators import G3ANImageDiscriminator, G3ANVideoDiscriminator
from ganzoo_g3an.g3 import materialize
from ganzoo_g3an.generator import G3ANGenerator

from conftest import build_net as build, count_params as count


def tiny(**kwargs):
    return G3ANGenerator(frames=16, resolution=16, width=4, **kwargs)


def test_paper_parameter_counts_equal_the_official_networks():
    # Official layer lists (wyhsirius/g3an-project model/networks.py + ops.py), ch = 64, mode 1p2d,
    # attention on: five G3 levels (each: video temporal + spatial deconv, appearance deconv,
    # motion deconv, all with bias and BatchNorm), F-SA on 256 channels (164,482), RGB conv.
    spec = config.model_spec("g3an")
    g = build(spec, "generator")
    assert count(g) == 23_090_437
    assert count(g.attention) == 164_482
    assert count(build(spec, "video")) == 8_347_009  # (2+1)D: 4 stages + (1,4,4) + (4,1,1)
    assert count(build(spec, "image")) == 2_764_737


def test_latent_frames_and_longer_videos():
    g = tiny().eval()  # eval: spectral norm's power iteration and BatchNorm statistics stay fixed
    latent = g.make_latent(2, generator=torch.Generator().manual_seed(0))
    assert latent["z_a"].shape == (2, 128) and latent["z_m"].shape == (2, 1, 10)
    video = g(latent)
    assert video.shape == (2, 3, 16, 16, 16) and video.abs().max() <= 1
    again = g.make_latent(2, generator=torch.Generator().manual_seed(0))
    assert torch.equal(g(again), video)
    longer = g.make_latent(1, frames=24)
    assert longer["z_m"].shape == (1, 3, 10) and g(longer).shape == (1, 3, 24, 16, 16)
    with pytest.raises(GanzooError, match=r"4 \* \(L \+ 3\) frames.*not 18"):
        g.make_latent(1, frames=18)
    with pytest.raises(GanzooError, match="not 12"):
        g.make_latent(1, frames=12)


def test_appearance_stream_ignores_motion_and_motion_stream_ignores_appearance():
    """G3 (Fig. 3): G_A sees only z_a, G_M only z_m; G_V sees both."""
    g = tiny().eval()
    block = g.blocks[0]
    z_a, z_m = torch.randn(1, 128), torch.randn(1, 10, 1)
    z_v = torch.cat([z_a[:, :, None], z_m], 1)[..., None, None]
    h_s, h_v, h_t = block(z_a[:, :, None, None], z_v, z_m)
    h_s2, h_v2, h_t2 = block(z_a[:, :, None, None], torch.cat([z_a[:, :, None], -z_m], 1)[..., None, None], -z_m)
    h_v, h_v2 = materialize(h_v), materialize(h_v2)  # the concatenation, built (G3 hands it on in parts)
    assert torch.equal(h_s, h_s2) and not torch.allclose(h_t, h_t2)
    out = h_s.shape[1]
    assert h_v.shape == (1, 2 * out, 4, 4, 4)
    # the first half of the video stream is the appearance output repeated over time
    assert torch.equal(h_v[:, :out], h_s[:, :, None].expand(-1, -1, 4, -1, -1))


def test_factorized_attention_mixes_time_per_pixel_then_space_per_frame():
    torch.manual_seed(0)
    fsa = FactorizedSelfAttention(16).eval()  # eval: spectral norm's power iteration stays fixed
    x = torch.randn(1, 16, 4, 3, 3)
    assert torch.equal(fsa(x), x)  # gamma starts at 0: identity, as SAGAN
    temporal = fsa.temporal
    with torch.no_grad():
        fsa.temporal.gamma.fill_(1.0)
        fsa.spatial.gamma.fill_(0.0)
    bumped = x.clone()
    bumped[0, :, 2, 1, 1] += 1.0  # one pixel of one frame
    changed = (fsa(bumped) - fsa(x)).abs().amax(1)[0] > 1e-6  # (T, H, W)
    assert changed[:, 1, 1].all() and changed.sum() == 4  # T-SA: that pixel, every frame, nothing else
    with torch.no_grad():
        temporal.gamma.fill_(0.0)
        fsa.spatial.gamma.fill_(1.0)
    changed = (fsa(bumped) - fsa(x)).abs().amax(1)[0] > 1e-6
    assert changed[2].all() and changed.sum() == 9  # S-SA: every pixel of that frame only


@pytest.mark.parametrize("n, length, chunks", [(6, 16, 1), (5, 1024, 5)])  # 1024: one sequence per chunk
def test_chunked_attention_equals_torch_attention(n, length, chunks):
    """The CPU path (issue 17.1): the same outputs as ``scaled_dot_product_attention`` and its
    gradients within float rounding, however the sequences split into chunks."""
    torch.manual_seed(0)
    q, k = torch.randn(2, n, length, 4).unbind(0)
    v = torch.randn(n, length, 32)
    grad = torch.randn(n, length, 32)
    leaves = [t.clone().requires_grad_() for t in (q, k, v)], [t.clone().requires_grad_() for t in (q, k, v)]
    ours = ChunkedAttention.apply(*leaves[0])
    theirs = torch.nn.functional.scaled_dot_product_attention(*leaves[1], scale=1.0)
    assert torch.equal(ours, theirs)
    for a, b in zip(torch.autograd.grad(ours, leaves[0], grad), torch.autograd.grad(theirs, leaves[1], grad)):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-5)
    small = [t[:2, :8].double().requires_grad_() for t in (q, k, v)]
    assert torch.autograd.gradcheck(ChunkedAttention.apply, small)
    assert -(-n // max(1, CHUNK_BYTES // (length * length * 4))) == chunks


def test_discriminators_shapes_and_checks():
    video = torch.rand(2, 3, 16, 32, 32) * 2 - 1
    d_v = G3ANVideoDiscriminator(frames=16, resolution=32, width=4)
    d_i = G3ANImageDiscriminator(frames=16, resolution=32, width=4)
    assert d_v.consumes == "video" and d_v(video).shape == (2,)
    assert d_i.consumes == "frame" and d_i.frames_per_video == 1 and d_i(video[:, :, 0]).shape == (2,)
    with pytest.raises(IncompatibleError, match="at least 13 frames.*makes 12"):
        G3ANVideoDiscriminator.check(frames=12, resolution=64)
    with pytest.raises(IncompatibleError, match="power-of-two resolution.*100px"):
        G3ANImageDiscriminator.check(frames=16, resolution=100)


def test_one_training_step_moves_every_network():
    """D_V + D_I + G steps with the paper's BCE loss and Adam: gradients reach all weights
    (F-SA's gamma moves away from 0 at the G step)."""
    torch.manual_seed(0)
    g, d_i, d_v = tiny(), G3ANImageDiscriminator(resolution=16, width=4), G3ANVideoDiscriminator(resolution=16, width=4)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    real = torch.rand(2, 3, 16, 16, 16) * 2 - 1
    for net in (d_v, d_i, g):
        before = {n: p.detach().clone() for n, p in net.named_parameters()}
        opt = torch.optim.Adam(net.parameters(), lr=2e-4, betas=(0.5, 0.999))
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
        unchanged = {n for n, p in net.named_parameters() if torch.equal(before[n], p)}
        if net is g:  # with gamma = 0 the q, k, v projections get no gradient until gamma moves
            assert "attention.temporal.gamma" not in unchanged
            unchanged = {n for n in unchanged if not n.startswith("attention.") or n.endswith("gamma")}
        assert not unchanged


def ensure_tpd():
    """Use the real TPD when its plugin has landed, else a stand-in with the same name."""
    from conftest import make_plugin
    from ganzoo import plugins

    if "tpd" not in registry.get_registry("discriminators"):
        plugins.register_plugin(make_plugin("tpd-stand-in", discriminators=[("tpd", G3ANVideoDiscriminator)]), "tpd-stand-in")


def test_spec_presets_and_tpd_swap(clean_plugins):
    spec = config.model_spec("g3an")
    assert spec.loss.name == "bce" and (spec.frames, spec.resolution, spec.batch_size) == (16, 64, 96)
    adam = spec.optimizer_for("generator")
    assert (adam.name, adam.lr, adam.betas) == ("adam", 2e-4, (0.5, 0.999))
    assert spec.generator.kwargs["dim_za"] == 128 and spec.generator.kwargs["dim_zm"] == 10
    assert spec.citation and spec.description
    with pytest.raises(ConfigError, match="no preset 'paper-128'; its presets: paper, small, tiny"):
        config.apply_preset(spec, "paper-128")
    tiny_spec = config.apply_preset(spec, "tiny")
    ensure_tpd()
    swapped = config.swap_video_discriminator(tiny_spec, "tpd")
    video = swapped.discriminators["video"]
    assert (video.name, video.kwargs["speeds"], video.weight) == ("tpd", [1, 3, 5, 7], 0.5)
    assert swapped.discriminators["image"] == tiny_spec.discriminators["image"]
    assert swapped.generator == tiny_spec.generator and swapped.loss == tiny_spec.loss


def _main_forward(g, latent):
    """G3AN's forward as it was on main before issue 17 (every level's concatenation built, the
    RGB conv on it): frozen here so the split formulation is checked against it."""
    z_a, z_m = latent["z_a"], latent["z_m"].transpose(1, 2)
    h_s, h_t = z_a[:, :, None, None], z_m
    h_v = torch.cat([z_a[:, :, None].expand(-1, -1, z_m.shape[2]), z_m], 1)[..., None, None]
    h_v = h_v.contiguous(memory_format=torch.channels_last_3d)
    for i, block in enumerate(g.blocks):
        if i == len(g.blocks) - 1 and g.attention is not None:
            h_v = g.attention(h_v)
        h_s, h_v, h_t = block.appearance(h_s), block.video(h_v), block.motion(h_t)
        h_v = h_v + h_t[..., None, None]
        h_v = torch.cat([h_s[:, :, None].expand(-1, -1, h_v.shape[2], -1, -1), h_v], 1)
    return g.to_rgb(h_v).tanh()


@pytest.mark.parametrize("resolution", [32, 64])
def test_split_concatenation_gives_mains_outputs_and_gradients(resolution):
    """Issue 17.1: the pointwise consumers take the appearance/video parts instead of their
    concatenation; outputs and every parameter's gradient equal main's within float tolerance
    (train mode: batch-norm statistics and one spectral-norm power iteration per layer, both)."""
    torch.manual_seed(0)
    new = G3ANGenerator(resolution=resolution, width=8).train()
    with torch.no_grad():  # a non-zero attention gamma, so F-SA is on the path
        new.attention.temporal.gamma.fill_(0.5)
        new.attention.spatial.gamma.fill_(0.5)
    old = copy.deepcopy(new)
    latent = new.make_latent(3, generator=torch.Generator().manual_seed(1))
    a, b = new(latent), _main_forward(old, latent)
    torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)
    target = torch.randn_like(a)
    (a * target).sum().backward()
    (b * target).sum().backward()
    scale = max(q.grad.abs().max().item() for q in old.parameters())  # biases before batch norm have ~0 gradient
    for (name, p), q in zip(new.named_parameters(), old.parameters()):
        torch.testing.assert_close(p.grad, q.grad, rtol=1e-3, atol=1e-4 * scale, msg=lambda m: f"{name}: {m}")
    for (name, buf), other in zip(new.named_buffers(), old.buffers()):  # BN running stats, spectral-norm u, v
        torch.testing.assert_close(buf, other, rtol=1e-4, atol=1e-5, msg=lambda m: f"{name}: {m}")


def test_video_discriminator_per_frame_convs_give_the_plain_stacks_outputs_and_gradients():
    """Issue 17.1: D_V's (1, 4, 4) convs run as 2D convs on channels-last frames; logits, input
    gradient and every weight gradient equal main's plain 3D stack (``d.net(video)``)."""
    torch.manual_seed(0)
    new = G3ANVideoDiscriminator(frames=16, resolution=32, width=8).train()
    old = copy.deepcopy(new)
    video = (torch.rand(3, 3, 16, 32, 32) * 2 - 1).requires_grad_(True)
    same = video.detach().clone().requires_grad_(True)
    a, b = new(video), old.net(same).flatten()
    torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-6)
    a.sum().backward()
    b.sum().backward()
    torch.testing.assert_close(video.grad, same.grad, rtol=1e-4, atol=1e-7)
    for (name, p), q in zip(new.named_parameters(), old.parameters()):
        torch.testing.assert_close(p.grad, q.grad, rtol=1e-4, atol=1e-6, msg=lambda m: f"{name}: {m}")
    assert [n for n, _ in new.named_parameters()] == [n for n, _ in old.named_parameters()]
