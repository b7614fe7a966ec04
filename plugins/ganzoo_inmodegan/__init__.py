"""ganzoo plugin: InMoDeGAN (Wang, Bremond, Dantcheva).

Loaded through the ``ganzoo`` entry-point group like any third-party plugin. What it
registers lands with issue # a generator whose motion is a linear combination of learned orthonormal directions, with its StyleGAN2 image discriminator:5; until then it is a real, empty plugin.
"""
