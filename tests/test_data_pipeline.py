"""Training pipeline: random clips and temporal offsets fixed by the seed, resumable, uint8 batches."""

import itertools

import torch

from ganzoo.data import open_dataset
from ganzoo.data.pipeline import BatchOrder, training_batches, training_loader
from ganzoo.data.prepare import prepare


def take(iterator, n):
    return list(itertools.islice(iterator, n))


def test_offsets_and_order_follow_the_seed_and_resume(tmp_path):
    prepare("moving-shapes", None, tmp_path / "m", resolution=16, frames=12, size=10, progress=False)
    store = open_dataset(tmp_path / "m", 4, 16)  # 9 possible windows per clip
    batches = take(training_batches(store, 3, seed=7), 6)
    assert all(b.dtype == torch.uint8 and b.shape == (3, 3, 4, 16, 16) for b in batches)
    # every clip in a batch is some window of some stored clip, and the windows vary
    windows = {(i, t): store.clip_at(i, t) for i in range(10) for t in range(9)}
    found = [next(k for k, w in windows.items() if torch.equal(w, clip)) for b in batches for clip in b]
    assert len({t for _, t in found}) > 3 and len({i for i, _ in found}) > 5
    assert all(torch.equal(a, b) for a, b in zip(batches, take(training_batches(store, 3, seed=7), 6)))
    other = take(training_batches(store, 3, seed=8), 6)
    assert not all(torch.equal(a, b) for a, b in zip(batches, other))
    resumed = take(training_batches(store, 3, seed=7, position=4), 2)
    assert torch.equal(resumed[0], batches[4]) and torch.equal(resumed[1], batches[5])


def test_workers_see_the_same_batches():
    shapes = open_dataset("moving-shapes", 4, 16, size=6)
    in_process = take(training_batches(shapes, 2, seed=1), 4)
    with_workers = take(training_batches(shapes, 2, seed=1, workers=2), 4)
    assert all(torch.equal(a, b) for a, b in zip(in_process, with_workers))


def test_epochs_cover_every_clip_once_and_pin_for_cuda():
    order = take(iter(BatchOrder(range(10), 3, seed=0)), 3)
    assert len({i for b in order for i in b}) == 9  # one epoch: 3 full batches, no repeats
    assert training_loader(open_dataset("moving-shapes", 4, 16, size=6), 2, device="cuda").pin_memory
