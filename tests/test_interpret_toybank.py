"""A hand-built generator with a motion bank whose every direction's motion is known, and the
checks that it honours the manipulation API the analyses rely on (interface 4).

Direction coordinates c_t = sum_{j<t} alpha_j (Eq. 4 of InMoDeGAN, cumulative) drive a
textured square on a plain background:
d0 moves it right (px), d1 down (px), d2 rotates it, d3 scales it, d4 brightens it, d5 does
nothing visible. d0 has the largest variance of alpha, d1 the largest mean.
"""

import torch

from ganzoo.contracts import Generator

FACTORS = ("dx", "dy", "rotation", "scale", "brightness", None)
STD = torch.tensor([1.0, 0.6, 0.5, 0.4, 0.3, 0.05])
MEAN = torch.tensor([0.0, 0.8, 0.0, 0.0, 0.0, 0.0])


class ToyBank(Generator):
    """Interface 4 on a tiny analytic renderer: latent {"z_a": (B, 4), "z_m": (B, T-1, 6)}."""

    def __init__(self, frames=6, resolution=32):
        super().__init__()
        self.frames, self.resolution, self.n_directions = frames, resolution, len(STD)
        q, _ = torch.linalg.qr(torch.randn(6, 6, generator=torch.Generator().manual_seed(3)))
        self.register_buffer("bank", q.T.contiguous())  # rows d_i, orthonormal

    def directions(self):
        return self.bank

    def make_latent(self, batch, frames=None, generator=None):
        frames = self.check_frames(frames)
        return {"z_a": self.randn(batch, 4, generator=generator),
                "z_m": self.randn(batch, frames - 1, self.n_directions, generator=generator)}

    def alphas(self, latent):
        return latent["z_m"] * STD + MEAN

    def edit(self, latent, deactivate=None, only=None, trajectory=None):
        for index in [*(deactivate or []), *(only or []), *(trajectory or {})]:
            if not 0 <= index < self.n_directions:
                raise ValueError(f"direction {index} out of range")
        return {**latent, "edit": {"deactivate": list(deactivate or []), "only": only,
                                   "trajectory": dict(trajectory or {})}}

    def interpolate(self, latent_a, latent_b, t, part="appearance"):
        key = "z_a" if part == "appearance" else "z_m"
        return {**latent_a, key: torch.lerp(latent_a[key], latent_b[key], t)}

    def edited_alphas(self, latent):
        alphas = self.alphas(latent).clone()
        edit = latent.get("edit", {})
        if edit.get("only") is not None:
            keep = torch.zeros(self.n_directions, dtype=torch.bool)
            keep[list(edit["only"])] = True
            alphas[..., ~keep] = 0
        for index in edit.get("deactivate", []):
            alphas[..., index] = 0
        for index, values in edit.get("trajectory", {}).items():
            alphas[..., index] = torch.as_tensor(values, dtype=alphas.dtype).expand(alphas.shape[:2])
        return alphas

    def forward(self, latent):
        alphas = self.edited_alphas(latent)  # (B, T-1, N)
        batch = alphas.shape[0]
        w = torch.cat([torch.zeros(batch, 1, 6), alphas.cumsum(1)], 1) @ self.bank  # w_t = sum alpha d
        c = w @ self.bank.T  # coordinates along d_i: (B, T, N)
        size = self.resolution
        coords = torch.arange(size, dtype=torch.float32) - (size - 1) / 2
        py, px = torch.meshgrid(coords, coords, indexing="ij")
        x = px - c[..., 0, None, None] - latent["z_a"][:, 0, None, None, None]
        y = py - c[..., 1, None, None] - latent["z_a"][:, 1, None, None, None]
        theta = 0.08 * c[..., 2, None, None]
        scale = torch.exp(0.04 * c[..., 3, None, None])
        qx = (torch.cos(theta) * x + torch.sin(theta) * y) / scale
        qy = (-torch.sin(theta) * x + torch.cos(theta) * y) / scale
        inside = torch.sigmoid(2.0 * (size * 0.28 - torch.maximum(qx.abs(), qy.abs())))
        phase = latent["z_a"][:, 2:, None, None, None]
        texture = torch.stack([torch.sin(0.9 * qx + phase[:, 0]) * torch.cos(0.7 * qy + phase[:, 1]),
                               torch.sin(0.6 * qy - phase[:, 0]),
                               torch.cos(0.8 * qx + 0.5 * qy)], 1)  # (B, 3, T, H, W)
        bright = 0.05 * c[..., 4, None, None][:, None]
        objects = (0.55 * texture + bright).clamp(-1, 1)
        background = torch.full_like(objects, -0.6)
        return inside[:, None] * objects + (1 - inside[:, None]) * background


def test_toy_bank_follows_interface_4():
    g = ToyBank()
    latent = g.make_latent(3, generator=torch.Generator().manual_seed(0))
    video = g(latent)
    assert video.shape == (3, 3, 6, 32, 32) and video.min() >= -1 and video.max() <= 1
    d = g.directions()
    assert torch.allclose(d @ d.T, torch.eye(6), atol=1e-5)
    assert g.alphas(latent).shape == (3, 5, 6)
    off = g(g.edit(latent, deactivate=[0, 1, 2, 3, 4]))
    assert torch.allclose(off[:, :, 0], off[:, :, -1], atol=1e-5)  # only d5 left: no visible motion
    longer = g(g.make_latent(1, frames=12))
    assert longer.shape[2] == 12
