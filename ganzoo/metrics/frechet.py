"""Frechet distance between two Gaussians fitted to feature sets (FID, FVD, FID-ResNeXt).

d^2 = ||mu_1 - mu_2||^2 + Tr(S_1 + S_2 - 2 (S_1 S_2)^{1/2})   (Heusel et al. 2017, Eq. 6;
Unterthiner et al. 2018 use the same formula on I3D logits). Computed in float64 with
``scipy.linalg.sqrtm``; when the product is singular (non-finite root) ``eps`` is added to both
diagonals, the guard pytorch-fid and the G3AN evaluation use, so scores stay comparable.
"""

import warnings

import numpy as np
from scipy import linalg

from ganzoo.errors import GanzooError


def feature_moments(features):
    """(N, D) features -> (mu (D,), sigma (D, D)) in float64; sigma is the unbiased covariance
    (``np.cov(rowvar=False)``, as pytorch-fid)."""
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2 or features.shape[0] < 2:
        raise GanzooError(f"need at least 2 feature vectors of shape (N, D) for a covariance, got {features.shape}")
    if features.shape[0] < features.shape[1]:
        warnings.warn(
            f"{features.shape[0]} samples for {features.shape[1]}-d features: the covariance is singular "
            f"and the Frechet distance is biased upward; use more samples than feature dimensions",
            stacklevel=2,
        )
    return features.mean(axis=0), np.cov(features, rowvar=False)


def _sqrtm(matrix):
    """scipy's matrix square root; singularity is detected by the caller (non-finite result)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # LinAlgWarning/RuntimeWarning on singular input
        return linalg.sqrtm(matrix)


def frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    """Squared Frechet distance between N(mu1, sigma1) and N(mu2, sigma2), a Python float."""
    mu1, mu2 = np.atleast_1d(np.asarray(mu1, np.float64)), np.atleast_1d(np.asarray(mu2, np.float64))
    sigma1, sigma2 = np.atleast_2d(np.asarray(sigma1, np.float64)), np.atleast_2d(np.asarray(sigma2, np.float64))
    if mu1.shape != mu2.shape or sigma1.shape != sigma2.shape or sigma1.shape != (mu1.size, mu1.size):
        raise GanzooError(
            f"feature statistics do not match: mu {mu1.shape} vs {mu2.shape}, sigma {sigma1.shape} vs {sigma2.shape}"
        )
    diff = mu1 - mu2
    covmean = _sqrtm(sigma1 @ sigma2)
    if not np.isfinite(covmean).all():
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = _sqrtm((sigma1 + offset) @ (sigma2 + offset))
    if np.iscomplexobj(covmean):
        if not np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3):
            raise GanzooError(
                f"the matrix square root has a large imaginary part ({np.abs(covmean.imag).max():.3g}): "
                f"the covariances are too ill-conditioned; use more samples"
            )
        covmean = covmean.real
    return float(diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2.0 * np.trace(covmean))
