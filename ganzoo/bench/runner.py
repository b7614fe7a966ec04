"""One bench job: train a (cell, seed) with the engine, score it along the way, record it.

The curve (score vs iterations) comes from the checkpoints the engine keeps: the run is
trained once with ``checkpoint_every = budget / points`` and each kept checkpoint is scored,
so the table's plot needs no second training run.
"""

import hashlib
import json
import time
from pathlib import Path

import attrs

import ganzoo
from ganzoo import config
from ganzoo.bench.records import Record, key_of
from ganzoo.errors import GanzooError
from ganzoo.train import diagnostics


METRIC_SEED = 0


@attrs.frozen
class BenchOptions:
    """What every job of one ``ganzoo bench`` call shares."""

    preset: str = "tiny"
    data: str = "moving-shapes"
    metric: str = "fid-shapes"
    budget: str | None = "1000"  # iterations; "preset" or None: the preset's own
    samples: int = 256
    points: int = 4
    device: str = "cpu"
    weights: str | None = None
    overrides: tuple = attrs.field(default=(), converter=tuple)
    config: str | None = None  # --config FILE.toml: the run's config instead of model/preset/disc
    allow_unknown_weights: bool = False  # a weights file that is not the published one (recorded)


def parse_budget(budget, default):
    """``--budget`` as a number of iterations (``500``); ``preset`` (or None) keeps the preset's."""
    if budget is None or str(budget).strip() == "preset":
        return int(default)
    text = str(budget).strip()
    if not text.isdigit() or int(text) < 1:
        raise GanzooError(f"--budget {budget!r}: expected a positive number of iterations (e.g. --budget 500) "
                          f"or 'preset'")
    return int(text)


# ModelSpec fields that do not change what a resolved run trains: the other presets, the
# ``--disc`` alternatives not taken, and prose.
NOT_TRAINED = ("presets", "video_alternatives", "citation", "description")


def config_hash(model_spec):
    """A short hash of what the resolved model spec trains: the same cell under a changed spec is
    a new record, but a change to an alternative it did not take (e.g. the TPD swap's settings,
    for the own-D column) or to another preset keeps its record."""
    data = {k: v for k, v in config.to_data(model_spec).items() if k not in NOT_TRAINED}
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def check_frames_for_metric(run, metric):
    """A model trained on fewer frames than the metric takes must be able to make more
    (MoCoGAN's GRU can; VGAN's fixed 3D deconvolutions cannot): checked before training."""
    if run.model.frames >= metric.frames:
        return
    from ganzoo.build import build_generator

    try:
        build_generator(run.model).check_frames(metric.frames)
    except GanzooError as exc:
        raise GanzooError(f"{run.model.name} ({run.model.preset} preset) trains on {run.model.frames} frames and "
                          f"metric {metric.name} takes {metric.frames}: {exc}; "
                          f"set the model's frames (--set model.frames={metric.frames}) or pick another metric") from None


def check_metric_ready(options):
    """Build the metric and resolve its weights (its protocol carries their SHA-256) before
    any training, so a missing or wrong weights file stops the bench early, not after hours."""
    from ganzoo.metrics.evaluate import metric_for

    metric = metric_for(options.metric, options.weights, options.device, options.allow_unknown_weights)
    metric.protocol()
    return metric


def resolve(cell, seed, options):
    """The RunConfig of one job (preset, disc swap, the cell's and the user's --set), or of
    ``options.config`` with the user's --set; the budget and schedule are the bench's either way."""
    overrides = [*cell.overrides, *options.overrides]
    if options.config:
        run = config.run_from_file(options.config, overrides, options.data, seed=seed, device=options.device)
    else:
        run = config.resolve_run(cell.model, options.preset, cell.disc, overrides=overrides,
                                 data=config.DataConfig(source=options.data), seed=seed, device=options.device)
    iterations = parse_budget(options.budget, run.model.iterations)
    every = max(1, iterations // max(1, options.points))
    return attrs.evolve(
        run,
        model=attrs.evolve(run.model, iterations=iterations),
        schedule=attrs.evolve(run.schedule, checkpoint_every=every, keep_checkpoints=options.points + 1,
                              sample_every=iterations),
    )


def job_key(cell, seed, options, run):
    """A --config run's data kwargs join its overrides (config_hash covers only the model)."""
    extra = (f"data.kwargs={json.dumps(run.data.kwargs, sort_keys=True)}",) if options.config and run.data.kwargs else ()
    return key_of(model=cell.model, disc=run.model.discriminators["video"].name if "video" in run.model.discriminators
                  else "-", overrides=tuple(cell.overrides) + tuple(options.overrides) + extra, data=options.data,
                  preset=options.preset, config_hash=config_hash(run.model), seed=seed, metric=options.metric,
                  budget=str(run.model.iterations), samples=options.samples)


def run_dir(results, cell, seed, options, run):
    disc = cell.disc or "own"
    return Path(results) / "runs" / f"{cell.model}-{disc}-{options.preset}-{config_hash(run.model)[:8]}-seed{seed}"


def stalled_warnings(record):
    """One line per discriminator role of ``record`` that did not tell real from fake over the
    last quarter of its training (at chance, or below it: a D that barely moves while G learns to
    please it): that role's loss steered G nowhere useful, so the score says little about it."""
    return [
        f"warning: {record.model}/{record.disc} seed {record.seed}: discriminator role {role!r} did not tell real "
        f"from fake over the last quarter of training (P(D(real) > D(fake)) = {record.d_accuracy[role]['mean']:.2f} "
        f"+- {record.d_accuracy[role]['se']:.2f}; 0.5 is chance, below {diagnostics.CHANCE_BAND} is flagged): "
        f"G was trained against a D that did not learn"
        for role in diagnostics.stalled_roles(record.d_accuracy)
    ]


def run_job(cell, seed, options, store, progress=True):
    """Train, score every kept checkpoint, append the record; reuse a record already there."""
    from ganzoo.checkpoints import list_checkpoints, read_checkpoint
    from ganzoo.metrics import evaluate, run_scorer
    from ganzoo.sources import resolve as resolve_source
    from ganzoo.train import train

    run = resolve(cell, seed, options)
    key = job_key(cell, seed, options, run)
    existing = store.find(key)
    if existing is not None:
        return existing, True
    out = run_dir(store.directory, cell, seed, options, run)
    start = time.perf_counter()
    result = train(run, out, resume=True, progress=progress, scorer=run_scorer(run))
    wall = time.perf_counter() - start
    curve, last, card = [], None, None
    real = resolve_source(run.data.source, run.data.kwargs)  # the clips training read, options included
    for path in list_checkpoints(out):
        card = read_checkpoint(path)["card"]
        # The metric's seed is fixed: every record of a table sees the same real clips and the
        # same latent seeds; only the training seed differs between a cell's runs.
        last = evaluate(options.metric, real, str(path), n=options.samples, seed=METRIC_SEED,
                        weights=options.weights, device=options.device, allow_unknown_weights=options.allow_unknown_weights)
        curve.append((int(card["step"]), float(last.value)))
    if last is None:
        raise GanzooError(f"training {cell.model} left no checkpoint in {out}")
    accuracy = diagnostics.role_accuracy(out / "log.jsonl", int(result["step"]))
    record = Record(
        model=cell.model, disc=key[1], overrides=key[2], data=options.data,
        data_fingerprint=str(card.get("data_fingerprint", "")), preset=options.preset,
        config_hash=key[5], seed=seed, budget=key[8], iterations=int(result["step"]), wall_time_s=round(wall, 2),
        device=options.device, metric=options.metric, value=float(last.value), samples=options.samples,
        protocol=last.protocol, checkpoint=str(path), curve=curve, ganzoo_version=ganzoo.__version__,
        d_accuracy=accuracy,
    )
    store.append(record)
    return record, False
