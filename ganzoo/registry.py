"""Named factories, one registry per kind, filled by the plugins' ``register`` hooks.

The registries are filled together on first use, one plugin at a time (built-ins first, then
the others in load order): each plugin's hooks are called with a ``register`` callback that
stages what it registers, and what it staged is checked before any of it is kept. A plugin
whose hook raises, or that registers a name that is not a string, a factory that is not
callable, or a name another plugin already holds, is skipped whole, with a warning naming the
reason (and both plugins for a clash); the built-ins and every other plugin keep working, and a
built-in name is never replaced. ``ganzoo plugins`` shows what each plugin registered and why
one was skipped (:func:`report`).

This module reads the plugin manager (:mod:`ganzoo.plugins`); the manager never reads it.
"""

import warnings

import attrs

from ganzoo import hookspecs, plugins
from ganzoo.errors import UnknownNameError, did_you_mean

# kind -> (hook name, singular word for messages), from the one list in ganzoo.hookspecs
KINDS = {kind: (hookspecs.register_hook(kind), word) for kind, word in hookspecs.KINDS.items()}


@attrs.frozen
class Entry:
    name: str
    factory: object
    plugin: str
    meta: dict


@attrs.define
class PluginRecord:
    """What one plugin registered (kind -> names), or why it was skipped."""

    registers: dict = attrs.field(factory=dict)
    error: str | None = None


class Registry:
    """Name -> Entry for one kind; errors suggest close names."""

    def __init__(self, kind):
        self.kind = kind
        self.word = KINDS[kind][1]
        self._entries = {}

    def problem(self, name, factory):
        """Why ``name``/``factory`` cannot be added here (None: it can)."""
        if not isinstance(name, str) or not name:
            return f"registered a {self.word} without a name: {name!r}"
        if not callable(factory):
            return f"registered {self.word} {name!r} with a factory that is not callable ({type(factory).__name__})"
        if name in self._entries:
            return (f"registered {self.word} {name!r}, which plugin {self._entries[name].plugin!r} already holds; "
                    f"disable one (GANZOO_PLUGINS=...) or rename it")
        return None

    def add(self, entry):
        self._entries[entry.name] = entry

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


_STATE = {}


def _plugin_order(pm):
    """Built-in plugins first (their names are never taken from them), then the others, each
    group in load order."""
    infos = plugins.plugin_infos()
    names = [name for name, _ in pm.list_name_plugin()]
    return sorted(names, key=lambda name: not (name in infos and infos[name].builtin))


def _recorder(kind, staged):
    """The ``register(name, factory, **meta)`` callback a plugin's hook for ``kind`` is handed."""
    def register(name, factory, **meta):
        staged.append((kind, name, factory, meta))

    return register


def _stage(pm, plugin):
    """[(kind, name, factory, meta)] that ``plugin``'s hooks register (may raise)."""
    staged = []
    for kind, (hook_name, _) in KINDS.items():
        for impl in getattr(pm.hook, hook_name).get_hookimpls():
            if impl.plugin_name == plugin:
                impl.function(register=_recorder(kind, staged))
    return staged


def _check(staged, registries):
    """The first reason ``staged`` cannot be kept (a sentence starting "it ..."), or None."""
    seen = set()
    for kind, name, factory, _ in staged:
        problem = registries[kind].problem(name, factory)
        if problem is None and (kind, name) in seen:
            problem = f"registered {KINDS[kind][1]} {name!r} twice"
        if problem:
            return f"it {problem}"
        seen.add((kind, name))
    return None


def _fill():
    pm = plugins.get_plugin_manager()
    registries = {kind: Registry(kind) for kind in KINDS}
    records = {}
    for plugin in _plugin_order(pm):
        record = records[plugin] = PluginRecord()
        try:
            staged = _stage(pm, plugin)
            record.error = _check(staged, registries)
        except Exception as exc:  # a plugin bug must not take the other plugins down
            record.error = f"its register hook raised {type(exc).__name__}: {exc}"
        if record.error:
            warnings.warn(f"ganzoo plugin {plugin!r} is skipped: {record.error}", plugins.PluginLoadWarning, stacklevel=3)
            continue
        for kind, name, factory, meta in staged:
            registries[kind].add(Entry(name, factory, plugin, dict(meta)))
            record.registers.setdefault(kind, []).append(name)
    _STATE.update(generation=plugins.generation(), registries=registries, records=records)


def _filled():
    if _STATE.get("generation") != plugins.generation():
        _fill()
    return _STATE


def get_registry(kind):
    """The registry of one kind ('models', 'discriminators', ...)."""
    if kind not in KINDS:
        raise UnknownNameError(did_you_mean(kind, KINDS, "kind"))
    return _filled()["registries"][kind]


def get(kind, name):
    """The Entry for ``name`` in ``kind``; unknown names fail with suggestions."""
    return get_registry(kind).get(name)


def report():
    """plugin name -> :class:`PluginRecord` (what it registered, or why it was skipped)."""
    return _filled()["records"]
