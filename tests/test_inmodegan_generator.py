"""InMoDeGAN generator: motion bank (Eq. 1), Linear Motion Decomposition (Eq. 4), manipulation API."""

import pytest
import torch

from ganzoo.errors import GanzooError
from ganzoo_inmodegan import InMoDeGANGenerator
from ganzoo_inmodegan.motion_bank import MotionBank, svd_directions

SMALL = dict(frames=4, resolution=16, dim_za=16, dim_zm=8, n_directions=8, w_dim=16,
             mapping_layers=2, motion_layers=2, channel_base=128, channel_max=16)


@pytest.fixture(scope="module")
def gen():
    torch.manual_seed(0)
    return InMoDeGANGenerator(**SMALL).eval()


def latent_of(g, batch=2, frames=None, seed=0):
    return g.make_latent(batch, frames, generator=torch.Generator().manual_seed(seed))


@pytest.mark.parametrize("bank", ["svd", "qr"])
def test_directions_are_orthonormal(bank):
    torch.manual_seed(1)
    d = MotionBank(512, 512, bank=bank)()  # the paper's N = 512 directions of dimension 512
    assert d.shape == (512, 512)
    assert (d @ d.T - torch.eye(512)).abs().max().item() < 1e-5


def test_svd_directions_sign_is_canonical_and_gradient_matches_autograd():
    torch.manual_seed(2)
    m = torch.randn(5, 7, dtype=torch.float64, requires_grad=True)
    d = svd_directions(m, eps=0.0)
    assert (d.gather(1, d.abs().argmax(1, keepdim=True)) > 0).all()
    assert torch.allclose(svd_directions(-m.detach(), 0.0), d.detach())  # M -> -M flips U, not D
    c = torch.randn(5, 7, dtype=torch.float64)
    (grad_ours,) = torch.autograd.grad((d * c).sum(), m)
    _, _, vh = torch.linalg.svd(m, full_matrices=False)
    signs = torch.sign(vh.detach().gather(1, vh.detach().abs().argmax(1, keepdim=True)))
    (grad_ref,) = torch.autograd.grad((vh * signs * c).sum(), m)
    assert torch.allclose(grad_ours, grad_ref, atol=1e-10)


def test_svd_gradient_stays_finite_for_repeated_singular_values():
    m = torch.eye(4, dtype=torch.float64).requires_grad_()  # every singular value equal
    svd_directions(m, 1e-8).sum().backward()
    assert torch.isfinite(m.grad).all()


def test_forward_shape_range_and_determinism(gen):
    latent = latent_of(gen)
    video = gen(latent)
    assert video.shape == (2, 3, 4, 16, 16)
    assert video.min() >= -1 and video.max() <= 1  # eval mode clamps
    assert torch.equal(video, gen(latent))
    assert torch.equal(latent["z_a"], latent_of(gen)["z_a"])  # a seed gives the same latent


def test_eq4_holds_exactly_on_hand_made_latent(gen):
    latent = {"z_a": torch.randn(2, 16), "z_m": torch.randn(2, 3, 8)}
    traj = {1: torch.tensor([0.5, -1.0, 2.0]), 4: torch.tensor([[1.0, 1.0, 1.0], [0.0, 3.0, -2.0]])}
    edited = gen.edit(latent, only=[1, 4], trajectory=traj)
    alphas = torch.zeros(2, 3, 8)
    alphas[:, :, 1] = traj[1]
    alphas[:, :, 4] = traj[4]
    assert torch.equal(gen.alphas(edited), alphas)
    d = gen.directions()
    w = gen.styles(edited)
    w0 = gen.appearance(latent["z_a"])
    for t in range(4):  # w_t = w_0 + sum_{j<t} sum_i alpha_{j,i} d_i
        expected = w0 + sum((alphas[:, j, i, None] * d[i] for j in range(t) for i in range(8)), torch.zeros_like(w0))
        assert torch.allclose(w[:, t], expected, atol=1e-5)


def test_per_frame_decomposition_option():
    g = InMoDeGANGenerator(**SMALL, decomposition="per-frame")
    latent = {"z_a": torch.randn(1, 16), "z_m": torch.randn(1, 3, 8)}
    w, a, d = g.styles(latent), g.alphas(latent), g.directions()
    assert torch.allclose(w[:, 2] - w[:, 0], a[:, 1] @ d, atol=1e-5)
    with pytest.raises(GanzooError, match="decomposition"):
        InMoDeGANGenerator(**SMALL, decomposition="cumsum")


def test_deactivating_a_direction_removes_it_from_every_frame(gen):
    latent = latent_of(gen, frames=6)
    d = gen.directions()
    before = (gen.styles(latent) - gen.styles(latent)[:, :1]) @ d[3]
    assert before[:, 1:].abs().min() > 0  # direction 3 moves the code before the edit
    edited = gen.edit(latent, deactivate=[3])
    w = gen.styles(edited)
    assert (((w - w[:, :1]) @ d[3]).abs() < 1e-5).all()
    others = [i for i in range(8) if i != 3]
    assert torch.allclose(gen.alphas(edited)[..., others], gen.alphas(latent)[..., others])
    still = gen.styles(gen.edit(latent, deactivate=range(8)))
    assert torch.allclose(still, still[:, :1].expand_as(still))  # no direction: a still code


def test_edits_compose_and_validate(gen):
    latent = latent_of(gen)
    twice = gen.edit(gen.edit(latent, deactivate=[0]), deactivate=[1], trajectory={2: torch.ones(3)})
    a = gen.alphas(twice)
    assert (a[..., :2] == 0).all() and (a[..., 2] == 1).all()
    with pytest.raises(GanzooError, match="direction 8 is out of range"):
        gen.edit(latent, only=[8])
    with pytest.raises(GanzooError, match=r"expected \(3,\) or \(2, 3\)"):
        gen.edit(latent, trajectory={0: torch.ones(15)})


def test_32_frames_from_a_16_frame_model():
    g = InMoDeGANGenerator(**{**SMALL, "frames": 16}).eval()
    long = g.make_latent(1, frames=32, generator=torch.Generator().manual_seed(0))
    video = g(long)
    assert g.frames == 16 and video.shape == (1, 3, 32, 16, 16)
    # the GRU is causal: the first 16 frames are the 16-frame video of the same noise prefix
    short = {**long, "z_m": long["z_m"][:, :15]}
    assert torch.allclose(video[:, :, :16], g(short), atol=1e-6)
    assert g.sample(1, frames=1).shape == (1, 3, 1, 16, 16)


def test_interpolation_of_appearance_and_motion(gen):
    a, b = latent_of(gen, seed=1), latent_of(gen, seed=2)
    assert torch.allclose(gen.interpolate(a, b, 0.0)["z_a"], a["z_a"], atol=1e-6)
    assert torch.allclose(gen.interpolate(a, b, 1.0, "motion")["z_m"], b["z_m"], atol=1e-5)
    mid = gen.interpolate(a, b, 0.5, part="motion")
    assert torch.equal(mid["z_a"], a["z_a"]) and not torch.allclose(mid["z_m"], a["z_m"])
    with pytest.raises(GanzooError, match="part"):
        gen.interpolate(a, b, 0.5, part="colour")
    with pytest.raises(GanzooError, match="cannot interpolate z_m"):
        gen.interpolate(a, latent_of(gen, frames=6), 0.5, part="motion")


def test_noise_modes_and_training_output_is_unclamped():
    g = InMoDeGANGenerator(**SMALL, noise="frame").train()
    latent = latent_of(g)
    assert latent["noise_0"].shape == (2, 4, 1, 4, 4)
    assert g(latent).shape == (2, 3, 4, 16, 16)
    assert "noise_0" not in latent_of(InMoDeGANGenerator(**SMALL, noise="none"))
    with pytest.raises(GanzooError, match="noise"):
        InMoDeGANGenerator(**SMALL, noise="sometimes")


def test_modconv_forms_give_the_same_video():
    torch.manual_seed(3)
    a = InMoDeGANGenerator(**SMALL, modconv="scaled").eval()
    b = InMoDeGANGenerator(**SMALL, modconv="grouped").eval()
    b.load_state_dict(a.state_dict())
    latent = latent_of(a)
    assert torch.allclose(a(latent), b(latent), atol=1e-4)


def test_channels_last_synthesis_equals_the_default_layout(monkeypatch):
    """The CPU's channels-last run (issue 17.3) computes the same video and gradients as the
    default layout, and hands back a video in the default layout."""
    torch.manual_seed(4)
    g = InMoDeGANGenerator(**SMALL).train()
    latent = latent_of(g)
    fast = g(latent)
    assert fast.transpose(1, 2).is_contiguous()  # (B, T, 3, H, W) underneath, as before
    fast_grads = torch.autograd.grad(fast.square().sum(), list(g.parameters()))
    monkeypatch.setattr(type(g.synthesis), "_layout", lambda self, x: x)
    plain = g(latent)
    plain_grads = torch.autograd.grad(plain.square().sum(), list(g.parameters()))
    assert torch.allclose(fast, plain, atol=1e-5)
    for a, b in zip(fast_grads, plain_grads):  # float rounding of another summation order (a
        assert (a - b).abs().max() <= 1e-3 * a.abs().max().clamp(min=1e-6)  # noise strength's sum: 4e-4)


def test_gradients_reach_every_parameter():
    g = InMoDeGANGenerator(**SMALL).train()
    latent = latent_of(g)
    g(latent).square().mean().backward()
    missing = [n for n, p in g.named_parameters() if p.grad is None]
    assert not missing


def test_paper_parameter_count():
    g = InMoDeGANGenerator()  # paper defaults, built but not run
    counts = {name: sum(p.numel() for p in getattr(g, name).parameters())
              for name in ("appearance", "motion", "bank", "synthesis")}
    assert counts["bank"] == 512 * 512
    assert counts["appearance"] == 8 * (512 * 512 + 512)
    assert counts["motion"] == 3 * (256 * 512 + 512 * 512 + 2 * 512) + 8 * (512 * 512 + 512)
    assert sum(counts.values()) == sum(p.numel() for p in g.parameters())


def test_directions_are_cached_without_autograd_and_refreshed_when_m_changes():
    bank = MotionBank(6, 6)
    with torch.no_grad():
        first = bank()
        assert bank() is first
        bank.matrix.add_(torch.randn(6, 6))  # an optimizer step
        second = bank()
    assert second is not first and not torch.allclose(second, first)
    assert bank().requires_grad  # with autograd: recomputed, differentiable


def test_inference_path_matches_autograd_path():
    """Without autograd the layers work in place; the video must not change."""
    torch.manual_seed(4)
    g = InMoDeGANGenerator(**SMALL).eval()
    latent = latent_of(g)
    with torch.no_grad():
        fast = g(latent)
    assert torch.allclose(fast, g(latent), atol=1e-5)
    assert torch.equal(latent["noise_0"], latent_of(g)["noise_0"])  # the latent was not written to
