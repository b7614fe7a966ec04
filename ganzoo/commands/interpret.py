"""`ganzoo interpret SOURCE... ANALYSIS`: the motion analyses of InMoDeGAN (Sec. 4.3-4.4)."""

from ganzoo.errors import GanzooError

HELP = """analyses:
  stats        mean / variance over time of every alpha_i, top directions (Fig. 3a/3b)
  flow         phi_i / Phi per region of the flow colour wheel (Eq. 6-7); SOURCE may also be
               video files, folders of videos, a clip store or a dataset name (real reference)
  deactivate   phi and delta-phi with each chosen direction switched off (Tab. 4/5)
  activate     videos with only each chosen direction active (Fig. 4)
  trajectory   drive directions along --trajectory (1=linear,511=sin or a CSV) (Sec. 4.3, B)
  longer       videos longer than trained (--frames, default twice the trained length)
  interpolate  interpolate --part appearance|motion between two latents
  align        directions x motion factors on moving-shapes, MIG vs random directions
Every analysis writes JSON (and CSV / markdown) next to its PNGs and mp4/gif grids.

example:
  ganzoo train --model inmodegan --data moving-shapes --preset small --out runs/shapes
  ganzoo interpret runs/shapes deactivate --masks foreground
  ganzoo interpret runs/shapes align"""


def add_parser(subparsers):
    import argparse

    from ganzoo.interpret.flow import METHODS
    from ganzoo.interpret import ANALYSES

    p = subparsers.add_parser("interpret", help="analyse a model's motion directions (InMoDeGAN Sec. 4.3-4.4)",
                              description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="checkpoint file or run folder (flow: also videos)")
    p.add_argument("analysis", metavar="ANALYSIS", help=f"one of: {', '.join(ANALYSES)}")
    p.add_argument("--n", type=int, default=None, help="videos / latents (default per analysis: stats 10000, "
                   "deactivate 1000, align 128, flow 64, others 3-4)")
    p.add_argument("--directions", default=None, help="direction indices, e.g. 1,511 (default: the top ones by alpha statistics)")
    p.add_argument("--top", type=int, default=4, help="how many top directions when --directions is absent (default 4)")
    p.add_argument("--out", default=None, help="output folder (default interpret/ANALYSIS)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch", type=int, default=32, help="videos per forward pass")
    p.add_argument("--frames", type=int, default=None, help="frames per video (default: as trained; flow on files: all)")
    p.add_argument("--resolution", type=int, default=None, help="flow on real videos: resize to this square size")
    p.add_argument("--flow-method", default="farneback", help=f"optical flow: {', '.join(METHODS)} (default farneback)")
    p.add_argument("--max-flow", type=float, default=None, metavar="H",
                   help="colour-wheel radius in pixels per frame (default: frame width / 16)")
    p.add_argument("--normalize", default="region", choices=["region", "area"],
                   help="reading of Eq. 6-7: 'region' (the paper: phi_i = mean motion of the pixels in R_i, "
                   "Phi = mean over all) or 'area' (phi_i = motion in R_i over the whole area, Phi = sum_i phi_i)")
    p.add_argument("--masks", default=None, help="region masks: 'foreground' or package.module:function")
    p.add_argument("--trajectory", default=None, help="trajectory: 1=linear,511=sin[*k] or a CSV of alpha per step")
    p.add_argument("--amplitude", type=float, default=None, help="trajectory amplitude A (default 3 std of alpha_k)")
    p.add_argument("--part", default="appearance", choices=["appearance", "motion"], help="interpolate: what changes")
    p.add_argument("--steps", type=int, default=5, help="interpolate: videos from t=0 to 1")
    p.add_argument("--bins", type=int, default=5, help="align: bins for mutual information")
    p.add_argument("--data", default="moving-shapes", help="align: dataset with known factors to check the "
                   "estimators on ('none' to skip)")
    p.add_argument("--no-ema", action="store_true", help="use G instead of G_EMA")
    p.add_argument("--device", default="cpu")
    p.set_defaults(func=run)
    return p


def run(args):
    from ganzoo.errors import did_you_mean
    from ganzoo.interpret import ANALYSES

    if args.analysis not in ANALYSES:
        raise GanzooError(did_you_mean(args.analysis, ANALYSES, "interpret analysis"))
    from ganzoo.interpret import runs

    return runs.run(args)
