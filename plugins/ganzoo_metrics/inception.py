"""Inception-v3 as FID uses it: the 2015-12-05 TensorFlow graph of Heusel et al.'s FID (TTUR)
as pytorch-fid ports it (``pt_inception-2015-12-05-6726825d.pth``; clean-fid and torch-fidelity
use the same weights), built on torchvision's Inception3 with the graph's differences, written
from the description, not copied:

- the pooling branch of every InceptionA / InceptionC / InceptionE block averages without the
  zero padding (``count_include_pad=False``, as TensorFlow's average pooling does);
- the last block (``Mixed_7c``) pools its pooling branch with a 3x3 max, not an average;
- 1008 output classes (the TF graph's), which FID does not use: its features are the 2048-d
  average pool after ``Mixed_7c``;
- input: RGB in [0, 1] resized to 299x299 (bilinear, ``align_corners=False``, no antialias),
  then mapped to [-1, 1] (pytorch-fid's ``resize_input`` and ``normalize_input``).
"""

import torch
import torch.nn.functional as F
from torch import nn
from torchvision.models.inception import BasicConv2d, Inception3, InceptionA, InceptionAux, InceptionB, InceptionC, InceptionD, InceptionE

SIZE = 299


class FidInceptionA(InceptionA):
    def _forward(self, x):
        out = super()._forward(x)
        out[-1] = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False))
        return out


class FidInceptionC(InceptionC):
    def _forward(self, x):
        out = super()._forward(x)
        out[-1] = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False))
        return out


class FidInceptionE(InceptionE):
    """``Mixed_7b``: the pooling branch averages without padding."""

    def _forward(self, x):
        out = super()._forward(x)
        out[-1] = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False))
        return out


class FidInceptionEMax(InceptionE):
    """``Mixed_7c``: the pooling branch is a 3x3 max pool."""

    def _forward(self, x):
        out = super()._forward(x)
        out[-1] = self.branch_pool(F.max_pool2d(x, kernel_size=3, stride=1, padding=1))
        return out


class FidInceptionV3(nn.Module):
    """``forward(images)``: float ``(N, 3, H, W)`` in [0, 1] -> ``(N, 2048)`` pool features."""

    def __init__(self):
        super().__init__()
        blocks = [BasicConv2d, FidInceptionA, InceptionB, FidInceptionC, InceptionD, FidInceptionE, InceptionAux]
        self.net = Inception3(num_classes=1008, aux_logits=False, transform_input=False, inception_blocks=blocks,
                              init_weights=False)
        self.net.Mixed_7c = FidInceptionEMax(2048)

    def forward(self, images):
        x = F.interpolate(images, size=(SIZE, SIZE), mode="bilinear", align_corners=False)
        x = 2 * x - 1
        n = self.net
        for layer in (n.Conv2d_1a_3x3, n.Conv2d_2a_3x3, n.Conv2d_2b_3x3, n.maxpool1, n.Conv2d_3b_1x1, n.Conv2d_4a_3x3,
                      n.maxpool2, n.Mixed_5b, n.Mixed_5c, n.Mixed_5d, n.Mixed_6a, n.Mixed_6b, n.Mixed_6c, n.Mixed_6d,
                      n.Mixed_6e, n.Mixed_7a, n.Mixed_7b, n.Mixed_7c):
            x = layer(x)
        return torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
