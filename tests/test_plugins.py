"""Plugins: third-party rules through the same hooks as built-ins; a crashing rule is contained."""

import json
import os
import re

import pluggy
from click.testing import CliRunner

import lintra
from lintra.cli import main
from lintra.pipeline import run
from lintra.plugins import load_registry, plugin_manager


class ThirdParty:
    """A plugin as a third party would write it, registered the way an entry point is."""

    @staticmethod
    def check(document, scan):
        for i, volume in enumerate(document.get(("spec", "volumes"), []) or []):
            if "hostPath" in volume:
                yield lintra.Hit(("spec", "volumes", i, "hostPath"), "hostPath ties the pod to a node")

    @lintra.hookimpl
    def register_rules(self, register):
        register(lintra.Rule(id="ORG100", name="host-path", title="hostPath volume", vendor="other",
                             category="storage", strength="soft", severity="warning",
                             kinds=["k8s"], rationale="r", remediation="m", check=self.check))

    @lintra.hookimpl
    def register_formats(self, register):
        register(lintra.Format("count", lambda result, stream, options: stream.write(f"{len(result.findings)}\n")))


class Crashing:
    @staticmethod
    def check(document, scan):
        yield from ()
        raise KeyError("boom")

    @lintra.hookimpl
    def register_rules(self, register):
        register(lintra.Rule(id="ORG900", name="crash", title="crashes", vendor="other", category="api",
                             strength="soft", severity="info", kinds=["k8s"], rationale="r",
                             remediation="m", check=self.check))


def patched_manager(monkeypatch, *plugins):
    original = plugin_manager

    def manager():
        pm = original()
        for plugin in plugins:
            pm.register(plugin, name=type(plugin).__name__)
        return pm
    monkeypatch.setattr("lintra.plugins.plugin_manager", manager)


POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  volumes:\n    - name: h\n      hostPath: {path: /srv}\n"


def test_third_party_rule_and_format_appear_in_cli(monkeypatch, tmp_path):
    patched_manager(monkeypatch, ThirdParty())
    result = CliRunner().invoke(main, ["rules"])
    assert "ORG100  other     storage     soft       warning    host-path: hostPath volume" in result.output
    (tmp_path / "pod.yaml").write_text(POD)
    result = CliRunner().invoke(main, ["check", "--no-color", str(tmp_path / "pod.yaml")])
    assert f"{tmp_path / 'pod.yaml'}:7:7: warning ORG100 hostPath ties the pod to a node" in result.output
    assert result.exit_code == 0  # a warning does not fail at the default --fail-on error
    assert CliRunner().invoke(main, ["check", "--fail-on", "warning", str(tmp_path)]).exit_code == 1
    assert CliRunner().invoke(main, ["check", "-f", "count", str(tmp_path)]).output == "1\n"


def test_rule_that_raises_is_an_internal_error_and_others_still_run(monkeypatch, tmp_path):
    patched_manager(monkeypatch, ThirdParty(), Crashing())
    (tmp_path / "pod.yaml").write_text(POD)
    result = run([str(tmp_path)])
    ids = sorted(f.rule.id for f in result.findings)
    assert ids == ["LT900", "ORG100"]
    crash = next(f for f in result.findings if f.rule.id == "LT900")
    assert "ORG900" in crash.message and "KeyError" in crash.message and crash.span.line == 1


def test_lintra_plugins_env_restricts_loading(monkeypatch):
    monkeypatch.setenv("LINTRA_PLUGINS", "lintra.loaders,lintra.formats,lintra.policies")
    registry = load_registry()
    assert "LH110" not in registry.rules and "LK101" in registry.rules
    monkeypatch.setenv("LINTRA_PLUGINS", "")
    registry = load_registry()
    assert sorted(registry.rules) == ["LT000", "LT001", "LT002", "LT003", "LT004", "LT005", "LT900"]


def test_duplicate_rule_id_is_refused(monkeypatch):
    class Twice:
        @lintra.hookimpl
        def register_rules(self, register):
            register(lintra.Rule(id="LK101", name="x", title="x", vendor="other", category="api",
                                 strength="soft", severity="info", kinds=["k8s"], rationale="r",
                                 remediation="m", check=lambda d, s: ()))
    patched_manager(monkeypatch, Twice())
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 2 and "LK101 is registered twice" in result.output


def test_plugins_are_listed_with_their_hooks():
    registry = load_registry()
    names = {p["name"]: p["hooks"] for p in registry.plugins}
    assert names["lintra.heat"] == ["register_resolvers", "register_rules"]
    assert names["lintra.loaders"] == ["register_detectors", "register_loaders"]


def test_hookspecs_take_only_register():
    pm = pluggy.PluginManager("lintra")
    from lintra import hookspecs
    pm.add_hookspecs(hookspecs)
    for name in ("register_rules", "register_loaders", "register_detectors", "register_formats",
                 "register_resolvers"):
        assert getattr(pm.hook, name).spec.argnames == ("register",)


def test_required_plugin_missing_names_installed_expected_missing(monkeypatch):
    from lintra.plugins import PluginError

    monkeypatch.setenv("LINTRA_PLUGINS", "lintra.loaders")
    try:
        load_registry(required=["lintra.loaders", "acme-rules"])
    except PluginError as error:
        message = str(error)
    assert "missing: acme-rules" in message and "expected: lintra.loaders, acme-rules" in message
    assert "installed: lintra.loaders" in message


def test_local_python_plugin_needs_explicit_permission(tmp_path):
    from lintra.plugins import PluginError

    plugin = tmp_path / "local_rules.py"
    plugin.write_text(
        "import lintra\n"
        "@lintra.hookimpl\n"
        "def register_rules(register):\n"
        "    register(lintra.Rule(id='LOC1', name='l', title='t', vendor='other', category='api',\n"
        "        strength='soft', severity='info', kinds=['k8s'], rationale='r', remediation='m',\n"
        "        check=lambda d, s: ()))\n")
    try:
        load_registry(local_plugins=[str(plugin)])
        refused = None
    except PluginError as error:
        refused = str(error)
    assert refused and "--allow-local-plugins" in refused
    assert "LOC1" in load_registry(local_plugins=[str(plugin)], allow_local_plugins=True).rules


def test_extra_packs_are_loaded(tmp_path):
    from tests.test_packs import RULE_HEAD, write_pack

    pack = write_pack(tmp_path, RULE_HEAD + "    match: {path: '@containers.image'}\n")
    assert "ORG1" in load_registry(packs=[pack]).rules


def test_plugins_command_lists_name_version_and_hooks(monkeypatch):
    patched_manager(monkeypatch, ThirdParty())
    result = CliRunner().invoke(main, ["plugins"])
    assert result.exit_code == 0
    rows = [line.split(None, 2) for line in result.output.splitlines()]
    assert ["lintra.heat", lintra.__version__, "register_resolvers, register_rules"] in rows
    assert ["lintra.loaders", lintra.__version__, "register_detectors, register_loaders"] in rows
    assert ["ThirdParty", "-", "register_formats, register_rules"] in rows  # no distribution: no version
    listed = json.loads(CliRunner().invoke(main, ["plugins", "--format", "json"]).output)
    assert {"name": "ThirdParty", "version": None, "hooks": ["register_formats", "register_rules"]} in listed
    assert [p["name"] for p in listed] == [row[0] for row in rows]


def test_plugins_command_respects_lintra_plugins(monkeypatch):
    monkeypatch.setenv("LINTRA_PLUGINS", "lintra.k8s,lintra.formats")
    result = CliRunner().invoke(main, ["plugins"])
    *rows, note = result.output.splitlines()  # the note goes to standard error
    assert [row.split()[0] for row in rows] == ["lintra.formats", "lintra.k8s"]
    assert note == "(LINTRA_PLUGINS=lintra.k8s,lintra.formats restricts loading)"


def test_readme_python_plugin_snippet_works_as_written(tmp_path):
    """The README's minimal plugin, loaded as a local plugin file, flags what it says it flags."""
    from tests.conftest import ROOT

    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    section = readme[readme.index("### Python plugins"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    (tmp_path / "my_rules.py").write_text(code)
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                                       "  - {name: c, image: registry.vendor.example/app:1}\n")
    (tmp_path / ".lintra.yaml").write_text("local_plugins: [my_rules.py]\n")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "pod.yaml"), "--allow-local-plugins"],
                                catch_exceptions=False)
    assert "pod.yaml:6:22: warning ORG001 image from the vendor registry" in result.output, result.output
