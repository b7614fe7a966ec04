"""ganzoo plugin: G3AN (Wang et al. 2020).

Loaded through the ``ganzoo`` entry-point group like any third-party plugin. What it
registers lands with issue # appearance/motion/video streams with factorized spatio-temporal convolutions:6; until then it is a real, empty plugin.
"""
