"""ganzoo plugin: VGAN (Vondrick, Pirsiavash, Torralba 2016).

Registers the two-stream generator ``vgan``, the 3D-conv discriminator ``vgan-video`` and the
model ``vgan`` (BCE loss, Adam 2e-4 / 0.5, 32 frames at 64x64). Loaded through the ``ganzoo``
entry-point group like any third-party plugin.
"""

import ganzoo
from ganzoo_vgan.discriminator import VGANVideoDiscriminator
from ganzoo_vgan.generator import VGANGenerator
from ganzoo_vgan.spec import CITATION, DESCRIPTION, make_spec

__all__ = ["VGANGenerator", "VGANVideoDiscriminator", "make_spec"]


@ganzoo.hookimpl
def ganzoo_register_generators(register):
    register("vgan", VGANGenerator, description="VGAN two-stream generator: 3D foreground + mask, 2D background",
             citation=CITATION)


@ganzoo.hookimpl
def ganzoo_register_discriminators(register):
    register("vgan-video", VGANVideoDiscriminator, description="VGAN 3D-conv video discriminator", citation=CITATION)


@ganzoo.hookimpl
def ganzoo_register_models(register):
    register("vgan", make_spec, description=DESCRIPTION, citation=CITATION)
