"""ganzoo plugin: MoCoGAN (Tulyakov et al. 2018).

Loaded through the ``ganzoo`` entry-point group like any third-party plugin. What it
registers lands with issue # content code + GRU motion codes, image and video discriminators:6; until then it is a real, empty plugin.
"""
