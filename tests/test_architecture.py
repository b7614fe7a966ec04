"""The import rules of docs/architecture.md, enforced by walking every module's imports (ast):
imports inside functions count, ``from ganzoo import metrics`` counts as ``ganzoo.metrics``, and
``importlib.import_module("...")`` with a literal name counts too."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path, root=ROOT):
    """Every module name ``path`` imports, fully qualified, wherever the import stands."""
    parts = path.relative_to(root).with_suffix("").parts
    package = ".".join(parts[1:-1] if parts[0] == "plugins" else parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)  # `from ganzoo import metrics`
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            names.add(node.args[0].value)
    return names


def under(name, package):
    return name == package or name.startswith(package + ".")


def rule_broken(rel, name, plugins):
    """Why ``rel`` may not import ``name`` (None: it may)."""
    top = name.split(".")[0]
    if rel.startswith("ganzoo/train/") and under(name, "ganzoo.metrics"):
        return "the engine does not score (the command hands the loop a scorer)"
    if rel.startswith("ganzoo/metrics/") and under(name, "ganzoo.train"):
        return "metrics do not import the engine"
    if rel == "ganzoo/plugins.py" and under(name, "ganzoo.registry"):
        return "the plugin manager does not know the registry"
    if rel.startswith("ganzoo/") and top in plugins:
        return "the core imports no plugin (ask the registry by name)"
    if rel.startswith("plugins/") and top in plugins and top != rel.split("/")[1]:
        return "a plugin imports no other plugin (ask the registry by name)"
    return None


def violations(root=ROOT):
    """One line per import that breaks a rule, in the project at ``root`` (``from a import b``
    is reported as ``a``, not again as ``a.b``)."""
    plugins = {p.name for p in (root / "plugins").iterdir() if (p / "__init__.py").exists()}
    found = []
    for path in sorted(root.glob("ganzoo/**/*.py")) + sorted(root.glob("plugins/**/*.py")):
        rel = path.relative_to(root).as_posix()
        reported = []
        for name in sorted(imported_modules(path, root), key=len):
            why = rule_broken(rel, name, plugins)
            if why and not any(under(name, parent) for parent in reported):
                reported.append(name)
                found.append(f"{rel} -> {name}: {why}")
    return found


def test_imports_run_one_way():
    assert violations() == []


@pytest.mark.parametrize("source, rel, expected", [
    ("from ganzoo import metrics\n", "ganzoo/train/x.py", "ganzoo/train/x.py -> ganzoo.metrics: the engine does not score"),
    ("def f():\n    from ganzoo.metrics.evaluate import evaluate\n", "ganzoo/train/x.py", "-> ganzoo.metrics.evaluate"),
    ("from ..metrics import evaluate\n", "ganzoo/train/x.py", "ganzoo/train/x.py -> ganzoo.metrics: the engine"),
    ("from ganzoo.train.loop import Trainer\n", "ganzoo/metrics/x.py", "metrics do not import the engine"),
    ("from . import registry\n", "ganzoo/plugins.py", "ganzoo/plugins.py -> ganzoo.registry"),
    ("import ganzoo_tpd\n", "ganzoo/bench/x.py", "the core imports no plugin"),
    ("import importlib\nimportlib.import_module('ganzoo_tpd')\n", "plugins/ganzoo_vgan/x.py",
     "plugins/ganzoo_vgan/x.py -> ganzoo_tpd: a plugin imports no other plugin"),
    ("from ganzoo_vgan.spec import make_spec\n", "plugins/ganzoo_vgan/x.py", None),  # its own package is fine
])
def test_each_hidden_form_of_a_wrong_import_is_caught(tmp_path, source, rel, expected):
    """The rule test is only as good as the walker: a project that breaks one rule is caught."""
    for plugin in ("ganzoo_vgan", "ganzoo_tpd"):
        (tmp_path / "plugins" / plugin).mkdir(parents=True)
        (tmp_path / "plugins" / plugin / "__init__.py").write_text("")
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    found = violations(tmp_path)
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and expected in found[0], found
