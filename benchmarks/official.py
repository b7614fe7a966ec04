"""The authors' code, imported at run time for side-by-side timing only (issue 17, item 5).

Nothing of the official code is in this project (MoCoGAN's is CC BY-NC-ND): a benchmark asks
for it here, and skips with the way to get it when it is not on the machine. Put the
repositories' files under one folder and point ``GANZOO_OFFICIAL_DIR`` at it::

    mkdir -p /tmp/official
    git clone --depth 1 https://github.com/wyhsirius/g3an-project /tmp/official/g3an
    git clone --depth 1 https://github.com/sergeytulyakov/mocogan /tmp/official/mocogan
    export GANZOO_OFFICIAL_DIR=/tmp/official

Each official package is loaded under a private module name (``_official_g3an_model`` ...), so
its generic names (``model``, ``models``) never shadow anything, and sys.path is left as it was.

:func:`alternate` is the timing rule every side-by-side figure uses: the two sides run in
turn (A B, then B A, ...) in one process, so a change in the machine's load hits both; each
block of turns gives a median per side, and the best block's median is quoted, with the ratio.
"""

import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

import pytest

HOW_TO = (
    "set GANZOO_OFFICIAL_DIR to a folder holding the official repositories: "
    "git clone --depth 1 https://github.com/wyhsirius/g3an-project $GANZOO_OFFICIAL_DIR/g3an; "
    "git clone --depth 1 https://github.com/sergeytulyakov/mocogan $GANZOO_OFFICIAL_DIR/mocogan "
    "(timing only: never copy their code into ganzoo)"
)

REPOS = {"g3an": "model/networks.py", "mocogan": "src/models.py"}


def official_root(name):
    """The folder of official repository ``name`` ('g3an' or 'mocogan'); skips the benchmark if absent."""
    base = os.environ.get("GANZOO_OFFICIAL_DIR")
    if not base:
        pytest.skip(f"no official code for {name}: {HOW_TO}")
    root = Path(base) / name
    if not (root / REPOS[name]).is_file():
        pytest.skip(f"{root / REPOS[name]} not found: {HOW_TO}")
    return root


def load_module(path, alias, package_dir=None):
    """Import the file ``path`` as module ``alias`` (a package when ``package_dir`` is given, so
    its relative imports work), without touching sys.path."""
    if alias in sys.modules:
        return sys.modules[alias]
    locations = [str(package_dir)] if package_dir else None
    spec = importlib.util.spec_from_file_location(alias, path, submodule_search_locations=locations)
    module = importlib.util.module_from_spec(spec)
    sys.modules[alias] = module
    spec.loader.exec_module(module)
    return module


def g3an_networks():
    """The official G3AN ``model.networks`` module (Generator, VideoDiscriminator, ImageDiscriminator)."""
    root = official_root("g3an")
    load_module(root / "model" / "__init__.py", "_official_g3an_model", root / "model")
    return load_module(root / "model" / "networks.py", "_official_g3an_model.networks")


def g3an_trainer():
    """The official G3AN ``trainer`` module (its ``train`` runs the epoch loop we time one step of)."""
    return load_module(official_root("g3an") / "trainer.py", "_official_g3an_trainer")


def g3an_resnext():
    """The G3AN evaluation code's 3D ResNeXt (``evaluation/models/resnext.py``)."""
    return load_module(official_root("g3an") / "evaluation" / "models" / "resnext.py", "_official_g3an_resnext")


def g3an_eval_transforms():
    """The G3AN evaluation code's clip transforms (``evaluation/transforms_vid.py``)."""
    return load_module(official_root("g3an") / "evaluation" / "transforms_vid.py", "_official_g3an_transforms_vid")


def mocogan_models():
    """The official MoCoGAN ``src/models.py`` (VideoGenerator, PatchImageDiscriminator, VideoDiscriminator)."""
    return load_module(official_root("mocogan") / "src" / "models.py", "_official_mocogan_models")


def alternate(sides, turns=3, blocks=1, warmup=1):
    """Time each callable of ``sides`` ({name: fn}) in turn, the order reversed every turn.

    Returns {name: {"median": best block median (s), "min": fastest run (s), "runs": [...]}}.
    """
    names = list(sides)
    for _ in range(warmup):
        for name in names:
            sides[name]()
    runs = {name: [] for name in names}
    best = {name: float("inf") for name in names}
    for _ in range(blocks):
        block = {name: [] for name in names}
        for turn in range(turns):
            for name in (names if turn % 2 == 0 else names[::-1]):
                start = time.perf_counter()
                sides[name]()
                block[name].append(time.perf_counter() - start)
        for name in names:
            runs[name] += block[name]
            best[name] = min(best[name], statistics.median(block[name]))
    return {name: {"median": best[name], "min": min(runs[name]), "runs": runs[name]} for name in names}


def load_average():
    """The 1-minute load average, printed beside every figure (a figure taken under load > 0.5 is disturbed)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")
