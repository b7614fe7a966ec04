"""The training pipeline: random clips with random temporal offsets, uint8 to the device.

Randomness lives in the sampler, not in the workers: each batch is a list of ``(index, draw)``
pairs, where ``draw`` is a 63-bit number fixed by (seed, batch number, slot); the dataset
wrapper turns it into a temporal offset ``draw % (spare + 1)``. So the clips a run sees depend
only on the seed and the batch number (not on the worker count, and not on the global torch
RNG that the model uses), and a resumed run that starts at batch ``position`` sees exactly the
batches it would have seen.
"""

import signal

import torch
from torch.utils.data import DataLoader, Dataset, DistributedSampler, Sampler

from ganzoo.errors import GanzooError

_MASK = (1 << 64) - 1


def mix(*values):
    """SplitMix64 over a few integers -> 63-bit number (a cheap, well-mixed counter hash)."""
    state = 0x9E3779B97F4A7C15
    for value in values:
        state = (state ^ (int(value) & _MASK)) * 0xBF58476D1CE4E5B9 & _MASK
        state = (state ^ (state >> 31)) * 0x94D049BB133111EB & _MASK
        state ^= state >> 29
    return state >> 1


class BatchOrder(Sampler):
    """Batches of indices for one process, forever, starting at batch ``position``.

    Epoch e is ``DistributedSampler(shuffle=True, seed=seed, drop_last=True)`` at ``set_epoch(e)``
    (one process: ``world=1``); an incomplete trailing batch is dropped so every rank takes the
    same number of steps. The batch count is the data-loader position a checkpoint holds.
    """

    def __init__(self, dataset, batch, seed=0, rank=0, world=1, position=0):
        # a batch below 1 would make __iter__ spin forever (or divide by zero): refuse it here too
        if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
            raise GanzooError(f"batch size {batch!r}: need an integer >= 1")
        if position < 0:
            raise GanzooError(f"data-loader position {position}: need >= 0")
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


class WithDraws(Sampler):
    """Adds a draw to every index of another batch sampler: ``[i, ...] -> [(i, draw), ...]``."""

    def __init__(self, batches, seed=0, position=0):
        self.batches, self.seed, self.position = batches, seed, position

    def __iter__(self):
        for number, batch in enumerate(self.batches, self.position):
            yield [(int(i), mix(self.seed, number, slot)) for slot, i in enumerate(batch)]


class RandomOffsets(Dataset):
    """A dataset seen through ``(index, draw)`` keys: the clip's window starts at
    ``draw % (spare(index) + 1)``. Datasets without ``clip_at``/``spare`` give their clip as is."""

    def __init__(self, dataset):
        self.dataset = dataset

    def __len__(self):
        return len(self.dataset)

    def __getitem__(self, key):
        index, draw = key
        if not hasattr(self.dataset, "clip_at"):
            return self.dataset[index]
        return self.dataset.clip_at(index, draw % (self.dataset.spare(index) + 1))


def training_loader(dataset, batch, seed=0, workers=0, device="cpu", position=0, batch_sampler=None):
    """A ``DataLoader`` of uint8 ``(B, 3, T, H, W)`` batches (random clips, random temporal
    offsets), with pinned memory when ``device`` is CUDA. ``batch_sampler``: any endless sampler
    of index lists; default :class:`BatchOrder` for one process."""
    device = torch.device(device)
    batches = batch_sampler if batch_sampler is not None else BatchOrder(dataset, batch, seed, position=position)
    return DataLoader(RandomOffsets(dataset), batch_sampler=WithDraws(batches, seed, position), num_workers=workers,
                      pin_memory=device.type == "cuda", persistent_workers=workers > 0,
                      worker_init_fn=_leave_signals_to_the_loop if workers > 0 else None)


def _leave_signals_to_the_loop(worker_id):
    """Ctrl-C reaches every process of the terminal's group: a worker that died of it would take
    the loop's next batch with it before the loop could save. The main process decides."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def training_batches(dataset, batch, seed=0, workers=0, device="cpu", position=0, batch_sampler=None):
    """Endless uint8 ``(B, 3, T, H, W)`` batches already on ``device`` (copied asynchronously
    from pinned memory on CUDA); convert with :func:`ganzoo.contracts.to_float` there."""
    device = torch.device(device)
    for clips in training_loader(dataset, batch, seed, workers, device, position, batch_sampler):
        yield clips.to(device, non_blocking=True)
