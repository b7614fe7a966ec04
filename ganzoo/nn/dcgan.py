"""DCGAN's discriminator body (Radford, Metz, Chintala 2016), the pattern VGAN's 3D D and TGAN's
3D critic are built on: one definition, so the two read as what they are, the same stack."""

from torch import nn


def strided_conv_layers(conv, norm, channels, widths):
    """Layers of 4-wide, stride-2, padding-1 convolutions ``channels -> widths[0] -> ... -> widths[-1]``,
    each followed by LeakyReLU(0.2); batch norm (``norm(c)``) on all but the first, whose conv
    keeps its bias (the others drop it, as batch norm makes it redundant). ``conv`` is
    ``nn.Conv3d`` or ``nn.Conv2d``; a list, so a model can append its own head."""
    layers = [conv(channels, widths[0], 4, 2, 1), nn.LeakyReLU(0.2, inplace=True)]
    for c_in, c_out in zip(widths, widths[1:]):
        layers += [conv(c_in, c_out, 4, 2, 1, bias=False), norm(c_out), nn.LeakyReLU(0.2, inplace=True)]
    return layers
