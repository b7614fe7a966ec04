"""Video metrics: Frechet and kernel distances, Inception Score, feature statistics and their
cache, and :func:`evaluate`, which scores any two sources and records the protocol.

The feature networks and the registered metrics (``fid-resnext101``, ``fvd-i3d``, ``is-c3d``,
``kvd-*``, the offline ``fid-shapes``/``fvd-shapes``/``kvd-shapes``) live in the
``ganzoo_metrics`` plugin.
"""

from ganzoo.metrics.base import FeatureMetric
from ganzoo.metrics.evaluate import evaluate, make_metric, run_scorer, save_source_stats
from ganzoo.metrics.frechet import feature_moments, frechet_distance
from ganzoo.metrics.inception import inception_score
from ganzoo.metrics.kernel import kernel_distance
from ganzoo.metrics.stats import FeatureStats, load_stats, save_stats
from ganzoo.metrics.weights import WeightsFile

__all__ = [
    "FeatureMetric", "FeatureStats", "WeightsFile", "evaluate", "feature_moments", "frechet_distance",
    "inception_score", "kernel_distance", "load_stats", "make_metric", "run_scorer", "save_source_stats", "save_stats",
]
