"""What ``ganzoo interpret`` reads: a checkpoint (a generator to analyse) or, for ``flow``,
real videos: video files, folders of them, a prepared clip store or a registered dataset."""

from pathlib import Path

import torch

from ganzoo.errors import GanzooError


def is_checkpoint(source):
    """A ``.pt`` file or a training run folder that holds checkpoints."""
    path = Path(source)
    if path.is_file():
        return path.suffix == ".pt"
    if path.is_dir():
        from ganzoo.checkpoints import list_checkpoints

        return bool(list_checkpoints(path))
    return False


def load_model(source, ema=True, device="cpu"):
    """(generator, card) of a checkpoint file or run folder, in eval mode."""
    if not Path(source).exists():
        raise GanzooError(f"checkpoint {source} does not exist")
    from ganzoo.checkpoints import load_generator

    return load_generator(source, ema=ema, device=device)


def _video_files(path):
    from ganzoo.data.files import VIDEO_SUFFIXES

    return sorted(p for p in path.rglob("*") if p.suffix.lower() in VIDEO_SUFFIXES and not p.name.startswith("."))


def real_videos(sources, frames=None, resolution=None, n=None):
    """Yield ``(name, uint8 (3, T, H, W), info)`` from video files, folders of videos, clip
    stores or registered dataset names, at most ``n`` in all. ``frames``: read that many from
    the start (None: all of a file; 16 for a dataset); ``resolution``: resize (centre square)."""
    from ganzoo.data.files import VIDEO_SUFFIXES

    count = 0
    for source in sources:
        path = Path(source)
        if path.is_file() and path.suffix.lower() in VIDEO_SUFFIXES:
            items = _files([path], frames, resolution)
        elif path.is_dir() and not (path / "manifest.json").exists():
            files = _video_files(path)
            if not files:
                raise GanzooError(f"{path} holds no video files ({', '.join(VIDEO_SUFFIXES)}) and is not a clip store")
            items = _files(files, frames, resolution)
        else:
            items = _dataset(source, frames, resolution)
        for item in items:
            if n is not None and count >= n:
                return
            yield item
            count += 1


def _files(paths, frames, resolution):
    from ganzoo.video import read_video, resize_video

    for path in paths:
        video = read_video(path, frames=frames)
        if resolution:
            video = resize_video(video, resolution)
        yield path.name, torch.from_numpy(video).permute(3, 0, 1, 2).contiguous(), {"source": str(path)}


def _dataset(source, frames, resolution):
    from ganzoo.data import open_dataset

    path = Path(source)
    if path.is_dir():
        from ganzoo.data.store import open_store

        dataset = open_store(path, frames=frames, resolution=resolution)
    else:
        dataset = open_dataset(source, frames or 16, resolution or 64)
    for i in range(len(dataset)):
        yield f"{Path(str(source)).name}[{i}]", dataset[i], {"source": str(source), **dataset.info(i)}
