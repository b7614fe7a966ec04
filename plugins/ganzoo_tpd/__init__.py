"""ganzoo plugin: the Temporal Pyramid Discriminator of InMoDeGAN (Sec. 3.3).

Registers discriminator ``"tpd"`` (kwargs ``speeds``, default the paper's VoxCeleb2-mini
[1, 3, 5, 7] -- BAIR uses [1, 3, 5] -- and ``start``: ``"fixed"`` frame 0 (default) or
``"random"``). It plugs into any model's ``video`` role (``--disc tpd``) whose frame count has
room for every speed; ``check`` names the speed that does not fit. See :mod:`ganzoo_tpd.tpd`.
"""

import ganzoo
from ganzoo_tpd.tpd import TemporalPyramidDiscriminator, pyramid_indices, pyramid_length

__all__ = ["CPU_SMALL", "CPU_SMALL_TPD", "TemporalPyramidDiscriminator", "pyramid_indices", "pyramid_length",
           "swapped_widths"]

# The baselines' ``small`` presets: InMoDeGAN's Tab. 2 (each baseline with its own 3D D vs TPD)
# at a scale 2 CPU cores can run with three seeds (``ganzoo bench --table 2 --preset small
# --seeds 3``: about 1 h at ``--budget 500`` with two single-threaded jobs at a time). Every
# baseline trains on the same clip shape (16 frames, the offline metric's length, at 32 px) and
# batch, and its TPD swap gets the same widths, so a row's two columns differ only in the video
# discriminator. The schedule (2,000 iterations) is ours; ``ganzoo bench`` trains its own
# ``--budget`` (1,000 by default).
CPU_SMALL = {"frames": 16, "resolution": 32, "batch_size": 8, "iterations": 2_000}
CPU_SMALL_TPD = (1024, 32)  # TPD channel_base, channel_max: InMoDeGAN's own small preset's


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
