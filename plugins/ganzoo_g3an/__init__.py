"""ganzoo plugin: G3AN (Wang, Bilinski, Bremond, Dantcheva, CVPR 2020).

Registers the generator ``"g3an"`` (G3 modules with appearance / motion / video streams,
factorized spatio-temporal transposed convs, factorized self-attention), its
discriminators ``"g3an-image"`` (frames) and ``"g3an-video"`` ((2+1)D convs), and the model
spec ``"g3an"``.

Training as in the paper (Sec. 3.3-4) and its official run: cross-entropy GAN loss (loss
``"bce"``) on D_V and D_I, G trained against both (Eq. 1); Adam, lr 2e-4, betas
(0.5, 0.999) for G, D_V and D_I; batch 96; z_a 128, z_m 10; 64x64, 16 frames. The official
run trains 5000 epochs of UvA-NEMO (about 13 steps each); ``iterations`` says 60,000.

``--disc tpd`` (InMoDeGAN Tab. 2) swaps only the video role: TPD with speeds (1, 3, 5, 7)
(InMoDeGAN's 16-frame setting; the slowest speed sees frames 0, 7, 14; a dataset's own,
BAIR's 1, 3, 5, where it has them) and weight 0.5 (InMoDeGAN Eq. 5, lambda = 0.5 on the
summed per-speed losses); all else stays. TPD is trained as plain layers
(``parametrization="plain"``), as G3AN's own Ds are under its Adam 2e-4 (see ``ganzoo_tpd``;
small preset, 400 iterations, seed 0: plain TPD 6.2 with its D accuracy at 0.82). TPD's
sub-Ds are not spectrally normalised: spectral norm belongs to G3AN's discriminator
architecture, which the swap replaces; the training configuration (loss, optimizer) stays.
"""

import ganzoo
from ganzoo.contracts import NetSpec, OptimizerSpec
from ganzoo.presets import image_and_video_spec

from ganzoo_g3an.discriminators import G3ANImageDiscriminator, G3ANVideoDiscriminator
from ganzoo_g3an.generator import G3ANGenerator

CITATION = (
    "Wang, Bilinski, Bremond, Dantcheva. G3AN: Disentangling Appearance and Motion for Video Generation. CVPR 2020."
)
DESCRIPTION = "G3AN: G3 modules (appearance / motion / video streams) + factorized self-attention; (2+1)D video D + image D"
ADAM = OptimizerSpec("adam", lr=2e-4, betas=(0.5, 0.999), eps=1e-8)


def make_spec():
    """The ``paper`` preset is the field values; ``small`` and ``tiny`` shrink widths and batch."""
    return image_and_video_spec(
        "g3an",
        generator=NetSpec("g3an", {"dim_za": 128, "dim_zm": 10, "width": 64, "attention": True}),
        image="g3an-image",
        video="g3an-video",
        optimizer=ADAM,
        batch_size=96,
        iterations=60_000,
        citation=CITATION,
        description=DESCRIPTION,
    )


@ganzoo.hookimpl
def ganzoo_register_generators(register):
    register("g3an", G3ANGenerator, description="G3AN: G3 modules + factorized self-attention")


@ganzoo.hookimpl
def ganzoo_register_discriminators(register):
    register("g3an-image", G3ANImageDiscriminator, description="G3AN D_I: spectral-norm 2D image discriminator")
    register("g3an-video", G3ANVideoDiscriminator, description="G3AN D_V: spectral-norm (2+1)D video discriminator")


@ganzoo.hookimpl
def ganzoo_register_models(register):
    register("g3an", make_spec, citation=CITATION, description=DESCRIPTION)
