"""Real clips for the loop: the dataset of a run, and a seeded, resumable batch order.

The order is a ``DistributedSampler`` permutation per epoch (seeded by the run seed, so it is
the same on every rank and after every resume); the loop counts consumed batches, and
:class:`ganzoo.data.pipeline.BatchOrder` restarts at that count, which is the data-loader
position a checkpoint holds.
"""

import torch

from ganzoo.data import open_dataset
from ganzoo.data.pipeline import BatchOrder, training_loader
from ganzoo.errors import GanzooError


def open_source(data_config, frames, resolution):
    """The run's dataset (a registered dataset name or a prepared clip store, opened by
    :func:`ganzoo.data.open_dataset`), checked to yield clips of the model's shape."""
    dataset = open_dataset(data_config.source, frames, resolution, **data_config.kwargs)
    check_clips(dataset, data_config.source, frames, resolution)
    return dataset


def check_clips(dataset, source, frames, resolution):
    """The first clip must be uint8 (3, frames, resolution, resolution), as the model makes."""
    if len(dataset) == 0:
        raise GanzooError(f"dataset {source!r} holds no clips")
    clip = dataset[0]
    want = (3, frames, resolution, resolution)
    if not torch.is_tensor(clip) or clip.dtype != torch.uint8 or tuple(clip.shape) != want:
        got = f"{clip.dtype} {tuple(clip.shape)}" if torch.is_tensor(clip) else type(clip).__name__
        raise GanzooError(f"dataset {source!r} yields {got} clips; the model trains on uint8 {want}")


def fingerprint(dataset, source):
    try:
        return str(dataset.fingerprint)
    except (NotImplementedError, AttributeError):
        return f"{source}:{len(dataset)}"


def batches(dataset, batch, seed, rank, world, position, workers=0, device="cpu"):
    """An endless iterator of uint8 ``(B, 3, T, H, W)`` batches starting at batch ``position``:
    the data pipeline's random clips with random temporal offsets, in this rank's share of a
    seeded distributed order (:class:`ganzoo.data.pipeline.BatchOrder`)."""
    order = BatchOrder(dataset, batch, seed, rank, world, position)
    return iter(training_loader(dataset, batch, seed, workers, device, position, batch_sampler=order))
