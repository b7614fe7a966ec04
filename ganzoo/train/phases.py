"""The schedule of one iteration as data (stylegan2-ada's phases, split by task).

Each :class:`Phase` says which networks step, which task computes their loss, how often it
runs and which regularizers it carries. The loop walks the list; no per-model branches.
One iteration is ``d_steps`` x D_main, the D_reg phases that are due, G_main, the G_reg phases
that are due (stylegan2-ada order: D before G, a fresh real batch per D step).
"""

import attrs

from ganzoo.build import lazy_interval


@attrs.frozen
class Phase:
    name: str  # what the logs call it: "D_main", "D_reg", "G_main", "G_reg"
    task: str  # which Trainer method runs it: "d_main", "d_reg", "g_main", "g_reg"
    nets: tuple  # networks whose optimizers step: "generator" or discriminator roles
    interval: int = 1  # runs when step % interval == 0
    regs: tuple = ()  # BoundRegularizers (penalties) of a *_reg phase

    def due(self, step):
        return step % self.interval == 0


def make_phases(model_spec, regs):
    """The phase list of a model: main phases every step, one reg phase per (interval) group."""
    roles = tuple(model_spec.discriminators)
    phases = [Phase("D_main", "d_main", roles) for _ in range(max(1, model_spec.d_steps))]
    phases += _reg_phases("D_reg", "d_reg", roles, regs)
    phases.append(Phase("G_main", "g_main", ("generator",)))
    phases += _reg_phases("G_reg", "g_reg", ("generator",), regs)
    return phases


def _reg_phases(name, task, nets, regs):
    groups = {}
    for net in nets:
        penalties = tuple(r for r in regs if r.kind == "penalty" and net in r.nets)
        if penalties:
            groups.setdefault(lazy_interval(regs, net), []).append(net)
    return [Phase(name, task, tuple(group), interval,
                  tuple(r for r in regs if r.kind == "penalty" and set(r.nets) & set(group)))
            for interval, group in sorted(groups.items())]


def constraints_for(regs, nets):
    """Constraint regularizers (weight / singular value clipping) acting on any of ``nets``."""
    return [r for r in regs if r.kind == "constraint" and set(r.nets) & set(nets)]
