"""Named factories, one registry per kind, filled by the plugins' ``register`` hooks.

A registry is filled on first use by calling every plugin's hook with a ``register`` callback
bound to that plugin's name, so a duplicate names both plugins and ``ganzoo plugins`` can
say what each one registered.
"""

import warnings

import attrs

from ganzoo.errors import DuplicateNameError, GanzooError, UnknownNameError, did_you_mean

KINDS = {
    # kind: (hook name, singular word for messages)
    "generators": ("ganzoo_register_generators", "generator"),
    "discriminators": ("ganzoo_register_discriminators", "discriminator"),
    "models": ("ganzoo_register_models", "model"),
    "losses": ("ganzoo_register_losses", "loss"),
    "regularizers": ("ganzoo_register_regularizers", "regularizer"),
    "datasets": ("ganzoo_register_datasets", "dataset"),
    "metrics": ("ganzoo_register_metrics", "metric"),
}


@attrs.frozen
class Entry:
    name: str
    factory: object
    plugin: str
    meta: dict


class Registry:
    """Name -> Entry for one kind; errors name the plugins and suggest close names."""

    def __init__(self, kind):
        self.kind = kind
        self.word = KINDS[kind][1]
        self._entries = {}

    def register(self, name, factory, plugin="<direct>", **meta):
        if not isinstance(name, str) or not name:
            raise GanzooError(f"plugin {plugin!r} registered a {self.word} without a name: {name!r}")
        if not callable(factory):
            raise GanzooError(f"plugin {plugin!r} registered {self.word} {name!r} with a factory that is not callable")
        if name in self._entries:
            other = self._entries[name].plugin
            raise DuplicateNameError(
                f"{self.word} {name!r} is registered twice: by plugin {other!r} and by plugin {plugin!r}; "
                f"disable one (GANZOO_PLUGINS=...) or rename it"
            )
        self._entries[name] = Entry(name, factory, plugin, dict(meta))

    def get(self, name):
        try:
            return self._entries[name]
        except KeyError:
            raise UnknownNameError(did_you_mean(name, self._entries, self.word)) from None

    def __contains__(self, name):
        return name in self._entries

    def names(self):
        return sorted(self._entries)

    def entries(self):
        return [self._entries[n] for n in self.names()]


_REGISTRIES = {}


def _fill(kind):
    from ganzoo.plugins import get_plugin_manager, plugin_infos

    pm = get_plugin_manager()
    reg = Registry(kind)
    hook = getattr(pm.hook, KINDS[kind][0])
    infos = plugin_infos()
    for impl in reversed(hook.get_hookimpls()):  # pluggy lists last-registered first
        plugin = impl.plugin_name

        def register(name, factory, _plugin=plugin, **meta):
            reg.register(name, factory, plugin=_plugin, **meta)
            if _plugin in infos:
                infos[_plugin].registers.setdefault(kind, []).append(name)

        try:
            impl.function(register=register)
        except GanzooError:
            raise
        except Exception as exc:  # a plugin bug must not take the other plugins down
            from ganzoo.plugins import PluginLoadWarning

            message = f"{type(exc).__name__}: {exc}"
            if plugin in infos:
                infos[plugin].error = message
            warnings.warn(f"ganzoo plugin {plugin!r} failed while registering {kind}: {message}", PluginLoadWarning, stacklevel=2)
    return reg


def get_registry(kind):
    """The registry of one kind ('models', 'discriminators', ...), filled on first use."""
    if kind not in KINDS:
        raise UnknownNameError(did_you_mean(kind, KINDS, "kind"))
    if kind not in _REGISTRIES:
        _REGISTRIES[kind] = _fill(kind)
    return _REGISTRIES[kind]


def get(kind, name):
    """The Entry for ``name`` in ``kind``; unknown names fail with suggestions."""
    return get_registry(kind).get(name)


def fill_all():
    for kind in KINDS:
        get_registry(kind)


def reset():
    _REGISTRIES.clear()
