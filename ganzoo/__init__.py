"""ganzoo: a plugin-based zoo of video GANs (InMoDeGAN, TPD and the baselines of its paper).

The core owns contracts, registry, config and engine; every model, discriminator, loss,
regularizer, dataset and metric arrives through a pluggy plugin (``ganzoo`` entry points).
"""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("ganzoo")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

from ganzoo.hookspecs import hookimpl  # noqa: E402  (the one import a plugin needs)

__all__ = ["__version__", "hookimpl"]
