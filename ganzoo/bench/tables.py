"""The paper's comparison tables as cells, and their markdown rendering.

Tab. 1: every model with its own discriminators. Tab. 2: each baseline with its own 3D video
discriminator and with TPD in the ``video`` role. Tab. 3: InMoDeGAN with TPD at 1..4 temporal
speeds. Tab. 4/5 (the deactivation study) train Tab. 1's InMoDeGAN cell; their deltas are
rendered by :mod:`ganzoo.bench.deltas`. A table never mixes metric protocols: records whose
protocols differ are refused with the differing fields named.

Each rendered figure of ours stands beside the paper's (:mod:`ganzoo.bench.paper`), each
column names its metric and data, and a note under the table says the two are different
measurements whose only comparable part is the direction of a change.
"""

import math

import attrs

from ganzoo.bench import paper
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
    """One table cell: a model, the discriminator in its ``video`` role, extra ``--set``s, and
    the paper's row it stands for (``paper_row``, a label of :mod:`ganzoo.bench.paper`)."""

    row: str
    column: str
    model: str
    disc: str | None = None
    overrides: tuple = attrs.field(default=(), converter=tuple)
    paper_row: str | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Table:
    """``paper_columns``: the paper's column behind each of ``columns``; ``change``: the
    (before, after) columns whose relative change a row shows (Tab. 2: 3D -> TPD)."""

    number: int
    title: str
    columns: tuple
    cells: tuple
    paper_columns: tuple = ()
    change: tuple | None = None


def _own(model):
    return Cell(model, "own D", model, paper_row=paper.MODEL_ROWS.get(model))


def table(number, models=None):
    """The cells of the paper's Tab. ``number``. Tab. 4 and 5 (the deactivation study, Sec. 4.3)
    train the one InMoDeGAN cell of Tab. 1 and read its directions."""
    if number == 1:
        names = models or (*BASELINES, "inmodegan")
        return Table(1, "Tab. 1: every model with its own discriminators", ("own D",),
                     tuple(_own(m) for m in names), ("FID",))
    if number == 2:
        cells = []
        for m in models or BASELINES:
            cells += [Cell(m, "3D", m, paper_row=paper.MODEL_ROWS.get(m)),
                      Cell(m, "TPD", m, "tpd", paper_row=paper.MODEL_ROWS.get(m))]
        return Table(2, "Tab. 2: each baseline with its 3D video discriminator vs TPD", ("3D", "TPD"), tuple(cells),
                     ("3D", "TPD"), change=("3D", "TPD"))
    if number == 3:
        cells = []
        for speeds in TPD_SPEED_SETS:
            setting = "[" + ", ".join(str(v) for v in speeds) + "]"
            cells.append(Cell(f"TPD speeds {','.join(map(str, speeds))}", "InMoDeGAN", "inmodegan", "tpd",
                              (f"model.discriminators.video.kwargs.speeds={setting}",), paper.tpd_row(speeds)))
        return Table(3, "Tab. 3: InMoDeGAN with TPD at 1 to 4 temporal speeds", ("InMoDeGAN",), tuple(cells), ("FID",))
    if number == 4:
        return Table(4, "Tab. 4: delta phi_i when each chosen direction is switched off", paper.DELTA_PHI,
                     (_own("inmodegan"),), paper.DELTA_PHI)
    if number == 5:
        columns = (paper.HEAD, paper.MOUTH, paper.DIFFERENCE)
        return Table(5, "Tab. 5: delta Phi in the head and mouth regions when each chosen direction is switched off",
                     columns, (_own("inmodegan"),), columns)
    raise GanzooError(f"unknown table {number!r}; the paper's tables are 1 to 5")


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


def format_cell(values, digits=2):
    if not values:
        return "—"
    mean, std = mean_std(values)
    return f"{mean:.{digits}f} ± {std:.{digits}f} (n={len(values)})"


def relative_change(before, after):
    """(after - before) / before, e.g. Tab. 2's TPD vs 3D; None where either is missing or before is 0."""
    if before is None or after is None or before == 0:
        return None
    return (after - before) / before


def format_change(change):
    """-0.572 -> "-57%"; changes under 1% keep one decimal ("-0.1%"); None -> "—"."""
    if change is None:
        return "—"
    percent = 100 * change
    return f"{percent:+.0f}%" if abs(percent) >= 1 else f"{percent:+.1f}%"


def _ours(values):
    mean, std = mean_std(values) if values else (None, None)
    return {"values": values, "mean": mean, "std": std, "summary": format_cell(values)}


def table_rows(tab, records_by_cell):
    """One dict per row of Tab. 1-3: ours per column (seed values, mean, sample std) and the
    paper's figure per dataset, plus the relative change of ``tab.change`` for both."""
    check_protocols([r for rs in records_by_cell.values() for r in rs])
    rows = []
    for row in dict.fromkeys(cell.row for cell in tab.cells):
        cells = {c.column: c for c in tab.cells if c.row == row}
        paper_row = next(iter(cells.values())).paper_row
        entry = {"row": row, "paper_row": paper_row, "ours": {}, "paper": {}}
        for column, paper_column in zip(tab.columns, tab.paper_columns or tab.columns):
            entry["ours"][column] = _ours([r.value for r in records_by_cell.get(cells.get(column), [])])
            entry["paper"][column] = {d: paper.figure(tab.number, d, paper_row, paper_column)
                                      for d in paper.datasets(tab.number)}
        if tab.change:
            before, after = tab.change
            entry["change"] = {"ours": relative_change(entry["ours"][before]["mean"], entry["ours"][after]["mean"]),
                               **{d: relative_change(entry["paper"][before][d], entry["paper"][after][d])
                                  for d in paper.datasets(tab.number)}}
        rows.append(entry)
    return rows


def ours_label(options, quantity=None):
    """What our figures are, for a column header: "fid-shapes on moving-shapes (ours, CPU)";
    ``quantity`` names something other than the bench's metric (Tab. 4/5's deltas)."""
    return f"{quantity or options.metric} on {options.data} (ours, {options.device.upper()})"


def comparability_note(ours, theirs):
    return (f"Ours: {ours}. Paper: {theirs}. These are different metrics on different data: only the "
            "direction of a change (e.g. TPD vs 3D) is comparable, never a figure of one with a figure of the other.")


def _row_label(row, paper_row):
    return row if not paper_row or paper_row.lower() == row.lower() else f"{row} (paper: {paper_row})"


def render_markdown(tab, records_by_cell, options):
    """Tab. 1-3 in the paper's layout: rows x columns of mean ± std over seeds, each beside the
    paper's figure per dataset, every column naming its metric and data; Tab. 2 adds the
    relative change TPD vs 3D, ours and the paper's. ``options``: the bench's (metric, data, device)."""
    rows = table_rows(tab, records_by_cell)
    datasets = paper.datasets(tab.number)
    header = ["model" if tab.number != 3 else "TPD speeds"]
    for column in tab.columns:
        prefix = f"{column}: " if len(tab.columns) > 1 else ""
        header += [prefix + ours_label(options), *(f"{prefix}{paper.METRIC_SHORT}, {d} (paper)" for d in datasets)]
    if tab.change:
        versus = f"{tab.change[1]} vs {tab.change[0]}"
        header += [f"{versus} (ours)", *(f"{versus}, {d} (paper)" for d in datasets)]
    lines = [f"### {tab.title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for entry in rows:
        line = [_row_label(entry["row"], entry["paper_row"])]
        for column in tab.columns:
            line += [entry["ours"][column]["summary"],
                     *(_figure(entry["paper"][column][d], 2) for d in datasets)]
        if tab.change:
            line += [format_change(entry["change"][k]) for k in ("ours", *datasets)]
        lines.append("| " + " | ".join(line) + " |")
    lines += ["", comparability_note(_ours_details(options, records_by_cell), paper.METRIC_DESCRIPTION)]
    return "\n".join(lines) + "\n"


def _figure(value, digits):
    """A published figure with the digits the paper prints (2 in Tab. 1-3, 3 in Tab. 4-5)."""
    return "—" if value is None else f"{value:.{digits}f}"


def _ours_details(options, records_by_cell):
    records = [r for rs in records_by_cell.values() for r in rs]
    budget = f", {records[0].iterations} iterations" if records else ""
    return (f"{options.metric} on {options.data} ({options.preset} preset{budget}, {options.samples} samples, "
            f"{options.device}; mean ± sample std over seeds)")
