"""What the baselines share for InMoDeGAN's Tab. 2, kept in the core so no plugin imports another.

Tab. 2 trains each baseline with its own 3D discriminator and again with TPD in the video role
(``--disc tpd``). :func:`tpd_swap` is that role as every baseline lists it, and
:func:`baseline_presets` the ``small`` and ``tiny`` scales: the ``small`` ones run the table on 2
CPU cores with three seeds (``ganzoo bench --table 2 --preset small --seeds 3``). Every baseline
trains on the same clip shape (16 frames, the offline metric's length, at 32 px) and batch, and
its TPD gets the same widths, so a row's two columns differ only in the video discriminator. The
schedule (2,000 iterations) is ours; ``ganzoo bench`` trains its own ``--budget``. TPD is named,
not imported: the registry builds it.
"""

from ganzoo.contracts import DiscriminatorRole, ModelSpec, NetSpec

CPU_SMALL = {"frames": 16, "resolution": 32, "batch_size": 8, "iterations": 2_000}
CPU_TINY = {"frames": 16, "resolution": 16, "batch_size": 2}  # a smoke test of the whole path
# TPD's sub-discriminator widths where a baseline swaps it in at the small / tiny scale:
# InMoDeGAN's own small preset's (channel_base, channel_max) and a tiny smoke-test size.
TPD_SMALL_WIDTHS = {"channel_base": 1024, "channel_max": 32}
TPD_TINY_WIDTHS = {"channel_base": 256, "channel_max": 16}
# The paper's TPD for 16-frame clips: speeds 1, 3, 5, 7 (Sec. 4; a dataset may declare its own,
# BAIR's 1, 3, 5) and lambda = 0.5, "set to be 0.5 for all experiments" (Sec. 4, Eq. 5).
TPD_SPEEDS = (1, 3, 5, 7)
TPD_WEIGHT = 0.5


def tpd_swap():
    """``video_alternatives`` of a baseline: TPD at the paper's speeds and lambda, trained as plain
    layers (``parametrization="plain"``): a baseline's optimizer (Adam 2e-4, RMSprop 5e-5) is
    tuned for plain layers and barely moves TPD's equalized StyleGAN2 ones (measurements in
    ``ganzoo_tpd`` and each baseline's spec)."""
    return {"tpd": DiscriminatorRole("tpd", {"speeds": list(TPD_SPEEDS), "parametrization": "plain"}, TPD_WEIGHT)}


def alternative_kwargs(disc, kwargs):
    """Preset overrides (dotted keys) that set kwargs of the ``--disc disc`` alternative a model
    spec lists in ``video_alternatives``: e.g. TPD's widths, whose defaults are the 64 px paper's."""
    return {f"video_alternatives.{disc}.kwargs.{key}": value for key, value in kwargs.items()}


def baseline_presets(small, tiny):
    """A baseline's ``small`` and ``tiny`` presets: the shared scale and its TPD swap's widths,
    with the model's own overrides (``small``, ``tiny``: dotted keys such as its nets' widths)."""
    return {
        "small": {**CPU_SMALL, **small, **alternative_kwargs("tpd", TPD_SMALL_WIDTHS)},
        "tiny": {**CPU_TINY, **tiny, **alternative_kwargs("tpd", TPD_TINY_WIDTHS)},
    }


def same_width(width, *roles):
    """Preset overrides giving the generator and the discriminators of ``roles`` one ``width``."""
    return {"generator.kwargs.width": width, **{f"discriminators.{role}.kwargs.width": width for role in roles}}


def image_and_video_spec(name, generator, image, video, optimizer, batch_size, iterations, citation, description):
    """The model spec of a baseline trained MoCoGAN's way, which G3AN keeps: ``generator`` (a
    NetSpec, ``width`` among its kwargs) against an image discriminator ``image`` that sees one
    random frame per video and a video discriminator ``video``, each under the sigmoid
    cross-entropy loss (``bce``) with weight 1, one ``optimizer`` for every network, 16 frames
    at 64 px, no EMA (the ``paper`` preset); Tab. 2's TPD swap and the shared small / tiny
    scales, where all three nets take one width (16 / 8)."""
    width = generator.kwargs["width"]
    return ModelSpec(
        name=name,
        generator=generator,
        discriminators={
            "image": DiscriminatorRole(image, {"width": width, "frames_per_video": 1}, 1.0),
            "video": DiscriminatorRole(video, {"width": width}, 1.0),
        },
        loss=NetSpec("bce"),
        optimizers={"generator": optimizer, "discriminators": optimizer},
        frames=16,
        resolution=64,
        batch_size=batch_size,
        iterations=iterations,
        ema=None,
        video_alternatives=tpd_swap(),
        presets=baseline_presets(small=same_width(16, "image", "video"),
                                 tiny={**same_width(8, "image", "video"), "iterations": 4}),
        citation=citation,
        description=description,
    )
