"""Equalized learning rate (ProGAN Sec. 4.1, kept by StyleGAN2): weights are stored N(0, 1/lr_mul^2)
and scaled at run time by ``lr_mul / sqrt(fan_in)``, so Adam's per-parameter step is the same for
every layer whatever its fan-in.

``equalized=False`` stores the run-time weight itself (N(0, 1/fan_in), scale 1): the same network
at initialisation, but trained as a plain layer is. Adam's step on a stored weight is about lr
whatever its gradient's scale, so an equalized weight (magnitude 1, effective step
lr / sqrt(fan_in)) moves sqrt(fan_in) times less, relative to its size, than a plain one
(magnitude 1/sqrt(fan_in), step lr): an lr tuned for plain layers (2e-4) barely moves equalized
ones. A plain layer under Adam at lr equals an equalized one at lr * sqrt(fan_in) per layer.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

LEAKY_GAIN = math.sqrt(2.0)  # keeps activations at unit variance through leaky ReLU (StyleGAN2)


def bias_leaky_relu(x, bias=None, slope=0.2, gain=LEAKY_GAIN, inplace=False):
    """``leaky_relu(x + bias) * gain`` with ``bias`` broadcast over dim 1 (any shape ``(N, C, ...)``).

    ``inplace=True`` lets a caller that owns ``x`` reuse its memory when autograd is off.

    StyleGAN2 fuses this into one CUDA op; here it is two elementwise ops that torch fuses
    well enough, and it runs on every device.
    """
    view = None if bias is None else bias.view(1, -1, *([1] * (x.ndim - 2)))
    if inplace and not autograd_needed(x, bias):  # inference: no copies of a large activation
        if view is not None:
            x.add_(view)
        return F.leaky_relu_(x, slope).mul_(gain)
    if view is not None:
        x = x + view
    return F.leaky_relu(x, slope) * gain


def autograd_needed(*tensors):
    """Whether autograd records ops on these tensors (else in-place ops are safe to use)."""
    return torch.is_grad_enabled() and any(t is not None and t.requires_grad for t in tensors)


def _store(weight, scale, equalized):
    """The run-time scale of a layer; a plain layer (``equalized=False``) folds it into its weight."""
    if equalized:
        return scale
    with torch.no_grad():
        weight.mul_(scale)
    return 1.0


class EqualLinear(nn.Module):
    """Linear layer with equalized lr; ``activation="lrelu"`` adds StyleGAN2's scaled leaky ReLU.

    ``lr_mul`` < 1 slows the layer down (StyleGAN's mapping network uses 0.01);
    ``bias_init`` = 1 makes the style affines start at the identity modulation.
    Shape: ``(..., in_features) -> (..., out_features)``.
    """

    def __init__(self, in_features, out_features, bias=True, bias_init=0.0, lr_mul=1.0, activation=None,
                 equalized=True):
        super().__init__()
        if activation not in (None, "lrelu"):
            raise ValueError(f"EqualLinear activation must be None or 'lrelu', not {activation!r}")
        if not equalized and lr_mul != 1.0:
            raise ValueError(f"EqualLinear: lr_mul={lr_mul} needs equalized=True (a plain layer has no lr multiplier)")
        self.weight = nn.Parameter(torch.randn(out_features, in_features) / lr_mul)
        self.bias = nn.Parameter(torch.full((out_features,), float(bias_init))) if bias else None
        self.scale = _store(self.weight, lr_mul / math.sqrt(in_features), equalized)
        self.lr_mul = lr_mul
        self.activation = activation

    def forward(self, x):
        bias = None if self.bias is None else self.bias * self.lr_mul
        if self.activation:
            out = F.linear(x, self.weight * self.scale)
            flat = out.reshape(-1, out.shape[-1])
            return bias_leaky_relu(flat, bias).view(out.shape)
        return F.linear(x, self.weight * self.scale, bias)

    def extra_repr(self):
        return f"{self.weight.shape[1]}, {self.weight.shape[0]}, lr_mul={self.lr_mul}, activation={self.activation}"


class EqualConv2d(nn.Module):
    """2D convolution with equalized lr. Shape: ``(N, C_in, H, W) -> (N, C_out, H', W')``."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True, equalized=True):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_channels, in_channels, kernel_size, kernel_size))
        self.bias = nn.Parameter(torch.zeros(out_channels)) if bias else None
        self.scale = _store(self.weight, 1.0 / math.sqrt(in_channels * kernel_size**2), equalized)
        self.stride, self.padding = stride, padding

    def forward(self, x, gain=1.0, bias=None):
        """``gain`` multiplies the output, applied to the (small) weight; ``bias``, when given,
        replaces the layer's own (a caller folding its activation's bias into the conv)."""
        bias = self.bias if bias is None else bias
        return F.conv2d(x, self.weight * (self.scale * gain), bias, stride=self.stride, padding=self.padding)

    def extra_repr(self):
        o, i, k, _ = self.weight.shape
        return f"{i}, {o}, kernel_size={k}, stride={self.stride}, padding={self.padding}"
