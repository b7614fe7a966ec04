import types

import pytest

import ganzoo

from ganzoo import plugins, registry
from ganzoo.errors import UnknownNameError

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


def test_duplicate_name_skips_the_later_plugin_and_names_both(only_inprocess_plugins):
    plugins.register_plugin(make_plugin("first", discriminators=[("tpd", factory)]), "first")
    second = make_plugin("second", discriminators=[("tpd", factory)], models=[("m2", factory)])
    plugins.register_plugin(second, "second")
    with pytest.warns(plugins.PluginLoadWarning, match="'second' is skipped: it registered discriminator 'tpd', which plugin 'first' already holds"):
        assert registry.get("discriminators", "tpd").plugin == "first"
    assert "m2" not in registry.get_registry("models")  # skipped whole, not half-registered
    assert registry.report()["second"].registers == {} and "'first'" in registry.report()["second"].error


def test_register_records_plugin_and_meta(only_inprocess_plugins):
    plugins.register_plugin(make_plugin("zoo", datasets=[("shapes", factory, {"description": "d"})]), "zoo")
    entry = registry.get("datasets", "shapes")
    assert entry.plugin == "zoo" and entry.meta == {"description": "d"} and entry.factory is factory
    assert registry.report()["zoo"].registers == {"datasets": ["shapes"]} and registry.report()["zoo"].error is None


def test_a_plugin_that_raises_while_registering_is_skipped(only_inprocess_plugins):
    @ganzoo.hookimpl
    def ganzoo_register_models(register):
        raise RuntimeError("boom")

    broken = types.ModuleType("bad")
    broken.ganzoo_register_models = ganzoo_register_models
    plugins.register_plugin(broken, "bad")
    plugins.register_plugin(make_plugin("good", models=[("ok", factory)]), "good")
    with pytest.warns(plugins.PluginLoadWarning, match="'bad' is skipped: its register hook raised RuntimeError: boom"):
        names = registry.get_registry("models").names()
    assert "ok" in names
    assert registry.report()["bad"].error == "its register hook raised RuntimeError: boom"


@pytest.mark.parametrize("bad, reason", [
    (("m", 3), "registered model 'm' with a factory that is not callable (int)"),
    ((None, factory), "registered a model without a name: None"),
    (("m", factory, {}, "extra"), "TypeError"),
])
def test_a_bad_registration_skips_that_plugin_only(only_inprocess_plugins, bad, reason):
    @ganzoo.hookimpl
    def ganzoo_register_models(register):
        register("fine", factory)
        register(*bad[:2], *bad[3:], **(bad[2] if len(bad) > 2 else {}))

    module = types.ModuleType("bad")
    module.ganzoo_register_models = ganzoo_register_models
    plugins.register_plugin(module, "bad")
    plugins.register_plugin(make_plugin("good", models=[("ok", factory)]), "good")
    with pytest.warns(plugins.PluginLoadWarning, match="'bad' is skipped"):
        assert registry.get_registry("models").names() == ["ok"]
    assert reason in registry.report()["bad"].error


def test_a_third_party_name_never_replaces_a_builtin(clean_plugins):
    plugins.register_plugin(make_plugin("impostor", models=[("mocogan", factory)]), "impostor")
    with pytest.warns(plugins.PluginLoadWarning, match="'impostor' is skipped: it registered model 'mocogan', which plugin 'mocogan'"):
        assert registry.get("models", "mocogan").factory is not factory


def test_an_unknown_hook_name_is_refused_by_name(only_inprocess_plugins):
    module = types.ModuleType("typo")
    module.ganzoo_register_modelz = ganzoo.hookimpl(lambda register: None)
    with pytest.raises(plugins.PluginError, match="'ganzoo_register_modelz', which is not a ganzoo hook"):
        plugins.register_plugin(module, "typo")


def test_every_kind_has_a_hook():
    from ganzoo import hookspecs

    for kind, (hook, _) in registry.KINDS.items():
        assert callable(getattr(hookspecs, hook)), kind
