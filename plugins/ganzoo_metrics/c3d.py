"""C3D (Tran, Bourdev, Fergus, Torresani, Paluri, "Learning Spatiotemporal Features with 3D
Convolutional Networks", ICCV 2015, Sec. 3.3 and Fig. 3), the classifier of TGAN's video
Inception Score (Saito et al. 2017, Sec. 5; InMoDeGAN Tab. 7) after fine-tuning on UCF101.

Eight 3x3x3 convolutions (stride 1, padding 1; 64, 128, 256, 256, 512, 512, 512, 512
channels), five max pools (pool1 1x2x2, the others 2x2x2; pool5 pads H and W by 1 so a
16x112x112 clip ends as 512x1x4x4), fc6 and fc7 of 4096 with dropout, fc8 with one output per
class (101 for UCF101). Module names are the Caffe model's (``conv1a`` ... ``conv5b``, ``fc6``
... ``fc8``); the PyTorch port's ``conv1``/``conv2`` are accepted as aliases of ``conv1a``/``conv2a``.
Input: BGR, 0-255 minus the training mean, ``(B, 3, 16, 112, 112)``; output: class logits.
"""

import torch
from torch import nn

LAYERS = (("conv1a", 3, 64), ("conv2a", 64, 128), ("conv3a", 128, 256), ("conv3b", 256, 256),
          ("conv4a", 256, 512), ("conv4b", 512, 512), ("conv5a", 512, 512), ("conv5b", 512, 512))
POOL_AFTER = {"conv1a": (1, 2, 2), "conv2a": 2, "conv3b": 2, "conv4b": 2, "conv5b": 2}
ALIASES = {"conv1.": "conv1a.", "conv2.": "conv2a."}


class C3D(nn.Module):
    """(B, 3, 16, 112, 112) mean-subtracted BGR -> (B, classes) logits."""

    def __init__(self, classes=101):
        super().__init__()
        for name, cin, cout in LAYERS:
            setattr(self, name, nn.Conv3d(cin, cout, 3, padding=1))
        self.fc6 = nn.Linear(8192, 4096)
        self.fc7 = nn.Linear(4096, 4096)
        self.fc8 = nn.Linear(4096, classes)
        self.relu = nn.ReLU(inplace=True)
        self.dropout = nn.Dropout(0.5)

    def forward(self, x):
        for name, _, _ in LAYERS:
            x = self.relu(getattr(self, name)(x))
            if name == "conv5b":
                x = nn.functional.max_pool3d(x, 2, stride=2, padding=(0, 1, 1))
            elif name in POOL_AFTER:
                x = nn.functional.max_pool3d(x, POOL_AFTER[name], stride=POOL_AFTER[name])
        x = self.dropout(self.relu(self.fc6(x.flatten(1))))
        x = self.dropout(self.relu(self.fc7(x)))
        return self.fc8(x)


def rename_aliases(state):
    """PyTorch-port key names (``conv1.weight``) -> Caffe names (``conv1a.weight``)."""
    out = {}
    for key, value in state.items():
        for old, new in ALIASES.items():
            if key.startswith(old):
                key = new + key[len(old):]
                break
        out[key] = value
    return out


def probabilities(logits):
    return torch.softmax(logits, dim=1)
