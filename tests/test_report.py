"""The results page (``ganzoo bench --table N``, ``ganzoo report DIR``): one self-contained HTML
file with the table beside the paper's, the plots and a sample GIF per cell; rendered in headless
Chromium (``tox -e browser``; skipped only where Chromium is not installed)."""

import base64
import io
import json
import re
import shutil
import subprocess

import numpy as np
import pytest

from ganzoo import cli
from ganzoo.bench.records import Record
from ganzoo.bench.runner import BenchOptions
from ganzoo.bench.tables import table

from conftest import save_untrained

MODELS = ("mocogan", "g3an")


def _record(cell, checkpoint, value):
    return Record(model=cell.model, disc=cell.disc or "own", overrides=(), data="moving-shapes", data_fingerprint="f",
                  preset="tiny", config_hash="h", seed=0, budget="4", iterations=4, wall_time_s=1.0, device="cpu",
                  metric="fid-shapes", value=value, samples=8, protocol={"network": "n", "frames": 16},
                  checkpoint=str(checkpoint), curve=[(2, value + 1), (4, value)], ganzoo_version="0")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """A Tab. 2 of two baselines rendered by the bench's own code, on untrained checkpoints."""
    from ganzoo.commands.bench import _render_table

    folder = tmp_path_factory.mktemp("results")
    tab = table(2, models=MODELS)
    found = []
    for k, cell in enumerate(tab.cells):
        run = folder / "runs" / f"{cell.model}-{cell.disc or 'own'}" / "checkpoints"
        run.mkdir(parents=True)
        found.append((cell, _record(cell, save_untrained(cell.model, run / "ckpt-00000004.pt"), 5.0 - k)))
    options = BenchOptions(preset="tiny", budget="4", samples=8)
    assert _render_table(tab, found, options, folder, as_json=True) == 0
    return folder


def _images(page):
    return re.findall(r"<img [^>]*src='([^']+)'", page)


def test_the_page_is_one_file_with_the_table_the_plots_and_a_gif_per_cell(results):
    page = (results / "table2-tiny.html").read_text()
    sources = _images(page)
    assert sources and all(s.startswith("data:image/") for s in sources)  # nothing to fetch: self-contained
    assert "http" not in page.replace("http-equiv", "") and str(results) not in page
    assert [s.split(";")[0] for s in sources] == ["data:image/gif"] * 4 + ["data:image/png"] * 2
    for figure in ("12.69", "7.07", "3.32", "2.98", "-44%"):  # the paper's column beside ours
        assert f"<td>{figure}</td>" in page
    assert "<td>5.00 ± 0.00 (n=1)</td>" in page and "fid-shapes on moving-shapes (ours, CPU)" in page
    assert page.index(">3D</th>") < page.index(">TPD</th>")  # the columns side by side, 3D first

    from PIL import Image

    gif = Image.open(io.BytesIO(base64.b64decode(sources[0].split(",", 1)[1])))
    assert gif.format == "GIF" and gif.n_frames > 1 and gif.size == (35, 35)  # 2 x 2 grid of 16 px, padding 1


def test_report_command_rewrites_the_page_and_names_what_is_missing(results, tmp_path, capsys):
    page = results / "table2-tiny.html"
    page.unlink()
    assert cli.main(["report", str(results), "--table", "2"]) == 0
    assert f"written: {page}" in capsys.readouterr().out
    assert len(_images(page.read_text())) == 2 + 4
    assert cli.main(["report", str(tmp_path)]) == 2
    assert "no rendered tables in" in capsys.readouterr().err


def _chromium():
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


CHECK = """<script>
window.addEventListener("load", () => {
  const out = document.createElement("pre");
  out.id = "image-check";
  out.textContent = JSON.stringify([...document.images].map(i => [i.complete, i.naturalWidth, i.naturalHeight]));
  document.body.appendChild(out);
});
</script>"""


@pytest.mark.browser
def test_the_page_renders_in_headless_chromium(results, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (no 'chromium' on PATH; Debian: apt-get install chromium)")
    from PIL import Image

    checked = tmp_path / "checked.html"
    checked.write_text((results / "table2-tiny.html").read_text().replace("</body>", CHECK + "</body>"))
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000"]
    dom = subprocess.run([*flags, "--dump-dom", checked.as_uri()], capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="image-check">(.*?)</pre>', dom.stdout)
    assert found, dom.stderr[-2000:]
    images = json.loads(found.group(1).replace("&quot;", '"'))
    assert len(images) == 6 and all(complete and width > 0 and height > 0 for complete, width, height in images)
    assert [w for _, w, _ in images[:4]] == [35] * 4  # every GIF decoded at its own size

    shot = tmp_path / "shot.png"
    subprocess.run([*flags, "--window-size=1200,1600", f"--screenshot={shot}", (results / "table2-tiny.html").as_uri()],
                   capture_output=True, timeout=120)
    pixels = np.asarray(Image.open(shot).convert("L"), dtype=float)
    assert pixels.shape == (1600, 1200)
    assert pixels.std() > 20 and (pixels < 200).mean() > 0.05  # text, plots and samples, not a blank page


def test_a_moved_results_folder_still_finds_its_checkpoints(results, tmp_path, capsys):
    moved = tmp_path / "moved"
    shutil.copytree(results, moved)
    table_json = moved / "table2-tiny.json"
    data = json.loads(table_json.read_text())
    for cell in data["cells"]:
        for record in cell["records"]:  # as written by a bench run from another folder
            record["checkpoint"] = "elsewhere/" + record["checkpoint"][record["checkpoint"].index("runs/"):]
    table_json.write_text(json.dumps(data))
    assert cli.main(["report", str(moved)]) == 0
    page = (moved / "table2-tiny.html").read_text()
    assert page.count("src='data:image/gif;base64,") == 4 and "is gone" not in page
