"""TGAN's video generator (Saito, Matsumoto, Saito 2017, Sec. 3-4 and the network table of
the appendix): a temporal generator G0 and an image generator G1.

- G0 (1D deconvolutions): z0 (100-d, uniform in [-1, 1]) read as a length-1 sequence of 100
  channels -> deconv(k=1) 512x1 -> deconv(k=4, s=2, p=1) 256x2 -> 128x4 -> 128x8 -> 100x16,
  tanh: one frame code z1^t per frame.
- G1 (2D deconvolutions), run on every frame at once: z0 and z1^t each go through a linear
  layer to 256x4x4 (batch norm, ReLU), are concatenated to 512x4x4, then deconv(4, 2, 1)
  256x8x8 -> 128x16x16 -> 64x32x32 -> 32x64x64 (batch norm, ReLU) and deconv(3, 1, 1) to
  3x64x64, tanh.

Choices where the paper is silent (written down here, where the code makes them):

- Depth follows the length and size: ``log2(frames)`` stride-2 layers in G0 (4 at 16 frames)
  and ``log2(resolution / 4)`` in G1 (4 at 64 px). G0's widths are ``temporal_width`` (512),
  then halving but never below a quarter of it (512, 256, 128, 128 as in the table); G1's
  halve from ``width`` (512).
- The length is fixed by G0's deconvolutions: ``max_frames == frames``. The latent may carry
  the frame codes ``"z1" (B, T, z1_dim)`` to bypass G0 (feeding a trajectory of codes to
  G1); without it they are computed from ``"z0"``.
- Batch norm after the linear layers normalises each of the 4096 features (as in the released
  code); layers followed by batch norm have no bias, output layers have one.
- Weights start uniform in [-0.01, 0.01] (the released SVC configurations, "init-uniform").
"""

import math

import torch
from torch import nn

from ganzoo.contracts import Generator
from ganzoo.errors import GanzooError
from ganzoo.nn.layout import channels_last_on_cpu
from ganzoo.nn.sizes import halvings


def uniform_init(module, scale=0.01):
    """TGAN's initialisation: weights U(-scale, scale), zero biases, batch-norm scale 1."""
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d)):
            nn.init.uniform_(m.weight, -scale, scale)
            if m.bias is not None:
                nn.init.zeros_(m.bias)


class TemporalGenerator(nn.Module):
    """G0: ``z0 (B, z0_dim) -> z1 (B, T, z1_dim)`` by 1D deconvolutions (T = ``frames``)."""

    def __init__(self, frames=16, z0_dim=100, z1_dim=100, width=512):
        super().__init__()
        depth = int(round(math.log2(frames))) if frames >= 2 else 0
        if depth < 1 or 2**depth != frames:
            raise GanzooError(f"TGAN's temporal generator doubles the length per layer: frames must be 2, 4, 8, 16, ..., not {frames}")
        widths = [max(width >> i, width // 4) for i in range(depth)]  # 512, 256, 128, 128
        layers = [nn.ConvTranspose1d(z0_dim, widths[0], 1, bias=False), nn.BatchNorm1d(widths[0]), nn.ReLU(inplace=True)]
        for c_in, c_out in zip(widths, widths[1:]):
            layers += [nn.ConvTranspose1d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm1d(c_out), nn.ReLU(inplace=True)]
        layers += [nn.ConvTranspose1d(widths[-1], z1_dim, 4, 2, 1), nn.Tanh()]
        self.net = nn.Sequential(*layers)

    def forward(self, z0):
        """``(B, z0_dim)`` -> ``(B, T, z1_dim)``."""
        return self.net(z0[:, :, None]).transpose(1, 2)


class ImageGenerator(nn.Module):
    """G1: one frame per (z0, z1^t) pair, ``(N, z0_dim), (N, z1_dim) -> (N, 3, H, W)``.

    Speed, not maths: its transposed convs run channels-last on the CPU, where oneDNN's stride-1
    3x3 one to RGB was 8x faster; a small-preset training iteration 0.58-0.64x the time, the
    paper preset's forward + backward (4 x 16 frames at 64 px) 0.77x."""

    def __init__(self, resolution=64, z0_dim=100, z1_dim=100, width=512):
        super().__init__()
        depth = halvings(resolution, "tgan generator")
        if width // 2**depth < 1 or width % 2:
            raise GanzooError(f"TGAN width={width} must be even and survive {depth} halvings")
        self.width = width
        seed = (width // 2) * 16
        self.from_z0 = nn.Sequential(nn.Linear(z0_dim, seed, bias=False), nn.BatchNorm1d(seed), nn.ReLU(inplace=True))
        self.from_z1 = nn.Sequential(nn.Linear(z1_dim, seed, bias=False), nn.BatchNorm1d(seed), nn.ReLU(inplace=True))
        widths = [width // 2**i for i in range(depth + 1)]  # 512, 256, 128, 64, 32
        layers = []
        for c_in, c_out in zip(widths, widths[1:]):
            layers += [nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)]
        layers += [nn.ConvTranspose2d(widths[-1], 3, 3, 1, 1), nn.Tanh()]
        self.net = nn.Sequential(*layers)

    def forward(self, z0, z1):
        """``(N, z0_dim), (N, z1_dim)`` -> frames ``(N, 3, H, W)``."""
        half = self.width // 2
        h = torch.cat([self.from_z0(z0).view(-1, half, 4, 4), self.from_z1(z1).view(-1, half, 4, 4)], dim=1)
        return self.net(channels_last_on_cpu(h))


class TGANGenerator(Generator):
    """G0 + G1; latent ``{"z0": (B, z0_dim)}`` (optionally ``"z1": (B, T, z1_dim)``) -> ``(B, 3, T, H, W)``."""

    def __init__(self, frames=16, resolution=64, z0_dim=100, z1_dim=100, temporal_width=512, width=512):
        super().__init__()
        self.frames = self.max_frames = frames
        self.resolution, self.z0_dim, self.z1_dim = resolution, z0_dim, z1_dim
        self.temporal = TemporalGenerator(frames, z0_dim, z1_dim, temporal_width)
        self.image = ImageGenerator(resolution, z0_dim, z1_dim, width)
        uniform_init(self)

    def make_latent(self, batch, frames=None, generator=None):
        """``{"z0": (B, z0_dim)}`` uniform in [-1, 1] (Sec. 4). Only the trained length exists."""
        frames = self.check_frames(frames)
        if frames != self.frames:
            raise GanzooError(f"TGAN's temporal generator makes exactly {self.frames} frames, {frames} were asked for")
        z0 = torch.rand(batch, self.z0_dim, generator=generator).mul_(2).sub_(1)
        return {"z0": z0.to(self.device)}

    def frame_codes(self, latent):
        """The per-frame codes ``z1 (B, T, z1_dim)``: the latent's own, or G0(z0)."""
        if "z1" in latent:
            return latent["z1"]
        return self.temporal(latent["z0"])

    def forward(self, latent):
        """latent -> video ``(B, 3, T, H, W)`` in [-1, 1]."""
        z0 = latent["z0"]
        z1 = self.frame_codes(latent)
        batch, frames = z1.shape[:2]
        z0 = z0[:, None].expand(-1, frames, -1).reshape(batch * frames, -1)
        images = self.image(z0, z1.reshape(batch * frames, -1))
        return images.view(batch, frames, *images.shape[1:]).transpose(1, 2)
