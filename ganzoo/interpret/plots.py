"""Matplotlib (Agg) figures of the analyses: bar charts (Fig. 3a/3b), alpha curves over time,
phi bars per condition (Tab. 4/5 as a picture), a directions x factors heat map."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402

from ganzoo.data.atomic import atomic_file  # noqa: E402


def _save(fig, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as handle:
        fig.savefig(handle, format=path.suffix.lstrip(".") or "png", bbox_inches="tight", dpi=100)
    plt.close(fig)
    return path


def bars(path, values, title, ylabel, highlight=(), xlabel="direction i"):
    """All N values as bars (Fig. 3a/3b), the ``highlight`` indices in red and labelled.

    A label sits beyond its bar's tip, above a positive bar and below a negative one (mean
    alpha is often negative), a few points off, so it is never drawn over a bar; the y range
    grows to keep labels inside the axes."""
    values = np.asarray(values, dtype=float)
    fig, ax = plt.subplots(figsize=(10, 3))
    colours = np.array(["tab:blue"] * len(values), dtype=object)
    colours[list(highlight)] = "tab:red"
    ax.bar(np.arange(len(values)), values, color=list(colours), width=1.0)
    ax.axhline(0, color="grey", lw=0.5)
    ax.margins(y=0.2)
    for i in highlight:
        below = values[i] < 0
        ax.annotate(f"d{i}", (i, values[i]), xytext=(0, -3 if below else 3), textcoords="offset points",
                    ha="center", va="top" if below else "bottom", fontsize=8, color="tab:red")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel, xlim=(-1, len(values)))
    return _save(fig, path)


def curves(path, panels, xlabel="time step t", ylabel="alpha"):
    """Lines over time, one panel per entry: ``panels`` is {title: {label: (T,) values}}."""
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.2), squeeze=False, sharey=True)
    for ax, (title, series) in zip(axes[0], panels.items()):
        for label, values in series.items():
            ax.plot(np.arange(len(values)), values, marker=".", label=label)
        ax.axhline(0, color="grey", lw=0.5)
        ax.set(title=title, xlabel=xlabel)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.legend(fontsize=7, ncol=2)
    axes[0, 0].set_ylabel(ylabel)
    return _save(fig, path)


def grouped_bars(path, groups, labels, title, ylabel):
    """One group of bars per row label: ``groups`` is {condition: (len(labels),) values}."""
    fig, ax = plt.subplots(figsize=(1.2 + 1.5 * len(labels), 3.5))
    width = 0.8 / max(len(groups), 1)
    x = np.arange(len(labels))
    for k, (name, values) in enumerate(groups.items()):
        ax.bar(x + k * width - 0.4 + width / 2, values, width, label=name)
    ax.set_xticks(x, labels)
    ax.set(title=title, ylabel=ylabel)
    ax.legend(fontsize=7)
    return _save(fig, path)


def heatmap(path, matrix, rows, columns, title, fmt="{:.2f}"):
    """A labelled matrix with its numbers written in the cells."""
    matrix = np.asarray(matrix, dtype=float)
    fig, ax = plt.subplots(figsize=(1.5 + 1.1 * len(columns), 1.0 + 0.45 * len(rows)))
    image = ax.imshow(matrix, cmap="viridis", aspect="auto", vmin=0)
    ax.set_xticks(range(len(columns)), columns)
    ax.set_yticks(range(len(rows)), rows)
    for (r, c), value in np.ndenumerate(matrix):
        ax.text(c, r, fmt.format(value), ha="center", va="center", fontsize=8,
                color="white" if value < 0.5 * np.nanmax(matrix) else "black")
    fig.colorbar(image, ax=ax)
    ax.set_title(title)
    return _save(fig, path)
