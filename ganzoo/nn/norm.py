"""Pixel norm (ProGAN, Karras et al. 2018, Sec. 4.2): each feature vector to unit RMS."""

import torch
from torch import nn


def pixel_norm(x, dim=1, eps=1e-8):
    """``x / sqrt(mean(x^2 over dim) + eps)``; any shape, normalised along ``dim``."""
    return x * torch.rsqrt(x.square().mean(dim=dim, keepdim=True) + eps)


class PixelNorm(nn.Module):
    """Module form of :func:`pixel_norm` over dim 1 (the input of StyleGAN's mapping MLP)."""

    def forward(self, x):
        return pixel_norm(x)
