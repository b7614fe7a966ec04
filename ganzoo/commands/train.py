"""`ganzoo train`: train a model with the engine (issue #4)."""

import json
import sys
import warnings
from pathlib import Path

from ganzoo.errors import GanzooError


def add_parser(subparsers):
    p = subparsers.add_parser("train", help="train a model", description=(
        "Train a registered model. Writes DIR/config.toml (the resolved config), DIR/checkpoints, "
        "DIR/tb (TensorBoard), DIR/log.jsonl and DIR/result.json. Under torchrun every rank "
        "trains and rank 0 writes; the global batch is the per-process batch x world size."))
    p.add_argument("--model", help="registered model name (optional with --resume: read from DIR/config.toml)")
    p.add_argument("--config", metavar="FILE.toml",
                   help="the whole run config from a file in the schema of a run's DIR/config.toml (instead of "
                        "--model/--disc/--preset); --set, --data, --seed, --device, --amp still override it")
    p.add_argument("--disc", help="replace the model's 'video' discriminator with this one")
    p.add_argument("--data", help="registered dataset name or prepared clip store path")
    p.add_argument("--preset", help="tiny | small | paper (default: paper)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config value, e.g. model.iterations=100 (repeatable)")
    p.add_argument("--out", required=True, help="run folder")
    p.add_argument("--resume", action="store_true", help="continue from the newest valid checkpoint in --out")
    p.add_argument("--overwrite", action="store_true", help="replace a previous run in --out")
    p.add_argument("--seed", type=int, default=None, help="run seed (default 0)")
    p.add_argument("--device", default=None, help="cpu | cuda (default cpu)")
    p.add_argument("--amp", default=None, choices=["bf16"], help="bfloat16 autocast for forward passes")
    p.add_argument("--skip-nonfinite", action="store_true", help="skip and count steps with NaN/inf loss or gradients")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)
    return p


def resolve(args):
    """The RunConfig for these arguments: from --config FILE, from DIR/config.toml of a resumed
    run given without --model, or resolved from --model/--preset/--disc."""
    from ganzoo.config import DataConfig, resolve_run, run_from_file

    options = {}
    if args.seed is not None:
        options["seed"] = args.seed
    if args.device is not None:
        options["device"] = args.device
    if args.amp is not None:
        options["amp"] = args.amp
    if args.config:
        given = [flag for flag, value in (("--model", args.model), ("--disc", args.disc),
                                          ("--preset", args.preset)) if value is not None]
        if given:
            raise GanzooError(f"--config {args.config} holds the model, its preset and discriminators: drop "
                              f"{', '.join(given)} (or change the file, or --set model.KEY=VALUE)")
        return run_from_file(args.config, args.overrides, args.data, **options)
    saved = Path(args.out) / "config.toml"
    if args.model is None:
        if not (args.resume and saved.exists()):
            raise GanzooError("--model is required (or --config FILE.toml, or --resume a run folder that holds config.toml)")
        return run_from_file(saved, args.overrides, args.data, **options)
    data = DataConfig(source=args.data) if args.data else DataConfig()
    return resolve_run(args.model, args.preset or "paper", args.disc, args.overrides, data=data, **options)


def check_out(args):
    """``--out`` must be a folder (or not exist yet); ``--resume`` needs a run there to resume.

    A folder holding a run's ``config.toml`` but no checkpoint yet (stopped before its first)
    resumes from step 0, with a warning: a preempted job's command line always works again.
    """
    from ganzoo.checkpoints import list_checkpoints

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise GanzooError(f"--out {out} is a file, not a run folder; give a folder (new or holding a run)")
    if not args.resume:
        return
    if not (out / "config.toml").exists() and not list_checkpoints(out):
        raise GanzooError(f"--resume: nothing to resume in {out} (no config.toml, no checkpoints); "
                          f"drop --resume to start a run there")
    if not list_checkpoints(out):
        warnings.warn(f"--resume: {out} holds no checkpoint yet; training starts from step 0", stacklevel=2)


def run(args):
    from ganzoo.metrics import run_scorer
    from ganzoo.stopping import Interrupted
    from ganzoo.train import train

    check_out(args)
    config = resolve(args)
    try:
        result = train(config, args.out, resume=args.resume, progress=not args.no_progress,
                       overwrite=args.overwrite, skip_nonfinite=args.skip_nonfinite, scorer=run_scorer(config))
    except Interrupted as exc:
        raise Interrupted(f"{exc}; continue with: ganzoo train --out {args.out} --resume", exc.signum) from None
    # One line per rank under torchrun, written whole: print() writes the text and its newline
    # separately, and two ranks sharing the pipe could interleave between them.
    sys.stdout.write(json.dumps(result, sort_keys=True) + "\n")
    sys.stdout.flush()
    return 0
