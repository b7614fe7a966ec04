"""Trajectories of alpha for chosen directions (InMoDeGAN Sec. 4.3, last paragraph: pre-defined
trajectories for d_1 and d_511 on BAIR-robot; its Sec. B has the details). Every other direction is off.

A spec is either a CSV file or formulas:

- ``1=sin,511=linear``: one formula per direction index; ``sin`` = A sin(2 pi s / S),
  ``cos`` = A cos(2 pi s / S), ``linear`` = A (2 s / (S - 1) - 1) (from -A to +A),
  ``const`` = A, for steps s = 0..S-1 (S = T - 1 motion steps). ``*k`` scales A by k
  (``1=sin*0.5``).
- ``path.csv``: a header naming directions (``d1,d511`` or ``1,511``) and one row of alpha
  values per motion step, exactly S rows.

Choice: the amplitude A of a direction is 3 standard deviations of its own alpha over
sampled latents (a magnitude the model itself uses); pass ``amplitude`` to fix it instead.
"""

import csv
import math
from pathlib import Path

import torch

from ganzoo.errors import GanzooError
from ganzoo.interpret.motion_bank import parse_directions

FORMULAS = {
    "sin": lambda s, S: math.sin(2 * math.pi * s / S),
    "cos": lambda s, S: math.cos(2 * math.pi * s / S),
    "linear": lambda s, S: (2 * s / (S - 1) - 1) if S > 1 else 0.0,
    "const": lambda s, S: 1.0,
}


def _read_csv(path, steps, count):
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        raise GanzooError(f"trajectory file {path} is empty; it needs a header of directions and {steps} rows")
    header = [h.strip().lstrip("dD") for h in rows[0]]
    indices = parse_directions(",".join(header), count)
    body = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    if len(body) != steps:
        raise GanzooError(
            f"trajectory file {path} has {len(body)} rows of alpha, the video needs {steps} "
            f"(one per motion step: T - 1 for T frames)"
        )
    values = torch.zeros(len(indices), steps)
    for s, row in enumerate(body):
        if len(row) != len(indices):
            raise GanzooError(f"trajectory file {path} row {s + 2} has {len(row)} values, the header names {len(indices)} directions")
        try:
            values[:, s] = torch.tensor([float(cell) for cell in row])
        except ValueError:
            raise GanzooError(f"trajectory file {path} row {s + 2} is not numbers: {row}") from None
    return {index: values[k] for k, index in enumerate(indices)}


def parse_trajectory(spec, steps, count, amplitude):
    """Spec (see module doc) -> {direction index: float tensor (steps,)}.

    ``amplitude``: a number, or a function ``index -> A`` for the formulas."""
    if spec is None or not str(spec).strip():
        raise GanzooError("the trajectory analysis needs --trajectory, e.g. 1=linear,511=sin or a CSV file")
    spec = str(spec)
    if spec.lower().endswith(".csv") or Path(spec).is_file():
        if not Path(spec).is_file():
            raise GanzooError(f"trajectory file {spec} does not exist")
        return _read_csv(spec, steps, count)
    result = {}
    for part in spec.split(","):
        index_text, sep, formula = part.strip().partition("=")
        if not sep:
            raise GanzooError(f"trajectory part {part!r} is not INDEX=FORMULA (e.g. 1=sin); formulas: {', '.join(FORMULAS)}")
        index = parse_directions(index_text.lstrip("dD"), count)[0]
        name, _, scale = formula.strip().partition("*")
        if name not in FORMULAS:
            raise GanzooError(f"unknown trajectory formula {name!r} for direction {index}; known: {', '.join(FORMULAS)}")
        try:
            factor = float(scale) if scale else 1.0
        except ValueError:
            raise GanzooError(f"trajectory part {part!r}: {scale!r} after '*' is not a number") from None
        amp = amplitude(index) if callable(amplitude) else float(amplitude)
        result[index] = torch.tensor([amp * factor * FORMULAS[name](s, steps) for s in range(steps)])
    return result
