"""Real clips for the loop: the dataset of a run, and a seeded, resumable batch order.

The order is a ``DistributedSampler`` permutation per epoch (seeded by the run seed, so it is
the same on every rank and after every resume); the loop counts consumed batches, and
:class:`BatchOrder` restarts at that count, which is the data-loader position a checkpoint holds.
"""

import torch
from torch.utils.data import DataLoader, DistributedSampler

from ganzoo import registry
from ganzoo.errors import GanzooError


def open_source(data_config, frames, resolution):
    """The run's dataset: a registered dataset name is built by its factory (``frames``,
    ``resolution`` and ``data.kwargs``); anything else is a prepared clip store, opened by
    :func:`ganzoo.data.open_dataset`."""
    source = data_config.source
    if source in registry.get_registry("datasets"):
        entry = registry.get("datasets", source)
        try:
            dataset = entry.factory(frames=frames, resolution=resolution, **data_config.kwargs)
        except TypeError as exc:
            raise GanzooError(f"dataset {source!r} rejected its options {sorted(data_config.kwargs)}: {exc}") from None
    else:
        try:
            from ganzoo.data import open_dataset
        except ImportError:
            raise GanzooError(f"--data {source!r} is not a registered dataset "
                              f"({', '.join(registry.get_registry('datasets').names()) or 'none registered'}) "
                              f"and clip stores cannot be opened (ganzoo.data is not installed)") from None
        dataset = open_dataset(source, frames, resolution, **data_config.kwargs)
    check_clips(dataset, source, frames, resolution)
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


class BatchOrder(torch.utils.data.Sampler):
    """Batches of indices for one rank, forever, starting at batch ``position``.

    Epoch e is ``DistributedSampler(shuffle=True, seed=seed, drop_last=True)`` at ``set_epoch(e)``;
    incomplete trailing batches are dropped so every rank takes the same number of steps.
    """

    def __init__(self, dataset, batch, seed, rank=0, world=1, position=0):
        self.sampler = DistributedSampler(dataset, num_replicas=world, rank=rank, shuffle=True, seed=seed, drop_last=True)
        self.batch = batch
        self.per_epoch = len(self.sampler) // batch
        if self.per_epoch == 0:
            raise GanzooError(f"the dataset has {len(dataset)} clips, fewer than one batch of {batch} "
                              f"per process x {world} processes")
        self.position = position

    def __iter__(self):
        epoch, offset = divmod(self.position, self.per_epoch)
        while True:
            self.sampler.set_epoch(epoch)
            indices = list(self.sampler)
            for b in range(offset, self.per_epoch):
                yield indices[b * self.batch:(b + 1) * self.batch]
            epoch, offset = epoch + 1, 0


def batches(dataset, batch, seed, rank, world, position, workers=0):
    """An endless iterator of uint8 ``(B, 3, T, H, W)`` batches starting at ``position``."""
    order = BatchOrder(dataset, batch, seed, rank, world, position)
    loader = DataLoader(dataset, batch_sampler=order, num_workers=workers, persistent_workers=workers > 0)
    return iter(loader)
