"""G3AN's discriminators (Wang et al. 2020, Sec. 3.3): a (2+1)D video D_V and a 2D image D_I.

Both are spectral-normalised conv stacks with LeakyReLU(0.2) and no normalisation layer,
weights initialised N(0, 0.02) (layer sizes from the official code). The loss is the
standard cross-entropy GAN loss on each (Eq. 1), summed for G.
"""

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm

from ganzoo.contracts import FRAME, VIDEO, Discriminator
from ganzoo.nn.sizes import doubling_widths, frames_after_temporal_convs, halvings

from ganzoo_g3an.g3 import on_frames


def _sn(conv):
    nn.init.normal_(conv.weight, 0.0, 0.02)
    return spectral_norm(conv)


class G3ANVideoDiscriminator(Discriminator):
    """D_V: videos ``(B, 3, T, H, W)`` -> logits ``(B,)``.

    Each stage is a (2+1)D pair: a (1, 4, 4) conv with spatial stride 2, then a (4, 1, 1)
    temporal conv without padding (T shrinks by 3). At 64px, four stages (w, 2w, 4w, 8w)
    leave 4x4 maps and 4 of 16 frames; a (1, 4, 4) conv and a (4, 1, 1) conv give one logit.
    Other frame counts size that last temporal kernel to the frames left (T >= 3 * stages + 1).

    Speed, not maths (issue 17.1): the video runs channels-last and each (1, 4, 4) conv runs as
    a 2D conv on the B*T frames (a free view in that layout), with the same spectral-normalised
    weight; oneDNN's 2D kernels are faster than its 3D ones with a time kernel of 1 (D_V forward
    and backward 1.5x in one alternating run). Same parameters and names as the plain stack.
    """

    consumes = VIDEO

    def __init__(self, frames=16, resolution=64, channels=3, width=64):
        super().__init__()
        stages = halvings(resolution, "g3an-video")
        left = frames_after_temporal_convs(frames, stages, "g3an-video", resolution, "(4, 1, 1) temporal")
        layers, c_in = [], channels
        for c_out in doubling_widths(width, stages):
            layers += [
                _sn(nn.Conv3d(c_in, c_out, (1, 4, 4), (1, 2, 2), (0, 1, 1))), nn.LeakyReLU(0.2, True),
                _sn(nn.Conv3d(c_out, c_out, (4, 1, 1), 1, 0)), nn.LeakyReLU(0.2, True),
            ]
            c_in = c_out
        layers += [
            _sn(nn.Conv3d(c_in, c_in, (1, 4, 4), 1, 0)), nn.LeakyReLU(0.2, True),
            _sn(nn.Conv3d(c_in, 1, (left, 1, 1), 1, 0)),
        ]
        self.net = nn.Sequential(*layers)

    @classmethod
    def check(cls, frames, resolution, channels=3, **kwargs):
        frames_after_temporal_convs(frames, halvings(resolution, "g3an-video"), "g3an-video", resolution,
                                    "(4, 1, 1) temporal")

    def forward(self, video):
        x = video.contiguous(memory_format=torch.channels_last_3d)
        for layer in self.net:
            if isinstance(layer, nn.Conv3d) and layer.kernel_size[0] == 1 and layer.kernel_size[1:] != (1, 1):
                x = _per_frame_conv(layer, x)
            else:
                x = layer(x)
        return x.flatten()


def _per_frame_conv(conv, video):
    """A Conv3d with a time kernel of 1 as a 2D conv on every frame of channels-last ``(B, C, T, H, W)``."""
    weight = conv.weight[:, :, 0]  # one spectral-norm evaluation, as the 3D layer
    return on_frames(video, lambda frames: F.conv2d(frames, weight, conv.bias, conv.stride[1:], conv.padding[1:]))


class G3ANImageDiscriminator(Discriminator):
    """D_I: frames ``(N, 3, H, W)`` -> logits ``(N,)``: stride-2 4x4 convs w, 2w, 4w, 8w down
    to 4x4, then a 4x4 conv to one logit. The official run shows D_I one random frame of each
    video, so ``frames_per_video`` is 1."""

    consumes = FRAME

    def __init__(self, frames=16, resolution=64, channels=3, width=64, frames_per_video=1):
        super().__init__()
        layers, c_in = [], channels
        for c_out in doubling_widths(width, halvings(resolution, "g3an-image")):
            layers += [_sn(nn.Conv2d(c_in, c_out, 4, 2, 1)), nn.LeakyReLU(0.2, True)]
            c_in = c_out
        layers.append(_sn(nn.Conv2d(c_in, 1, 4, 1, 0)))
        self.net = nn.Sequential(*layers)
        self.frames_per_video = int(frames_per_video)

    @classmethod
    def check(cls, frames, resolution, channels=3, **kwargs):
        halvings(resolution, "g3an-image")

    def forward(self, images):
        return self.net(images).flatten()
