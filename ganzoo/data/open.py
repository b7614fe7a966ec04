"""``open_dataset``: a registered dataset name or a clip-store path -> a VideoDataset;
``dataset_name``: which registered dataset such a source holds."""

import inspect
from pathlib import Path

from ganzoo import registry
from ganzoo.errors import GanzooError, did_you_mean


def open_dataset(source, frames, resolution, **kwargs):
    """A :class:`ganzoo.contracts.VideoDataset` of ``uint8 (3, T, H, W)`` clips.

    ``source``: a registered dataset name (its factory gets ``root=kwargs.pop("root", None)``,
    ``frames``, ``resolution`` and the remaining ``kwargs``) or a directory holding a clip
    store (``kwargs``: ``split``, ``offset``; see :class:`ganzoo.data.store.ClipStore`).
    """
    source = str(source)
    names = registry.get_registry("datasets")
    if source in names:
        entry = names.get(source)
        root = kwargs.pop("root", None)
        options = dict(root=root, frames=int(frames), resolution=int(resolution), **kwargs)
        try:
            inspect.signature(entry.factory).bind(**options)
        except TypeError as exc:
            raise GanzooError(f"dataset {source!r} does not take options {sorted(kwargs)} ({exc})") from None
        return entry.factory(**options)
    path = Path(source).expanduser()
    if path.exists():
        from ganzoo.data.store import open_store

        unknown = sorted(set(kwargs) - {"offset", "split", "release_mb"})
        if unknown:
            raise GanzooError(f"{path}: a clip store takes the options offset and split, not {', '.join(unknown)} "
                              f"(dataset options were fixed when it was prepared)")
        return open_store(path, frames=int(frames), resolution=int(resolution), **kwargs)
    raise GanzooError(did_you_mean(source, names.names(), "dataset") + "; or give the path of a prepared clip store")


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
