"""Frechet distance, kernel distance, Inception Score and feature statistics files."""

import json
import warnings

import numpy as np
import pytest
from scipy import linalg

from ganzoo.errors import GanzooError
from ganzoo.metrics import FeatureStats, feature_moments, frechet_distance, inception_score, kernel_distance, load_stats, save_stats
from ganzoo.metrics.stats import cache_key, cached_stats


def reference_frechet(x, y):
    """Straight from the definition: ||mu1 - mu2||^2 + Tr(S1 + S2 - 2 sqrtm(S1 S2))."""
    mu1, mu2 = x.mean(0), y.mean(0)
    s1, s2 = np.cov(x.T), np.cov(y.T)
    root = linalg.sqrtm(s1 @ s2).real
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1 + s2 - 2 * root))


@pytest.mark.parametrize("dim,seed", [(8, 0), (64, 1), (200, 2)])
def test_frechet_matches_reference(dim, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(4 * dim, dim)) @ rng.normal(size=(dim, dim)) * 0.3
    y = rng.normal(0.5, 1.3, size=(4 * dim, dim))
    mine = frechet_distance(*feature_moments(x), *feature_moments(y))
    assert mine == pytest.approx(reference_frechet(x, y), rel=1e-6)
    assert mine > 0


def test_frechet_of_identical_sets_is_zero_and_known_gaussians():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(500, 16))
    mu, sigma = feature_moments(x)
    assert abs(frechet_distance(mu, sigma, mu, sigma)) < 1e-8
    # two isotropic Gaussians: d^2 = |m1 - m2|^2 + D (s1 - s2)^2
    value = frechet_distance(np.zeros(4), np.eye(4) * 4.0, np.ones(4), np.eye(4) * 1.0)
    assert value == pytest.approx(4 + 4 * (2 - 1) ** 2, rel=1e-12)


def test_singular_covariances_are_guarded_and_few_samples_warn():
    rng = np.random.default_rng(4)
    with pytest.warns(UserWarning, match="5 samples for 32-d features"):
        mu1, s1 = feature_moments(rng.normal(size=(5, 32)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mu2, s2 = feature_moments(rng.normal(size=(5, 32)))
    value = frechet_distance(mu1, s1, mu2, s2)
    assert np.isfinite(value) and value > 0
    rank_one = np.outer(np.arange(6.0), np.arange(6.0))  # a singular product, rank 1
    assert np.isfinite(frechet_distance(np.zeros(6), rank_one, np.zeros(6), np.zeros((6, 6))))


def test_frechet_shape_mismatch_is_a_clear_error():
    with pytest.raises(GanzooError, match=r"mu \(4,\) vs \(3,\)"):
        frechet_distance(np.zeros(4), np.eye(4), np.zeros(3), np.eye(3))


def reference_mmd(x, y):
    d = x.shape[1]
    k = lambda a, b: (a @ b.T / d + 1) ** 3  # noqa: E731
    m, n = len(x), len(y)
    kxx, kyy = k(x, x), k(y, y)
    return ((kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
            - 2 * k(x, y).sum() / (m * n))


def test_kernel_distance_is_unbiased_polynomial_mmd():
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(60, 10)), rng.normal(0.7, 1.0, size=(60, 10))
    mean, std = kernel_distance(x, y, subset_size=1000)
    assert mean == pytest.approx(reference_mmd(x, y), rel=1e-10) and std == 0.0
    # same distribution: unbiased, so averaged over subsets it is near zero (and can be negative)
    a, b = rng.normal(size=(400, 10)), rng.normal(size=(400, 10))
    near, _ = kernel_distance(a, b, subsets=50, subset_size=100, seed=1)
    assert abs(near) < 0.1 * mean
    assert kernel_distance(a, b, subsets=5, subset_size=100, seed=2) == kernel_distance(a, b, subsets=5, subset_size=100, seed=2)


def test_inception_score_extremes():
    confident = np.eye(10)[np.arange(100) % 10]  # every class equally often, each sample certain
    assert inception_score(confident, splits=10)[0] == pytest.approx(10.0, rel=1e-6)
    uniform = np.full((100, 10), 0.1)
    mean, std = inception_score(uniform, splits=10)
    assert mean == pytest.approx(1.0) and std == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(GanzooError, match="N >= splits"):
        inception_score(uniform[:5], splits=10)


def test_stats_npz_round_trip_and_pytorch_fid_layout(tmp_path):
    rng = np.random.default_rng(6)
    feats = rng.normal(size=(50, 8))
    stats = FeatureStats.from_features(feats, {"metric": "fid-shapes", "frames": 16}, keep_features=True)
    path = save_stats(stats, tmp_path / "s.npz")
    with np.load(path) as raw:  # what pytorch-fid and the G3AN evaluation read
        assert raw["mu"].shape == (8,) and raw["sigma"].shape == (8, 8) and int(raw["n"]) == 50
        assert json.loads(str(raw["protocol"]))["metric"] == "fid-shapes"
    back = load_stats(path)
    np.testing.assert_allclose(back.mu, feats.mean(0))
    np.testing.assert_allclose(back.sigma, np.cov(feats.T))
    assert back.n == 50 and back.protocol == {"metric": "fid-shapes", "frames": 16} and back.features.shape == (50, 8)
    np.savez(tmp_path / "plain.npz", mu=feats.mean(0), sigma=np.cov(feats.T))  # pytorch-fid's own files
    plain = load_stats(tmp_path / "plain.npz")
    assert plain.protocol == {} and plain.mu.shape == (8,)
    np.savez(tmp_path / "other.npz", weights=np.zeros(3))
    with pytest.raises(GanzooError, match=r"other.npz' is not a statistics file: it has keys \['weights'\]"):
        load_stats(tmp_path / "other.npz")


def test_cache_computes_once_per_fingerprint_and_protocol(tmp_path, monkeypatch):
    monkeypatch.setenv("GANZOO_CACHE_DIR", str(tmp_path))
    calls = []

    def compute():
        calls.append(1)
        return FeatureStats.from_features(np.random.default_rng(len(calls)).normal(size=(10, 3)), {"metric": "m"})

    first = cached_stats("fp1", {"metric": "m"}, compute)
    again = cached_stats("fp1", {"metric": "m"}, compute)
    assert len(calls) == 1
    np.testing.assert_array_equal(first.mu, again.mu)
    cached_stats("fp2", {"metric": "m"}, compute)
    cached_stats("fp1", {"metric": "m", "frames": 8}, compute)
    assert len(calls) == 3
    assert cache_key("a", {"x": 1}) != cache_key("b", {"x": 1})
