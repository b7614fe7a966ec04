"""The runtime dependencies are exactly what ganzoo and its built-in plugins import, and the
package works without the test-only ones (scipy) and the optional fast path (google-crc32c)."""

import ast
import os
import re
import subprocess
import sys
import textwrap
import tomllib
from importlib.metadata import packages_distributions

from conftest import ROOT

FIRST_PARTY = re.compile(r"^ganzoo(_\w+)?$")


def _normal(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_top_level_modules():
    """Every third-party top-level module named by an import anywhere in ganzoo/ and plugins/
    (module level or inside a function: a lazy import is still a runtime import)."""
    found = set()
    for folder in ("ganzoo", "plugins"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and not FIRST_PARTY.match(top):
                        found.add(top)
    return found


def declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    name = lambda requirement: _normal(re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0])
    return {name(r) for r in project["dependencies"]}, {name(r) for r in project["optional-dependencies"]["test"]}


def test_runtime_dependencies_are_what_the_package_imports():
    runtime, test_only = declared()
    owners = packages_distributions()
    imported = set()
    for module in imported_top_level_modules():
        assert module in owners, f"{module} is imported by ganzoo but no installed distribution provides it"
        imported |= {_normal(d) for d in owners[module]}
    assert runtime - imported == set(), "declared but never imported by the runtime"
    assert imported - runtime == set(), "imported by the runtime but not declared"
    assert "scipy" in test_only and "scipy" not in runtime


BLOCKER = textwrap.dedent("""
    import importlib, pkgutil, sys
    from importlib.abc import MetaPathFinder

    BLOCKED = set(sys.argv[1].split(","))

    class Block(MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"blocked for this test: {name}")

    sys.meta_path.insert(0, Block())
    import ganzoo, ganzoo.cli
    from ganzoo import plugins

    ganzoo.cli.build_parser()  # every command module and every entry-point plugin
    broken = {i.name: i.error for i in plugins.plugin_infos().values() if i.error}
    assert not broken, broken
    packages = ["ganzoo"] + sorted({i.module.split(".")[0] for i in plugins.plugin_infos().values()})
    for name in packages:
        package = importlib.import_module(name)
        for info in pkgutil.walk_packages(package.__path__, name + "."):
            if info.name != "ganzoo.__main__":
                importlib.import_module(info.name)
    assert not BLOCKED & {m.split(".")[0] for m in sys.modules}
    import ganzoo_datasets.tfrecord as tfrecord
    print(len(packages), tfrecord._fast_crc32c is None, tfrecord.crc32c(b"123456789") == 0xE3069283)
""")


def run_blocked(*modules):
    result = subprocess.run([sys.executable, "-c", BLOCKER, ",".join(modules)], capture_output=True, text=True,
                            timeout=300, env={**os.environ, "GANZOO_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_ganzoo_its_plugins_and_commands_import_without_scipy():
    packages, _, crc_ok = run_blocked("scipy")
    assert int(packages) >= 9 and crc_ok == "True"  # ganzoo, 8 plugin packages (train is ganzoo's)


def test_tfrecords_fall_back_to_python_crc32c_without_google_crc32c():
    _, fallback, crc_ok = run_blocked("google_crc32c")
    assert fallback == "True" and crc_ok == "True"


def test_caches_follow_ganzoo_cache_dir_then_xdg_cache_home(monkeypatch, tmp_path):
    from ganzoo.cache import cache_root
    from ganzoo.metrics.stats import cache_dir
    from ganzoo.metrics.weights import weights_dir

    for name in ("GANZOO_CACHE_DIR", "GANZOO_WEIGHTS_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_root() == tmp_path / "home" / ".cache" / "ganzoo"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    assert cache_root() == tmp_path / "home" / ".cache" / "ganzoo"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert weights_dir() == tmp_path / "xdg" / "ganzoo" / "weights"
    assert cache_dir() == tmp_path / "xdg" / "ganzoo" / "stats"
    monkeypatch.setenv("GANZOO_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine" / "stats"
    monkeypatch.setenv("GANZOO_WEIGHTS_DIR", str(tmp_path / "w"))
    assert weights_dir() == tmp_path / "w"
