"""The plugin manager calls plain hooks without pluggy, and gives exactly what pluggy gives."""

import sys
import types

import pytest

import lintra
from lintra.plugins import PluginError, load_registry, plugin_manager


def _summary(registry):
    return ([rule.id for rule in registry.rules.values()],
            [(loader.name, loader.suffixes) for loader in registry.loaders],
            [type(detector).__name__ + repr(getattr(detector, "name", None)) for detector in registry.detectors],
            list(registry.formats), sorted(registry.resolvers),
            [(p["name"], p["hooks"]) for p in registry.plugins])


def test_built_ins_register_as_pluggy_registers_them():
    direct = plugin_manager()
    assert direct._pluggy is None  # the built-ins are plain modules: no pluggy needed
    through_pluggy = plugin_manager()
    through_pluggy.pluggy()  # every call from now on goes through pluggy
    assert _summary(load_registry(direct)) == _summary(load_registry(through_pluggy))


def _module(name, **hooks):
    module = types.ModuleType(name)
    for hook, function in hooks.items():
        setattr(module, hook, function)
    return module


def test_a_plain_module_is_called_first_as_the_last_registered():
    order = []

    @lintra.hookimpl
    def register_formats(register):
        order.append("late")

    pm = plugin_manager()
    pm.register(_module("late_plugin", register_formats=register_formats), name="late")
    load_registry(pm)
    assert pm._pluggy is None and order == ["late"]
    assert [p["hooks"] for p in load_registry(pm).plugins if p["name"] == "late"] == [["register_formats"]]


def test_a_plugin_with_options_goes_to_pluggy_with_everything_before_it():
    calls = []

    @lintra.hookimpl(tryfirst=True)
    def register_formats(register):
        calls.append("first")

    pm = plugin_manager()
    pm.register(_module("eager", register_formats=register_formats), name="eager")
    assert pm._pluggy is not None and "pluggy" in sys.modules
    assert [name for name, _ in pm.list_name_plugin()][-1] == "eager"
    assert "lintra.formats" in [name for name, _ in pm.list_name_plugin()]
    load_registry(pm)
    assert calls == ["first"]


def test_a_hook_with_no_spec_is_left_to_pluggy():
    @lintra.hookimpl
    def register_everything(register):
        pass

    pm = plugin_manager()
    pm.register(_module("odd", register_everything=register_everything), name="odd")
    assert pm._pluggy is not None and pm._pluggy.get_plugin("odd") is not None


def test_a_raising_plain_hook_is_reported_with_its_plugin():
    @lintra.hookimpl
    def register_rules(register):
        raise RuntimeError("broken")

    pm = plugin_manager()
    pm.register(_module("broken_plugin", register_rules=register_rules), name="broken")
    with pytest.raises(PluginError, match="plugin broken: hook register_rules raised RuntimeError: broken"):
        load_registry(pm)


def test_markers_set_what_pluggys_markers_set():
    import pluggy

    def ours():
        pass

    def theirs():
        pass

    lintra.hookimpl(trylast=True)(ours)
    pluggy.HookimplMarker("lintra")(trylast=True)(theirs)
    assert ours.lintra_impl == theirs.lintra_impl
    from lintra import hookspecs

    assert hookspecs.register_rules.lintra_spec == pluggy.HookspecMarker("lintra")(lambda register: None).lintra_spec
