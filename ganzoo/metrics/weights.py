"""Where a feature network's weights come from, and loading them with errors that name the file.

A file is found from ``--weights FILE`` or in ``$GANZOO_WEIGHTS_DIR`` (default
``cache_root()/weights``, :mod:`ganzoo.cache`: it follows ``$XDG_CACHE_HOME``) by its
published name. Its SHA-256 is checked against the published one pinned in its
:class:`WeightsFile` and recorded in every protocol (:func:`check_weights`): a file of another
SHA-256, or one whose published SHA-256 is not known, is scored only when the user says so
(``--allow-unknown-weights``), and the protocol then says ``"verified": false``. A file whose
tensors do not fit the network (other network, bad shape) fails naming the mismatch.
"""

import hashlib
import os
from pathlib import Path

import attrs
import torch

from ganzoo.cache import cache_root
from ganzoo.errors import GanzooError


@attrs.frozen
class WeightsFile:
    """A published weights file: its name, where to get it, and its SHA-256 (None: no
    published value is known, so no file of this name can be verified)."""

    filename: str
    source: str
    sha256: str | None = None


def weights_dir():
    return Path(os.environ.get("GANZOO_WEIGHTS_DIR") or cache_root() / "weights")


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


ALLOW_FLAG = "--allow-unknown-weights"


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
    return path


def check_weights(spec, path, allow_unknown=False):
    """The ``weights`` entry of a protocol for the file at ``path``: its SHA-256 against
    ``spec.sha256``. Another SHA-256, or no published one to compare with, is an error naming
    the file and both hashes, unless ``allow_unknown`` (then recorded as ``verified: false``)."""
    actual = sha256_file(path)
    published = spec.sha256 if spec is not None else None
    record = {"file": str(path), "sha256": actual, "published_sha256": published, "verified": actual == published}
    if record["verified"]:
        return record
    if spec is None:
        why = "the metric names no published weights file, so it cannot be verified"
    elif spec.sha256 is None:
        why = f"no published SHA-256 is known for {spec.filename} ({spec.source}), so it cannot be verified"
    else:
        why = f"the published {spec.filename} ({spec.source}) has SHA-256 {spec.sha256}: it is another file"
    if not allow_unknown:
        raise GanzooError(f"weights file {str(path)!r} has SHA-256 {actual}; {why}; "
                          f"pass {ALLOW_FLAG} to score with it anyway (recorded as unverified)")
    record["note"] = f"accepted with {ALLOW_FLAG}: {why}"
    return record


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
