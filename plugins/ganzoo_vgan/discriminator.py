"""VGAN's spatio-temporal discriminator (Vondrick et al. 2016, Sec. 2.3).

Mirror of the foreground stream: 3D convolutions (4x4x4 kernels, stride 2) 3x32x64x64 ->
64x16x32x32 -> 128x8x16x16 -> 256x4x8x8 -> 512x2x4x4, then one 3D convolution over the whole
remaining 2x4x4 volume to a single "real or not" logit. LeakyReLU (slope 0.2) after each
layer, batch normalisation on all but the first (Sec. 3).

Choices where the paper is silent:

- One logit for the binary cross-entropy ("bce") loss; the released code uses two softmax
  outputs with cross-entropy, which is the same classifier with one redundant filter.
- Depth follows the resolution (``log2(resolution / 4)`` stride-2 layers) and widths double
  from ``width`` (64); the last kernel covers the remaining ``frames / 2**depth`` x 4 x 4.
- A convolution followed by batch norm has no bias; batch-norm epsilon is 1e-3 and weights
  start from N(0, 0.01) as in the released code.
"""

import functools

from torch import nn

from ganzoo.contracts import VIDEO, Discriminator
from ganzoo.nn.dcgan import strided_conv_layers
from ganzoo.nn.sizes import check_time_halvings, doubling_widths, halvings


class VGANVideoDiscriminator(Discriminator):
    """3D-conv video discriminator: ``(B, channels, T, H, W) -> (B,)`` logits."""

    consumes = VIDEO

    def __init__(self, frames=32, resolution=64, channels=3, width=64):
        super().__init__()
        self.check(frames, resolution, channels)
        depth = halvings(resolution, "vgan-video")
        widths = doubling_widths(width, depth)
        layers = strided_conv_layers(nn.Conv3d, functools.partial(nn.BatchNorm3d, eps=1e-3), channels, widths)
        layers.append(nn.Conv3d(widths[-1], 1, (frames // 2**depth, 4, 4)))
        self.net = nn.Sequential(*layers)
        for module in self.modules():
            if isinstance(module, nn.Conv3d):
                nn.init.normal_(module.weight, 0.0, 0.01)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
            elif isinstance(module, nn.BatchNorm3d):
                nn.init.normal_(module.weight, 1.0, 0.02)
                nn.init.zeros_(module.bias)

    @classmethod
    def check(cls, frames, resolution, channels=3, **kwargs):
        """Frames must halve ``log2(resolution / 4)`` times to a whole number (32 at 64 px: 2 left)."""
        check_time_halvings(frames, halvings(resolution, "vgan-video"), "vgan-video", resolution)

    def forward(self, video):
        """``(B, C, T, H, W)`` -> logits ``(B,)``."""
        return self.net(video).flatten(1).squeeze(1)
