"""The stages import one way: discover -> load -> check -> filter -> report (-> audit, which reads
finished results).

Every module's imports are read from its source (``ast``; imports inside functions count too): a
stage may import the model and the stages before it, never a later stage, never a rule module,
and never what sits around the stages (the pipeline, the CLI, plugin loading, configuration,
policy packs). The README's Layout section lists the same order."""

import ast
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "lintra")
STAGES = ["discover", "load", "check", "filter", "report", "audit"]
#: what every stage may import besides earlier stages: the model and its vocabulary, the hook
#: markers, small helpers (repository roots, shipped files, safe file reads, the data cache) and the
#: domain knowledge of the formats (lintra/domain/)
SHARED = {"lintra", "lintra.model", "lintra.vocabulary", "lintra.hookspecs", "lintra.repository",
          "lintra.resources", "lintra.cache", "lintra.filesystem", "lintra.escape", "lintra.domain",
          # regular expressions compiled on first use (rule tables, escaping, PyYAML's own)
          "lintra.lazy_re",
          # the one safe regular-expression engine (RE2), shared by packs, Kustomize and Helm
          "lintra.policy.regex_safety"}


def _module(path):
    name = os.path.relpath(path, ROOT)[:-3].replace(os.sep, ".")
    return name[: -len(".__init__")] if name.endswith(".__init__") else name


def _imports(path, module):
    """Every ``lintra`` module ``path`` (the module ``module``) imports, as (line, module)."""
    package = module if path.endswith("__init__.py") else module.rsplit(".", 1)[0]
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # "from lintra.load import references" imports the module lintra.load.references
            names = [base] + [f"{base}.{alias.name}" for alias in node.names
                              if os.path.exists(os.path.join(ROOT, *f"{base}.{alias.name}".split("."))
                                                + ".py")
                              or os.path.isdir(os.path.join(ROOT, *f"{base}.{alias.name}".split(".")))]
        else:
            continue
        for name in names:
            if name == "lintra" or name.startswith("lintra."):
                yield node.lineno, name


def _stage(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "lintra" and parts[1] in STAGES else None


def _owner(module):
    """The top-level part of lintra a module belongs to: a stage, or what it is (lintra.rules ...)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def _modules():
    for directory, _, files in os.walk(PACKAGE):
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(directory, name)
                yield path, _module(path)


def layering_problems(modules):
    problems = []
    for path, module in modules:
        stage = _stage(module)
        if stage is None:
            continue
        for line, imported in _imports(path, module):
            target = _stage(imported)
            where = f"{path}:{line}: {module} imports {imported}"
            if target is not None:
                if STAGES.index(target) > STAGES.index(stage):
                    problems.append(f"{where}, a later stage")
            elif _owner(imported) not in SHARED and imported not in SHARED:
                problems.append(f"{where}, which is not a stage before it nor the model")
    return problems


def test_stages_import_only_the_model_and_earlier_stages():
    assert layering_problems(_modules()) == []


def test_only_plugin_loading_names_rule_modules():
    """Rules are plugins: nothing outside lintra/rules imports them (plugins.py names them as
    strings, as third-party plugins are named)."""
    found = [f"{os.path.relpath(path, ROOT)}:{line}: {imported}" for path, module in _modules()
             if not module.startswith("lintra.rules")
             for line, imported in _imports(path, module) if imported.startswith("lintra.rules")]
    assert found == []


def test_the_check_fails_on_a_stage_reaching_around(tmp_path):
    for stage, source in (("load", "from lintra.filter import judge\n"),
                          ("discover", "def f():\n    import lintra.report.text\n"),
                          ("check", "from lintra.rules.heat import environments\n"),
                          ("filter", "from ..pipeline import run\n")):
        path = tmp_path / f"{stage}_probe.py"
        path.write_text(source)
        assert layering_problems([(str(path), f"lintra.{stage}.probe")]), source
    path = tmp_path / "fine.py"
    path.write_text("from lintra.model import Finding\nfrom lintra.load import decode\nfrom . import suppress\n")
    assert layering_problems([(str(path), "lintra.filter.fine")]) == []


def test_readme_layout_lists_the_stages_in_order():
    readme = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\w+) \| `lintra/(\w+)/` \|", layout, re.M)
    assert [stage for stage, _ in rows] == STAGES
    assert [package for _, package in rows] == STAGES
    assert " -> ".join(STAGES) in layout
