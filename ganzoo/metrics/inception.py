"""Inception Score from class probabilities (Salimans et al. 2016, Sec. 4; TGAN, Saito et al.
2017, Sec. 5, for videos with C3D): IS = exp(E_x KL(p(y|x) || p(y))), over ``splits`` equal
consecutive splits of the samples; mean and std over splits (TGAN reports 10 splits)."""

import numpy as np

from ganzoo.errors import GanzooError


def inception_score(probs, splits=10):
    """(N, C) softmax probabilities -> (mean, std) of the Inception Score over ``splits``."""
    probs = np.asarray(probs, np.float64)
    if probs.ndim != 2 or len(probs) < splits:
        raise GanzooError(f"inception score needs (N, C) probabilities with N >= splits={splits}, got {probs.shape}")
    scores = []
    for part in np.array_split(probs, splits):
        marginal = part.mean(axis=0, keepdims=True)
        kl = (part * (np.log(part + 1e-12) - np.log(marginal + 1e-12))).sum(axis=1).mean()
        scores.append(np.exp(kl))
    return float(np.mean(scores)), float(np.std(scores))
