"""Tab. 4 and 5 of the paper (Sec. 4.3) on a bench-trained InMoDeGAN: the deactivation deltas
of the paper's directions, beside the paper's figures.

Each seed's InMoDeGAN cell (Tab. 1's, with its preset's own TPD speeds; reused from the
results store when it is there) is loaded, its directions ranked by the alpha statistics of Fig. 3a, and the deactivation study
of :mod:`ganzoo.interpret.deactivation` run on the stand-ins: Tab. 4 reads delta phi_i of
Eq. 6 over the whole frame, Tab. 5 delta Phi of Eq. 7 in the head and mouth regions and
computes their difference (mouth - head).

Which of our directions stands in for the paper's d_k. An index means nothing across training
runs (the motion bank's M starts random), and the tiny / small presets have 8 / 32 directions,
not 512; what carries over is why the paper chose each one (Sec. 4.3, Fig. 3a): d511 has "the
largest variance" of alpha (both datasets), d1 (BAIR-robot) and d0 (VoxCeleb2-mini) "the
highest mean values"; the others only "exhibit the highest impact according to Fig. 3a". So,
at every preset, the paper's largest-variance row takes our direction with the largest variance
of alpha over time, its highest-mean row our largest |mean| among the rest, and the remaining
rows the next directions in ``ganzoo interpret``'s default order (top by variance, then by
|mean|), all from :func:`ganzoo.interpret.stats.direction_statistics` on ``PICK_N`` latents.
To read given indices instead, use ``ganzoo interpret CKPT deactivate --directions 1,2,116,511``.

Masks (Tab. 5). The paper's head and mouth regions come from a face parser (Yu et al. [57]),
which ganzoo cannot download, and moving-shapes has no faces: ``--table 5`` needs
``--masks package.module:function`` returning ``{"head": ..., "mouth": ...}`` (see
:mod:`ganzoo.interpret.masks`) and says so, before any training, when none is given.
"""

from ganzoo.bench import paper
from ganzoo.bench.runner import METRIC_SEED
from ganzoo.bench.tables import format_cell, mean_std, ours_label
from ganzoo.errors import GanzooError

REGIONS = ("head", "mouth")
# No "|" in these: they go into markdown table cells.
STATISTIC_MEANING = {"variance": "largest variance of alpha", "mean": "largest absolute mean of alpha",
                     "top": "next by variance, then absolute mean"}
RULE = ("stand-ins by the statistic the paper chose each direction by (Fig. 3a, Sec. 4.3): its largest-variance "
        "row takes our largest variance of alpha, its highest-mean row our largest absolute mean, the rest the next "
        "by variance then absolute mean")
DIGITS = 4  # ours: the deltas are thousandths; the paper prints 3 decimals


def check_masks(number, masks):
    """Before any training: Tab. 5 needs a head/mouth mask provider; no other table takes one."""
    from ganzoo.interpret.masks import load_provider

    if number == 5 and not masks:
        raise GanzooError("--table 5 needs head and mouth masks from a face parser, which ganzoo does not ship and "
                          "moving-shapes (no faces) cannot give: pass --masks package.module:function returning "
                          "{'head': mask, 'mouth': mask}")
    if number != 5 and masks:
        where = f"Tab. {number} reads the whole frame" if number else "it is not used without --table"
        raise GanzooError(f"--masks is for --table 5 (head and mouth regions); {where}")
    return load_provider(masks)


def stand_ins(stats, number):
    """[(paper row, our direction or None, statistic)] in the paper's row order (see module doc)."""
    from ganzoo.interpret.stats import top_directions, top_k

    count = len(stats["var"])
    ranking = {"variance": top_k(stats["var"], count), "mean": top_k(stats["mean"], count, absolute=True),
               "top": top_directions(stats, count)}
    picked = paper.PICKED_BY[number]
    chosen = {}
    for statistic in ("variance", "mean", "top"):
        for row in (r for r, s in picked.items() if s == statistic):
            free = [i for i in ranking[statistic] if i not in chosen.values()]
            chosen[row] = free[0] if free else None
    return [(row, chosen[row], picked[row]) for row in picked]


def _deltas(result, number, direction):
    """One condition's figures in the table's columns: Tab. 4 delta phi_0..3 of the frame,
    Tab. 5 delta Phi head / mouth and their difference."""
    from ganzoo.interpret.deactivation import FRAME, condition_name

    delta = result["delta"][condition_name(direction)]
    if number == 4:
        return dict(zip(paper.DELTA_PHI, delta[FRAME]["phi"]))
    head, mouth = delta["head"]["Phi"], delta["mouth"]["Phi"]
    return {paper.HEAD: head, paper.MOUTH: mouth, paper.DIFFERENCE: paper.mouth_minus_head(head, mouth)}


def _check_regions(generator, provider, spec):
    """Run the provider on two generated videos: a provider without head and mouth fails here,
    before the study, in one line."""
    import torch

    from ganzoo.contracts import to_uint8
    from ganzoo.interpret.masks import masks_for
    from ganzoo.interpret.motion_bank import generate

    videos = generate(generator, generator.make_latent(2, generator=torch.Generator().manual_seed(METRIC_SEED)))
    regions = masks_for(provider, to_uint8(videos))
    missing = [r for r in REGIONS if r not in regions]
    if missing:
        raise GanzooError(f"mask provider {spec!r} returned regions {sorted(regions)}; Tab. 5 needs "
                          f"{' and '.join(repr(r) for r in REGIONS)}")


def study(record, number, options, masks=None, progress=True):
    """The deactivation study of one trained record's generator at the stand-ins of Tab. ``number``:
    ``options.samples`` videos per condition, the same latents (seed ``METRIC_SEED``) for every record."""
    from ganzoo.interpret.deactivation import deactivation_study
    from ganzoo.interpret.motion_bank import require_motion_bank
    from ganzoo.interpret.motion_scores import MotionScorer
    from ganzoo.interpret.runs import PICK_N
    from ganzoo.interpret.stats import direction_statistics
    from ganzoo.checkpoints import load_generator

    provider = check_masks(number, masks)
    generator, card = load_generator(record.checkpoint, ema=True, device=options.device)
    require_motion_bank(generator, model=card.get("model"), analysis=f"Tab. {number}")
    if provider is not None:
        _check_regions(generator, provider, masks)
    stats = direction_statistics(generator, n=PICK_N, batch=500, seed=METRIC_SEED, progress=False)
    rows = stand_ins(stats, number)
    directions = [k for _, k, _ in rows if k is not None]
    result = deactivation_study(generator, directions, n=options.samples, batch=min(32, options.samples),
                                seed=METRIC_SEED, scorer=MotionScorer(masks=provider), progress=progress)
    return {"seed": record.seed, "checkpoint": record.checkpoint, "iterations": record.iterations, "masks": masks,
            "n_directions": len(stats["var"]), "statistics_n": PICK_N,
            "stand_ins": [{"paper": row, "ours": k, "statistic": s, "mean": None if k is None else stats["mean"][k],
                           "variance": None if k is None else stats["var"][k]} for row, k, s in rows],
            "deltas": {row: _deltas(result, number, k) for row, k, _ in rows if k is not None},
            "study": result}


def delta_rows(number, studies):
    """One dict per paper row: our stand-ins per seed, our values per column over seeds (mean,
    sample std) and the paper's figure (for Tab. 5's difference also the one its columns give)."""
    [dataset] = paper.datasets(number)
    rows = []
    for row, statistic in paper.PICKED_BY[number].items():
        entry = {"paper_row": row, "picked_by": statistic,
                 "stand_ins": [{"seed": s["seed"], "ours": next(x["ours"] for x in s["stand_ins"] if x["paper"] == row)}
                               for s in studies],
                 "ours": {}, "paper": {}}
        for column in paper.figures(number)[dataset][row]:
            values = [s["deltas"][row][column] for s in studies if row in s["deltas"]]
            mean, std = mean_std(values) if values else (None, None)
            entry["ours"][column] = {"values": values, "mean": mean, "std": std,
                                     "summary": format_cell(values, DIGITS)}
            entry["paper"][column] = paper.figure(number, dataset, row, column)
        if number == 5:
            entry["paper_computed"] = {paper.DIFFERENCE: paper.mouth_minus_head(entry["paper"][paper.HEAD],
                                                                                entry["paper"][paper.MOUTH])}
        rows.append(entry)
    return rows


def _paper_cell(entry, column):
    """The paper's figure as printed (3 decimals); Tab. 5's difference also says what the
    printed columns give where that differs (d112, d511)."""
    printed = entry["paper"][column]
    text = "—" if printed is None else f"{printed:.3f}"
    computed = entry.get("paper_computed", {}).get(column)
    if computed is not None and printed is not None and f"{computed:.3f}" != text:
        text += f" (its columns give {computed:.3f})"
    return text


def _stand_in_cell(entry):
    chosen = [f"d{x['ours']} (seed {x['seed']})" if x["ours"] is not None else f"none (seed {x['seed']})"
              for x in entry["stand_ins"]]
    return ", ".join(chosen) + f"; {STATISTIC_MEANING[entry['picked_by']]}"


def note(number, studies, options):
    """What ours and the paper's figures are, and what of them compares (one line)."""
    first = studies[0]
    study, flow = first["study"], first["study"]["protocol"]
    quantity = ("delta phi_i of Eq. 6 over the whole frame" if number == 4
                else f"delta Phi of Eq. 7 in the head / mouth regions of --masks {first['masks']}")
    ours = (f"{quantity} on {options.data}, InMoDeGAN {options.preset} preset ({first['iterations']} iterations, "
            f"{first['n_directions']} directions), {study['n']} videos per condition, {study['frames']} frames, "
            f"flow {flow['flow_method']}, wheel radius H = {flow['max_flow_px']:.2f} px/frame, {options.device}; "
            "mean ± sample std over seeds")
    return (f"Ours: {ours}. Paper: {paper.DELTA_DESCRIPTION[number]}. Directions: {RULE}. Different data, models "
            "and flow: only the sign of a delta and which direction moves which region compare, not the figures.")


def render_deltas(tab, rows, studies, options):
    """Tab. 4 / 5 as markdown: per paper direction our stand-in, then per column ours beside the paper's."""
    [dataset] = paper.datasets(tab.number)
    header = ["paper's direction", "ours (stand-in)"]
    for column in tab.columns:
        header += [ours_label(options, column), f"{column}, {dataset} (paper)"]
    lines = [f"### {tab.title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for entry in rows:
        line = [entry["paper_row"], _stand_in_cell(entry)]
        for column in tab.columns:
            line += [entry["ours"][column]["summary"], _paper_cell(entry, column)]
        lines.append("| " + " | ".join(line) + " |")
    lines += ["", note(tab.number, studies, options)]
    return "\n".join(lines) + "\n"
