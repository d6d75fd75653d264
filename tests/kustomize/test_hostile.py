"""Hostile and broken kustomizations: each is a located finding or a skip with its reason, never a
traceback or a hang (limits: lintra/load/limits.py)."""

import os

from lintra.load import limits
from lintra.pipeline import run
from tests.kustomize.helpers import write

SA = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {name}\n"


def lint(root, *paths):
    return run([os.path.join(str(root), path) for path in paths] or [str(root)])


def problems(result):
    return sorted((f.rule.id, os.path.basename(os.path.dirname(f.file)), f.span.line) for f in result.findings
                  if f.rule.id.startswith("LT"))


def test_cycle_is_reported_at_the_entry(tmp_path):
    write(tmp_path, {"a/kustomization.yaml": "resources:\n- ../b\n", "b/kustomization.yaml": "resources:\n- ../a\n"})
    result = lint(tmp_path)
    assert problems(result) == [("LT005", "a", 2), ("LT005", "b", 2)]
    assert all("cycle" in f.message for f in result.findings)


def test_self_reference(tmp_path):
    write(tmp_path, {"a/kustomization.yaml": "resources:\n- .\n"})
    assert problems(lint(tmp_path)) == [("LT005", "a", 2)]


def test_missing_file_and_missing_kustomization(tmp_path):
    write(tmp_path, {"a/kustomization.yaml": "resources:\n- gone.yaml\n",
                     "b/kustomization.yaml": "resources:\n- ../empty\n", "empty/x.txt": "x"})
    result = lint(tmp_path)
    assert problems(result) == [("LT005", "a", 2), ("LT005", "b", 2)]
    assert "no such file" in result.findings[0].message
    assert "holds no kustomization" in result.findings[1].message


def test_paths_leaving_the_repository_are_not_read(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(SA.format(name="secret"))
    repo = write(tmp_path / "repo", {"a/kustomization.yaml": "resources:\n- ../../outside/secret.yaml\n",
                                     "b/kustomization.yaml": "resources:\n- link.yaml\n"})
    os.symlink(str(outside / "secret.yaml"), str(repo / "b" / "link.yaml"))
    result = run([str(repo / "a"), str(repo / "b" / "kustomization.yaml")])
    assert problems(result) == [("LT005", "a", 2), ("LT005", "b", 2)]
    assert all("outside the repository" in f.message for f in result.findings)
    assert not any("outside/secret.yaml" in r.file for r in result.files)


def test_root_only_restrictor_is_said_in_the_record(tmp_path):
    write(tmp_path, {"shared/sa.yaml": SA.format(name="a"), "app/kustomization.yaml": "resources:\n- ../shared/sa.yaml\n"})
    result = lint(tmp_path, "app")
    record = next(r for r in result.files if r.file.endswith("app/kustomization.yaml"))
    assert record.status == "scanned" and "--load-restrictor LoadRestrictionsNone" in record.reason
    assert "kustomization.yaml:2:" in record.reason


def test_remote_resources_are_skipped_with_the_reason(tmp_path):
    write(tmp_path, {"a/kustomization.yaml": "resources:\n- https://example.com/x.yaml\n"
                                            "- github.com/org/repo/config?ref=v1\n- sa.yaml\n",
                     "a/sa.yaml": SA.format(name="a")})
    result = lint(tmp_path, "a/kustomization.yaml")
    record = result.files[0]
    assert record.status == "scanned" and record.documents == 1
    assert "kustomization.yaml:2: remote resource https://example.com/x.yaml skipped" in record.reason
    assert "kustomization.yaml:3: remote resource github.com/org/repo/config?ref=v1 skipped" in record.reason


def test_git_clone_urls_without_scheme_or_known_host_are_remote(tmp_path):
    # kustomize's remote targets (examples/remoteBuild.md): a git clone URL with a //directory
    # and the query parameters ref, version, timeout, submodules; a .git repository on any host
    write(tmp_path, {"a/kustomization.yaml": "resources:\n- git.corp.example/team/deploy//base?version=v2\n"
                                            "- git.corp.example/team/deploy//base?timeout=90&ref=v2\n"
                                            "- git.corp.example/team/deploy.git//k8s/base\n- sa.yaml\n",
                     "a/sa.yaml": SA.format(name="a")})
    result = lint(tmp_path, "a/kustomization.yaml")
    assert problems(result) == []  # not a missing local file: kustomize would clone these
    record = result.files[0]
    assert record.status == "scanned" and record.documents == 1
    for line, url in ((2, "git.corp.example/team/deploy//base?version=v2"),
                      (3, "git.corp.example/team/deploy//base?timeout=90&ref=v2"),
                      (4, "git.corp.example/team/deploy.git//k8s/base")):
        assert f"kustomization.yaml:{line}: remote resource {url} skipped" in record.reason


def test_malformed_kustomizations(tmp_path):
    write(tmp_path, {"a/kustomization.yaml": "- just\n- a list\n", "b/kustomization.yaml": "resources: [\n",
                     "c/kustomization.yaml": "resources:\n- x.yaml\nbogusField: 1\n",
                     "d/kustomization.yaml": "patches:\n- fix.yaml\n", "e/kustomization.yaml": "resources: 7\n"})
    result = lint(tmp_path)
    assert problems(result) == [("LT000", "b", 2), ("LT005", "a", 1), ("LT005", "c", 3), ("LT005", "d", 2),
                                ("LT005", "e", 1)]


def test_deep_overlay_chain_is_bounded(tmp_path, monkeypatch):
    files = {"l0/kustomization.yaml": "resources: [sa.yaml]\n", "l0/sa.yaml": SA.format(name="a")}
    for level in range(1, 12):
        files[f"l{level}/kustomization.yaml"] = f"resources: [../l{level - 1}]\n"
    write(tmp_path, files)
    monkeypatch.setattr("lintra.load.limits.MAX_KUSTOMIZE_DEPTH", 5)
    result = lint(tmp_path, "l11")
    assert problems(result) == [("LT002", "l11", 1)]
    assert "nest deeper than 5" in result.findings[0].message


def test_diamond_inclusion_is_bounded_by_reads(tmp_path, monkeypatch):
    """Each level includes the level below twice (through two directories), so a naive build does
    2**n work; kustomize refuses the duplicate ids, and the read budget stops the work first."""
    files = {"d0/kustomization.yaml": "resources: [sa.yaml]\n", "d0/sa.yaml": SA.format(name="a")}
    for level in range(1, 25):
        files[f"d{level}/kustomization.yaml"] = f"resources: [../d{level - 1}, ../e{level - 1}]\n"
        files[f"e{level - 1}/kustomization.yaml"] = f"resources: [../d{level - 1}]\n"
    write(tmp_path, files)
    monkeypatch.setattr("lintra.load.limits.MAX_KUSTOMIZE_READS", 200)
    result = lint(tmp_path, "d24")
    assert [f.rule.id for f in result.findings] in (["LT002"], ["LT005"])


def test_huge_generator_is_bounded(tmp_path):
    literals = "".join(f"  - K{i}=v\n" for i in range(limits.MAX_GENERATOR_ENTRIES + 1))
    write(tmp_path, {"g/kustomization.yaml": "configMapGenerator:\n- name: big\n  literals:\n" + literals})
    result = lint(tmp_path, "g")
    assert problems(result) == [("LT002", "g", 2)]
    assert f"more than {limits.MAX_GENERATOR_ENTRIES} entries" in result.findings[0].message


def test_hostile_regex_target_cannot_hang(tmp_path):
    """Target names are regular expressions from the scanned repository: they run on RE2 (linear)."""
    write(tmp_path, {"a/kustomization.yaml": 'resources: [sa.yaml]\npatches:\n- target: {name: "(a+)+$"}\n'
                                            '  patch: |-\n    - op: add\n      path: /x\n      value: 1\n',
                     "a/sa.yaml": SA.format(name="a" * 40 + "!")})
    result = lint(tmp_path, "a")
    assert result.findings == [] and result.files[0].status == "scanned"


def test_plugins_and_helm_charts_are_not_run(tmp_path):
    write(tmp_path, {"a/kustomization.yaml": """
        resources: [sa.yaml]
        transformers:
        - |-
          apiVersion: someteam.example.com/v1
          kind: ChartInflator
          metadata: {name: x}
        helmCharts:
        - name: app
          repo: https://charts.example.com
        """, "a/sa.yaml": SA.format(name="a")})
    result = lint(tmp_path, "a")
    reason = result.files[0].reason
    assert "is not a builtin and is not run (plugins run code)" in reason
    assert "kustomization.yaml:8: helm chart app is not in the repository" in reason and "does not pull" in reason


def test_transformers_directory_cycle(tmp_path):
    write(tmp_path, {"a/kustomization.yaml": "resources: [sa.yaml]\ntransformers:\n- .\n", "a/sa.yaml": SA.format(name="a")})
    result = lint(tmp_path, "a")
    assert problems(result) == [("LT005", "a", 3)] and "cycle" in result.findings[0].message


def test_component_cycles_are_reported_at_the_entry(tmp_path):
    write(tmp_path, {
        "app/kustomization.yaml": "resources: [sa.yaml]\ncomponents: [../c1]\n", "app/sa.yaml": SA.format(name="a"),
        "c1/kustomization.yaml": "kind: Component\ncomponents: [../c2]\n",
        "c2/kustomization.yaml": "kind: Component\ncomponents: [../c1]\n",
        "self/kustomization.yaml": "kind: Component\ncomponents: [.]\n",
        "user/kustomization.yaml": "resources: [../app/sa.yaml]\ncomponents: [../self]\n",
    })
    result = lint(tmp_path, "app", "user")
    assert problems(result) == [("LT005", "app", 2), ("LT005", "user", 2)]
    assert all("cycle" in f.message for f in result.findings)


def test_a_patch_targeting_everything_is_bounded_and_reported_once(tmp_path):
    """One patch that matches every object (an empty target, and a name regex matching all) adds a
    cloud annotation to each of 2,000 Services: one finding per place, at the patch's line."""
    services = "".join(f"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}\nspec:\n  type: LoadBalancer\n"
                       for i in range(2000))
    write(tmp_path, {"all/services.yaml": services, "all/kustomization.yaml": """
        resources: [services.yaml]
        patches:
        - target: {}
          patch: |-
            - op: add
              path: /metadata/annotations
              value:
                service.beta.kubernetes.io/aws-load-balancer-type: nlb
        - target: {name: ".*"}
          patch: |-
            apiVersion: v1
            kind: Service
            metadata:
              name: any
              labels: {patched: "yes"}
        """})
    result = lint(tmp_path, "all")
    placed = [(f.rule.id, os.path.relpath(f.file, str(tmp_path)), f.span.line) for f in result.findings]
    # LK202: service.beta.kubernetes.io/aws-load-balancer-* (AWS Load Balancer Controller annotations)
    assert placed == [("LK202", "all/kustomization.yaml", 8)]
    assert len(result.findings[0].related) == 1


def test_symlinks_escaping_or_looping_are_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "kustomization.yaml").write_text("resources: [sa.yaml]\n")
    (outside / "sa.yaml").write_text(SA.format(name="outside"))
    repo = write(tmp_path / "repo", {"escape/kustomization.yaml": "resources: [linked]\n",
                                     "loop/kustomization.yaml": "resources: [again]\n",
                                     "comp/kustomization.yaml": "components: [linked]\n"})
    os.symlink(str(outside), str(repo / "escape" / "linked"))  # a directory link leaving the repository
    os.symlink(".", str(repo / "loop" / "again"))  # a directory link back to itself
    os.symlink(str(outside), str(repo / "comp" / "linked"))
    result = run([str(repo / name / "kustomization.yaml") for name in ("escape", "loop", "comp")])
    assert problems(result) == [("LT005", "comp", 1), ("LT005", "escape", 1), ("LT005", "loop", 1)]
    messages = sorted(f.message for f in result.findings)
    assert "outside the repository" in messages[0] and "outside the repository" in messages[1]
    assert "cycle" in messages[2]
    assert not any("outside" in os.path.relpath(r.file, str(repo)).split(os.sep)[0] for r in result.files)


def test_a_var_referenced_everywhere_is_bounded(tmp_path, monkeypatch):
    """A long var value substituted inside many strings grows the build: the byte budget stops it."""
    monkeypatch.setattr("lintra.load.limits.MAX_KUSTOMIZE_BYTES", 1 << 20)
    value = "x" * 100_000
    args = ", ".join(['"-$(BIG)"'] * 50)
    write(tmp_path, {"v/kustomization.yaml": f"""
        resources: [pod.yaml]
        configMapGenerator:
        - name: big
          literals: [big={value}]
        vars:
        - name: BIG
          objref: {{kind: ConfigMap, name: big, apiVersion: v1}}
          fieldref: {{fieldpath: data.big}}
        """, "v/pod.yaml": f"""
        apiVersion: v1
        kind: Pod
        metadata: {{name: p}}
        spec:
          containers:
          - name: c
            image: busybox
            args: [{args}]
        """})
    result = lint(tmp_path, "v")
    assert problems(result) == [("LT002", "v", 6)]
    assert "the build reads more than" in result.findings[0].message


def test_an_openshift_parameter_referenced_everywhere_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr("lintra.load.limits.MAX_FILE_BYTES", 1 << 20)
    refs = ", ".join(['"${BIG}"'] * 200)
    text = ("apiVersion: template.openshift.io/v1\nkind: Template\nmetadata: {name: t}\nobjects:\n"
            "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data: {k: x}\n"
            f"  binaryData: {{}}\n  immutable: false\n  x: [{refs}]\n"
            f"parameters:\n- name: BIG\n  value: {'y' * 20_000}\n")
    (tmp_path / "t.yaml").write_text(text)
    result = run([str(tmp_path / "t.yaml")])
    # at BIG's value (line 14), where a user edits it, not at the file's first line
    assert [(f.rule.id, f.span.line, f.span.column) for f in result.findings] == [("LT002", 14, 10)]
    assert "not processed" in result.findings[0].message
    assert result.files[0].status == "error"


def test_transformer_configurations_are_bounded_across_bases(tmp_path, monkeypatch):
    """Each base brings its own field specs; what a build gathers stays bounded (and merging them
    stays linear), reported at the entry that brings the one too many."""
    monkeypatch.setattr("lintra.load.kustomize.fieldspecs._MAX_SPECS", 5)
    files = {}
    for i in range(4):
        specs = "".join(f"- path: spec/f{i}x{j}\n  kind: K\n" for j in range(2))
        files[f"b{i}/kustomization.yaml"] = "configurations: [c.yaml]\n"
        files[f"b{i}/c.yaml"] = "commonLabels:\n" + specs
    files["top/kustomization.yaml"] = "resources: [../b0, ../b1, ../b2, ../b3]\n"
    write(tmp_path, files)
    result = lint(tmp_path, "top")
    assert problems(result) == [("LT005", "top", 1)]
    assert "more than 5 field specs" in result.findings[0].message


def test_a_directory_with_two_kustomization_files_is_refused(tmp_path):
    # kustomize: "Found multiple kustomization files under: <dir>"; each file is reported at its
    # first line, and the overlay that includes the directory at its entry
    write(tmp_path, {"a/kustomization.yaml": "resources: [sa.yaml]\n", "a/Kustomization": "resources: []\n",
                     "a/sa.yaml": SA.format(name="a"), "b/kustomization.yaml": "namePrefix: b-\nresources:\n- ../a\n"})
    result = lint(tmp_path, "a/kustomization.yaml", "a/Kustomization", "b/kustomization.yaml")
    assert problems(result) == [("LT005", "a", 1), ("LT005", "a", 1), ("LT005", "b", 3)]
    messages = {f.message for f in result.findings if f.rule.id == "LT005"}
    assert all("found multiple kustomization files under" in message and "kustomization.yaml, Kustomization"
               in message for message in messages)
