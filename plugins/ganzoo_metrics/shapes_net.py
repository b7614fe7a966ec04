"""The offline feature network of ``fid-shapes`` / ``fvd-shapes`` / ``kvd-shapes``: a small 3D
CNN trained in this repository on ``moving-shapes`` (``train_shapes_net.py`` reproduces the
shipped ``shapes_net.pt``), so a metric needs no download.

It regresses what makes a moving-shapes clip: the five motion amplitudes (dx, dy, rotation,
scale, brightness; see ``ganzoo_datasets.moving_shapes``) plus each channel's mean and standard
deviation over the clip (appearance). The motion targets make its features sensitive to
temporal order and dynamics (FVD's point), the appearance targets to colour and contrast.

Input: ``(B, 3, 16, 64, 64)`` float in [-1, 1]. Layers: four 3x3x3 convolutions (16, 32, 64,
128 channels; stride 2 each) with batch norm and ReLU, a mean over (T, H, W) ->
128-d ``features`` (what fid-shapes and kvd-shapes compare) -> linear head -> 11 ``outputs``
(what fvd-shapes compares, as FVD compares I3D logits).
"""

import torch
from torch import nn

MOTION = ("dx", "dy", "rotation", "scale", "brightness")
TARGETS = MOTION + ("mean_r", "mean_g", "mean_b", "std_r", "std_g", "std_b")
FRAMES = 16
RESOLUTION = 64


def _block(cin, cout, stride):
    return nn.Sequential(nn.Conv3d(cin, cout, 3, stride=stride, padding=1, bias=False), nn.BatchNorm3d(cout), nn.ReLU(inplace=True))


class ShapesNet(nn.Module):
    """(B, 3, 16, 64, 64) in [-1, 1] -> (B, 128) features; :meth:`outputs` -> (B, 11) predictions."""

    def __init__(self, width=16, targets=len(TARGETS)):
        super().__init__()
        self.body = nn.Sequential(
            _block(3, width, 2),
            _block(width, width * 2, 2),
            _block(width * 2, width * 4, 2),
            _block(width * 4, width * 8, 2),
        )
        self.head = nn.Linear(width * 8, targets)
        self.feature_dim = width * 8

    def features(self, x):
        return self.body(x).mean(dim=(2, 3, 4))

    def forward(self, x):
        return self.features(x)

    def outputs(self, x):
        return self.head(self.features(x))


def targets_of(clip_uint8, factors):
    """Regression target (11,) of one uint8 clip (3, T, H, W) and its factor dict."""
    x = clip_uint8.float().div(127.5).sub(1.0)
    flat = x.reshape(3, -1)
    return torch.tensor([factors[name] for name in MOTION] + flat.mean(1).tolist() + flat.std(1).tolist())
