"""ganzoo plugin: the Temporal Pyramid Discriminator of InMoDeGAN (Sec. 3.3).

Registers discriminator ``"tpd"`` (kwargs ``speeds``, default the paper's VoxCeleb2-mini
[1, 3, 5, 7] -- BAIR uses [1, 3, 5] -- and ``start``: ``"fixed"`` frame 0 (default) or
``"random"``). It plugs into any model's ``video`` role (``--disc tpd``) whose frame count has
room for every speed; ``check`` names the speed that does not fit. See :mod:`ganzoo_tpd.tpd`.
"""

import ganzoo
from ganzoo_tpd.tpd import TemporalPyramidDiscriminator, pyramid_indices, pyramid_length

__all__ = ["TemporalPyramidDiscriminator", "pyramid_indices", "pyramid_length"]


@ganzoo.hookimpl
def ganzoo_register_discriminators(register):
    register("tpd", TemporalPyramidDiscriminator,
             description="Temporal Pyramid Discriminator: time-to-channel 2D Ds at several temporal steps",
             citation="Wang, Bremond, Dantcheva. InMoDeGAN, Sec. 3.3")
