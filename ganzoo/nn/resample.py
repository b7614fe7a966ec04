"""FIR up/down-sampling in pure PyTorch (StyleGAN2 Sec. 2 / App. B: "bilinear" [1, 3, 3, 1] filter).

``upfirdn2d`` is the reference op of StyleGAN2: upsample by zero insertion, pad, convolve with
a 2D FIR kernel, downsample by keeping every ``down``-th sample. Written with ``F.pad`` and a
depthwise ``F.conv2d`` so it needs no compiled extension and runs on CPU, CUDA and MPS.
"""

import torch
from torch import nn
from torch.nn import functional as F


def make_kernel(taps=(1, 3, 3, 1)):
    """1D taps -> separable 2D kernel (outer product) normalised to sum 1; ``(K, K)`` float."""
    k = torch.as_tensor(taps, dtype=torch.float32)
    if k.ndim == 1:
        k = k[None, :] * k[:, None]
    return k / k.sum()


def _upfirdn2d_native(x, kernel, up, down, pad):
    """The op itself, any order of autograd through plain torch ops (see :func:`upfirdn2d`)."""
    n, c, h, w = x.shape
    if up > 1:
        x = x.reshape(n, c, h, 1, w, 1)
        x = F.pad(x, [0, up - 1, 0, 0, 0, up - 1])
        x = x.reshape(n, c, h * up, w * up)
    p0, p1 = pad
    x = F.pad(x, [max(p0, 0), max(p1, 0), max(p0, 0), max(p1, 0)])
    if p0 < 0 or p1 < 0:
        x = x[:, :, max(-p0, 0): x.shape[2] - max(-p1, 0), max(-p0, 0): x.shape[3] - max(-p1, 0)]
    weight = torch.flip(kernel, [0, 1]).to(x)[None, None].expand(c, 1, *kernel.shape)
    return F.conv2d(x, weight, stride=down, groups=c)  # depthwise: one filter per channel


class _UpFirDn2d(torch.autograd.Function):
    """upfirdn2d whose gradient is again an upfirdn2d (flipped kernel, up and down swapped).

    torch's own double backward of a depthwise convolution loops over the channel groups,
    which made R1 (a gradient of a gradient through every blur of the discriminator) about
    30x slower; expressing each derivative as this op keeps every order a depthwise conv.
    """

    @staticmethod
    def forward(ctx, x, kernel, up, down, pad):
        out = _upfirdn2d_native(x, kernel, up, down, pad)
        ctx.save_for_backward(kernel)
        ctx.args = (up, down, pad, x.shape[2], out.shape[2])
        return out

    @staticmethod
    def backward(ctx, grad):
        (kernel,) = ctx.saved_tensors
        up, down, (p0, _), size_in, size_out = ctx.args
        k = kernel.shape[0]
        grad_pad = (k - p0 - 1, size_in * up - size_out * down + p0 - up + 1)
        return _UpFirDn2d.apply(grad, torch.flip(kernel, [0, 1]), down, up, grad_pad), None, None, None, None


def upfirdn2d(x, kernel, up=1, down=1, pad=(0, 0)):
    """``(N, C, H, W)`` -> ``(N, C, (H*up + p0 + p1 - K) // down + 1, same for W)``.

    ``pad`` = (before, after), the same on both axes; negative values crop. ``kernel`` is
    ``(K, K)`` and applied as a true convolution (flipped), as in StyleGAN2's reference op.
    Square inputs and kernels (all StyleGAN2 needs); the gradient is itself an upfirdn2d.
    """
    if x.shape[2] != x.shape[3] or kernel.shape[0] != kernel.shape[1]:
        raise ValueError(f"upfirdn2d takes square inputs and kernels, got {tuple(x.shape)} and {tuple(kernel.shape)}")
    return _UpFirDn2d.apply(x, kernel, up, down, tuple(pad))


class Blur(nn.Module):
    """FIR low-pass used around strided/transposed convolutions (StyleGAN2's anti-aliasing).

    ``up_gain`` multiplies the kernel by ``factor**2`` after a transposed conv, whose zero
    insertion otherwise divides the signal energy by that much.
    """

    def __init__(self, taps=(1, 3, 3, 1), pad=(0, 0), up_gain=1):
        super().__init__()
        self.register_buffer("kernel", make_kernel(taps) * up_gain**2, persistent=False)
        self.pad = tuple(pad)

    def forward(self, x):
        return upfirdn2d(x, self.kernel, pad=self.pad)


class Upsample(nn.Module):
    """``(N, C, H, W) -> (N, C, fH, fW)`` by zero insertion and FIR filtering (skip toRGB path)."""

    def __init__(self, taps=(1, 3, 3, 1), factor=2):
        super().__init__()
        self.register_buffer("kernel", make_kernel(taps) * factor**2, persistent=False)
        p = self.kernel.shape[0] - factor
        self.factor, self.pad = factor, ((p + 1) // 2 + factor - 1, p // 2)

    def forward(self, x):
        return upfirdn2d(x, self.kernel, up=self.factor, pad=self.pad)


class Downsample(nn.Module):
    """``(N, C, H, W) -> (N, C, H/f, W/f)`` by FIR filtering then decimation."""

    def __init__(self, taps=(1, 3, 3, 1), factor=2):
        super().__init__()
        self.register_buffer("kernel", make_kernel(taps), persistent=False)
        p = self.kernel.shape[0] - factor
        self.factor, self.pad = factor, ((p + 1) // 2, p // 2)

    def forward(self, x):
        return upfirdn2d(x, self.kernel, down=self.factor, pad=self.pad)
