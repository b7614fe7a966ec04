"""The paper's comparison tables as cells, and their markdown rendering.

Tab. 1: every model with its own discriminators. Tab. 2: each baseline with its own 3D video
discriminator and with TPD in the ``video`` role. Tab. 3: InMoDeGAN with TPD at 1..4 temporal
speeds. A table never mixes metric protocols: records whose protocols differ are refused with
the differing fields named.
"""

import math

import attrs

from ganzoo.errors import GanzooError

BASELINES = ("vgan", "tgan", "mocogan", "g3an")
TPD_SPEED_SETS = ((1,), (1, 3), (1, 3, 5), (1, 3, 5, 7))
# The protocol fields (dotted paths into a metric's protocol) that must agree for two scores to
# share a table: the feature network and its weights, the input it sees, and the real set.
PROTOCOL_FIELDS = ("network", "weights.sha256", "frames", "resolution", "preprocessing",
                   "sets.a.fingerprint", "sets.a.clips", "sets.a.samples", "sets.b.samples")


def protocol_field(protocol, dotted):
    value = protocol
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


@attrs.frozen
class Cell:
    """One table cell: a model, the discriminator in its ``video`` role, extra ``--set``s."""

    row: str
    column: str
    model: str
    disc: str | None = None
    overrides: tuple = attrs.field(default=(), converter=tuple)


@attrs.frozen
class Table:
    number: int
    title: str
    columns: tuple
    cells: tuple


def table(number, models=None):
    """The cells of the paper's Tab. ``number`` (1, 2 or 3)."""
    if number == 1:
        names = models or (*BASELINES, "inmodegan")
        return Table(1, "Tab. 1: every model with its own discriminators", ("own D",),
                     tuple(Cell(m, "own D", m) for m in names))
    if number == 2:
        names = models or BASELINES
        cells = []
        for m in names:
            cells += [Cell(m, "3D", m), Cell(m, "TPD", m, "tpd")]
        return Table(2, "Tab. 2: each baseline with its 3D video discriminator vs TPD", ("3D", "TPD"), tuple(cells))
    if number == 3:
        cells = []
        for speeds in TPD_SPEED_SETS:
            setting = "[" + ", ".join(str(v) for v in speeds) + "]"
            cells.append(Cell(f"TPD speeds {','.join(map(str, speeds))}", "InMoDeGAN", "inmodegan", "tpd",
                              (f"model.discriminators.video.kwargs.speeds={setting}",)))
        return Table(3, "Tab. 3: InMoDeGAN with TPD at 1 to 4 temporal speeds", ("InMoDeGAN",), tuple(cells))
    raise GanzooError(f"unknown table {number!r}; the paper's tables are 1, 2 and 3")


def check_protocols(records):
    """Refuse records whose metric protocols differ in a field that changes the number."""
    if not records:
        return
    first = records[0]
    for other in records[1:]:
        if other.metric != first.metric:
            raise GanzooError(f"a table cannot mix metrics: {first.metric!r} and {other.metric!r}")
        differ = [f for f in PROTOCOL_FIELDS if protocol_field(first.protocol, f) != protocol_field(other.protocol, f)]
        if differ:
            details = ", ".join(f"{f}: {protocol_field(first.protocol, f)!r} vs {protocol_field(other.protocol, f)!r}"
                                for f in differ)
            raise GanzooError(
                f"records of {first.model}/{first.disc} and {other.model}/{other.disc} were scored under different "
                f"protocols ({details}); rerun them with one protocol or use separate --results directories"
            )


def mean_std(values):
    """Mean and sample standard deviation (0 for a single value)."""
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, 0.0
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def format_cell(values):
    if not values:
        return "—"
    mean, std = mean_std(values)
    return f"{mean:.2f} ± {std:.2f} (n={len(values)})"


def render_markdown(tab, records_by_cell, paper=None, metric=""):
    """The table in the paper's layout: rows x columns of mean ± std over seeds, and the
    paper's published numbers beside ours, marked as such, where they are known."""
    check_protocols([r for rs in records_by_cell.values() for r in rs])
    paper = paper or {}
    header = ["model"]
    for column in tab.columns:
        header += [f"{column} (ours, {metric})", f"{column} (paper)"]
    lines = [f"### {tab.title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    rows = list(dict.fromkeys(cell.row for cell in tab.cells))
    for row in rows:
        line = [row]
        for column in tab.columns:
            cell = next((c for c in tab.cells if c.row == row and c.column == column), None)
            ours = [r.value for r in records_by_cell.get(cell, [])] if cell else []
            published = paper.get(row, {}).get(column)
            line += [format_cell(ours), "—" if published is None else f"{published}"]
        lines.append("| " + " | ".join(line) + " |")
    return "\n".join(lines) + "\n"
