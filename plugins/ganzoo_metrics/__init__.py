"""ganzoo plugin: video metrics.

Loaded through the ``ganzoo`` entry-point group like any third-party plugin. What it
registers lands with issue # fid-resnext101, fvd-i3d, is-c3d, kvd-*, and the offline fid-shapes:7; until then it is a real, empty plugin.
"""
