"""Kernel distance: unbiased polynomial-kernel MMD^2 (KID, Binkowski et al. 2018, Eq. 5 and
Sec. 4; on video features it is called KVD).

k(x, y) = (x.y / d + 1)^3. Unlike the Frechet distance it is unbiased, so it is meaningful with
few samples. Following KID, MMD^2 is averaged over ``subsets`` random subsets of
``subset_size`` samples from each set (all samples when a set is smaller); subsets are drawn
with a seeded numpy generator so the value is reproducible.
"""

import numpy as np

from ganzoo.errors import GanzooError


def _polynomial_mmd(x, y):
    d = x.shape[1]
    kxx = (x @ x.T / d + 1.0) ** 3
    kyy = (y @ y.T / d + 1.0) ** 3
    kxy = (x @ y.T / d + 1.0) ** 3
    m, n = x.shape[0], y.shape[0]
    sxx = (kxx.sum() - np.trace(kxx)) / (m * (m - 1))
    syy = (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
    return sxx + syy - 2.0 * kxy.mean()


def kernel_distance(features1, features2, subsets=100, subset_size=1000, seed=0):
    """Unbiased polynomial MMD^2 between (N1, D) and (N2, D) features -> (mean, std) over subsets."""
    x, y = np.asarray(features1, np.float64), np.asarray(features2, np.float64)
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[1]:
        raise GanzooError(f"kernel distance needs two (N, D) feature sets of one D, got {x.shape} and {y.shape}")
    if min(len(x), len(y)) < 2:
        raise GanzooError("kernel distance needs at least 2 samples in each set")
    size = min(subset_size, len(x), len(y))
    if size == len(x) == len(y):
        value = _polynomial_mmd(x, y)
        return float(value), 0.0
    rng = np.random.default_rng(seed)
    values = [
        _polynomial_mmd(x[rng.choice(len(x), size, replace=False)], y[rng.choice(len(y), size, replace=False)])
        for _ in range(subsets)
    ]
    return float(np.mean(values)), float(np.std(values))
