import types

import pytest

import ganzoo

from ganzoo import plugins, registry
from ganzoo.errors import DuplicateNameError, UnknownNameError

from conftest import make_plugin


def factory(**kwargs):
    return kwargs


def test_unknown_name_suggests_close_matches(only_inprocess_plugins):
    plugins.register_plugin(make_plugin("zoo", models=[("mocogan", factory), ("g3an", factory)]), "zoo")
    with pytest.raises(UnknownNameError) as err:
        registry.get("models", "mocogn")
    message = str(err.value)
    assert "unknown model 'mocogn'; did you mean 'mocogan'?" in message
    assert "g3an" in message and "mocogan" in message  # the list of what exists


def test_unknown_name_without_close_match_lists_known(only_inprocess_plugins):
    plugins.register_plugin(make_plugin("zoo", metrics=[("zoo-metric", factory)]), "zoo")
    with pytest.raises(UnknownNameError, match=r"unknown metric 'zzz' \(known: .*zoo-metric"):
        registry.get("metrics", "zzz")


def test_duplicate_name_names_both_plugins(only_inprocess_plugins):
    plugins.register_plugin(make_plugin("first", discriminators=[("tpd", factory)]), "first")
    plugins.register_plugin(make_plugin("second", discriminators=[("tpd", factory)]), "second")
    with pytest.raises(DuplicateNameError) as err:
        registry.get_registry("discriminators")
    assert "'tpd'" in str(err.value) and "'first'" in str(err.value) and "'second'" in str(err.value)


def test_register_records_plugin_and_meta(only_inprocess_plugins):
    plugins.register_plugin(make_plugin("zoo", datasets=[("shapes", factory, {"description": "d"})]), "zoo")
    entry = registry.get("datasets", "shapes")
    assert entry.plugin == "zoo" and entry.meta == {"description": "d"} and entry.factory is factory
    assert plugins.plugin_infos()["zoo"].registers == {"datasets": ["shapes"]}


def test_a_plugin_that_raises_while_registering_is_skipped(only_inprocess_plugins):
    @ganzoo.hookimpl
    def ganzoo_register_models(register):
        raise RuntimeError("boom")

    broken = types.ModuleType("bad")
    broken.ganzoo_register_models = ganzoo_register_models
    plugins.register_plugin(broken, "bad")
    plugins.register_plugin(make_plugin("good", models=[("ok", factory)]), "good")
    with pytest.warns(plugins.PluginLoadWarning, match="'bad' failed while registering models: RuntimeError: boom"):
        names = registry.get_registry("models").names()
    assert "ok" in names
    assert plugins.plugin_infos()["bad"].error == "RuntimeError: boom"


def test_every_kind_has_a_hook():
    from ganzoo import hookspecs

    for kind, (hook, _) in registry.KINDS.items():
        assert callable(getattr(hookspecs, hook)), kind
