"""The results page: one self-contained HTML file per rendered table (``tableN-PRESET.html``).

A table's numbers say which discriminator won; its samples show what the generators make. The
page puts together what ``ganzoo bench --table N`` wrote (the markdown table with the paper's
columns, its plots) and, per cell, an animated GIF of the final model's samples (G_EMA, the
same latent seed for every cell), laid out rows x columns so that 3D and TPD stand side by
side. Every image is inlined as a base64 data URI: the page is one file to mail or attach to
a lab notebook, and opens offline.
"""

import base64
import html
import json
import os
from pathlib import Path

from ganzoo.errors import GanzooError

SAMPLES = 4  # videos per cell, tiled 2 x 2
SAMPLE_SEED = 0
FPS = 8
SHOWN_WIDTH = 144  # CSS pixels of a cell's GIF, scaled without smoothing (tiny presets are 16 px)

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; padding: 0 1em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: center; vertical-align: top; }
th { background: #eef; }
td:first-child { text-align: left; font-weight: 600; }
div.plots { display: flex; flex-wrap: wrap; gap: 1em; align-items: flex-start; margin: 1em 0; }
img.plot { max-width: 100%; min-width: 0; flex: 0 1 auto; border: 1px solid #ddd; }
img.sample { image-rendering: pixelated; display: block; margin: 0 auto; background: #000; }
figure { margin: 0; }
figcaption { font-size: 0.8em; color: #555; margin-top: 0.3em; }
p.note { font-size: 0.85em; color: #555; max-width: 70em; }
"""


def cells_data(by_cell):
    """What the page needs of each cell, stored in the table's JSON: its records' seeds, values
    and final checkpoints (``by_cell``: Cell -> records, as ``ganzoo bench`` groups them)."""
    return [{"row": c.row, "column": c.column, "model": c.model, "disc": c.disc,
             "records": [{"seed": r.seed, "value": r.value, "iterations": r.iterations, "checkpoint": r.checkpoint}
                         for r in sorted(records, key=lambda r: r.seed)]}
            for c, records in by_cell.items()]


def find_tables(results_dir, number=None):
    """The tables ``ganzoo bench --table N`` rendered into ``results_dir`` (their JSON files)."""
    results_dir = Path(results_dir)
    if not results_dir.is_dir():
        raise GanzooError(f"{results_dir} is not a folder (ganzoo report takes a --results directory of ganzoo bench)")
    pattern = f"table{number}-*.json" if number else "table*-*.json"
    found = sorted(results_dir.glob(pattern))
    if not found:
        what = f"table {number}" if number else "tables"
        raise GanzooError(f"no rendered {what} in {results_dir} (table*-PRESET.json): run "
                          f"'ganzoo bench --table {number or 'N'} --results {results_dir}' first")
    return found


def write_page(table_json, samples=SAMPLES, seed=SAMPLE_SEED, device="cpu"):
    """``tableN-PRESET.html`` beside ``table_json``; returns its path."""
    table_json = Path(table_json)
    try:
        data = json.loads(table_json.read_text())
        markdown = table_json.with_suffix(".md").read_text()
    except (OSError, json.JSONDecodeError) as exc:
        raise GanzooError(f"cannot read the rendered table {table_json} or its .md: {exc}") from None
    folder = table_json.parent
    pictures = [folder / Path(p).name for p in data.get("pictures", [])]
    page = "\n".join([
        "<!doctype html>", "<html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(data.get('title', table_json.stem))}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(data.get('title', table_json.stem))}</h1>",
        _ours_line(data.get("ours")),
        _markdown_html(markdown),
        _samples_html(data.get("cells"), folder, samples, seed, device),
        "<div class='plots'>",
        *(f"<img class='plot' alt='{html.escape(p.name)}' src='{_data_uri(p.read_bytes(), 'image/png')}'>"
          for p in pictures if p.is_file()),
        "</div>",
        "</body></html>", ""])
    out = table_json.with_suffix(".html")
    tmp = out.with_name(f".{out.name}.tmp{os.getpid()}")
    tmp.write_text(page)
    os.replace(tmp, out)
    return out


def _ours_line(ours):
    import ganzoo

    if not ours:
        return ""
    return (f"<p class='note'>ganzoo {html.escape(ganzoo.__version__)}: {html.escape(str(ours.get('metric')))} on "
            f"{html.escape(str(ours.get('data')))}, {html.escape(str(ours.get('preset')))} preset, "
            f"budget {html.escape(str(ours.get('budget')))} iterations, {ours.get('samples')} samples scored, "
            f"{html.escape(str(ours.get('device')))}.</p>")


def _data_uri(payload, mime):
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def _markdown_html(markdown):
    """The bench's markdown (a ``###`` title, one table, notes) as HTML; the title is the page's."""
    parts, rows = [], []

    def flush():
        if rows:
            head, *body = rows
            parts.append("<table><thead><tr>" + "".join(f"<th>{c}</th>" for c in head) + "</tr></thead><tbody>"
                         + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in body)
                         + "</tbody></table>")
            rows.clear()

    for line in markdown.splitlines():
        text = line.strip()
        if text.startswith("|"):
            cells = [html.escape(c.strip()) for c in text.strip("|").split("|")]
            if not all(set(c) <= set("-: ") for c in cells):  # the |---| separator
                rows.append(cells)
            continue
        flush()
        if text and not text.startswith("#"):
            parts.append(f"<p class='note'>{html.escape(text)}</p>")
    flush()
    return "\n".join(parts)


def _samples_html(cells, folder, samples, seed, device):
    if not cells:
        return ("<p class='note'>No samples: this table was rendered before ganzoo recorded its cells; "
                "run its ganzoo bench --table command again to add them.</p>")
    rows = list(dict.fromkeys(c["row"] for c in cells))
    columns = list(dict.fromkeys(c["column"] for c in cells))
    by_place = {(c["row"], c["column"]): c for c in cells}
    lines = ["<h2>Samples of the final models</h2>",
             f"<p class='note'>{samples} videos per cell from G_EMA at the last checkpoint of the first seed, "
             f"latent seed {seed} in every cell, {FPS} frames per second.</p>",
             "<table class='samples'><thead><tr><th></th>" + "".join(f"<th>{html.escape(c)}</th>" for c in columns)
             + "</tr></thead><tbody>"]
    for row in rows:
        lines.append(f"<tr><td>{html.escape(row)}</td>")
        for column in columns:
            cell = by_place.get((row, column))
            lines.append(f"<td>{_cell_figure(cell, folder, samples, seed, device) if cell else '—'}</td>")
        lines.append("</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def _cell_figure(cell, folder, samples, seed, device):
    if not cell["records"]:
        return "no run"
    record = cell["records"][0]
    path = _checkpoint(record["checkpoint"], folder)
    caption = (f"{html.escape(cell['model'])}, video D {html.escape(cell['disc'] or 'own')}, seed {record['seed']}, "
               f"{record['iterations']} iterations: {record['value']:.3g}")
    if path is None:
        return f"<figure>checkpoint {html.escape(record['checkpoint'])} is gone<figcaption>{caption}</figcaption></figure>"
    gif, height, width = sample_gif(path, samples, seed, device)
    scale = max(1, SHOWN_WIDTH // width)
    return (f"<figure><img class='sample' alt='{html.escape(cell['row'])} {html.escape(cell['column'])}' "
            f"width='{width * scale}' height='{height * scale}' src='{_data_uri(gif, 'image/gif')}'>"
            f"<figcaption>{caption}</figcaption></figure>")


def _checkpoint(recorded, folder):
    """A record's checkpoint path as written (relative to where bench ran) or, when the results
    folder was moved or the report runs elsewhere, the same ``runs/...`` path under ``folder``."""
    path = Path(recorded)
    if path.is_file():
        return path
    parts = path.parts
    if "runs" in parts:
        moved = folder.joinpath(*parts[parts.index("runs"):])
        if moved.is_file():
            return moved
    return None


def sample_gif(checkpoint, samples=SAMPLES, seed=SAMPLE_SEED, device="cpu"):
    """(GIF bytes, height, width) of ``samples`` videos of the checkpoint's G_EMA in one grid,
    through the helpers ``ganzoo sample`` and the TensorBoard samples use."""
    from ganzoo.checkpoints import load_generator
    from ganzoo.commands.sample import generate
    from ganzoo.train.media import gif_bytes
    from ganzoo.video import make_grid

    generator, _ = load_generator(checkpoint, device=device)
    grid = make_grid(generate(generator, n=samples, frames=None, seed=seed), padding=1)
    return gif_bytes(grid, FPS), grid.shape[1], grid.shape[2]
