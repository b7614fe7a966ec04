"""Where ganzoo keeps what it can recompute or fetch again (feature statistics, weights files).

``$GANZOO_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/ganzoo`` (the XDG base-directory rule a
cluster or a container sets to move caches off a small home), else ``~/.cache/ganzoo``.
"""

import os
from pathlib import Path


def cache_root():
    if os.environ.get("GANZOO_CACHE_DIR"):
        return Path(os.environ["GANZOO_CACHE_DIR"])
    xdg = os.environ.get("XDG_CACHE_HOME")
    # The XDG spec: a relative path is invalid and must be ignored.
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "ganzoo"
