"""PNG plots of bench results: Tab. 2 as grouped bars (3D vs TPD per baseline), score vs
iterations per table row, score vs video length."""

from pathlib import Path

from ganzoo.data.atomic import atomic_file


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path, plt):
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as handle:
        fig.savefig(handle, format=path.suffix.lstrip(".") or "png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return path


def _log_scale_if_spread(ax, values=None):
    """A diverged row (scores 100x the others) would flatten every other curve or bar: use a
    log axis. ``values``: the plotted numbers (default: the axes' lines)."""
    if values is None:
        values = [y for line in ax.get_lines() for y in line.get_ydata()]
    if values and min(values) > 0 and max(values) / min(values) > 10:
        ax.set_yscale("log")


def plot_curves(curves, path, metric, title):
    """``curves``: label -> list of records; one line per label, mean over seeds at each iteration."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    for label, records in curves.items():
        by_step = {}
        for record in records:
            for step, value in record.curve:
                by_step.setdefault(step, []).append(value)
        steps = sorted(by_step)
        if steps:
            ax.plot(steps, [sum(by_step[s]) / len(by_step[s]) for s in steps], marker="o", label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel(metric)
    ax.set_title(title)
    _log_scale_if_spread(ax)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))  # outside: 8 rows cover the curves
    return _save(fig, path, plt)


def _pair_label(entry):
    """A baseline's tick label: its name, then the relative change TPD vs 3D, ours and the paper's."""
    from ganzoo.bench import paper
    from ganzoo.bench.tables import format_change

    change = entry["change"]
    theirs = ", ".join(f"{d.split('-')[0]} {format_change(change[d])}" for d in paper.datasets(2))
    return f"{entry['row']}\nours {format_change(change['ours'])}\npaper {theirs}"


def _bar_with_seeds(ax, centre, ours, width, colour, label, labelled):
    """One bar: the mean over seeds, a sample-std error bar (2+ seeds), each seed a dot; each
    legend entry once (``labelled`` collects those drawn)."""
    values = ours["values"]

    def once(name):
        first = name not in labelled
        labelled.add(name)
        return name if first else None

    ax.bar(centre, ours["mean"], width, color=colour, label=once(label))
    if len(values) > 1:
        ax.errorbar(centre, ours["mean"], yerr=ours["std"], color="tab:red", capsize=6, lw=1.5, zorder=4,
                    label=once("sample std over seeds"))
    offsets = [(i / max(1, len(values) - 1) - 0.5) * width / 2 for i in range(len(values))]
    ax.scatter([centre + o for o in offsets], values, color="black", s=12, zorder=3, label=once("one seed"))


def plot_tpd_bars(rows, path, ylabel, title):
    """Tab. 2 as grouped bars: per baseline a 3D and a TPD bar (mean over seeds, sample-std
    error bars, each seed a dot), the relative change TPD vs 3D (ours and the paper's per
    dataset) under each pair. ``rows``: :func:`ganzoo.bench.tables.table_rows` of Tab. 2."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(2.3 * len(rows) + 1.5, 4.6))
    width, plotted, labelled = 0.38, [], set()
    for k, (column, colour) in enumerate((("3D", "tab:gray"), ("TPD", "tab:blue"))):
        for x, entry in enumerate(rows):
            if entry["ours"][column]["values"]:
                _bar_with_seeds(ax, x + (k - 0.5) * width, entry["ours"][column], width, colour, column, labelled)
                plotted += entry["ours"][column]["values"]
    ax.set_xticks(range(len(rows)), [_pair_label(e) for e in rows], fontsize=9)
    ax.set_title(title, fontsize=10)
    _log_scale_if_spread(ax, plotted)
    axis = "log axis, " if ax.get_yscale() == "log" else ""
    ax.set_ylabel(f"{ylabel}\n({axis}lower is better)")
    ax.legend(fontsize="small")
    fig.text(0.01, -0.02, "Under each pair: relative change TPD vs 3D of the mean, ours and the paper's "
             "(Tab. 2, video FID on VoxCeleb2-mini / BAIR-robot).\nDifferent metrics on different data: only the "
             "direction of a change is comparable.", fontsize=8, va="top")
    return _save(fig, path, plt)


def plot_lengths(points, path, metric, title):
    """``points``: list of (frames, value)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot([p[0] for p in points], [p[1] for p in points], marker="o")
    ax.set_xlabel("video length (frames)")
    ax.set_ylabel(metric)
    ax.set_title(title)
    return _save(fig, path, plt)
