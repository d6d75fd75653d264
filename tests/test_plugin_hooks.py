"""Every hook in lintra/hookspecs.py is documented with its exact signature in docs/plugins.md and
exercised by a test named ``test_hook_<name>`` in this module (datasette keeps its hooks honest
the same way). The example plugin in tests/example_plugin is loaded in-process here; its
installed, entry-point form is tested in test_example_plugin.py."""

import inspect
import os
import re
import xml.etree.ElementTree as ET

import pluggy
import pytest
from click.testing import CliRunner

import lintra
from lintra import hookspecs
from lintra.cli import main
from lintra.pipeline import run
from lintra.plugins import load_registry, plugin_manager
from tests.conftest import ROOT, where

EXAMPLE = os.path.join(ROOT, "tests", "example_plugin")
COMPOSE = os.path.join(EXAMPLE, "fixtures", "compose.yaml")
HOOKS = sorted(name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction) if hasattr(fn, "lintra_spec"))


def signature(name: str) -> str:
    """``name(arg: Annotation, ...) -> Return`` exactly as written in hookspecs.py."""
    sig = inspect.signature(getattr(hookspecs, name))
    params = ", ".join(f"{p.name}: {p.annotation}" for p in sig.parameters.values())
    return f"{name}({params}) -> {sig.return_annotation}"


def test_hookspecs_are_found():
    pm = pluggy.PluginManager("lintra")
    pm.add_hookspecs(hookspecs)
    assert HOOKS and HOOKS == sorted(name for name in vars(pm.hook) if not name.startswith("_"))


def test_every_hook_is_documented_with_its_signature():
    docs = open(os.path.join(ROOT, "docs", "plugins.md"), encoding="utf-8").read()
    documented = re.findall(r"^### `(\w+)\((.*)`$", docs, re.M)
    assert sorted(f"{name}({rest}" for name, rest in documented) == [signature(name) for name in HOOKS]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test(hook):
    assert callable(globals().get(f"test_hook_{hook}")), f"write test_hook_{hook} in {__name__}"


@pytest.fixture
def with_plugins(monkeypatch):
    """with_plugins(name=plugin, ...): load these plugins on top of the installed ones."""
    def use(**plugins):
        original = plugin_manager

        def manager():
            pm = original()
            for name, plugin in plugins.items():
                pm.register(plugin, name=name)
            return pm
        monkeypatch.setattr("lintra.plugins.plugin_manager", manager)
    return use


@pytest.fixture
def example(monkeypatch, with_plugins):
    monkeypatch.syspath_prepend(EXAMPLE)
    import lintra_example_plugin

    with_plugins(**{"example-compose": lintra_example_plugin})
    return lintra_example_plugin


def test_hook_register_rules(example):
    result = run([COMPOSE])
    assert where(result) == [("ACME101", 8, 15)]
    finding, = result.findings
    assert finding.vendor == "aws" and finding.rule.vendor == "other"  # the hit names the provider
    assert finding.message == "service 'web' sends its logs to Amazon CloudWatch Logs (logging driver awslogs)"


def test_example_rule_leaves_open_and_interpolated_drivers_alone(example, tmp_path):
    (tmp_path / "compose.yaml").write_text(
        "services:\n  a: {logging: {driver: fluentd}}\n  b: {logging: {driver: '${LOG_DRIVER:-awslogs}'}}\n"
        "  c: {logging: {driver: gcplogs}}\n  d:\n")
    result = run([str(tmp_path)])
    assert [(f.rule.id, f.span.line, f.vendor) for f in result.findings] == [("ACME101", 4, "gcp")]


def test_hook_register_detectors(example, tmp_path):
    assert run([COMPOSE]).files[0].kinds == ("compose",)
    not_compose = {
        "deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n",
        "ansible.yaml": "services:\n  web: {logging: {driver: awslogs}}\nhosts: all\n",
        "empty-services.yaml": "services: {}\n",
    }
    for name, text in not_compose.items():
        (tmp_path / name).write_text(text)
    kinds = {os.path.basename(r.file): r.kinds for r in run([str(tmp_path)]).files}
    assert kinds == {"deployment.yaml": ("k8s",), "ansible.yaml": (), "empty-services.yaml": ()}


def test_compose_is_skipped_without_the_plugin():
    record, = run([COMPOSE]).files
    assert record.status == "skipped" and record.reason == "not an infrastructure document"


def test_hook_register_formats(example):
    result = CliRunner().invoke(main, ["check", "-f", "checkstyle", COMPOSE])
    assert result.exit_code == 0  # a warning does not fail at the default --fail-on error
    root = ET.fromstring(result.output.split("\n", 1)[1])
    errors = [(f.get("name"), e.attrib) for f in root for e in f]
    assert errors == [(COMPOSE, {"line": "8", "column": "15", "severity": "warning", "source": "lintra.ACME101",
                                 "message": "service 'web' sends its logs to Amazon CloudWatch Logs (logging driver awslogs)"})]


class PropertiesLocator(lintra.Locator):
    def __init__(self, lines):
        self.lines = lines  # key -> (line, column of the key, column of the value)

    def span(self, pointer, at=None):
        line, key_column, value_column = self.lines.get(pointer[0], (1, 1, 1)) if pointer else (1, 1, 1)
        return lintra.Span(line, key_column if at == "key" else value_column)


def load_properties(source, text):
    """Java .properties (the subset Spring Boot's application.properties uses): ``key=value``."""
    data, lines = {}, {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped[0] in "#!":
            continue
        key, sep, value = stripped.partition("=")
        if not sep:
            raise lintra.LoadError("LT000", f"expected key=value, got {stripped!r}", lintra.Span(number, 1))
        indent = len(line) - len(line.lstrip())
        lines[key.strip()] = (number, indent + 1, indent + len(key) + 2 + len(value) - len(value.lstrip()))
        data[key.strip()] = value.strip()
    return [lintra.Document(source, 0, "properties", data, PropertiesLocator(lines))]


class SpringProperties:
    @lintra.hookimpl
    def register_loaders(self, register):
        register(lintra.Loader("properties", [".properties"], load_properties))

    @lintra.hookimpl
    def register_rules(self, register):
        def check(document, scan):
            for key in document.data:
                if key.startswith("spring.cloud.gcp."):
                    yield lintra.Hit((key,), f"{key} configures Spring Cloud GCP", at="key")
        register(lintra.Rule(id="ORG300", name="spring-cloud-gcp", title="Spring Cloud GCP setting",
                             vendor="gcp", category="api", strength="soft", severity="error",
                             kinds=["properties"], rationale="r", remediation="m", check=check))


def test_hook_register_loaders(with_plugins, tmp_path):
    with_plugins(spring=SpringProperties())
    (tmp_path / "application.properties").write_text(
        "# app\nserver.port=8080\n  spring.cloud.gcp.project-id = shop-prod\n")
    (tmp_path / "broken.properties").write_text("server.port=8080\njust words\n")
    result = run([str(tmp_path)])
    assert sorted(where(result)) == [("LT000", 2, 1), ("ORG300", 3, 3)]
    assert {os.path.basename(r.file): r.status for r in result.files} == {
        "application.properties": "scanned", "broken.properties": "error"}


class SpringPlaceholders(SpringProperties):
    """Spring resolves ``${key}`` placeholders to other properties; a pack rule should judge the
    value a placeholder stands for, where that value is written."""

    @lintra.hookimpl
    def register_resolvers(self, register):
        def for_document(document, scan):
            def expand(pointer, value):
                if not (isinstance(value, str) and value.startswith("${") and value.endswith("}")):
                    return None
                key = value[2:-1]
                if key not in document.data:
                    return []  # unknown, not a guess
                related = (lintra.Related(f"used by {pointer[0]}", document.source.name, document.span(pointer)),)
                return [lintra.Candidate(document.data[key], None, (key,), f" (through {value})", related)]
            return expand
        register(lintra.Resolver("spring-placeholders", ["properties"], for_document))


AWS_JDBC_PACK = """\
pack: {name: spring-aws, version: 1, description: d}
rules:
  - id: ORG301
    name: aws-jdbc-wrapper
    title: AWS JDBC wrapper
    vendor: aws
    category: api
    strength: soft
    severity: error
    kinds: [properties]
    rationale: r
    remediation: m
    match: {path: datasource_url, startswith: "jdbc:aws-wrapper:"}
    message: "datasource_url is {value}"
"""


def test_hook_register_resolvers(with_plugins, tmp_path):
    (tmp_path / "pack.yaml").write_text(AWS_JDBC_PACK)
    (tmp_path / "application.properties").write_text(
        "aws_url=jdbc:aws-wrapper:postgresql://db:5432/shop\ndatasource_url=${aws_url}\nother_url=${missing}\n")
    with_plugins(spring=SpringProperties())
    plain = run([str(tmp_path / "application.properties")], registry=load_registry(packs=[str(tmp_path / "pack.yaml")]))
    assert where(plain) == []  # without the resolver, ${aws_url} is just a string
    with_plugins(spring=SpringPlaceholders())
    registry = load_registry(packs=[str(tmp_path / "pack.yaml")])
    assert registry.resolvers["properties"].name == "spring-placeholders"
    result = run([str(tmp_path / "application.properties")], registry=registry)
    assert where(result) == [("ORG301", 1, 9)]  # the value where it is written
    finding, = result.findings
    assert finding.message == "datasource_url is jdbc:aws-wrapper:postgresql://db:5432/shop (through ${aws_url})"
    assert [(r.span.line, r.message) for r in finding.related] == [(2, "used by datasource_url")]


def test_a_kind_has_one_resolver(with_plugins):
    class Second:
        @lintra.hookimpl
        def register_resolvers(self, register):
            register(lintra.Resolver("other", ["heat"], lambda document, scan: None))

    with_plugins(second=Second())
    with pytest.raises(ValueError, match="document kind heat has two resolvers"):
        load_registry()
