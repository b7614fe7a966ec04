"""3D ResNeXt-101 (Hara, Kataoka, Satoh, "Can Spatiotemporal 3D CNNs Retrace the History of
2D CNNs and ImageNet?", CVPR 2018, Tab. 1 and Sec. 3.3): the feature network of the InMoDeGAN
paper's video FID (Sec. 4.1), as used by the G3AN evaluation.

Architecture (Tab. 1, ResNeXt column, cardinality 32, shortcut type B = 1x1x1 projection
convolutions + batch norm where the shape changes): conv1 7x7x7 stride (1,2,2), 64 channels ->
3x3x3 max pool stride 2 -> conv2_x..conv5_x with [3, 4, 23, 3] bottleneck blocks (1x1x1,
grouped 3x3x3, 1x1x1; widths 128/256/512/1024, expansion 2, so 2048 channels out); conv3_x..
conv5_x downsample by 2 in time and space in their first block -> global average pool -> fc 400
(Kinetics-400). Module names follow the published checkpoints (``conv1``, ``bn1``,
``layer1.0.conv2``, ``layer1.0.downsample.0``, ``fc``) so ``resnext-101-kinetics.pth`` loads.

``forward`` returns the 2048-d pooled features before ``fc`` (what the G3AN evaluation feeds the
Frechet distance). The published model pools with a fixed AvgPool3d((1, 4, 4)) sized for 16x112x112
input; here the pool is a mean over (T, H, W), identical for that input (1x4x4 maps) and defined
for any other.

Scoring runs :meth:`ResNeXt3D.for_inference` (issue 17.2): every batch norm folded into the conv
before it (eval statistics are constants, so ``bn(conv(x)) = conv'(x)`` with scaled weights and a
bias; computed in float64), the network and its input channels-last, the layout oneDNN's 3D
convolutions run in without reordering. Features equal the unfolded network's within float
rounding (tests/test_metrics_networks.py).
"""

import copy

import torch
from torch import nn


def fold_batchnorm(conv, bn):
    """A conv with bias computing ``bn(conv(x))`` for eval-mode ``bn`` (running statistics)."""
    scale = bn.weight.double() / torch.sqrt(bn.running_var.double() + bn.eps)
    folded = copy.deepcopy(conv)
    shape = (-1,) + (1,) * (conv.weight.dim() - 1)
    folded.weight = nn.Parameter((conv.weight.double() * scale.view(shape)).to(conv.weight.dtype), requires_grad=False)
    bias = conv.bias.double() if conv.bias is not None else torch.zeros_like(scale)
    folded.bias = nn.Parameter(((bias - bn.running_mean.double()) * scale + bn.bias.double()).to(conv.weight.dtype),
                               requires_grad=False)
    return folded


class Bottleneck(nn.Module):
    """ResNeXt block: 1x1x1 reduce, grouped 3x3x3 (``cardinality`` groups), 1x1x1 expand, + shortcut."""

    expansion = 2

    def __init__(self, in_channels, planes, cardinality=32, stride=1, downsample=None):
        super().__init__()
        mid = cardinality * (planes // 32)
        self.conv1 = nn.Conv3d(in_channels, mid, 1, bias=False)
        self.bn1 = nn.BatchNorm3d(mid)
        self.conv2 = nn.Conv3d(mid, mid, 3, stride=stride, padding=1, groups=cardinality, bias=False)
        self.bn2 = nn.BatchNorm3d(mid)
        self.conv3 = nn.Conv3d(mid, planes * self.expansion, 1, bias=False)
        self.bn3 = nn.BatchNorm3d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + shortcut)


class ResNeXt3D(nn.Module):
    """(B, 3, T, H, W) float (0-255 RGB minus the Kinetics mean) -> (B, 2048) pooled features."""

    def __init__(self, layers=(3, 4, 23, 3), cardinality=32, num_classes=400):
        super().__init__()
        self.conv1 = nn.Conv3d(3, 64, 7, stride=(1, 2, 2), padding=3, bias=False)
        self.bn1 = nn.BatchNorm3d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool3d(3, stride=2, padding=1)
        channels = 64
        for index, (blocks, planes) in enumerate(zip(layers, (128, 256, 512, 1024)), start=1):
            stride = 1 if index == 1 else 2
            out = planes * Bottleneck.expansion
            downsample = None
            if stride != 1 or channels != out:  # shortcut type B: projection only where needed
                downsample = nn.Sequential(nn.Conv3d(channels, out, 1, stride=stride, bias=False), nn.BatchNorm3d(out))
            stage = [Bottleneck(channels, planes, cardinality, stride, downsample)]
            stage += [Bottleneck(out, planes, cardinality) for _ in range(blocks - 1)]
            setattr(self, f"layer{index}", nn.Sequential(*stage))
            channels = out
        self.fc = nn.Linear(channels, num_classes)
        self.feature_dim = channels

    def features(self, x):
        if self.channels_last:
            x = x.contiguous(memory_format=torch.channels_last_3d)
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return x.mean(dim=(2, 3, 4))

    def forward(self, x):
        return self.features(x)

    @torch.no_grad()
    def for_inference(self):
        """An eval-only copy: batch norms folded into their convs, channels-last (speed only)."""
        net = copy.deepcopy(self).eval().requires_grad_(False)
        pairs = [(net, "conv1", "bn1")]
        for module in net.modules():
            if isinstance(module, Bottleneck):
                pairs += [(module, f"conv{i}", f"bn{i}") for i in (1, 2, 3)]
                if module.downsample is not None:
                    pairs.append((module.downsample, "0", "1"))
        for parent, conv, bn in pairs:
            setattr(parent, conv, fold_batchnorm(getattr(parent, conv), getattr(parent, bn)))
            setattr(parent, bn, nn.Identity())
        net.channels_last = True
        return net.to(memory_format=torch.channels_last_3d)

    channels_last = False

    def logits(self, x):
        return self.fc(self.features(x))
