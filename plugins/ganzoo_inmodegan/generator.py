"""The InMoDeGAN generator (Sec. 3, Fig. 2) and its manipulation API on the explicit latent.

Latent (a dict of tensors): ``z_a (B, dim_za)``, ``z_m (B, T-1, dim_zm)``, ``noise_k`` per
synthesis layer (``(B, 1, r, r)`` with ``noise="video"``, ``(B, T, 1, r, r)`` with
``noise="frame"``; absent keys mean no noise), plus the optional edit keys written by
:meth:`InMoDeGANGenerator.edit`: ``alpha_mask (N,)`` multiplies every alpha_{t,i};
``alpha_index (K,)`` and ``alpha_values (B, T-1, K)`` then overwrite those directions' alphas.
"""

import torch

from ganzoo.contracts import MotionBankGenerator
from ganzoo.errors import GanzooError
from ganzoo_inmodegan.decomposition import motion_offsets
from ganzoo_inmodegan.mapping import AppearanceNet
from ganzoo_inmodegan.motion import MotionNet
from ganzoo_inmodegan.motion_bank import MotionBank
from ganzoo_inmodegan.synthesis import Synthesis

NOISE_MODES = ("video", "frame", "none")
PARTS = ("appearance", "motion")


def slerp(a, b, t):
    """Spherical interpolation of each row of ``a``/``b`` (..., D); lerp where they are parallel."""
    a_n, b_n = a / a.norm(dim=-1, keepdim=True), b / b.norm(dim=-1, keepdim=True)
    omega = torch.acos((a_n * b_n).sum(-1, keepdim=True).clamp(-1 + 1e-7, 1 - 1e-7))
    so = torch.sin(omega)
    return torch.where(so > 1e-6, (torch.sin((1 - t) * omega) * a + torch.sin(t * omega) * b) / so, (1 - t) * a + t * b)


class InMoDeGANGenerator(MotionBankGenerator):
    """``forward(latent) -> (B, 3, T, H, W)``: G_A, GRU + G_M, motion bank, Eq. 4, G_S over B*T frames.

    Defaults are the paper's (Sec. 4): z_a 512, z_m 256, N = 512 directions in a 512-d w space,
    8-layer G_A and G_M, StyleGAN2 config-F channels. Options for the choices the paper leaves
    open are listed in the plugin docstring (``ganzoo_inmodegan``).
    """

    max_frames = None  # the GRU runs for any number of steps (the paper shows 32 and 45 frames)

    def __init__(self, frames=16, resolution=64, dim_za=512, dim_zm=256, n_directions=512, w_dim=512,
                 mapping_layers=8, motion_layers=8, mapping_lr_mul=0.01, channel_base=32768, channel_max=512,
                 bank="svd", svd_eps=1e-8, decomposition="cumulative", modconv="scaled", noise="video",
                 clamp_eval=True):
        super().__init__()
        if noise not in NOISE_MODES:
            raise GanzooError(f"inmodegan: noise must be one of {NOISE_MODES}, not {noise!r}")
        self.frames, self.resolution = int(frames), int(resolution)
        self.dim_za, self.dim_zm, self.w_dim = dim_za, dim_zm, w_dim
        self.decomposition, self.noise, self.clamp_eval = decomposition, noise, clamp_eval
        motion_offsets(torch.zeros(1, 0, n_directions), torch.zeros(n_directions, w_dim), decomposition)  # validates
        self.appearance = AppearanceNet(dim_za, w_dim, mapping_layers, mapping_lr_mul)
        self.motion = MotionNet(dim_za, dim_zm, n_directions, w_dim, motion_layers, mapping_lr_mul)
        self.bank = MotionBank(n_directions, w_dim, bank, svd_eps)
        self.synthesis = Synthesis(resolution, w_dim, channel_base, channel_max, modconv)

    # ------------------------------------------------------------------ latent and forward

    @property
    def n_directions(self):
        return self.bank.matrix.shape[0]

    def make_latent(self, batch, frames=None, generator=None):
        """Every random input of a forward pass; any ``frames`` >= 1 (more than trained is fine)."""
        frames = self.check_frames(frames)
        latent = {
            "z_a": self.randn(batch, self.dim_za, generator=generator),
            "z_m": self.randn(batch, frames - 1, self.dim_zm, generator=generator),
        }
        for k, size in enumerate(self.synthesis.noise_sizes if self.noise != "none" else []):
            shape = (batch, 1, size, size) if self.noise == "video" else (batch, frames, 1, size, size)
            latent[f"noise_{k}"] = self.randn(*shape, generator=generator)
        return latent

    def directions(self):
        """The motion bank's orthonormal directions d_i as rows: ``(N, w_dim)`` (Eq. 1)."""
        return self.bank()

    def alphas(self, latent):
        """Motion magnitudes ``(B, T-1, N)`` of a latent, with its edits applied (A_t: G_M, Sec. 3.2)."""
        raw = self.motion(latent["z_a"], latent["z_m"])
        if "alpha_mask" in latent:
            raw = raw * latent["alpha_mask"]
        if "alpha_index" in latent:
            raw = raw.index_copy(2, latent["alpha_index"], latent["alpha_values"].to(raw.dtype))
        return raw

    def styles(self, latent):
        """Per-frame codes ``w (B, T, w_dim)``: w_t = w_0 + offset_t (Eq. 4)."""
        w0 = self.appearance(latent["z_a"])
        return w0[:, None] + motion_offsets(self.alphas(latent), self.directions(), self.decomposition)

    def forward(self, latent):
        """``latent -> video (B, 3, T, H, W)``; clamped to [-1, 1] in eval mode (see ``clamp_eval``)."""
        w = self.styles(latent)
        b, t = w.shape[:2]
        images = self.synthesis(w.reshape(b * t, -1), self._noises(latent, b, t))
        video = images.view(b, t, *images.shape[1:]).transpose(1, 2)
        return video.clamp(-1, 1) if self.clamp_eval and not self.training else video

    def _noises(self, latent, b, t):
        noises = []
        for k, size in enumerate(self.synthesis.noise_sizes):
            n = latent.get(f"noise_{k}")
            if n is not None:
                n = n.reshape(b * t, 1, size, size) if n.ndim == 5 else n.repeat_interleave(t, dim=0)
            noises.append(n)
        return noises

    # ------------------------------------------------------------------ manipulation API

    def edit(self, latent, deactivate=None, only=None, trajectory=None):
        """A new latent whose forward pass edits the motion (Sec. 4.3: Tab. 4-5, Fig. 4 and 6).

        ``only``: keep these directions' alphas, zero all others; ``deactivate``: zero these
        (alpha_k = 0); ``trajectory``: ``{k: (T-1,) or (B, T-1) alphas}`` driving direction k,
        applied after the masks (so ``only=[k], trajectory={k: ...}`` plays one direction alone).
        Edits compose with the latent's earlier edits.
        """
        out = dict(latent)
        n, (b, steps) = self.n_directions, latent["z_m"].shape[:2]
        device = latent["z_a"].device
        mask = latent.get("alpha_mask", torch.ones(n, device=device)).clone()
        if only is not None:
            keep = torch.zeros(n, device=device)
            keep[self._indices(only, "only")] = 1.0
            mask = mask * keep
        if deactivate is not None:
            mask[self._indices(deactivate, "deactivate")] = 0.0
        if only is not None or deactivate is not None:
            out["alpha_mask"] = mask
        if trajectory:
            values = {}
            if "alpha_index" in latent:
                values = dict(zip(latent["alpha_index"].tolist(), latent["alpha_values"].unbind(2)))
            for k, alpha in trajectory.items():
                (k,) = self._indices([k], "trajectory")
                alpha = torch.as_tensor(alpha, dtype=torch.float32, device=device)
                if alpha.shape not in ((steps,), (b, steps)):
                    raise GanzooError(
                        f"inmodegan: trajectory for direction {k} has shape {tuple(alpha.shape)}; "
                        f"expected ({steps},) or ({b}, {steps}) (T-1 alphas for a {steps + 1}-frame latent)"
                    )
                values[k] = alpha.expand(b, steps)
            keys = sorted(values)
            out["alpha_index"] = torch.tensor(keys, dtype=torch.long, device=device)
            out["alpha_values"] = torch.stack([values[k] for k in keys], dim=2)
        return out

    def interpolate(self, latent_a, latent_b, t, part="appearance"):
        """``latent_a`` with its appearance (z_a) or motion (z_m) moved a fraction ``t`` toward ``latent_b``.

        Spherical interpolation per vector (z_a and each z_m_t are Gaussian, so slerp keeps
        them at a typical norm where lerp would shrink them mid-way). Noise and edits are
        latent_a's. The GRU starts from z_a, so ``part="appearance"`` also changes the alphas a
        little; ``part="motion"`` keeps the appearance code fixed exactly.
        """
        if part not in PARTS:
            raise GanzooError(f"inmodegan: interpolate part must be one of {PARTS}, not {part!r}")
        key = "z_a" if part == "appearance" else "z_m"
        a, b = latent_a[key], latent_b[key]
        if a.shape != b.shape:
            raise GanzooError(f"inmodegan: cannot interpolate {key} of shapes {tuple(a.shape)} and {tuple(b.shape)}")
        return {**latent_a, key: slerp(a, b, float(t))}

    def _indices(self, items, what):
        index = torch.as_tensor(list(items), dtype=torch.long)
        bad = index[(index < 0) | (index >= self.n_directions)]
        if len(bad):
            raise GanzooError(f"inmodegan: {what} direction {bad[0].item()} is out of range (N = {self.n_directions})")
        return index.to(self.bank.matrix.device)
