"""Modulated / demodulated convolution (StyleGAN2 Sec. 2.2, Eq. 1-3) and the layers built on it.

Eq. 1: w'_ijk = s_i * w_ijk (modulation by a per-sample style s);
Eq. 3: w''_ijk = w'_ijk / sqrt(sum_ik w'_ijk^2 + eps) (demodulation, per sample and output channel j).

Two exact formulations, chosen by ``modconv``:

- ``"scaled"`` (default): scale the input activations by s, run one plain convolution with
  the shared weight, scale the output by the demodulation factors. Valid because the demod
  factor depends only on (sample, output channel), so it commutes with the convolution.
  One big GEMM over all N samples; the StyleGAN2 paper's "non-fused" path.
- ``"grouped"``: build one weight per sample and run a grouped convolution with N groups
  (StyleGAN2's "fused" path). Many small GEMMs, and an (N, O, I, k, k) weight tensor.

Both give the same result to float rounding (tested). On CPU the scaled form was 1.5x faster on
InMoDeGAN's paper generator (``benchmarks/test_bench_inmodegan.py``; numbers in the docstring
of ``ganzoo_inmodegan``), so it is the default.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

from ganzoo.nn.equalized import EqualLinear, autograd_needed, bias_leaky_relu
from ganzoo.nn.noise import NoiseInjection
from ganzoo.nn.resample import Blur, Upsample

MODCONV_FORMS = ("scaled", "grouped")


class ModulatedConv2d(nn.Module):
    """``(x (N, I, H, W), w (N, w_dim)) -> (N, O, H', W')``; H' = 2H when ``upsample``.

    The style affine A (StyleGAN2 Fig. 2) is part of the layer: ``s = A(w)``, bias-initialised
    to 1 so training starts from unmodulated convolutions. Upsampling is a stride-2 transposed
    convolution followed by a [1, 3, 3, 1] blur, as in StyleGAN2.
    """

    def __init__(self, in_channels, out_channels, kernel_size, w_dim, demodulate=True, upsample=False,
                 modconv="scaled", blur_taps=(1, 3, 3, 1), eps=1e-8):
        super().__init__()
        if modconv not in MODCONV_FORMS:
            raise ValueError(f"modconv must be one of {MODCONV_FORMS}, not {modconv!r}")
        self.weight = nn.Parameter(torch.randn(out_channels, in_channels, kernel_size, kernel_size))
        self.scale = 1.0 / math.sqrt(in_channels * kernel_size**2)
        self.affine = EqualLinear(w_dim, in_channels, bias_init=1.0)
        self.demodulate, self.upsample, self.modconv, self.eps = demodulate, upsample, modconv, eps
        self.padding = 0 if upsample else kernel_size // 2
        if upsample:
            p = (len(blur_taps) - 2) - (kernel_size - 1)
            self.blur = Blur(blur_taps, pad=((p + 1) // 2 + 1, p // 2 + 1), up_gain=2)

    def forward(self, x, w):
        style = self.affine(w)  # (N, I)
        weight = self.weight * self.scale  # (O, I, k, k)
        out = self._scaled(x, style, weight) if self.modconv == "scaled" else self._grouped(x, style, weight)
        return self.blur(out) if self.upsample else out

    def _demod(self, style, weight):
        """Demodulation factors ``(N, O)``: rsqrt(sum_{i,k} (s_i w_oik)^2) as one small GEMM."""
        return torch.rsqrt(style.square() @ weight.square().sum((2, 3)).t() + self.eps)

    def _scaled(self, x, style, weight):
        x = x * style[:, :, None, None]
        if self.upsample:
            out = F.conv_transpose2d(x, weight.transpose(0, 1), stride=2)
        else:
            out = F.conv2d(x, weight, padding=self.padding)
        if self.demodulate:
            demod = self._demod(style, weight)[:, :, None, None]
            out = out.mul_(demod) if not autograd_needed(out, demod) else out * demod
        return out

    def _grouped(self, x, style, weight):
        n, i, h, w = x.shape
        o, _, k, _ = weight.shape
        weight = weight[None] * style[:, None, :, None, None]  # (N, O, I, k, k)
        if self.demodulate:
            weight = weight * torch.rsqrt(weight.square().sum((2, 3, 4)) + self.eps)[:, :, None, None, None]
        x = x.reshape(1, n * i, h, w)
        if self.upsample:
            weight = weight.transpose(1, 2).reshape(n * i, o, k, k)
            out = F.conv_transpose2d(x, weight, stride=2, groups=n)
        else:
            out = F.conv2d(x, weight.reshape(n * o, i, k, k), padding=self.padding, groups=n)
        return out.reshape(n, o, *out.shape[2:])


class StyledConv(nn.Module):
    """Modulated 3x3 conv -> noise -> bias + scaled leaky ReLU (one StyleGAN2 synthesis layer).

    Shape: ``(N, I, H, W), w (N, w_dim), noise (N, 1, H', W') or None -> (N, O, H', W')``.
    """

    def __init__(self, in_channels, out_channels, w_dim, upsample=False, modconv="scaled"):
        super().__init__()
        self.conv = ModulatedConv2d(in_channels, out_channels, 3, w_dim, upsample=upsample, modconv=modconv)
        self.noise = NoiseInjection()
        self.bias = nn.Parameter(torch.zeros(out_channels))

    def forward(self, x, w, noise=None):
        out = self.noise(self.conv(x, w), noise, inplace=True)  # the conv output is ours to overwrite
        return bias_leaky_relu(out, self.bias, inplace=True)


class ToRGB(nn.Module):
    """Modulated 1x1 conv to RGB without demodulation, plus the upsampled skip (StyleGAN2 Fig. 7b).

    Shape: ``(N, I, H, W), w, skip (N, 3, H/2, W/2) or None -> (N, 3, H, W)``.
    """

    def __init__(self, in_channels, w_dim, upsample_skip=True, modconv="scaled", channels=3):
        super().__init__()
        self.conv = ModulatedConv2d(in_channels, channels, 1, w_dim, demodulate=False, modconv=modconv)
        self.bias = nn.Parameter(torch.zeros(channels))
        self.upsample = Upsample() if upsample_skip else None

    def forward(self, x, w, skip=None):
        out = self.conv(x, w) + self.bias[None, :, None, None]
        if skip is not None:
            out = out + self.upsample(skip)
        return out
