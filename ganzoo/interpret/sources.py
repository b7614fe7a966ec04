"""What ``ganzoo interpret`` reads, decided by :func:`ganzoo.sources.resolve`: a checkpoint or
run folder (a generator to analyse) or, for ``flow``, real videos: video files, folders of
them or of frame folders, a prepared clip store or a registered dataset."""

from pathlib import Path

import torch

from ganzoo import sources
from ganzoo.checkpoints import load_generator
from ganzoo.errors import GanzooError
from ganzoo.video import read_video, resize_video
from ganzoo.video.files import walk_videos
from ganzoo.video.frames import FrameFolders

REAL_KINDS = (sources.VIDEO_FILE, sources.VIDEO_FOLDER, sources.FRAME_FOLDERS, sources.CLIP_STORE, sources.DATASET)


def is_checkpoint(source):
    """A checkpoint file or a training run folder."""
    return sources.resolve(source).kind in (sources.CHECKPOINT, sources.RUN)


def load_model(source, ema=True, device="cpu", what="this analysis"):
    """(generator, card) of a checkpoint file or run folder, in eval mode."""
    found = sources.require(source, (sources.CHECKPOINT, sources.RUN), what)
    return load_generator(found.target, ema=ema, device=device)


def real_videos(names, frames=None, resolution=None, n=None):
    """Yield ``(name, uint8 (3, T, H, W), info)`` from video files, folders of videos or frame
    folders, clip stores or registered dataset names, at most ``n`` in all. ``frames``: read that
    many from the start (None: all of a file; 16 for a dataset); ``resolution``: resize (centre
    square)."""
    count = 0
    for name in names:
        found = sources.require(name, REAL_KINDS, "flow on real videos")
        for item in _items(found, frames, resolution):
            if n is not None and count >= n:
                return
            yield item
            count += 1


def _items(found, frames, resolution):
    path = found.target
    if found.kind == sources.VIDEO_FILE:
        return _files([path], frames, resolution, read_video)
    if found.kind == sources.VIDEO_FOLDER:
        return _files([path / p for p in walk_videos(path)], frames, resolution, read_video)
    if found.kind == sources.FRAME_FOLDERS:
        return _frame_folders(FrameFolders(path), frames, resolution)
    return _dataset(found, frames, resolution)


def _frame_folders(folders, frames, resolution):
    for name in folders.names:
        video = folders.read(name, frames=frames)
        if resolution:
            video = resize_video(video, resolution)
        yield Path(name).name, torch.from_numpy(video).permute(3, 0, 1, 2).contiguous(), {"source": folders.label(name)}


def _files(paths, frames, resolution, read):
    for path in paths:
        video = read(path, frames=frames)
        if resolution:
            video = resize_video(video, resolution)
        yield path.name, torch.from_numpy(video).permute(3, 0, 1, 2).contiguous(), {"source": str(path)}


def _dataset(found, frames, resolution):
    if found.kind == sources.CLIP_STORE:
        from ganzoo.data.store import open_store

        dataset = open_store(found.target, frames=frames, resolution=resolution)
    else:
        from ganzoo.data import open_dataset

        dataset = open_dataset(found.target, frames or 16, resolution or 64, **found.options)
    if len(dataset) == 0:
        raise GanzooError(f"{found.label} holds no clips")
    for i in range(len(dataset)):
        yield f"{Path(found.label).name}[{i}]", dataset[i], {"source": found.label, **dataset.info(i)}
