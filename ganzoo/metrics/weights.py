"""Where a feature network's weights come from, and loading them with errors that name the file.

A file is found from ``--weights FILE`` or in ``$GANZOO_WEIGHTS_DIR`` (default
``~/.cache/ganzoo/weights``) by its published name. Its SHA-256 is recorded in every protocol;
a file whose SHA-256 differs from a known published one, or whose tensors do not fit the
network (other network, bad shape), fails naming the mismatch.
"""

import hashlib
import os
from pathlib import Path

import attrs
import torch

from ganzoo.errors import GanzooError


@attrs.frozen
class WeightsFile:
    """A published weights file: its name, where to get it, and its SHA-256 (None: unknown)."""

    filename: str
    source: str
    sha256: str | None = None


def weights_dir():
    return Path(os.environ.get("GANZOO_WEIGHTS_DIR") or Path.home() / ".cache" / "ganzoo" / "weights")


_HASHES = {}


def sha256_file(path):
    """SHA-256 of a file (memoised by path, size and mtime: big checkpoints are hashed once)."""
    path = Path(path)
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _HASHES:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        _HASHES[key] = digest.hexdigest()
    return _HASHES[key]


def resolve_weights(spec, weights=None, network="the feature network"):
    """Path of ``spec``'s file: ``weights`` if given, else ``$GANZOO_WEIGHTS_DIR/<filename>``."""
    sha = spec.sha256 or "unknown"
    if weights is not None:
        path = Path(weights)
        if not path.is_file():
            raise GanzooError(
                f"weights file {str(path)!r} for {network} does not exist (expected {spec.filename}, "
                f"from {spec.source}, SHA-256 {sha})"
            )
    else:
        path = weights_dir() / spec.filename
        if not path.is_file():
            raise GanzooError(
                f"{network} needs weights file {spec.filename!r}, not found in {str(weights_dir())!r}: "
                f"get it from {spec.source} (SHA-256 {sha}) and pass --weights FILE or put it in $GANZOO_WEIGHTS_DIR"
            )
    if spec.sha256 is not None:
        actual = sha256_file(path)
        if actual != spec.sha256:
            raise GanzooError(
                f"weights file {str(path)!r} has SHA-256 {actual}, but {spec.filename} from {spec.source} "
                f"has {spec.sha256}: it is another file"
            )
    return path


def load_checkpoint(path):
    """``torch.load(weights_only=True)`` with a one-line error for a file that is not a checkpoint."""
    from ganzoo.checkpoints import safe_load

    return safe_load(path, what="weights file")


def unwrap_state_dict(checkpoint, path, prefix="module."):
    """The state dict inside a checkpoint: ``{'state_dict': ...}`` or a bare one; the
    ``module.`` prefix nn.DataParallel adds is removed."""
    state = checkpoint.get("state_dict", checkpoint) if isinstance(checkpoint, dict) else None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise GanzooError(f"weights file {str(path)!r} holds no state dict of tensors")
    return {(k[len(prefix):] if k.startswith(prefix) else k): v for k, v in state.items()}


def load_into(module, state, path, network):
    """Load ``state`` into ``module`` strictly; a mismatch names the keys or shapes that differ."""
    own = module.state_dict()
    # Checkpoints saved before PyTorch 0.4 (the 2017 Kinetics models) have no BatchNorm
    # ``num_batches_tracked``; it is unused in eval mode, so its absence is not a mismatch.
    state = dict(state)
    for key, value in own.items():
        if key.endswith("num_batches_tracked") and key not in state:
            state[key] = value
    missing = [k for k in own if k not in state]
    unexpected = [k for k in state if k not in own]
    if missing or unexpected:
        def few(keys):
            return ", ".join(keys[:3]) + (f" (+{len(keys) - 3} more)" if len(keys) > 3 else "")

        parts = ([f"missing {few(missing)}"] if missing else []) + ([f"unexpected {few(unexpected)}"] if unexpected else [])
        raise GanzooError(f"weights file {str(path)!r} does not fit {network}: {'; '.join(parts)}")
    for key, value in own.items():
        if tuple(state[key].shape) != tuple(value.shape):
            raise GanzooError(
                f"weights file {str(path)!r} does not fit {network}: {key} has shape {tuple(state[key].shape)}, "
                f"{network} needs {tuple(value.shape)}"
            )
    module.load_state_dict(state)
    return module
