"""G3AN generator (Wang et al. 2020, Sec. 3.1, Fig. 2): a stack of G3 modules and F-SA.

Inputs (Sec. 4, "Implementation details"): appearance noise ``z_a ~ N(0, I)`` of 128 dims
and motion noise ``z_m ~ N(0, I)`` of 10 dims. The appearance stream starts from ``z_a``,
the motion stream from ``z_m``, the video stream from their concatenation ``z_v``.

Levels at 64px (channels with width w = 64, as the official code): G3_0 makes 4x4 frames
and 4 time steps (kernel 4, stride 1), G3_1 and G3_2 double space and time (8x8x8,
16x16x16), G3_3 and G3_4 double space only (32x32, 64x64) with 8w, 8w, 4w, 2w, w channels;
F-SA sits before the last level (on the 32x32 video stream), as in Fig. 2; a (1, 3, 3)
conv and tanh make RGB. Smaller resolutions drop levels from the top (the first
upsampling levels keep the temporal doubling), so 16 frames at every size.

Frames: the motion noise is a sequence of L steps, ``z_m (B, L, 10)``, and the stack makes
``T = 4 * (L + 3)`` frames: L = 1 is the paper's 16 frames, longer L makes longer videos
(the official code's multi-length demo makes 16, 20, ..., 48 frames this way). So
``max_frames`` is None, but T must be a multiple of 4 and at least 16.
"""


import torch
from torch import nn

from ganzoo.contracts import Generator
from ganzoo.errors import GanzooError
from ganzoo.nn.sizes import halvings

from ganzoo_g3an.attention import FactorizedSelfAttention
from ganzoo_g3an.g3 import G3, PerFrame, materialize, per_frame_conv

TEMPORAL_FIRST = (4, 1, 0)  # L -> L + 3
TEMPORAL_UP = (4, 2, 1)  # T -> 2T
TEMPORAL_KEEP = (1, 1, 0)
SPATIAL_FIRST = (4, 1, 0)  # 1 -> 4
SPATIAL_UP = (4, 2, 1)  # H -> 2H


class G3ANGenerator(Generator):
    """Latent ``z_a (B, dim_za)``, ``z_m (B, L, dim_zm)`` -> video ``(B, 3, 4(L+3), R, R)``."""

    max_frames = None

    def __init__(self, frames=16, resolution=64, dim_za=128, dim_zm=10, width=64, attention=True):
        super().__init__()
        self.frames, self.resolution = int(frames), int(resolution)
        self.dim_za, self.dim_zm = int(dim_za), int(dim_zm)
        self.check_frames(self.frames)
        levels = halvings(resolution, "g3an generator", smallest=2, minimum=16)  # a G3 per level from 2x2
        outs = [int(width) * min(8, 2 ** (levels - 1 - i)) for i in range(levels)]
        blocks, ins = [], (self.dim_za, self.dim_za + self.dim_zm, self.dim_zm)
        for i, out in enumerate(outs):
            temporal = TEMPORAL_FIRST if i == 0 else TEMPORAL_UP if i <= 2 else TEMPORAL_KEEP
            blocks.append(G3(*ins, out, SPATIAL_FIRST if i == 0 else SPATIAL_UP, temporal))
            ins = (out, 2 * out, out)
        self.blocks = nn.ModuleList(blocks)
        self.attention = FactorizedSelfAttention(2 * outs[-2]) if attention else None
        self.to_rgb = PerFrame(nn.Conv2d(2 * outs[-1], 3, 3, 1, 1))  # the (1, 3, 3) RGB conv
        self._init_weights()
        self._channels_last()

    def _channels_last(self):
        """Speed, not maths: the video stream runs channels-last (B, T, H, W, C in memory), the
        layout oneDNN's 3D (transposed) convolutions and the F-SA reshapes are fastest in."""
        for module in self.modules():
            if isinstance(module, (nn.Conv3d, nn.ConvTranspose3d)):
                module.to(memory_format=torch.channels_last_3d)
            elif isinstance(module, PerFrame):
                module.to(memory_format=torch.channels_last)

    def _init_weights(self):
        """Official init: N(0, 0.02) for the RGB conv, N(1, 0.02) for BatchNorm scales."""
        nn.init.normal_(self.to_rgb.layer.weight, 0.0, 0.02)
        for module in self.modules():
            if isinstance(module, nn.modules.batchnorm._BatchNorm):
                nn.init.normal_(module.weight, 1.0, 0.02)
                nn.init.zeros_(module.bias)

    def check_frames(self, frames):
        frames = super().check_frames(frames)
        if frames < 16 or frames % 4:
            raise GanzooError(f"g3an makes 4 * (L + 3) frames (16, 20, 24, ...), not {frames}")
        return frames

    def motion_steps(self, frames):
        """Length L of the motion noise for ``frames`` output frames."""
        return self.check_frames(frames) // 4 - 3

    def make_latent(self, batch, frames=None, generator=None):
        steps = self.motion_steps(frames)
        return {
            "z_a": self.randn(batch, self.dim_za, generator=generator),
            "z_m": self.randn(batch, steps, self.dim_zm, generator=generator),
        }

    def forward(self, latent):
        """latent -> video ``(B, 3, T, H, W)`` in [-1, 1]."""
        z_a, z_m = latent["z_a"], latent["z_m"].transpose(1, 2)  # (B, dim_zm, L)
        h_s = z_a[:, :, None, None]
        h_t = z_m
        h_v = torch.cat([z_a[:, :, None].expand(-1, -1, z_m.shape[2]), z_m], 1)[..., None, None]  # z_v
        h_v = h_v.contiguous(memory_format=torch.channels_last_3d)
        for i, block in enumerate(self.blocks):
            if i == len(self.blocks) - 1 and self.attention is not None:
                h_v = self.attention(materialize(h_v))
            h_s, h_v, h_t = block(h_s, h_v, h_t)
        return per_frame_conv(self.to_rgb.layer, h_v).tanh().contiguous()
