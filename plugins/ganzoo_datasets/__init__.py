"""ganzoo plugin: video datasets (moving-shapes, video-folder, bair, ucf101, voxceleb2).

Loaded through the ``ganzoo`` entry-point group like any third-party plugin. Each factory is
called with ``root`` (None for synthetic data), ``frames``, ``resolution`` and its options, and
returns a :class:`ganzoo.contracts.VideoDataset` that reads the raw files; ``ganzoo data
prepare`` turns the same dataset into a memory-mapped clip store.
"""

import ganzoo


@ganzoo.hookimpl
def ganzoo_register_datasets(register):
    from ganzoo_datasets.moving_shapes import MovingShapes
    from ganzoo_datasets.video_folder import VideoFolder

    register("moving-shapes", MovingShapes,
             description="synthetic shapes whose motion is a sum of known factors (dx, dy, rotation, scale, brightness)")
    register("video-folder", VideoFolder, description="any folder tree of videos; labels='parent' makes the parent folder the class")
