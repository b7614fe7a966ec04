"""PNG plots of bench results: score vs iterations per table row, score vs video length."""

from pathlib import Path


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _log_scale_if_spread(ax):
    """A diverged row (scores 100x the others) would flatten every other curve: use a log axis."""
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
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return path


def plot_lengths(points, path, metric, title):
    """``points``: list of (frames, value)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot([p[0] for p in points], [p[1] for p in points], marker="o")
    ax.set_xlabel("video length (frames)")
    ax.set_ylabel(metric)
    ax.set_title(title)
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
