"""Factorized self-attention, F-SA (G3AN, Wang et al. 2020, Sec. 3.2, Fig. 4).

Temporal self-attention (T-SA: each pixel attends over time) followed by spatial
self-attention (S-SA: each frame attends over its pixels), each the SAGAN block
``x + gamma * softmax(q k^T) v`` with 1x1 projections q, k to C/8 channels and v to C,
spectral-normalised as in the official code, gamma initialised to 0. Like SAGAN (and the
official code) the scores are not scaled by 1/sqrt(d).

Speed: q, k and v are one 1x1 projection (their three spectral-normalised weights
concatenated, so the parameters and the maths are the paper's three convolutions). On the
CPU the attention itself is :class:`ChunkedAttention`; elsewhere one batched
``scaled_dot_product_attention`` call per factor.
"""

import torch
import torch.nn.functional as F
from torch import nn
from torch.autograd.function import once_differentiable
from torch.nn.utils.parametrizations import spectral_norm

# Bytes of one chunk's (sequences x L x L) score block: it stays in the core's cache between the
# three passes over it (q k^T, softmax, times v). 2 MiB measured best of 0.25-8 MiB on the CPU.
CHUNK_BYTES = 1 << 21


def attention(q, k, v):
    """``softmax(q k^T) v`` over ``(N, L, d)`` sequences (no 1/sqrt(d) scaling), v may be wider."""
    if q.device.type == "cpu" and not torch.is_autocast_enabled("cpu"):
        return ChunkedAttention.apply(q, k, v)
    return F.scaled_dot_product_attention(q, k, v, scale=1.0)


class ChunkedAttention(torch.autograd.Function):
    """``softmax(q k^T) v`` a few sequences at a time, recomputing the scores in backward.

    Why: q and k have C/8 channels and v has C, so torch's fused CPU kernel does not apply and
    its general path writes the whole ``(N, L, L)`` score tensor to memory and reads it back
    three times; for S-SA (L = H*W) that traffic, not arithmetic, was most of G3AN's attention
    time. Here each chunk's scores stay in cache. The forward is bit-identical to
    ``scaled_dot_product_attention``'s; gradients agree to float rounding (they are the
    softmax backward written out, ``tests/test_g3an_model.py``). One backward only: G3AN's
    generator needs no gradient of a gradient.
    """

    @staticmethod
    def forward(ctx, q, k, v):
        n, length = q.shape[0], q.shape[1]
        chunk = max(1, CHUNK_BYTES // (length * length * q.element_size()))
        out = q.new_empty(n, length, v.shape[-1])
        for i in range(0, n, chunk):
            part = slice(i, i + chunk)
            scores = torch.bmm(q[part], k[part].transpose(1, 2))
            torch.bmm(torch.softmax(scores, -1), v[part], out=out[part])
        ctx.save_for_backward(q, k, v)
        ctx.chunk = chunk
        return out

    @staticmethod
    @once_differentiable
    def backward(ctx, grad):
        q, k, v = ctx.saved_tensors
        dq, dk, dv = torch.empty_like(q), torch.empty_like(k), torch.empty_like(v)
        for i in range(0, q.shape[0], ctx.chunk):
            part = slice(i, i + ctx.chunk)
            p = torch.softmax(torch.bmm(q[part], k[part].transpose(1, 2)), -1)
            g = grad[part]
            torch.bmm(p.transpose(1, 2), g, out=dv[part])
            dp = torch.bmm(g, v[part].transpose(1, 2))
            ds = dp.sub_((dp * p).sum(-1, keepdim=True)).mul_(p)  # softmax backward
            torch.bmm(ds, k[part], out=dq[part])
            torch.bmm(ds.transpose(1, 2), q[part], out=dk[part])
        return dq, dk, dv


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
        return x + self.gamma * attention(q, k, v)


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
