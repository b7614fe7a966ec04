"""The deactivation study of InMoDeGAN Tab. 4/5 (Sec. 4.3).

Sample N videos; generate them once with every direction active ("all") and once with each
chosen direction d_k switched off (alpha_k = 0 at every step), from the same latents; read
each set on the colour wheel and report phi_i and Phi per region (Eq. 6-7) and
delta-phi_i = phi_i(d_k off) - phi_i(all), over the whole frame and per mask region (the
paper's mouth / head). A direction that carries a motion shows it as a drop of that motion's
phi when it is switched off.

Choice: the same latents (same z_a, z_m) feed every condition, so the deltas are paired and
need far fewer samples than two independent sets would.
"""

import torch

from ganzoo.interpret import plots
from ganzoo.interpret.motion_bank import generate, require_motion_bank
from ganzoo.interpret.motion_scores import FRAME, MotionScorer, ScoreMean
from ganzoo.interpret.outputs import markdown_table, write_json
from ganzoo.data.atomic import atomic_write_text
from ganzoo.progress import progress as show_progress
from ganzoo.interpret.regions import REGION_NAMES

ALL = "all"


def condition_name(index):
    return f"d{index} off"


def deactivation_study(generator, directions, n=1000, batch=50, seed=0, frames=None, scorer=None, progress=True):
    """phi per region for "all" and for each direction switched off.

    Returns ``{"conditions": {name: {area: {"phi": [4], "Phi": x}}}, "delta": {...},
    "directions": [...], "n": n, "protocol": {...}}``.
    """
    require_motion_bank(generator, analysis="the deactivation study")
    scorer = scorer or MotionScorer()
    rng = torch.Generator().manual_seed(seed)
    switched_off = {ALL: None, **{condition_name(k): k for k in directions}}
    means = {name: ScoreMean() for name in switched_off}
    done, width = 0, None
    with show_progress(total=n * len(means), desc="deactivation", unit="video", enabled=progress) as bar:
        while done < n:
            size = min(batch, n - done)
            latent = generator.make_latent(size, frames=frames, generator=rng)
            for name, index in switched_off.items():
                edited = latent if index is None else generator.edit(latent, deactivate=[index])
                videos = generate(generator, edited)
                width = videos.shape[-1]
                scores, _ = scorer.score(videos)
                means[name].add(scores)
                bar.update(size)
            done += size
    conditions = {name: mean.mean() for name, mean in means.items()}
    delta = {}
    for name, areas in conditions.items():
        if name == ALL:
            continue
        delta[name] = {area: {"phi": [a - b for a, b in zip(v["phi"], conditions[ALL][area]["phi"])],
                              "Phi": v["Phi"] - conditions[ALL][area]["Phi"]} for area, v in areas.items()}
    return {"analysis": "deactivate", "directions": list(directions), "n": n, "seed": seed,
            "frames": frames or generator.frames, "conditions": conditions, "delta": delta,
            "protocol": scorer.protocol(width)}


def table_rows(result):
    """Rows of the markdown table: one per (area, condition)."""
    rows = []
    areas = list(result["conditions"][ALL])
    for area in areas:
        for name, value in result["conditions"].items():
            row = {"area": area, "condition": name}
            row.update({REGION_NAMES[i]: value[area]["phi"][i] for i in range(4)})
            row["Phi"] = value[area]["Phi"]
            d = result["delta"].get(name)
            for i in range(4):
                row[f"d{REGION_NAMES[i]}"] = d[area]["phi"][i] if d else 0.0
            row["dPhi"] = d[area]["Phi"] if d else 0.0
            rows.append(row)
    return rows


COLUMNS = ["area", "condition", *REGION_NAMES, "Phi", *(f"d{r}" for r in REGION_NAMES), "dPhi"]


def write_study(result, out):
    """deactivation.md (the table of Tab. 4/5), deactivation.json and one bar chart per area."""
    out.mkdir(parents=True, exist_ok=True)
    header = (f"Deactivation study: {result['n']} videos, {result['frames']} frames, "
              f"flow {result['protocol']['flow_method']}, wheel radius H = {result['protocol']['max_flow_px']:.2f} px/frame. "
              f"phi_i (Eq. 6) per region and Phi (Eq. 7), normalize={result['protocol']['normalize']!r}: "
              f"{result['protocol']['reading']}. dX = value with the direction off minus value with all on.\n\n")
    atomic_write_text(out / "deactivation.md", header + markdown_table(table_rows(result), COLUMNS))
    pictures = []
    for area in result["conditions"][ALL]:
        groups = {name: [*v[area]["phi"], v[area]["Phi"]] for name, v in result["conditions"].items()}
        path = plots.grouped_bars(out / f"deactivation_{area}.png", groups, [*REGION_NAMES, "Phi"],
                                  f"phi per region ({area})", "phi")
        pictures.append(path.name)
    write_json(out / "deactivation.json", {**result, "pictures": pictures})
    return out / "deactivation.md"


__all__ = ["ALL", "FRAME", "deactivation_study", "write_study"]
