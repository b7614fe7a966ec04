"""Every random state a training step touches, as plain data a checkpoint can hold.

``torch.load(weights_only=True)`` accepts tensors, numbers, strings, lists, tuples and dicts,
so numpy's key array travels as a list and torch's states as uint8 tensors.
"""

import random

import numpy as np
import torch


def capture():
    """Python, numpy, torch CPU and (when present) CUDA generator states."""
    np_state = np.random.get_state()
    return {
        "python": random.getstate(),
        "numpy": {"name": np_state[0], "key": np_state[1].tolist(), "pos": int(np_state[2]),
                  "has_gauss": int(np_state[3]), "cached_gaussian": float(np_state[4])},
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
    }


def restore(state):
    """Undo :func:`capture` (CUDA states only where the same devices exist)."""
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    n = state["numpy"]
    np.random.set_state((n["name"], np.asarray(n["key"], dtype=np.uint32), n["pos"], n["has_gauss"], n["cached_gaussian"]))
    torch.set_rng_state(state["torch"])
    if state["cuda"] and torch.cuda.is_available() and len(state["cuda"]) == torch.cuda.device_count():
        torch.cuda.set_rng_state_all(state["cuda"])


def step_generator(seed, rank, step, stream):
    """A CPU ``torch.Generator`` for one purpose of one step on one rank.

    Latents and frame picks are drawn from generators derived from (seed, rank, step, stream)
    rather than from a long-lived stream, so any step can be replayed after a resume without
    knowing how many numbers earlier steps drew.
    """
    mixed = (seed * 1_000_003 + rank) * 1_000_033 + step
    mixed = (mixed * 31 + stream) % (2**63 - 1)
    return torch.Generator().manual_seed(mixed)
