"""The ganzoo plugin API: the plugin author's manual.

A plugin is an importable module (or package) listed in the ``ganzoo`` entry-point group of
its distribution::

    [project.entry-points.ganzoo]
    mymodel = "ganzoo_mymodel"

and implementing any of the hooks below with ``@ganzoo.hookimpl``. Each ``register`` hook is
called once, when ganzoo first needs that kind of thing, with a ``register(name, factory,
**meta)`` callback:

- ``name``: what a user types (``--model mymodel``); lower case, dashes allowed. Names are
  global per kind: a name another plugin already holds is an error naming both plugins.
- ``factory``: a class or function that builds the thing from keyword arguments.
- ``meta``: plain data shown by ``ganzoo list`` and ``ganzoo plugins`` (``description``,
  ``citation``, ...); some kinds read specific keys, documented on each hook.

Built-in plugins (``ganzoo_inmodegan``, ``ganzoo_tpd``, ...) use exactly this path.
The contracts each factory's product must follow are in :mod:`ganzoo.contracts`.
"""

import pluggy

hookspec = pluggy.HookspecMarker("ganzoo")
hookimpl = pluggy.HookimplMarker("ganzoo")

#: The kinds of thing a plugin registers (kind -> the word messages use); kind ``K`` is
#: registered by the hook ``ganzoo_register_K`` below. The one list: the registry reads it.
KINDS = {
    "generators": "generator",
    "discriminators": "discriminator",
    "models": "model",
    "losses": "loss",
    "regularizers": "regularizer",
    "datasets": "dataset",
    "metrics": "metric",
}


def register_hook(kind):
    """The name of the hook that registers ``kind``."""
    return f"ganzoo_register_{kind}"


@hookspec
def ganzoo_register_generators(register):
    """Register generators: ``register(name, GeneratorClass, description=...)``.

    The factory is called with the model spec's ``generator.kwargs`` plus ``frames`` and
    ``resolution``, and returns a :class:`ganzoo.contracts.Generator`.
    """


@hookspec
def ganzoo_register_discriminators(register):
    """Register discriminators: ``register(name, DiscriminatorClass, description=...)``.

    The factory is called with the role's kwargs plus ``frames``, ``resolution`` and
    ``channels`` and returns a :class:`ganzoo.contracts.Discriminator`. If the factory has a
    ``check(frames, resolution, channels, **kwargs)`` classmethod it is called when a run is
    built and raises :class:`ganzoo.errors.IncompatibleError` naming the failed constraint.
    """


@hookspec
def ganzoo_register_models(register):
    """Register model specs: ``register(name, make_spec, citation=..., description=...)``.

    ``make_spec()`` takes no arguments and returns a frozen :class:`ganzoo.contracts.ModelSpec`
    (generator, discriminators by role, loss, regularizers, optimizers, EMA, presets).
    """


@hookspec
def ganzoo_register_losses(register):
    """Register adversarial losses: ``register(name, LossClass)``.

    The product follows :class:`ganzoo.contracts.Loss` (``d_loss`` and ``g_loss`` on logits).
    """


@hookspec
def ganzoo_register_regularizers(register):
    """Register regularizers: ``register(name, RegularizerClass)``.

    The product follows :class:`ganzoo.contracts.Regularizer`: a penalty added to a network's
    loss every ``interval`` steps (lazy R1, path length) or a constraint applied to the
    weights after an optimizer step (weight clipping, singular value clipping).
    """


@hookspec
def ganzoo_register_datasets(register):
    """Register datasets: ``register(name, DatasetClass, description=...)``.

    The factory is called with ``root`` (a path, or None for synthetic data), ``frames``,
    ``resolution`` and dataset-specific options, and returns a
    :class:`ganzoo.contracts.VideoDataset`. Meta ``discriminator_kwargs={name: kwargs}``: the
    kwargs a discriminator is trained with on this dataset (bair: ``{"tpd": {"speeds": [1, 3,
    5]}}``); they replace a model's paper values, below presets and ``--set`` (:mod:`ganzoo.config`).
    """


@hookspec
def ganzoo_register_metrics(register):
    """Register metrics: ``register(name, MetricClass, description=...)``.

    The product follows :class:`ganzoo.contracts.Metric`: it scores real against generated
    videos and reports the protocol that produced the number.
    """


@hookspec
def ganzoo_add_commands(subparsers):
    """Add ``ganzoo`` sub-commands.

    ``subparsers`` is the ``argparse`` sub-parser action of the ``ganzoo`` command. Add a
    parser and set its ``func`` default: ``p = subparsers.add_parser("mycmd");
    p.set_defaults(func=run)``; ``run(args)`` returns the exit code.
    """


_HOOKS = {name[len("ganzoo_register_"):] for name in list(globals()) if name.startswith("ganzoo_register_")}
if _HOOKS != set(KINDS):  # a hook added without its kind (or the reverse) fails at import, not at use
    raise ImportError(f"ganzoo.hookspecs: register hooks {sorted(_HOOKS)} and KINDS {sorted(KINDS)} differ")
