"""ganzoo plugin: video datasets (moving-shapes, video-folder, frame-folders, bair, ucf101, voxceleb2,
voxceleb2-mini).

Loaded through the ``ganzoo`` entry-point group like any third-party plugin. Each factory is
called with ``root`` (None for synthetic data), ``frames``, ``resolution`` and its options, and
returns a :class:`ganzoo.contracts.VideoDataset` that reads the raw files; ``ganzoo data
prepare`` turns the same dataset into a memory-mapped clip store.

``discriminator_kwargs`` (read by :mod:`ganzoo.config`): the TPD time steps InMoDeGAN trains each
dataset with (Sec. 4, implementation details): 1, 3, 5 on BAIR-robot, 1, 3, 5, 7 on VoxCeleb2-mini.
"""

import ganzoo

BAIR_TPD = {"tpd": {"speeds": [1, 3, 5]}}
VOXCELEB_TPD = {"tpd": {"speeds": [1, 3, 5, 7]}}


@ganzoo.hookimpl
def ganzoo_register_datasets(register):
    from ganzoo_datasets.bair import Bair
    from ganzoo_datasets.frame_folders import FrameFolderDataset
    from ganzoo_datasets.moving_shapes import MovingShapes
    from ganzoo_datasets.ucf101 import Ucf101
    from ganzoo_datasets.video_folder import VideoFolder
    from ganzoo_datasets.voxceleb2 import VoxCeleb2, VoxCeleb2Mini

    register("moving-shapes", MovingShapes,
             description="synthetic shapes whose motion is a sum of known factors (dx, dy, rotation, scale, brightness)")
    register("video-folder", VideoFolder, description="any folder tree of videos; labels='parent' makes the parent folder the class")
    register("frame-folders", FrameFolderDataset,
             description="one folder of numbered PNG/JPG frames per video (StyleGAN-V's layout), in a folder or a .zip read in place")
    register("bair", Bair, description="BAIR robot pushing (softmotion30_44k) TFRecords, read without TensorFlow",
             discriminator_kwargs=BAIR_TPD)
    register("ucf101", Ucf101, description="UCF101 with the official train/test splits (classInd.txt, trainlist0N.txt)")
    register("voxceleb2", VoxCeleb2, description="VoxCeleb2 <id>/<youtube_id>/<clip>.mp4; mini=N clips per identity",
             discriminator_kwargs=VOXCELEB_TPD)
    register("voxceleb2-mini", VoxCeleb2Mini, description="VoxCeleb2-mini (InMoDeGAN Sec. 4.1): voxceleb2 with mini=20 clips per identity",
             discriminator_kwargs=VOXCELEB_TPD)
