"""The engine's own plugin: registers the losses and regularizers (issue #4).

Listed in the ``ganzoo`` entry-point group like every other plugin.
"""

import ganzoo
from ganzoo.train import losses, regularizers


@ganzoo.hookimpl
def ganzoo_register_losses(register):
    register("non-saturating", losses.NonSaturating, description="logistic loss, non-saturating G (StyleGAN2, InMoDeGAN)")
    register("hinge", losses.Hinge, description="hinge loss (Lim & Ye 2017)")
    register("wgan", losses.Wasserstein, description="Wasserstein critic loss (Arjovsky et al. 2017; TGAN)")
    register("bce", losses.BinaryCrossEntropy, description="binary cross-entropy (VGAN, MoCoGAN, G3AN)")


@ganzoo.hookimpl
def ganzoo_register_regularizers(register):
    register("r1", regularizers.R1, description="lazy R1 gradient penalty on reals (Mescheder et al. 2018; StyleGAN2)")
    register("path-length", regularizers.PathLength, description="path length regularization (StyleGAN2 Sec. 3.2)")
    register("weight-clip", regularizers.WeightClip, description="WGAN weight clipping")
    register("singular-value-clip", regularizers.SingularValueClip, description="TGAN singular value clipping")
