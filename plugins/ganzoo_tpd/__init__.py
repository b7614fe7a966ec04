"""ganzoo plugin: the Temporal Pyramid Discriminator of InMoDeGAN (Sec. 3.3).

Loaded through the ``ganzoo`` entry-point group like any third-party plugin. What it
registers lands with issue # 2D discriminators over the video sampled at several temporal speeds:5; until then it is a real, empty plugin.
"""
