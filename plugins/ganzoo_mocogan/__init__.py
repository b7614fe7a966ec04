"""ganzoo plugin: MoCoGAN (Tulyakov et al. 2018), content code + GRU motion codes.

Registers the generator ``"mocogan"``, its discriminators ``"mocogan-image"`` (frames) and
``"mocogan-video"`` (3D convs), and the model spec ``"mocogan"``.

Training as in the paper (Sec. 3.2, Eq. 2-3) and its official run: the non-saturating GAN
objective with a sigmoid cross-entropy (loss ``"bce"``) on both D_I and D_V, G trained
against both; Adam, lr 2e-4, betas (0.5, 0.999), weight decay 1e-5 for every network;
d_C = 50, d_M = 10; 64x64, 16 frames (InMoDeGAN Tab. 1). Batch: the official README trains
with 32 videos and 32 images per step, so the ``paper`` preset has batch 32 and D_I sees
``frames_per_video = 1`` random frame per video.

``--disc tpd`` (InMoDeGAN Tab. 2) swaps only the video role: TPD with speeds (1, 3, 5, 7)
(InMoDeGAN's setting for 16-frame clips; the slowest speed still sees frames 0, 7, 14; a
dataset's own, BAIR's 1, 3, 5, where it has them) and weight 0.5 (InMoDeGAN Eq. 5, lambda = 0.5
on the summed per-speed TPD losses); loss, optimizers, D_I and batch stay as above. TPD is
trained as plain layers (``parametrization="plain"``): Adam 2e-4 is tuned for plain layers and
moves TPD's equalized StyleGAN2 ones sqrt(fan_in) times less (see ``ganzoo_tpd``). Measured
(small preset, 400 iterations, seed 0): plain TPD 4.16 with its D accuracy at 0.99.
"""

import ganzoo
from ganzoo.contracts import NetSpec, OptimizerSpec
from ganzoo.presets import image_and_video_spec

from ganzoo_mocogan.discriminators import MoCoGANImageDiscriminator, MoCoGANVideoDiscriminator
from ganzoo_mocogan.generator import MoCoGANGenerator

CITATION = (
    "Tulyakov, Liu, Yang, Kautz. MoCoGAN: Decomposing Motion and Content for Video Generation. CVPR 2018."
)
DESCRIPTION = "MoCoGAN: fixed content code + GRU motion codes -> image generator; image D + 3D video D"
ADAM = OptimizerSpec("adam", lr=2e-4, betas=(0.5, 0.999), eps=1e-8, weight_decay=1e-5)


def make_spec():
    """The ``paper`` preset is the field values; ``small`` and ``tiny`` shrink widths and batch."""
    return image_and_video_spec(
        "mocogan",
        generator=NetSpec("mocogan", {"dim_z_content": 50, "dim_z_motion": 10, "width": 64}),
        image="mocogan-image",
        video="mocogan-video",
        optimizer=ADAM,
        batch_size=32,
        iterations=100_000,
        citation=CITATION,
        description=DESCRIPTION,
    )


@ganzoo.hookimpl
def ganzoo_register_generators(register):
    register("mocogan", MoCoGANGenerator, description="MoCoGAN: content code + GRU motion codes -> DCGAN image generator")


@ganzoo.hookimpl
def ganzoo_register_discriminators(register):
    register("mocogan-image", MoCoGANImageDiscriminator, description="MoCoGAN D_I: patch image discriminator")
    register("mocogan-video", MoCoGANVideoDiscriminator, description="MoCoGAN D_V: 3D-conv video discriminator")


@ganzoo.hookimpl
def ganzoo_register_models(register):
    register("mocogan", make_spec, citation=CITATION, description=DESCRIPTION)
