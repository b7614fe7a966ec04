"""`ganzoo interpret ANALYSIS SOURCE...`: the motion analyses of InMoDeGAN (Sec. 4.3-4.4).

One sub-command per analysis, each with only its own options and help. The order of the
first releases, ``ganzoo interpret SOURCE... ANALYSIS``, is still accepted: the analysis is
found among the leading positional words and moved to the front before parsing.
"""

import argparse

from ganzoo.errors import GanzooError

HELP = {
    "stats": "mean / variance over time of every alpha_i, top directions (Fig. 3a/3b)",
    "flow": "phi_i / Phi per region of the flow colour wheel (Eq. 6-7); SOURCE may also be video files, "
            "folders of videos, a clip store or a dataset name (a real reference)",
    "deactivate": "phi and delta-phi with each chosen direction switched off (Tab. 4/5)",
    "activate": "videos with only each chosen direction active (Fig. 4)",
    "trajectory": "drive directions along --trajectory (1=linear,511=sin or a CSV) (Sec. 4.3, B)",
    "longer": "videos longer than trained (--frames, default twice the trained length)",
    "interpolate": "interpolate --part appearance|motion between two latents",
    "align": "directions x motion factors on moving-shapes, MIG vs random directions",
}

EPILOG = """Every analysis writes JSON (and CSV / markdown) next to its PNGs and mp4/gif grids.
'ganzoo interpret ANALYSIS --help' lists that analysis's options.

example:
  ganzoo train --model inmodegan --data moving-shapes --preset small --out runs/shapes
  ganzoo interpret deactivate runs/shapes --masks foreground
  ganzoo interpret runs/shapes align          (the source first is accepted too)"""


class _AnalysisFirst(argparse._SubParsersAction):
    """Sub-commands that may also come after the sources (``CKPT stats``, as in the README).
    ``choices`` is cleared so that argparse does not refuse a source in first place before
    this action has moved the analysis to the front; ``_name_parser_map`` keeps the names."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = None

    def __call__(self, parser, namespace, values, option_string=None):
        names = self._name_parser_map
        leading = []
        for value in values:
            if value.startswith("-"):
                break
            leading.append(value)
        if leading and leading[0] not in names:
            found = [i for i, word in enumerate(leading) if word in names]
            if not found:
                raise GanzooError(_unknown(leading, list(names)))
            values = [values[found[0]], *values[:found[0]], *values[found[0] + 1:]]
        super().__call__(parser, namespace, values, option_string)


def _unknown(words, analyses):
    import difflib

    from ganzoo.errors import did_you_mean

    for word in words:
        if difflib.get_close_matches(word, analyses, n=1, cutoff=0.6):
            return did_you_mean(word, analyses, "interpret analysis")
    return (f"no analysis in 'ganzoo interpret {' '.join(words)}': name one of {', '.join(analyses)} "
            f"(ganzoo interpret ANALYSIS SOURCE... [options])")


def _parents():
    """Option groups shared by several analyses, as argparse parent parsers."""
    from ganzoo.interpret.flow import METHODS

    def parent(title):
        p = argparse.ArgumentParser(add_help=False)
        return p, p.add_argument_group(title)

    common, g = parent("model and output")
    g.add_argument("--out", default=None, help="output folder (default interpret/ANALYSIS)")
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--frames", type=int, default=None, help="frames per video (default: as trained)")
    g.add_argument("--no-ema", action="store_true", help="use G instead of G_EMA")
    g.add_argument("--device", default="cpu")

    batch, g = parent("batching")
    g.add_argument("--batch", type=int, default=32, help="videos per forward pass (default 32)")

    directions, g = parent("directions")
    g.add_argument("--directions", default=None, help="direction indices, e.g. 1,511 (default: the top ones by "
                   "alpha statistics)")
    g.add_argument("--top", type=int, default=4, help="how many top directions when --directions is absent (default 4)")

    method, g = parent("optical flow")
    g.add_argument("--flow-method", default="farneback", help=f"optical flow: {', '.join(METHODS)} (default farneback)")

    scorer, g = parent("motion per colour-wheel region (Eq. 6-7)")
    g.add_argument("--max-flow", type=float, default=None, metavar="H",
                   help="colour-wheel radius in pixels per frame (default: frame width / 16)")
    g.add_argument("--normalize", default="region", choices=["region", "area"],
                   help="reading of Eq. 6-7: 'region' (the paper: phi_i = mean motion of the pixels in R_i, "
                   "Phi = mean over all) or 'area' (phi_i = motion in R_i over the whole area, Phi = sum_i phi_i)")
    g.add_argument("--masks", default=None, help="region masks: 'foreground' or package.module:function")
    return {"common": common, "batch": batch, "directions": directions, "method": method, "scorer": scorer}


# The option groups each analysis reads (ganzoo.interpret.runs.run_<analysis>).
GROUPS = {
    "stats": ("batch",), "flow": ("batch", "method", "scorer"), "deactivate": ("batch", "directions", "method", "scorer"),
    "activate": ("directions", "method", "scorer"), "trajectory": ("method", "scorer"), "longer": ("method", "scorer"),
    "interpolate": ("method", "scorer"), "align": ("batch", "directions", "method"),
}


def add_parser(subparsers):
    from ganzoo.interpret import ANALYSES, DEFAULT_N

    p = subparsers.add_parser("interpret", help="analyse a model's motion directions (InMoDeGAN Sec. 4.3-4.4)",
                              description="The paper's motion analyses of a trained model, one sub-command each.",
                              epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    analyses = p.add_subparsers(dest="analysis", metavar="ANALYSIS", action=_AnalysisFirst, required=True)
    parents = _parents()
    for name in ANALYSES:
        a = analyses.add_parser(name, help=HELP[name], description=HELP[name],
                                parents=[parents["common"], *(parents[g] for g in GROUPS[name])])
        source = "checkpoint file or run folder" + (", or videos, folders, a clip store, a dataset" if name == "flow" else "")
        a.add_argument("sources", nargs="+", metavar="SOURCE", help=source)
        a.add_argument("--n", type=int, default=None, help=f"videos / latents (default {DEFAULT_N[name]})")
        _own_options(name, a)
        a.set_defaults(func=run)
    return p


def _own_options(name, a):
    if name == "flow":
        a.add_argument("--resolution", type=int, default=None, help="real videos: resize to this square size")
    elif name == "stats":
        a.add_argument("--directions", default=None, help="directions whose alpha curves to plot, e.g. 1,511")
        a.add_argument("--top", type=int, default=4, help="directions in the top table (at least 10)")
    elif name == "trajectory":
        a.add_argument("--trajectory", default=None, help="1=linear,511=sin[*k] or a CSV of alpha per step")
        a.add_argument("--amplitude", type=float, default=None, help="trajectory amplitude A (default 3 std of alpha_k)")
    elif name == "interpolate":
        a.add_argument("--part", default="appearance", choices=["appearance", "motion"], help="what changes")
        a.add_argument("--steps", type=int, default=5, help="videos from t=0 to 1 (default 5)")
    elif name == "align":
        a.add_argument("--bins", type=int, default=5, help="bins for mutual information (default 5)")
        a.add_argument("--data", default="moving-shapes", help="dataset with known factors to check the "
                       "estimators on ('none' to skip)")


def run(args):
    from ganzoo.interpret import runs

    return runs.run(args)
