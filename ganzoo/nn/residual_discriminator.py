"""StyleGAN2's residual discriminator (Karras et al. 2020, Fig. 7c and App. B), in pure torch.

fromRGB (1x1) at full resolution -> residual blocks halving the resolution down to 4x4 ->
minibatch standard deviation -> 3x3 conv -> two linear layers -> one logit per sample.
InMoDeGAN uses it as the image discriminator D_I and, with 3K input channels, as each of the
Temporal Pyramid Discriminator's sub-discriminators.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

from ganzoo.errors import GanzooError
from ganzoo.nn.equalized import LEAKY_GAIN, EqualConv2d, EqualLinear
from ganzoo.nn.layout import channels_last_on_cpu
from ganzoo.nn.resample import Blur


def stylegan2_channels(resolution, channel_base=32768, channel_max=512):
    """Feature maps at one resolution: ``min(channel_max, channel_base // resolution)``.

    The defaults reproduce StyleGAN2 config F (512 up to 64x64, 256 at 128x128, 128 at 256x256).
    """
    return max(1, min(channel_max, channel_base // resolution))


def check_resolution(resolution, what):
    """A power of two >= 4, or a one-line error naming ``what``."""
    if resolution < 4 or resolution & (resolution - 1):
        raise GanzooError(f"{what} needs a power-of-two resolution >= 4, got {resolution}")


class ConvLayer(nn.Module):
    """Equalized conv, optionally blur + stride-2 downsampling first, then bias + leaky ReLU.

    Shape: ``(N, I, H, W) -> (N, O, H, W)`` or ``(N, O, H/2, W/2)`` with ``downsample``.
    """

    def __init__(self, in_channels, out_channels, kernel_size, downsample=False, bias=True, activate=True,
                 equalized=True):
        super().__init__()
        self.blur = None
        if downsample:
            p = (4 - 2) + (kernel_size - 1)
            self.blur = Blur(pad=((p + 1) // 2, p // 2))
        self.conv = EqualConv2d(in_channels, out_channels, kernel_size, stride=2 if downsample else 1,
                                padding=0 if downsample else kernel_size // 2, bias=bias and not activate,
                                equalized=equalized)
        self.act_bias = nn.Parameter(torch.zeros(out_channels)) if bias and activate else None
        self.activate = activate

    def forward(self, x):
        if self.blur is not None:
            x = self.blur(x)
        if not self.activate:
            return self.conv(x)
        # leaky_relu(conv(x) + b) * gain = leaky_relu(conv(x) * gain + b * gain), leaky ReLU being
        # positively homogeneous: gain and bias ride on the conv's weight and bias (one pass over
        # the activation instead of three; speed, issue 17.4)
        bias = None if self.act_bias is None else self.act_bias * LEAKY_GAIN
        return F.leaky_relu(self.conv(x, gain=LEAKY_GAIN, bias=bias), 0.2)


class ResBlock(nn.Module):
    """Two 3x3 convs (the second downsamples) plus a 1x1 downsampled skip, summed / sqrt(2).

    Shape: ``(N, I, H, W) -> (N, O, H/2, W/2)``.
    """

    def __init__(self, in_channels, out_channels, equalized=True):
        super().__init__()
        self.conv1 = ConvLayer(in_channels, in_channels, 3, equalized=equalized)
        self.conv2 = ConvLayer(in_channels, out_channels, 3, downsample=True, equalized=equalized)
        self.skip = ConvLayer(in_channels, out_channels, 1, downsample=True, bias=False, activate=False,
                              equalized=equalized)

    def forward(self, x):
        return (self.conv2(self.conv1(x)) + self.skip(x)) / math.sqrt(2.0)


class MinibatchStdDev(nn.Module):
    """Appends the average over features of the stddev across groups of samples (ProGAN Sec. 3).

    ``(N, C, H, W) -> (N, C + features, H, W)``. The group is the largest divisor of N that
    is <= ``group_size`` (StyleGAN2 requires N divisible by 4; a remainder here would make
    the layer fail for small evaluation batches, so it shrinks the group instead).
    """

    def __init__(self, group_size=4, features=1):
        super().__init__()
        self.group_size, self.features = group_size, features

    def forward(self, x):
        n, c, h, w = x.shape
        g = next(d for d in range(min(self.group_size, n), 0, -1) if n % d == 0)
        f = self.features
        y = x.reshape(g, n // g, f, c // f, h, w)
        y = (y.var(0, unbiased=False) + 1e-8).sqrt()  # (N/g, f, c/f, h, w)
        y = y.mean((2, 3, 4))  # (N/g, f)
        y = y.reshape(-1, f, 1, 1).repeat(g, 1, h, w)
        return torch.cat([x, y], 1)


class ResidualDiscriminator(nn.Module):
    """``(N, in_channels, R, R) -> (N,)`` logits (StyleGAN2 residual D, Fig. 7c).

    ``in_channels`` is 3 for an image D and 3K for a time-to-channel stack of K frames (TPD).
    ``equalized=False`` builds every layer plain (see :mod:`ganzoo.nn.equalized`): the same
    function at initialisation, for optimizers tuned for plain layers.
    Parameters at the defaults and R = 64, in_channels = 3: 26.49 M (``tests/test_nn_layers.py``).
    """

    def __init__(self, resolution, in_channels=3, channel_base=32768, channel_max=512, mbstd_group=4,
                 equalized=True):
        super().__init__()
        check_resolution(resolution, "ResidualDiscriminator")
        ch = lambda r: stylegan2_channels(r, channel_base, channel_max)  # noqa: E731
        self.from_rgb = ConvLayer(in_channels, ch(resolution), 1, equalized=equalized)
        blocks, r = [], resolution
        while r > 4:
            blocks.append(ResBlock(ch(r), ch(r // 2), equalized))
            r //= 2
        self.blocks = nn.Sequential(*blocks)
        self.mbstd = MinibatchStdDev(mbstd_group)
        self.final_conv = ConvLayer(ch(4) + 1, ch(4), 3, equalized=equalized)
        self.final_linear = nn.Sequential(EqualLinear(ch(4) * 16, ch(4), activation="lrelu", equalized=equalized),
                                          EqualLinear(ch(4), 1, equalized=equalized))
        self.in_channels, self.resolution = in_channels, resolution

    def forward(self, x):
        if x.ndim != 4 or x.shape[1] != self.in_channels or x.shape[-1] != self.resolution or x.shape[-2] != self.resolution:
            raise GanzooError(
                f"discriminator expects (N, {self.in_channels}, {self.resolution}, {self.resolution}), got {tuple(x.shape)}"
            )
        x = self.blocks(self.from_rgb(self._layout(x)))
        x = self.final_conv(self.mbstd(x))
        return self.final_linear(x.flatten(1)).squeeze(1)

    def _layout(self, x):
        """Speed, not maths: channels-last on the CPU, where oneDNN's convolutions (the blur's
        depthwise one twice as fast) run a TPD or small-preset training iteration 11-14% faster
        (issue 17.4); at the paper preset it measured the same either way."""
        return channels_last_on_cpu(x)
