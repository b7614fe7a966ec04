"""The plugin manager: loads the ``ganzoo`` entry-point group, built-ins included.

``GANZOO_DISABLE_PLUGIN_AUTOLOAD=1`` loads only the plugins that ship inside the ``ganzoo``
distribution; ``GANZOO_PLUGINS=a,b`` loads only the named entry points. A plugin whose import
fails, or that implements a ``ganzoo_*`` hook the API does not have, is recorded with the
reason, reported as a warning, and skipped.

This module knows nothing of the registry (:mod:`ganzoo.registry` reads the manager, never the
reverse): every change to the set of plugins bumps :func:`generation`, and the registry refills
itself when the generation it was filled at is gone.
"""

import os
import warnings
from importlib.metadata import entry_points

import attrs
import pluggy

from ganzoo import hookspecs
from ganzoo.errors import GanzooError

GROUP = "ganzoo"
BUILTIN_DISTRIBUTION = "ganzoo"


@attrs.define
class PluginInfo:
    """What ``ganzoo plugins`` shows about one entry point."""

    name: str
    module: str
    distribution: str | None
    version: str | None
    builtin: bool
    error: str | None = None  # why the plugin was not loaded (import failed, unknown hook)


class PluginLoadWarning(UserWarning):
    pass


def _selected(ep, builtin):
    only = os.environ.get("GANZOO_PLUGINS")
    if only is not None:
        return ep.name in {n.strip() for n in only.split(",") if n.strip()}
    if os.environ.get("GANZOO_DISABLE_PLUGIN_AUTOLOAD", "").strip() not in ("", "0"):
        return builtin
    return True


def _load_into(pm):
    infos = {}
    seen = set()
    for ep in entry_points(group=GROUP):
        dist = ep.dist
        dist_name = dist.metadata["Name"] if dist is not None else None
        if (ep.name, ep.value) in seen:  # the same distribution found twice on sys.path
            continue
        seen.add((ep.name, ep.value))
        builtin = dist_name == BUILTIN_DISTRIBUTION
        if not _selected(ep, builtin):
            continue
        info = PluginInfo(
            name=ep.name,
            module=ep.value,
            distribution=dist_name,
            version=dist.version if dist is not None else None,
            builtin=builtin,
        )
        infos[ep.name] = info
        try:
            module = ep.load()
            check_hooks(module)
            pm.register(module, name=ep.name)
        except Exception as exc:  # a broken plugin must not take the others down
            info.error = f"{type(exc).__name__}: {exc}"
            warnings.warn(
                f"ganzoo plugin {ep.name!r} ({ep.value}) failed to load and is skipped: {info.error}",
                PluginLoadWarning,
                stacklevel=2,
            )
    return infos


def check_hooks(module):
    """A ``@ganzoo.hookimpl`` whose name is not in :mod:`ganzoo.hookspecs` (a typo such as
    ``ganzoo_register_modelz``) would never be called: refuse the plugin, naming the hook."""
    for name in dir(module):
        if getattr(getattr(module, name, None), f"{GROUP}_impl", None) is not None and not hasattr(hookspecs, name):
            known = ", ".join(n for n in dir(hookspecs) if n.startswith("ganzoo_"))
            raise PluginError(f"implements {name!r}, which is not a ganzoo hook (known: {known})")


class PluginError(GanzooError):
    """A plugin that cannot be used as it is (an entry point's is reported and skipped)."""


_STATE = {"generation": 0}


def get_plugin_manager():
    """The process-wide plugin manager, loading the entry points on first use."""
    if "pm" not in _STATE:
        pm = pluggy.PluginManager(GROUP)
        pm.add_hookspecs(hookspecs)
        _STATE["infos"] = _load_into(pm)
        _STATE["pm"] = pm
    return _STATE["pm"]


def plugin_infos():
    """PluginInfo per loaded (or failed) entry point, in load order."""
    get_plugin_manager()
    return _STATE["infos"]


def generation():
    """A number that changes whenever the set of plugins does (what the registry caches on)."""
    get_plugin_manager()
    return _STATE["generation"]


def register_plugin(module, name):
    """Register an in-process plugin (tests, notebooks) as if it came from an entry point."""
    pm = get_plugin_manager()
    check_hooks(module)
    pm.register(module, name=name)
    _STATE["infos"][name] = PluginInfo(name, getattr(module, "__name__", repr(module)), None, None, False)
    _STATE["generation"] += 1
    return name


def reset():
    """Forget loaded plugins (tests that change the environment use this); the registry refills."""
    count = _STATE["generation"]
    _STATE.clear()
    _STATE["generation"] = count + 1

