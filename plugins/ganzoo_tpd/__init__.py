"""ganzoo plugin: the Temporal Pyramid Discriminator of InMoDeGAN (Sec. 3.3).

Registers discriminator ``"tpd"`` (kwargs ``speeds``, default the paper's VoxCeleb2-mini
[1, 3, 5, 7] -- BAIR uses [1, 3, 5] -- and ``start``: ``"fixed"`` frame 0 (default) or
``"random"``). It plugs into any model's ``video`` role (``--disc tpd``) whose frame count has
room for every speed; ``check`` names the speed that does not fit. See :mod:`ganzoo_tpd.tpd`.
"""

import ganzoo
from ganzoo_tpd.tpd import TemporalPyramidDiscriminator, pyramid_indices, pyramid_length

__all__ = ["TemporalPyramidDiscriminator", "pyramid_indices", "pyramid_length", "swapped_widths"]


def swapped_widths(channel_base, channel_max):
    """Preset overrides that size TPD's StyleGAN2 sub-discriminators where a model's spec lists
    TPD as a ``--disc tpd`` alternative (``video_alternatives["tpd"]``): TPD's own widths are the
    64 px paper's, far too wide for a model's ``small`` or ``tiny`` preset."""
    return {
        "video_alternatives.tpd.kwargs.channel_base": channel_base,
        "video_alternatives.tpd.kwargs.channel_max": channel_max,
    }


@ganzoo.hookimpl
def ganzoo_register_discriminators(register):
    register("tpd", TemporalPyramidDiscriminator,
             description="Temporal Pyramid Discriminator: time-to-channel 2D Ds at several temporal steps",
             citation="Wang, Bremond, Dantcheva. InMoDeGAN, Sec. 3.3")
