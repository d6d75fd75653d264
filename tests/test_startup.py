"""What a plain ``lintra check`` of one file imports and recomputes: the start-up a pre-commit hook
pays on every commit. Timings live in benchmarks/; these tests pin the mechanisms."""

import importlib.metadata
import json
import os
import subprocess
import sys

import pytest

import lintra
from lintra import cache
from lintra.entrypoints import _section, distribution_version, entry_points
from lintra.policy.pack import _compile_rule, pack_files, rules_from_pack
from lintra.resources import policies_dir

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SERVICE = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n"
#: documents reaching several pack rules: a Service with an NLB annotation, a StorageClass of the
#: EBS driver, a Deployment with an ECR image
MIXED = (SERVICE.replace("  name: web\n", "  name: web\n  annotations:\n"
                         "    service.beta.kubernetes.io/aws-load-balancer-type: nlb\n")
         + "---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\n"
           "provisioner: ebs.csi.aws.com\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n"
           "spec:\n  template:\n    spec:\n      containers:\n      - name: c\n"
           "        image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1\n")

#: modules only some runs need; a check of one Kubernetes file in text format needs none of them
#: (the vSphere JSON detector is asked about every parsed document, so it is imported: it is small)
NOT_ON_THE_HOT_PATH = ["importlib.metadata", "jsonschema", "lintra.report.sarif", "lintra.report.junit",
                       "lintra.report.json", "lintra.load.vsphere.ovf", "lintra.load.vsphere.rvtools",
                       "lintra.load.vsphere.vmx", "lintra.discover.changes", "lintra.policy.schema", "lintra.policy.examples",
                       "lintra.cli.policy", "lintra.cli.baseline", "traceback", "lintra.load.helm", "tarfile",
                       "difflib", "urllib.parse", "pluggy", "pickle"]

#: what the interpreter imported before lintra (a site-packages ``.pth`` file may import
#: ``urllib.parse`` at start-up) is not lintra's doing, so it is left out
PROBE = ("import sys\n"
         "before = set(sys.modules)\n"
         "from lintra.cli import main\n"
         "try:\n"
         "    main(['check', 'svc.yaml'])\n"
         "except SystemExit as done:\n"
         "    code = done.code\n"
         "print(sorted(m for m in {modules!r} if m in sys.modules and m not in before), code in (0, 1))\n")


def _probe(cwd, cache_dir):
    env = dict(os.environ, LINTRA_CACHE_DIR=str(cache_dir), XDG_CONFIG_HOME=str(cwd))
    out = subprocess.run([sys.executable, "-c", PROBE.format(modules=NOT_ON_THE_HOT_PATH)], cwd=cwd, env=env,
                         capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def test_one_file_check_imports_only_what_it_uses(tmp_path):
    (tmp_path / "svc.yaml").write_text(SERVICE)
    _probe(tmp_path, tmp_path / "cache")  # the first run fills the cache
    assert _probe(tmp_path, tmp_path / "cache") == "[] True"


#: what click costs (it imports inspect, uuid and with it platform): the console entry point's fast
#: path runs a plain check and the pre-commit hook's command line without any of it
CLICK_AND_WHAT_IT_BRINGS = ["click", "inspect", "uuid", "platform", "gettext", "lintra.cli.group", "lintra.cli.check"]

ENTRY_PROBE = ("import sys\n"
               "before = set(sys.modules)\n"
               "from lintra.cli.entry import main\n"
               "try:\n"
               "    main({argv!r})\n"
               "except SystemExit as done:\n"
               "    code = done.code\n"
               "print(sorted(m for m in {modules!r} if m in sys.modules and m not in before), code)\n")


@pytest.mark.parametrize("argv", [["check", "svc.yaml"], ["check", "--force-exclude", "--context", ".", "--", "svc.yaml"],
                                  ["check", "--isolated", "--no-cache", "--jobs", "1", "svc.yaml"]])
@pytest.mark.parametrize("configuration", [None, "profile: balanced\n"])
def test_a_plain_check_does_not_import_click(argv, configuration, tmp_path):
    (tmp_path / "svc.yaml").write_text(SERVICE)
    if configuration:
        (tmp_path / ".lintra.yaml").write_text(configuration)
    env = dict(os.environ, LINTRA_CACHE_DIR=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path))
    env.pop("FORCE_COLOR", None)
    code = ENTRY_PROBE.format(argv=argv, modules=CLICK_AND_WHAT_IT_BRINGS + NOT_ON_THE_HOT_PATH)
    for _ in range(2):  # the second run is the one a pre-commit hook pays: caches filled
        out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                             check=True)
    assert out.stdout.strip().splitlines()[-1] == "[] 0"


#: a check run through the console entry point's fast path (one file, and a directory of every kind
#: of file lintra reads, as the comparison with other tools runs it) imports no typing: importing it
#: costs more than a third of what checking a small file does
TYPING = ["typing"]


@pytest.mark.parametrize("argv", [["check", "svc.yaml"], ["check", "--isolated", "--no-cache", "--jobs", "1", "."],
                                  ["check", "--isolated", "--no-cache", "."]])
def test_a_plain_check_does_not_import_typing(argv, tmp_path):
    (tmp_path / "svc.yaml").write_text(SERVICE)
    (tmp_path / "pod.json").write_text('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, '
                                       '"spec": {"containers": [{"name": "c", "image": "x"}]}}')
    (tmp_path / "stack.yaml").write_text("heat_template_version: 2018-08-31\nresources:\n  server:\n"
                                         "    type: OS::Nova::Server\n    properties: {flavor: m1}\n")
    (tmp_path / "kustomization.yaml").write_text("resources: [svc.yaml]\n")
    env = dict(os.environ, LINTRA_CACHE_DIR=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path))
    code = ENTRY_PROBE.format(argv=argv, modules=TYPING)
    for _ in range(2):  # the first run fills the cache
        out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                             check=True)
    assert out.stdout.strip().splitlines()[-1].startswith("[] ")


def test_other_command_lines_still_reach_click(tmp_path):
    (tmp_path / "svc.yaml").write_text(SERVICE)
    env = dict(os.environ, LINTRA_CACHE_DIR=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path))
    code = ENTRY_PROBE.format(argv=["check", "-q", "svc.yaml"], modules=["click"])
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip().splitlines()[-1] == "['click'] 0"


def test_unchanged_configuration_is_not_validated_again(tmp_path):
    (tmp_path / "svc.yaml").write_text(SERVICE)
    (tmp_path / ".lintra.yaml").write_text("profile: balanced\n")
    assert "'jsonschema'" in _probe(tmp_path, tmp_path / "cache")  # validated once
    assert _probe(tmp_path, tmp_path / "cache") == "[] True"
    (tmp_path / ".lintra.yaml").write_text("profile: balanced\nfail_on: warning\n")
    assert "'jsonschema'" in _probe(tmp_path, tmp_path / "cache")  # changed: validated again


def test_invalid_configuration_is_reported_on_every_run(tmp_path):
    from click.testing import CliRunner

    from lintra.cli import main

    (tmp_path / "svc.yaml").write_text(SERVICE)
    (tmp_path / ".lintra.yaml").write_text("profile: balanced\nunknown_key: 1\n")
    os.environ["LINTRA_CACHE_DIR"] = str(tmp_path / "cache")
    try:
        for _ in range(2):
            result = CliRunner().invoke(main, ["check", str(tmp_path / "svc.yaml"),
                                               "--config", str(tmp_path / ".lintra.yaml")])
            assert result.exit_code == 2
            assert ".lintra.yaml:2:1: unknown_key: unknown key" in result.output
    finally:
        del os.environ["LINTRA_CACHE_DIR"]


def test_entry_points_match_importlib_metadata():
    """The direct reader finds what importlib.metadata finds, for every group of this venv."""
    groups = {ep.group for dist in importlib.metadata.distributions() for ep in dist.entry_points}
    assert "console_scripts" in groups
    for group in groups:
        expected = [(ep.name, ep.value) for ep in importlib.metadata.entry_points(group=group)]
        assert sorted((ep.name, ep.value) for ep in entry_points(group)) == sorted(expected), group
    assert distribution_version("lintra") == importlib.metadata.version("lintra")
    assert distribution_version("PyYAML") == importlib.metadata.version("pyyaml")


def test_entry_point_file_syntax(tmp_path):
    text = ("# comment\n[console_scripts]\nx = a:b\n\n[lintra]\nacme = acme_plugin\n"
            "acme-two : acme.sub:plugin [extra]\n; other comment\n[other]\nlintra = no\n")
    assert _section(text, "lintra") == [("acme", "acme_plugin"), ("acme-two", "acme.sub:plugin [extra]")]
    dist = tmp_path / "acme_plugin-1.2.0.dist-info"
    dist.mkdir()
    (dist / "entry_points.txt").write_text(text)
    (tmp_path / "acme_plugin.py").write_text("plugin = 'loaded'\n")
    shadowed = tmp_path / "later"
    (shadowed / "Acme.Plugin-9.0.dist-info").mkdir(parents=True)
    (shadowed / "Acme.Plugin-9.0.dist-info" / "entry_points.txt").write_text("[lintra]\nshadowed = x\n")
    found = entry_points("lintra", [str(tmp_path), str(shadowed), str(tmp_path / "missing")])
    assert [(ep.name, ep.value, ep.version) for ep in found] == [
        ("acme", "acme_plugin", "1.2.0"), ("acme-two", "acme.sub:plugin [extra]", "1.2.0")]
    sys.path.insert(0, str(tmp_path))
    try:
        assert found[0].load().__name__ == "acme_plugin"
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("acme_plugin", None)


def _metadata(rule):
    return {slot: getattr(rule, slot) for slot in type(rule).__slots__ if slot != "check"}


def test_cached_builtin_rules_are_the_compiled_ones(tmp_path, monkeypatch):
    """A built-in rule read from the cache has exactly the metadata of the eagerly compiled one,
    and compiles to the same check on first use."""
    monkeypatch.setenv("LINTRA_CACHE_DIR", str(tmp_path))
    eager = rules_from_pack(policies_dir(), validate=False)
    assert [_metadata(r) for r in rules_from_pack(policies_dir(), validate=False, trusted=True)] == \
        [_metadata(r) for r in eager]  # first run: compiled, and cached
    assert len(list(tmp_path.iterdir())) == 1
    cached = rules_from_pack(policies_dir(), validate=False, trusted=True)
    assert [_metadata(r) for r in cached] == [_metadata(r) for r in eager]
    assert all(r.check.__qualname__.startswith("_deferred_rule") for r in cached)


def test_a_cache_entry_that_is_not_ours_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("LINTRA_CACHE_DIR", str(tmp_path))
    eager = rules_from_pack(policies_dir(), validate=False)
    rules_from_pack(policies_dir(), validate=False, trusted=True)
    entry, = tmp_path.iterdir()
    entry.write_text(json.dumps([{"pack": "not a mapping"}] * len(pack_files(policies_dir()))))
    assert [_metadata(r) for r in rules_from_pack(policies_dir(), validate=False, trusted=True)] == \
        [_metadata(r) for r in eager]
    entry.write_text("{not json")
    assert len(rules_from_pack(policies_dir(), validate=False, trusted=True)) == len(eager)


def test_empty_cache_dir_turns_the_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("LINTRA_CACHE_DIR", "")
    assert cache.directory() is None
    cache.write("packs", "x", [1])
    assert cache.read("packs", "x") is None


def test_deferred_rule_keeps_the_k8s_gate_and_the_checks_result(tmp_path):
    from lintra.check import Scan, run_rules
    from lintra.load import load_source
    from lintra.plugins import load_registry

    registry = load_registry()
    spec = {"id": "ZZ100", "name": "lb", "title": "t", "vendor": "other", "category": "network",
            "strength": "soft", "severity": "warning", "kinds": ["k8s"], "rationale": "r", "remediation": "m",
            "message": "{kind} {name} is {value}", "k8s": {"kinds": ["Service"]},
            "match": {"path": "spec.type", "equals": "LoadBalancer"}}
    from lintra.model import Source

    loaded = load_source(Source("svc.yaml", None, SERVICE.encode()), registry.loaders, registry.detectors)
    scan = Scan(loaded.documents)
    found = {}
    for deferred in (False, True):
        rule = _compile_rule(spec, "test", deferred=deferred)
        found[deferred] = [(f.span.line, f.span.column, f.message)
                           for f in run_rules(loaded.documents, [rule], scan)]
    assert found[True] == found[False] == [(6, 9, "Service web is LoadBalancer")]
    with pytest.raises(Exception):
        _compile_rule({**spec, "match": {"path": "a", "regex": "("}}, "test")  # eager: the error at once


def test_rule_modules_compile_no_regex_at_import():
    """Every rule module is imported on every run; their tables' regexes compile on first use."""
    # re compiles through re._compiler from Python 3.11, sre_compile before
    code = ("try:\n    import re._compiler as compiler\nexcept ImportError:\n    import sre_compile as compiler\n"
            "import lintra.model, lintra.rules.docstring, lintra.check, lintra.domain.kubernetes\n"
            "compiled = []\n"
            "original = compiler.compile\n"
            "compiler.compile = lambda pattern, flags=0: compiled.append(pattern) or original(pattern, flags)\n"
            "import lintra.rules.heat, lintra.rules.k8s\n"
            "print(compiled)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_lazy_pattern_answers_as_the_compiled_one():
    import re

    from lintra import lazy_re

    pattern = lazy_re.compile(r"(?i)(nsx)[-_](\w+)")
    compiled = re.compile(r"(?i)(nsx)[-_](\w+)")
    assert "search" not in vars(pattern)  # nothing compiled yet
    for text in ("vmware_NSX-t3", "none", "nsx_a nsx-b"):
        assert pattern.findall(text) == compiled.findall(text)
        assert bool(pattern.match(text)) == bool(compiled.match(text))
        assert pattern.sub("x", text) == compiled.sub("x", text)
        assert pattern.split(text) == compiled.split(text)
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert pattern.search("a NSX-x").group(2) == "x" and pattern.fullmatch("nsx-x") and pattern.groups == 2
    assert (pattern.pattern, pattern.flags) == (r"(?i)(nsx)[-_](\w+)", 0)
    with pytest.raises(AttributeError):
        pattern.no_such_method  # noqa: B018


def test_escaping_patterns_compile_on_first_use():
    """The escaping helper is imported by every run; a format compiles only the classes it uses."""
    code = ("import re\nimport lintra.escape as escape\n"
            "print(sorted(name for name, value in vars(escape).items() if isinstance(value, re.Pattern)))\n"
            "print(escape.terminal('a\\x1b[31m'), 'search' in vars(escape._TERMINAL), 'search' in vars(escape._XML))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["[]", "a\\x1b[31m True False"]


def test_cached_builtin_rules_find_what_the_compiled_ones_find(tmp_path, monkeypatch):
    """The registration form read back from the cache (specs with their derived metadata) checks
    documents exactly as the eagerly compiled rules do, vendor_map parameters included."""
    from lintra.check import Scan, run_rules
    from lintra.load import load_source
    from lintra.model import Source
    from lintra.plugins import load_registry

    monkeypatch.setenv("LINTRA_CACHE_DIR", str(tmp_path))
    rules_from_pack(policies_dir(), validate=False, trusted=True)  # writes the entry
    cached = rules_from_pack(policies_dir(), validate=False, trusted=True)
    assert all(r.check.__qualname__.startswith("_deferred_rule") for r in cached)
    eager = rules_from_pack(policies_dir(), validate=False)
    registry = load_registry()
    text = MIXED
    loaded = load_source(Source("svc.yaml", None, text.encode()), registry.loaders, registry.detectors)
    scan = Scan(loaded.documents)

    def found(rules):
        return sorted((f.rule.id, f.span.line, f.span.column, f.message, f.vendor)
                      for f in run_rules(loaded.documents, rules, scan))
    assert found(cached) == found(eager)
    assert len({hit[0] for hit in found(eager)}) >= 3  # the documents do reach several rules


def test_the_cache_entry_is_keyed_by_the_code_that_derives_it(tmp_path, monkeypatch):
    from lintra.policy import pack

    files = pack_files(policies_dir())
    key = pack._cache_key(files)
    other = tmp_path / "selector.py"
    other.write_text("# another selector language\n")
    monkeypatch.setattr(pack, "_selector_file", lambda: str(other))
    assert pack._cache_key(files) not in (None, key)


def _shipped_patterns():
    from lintra.load import yamltree
    from lintra.policy.pack import _patterns

    found = set()
    for file in pack_files(policies_dir()):
        with open(file, encoding="utf-8") as handle:
            data = yamltree.parse(handle.read())[0][0]
        for rule in data["rules"]:
            found.update(_patterns([rule.get("match"), rule.get("where")]))
    return found


def test_shipped_patterns_pass_both_engines_so_runs_ask_re2_only():
    """A run compiles the shipped packs' regexes with RE2 alone (:func:`regex_safety.vouch`); this
    is the check it leaves out, whatever an earlier test vouched for in this process."""
    import re

    from lintra.policy import regex_safety

    patterns = _shipped_patterns()
    assert len(patterns) >= 20
    for pattern in patterns:
        re.compile(pattern)
    vouched = set(regex_safety._VOUCHED)
    regex_safety._VOUCHED.clear()
    try:
        for pattern in patterns:
            regex_safety.compile_pattern(pattern)
    finally:
        regex_safety._VOUCHED.update(vouched)


def test_a_user_pattern_is_still_checked_by_both_engines(monkeypatch):
    from lintra.policy import regex_safety

    # RE2 reads a count past its range as literal text; Python's parser refuses it: a pack error
    for pattern in ("a{99999999999}", "(?P<n>a)(?P<n>b)"):
        with pytest.raises(regex_safety.UnsafePattern, match="does not compile"):
            regex_safety.compile_pattern(pattern)
    monkeypatch.setattr(regex_safety, "_VOUCHED", {"a{99999999999}"})
    regex_safety.compile_pattern("a{99999999999}")  # what vouching leaves out, for the vouched text only
    with pytest.raises(regex_safety.UnsafePattern, match="does not compile"):
        regex_safety.compile_pattern("(?P<n>a)(?P<n>b)")


def test_a_run_compiles_the_shipped_patterns_with_re2_only(tmp_path):
    """The LoadBalancer Service reaches rules with regexes (re2 compiles them); with the shipped
    packs' entry cached, Python's parser is asked about none of the shipped patterns (a first run
    without the entry lintra ships, which compiles every shipped rule before caching them, asks it
    about each). A first run with the shipped entry (tests/test_shipped.py) asks it about none."""
    (tmp_path / "svc.yaml").write_text(SERVICE.replace("  name: web\n", "  name: web\n  annotations:\n"
                                                       "    service.beta.kubernetes.io/aws-load-balancer-type: nlb\n"))
    code = ("try:\n    import re._compiler as compiler\nexcept ImportError:\n    import sre_compile as compiler\n"
            "import sys, re2\nfrom lintra.cli.entry import main\n"
            "import lintra.cache\nlintra.cache.SHIPPED = sys.argv[1] if len(sys.argv) > 1 else lintra.cache.SHIPPED\n"
            "asked, made = [], []\n"
            "original, original2 = compiler.compile, re2.compile\n"
            "compiler.compile = lambda pattern, flags=0: asked.append(pattern) or original(pattern, flags)\n"
            "re2.compile = lambda pattern, *a: made.append(pattern) or original2(pattern, *a)\n"
            "try:\n    main(['check', 'svc.yaml'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(set(p for p in asked if isinstance(p, str))), len(made), file=sys.stderr)\n")
    env = dict(os.environ, LINTRA_CACHE_DIR=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path))
    shipped = _shipped_patterns()
    runs = []
    for shipped_entries in ([str(tmp_path / "nothing-shipped")], [], []):
        env["LINTRA_CACHE_DIR"] = str(tmp_path / ("cache" if len(runs) < 2 else "empty"))
        out = subprocess.run([sys.executable, "-c", code, *shipped_entries], cwd=tmp_path, env=env,
                             capture_output=True, text=True)
        asked, made = out.stderr.strip().splitlines()[-1].rsplit(" ", 1)
        runs.append((set(eval(asked)), int(made)))  # noqa: S307 - our own probe's printed list
    (cold, _), (warm, made), (first, made_first) = runs
    assert shipped <= cold
    assert made > 0 and shipped.isdisjoint(warm)
    assert made_first == made and shipped.isdisjoint(first)


def _by_regex(pattern, text):
    from lintra.escape import _visible

    return pattern.sub(_visible, text)


@pytest.mark.parametrize("text", ["", " ", "plain ascii ~", "a\x1b[31m", "tab\there", "line\nbreak", "del\x7f",
                                  "\x00", "caf\u00e9", "\u202eevil", "\udc80byte", "\x85next", "\ufffe"])
def test_escaping_without_a_regex_answers_as_the_regex(text):
    from lintra import escape

    assert escape.terminal(text) == _by_regex(escape._TERMINAL, text)
    assert escape.xml(text) == _by_regex(escape._XML, text)
    assert escape.unicode_text(text) == _by_regex(escape._SURROGATE, text)


def test_escaping_printable_ascii_compiles_no_regex():
    code = ("import lintra.escape as escape\n"
            "print(escape.terminal('web: aws-load-balancer-type ~'), escape.xml('<a b=\"c\">'), "
            "escape.unicode_text('plain'), 'search' in vars(escape._TERMINAL), 'search' in vars(escape._XML), "
            "'search' in vars(escape._SURROGATE))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[-3:] == ["False", "False", "False"]


try:
    from hypothesis import given, strategies as st
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    given = None

if given is not None:
    #: any code point up to the private use area, lone surrogates included (hypothesis leaves them out
    #: by default), and mostly-ASCII text, where the shortcut answers
    @given(st.text(alphabet=st.characters(max_codepoint=0xE000, blacklist_categories=()))
           | st.text(alphabet=st.characters(max_codepoint=0x7F, blacklist_categories=())))
    def test_escaping_shortcut_is_exact(text):
        from lintra import escape

        assert escape.terminal(text) == _by_regex(escape._TERMINAL, text)
        assert escape.xml(text) == _by_regex(escape._XML, text)
        assert escape.unicode_text(text) == _by_regex(escape._SURROGATE, text)


def test_plugin_versions_are_looked_up_when_asked(tmp_path):
    """A plain check does not look for lintra's own version (a read of every sys.path directory);
    the registry answers it once asked, as ``lintra plugins`` and the map cache's key ask."""
    (tmp_path / "svc.yaml").write_text(SERVICE)
    code = ("import sys, lintra\nfrom lintra.cli.entry import main\n"
            "try:\n    main(['check', 'svc.yaml'])\nexcept SystemExit:\n    pass\n"
            "print('__version__' in vars(lintra), file=sys.stderr)\n"
            "from lintra.plugins import load_registry\n"
            "print(sorted({p['version'] for p in load_registry().plugins}) == [lintra.__version__], file=sys.stderr)\n")
    env = dict(os.environ, LINTRA_CACHE_DIR=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.stderr.split()[-2:] == ["False", "True"], out.stderr


def test_a_plain_check_compiles_none_of_pyyamls_pure_python_patterns(tmp_path):
    """PyYAML compiles at import its pure-Python reader's class of printable characters (about a
    third of importing PyYAML) and its timestamp pattern; the libyaml path uses neither, so a check
    compiles neither, while PyYAML's own pure-Python loader still refuses and reads what it did."""
    (tmp_path / "svc.yaml").write_text(SERVICE)
    code = ("import re, sys\nfrom lintra.cli.entry import main\n"
            "try:\n    main(['check', 'svc.yaml'])\nexcept SystemExit:\n    pass\n"
            "import yaml\n"
            "print(isinstance(yaml.reader.Reader.NON_PRINTABLE, re.Pattern), "
            "isinstance(yaml.constructor.SafeConstructor.timestamp_regexp, re.Pattern), "
            "sorted(p for _, p, _ in re._cache if isinstance(p, str) and '\\ud7ff' in p), file=sys.stderr)\n"
            "try:\n    yaml.load('a: \\x07', Loader=yaml.SafeLoader)\nexcept yaml.reader.ReaderError as error:\n"
            "    print(error.character == 7, file=sys.stderr)\n"
            "print(yaml.load('t: 2001-12-14', Loader=yaml.SafeLoader)['t'].year, file=sys.stderr)\n")
    env = dict(os.environ, LINTRA_CACHE_DIR=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.stderr.splitlines()[-3:] == ["False False []", "True", "2001"], out.stderr


def test_deferred_patterns_are_lazy_only_for_the_modules_named():
    import re
    import types

    from lintra import lazy_re

    compile_ = re.compile
    named, other = types.ModuleType("named"), types.ModuleType("other")
    for module in (named, other):
        exec("import re\ndef make(p):\n    return re.compile(p)\n", vars(module))  # noqa: S102 - our own code
    with lazy_re.deferred(["named"]):
        lazy, eager = named.make(r"a(b)"), other.make(r"a(b)")
    assert re.compile is compile_
    assert isinstance(lazy, lazy_re.LazyPattern) and "search" not in vars(lazy)
    assert isinstance(eager, re.Pattern) and isinstance(named.make(r"a(b)"), re.Pattern)
    assert lazy.search("xab").group(1) == "b" and lazy.groups == 1


def test_rules_compiled_on_first_use_do_not_rebuild_the_dispatch(tmp_path, monkeypatch):
    """A shipped rule read from the cache compiles when a document first reaches one of its
    paths; the check stage keeps the dispatch it built for the run (one per kind), and the rule's
    test then answers as the compiled one: the same findings as eagerly compiled rules."""
    from lintra import check
    from lintra.check import Dispatch, Scan, run_rules
    from lintra.load import load_source
    from lintra.model import Source
    from lintra.plugins import load_registry

    monkeypatch.setenv("LINTRA_CACHE_DIR", str(tmp_path))
    rules_from_pack(policies_dir(), validate=False, trusted=True)  # writes the entry
    cached = [r for r in rules_from_pack(policies_dir(), validate=False, trusted=True) if "k8s" in r.kinds]
    eager = [r for r in rules_from_pack(policies_dir(), validate=False) if "k8s" in r.kinds]
    registry = load_registry()
    text = MIXED
    documents = load_source(Source("all.yaml", None, text.encode()), registry.loaders, registry.detectors).documents
    from lintra.policy import pack

    built, compiled = [], []
    original, compile_rule = check._Program.__init__, pack._compile_rule
    monkeypatch.setattr(check._Program, "__init__", lambda self, *a: built.append(1) or original(self, *a))
    monkeypatch.setattr(pack, "_compile_rule", lambda spec, *a: compiled.append(spec["id"]) or compile_rule(spec, *a))
    dispatch = Dispatch(cached)
    found = []
    for doc in documents:  # one file after another, as the map step checks them
        found.extend(run_rules([doc], dispatch, Scan([doc])))
    assert len(set(compiled)) >= 3  # the documents did compile several rules on first use
    assert len(built) == 1

    def described(findings):
        return sorted((f.rule.id, f.span.line, f.span.column, f.message, f.vendor) for f in findings)
    assert described(found) == described(run_rules(documents, eager, Scan(documents)))


def test_a_worker_inherits_what_the_map_imports_on_first_use(tmp_path):
    """A parallel run imports before forking what the map step imports for its first files (RE2
    for the packs' patterns among them), so a worker imports none of it again."""
    from lintra import parallel

    for n in range(parallel.PARALLEL_FROM_FILES):
        (tmp_path / f"svc{n}.yaml").write_text(SERVICE.replace("  name: web\n", f"  name: web{n}\n  annotations:\n"
                                               "    service.beta.kubernetes.io/aws-load-balancer-type: nlb\n"))
    code = ("import os, sys\nfrom lintra import parallel\nfrom lintra.cli.entry import main\n"
            "serve = parallel._serve\n"
            "def watched(*args):\n"
            "    before = set(sys.modules)\n"
            "    serve(*args)\n"
            "    os.write(2, ('worker imported %s\\n' % sorted(set(sys.modules) - before)).encode())\n"
            "parallel._serve = watched\n"
            "try:\n    main(['check', '--jobs', '2', '.'])\nexcept SystemExit:\n    pass\n")
    env = dict(os.environ, LINTRA_CACHE_DIR=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    imported = [line for line in out.stderr.splitlines() if line.startswith("worker imported")]
    assert imported == ["worker imported []"], out.stderr


def _imports_typing_at_run_time(tree):
    """The line of a module-level ``import typing`` / ``from typing import`` that is not under
    ``if TYPE_CHECKING:`` (a function's own import of it counts too), or None."""
    import ast

    guarded = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            guarded.update(id(inner) for inner in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        if isinstance(node, ast.ImportFrom) and node.module == "typing":
            return node.lineno
        if isinstance(node, ast.Import) and any(alias.name == "typing" for alias in node.names):
            return node.lineno
    return None


def test_no_module_imports_typing_outside_type_checking():
    """The convention of lintra/__init__.py, for every module: the run-time tests above see only the
    modules a small run reaches (packing kept documents, the audit, workers are not among them)."""
    import ast

    root = os.path.dirname(os.path.abspath(lintra.__file__))
    offenders = []
    for directory, _, names in os.walk(root):
        for name in names:
            if name.endswith(".py"):
                path = os.path.join(directory, name)
                with open(path, encoding="utf-8") as handle:
                    line = _imports_typing_at_run_time(ast.parse(handle.read()))
                if line is not None:
                    offenders.append(f"{os.path.relpath(path, root)}:{line}")
    assert offenders == []
