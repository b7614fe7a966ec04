"""TGAN's 3D discriminator (Saito et al. 2017, Fig. 1 and the appendix's network table).

3D convolutions (4x4x4, stride 2, padding 1) 3x16x64x64 -> 64x8x32x32 -> 128x4x16x16 ->
256x2x8x8 -> 512x1x4x4 with LeakyReLU (0.2), batch norm on all but the first, then a 2D
convolution (4x4, no padding) applied to each remaining time slice -> one critic value.
It is a Wasserstein critic: its raw output is the score (no sigmoid).

Choices where the paper is silent:

- Depth follows the resolution (``log2(resolution / 4)`` layers), widths double from
  ``width`` (64). When time is not reduced to one slice (e.g. 8 frames at 16 px leave 2),
  the per-slice values are summed, as the released code's loss sums over every output.
- Layers followed by batch norm have no bias; the first and last have one; weights start
  uniform in [-0.01, 0.01].
"""

from torch import nn

from ganzoo.contracts import VIDEO, Discriminator
from ganzoo.nn.dcgan import strided_conv_layers
from ganzoo.nn.sizes import check_time_halvings, doubling_widths, halvings
from ganzoo_tgan.generator import uniform_init


class TGANVideoDiscriminator(Discriminator):
    """3D-conv critic: ``(B, channels, T, H, W) -> (B,)`` scores."""

    consumes = VIDEO

    def __init__(self, frames=16, resolution=64, channels=3, width=64):
        super().__init__()
        self.check(frames, resolution, channels)
        depth = halvings(resolution, "tgan-video")
        widths = doubling_widths(width, depth)
        self.features = nn.Sequential(*strided_conv_layers(nn.Conv3d, nn.BatchNorm3d, channels, widths))
        self.head = nn.Conv2d(widths[-1], 1, 4)
        uniform_init(self)

    @classmethod
    def check(cls, frames, resolution, channels=3, **kwargs):
        """Frames must halve ``log2(resolution / 4)`` times to a whole number (16 at 64 px: 1 left)."""
        check_time_halvings(frames, halvings(resolution, "tgan-video"), "tgan-video", resolution)

    def forward(self, video):
        """``(B, C, T, H, W)`` -> scores ``(B,)``."""
        h = self.features(video)  # (B, C', T', 4, 4)
        batch, channels, slices = h.shape[:3]
        h = h.transpose(1, 2).reshape(batch * slices, channels, *h.shape[3:])
        return self.head(h).view(batch, slices).sum(1)
