"""ganzoo plugin: TGAN (Saito, Matsumoto, Saito 2017).

Registers the generator ``tgan`` (temporal 1D-deconv generator + image generator), the 3D
critic ``tgan-video`` and the model ``tgan`` (WGAN loss, singular value clipping every 5
iterations, RMSprop 5e-5, 16 frames at 64x64). Loaded through the ``ganzoo`` entry-point
group like any third-party plugin.
"""

import ganzoo
from ganzoo_tgan.discriminator import TGANVideoDiscriminator
from ganzoo_tgan.generator import ImageGenerator, TemporalGenerator, TGANGenerator
from ganzoo_tgan.spec import CITATION, DESCRIPTION, make_spec

__all__ = ["ImageGenerator", "TemporalGenerator", "TGANGenerator", "TGANVideoDiscriminator", "make_spec"]


@ganzoo.hookimpl
def ganzoo_register_generators(register):
    register("tgan", TGANGenerator, description="TGAN temporal (1D deconv) + image (2D deconv) generator",
             citation=CITATION)


@ganzoo.hookimpl
def ganzoo_register_discriminators(register):
    register("tgan-video", TGANVideoDiscriminator, description="TGAN 3D-conv Wasserstein critic", citation=CITATION)


@ganzoo.hookimpl
def ganzoo_register_models(register):
    register("tgan", make_spec, description=DESCRIPTION, citation=CITATION)
