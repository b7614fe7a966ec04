"""Is each discriminator learning? Real/fake separation of its logits, per role.

A GAN loss alone does not say whether D tells real from fake: TPD's summed loss of four
speeds at chance (4 x 2 ln 2) looks like a working D's loss. So every D step also measures,
for each role (and each of TPD's speeds), on the logits it already computed:

- ``d_acc/ROLE``: the fraction of (real, fake) pairs of the batch that D orders correctly,
  P(D(real) > D(fake)) (ties count half) -- threshold-free, so it reads the same under the
  logistic, hinge and Wasserstein losses: 0.5 is chance, 1.0 perfect separation;
- ``d_gap/ROLE``: mean real logit minus mean fake logit (in the loss's own units).

Both are averaged over the steps between two log lines (not the last step's snapshot) and
written to ``log.jsonl`` and TensorBoard. :func:`stalled_roles` reads them back: a role whose
accuracy stays below :data:`CHANCE_BAND` over the last quarter of training, by more than twice
the standard error of that mean (from the spread of the log lines), did not learn, and its part
of the generator's loss is noise (below 0.5 too: a D that hardly moves while G learns to please
its initial function orders pairs the wrong way round). A run too short or too noisy for that verdict (one log line, a
batch of 2) gets none.
"""

import json
from pathlib import Path

import torch

ACC, GAP = "d_acc", "d_gap"
# A D at chance orders a batch of 8 + 8 clips correctly 0.5 +- 0.15 of the time per step;
# averaged over the last quarter of a 400-iteration run (100 steps) that is 0.5 +- 0.015.
# Measured there (small presets, seed 0): learning Ds sit at 0.60-0.99 (G3AN's D_I 0.60, its
# TPD 0.82, MoCoGAN's 0.98, VGAN's plain TPD 0.99); VGAN's equalized TPD at 2e-4 at 0.13, below
# chance: it barely moved while G learned to please its initial function. 0.55 is far above
# the noise of a D at chance and below every learning one.
CHANCE_BAND = 0.55


def pair_accuracy(real, fake):
    """P(real > fake) over all pairs of two 1-D logit batches (ties count half): ``()`` tensor."""
    real, fake = real.detach().float().reshape(-1, 1), fake.detach().float().reshape(1, -1)
    return (real > fake).float().mean() + 0.5 * (real == fake).float().mean()


def separation(role, real_logits, fake_logits, names=None):
    """``{"d_acc/ROLE": t, "d_gap/ROLE": t, ...}``; a list of logits (TPD) also gets one entry
    per element, ``d_acc/ROLE/NAME`` (``names``: e.g. the speeds), and the role's entry is
    their mean."""
    if not isinstance(real_logits, (list, tuple)):
        real = real_logits.detach().float()
        fake = fake_logits.detach().float()
        return {f"{ACC}/{role}": pair_accuracy(real, fake), f"{GAP}/{role}": real.mean() - fake.mean()}
    names = list(names) if names is not None else list(range(len(real_logits)))
    out = {}
    for name, real, fake in zip(names, real_logits, fake_logits):
        for key, value in separation(role, real, fake).items():
            out[f"{key}/{name}"] = value
    for kind in (ACC, GAP):
        parts = [out[f"{kind}/{role}/{name}"] for name in names]
        out[f"{kind}/{role}"] = torch.stack(parts).mean()
    return out


class Window:
    """Running means of per-step tensors between two log lines (no host sync per step)."""

    def __init__(self):
        self.sums, self.count = {}, 0

    def add(self, values):
        for key, value in values.items():
            self.sums[key] = self.sums.get(key, 0.0) + value
        self.count += 1

    def means(self):
        """``{key: float}`` over the steps added since the last call; resets the window."""
        if not self.count:
            return {}
        out = {key: float(total) / self.count for key, total in self.sums.items()}
        self.sums, self.count = {}, 0
        return out


def role_accuracy(log_path, total_steps, fraction=0.25):
    """``{role: {"mean", "se", "lines"}}``: d_acc over the log lines of the last ``fraction`` of
    training, with the standard error of that mean (None from fewer than two lines)."""
    path = Path(log_path)
    if not path.exists():
        return {}
    first = total_steps * (1.0 - fraction)
    values = {}
    for line in path.read_text().splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if entry.get("step", 0) <= first:
            continue
        for key, value in entry.items():
            parts = key.split("/")
            if parts[0] == ACC and len(parts) == 2:
                values.setdefault(parts[1], []).append(float(value))
    return {role: _mean_and_error(v) for role, v in values.items()}


def _mean_and_error(values):
    mean = sum(values) / len(values)
    if len(values) < 2:
        return {"mean": mean, "se": None, "lines": len(values)}
    variance = sum((v - mean) ** 2 for v in values) / (len(values) - 1)
    return {"mean": mean, "se": (variance / len(values)) ** 0.5, "lines": len(values)}


def stalled_roles(accuracy, band=CHANCE_BAND):
    """The roles of :func:`role_accuracy`'s result that stayed at chance: mean + 2 se < ``band``."""
    return sorted(role for role, acc in accuracy.items()
                  if acc.get("se") is not None and acc["mean"] + 2 * acc["se"] < band)
