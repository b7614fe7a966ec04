"""Checkpoints: state dicts and plain data only, written atomically, each with a model card.

Layout: ``DIR/checkpoints/ckpt-<step>.pt``, a dict with ``card`` (what the checkpoint is),
``generator``, ``generator_ema``, ``discriminators`` (role -> state dict), ``optimizers``,
``regularizers``, ``rng`` and ``data`` (the loader position). Everything loads with
``torch.load(weights_only=True)``; a file that holds pickled code is refused.

Writes go to a temp file in the same folder, are fsynced, ``os.replace``d over the final name
and the folder is fsynced, so a process killed at any moment leaves either the old set of
checkpoints or the new one, never a half-written ``ckpt-*.pt``.
"""

import os
import pickle
import re
import warnings
import zipfile
from pathlib import Path

import torch

import ganzoo
from ganzoo.data.atomic import atomic_file
from ganzoo.errors import GanzooError

FORMAT = 1
PATTERN = re.compile(r"^ckpt-(\d+)\.pt$")


class CheckpointError(GanzooError):
    """A checkpoint that cannot be used (corrupt, unsafe, or of another model)."""


class CorruptCheckpointError(CheckpointError):
    pass


class UnsafeCheckpointError(CheckpointError):
    pass


class CheckpointFallbackWarning(UserWarning):
    pass


def make_card(run_data, data_fingerprint, step):
    """The model card: everything needed to rebuild and describe the generator, as plain data."""
    model = run_data["model"]
    return {
        "model": model["name"],
        "discriminators": {role: d["name"] for role, d in model["discriminators"].items()},
        "preset": model["preset"],
        "config": run_data,
        "data_fingerprint": data_fingerprint,
        "ganzoo_version": ganzoo.__version__,
        "step": int(step),
    }


def checkpoint_dir(out_dir):
    return Path(out_dir) / "checkpoints"


def path_for(out_dir, step):
    return checkpoint_dir(out_dir) / f"ckpt-{step:08d}.pt"


def list_checkpoints(out_dir):
    """Checkpoint paths in ``DIR/checkpoints``, oldest first (by step)."""
    folder = checkpoint_dir(out_dir)
    if not folder.is_dir():
        return []
    found = [(int(m.group(1)), folder / name) for name in os.listdir(folder) if (m := PATTERN.match(name))]
    return [path for _, path in sorted(found)]


def atomic_save(state, path):
    """``torch.save`` to ``path`` so that readers see the old file or the whole new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as handle:  # straight to the file: no second copy of a paper-size state in memory
        torch.save(state, handle)
    return path


def save_checkpoint(state, out_dir, step, keep=3):
    """Write ``ckpt-<step>.pt`` atomically, then delete all but the newest ``keep``."""
    path = atomic_save(state, path_for(out_dir, step))
    prune(out_dir, keep)
    return path


def prune(out_dir, keep):
    """Delete all but the newest ``keep`` checkpoints (``keep`` 0 or None: keep every one)."""
    if keep and keep > 0:
        for old in list_checkpoints(out_dir)[:-keep]:
            old.unlink(missing_ok=True)


def remove_stale_temp_files(out_dir):
    """Temp files left by a process killed mid-write (never valid checkpoints)."""
    folder = checkpoint_dir(out_dir)
    if folder.is_dir():
        for tmp in folder.glob(".ckpt-*.tmp"):
            tmp.unlink(missing_ok=True)


def safe_load(path, map_location="cpu", what="checkpoint"):
    """``torch.load(weights_only=True)`` with one line saying what is wrong: a file that would
    run code when loaded (named, refused, and no advice to load it unsafely), or one that is not
    a torch checkpoint at all (random bytes, truncated, another format)."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"no {what} file {path}")
    try:
        with warnings.catch_warnings():  # torch's "please file an issue" about a foreign pickle protocol
            warnings.filterwarnings("ignore", message="Detected pickle protocol")
            return torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as exc:
        code = re.search(r"GLOBAL ([\w.]+)", str(exc))
        if code:
            raise UnsafeCheckpointError(
                f"refusing {what} {path}: loading it would run code ({code.group(1)}); ganzoo loads only state "
                f"dicts of tensors and plain data") from None
        operand = re.search(r"Unsupported operand \S+", str(exc))
        raise CorruptCheckpointError(f"{what} {path} is not a torch checkpoint, or is corrupt "
                                     f"({operand.group(0) if operand else 'unreadable pickle'})") from None
    except (EOFError, RuntimeError, zipfile.BadZipFile, ValueError, OSError) as exc:
        reason = str(exc).splitlines()[0].split(". ")[0] if str(exc).strip() else "it ends early"
        raise CorruptCheckpointError(f"{what} {path} is truncated or corrupt: {reason}") from None


def read_checkpoint(path, map_location="cpu"):
    """A ganzoo checkpoint (:func:`safe_load`, then a check that it holds a model card)."""
    path = Path(path)
    state = safe_load(path, map_location)
    if not isinstance(state, dict) or "card" not in state or "generator" not in state:
        raise CorruptCheckpointError(f"{path} is not a ganzoo checkpoint (no model card)")
    return state


def load_latest(out_dir, map_location="cpu"):
    """(path, state) of the newest readable checkpoint in ``DIR``, or (None, None) if none.

    A truncated or corrupt newest file is skipped with a warning that names it and the one
    used instead; a file holding pickled code stops the resume (it is never silently skipped).
    """
    skipped = []
    for path in reversed(list_checkpoints(out_dir)):
        try:
            state = read_checkpoint(path, map_location)
        except CorruptCheckpointError as exc:
            skipped.append(str(exc))
            continue
        if skipped:
            warnings.warn(f"{'; '.join(skipped)}; falling back to {path.name} (step {state['step']})",
                          CheckpointFallbackWarning, stacklevel=2)
        return path, state
    if skipped:
        raise CorruptCheckpointError(f"no valid checkpoint in {checkpoint_dir(out_dir)}: {'; '.join(skipped)}")
    return None, None


def resolve_path(path):
    """A checkpoint file, or a run folder (its newest valid checkpoint)."""
    path = Path(path)
    if path.is_dir():
        found, state = load_latest(path)
        if found is None:
            raise CheckpointError(f"{path} holds no checkpoints (looked in {checkpoint_dir(path)})")
        return found, state
    return path, read_checkpoint(path)


def load_generator(path, ema=True, device="cpu"):
    """(generator, card) from a checkpoint file or run folder; G_EMA when ``ema`` and present.

    The generator is rebuilt from the card's resolved config through the registry, so the
    checkpoint never needs a guess about the model or its kwargs. Returned in eval mode.
    """
    from ganzoo.config import from_data, RunConfig
    from ganzoo.build import build_generator

    path, state = resolve_path(path)
    card = state["card"]
    run = from_data(card["config"], RunConfig, where=f"model card of {path}")
    generator = build_generator(run.model)
    weights = state["generator_ema"] if ema and state.get("generator_ema") is not None else state["generator"]
    try:
        generator.load_state_dict(weights)
    except RuntimeError as exc:
        raise CheckpointError(f"{path}: generator weights do not fit model {card['model']!r}: "
                              f"{str(exc).splitlines()[0]}") from None
    return generator.to(device).eval().requires_grad_(False), card


def describe_card(card):
    """The card as short lines for ``ganzoo sample`` / ``ganzoo eval`` to print."""
    discs = ", ".join(f"{role}={name}" for role, name in card["discriminators"].items())
    return (f"model {card['model']} (preset {card['preset']}), discriminators {discs}, step {card['step']}, "
            f"data {card['data_fingerprint']}, ganzoo {card['ganzoo_version']}")
