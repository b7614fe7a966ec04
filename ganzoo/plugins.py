"""The plugin manager: loads the ``ganzoo`` entry-point group, built-ins included.

``GANZOO_DISABLE_PLUGIN_AUTOLOAD=1`` loads only the plugins that ship inside the ``ganzoo``
distribution; ``GANZOO_PLUGINS=a,b`` loads only the named entry points. A plugin whose import
fails is recorded with its exception, reported as a warning, and skipped.
"""

import os
import warnings
from importlib.metadata import entry_points

import attrs
import pluggy

from ganzoo import hookspecs

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
    error: str | None = None
    registers: dict = attrs.field(factory=dict)  # kind -> [names]


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
            pm.register(module, name=ep.name)
        except Exception as exc:  # a broken plugin must not take the others down
            info.error = f"{type(exc).__name__}: {exc}"
            warnings.warn(
                f"ganzoo plugin {ep.name!r} ({ep.value}) failed to load and is skipped: {info.error}",
                PluginLoadWarning,
                stacklevel=2,
            )
    return infos


_STATE = {}


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


def register_plugin(module, name):
    """Register an in-process plugin (tests, notebooks) as if it came from an entry point."""
    pm = get_plugin_manager()
    pm.register(module, name=name)
    _STATE["infos"][name] = PluginInfo(name, getattr(module, "__name__", repr(module)), None, None, False)
    from ganzoo import registry

    registry.reset()
    return name


def reset():
    """Forget loaded plugins and registries (tests that change the environment use this)."""
    _STATE.clear()
    from ganzoo import registry

    registry.reset()

