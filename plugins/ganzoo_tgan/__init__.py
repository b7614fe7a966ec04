"""ganzoo plugin: TGAN (Saito, Matsumoto, Saito 2017).

Loaded through the ``ganzoo`` entry-point group like any third-party plugin. What it
registers lands with issue # temporal + image generators, WGAN with singular value clipping:6; until then it is a real, empty plugin.
"""
