"""Class 8: a plugin that raises on import or in a hook is a one-line error naming the plugin and
the exception, exit 2, no traceback. A rule that raises still costs only an LT900 finding."""

import textwrap

import pytest

from tests.hostile.harness import lintra

COUPLED = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: csi.vsphere.vmware.com\n"


def installed_plugin(tmp_path, source):
    """A distribution on PYTHONPATH whose ``lintra`` entry point is the module ``source``."""
    site = tmp_path / "site"
    (site / "hostile_plugin-1.0.dist-info").mkdir(parents=True)
    (site / "hostile_plugin-1.0.dist-info" / "entry_points.txt").write_text("[lintra]\nhostile = hostile_plugin\n")
    (site / "hostile_plugin.py").write_text(textwrap.dedent(source))
    return {"PYTHONPATH": str(site)}


def one_line_error(run):
    assert run.code == 2 and run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


def test_an_entry_point_plugin_raising_on_import(tmp_path):
    env = installed_plugin(tmp_path, "raise RuntimeError('broken on purpose')\n")
    (tmp_path / "s.yaml").write_text(COUPLED)
    line = one_line_error(lintra(["check", "--", "s.yaml"], str(tmp_path), env=env))
    assert line == ("Error: cannot load plugins: plugin hostile (hostile_plugin) failed on import: "
                    "RuntimeError: broken on purpose")


@pytest.mark.parametrize("hook", ["register_rules", "register_loaders", "register_formats"])
def test_a_hook_raising(tmp_path, hook):
    env = installed_plugin(tmp_path, f"""
        from lintra.hookspecs import hookimpl

        @hookimpl
        def {hook}(register):
            {{}}["missing"]
        """)
    (tmp_path / "s.yaml").write_text(COUPLED)
    line = one_line_error(lintra(["check", "--", "s.yaml"], str(tmp_path), env=env))
    assert line == f"Error: cannot load plugins: plugin hostile: hook {hook} raised KeyError: 'missing'"


def test_a_local_plugin_raising_on_import(tmp_path):
    (tmp_path / "mine.py").write_text("import no_such_module_anywhere\n")
    (tmp_path / ".lintra.yaml").write_text("local_plugins: [mine.py]\n")
    (tmp_path / "s.yaml").write_text(COUPLED)
    line = one_line_error(lintra(["check", "--allow-local-plugins", "--", "s.yaml"], str(tmp_path)))
    assert line.startswith("Error: cannot load plugins: Python plugin ") and line.endswith(
        "mine.py failed on import: ModuleNotFoundError: No module named 'no_such_module_anywhere'")


def test_a_rule_raising_is_lt900(tmp_path):
    env = installed_plugin(tmp_path, """
        from lintra import Rule
        from lintra.hookspecs import hookimpl

        def check(document, scan):
            raise ZeroDivisionError("rule bug")

        @hookimpl
        def register_rules(register):
            register(Rule(id="HX001", name="crashes", title="t", vendor="other", category="storage",
                          strength="soft", severity="warning", kinds=("k8s",), rationale="r",
                          remediation="m", check=check, origin="hostile_plugin"))
        """)
    (tmp_path / "s.yaml").write_text(COUPLED)
    run = lintra(["check", "-f", "json", "--", "s.yaml"], str(tmp_path), env=env)
    assert "LT900" in {f["rule_id"] for f in run.json()["findings"]}


def test_a_reader_raising_costs_that_file_only(tmp_path):
    env = installed_plugin(tmp_path, """
        from lintra.hookspecs import hookimpl
        from lintra.load import Loader

        def load(source, text):
            raise TypeError("reader bug: " + text)

        @hookimpl
        def register_loaders(register):
            register(Loader("boom", (".boom",), load))
        """)
    (tmp_path / "a.boom").write_text("secret\x1b[2J" * 100)
    (tmp_path / "s.yaml").write_text(COUPLED)
    run = lintra(["check", "-f", "json", "--", "a.boom", "s.yaml"], str(tmp_path), env=env)
    assert run.code == 2
    record = run.record("a.boom")
    assert record["status"] == "error" and record["reason"].startswith(
        "the boom reader failed on this file: TypeError: reader bug: secret\\x1b[2Jsecret")
    assert len(record["reason"]) < 200
    assert run.record("s.yaml")["status"] == "scanned"
