"""The image discriminator D_I (InMoDeGAN Sec. 3.3): StyleGAN2's residual D on single frames.

The engine hands it ``frames_per_video`` random frames of every video (default 1: "one random
frame per video"), as ``(N, 3, H, W)``.
"""

from ganzoo.contracts import FRAME, Discriminator
from ganzoo.errors import IncompatibleError
from ganzoo.nn import ResidualDiscriminator


class StyleGAN2ImageDiscriminator(Discriminator):
    """``(N, channels, H, W) -> (N,)`` logits."""

    consumes = FRAME

    def __init__(self, frames=16, resolution=64, channels=3, channel_base=32768, channel_max=512, mbstd_group=4,
                 frames_per_video=1):
        super().__init__()
        self.check(frames, resolution, channels)
        self.frames_per_video = int(frames_per_video)  # read by the engine when it picks frames
        self.net = ResidualDiscriminator(resolution, channels, channel_base, channel_max, mbstd_group)

    @classmethod
    def check(cls, frames, resolution, channels=3, **kwargs):
        if resolution < 4 or resolution & (resolution - 1):
            raise IncompatibleError(f"stylegan2-image needs a power-of-two resolution >= 4, the model makes {resolution}")

    def forward(self, frames):
        return self.net(frames)
