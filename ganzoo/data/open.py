"""``open_dataset``: a registered dataset name or a clip-store path -> a VideoDataset;
``dataset_name``: which registered dataset such a source holds."""

import inspect
from pathlib import Path

from ganzoo import registry, sources
from ganzoo.errors import GanzooError


def open_dataset(source, frames, resolution, **kwargs):
    """A :class:`ganzoo.contracts.VideoDataset` of ``uint8 (3, T, H, W)`` clips.

    ``source``: a registered dataset name (its factory gets ``root=kwargs.pop("root", None)``,
    ``frames``, ``resolution`` and the remaining ``kwargs``) or a directory holding a clip
    store (``kwargs``: ``split``, ``offset``; see :class:`ganzoo.data.store.ClipStore`).
    """
    found = sources.resolve(source, kwargs)
    if found.kind == sources.DATASET:
        entry = registry.get("datasets", found.target)
        options = dict(found.options)
        options = dict(root=options.pop("root", None), frames=int(frames), resolution=int(resolution), **options)
        try:
            inspect.signature(entry.factory).bind(**options)
        except TypeError as exc:
            raise GanzooError(f"dataset {found.target!r} does not take options {sorted(kwargs)} ({exc})") from None
        return entry.factory(**options)
    if found.kind == sources.CLIP_STORE:
        from ganzoo.data.store import open_store

        unknown = sorted(set(kwargs) - {"offset", "split", "release_mb"})
        if unknown:
            raise GanzooError(f"{found.target}: a clip store takes the options offset and split, not {', '.join(unknown)} "
                              f"(dataset options were fixed when it was prepared)")
        return open_store(found.target, frames=int(frames), resolution=int(resolution), **kwargs)
    hint = ""
    if found.kind == sources.VIDEO_FOLDER:
        hint = f"; read it as --data video-folder --set data.kwargs.root={found.label}, or prepare it first"
    if found.kind == sources.FRAME_FOLDERS:
        hint = f"; read it as --data frame-folders --set data.kwargs.root={found.label}, or prepare it first"
    raise GanzooError(f"clips are read from a registered dataset or a clip store; {found.label} is "
                      f"{sources.DESCRIPTIONS[found.kind]}{hint}")


def dataset_name(source):
    """The registered dataset ``source`` names: the name itself, or the dataset a complete clip
    store's manifest records (``ganzoo data prepare --dataset NAME``); None for anything else."""
    source = str(source)
    names = registry.get_registry("datasets")
    if source in names:
        return source
    from ganzoo.data.store import StoreError, read_manifest

    try:
        recorded = read_manifest(Path(source).expanduser()).get("dataset")
    except StoreError:
        return None
    return recorded if recorded in names else None
