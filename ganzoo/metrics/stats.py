"""Feature statistics: what a set of videos looks like to a metric's feature network.

Saved as ``.npz`` in the layout pytorch-fid and the G3AN evaluation use (``mu``, ``sigma``),
plus ``n`` (sample count), ``protocol`` (a JSON string: how the features were made) and, for
kernel metrics, the raw ``features``. Real-data statistics are cached per (dataset fingerprint,
protocol) under ``cache_root()/stats`` (:mod:`ganzoo.cache`: ``$GANZOO_CACHE_DIR``, else
``$XDG_CACHE_HOME/ganzoo``, else ``~/.cache/ganzoo``), so real videos
are encoded once.
"""

import hashlib
import json
from pathlib import Path

import attrs
import numpy as np

from ganzoo.cache import cache_root
from ganzoo.data.atomic import atomic_file
from ganzoo.errors import GanzooError
from ganzoo.metrics.frechet import feature_moments


@attrs.frozen
class FeatureStats:
    """mu (D,), sigma (D, D) float64; n samples; optional raw features (N, D) or class
    probabilities (N, C); the protocol that produced them (plain data)."""

    mu: np.ndarray | None
    sigma: np.ndarray | None
    n: int
    protocol: dict
    features: np.ndarray | None = None

    @classmethod
    def from_features(cls, features, protocol, keep_features=False):
        features = np.asarray(features, np.float64)
        mu, sigma = feature_moments(features) if len(features) > 1 else (features.mean(0), None)
        return cls(mu, sigma, len(features), dict(protocol), features if keep_features else None)


def save_stats(stats, path):
    """Write ``stats`` to ``path`` (.npz), atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {"n": np.asarray(stats.n), "protocol": np.asarray(json.dumps(stats.protocol, sort_keys=True))}
    if stats.mu is not None:
        arrays["mu"] = stats.mu
    if stats.sigma is not None:
        arrays["sigma"] = stats.sigma
    if stats.features is not None:
        arrays["features"] = stats.features
    with atomic_file(path) as handle:  # a per-process temp name: parallel bench jobs may write the same entry
        np.savez_compressed(handle, **arrays)
    return path


def load_stats(path):
    """Read a ``.npz`` of statistics (ganzoo's, pytorch-fid's or the G3AN evaluation's)."""
    path = Path(path)
    if not path.is_file():
        raise GanzooError(f"statistics file {str(path)!r} does not exist")
    try:
        with np.load(path, allow_pickle=False) as data:
            keys = set(data.files)
            if not ({"mu", "sigma"} <= keys or "features" in keys):
                raise GanzooError(
                    f"{str(path)!r} is not a statistics file: it has keys {sorted(keys)}, expected 'mu' and 'sigma'"
                )
            protocol = json.loads(str(data["protocol"])) if "protocol" in keys else {}
            return FeatureStats(
                mu=data["mu"].astype(np.float64) if "mu" in keys else None,
                sigma=data["sigma"].astype(np.float64) if "sigma" in keys else None,
                n=int(data["n"]) if "n" in keys else -1,
                protocol=protocol,
                features=data["features"] if "features" in keys else None,
            )
    except (OSError, ValueError) as exc:
        raise GanzooError(f"cannot read statistics file {str(path)!r}: {exc}") from None


def cache_dir():
    return cache_root() / "stats"


def cache_key(fingerprint, protocol):
    """Short hex key of (dataset fingerprint, protocol): equal keys mean equal statistics."""
    blob = json.dumps({"fingerprint": fingerprint, "protocol": protocol}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


def cached_stats(fingerprint, protocol, compute):
    """Statistics from the cache, or ``compute()`` them and store them there."""
    path = cache_dir() / f"{protocol.get('metric', 'stats')}-{cache_key(fingerprint, protocol)}.npz"
    if path.is_file():
        try:
            return load_stats(path)
        except GanzooError:
            pass  # a damaged cache entry is recomputed
    stats = compute()
    save_stats(stats, path)
    return stats
