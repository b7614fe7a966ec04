"""`ganzoo eval`: score videos with a metric, printing the number and the protocol that made it."""

import json
from pathlib import Path

from ganzoo.errors import GanzooError
from ganzoo.data.atomic import atomic_write_text


def add_parser(subparsers):
    p = subparsers.add_parser("eval", help="score videos with a metric (FID, FVD, IS, KVD)", description=(
        "Score set A against set B. A and B are each a checkpoint file or run folder (N videos are "
        "sampled, video i from seed SEED+i), a prepared clip store, a registered dataset name, a folder "
        "of video files, a folder of frame folders or a .zip of them, or a .npz of saved statistics. "
        "Sets of different resolution or frame count are refused unless --resize. The score is printed "
        "with its protocol (feature network, weights SHA-256 and whether it is the published one, sample "
        "counts, frames, resolution, clip choice, seed, versions, device); --json prints one JSON object."))
    p.add_argument("sets", nargs="*", metavar="A B", help="the two sets (one for is-c3d)")
    p.add_argument("--metric", required=True, help="registered metric (ganzoo list metrics), e.g. fid-shapes")
    p.add_argument("--weights", default=None, metavar="FILE", help="the feature network's weights (default: $GANZOO_WEIGHTS_DIR/<published name>)")
    p.add_argument("--allow-unknown-weights", action="store_true",
                   help="score with a weights file whose SHA-256 is not the published one (recorded as unverified)")
    p.add_argument("--n", type=int, default=None, help="videos per set (default: the metric's, 2048; the InMoDeGAN paper uses 10000)")
    p.add_argument("--batch", type=int, default=16, help="videos encoded per forward pass (does not change the score)")
    p.add_argument("--seed", type=int, default=0, help="base seed: generated video i uses SEED+i")
    p.add_argument("--resolution", type=int, default=None, help="size datasets are opened at (default: the other set's, else the metric's)")
    p.add_argument("--resize", action="store_true",
                   help="score sets of different resolution or frame count, each brought to the metric's input by its own preprocessing (recorded)")
    p.add_argument("--device", default="cpu")
    p.add_argument("--no-cache", action="store_true", help="encode real data again instead of using cached statistics")
    p.add_argument("--save-stats", nargs=2, metavar=("A", "OUT.npz"), default=None,
                   help="write A's feature statistics (mu, sigma, n, protocol) to OUT.npz instead of scoring")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--output", default=None, metavar="FILE.json", help="also write the JSON result to FILE.json")
    p.set_defaults(func=run)
    return p


def _print_protocol(protocol, indent="  "):
    for key, value in protocol.items():
        if isinstance(value, dict):
            print(f"{indent}{key}:")
            _print_protocol(value, indent + "  ")
        else:
            print(f"{indent}{key}: {value}")


def _write(path, data):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(data, indent=2, default=str) + "\n")


def run(args):
    from ganzoo.metrics import evaluate, save_source_stats

    common = dict(n=args.n, batch=args.batch, seed=args.seed, weights=args.weights, device=args.device,
                  resolution=args.resolution, cache=not args.no_cache, allow_unknown_weights=args.allow_unknown_weights)
    if args.save_stats:
        if args.sets:
            raise GanzooError("--save-stats SRC OUT.npz takes no other sets")
        source, out = args.save_stats
        stats = save_source_stats(args.metric, source, out, **common)
        data = {"metric": args.metric, "stats": str(out), "samples": stats.n, "protocol": stats.protocol}
        print(json.dumps(data, indent=2, default=str) if args.json else f"wrote {out}: {stats.n} samples, protocol {args.metric}")
        if args.output:
            _write(args.output, data)
        return 0
    if len(args.sets) not in (1, 2):
        raise GanzooError(f"ganzoo eval takes two sets A B (one for inception scores), got {len(args.sets)}")
    result = evaluate(args.metric, args.sets[0], args.sets[1] if len(args.sets) > 1 else None, resize=args.resize, **common)
    data = {"metric": result.metric, "value": result.value, "values": result.values, "protocol": result.protocol}
    if args.json:
        print(json.dumps(data, indent=2, default=str))
    else:
        for name, value in result.values.items():
            print(f"{name}: {value:.6g}")
        print("protocol:")
        _print_protocol(result.protocol)
    if args.output:
        _write(args.output, data)
    return 0
