"""Preset pieces the zoo's models share, kept in the core so no plugin imports another for them.

The baselines' ``small`` presets run InMoDeGAN's Tab. 2 (each baseline with its own 3D D vs TPD)
at a scale 2 CPU cores can afford with three seeds (``ganzoo bench --table 2 --preset small
--seeds 3``): every baseline trains on the same clip shape (16 frames, the offline metric's
length, at 32 px) and batch, and its TPD swap gets the same widths, so a row's two columns
differ only in the video discriminator. The schedule (2,000 iterations) is ours; ``ganzoo
bench`` trains its own ``--budget``.
"""

CPU_SMALL = {"frames": 16, "resolution": 32, "batch_size": 8, "iterations": 2_000}
# TPD's sub-discriminator widths where a baseline swaps it in at the small / tiny scale:
# InMoDeGAN's own small preset's (channel_base, channel_max) and a tiny smoke-test size.
TPD_SMALL_WIDTHS = {"channel_base": 1024, "channel_max": 32}
TPD_TINY_WIDTHS = {"channel_base": 256, "channel_max": 16}


def alternative_kwargs(disc, kwargs):
    """Preset overrides (dotted keys) that set kwargs of the ``--disc disc`` alternative a model
    spec lists in ``video_alternatives``: e.g. TPD's widths, whose defaults are the 64 px paper's."""
    return {f"video_alternatives.{disc}.kwargs.{key}": value for key, value in kwargs.items()}
