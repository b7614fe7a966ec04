"""The analyses' bar charts: every highlighted direction's label is readable, whatever its sign."""

from ganzoo.interpret import plots


def test_bar_labels_sit_beyond_the_tip_of_positive_and_negative_bars(tmp_path, monkeypatch):
    kept = []
    monkeypatch.setattr(plots, "_save", lambda fig, path: kept.append(fig) or path)
    values = [0.5, -0.9, 0.1, -0.05, 0.8, -0.7, 0.0, 0.2]
    plots.bars(tmp_path / "alpha_mean.png", values, "mean alpha", "mean alpha", highlight=[1, 4, 5, 3])
    [fig] = kept
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    [ax] = fig.axes
    bars = {round(p.get_x() + p.get_width() / 2): p.get_window_extent(renderer) for p in ax.patches}
    labels = {t.get_text(): t.get_window_extent(renderer) for t in ax.texts}
    assert set(labels) == {"d1", "d3", "d4", "d5"}
    inside = ax.get_window_extent(renderer)
    for name, box in labels.items():
        i = int(name[1:])
        bar = bars[i]
        if values[i] < 0:
            assert box.y1 < bar.y0, name  # wholly below the negative bar's tip
        else:
            assert box.y0 > bar.y1, name  # wholly above the positive bar's tip
        assert inside.y0 <= box.y0 and box.y1 <= inside.y1, name  # not cut off by the axes
