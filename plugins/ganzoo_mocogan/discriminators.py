"""MoCoGAN's two discriminators (Tulyakov et al. 2018, Sec. 3.1, Eq. 2-3, appendix table).

D_I judges single frames, D_V judges whole clips; both are plain conv stacks without bias,
BatchNorm after every conv but the first and the last, LeakyReLU(0.2). Layer sizes checked
against the official implementation (``PatchImageDiscriminator`` and the 1-output
``VideoDiscriminator`` its README trains with; unconditional, so no category outputs).
The official run's optional instance noise (``--use_noise``) is off by default and left out.
"""

from torch import nn

from ganzoo.contracts import FRAME, VIDEO, Discriminator
from ganzoo.nn.sizes import doubling_widths, frames_after_temporal_convs, halvings


class MoCoGANImageDiscriminator(Discriminator):
    """D_I: frames ``(N, 3, H, W)`` -> patch logits ``(N, P)``.

    The paper's D_I ends in a stride-2 conv to one channel, so at 64px it scores a 4x4 grid
    of patches (P = 16) and the loss averages over them, as in the official run.
    ``frames_per_video`` (read by the engine) is how many frames of each video D_I sees:
    4, the issue's reference batch of 4 videos + 16 images (the paper does not give the
    ratio; the official code's default is 10 images per 3 videos).
    """

    consumes = FRAME

    def __init__(self, frames=16, resolution=64, channels=3, width=64, frames_per_video=4):
        super().__init__()
        widths = doubling_widths(width, halvings(resolution, "mocogan-image") - 1)
        layers = [nn.Conv2d(channels, widths[0], 4, 2, 1, bias=False), nn.LeakyReLU(0.2, True)]
        for c_in, c_out in zip(widths, widths[1:]):
            layers += [nn.Conv2d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm2d(c_out), nn.LeakyReLU(0.2, True)]
        layers.append(nn.Conv2d(widths[-1], 1, 4, 2, 1, bias=False))
        self.net = nn.Sequential(*layers)
        self.frames_per_video = int(frames_per_video)

    @classmethod
    def check(cls, frames, resolution, channels=3, **kwargs):
        halvings(resolution, "mocogan-image")

    def forward(self, images):
        return self.net(images).flatten(1)


class MoCoGANVideoDiscriminator(Discriminator):
    """D_V: videos ``(B, 3, T, H, W)`` -> logits ``(B,)``.

    Each stage is a 4x4x4 conv, stride (1, 2, 2), no temporal padding (T shrinks by 3);
    a last conv with kernel (T_left, 4, 4) gives one logit. At the paper's 16 frames and
    64px that last kernel is 4x4x4, as in the paper. Other frame counts keep the same
    stages and size the last kernel to the frames left (so T must be >= 3 * stages + 1).
    """

    consumes = VIDEO

    def __init__(self, frames=16, resolution=64, channels=3, width=64):
        super().__init__()
        stages = halvings(resolution, "mocogan-video")
        left = frames_after_temporal_convs(frames, stages, "mocogan-video", resolution, "4x4x4")
        widths = doubling_widths(width, stages)
        layers, c_in = [], channels
        for i, c_out in enumerate(widths):
            layers.append(nn.Conv3d(c_in, c_out, 4, (1, 2, 2), (0, 1, 1), bias=False))
            if i:
                layers.append(nn.BatchNorm3d(c_out))
            layers.append(nn.LeakyReLU(0.2, True))
            c_in = c_out
        layers.append(nn.Conv3d(c_in, 1, (left, 4, 4), 1, 0, bias=False))
        self.net = nn.Sequential(*layers)

    @classmethod
    def check(cls, frames, resolution, channels=3, **kwargs):
        frames_after_temporal_convs(frames, halvings(resolution, "mocogan-video"), "mocogan-video", resolution, "4x4x4")

    def forward(self, video):
        return self.net(video).flatten()
