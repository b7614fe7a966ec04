"""MoCoGAN generator (Tulyakov et al. 2018, Sec. 3.1 and Fig. 2).

A video is the image generator G_I run on one code per frame: ``z^(t) = [z_C, z_M^(t)]``
where the content code ``z_C`` is fixed over the clip and the motion codes come from a
GRU, ``z_M^(t) = GRU(eps^(t), h^(t-1))`` with ``h^(0) ~ N(0, I)`` and ``eps^(t) ~ N(0, I)``
(Sec. 3.1, "R_M"). Dims as in the paper's experiments: ``d_C = 50``, ``d_M = 10``.

G_I is the DCGAN-style stack of the paper's appendix table (layer sizes checked against
the official implementation's generator: transposed convs without bias, BatchNorm, ReLU,
tanh): a 4x4 stem from the 1x1 code, then one stride-2 transposed conv per doubling.
Unconditional: the categorical code ``z_A`` of the paper's conditional experiments is not
used (InMoDeGAN's Tab. 1 baselines are unconditional).
"""


import torch
from torch import nn

from ganzoo.contracts import Generator
from ganzoo.nn.sizes import halvings


def image_generator(dim_in, resolution, width):
    """G_I: ``(N, dim_in, 1, 1) -> (N, 3, R, R)`` in [-1, 1].

    At R = 64 the channels are 8w, 4w, 2w, w, 3 (w = ``width`` = 64 in the paper)."""
    doublings = halvings(resolution, "mocogan generator")  # 4 -> R
    widths = [width * 2 ** (doublings - 1 - i) for i in range(doublings)]
    layers = [nn.ConvTranspose2d(dim_in, widths[0], 4, 1, 0, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU(True)]
    for c_in, c_out in zip(widths, widths[1:]):
        layers += [nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(True)]
    layers += [nn.ConvTranspose2d(widths[-1], 3, 4, 2, 1, bias=False), nn.Tanh()]
    return nn.Sequential(*layers)


class MoCoGANGenerator(Generator):
    """Content code + GRU motion codes -> frames by G_I.

    Latent: ``z_content (B, d_C)``, ``h0 (B, d_M)`` (the GRU's initial state) and
    ``epsilon (B, T, d_M)`` (its per-step input noise). The GRU can unroll any number of
    steps, so ``max_frames`` is None: longer videos just draw a longer ``epsilon``.
    """

    max_frames = None

    def __init__(self, frames=16, resolution=64, dim_z_content=50, dim_z_motion=10, width=64):
        super().__init__()
        self.frames, self.resolution = int(frames), int(resolution)
        self.dim_z_content, self.dim_z_motion = int(dim_z_content), int(dim_z_motion)
        self.recurrent = nn.GRUCell(self.dim_z_motion, self.dim_z_motion)
        self.image = image_generator(self.dim_z_content + self.dim_z_motion, self.resolution, int(width))

    def make_latent(self, batch, frames=None, generator=None):
        frames = self.check_frames(frames)
        return {
            "z_content": self.randn(batch, self.dim_z_content, generator=generator),
            "h0": self.randn(batch, self.dim_z_motion, generator=generator),
            "epsilon": self.randn(batch, frames, self.dim_z_motion, generator=generator),
        }

    def motion_codes(self, h0, epsilon):
        """``h0 (B, d_M)``, ``epsilon (B, T, d_M)`` -> ``z_M (B, T, d_M)``: the GRU unrolled T steps."""
        codes, h = [], h0
        for t in range(epsilon.shape[1]):
            h = self.recurrent(epsilon[:, t], h)
            codes.append(h)
        return torch.stack(codes, 1)

    def forward(self, latent):
        """latent -> video ``(B, 3, T, H, W)`` in [-1, 1]; all B*T frames go through G_I at once."""
        z_content, epsilon = latent["z_content"], latent["epsilon"]
        batch, frames = epsilon.shape[:2]
        z_motion = self.motion_codes(latent["h0"], epsilon)
        codes = torch.cat([z_content[:, None].expand(-1, frames, -1), z_motion], 2)
        images = self.image(codes.reshape(batch * frames, -1, 1, 1))
        return images.view(batch, frames, 3, self.resolution, self.resolution).transpose(1, 2)
