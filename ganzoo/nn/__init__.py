"""Shared layers (StyleGAN2, Karras et al. 2020; DCGAN) and sizing rules that any ganzoo model may reuse.

Everything here is pure PyTorch (no custom CUDA ops), so it runs on any device:

- :mod:`ganzoo.nn.equalized`: equalized-learning-rate linear/conv layers, bias + leaky ReLU.
- :mod:`ganzoo.nn.norm`: pixel norm.
- :mod:`ganzoo.nn.resample`: upfirdn2d, blur, up/down-sampling by FIR filtering.
- :mod:`ganzoo.nn.modulated`: modulated/demodulated convolution (two formulations), toRGB.
- :mod:`ganzoo.nn.noise`: per-pixel noise injection.
- :mod:`ganzoo.nn.residual_discriminator`: StyleGAN2's residual discriminator, minibatch stddev.
- :mod:`ganzoo.nn.dcgan`: DCGAN's strided-conv discriminator body (VGAN's, TGAN's 3D Ds).
- :mod:`ganzoo.nn.sizes`: how deep a conv stack is for a frame size (one rule for every model).
- :mod:`ganzoo.nn.layout`: channels-last memory on the CPU, where it was measured faster.
"""

from ganzoo.nn.equalized import EqualConv2d, EqualLinear, bias_leaky_relu
from ganzoo.nn.layout import channels_last_on_cpu
from ganzoo.nn.modulated import ModulatedConv2d, StyledConv, ToRGB
from ganzoo.nn.noise import NoiseInjection
from ganzoo.nn.norm import PixelNorm, pixel_norm
from ganzoo.nn.resample import Blur, Downsample, Upsample, make_kernel, upfirdn2d
from ganzoo.nn.residual_discriminator import MinibatchStdDev, ResBlock, ResidualDiscriminator, stylegan2_channels

__all__ = [
    "Blur", "Downsample", "EqualConv2d", "EqualLinear", "MinibatchStdDev", "ModulatedConv2d", "NoiseInjection",
    "PixelNorm", "ResBlock", "ResidualDiscriminator", "StyledConv", "ToRGB", "Upsample", "bias_leaky_relu",
    "channels_last_on_cpu", "make_kernel", "pixel_norm", "stylegan2_channels", "upfirdn2d",
]
