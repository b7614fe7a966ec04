"""Frechet distance between two Gaussians fitted to feature sets (FID, FVD, FID-ResNeXt).

d^2 = ||mu_1 - mu_2||^2 + Tr(S_1 + S_2 - 2 (S_1 S_2)^{1/2})   (Heusel et al. 2017, Eq. 6;
Unterthiner et al. 2018 use the same formula on I3D logits). Computed in float64; the trace of
the matrix square root comes from symmetric eigendecompositions (:func:`trace_sqrt_product`),
which equals pytorch-fid's ``scipy.linalg.sqrtm`` route on well-conditioned covariances (tested
to 1e-6 relative) and is guarded for singular ones by clipping negative eigenvalues, where
pytorch-fid adds 1e-6 to the diagonals.
"""

import warnings

import numpy as np

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


def trace_sqrt_product(sigma1, sigma2):
    """Tr((S1 S2)^{1/2}) of two covariances by symmetric eigendecompositions.

    S1 S2 is similar to the symmetric PSD matrix S1^{1/2} S2 S1^{1/2}, so the trace of its root
    is the sum of the square roots of that matrix's eigenvalues. Two ``eigh`` calls are an order
    of magnitude faster than a general ``scipy.linalg.sqrtm`` at 2048-d and never produce an
    imaginary part; eigenvalues that rounding makes slightly negative (singular covariances,
    fewer samples than dimensions) are clipped to 0, which is the singular-covariance guard.
    """
    w, v = np.linalg.eigh(sigma1)
    root1 = (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T
    middle = root1 @ sigma2 @ root1
    eig = np.linalg.eigvalsh((middle + middle.T) / 2.0)
    return float(np.sqrt(np.clip(eig, 0.0, None)).sum())


def frechet_distance(mu1, sigma1, mu2, sigma2):
    """Squared Frechet distance between N(mu1, sigma1) and N(mu2, sigma2), a Python float."""
    mu1, mu2 = np.atleast_1d(np.asarray(mu1, np.float64)), np.atleast_1d(np.asarray(mu2, np.float64))
    sigma1, sigma2 = np.atleast_2d(np.asarray(sigma1, np.float64)), np.atleast_2d(np.asarray(sigma2, np.float64))
    if mu1.shape != mu2.shape or sigma1.shape != sigma2.shape or sigma1.shape != (mu1.size, mu1.size):
        raise GanzooError(
            f"feature statistics do not match: mu {mu1.shape} vs {mu2.shape}, sigma {sigma1.shape} vs {sigma2.shape}"
        )
    if not (np.isfinite(sigma1).all() and np.isfinite(sigma2).all() and np.isfinite(mu1).all() and np.isfinite(mu2).all()):
        raise GanzooError("feature statistics contain NaN or inf: the feature network produced non-finite features")
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2.0 * trace_sqrt_product(sigma1, sigma2))
