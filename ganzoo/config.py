"""Run configuration: attrs classes, TOML/JSON round trip, ``--set a.b=value`` overrides.

A run's resolved config is the model spec after the dataset's discriminator defaults, its
preset, the ``--disc`` swap and the ``--set`` overrides, plus the data and schedule options;
every run writes it next to its outputs (``config.toml``) and every checkpoint carries it.

Dataset defaults: a dataset may declare the kwargs its paper trains a named discriminator with
(registration metadata ``discriminator_kwargs``: ``bair`` declares ``{"tpd": {"speeds": [1, 3,
5]}}``, ``voxceleb2`` ``[1, 3, 5, 7]``: InMoDeGAN Sec. 4, implementation details). They replace
the spec's field values (the ``paper`` preset) of every role and ``--disc`` alternative using
that discriminator. Precedence, highest first: ``--set`` (the key or a table above it); a preset
that names the key (InMoDeGAN ``tiny``'s ``[1, 3]``); the dataset's value; the spec's value. If
the dataset's values do not fit the run (a TPD speed longer than the clip), the run keeps the
values it would have had without them, silently: ``config.toml`` records what was used. The
dataset is the ``data.source`` name or the one a clip store's manifest records.
"""

import json
import re
import tomllib
from pathlib import Path

import attrs
import cattrs
import tomli_w

from ganzoo import registry
from ganzoo.contracts import BadValue, DiscriminatorRole, ModelSpec, at_least, check_discriminator
from ganzoo.data.atomic import atomic_write_text
from ganzoo.data.open import dataset_name
from ganzoo.errors import ConfigError, GanzooError, IncompatibleError, did_you_mean

converter = cattrs.Converter()


@attrs.define
class DataConfig:
    """Where clips come from: a registered dataset name or a prepared clip store path."""

    source: str = "moving-shapes"
    kwargs: dict = attrs.field(factory=dict)
    workers: int = attrs.field(default=0, validator=at_least(0))


@attrs.define
class ScheduleConfig:
    """How often the loop logs, samples, checkpoints and scores (in iterations)."""

    log_every: int = attrs.field(default=10, validator=at_least(0))  # 0: never (a checkpoint ends every run)
    sample_every: int = attrs.field(default=500, validator=at_least(0))
    checkpoint_every: int = attrs.field(default=500, validator=at_least(0))
    keep_checkpoints: int = attrs.field(default=3, validator=at_least(0))  # 0: keep all
    metric: str | None = None
    metric_every: int = attrs.field(default=0, validator=at_least(0))


AMP = ("bf16", "fp32", "none", "")
MAX_SEED = 2**32 - 1  # numpy's seed range, which the loop seeds from the run seed


def _seed(instance, attribute, value):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SEED:
        raise BadValue(attribute, f"got {value!r}; allowed: an integer from 0 to {MAX_SEED}")


def _amp(instance, attribute, value):
    if value is not None and value not in AMP:
        raise BadValue(attribute, f"got {value!r}; allowed: bf16, fp32 or none")


@attrs.define
class RunConfig:
    """Everything a training run needs; ``ganzoo train`` writes it to ``DIR/config.toml``."""

    model: ModelSpec
    data: DataConfig = attrs.field(factory=DataConfig)
    schedule: ScheduleConfig = attrs.field(factory=ScheduleConfig)
    seed: int = attrs.field(default=0, validator=_seed)
    device: str = "cpu"
    amp: str | None = attrs.field(default=None, validator=_amp)


# ---------------------------------------------------------------- plain data round trip


def to_data(obj):
    """attrs object -> plain dicts/lists/numbers (what TOML, JSON and checkpoints hold)."""
    return converter.unstructure(obj)


def from_data(data, cls, where="config"):
    """Plain data -> attrs object; unknown keys and wrong types are ConfigErrors."""
    check_keys(data, cls, where)
    try:
        return converter.structure(data, cls)
    except Exception as exc:
        raise ConfigError(f"{where}: {_cattrs_message(exc)}") from None


def _cattrs_message(exc):
    if isinstance(exc, cattrs.BaseValidationError):
        notes = cattrs.transform_error(exc, format_exception=_describe)
        return "; ".join(_key_first(note) for note in notes)
    return str(exc)


def _describe(exc, type_):
    """A validator's :class:`BadValue` says what was given and what is allowed: keep its words."""
    if isinstance(exc, BadValue):
        return f"{BAD_VALUE}{exc.field}{BAD_VALUE}{exc.text}"
    return cattrs.v.format_exception(exc, type_)


BAD_VALUE = "\x00"


def _key_first(note):
    """``"<field><text> @ $.model"`` -> ``"model.batch_size: got -2; allowed: ..."`` (dict keys dotted too)."""
    message, sep, path = note.rpartition(" @ $")
    if not sep:
        return note
    path = re.sub(r"\[['\"]?([^]'\"]*)['\"]?\]", r".\1", path).lstrip(".")
    if message.startswith(BAD_VALUE):
        _, field, text = message.split(BAD_VALUE, 2)
        return f"{'.'.join(filter(None, (path, field)))}: {text}"
    return f"{path}: {message}" if path else message


def check_keys(data, cls, where="config", path=""):
    """Fail on a key that is not a field of ``cls`` (recursing into nested attrs classes)."""
    if not isinstance(data, dict):
        return
    fields = {f.name: f for f in attrs.fields(cls)}
    for key, value in data.items():
        here = f"{path}{key}"
        if key not in fields:
            raise ConfigError(f"{where}: {did_you_mean(here, [path + n for n in fields], 'key')}")
        field_type = fields[key].type
        args = getattr(field_type, "__args__", ())
        if attrs.has(field_type):
            check_keys(value, field_type, where, here + ".")
        elif args and attrs.has(args[-1]) and isinstance(value, dict):  # dict[str, Spec]
            for sub_key, sub_value in value.items():
                check_keys(sub_value, args[-1], where, f"{here}.{sub_key}.")
        elif args and attrs.has(args[0]) and isinstance(value, (list, tuple)):  # tuple[Spec, ...]
            for index, sub_value in enumerate(value):
                check_keys(sub_value, args[0], where, f"{here}.{index}.")


def load_file(path):
    """Read a TOML or JSON file into plain data, naming the file and line on a syntax error."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    try:
        if path.suffix == ".json":
            return json.loads(text)
        return tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"malformed {path.suffix.lstrip('.').upper() or 'TOML'} in {path}: {exc}") from None


def save_file(data, path):
    """Write plain data as TOML (``.toml``) or JSON (anything else); None values are dropped
    from TOML, which has no null (loading restores the field's default, which is None)."""
    path = Path(path)
    if path.suffix == ".toml":
        atomic_write_text(path, tomli_w.dumps(_drop_none(data)))
    else:
        atomic_write_text(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def _drop_none(data):
    if isinstance(data, dict):
        return {k: _drop_none(v) for k, v in data.items() if v is not None}
    if isinstance(data, (list, tuple)):
        return [_drop_none(v) for v in data]
    return data


# ---------------------------------------------------------------- --set overrides


def parse_value(text):
    """A ``--set`` value: a TOML literal (``3``, ``0.5``, ``true``, ``[1, 3, 5]``, ``"x"``),
    ``null``/``none``, or else the bare text as a string."""
    if text.strip().lower() in ("null", "none"):
        return None
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _coerce(key, old, new, where):
    if old is None or new is None:
        return new
    if isinstance(old, bool):
        if isinstance(new, bool):
            return new
    elif isinstance(old, int):
        if isinstance(new, int) and not isinstance(new, bool):
            return new
    elif isinstance(old, float):
        if isinstance(new, (int, float)) and not isinstance(new, bool):
            return float(new)
    elif isinstance(old, str):
        if isinstance(new, str):
            return new
    elif isinstance(old, (list, tuple)):
        if isinstance(new, list):
            return new
    elif isinstance(old, dict):
        if isinstance(new, dict):
            return new
    else:
        return new
    raise ConfigError(
        f"{where} {key}={new!r}: expected {type(old).__name__} (like {old!r}), got {type(new).__name__}"
    )


def set_dotted(data, key, value, where="--set", free=("kwargs",)):
    """Set ``a.b.c`` in nested plain data, converting ``value`` to the existing value's type.

    A key that does not exist is an error with suggestions, except under a free-form mapping
    (a ``kwargs`` dict), where new keys are allowed and checked when the network is built.
    """
    parts = key.split(".")
    node = data
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                raise ConfigError(f"{where} {key}: {part!r} is not an index of a list of {len(node)}")
            part = int(part)
        elif not isinstance(node, dict):
            raise ConfigError(f"{where} {key}: {'.'.join(parts[:depth])} is a value, not a table")
        elif part not in node:
            if depth > 0 and parts[depth - 1] in free:
                if last:
                    node[part] = value
                    return data
                node[part] = {}
            else:
                prefix = ".".join(parts[:depth])
                options = [f"{prefix}.{k}" if prefix else k for k in node]
                raise ConfigError(f"{where}: {did_you_mean(key, options, 'config key')}")
        if last:
            node[part] = _coerce(key, node[part], value, where)
            return data
        node = node[part]
    return data


def apply_overrides(data, assignments, where="--set"):
    """Apply ``["a.b=1", ...]`` to plain data in place; returns it."""
    for item in assignments:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{where} {item!r}: expected KEY=VALUE, e.g. model.frames=8")
        set_dotted(data, key.strip(), parse_value(text.strip()), where)
    return data


# ---------------------------------------------------------------- resolving a model


def model_spec(name):
    """The registered model's spec as defined by its plugin (the ``paper`` preset)."""
    entry = registry.get("models", name)
    spec = entry.factory()
    if not isinstance(spec, ModelSpec):
        raise GanzooError(f"plugin {entry.plugin!r}: model {name!r} factory returned {type(spec).__name__}, not a ModelSpec")
    return spec


def apply_preset(spec, preset):
    """The spec with a preset's dotted overrides applied; unknown presets list the known ones."""
    if preset == "paper" and "paper" not in spec.presets:
        return spec
    if preset not in spec.presets:
        known = sorted(set(spec.presets) | {"paper"})
        raise ConfigError(f"model {spec.name!r} has no preset {preset!r}; its presets: {', '.join(known)}")
    data = to_data(spec)
    for key, value in spec.presets[preset].items():
        set_dotted(data, key, value, where=f"preset {preset!r} of {spec.name!r}:")
    data["preset"] = preset
    return from_data(data, ModelSpec, where=f"preset {preset!r} of model {spec.name!r}")


def swap_video_discriminator(spec, disc, kwargs=None):
    """``--disc NAME``: replace the ``video`` role and nothing else (Tab. 2 of InMoDeGAN).
    A name the spec does not list in ``video_alternatives`` gets ``kwargs`` (the dataset's
    defaults for it) and the replaced role's weight."""
    registry.get("discriminators", disc)  # unknown names fail here, with suggestions
    if "video" not in spec.discriminators:
        raise ConfigError(f"model {spec.name!r} has no 'video' discriminator role to replace with {disc!r}")
    old = spec.discriminators["video"]
    if disc == old.name:
        return spec
    new = spec.video_alternatives.get(disc, DiscriminatorRole(disc, dict(kwargs or {}), old.weight))
    return attrs.evolve(spec, discriminators={**spec.discriminators, "video": new})


def validate_model(spec):
    """Check every name exists and every discriminator accepts the model's videos.

    Runs when the run is built, before any network exists, so an incompatible ``--disc``
    fails with the constraint it breaks rather than at the first forward pass.
    """
    registry.get("generators", spec.generator.name)
    registry.get("losses", spec.loss.name)
    for reg in spec.regularizers:
        registry.get("regularizers", reg.name)
        if reg.target not in ("generator", "discriminators") and reg.target not in spec.discriminators:
            raise ConfigError(f"regularizer {reg.name!r} targets unknown role {reg.target!r}")
    if "generator" not in spec.optimizers or not (
        "discriminators" in spec.optimizers or set(spec.discriminators) <= set(spec.optimizers)
    ):
        raise ConfigError(f"model {spec.name!r}: optimizers need 'generator' and 'discriminators' (or one per role)")
    for role, d in spec.discriminators.items():
        entry = registry.get("discriminators", d.name)
        check_discriminator(entry.factory, role, spec.frames, spec.resolution, 3, d.kwargs)
    return spec


def dataset_defaults(source):
    """``{discriminator name: kwargs}`` that the dataset held by ``source`` declares (its
    ``discriminator_kwargs`` registration metadata); empty for an unregistered source."""
    name = dataset_name(source)
    declared = registry.get("datasets", name).meta.get("discriminator_kwargs") if name else None
    return {disc: dict(kwargs) for disc, kwargs in (declared or {}).items()}


def with_dataset_defaults(spec, defaults):
    """The spec with ``defaults`` merged into each role and alternative of a named discriminator."""

    def merge(role):
        extra = defaults.get(role.name)
        return attrs.evolve(role, kwargs={**role.kwargs, **extra}) if extra else role

    return attrs.evolve(spec, discriminators={r: merge(d) for r, d in spec.discriminators.items()},
                        video_alternatives={n: merge(d) for n, d in spec.video_alternatives.items()})


def _resolve(spec, preset, disc, overrides, options, defaults):
    spec = apply_preset(with_dataset_defaults(spec, defaults), preset)
    if disc:
        spec = swap_video_discriminator(spec, disc, defaults.get(disc))
    try:
        run = RunConfig(model=spec, **options)
    except BadValue as exc:  # --seed, --amp
        raise ConfigError(str(exc)) from None
    if overrides:
        run = from_data(apply_overrides(to_data(run), overrides), RunConfig, where="--set")
    return run


def resolve_run(model, preset="paper", disc=None, overrides=(), **options):
    """The full RunConfig: ``--set`` keys are relative to it (``model.frames=8``,
    ``schedule.log_every=5``, ``data.source=...``). Resolved once without dataset defaults to
    learn the final ``data.source``, then with them (precedence: the module docstring)."""
    base = model_spec(model)
    run = _resolve(base, preset, disc, overrides, options, {})
    defaults = dataset_defaults(run.data.source)
    if defaults:
        fitted = _resolve(base, preset, disc, overrides, options, defaults)
        try:
            validate_model(fitted.model)
            return fitted
        except IncompatibleError:
            pass  # the dataset's values do not fit this run: it keeps its own
    validate_model(run.model)
    return run


def save_run(run, path):
    save_file(to_data(run), path)


def load_run(path):
    return from_data(load_file(path), RunConfig, where=str(path))


def run_from_file(path, overrides=(), data_source=None, **options):
    """``--config FILE`` (and a resumed run without ``--model``): a run's own ``config.toml``
    (or ``.json``) as the whole RunConfig, so a run is reproduced from its file instead of by
    retyping its flags. ``options`` (seed, device, amp), then ``data_source``, then ``--set``
    override it; unknown keys in the file or in ``--set`` are errors with suggestions. The
    file already holds the resolved spec (preset, ``--disc`` swap, dataset defaults), so none
    is applied again; the result is validated as a freshly resolved run is."""
    data = to_data(load_run(path))
    data.update(options)
    if data_source:
        data["data"]["source"] = data_source
    run = from_data(apply_overrides(data, overrides), RunConfig, where="--set")
    validate_model(run.model)
    return run
