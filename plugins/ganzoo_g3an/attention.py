"""Factorized self-attention, F-SA (G3AN, Wang et al. 2020, Sec. 3.2, Fig. 4).

Temporal self-attention (T-SA: each pixel attends over time) followed by spatial
self-attention (S-SA: each frame attends over its pixels), each the SAGAN block
``x + gamma * softmax(q k^T) v`` with 1x1 projections q, k to C/8 channels and v to C,
spectral-normalised as in the official code, gamma initialised to 0. Like SAGAN (and the
official code) the scores are not scaled by 1/sqrt(d).

Speed: q, k and v are one 1x1 projection (their three spectral-normalised weights
concatenated, so the parameters and the maths are the paper's three convolutions), and the
attention itself is one batched ``scaled_dot_product_attention`` call per factor.
"""

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm


class SelfAttention(nn.Module):
    """One SAGAN attention block over sequences ``(N, L, C) -> (N, L, C)``."""

    def __init__(self, channels):
        super().__init__()
        self.q = spectral_norm(nn.Linear(channels, channels // 8))
        self.k = spectral_norm(nn.Linear(channels, channels // 8))
        self.v = spectral_norm(nn.Linear(channels, channels))
        self.gamma = nn.Parameter(torch.zeros(1))
        self.split = (channels // 8, channels // 8, channels)

    def forward(self, x):
        weight = torch.cat([self.q.weight, self.k.weight, self.v.weight])
        bias = torch.cat([self.q.bias, self.k.bias, self.v.bias])
        q, k, v = F.linear(x, weight, bias).split(self.split, dim=-1)
        return x + self.gamma * F.scaled_dot_product_attention(q, k, v, scale=1.0)


class FactorizedSelfAttention(nn.Module):
    """F-SA on a video feature map ``(B, C, T, H, W) -> (B, C, T, H, W)``: T-SA then S-SA."""

    def __init__(self, channels):
        super().__init__()
        self.temporal = SelfAttention(channels)
        self.spatial = SelfAttention(channels)

    def forward(self, x):
        b, c, t, h, w = x.shape
        seq = x.permute(0, 3, 4, 2, 1).reshape(b * h * w, t, c)  # per pixel, over time
        seq = self.temporal(seq)
        seq = seq.view(b, h, w, t, c).permute(0, 3, 1, 2, 4).reshape(b * t, h * w, c)  # per frame, over pixels
        seq = self.spatial(seq)
        return seq.view(b, t, h, w, c).permute(0, 4, 1, 2, 3)
