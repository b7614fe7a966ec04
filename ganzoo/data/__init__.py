"""Video data: datasets by name, the prepared clip store, and the training pipeline.

``open_dataset(source, frames, resolution, **kwargs)`` is the one entry point: ``source`` is
a registered dataset name (``"moving-shapes"``, or ``"ucf101"`` with ``root=...``) or the path
of a clip store made by ``ganzoo data prepare``. Datasets yield ``uint8 (3, T, H, W)``.
"""

from ganzoo.data.open import open_dataset

__all__ = ["open_dataset"]
