"""Per-pixel noise injection (StyleGAN Sec. 3.2, StyleGAN2 Fig. 2c): ``x + strength * noise``
with one learned strength per layer (StyleGAN2 uses a scalar, not one per channel)."""

import torch
from torch import nn

from ganzoo.nn.equalized import autograd_needed


class NoiseInjection(nn.Module):
    """``(N, C, H, W) + strength * noise (N, 1, H, W)``; ``noise=None`` adds nothing.

    The caller owns the noise (it is part of an explicit latent, so a forward pass is
    deterministic given the latent); None means "no noise", not "draw some". ``inplace=True``
    (a caller that owns ``x``) writes the sum into ``x`` when autograd is off.
    """

    def __init__(self):
        super().__init__()
        self.strength = nn.Parameter(torch.zeros(()))

    def forward(self, x, noise=None, inplace=False):
        if noise is None:
            return x
        if inplace and not autograd_needed(x, self.strength, noise):
            return x.add_(self.strength * noise)  # (N, 1, H, W): small; no .item() (meta tensors)
        return x + self.strength * noise
