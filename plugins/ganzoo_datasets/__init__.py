"""ganzoo plugin: video datasets.

Loaded through the ``ganzoo`` entry-point group like any third-party plugin. What it
registers lands with issue # moving-shapes (synthetic), video-folder, bair, ucf101, voxceleb2:3; until then it is a real, empty plugin.
"""
