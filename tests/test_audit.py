"""``lintra audit``: the data model, the score formula, merge, compare, the REPOS.txt contract and
the three formats, on small trees whose expectations follow from the files, and on ../shared."""

import json
import os
import shutil
import subprocess
import sys

import jsonschema
import pytest
from click.testing import CliRunner

from lintra.audit import SCHEMA_PATH
from lintra.audit import units
from lintra.audit.analyse import score
from lintra.audit.render import MARKDOWN_LIMIT
from lintra.cli import main
from lintra.report.escape import markdown_cell
from tests.conftest import SHARED

# The Pod mounts a GCE persistent disk (LK301, hard: the volume exists only on GCP); the Service
# couples to nothing. Two objects, the worst coupling of one weighs 1: score 100 * (1 - 1/2) = 50.
POD = """apiVersion: v1
kind: Pod
metadata:
  name: "db|@team <script>alert(1)</script>"
spec:
  containers:
    - name: db
      image: mongo
  volumes:
    - name: data
      gcePersistentDisk:
        pdName: mongo-disk
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - port: 80
"""


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def schema():
    with open(SCHEMA_PATH, encoding="utf-8") as handle:
        return json.load(handle)


def volatile_free(document):
    """The document without the fields the schema names volatile."""
    data = json.loads(json.dumps(document))
    data.pop("generated")
    for record in data["repositories"]:
        record.pop("root")
    data["views"].get("trend", {}).pop("previous_generated", None)
    return data


def app(tmp_path, name="app", text=POD):
    root = tmp_path / name
    root.mkdir(parents=True)
    (root / "LICENSE").write_text("test\n")
    (root / "pod.yaml").write_text(text)
    return root


def audit_json(*args):
    result = invoke("audit", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    jsonschema.validate(document, schema())
    return document


def test_score_formula_over_objects_and_worst_coupling(tmp_path):
    document = audit_json(str(app(tmp_path)))
    summary = document["views"]["summary"]
    assert (summary["objects"], summary["findings"], summary["hard"], summary["score"]) == (2, 1, 1, 50.0)
    finding, = document["repositories"][0]["findings"]
    assert (finding["rule_id"], finding["file"], finding["line"], finding["object_type"]) == ("LK301", "pod.yaml",
                                                                                            11, "Pod")
    assert document["views"]["scores"]["layers"]["platform"]["score"] == 50.0
    assert document["views"]["scores"]["layers"]["vm"]["score"] is None  # no VM read: no score
    assert document["views"]["blockers"]["items"][0]["line"] == 11
    # the inventory groups by the service the rule declares, and totals its effort
    group, = document["views"]["inventory"]
    rule = document["rules"]["LK301"]
    assert rule["service"] and rule["effort"] is not None
    assert (group["grouped_by"], group["service"], group["effort"]) == ("service", rule["service"], rule["effort"])
    assert group["objects"] == {"Pod": 1}
    assert document["views"]["effort"]["repositories"]["app"] == {"effort": rule["effort"], "findings": 1,
                                                                  "unrated": 0}
    # hard coupling fails under every profile
    assert {name: document["views"]["profiles"][name]["failing"]
            for name in ("conservative", "balanced", "agile", "configured")} == dict.fromkeys(
        ("conservative", "balanced", "agile", "configured"), 1)


def test_score_edges():
    assert score(0, 0) is None
    assert score(4, 0) == 100.0
    assert score(4, 4) == 0.0
    assert score(5, 1 + 0.5 + 0.2) == 66.0


def test_heat_resources_are_the_objects_counted(tmp_path):
    root = tmp_path / "stack"
    root.mkdir()
    (root / "LICENSE").write_text("x\n")
    # three resources; the Contrail network is a vendor-only resource type on one of them
    (root / "stack.yaml").write_text("""heat_template_version: 2018-08-31
resources:
  net:
    type: OS::ContrailV2::VirtualNetwork
    properties: {name: n}
  port:
    type: OS::Neutron::Port
    properties: {network: n}
  server:
    type: OS::Nova::Server
    properties: {image: cirros, flavor: m1.small}
""")
    document = audit_json(str(root))
    objects = document["repositories"][0]["objects"]
    assert objects == [{"file": "stack.yaml", "layer": "iaas", "objects": 3}]
    findings = document["repositories"][0]["findings"]
    assert {f["object"] for f in findings} == {"stack.yaml#0/net"}
    worst = max({"hard": 1.0, "substrate": 0.5, "soft": 0.2}[f["strength"]] for f in findings)
    assert document["views"]["summary"]["score"] == round(100 * (1 - worst / 3), 1)


def test_baselined_findings_count_as_accepted_coupling(tmp_path):
    root = app(tmp_path)
    before = audit_json(str(root))
    result = invoke("baseline", "create", str(root), "--output", str(root / ".lintra-baseline.yaml"))
    assert result.exit_code == 0, result.output
    (root / ".lintra.yaml").write_text("baseline: .lintra-baseline.yaml\n")
    after = audit_json(str(root))
    finding, = after["repositories"][0]["findings"]
    assert finding["status"] == "baselined"
    assert after["views"]["summary"]["score"] == before["views"]["summary"]["score"] == 50.0
    assert after["views"]["summary"]["accepted"] == 1
    assert after["views"]["profiles"]["agile"]["failing"] == 0  # accepted: it fails nothing
    # check agrees: the baseline hides it there
    assert invoke("check", str(root)).exit_code == 0


def test_suppressed_and_sanctioned_are_accepted(tmp_path):
    text = POD.replace("      gcePersistentDisk:", "      gcePersistentDisk:  # lintra: ignore[LK301] legacy")
    document = audit_json(str(app(tmp_path, text=text)))
    assert [f["status"] for f in document["repositories"][0]["findings"]] == ["suppressed"]
    document = audit_json(str(app(tmp_path, "other")), "--sanction", "gcp")
    assert [f["status"] for f in document["repositories"][0]["findings"]] == ["sanctioned"]
    assert document["views"]["summary"]["score"] == 50.0


def test_each_repository_is_scanned_on_its_own_and_merge_equals_one_run(tmp_path):
    first, second = app(tmp_path / "estate", "first"), app(tmp_path / "estate", "second")
    (second / "pod.yaml").write_text(POD.split("---")[1])  # the Service only: portable
    whole = audit_json(str(tmp_path / "estate"))
    assert [r["name"] for r in whole["repositories"]] == ["first", "second"]
    parts = []
    for root in (second, first):
        out = tmp_path / f"{root.name}.json"
        assert invoke("audit", str(root), "--output", str(out)).exit_code == 0
        parts += ["--merge", str(out)]
    merged = audit_json(*parts)
    assert volatile_free(merged) == volatile_free(whole)
    assert [r["score"] for r in merged["views"]["scores"]["repositories"]] == [50.0, 100.0]
    assert merged["views"]["summary"]["score"] == round(100 * (1 - 1 / 3), 1)


def test_merge_reads_check_json_results(tmp_path):
    root = app(tmp_path)
    out = tmp_path / "check.json"
    invoke("check", str(root), "--format", "json", "--output", str(out))
    merged = audit_json("--merge", str(out))
    record, = merged["repositories"]
    assert record["name"] == "check" and record["objects"][0]["objects"] == 2
    assert [(f["rule_id"], f["line"], f["status"]) for f in record["findings"]] == [("LK301", 11, "open")]
    assert merged["views"]["summary"]["score"] == 50.0


def test_merge_refuses_other_json(tmp_path):
    other = tmp_path / "x.json"
    other.write_text('{"hello": 1}')
    result = invoke("audit", "--merge", str(other))
    assert result.exit_code == 2 and "not a lintra audit" in result.output


def test_compare_reports_new_fixed_and_unchanged(tmp_path):
    root = app(tmp_path)
    previous = tmp_path / "previous.json"
    assert invoke("audit", str(root), "-o", str(previous)).exit_code == 0
    # the GCE disk is replaced by an Azure disk: one fixed (gcp), one new (azure)
    (root / "pod.yaml").write_text(POD.replace("gcePersistentDisk:\n        pdName: mongo-disk",
                                               "azureDisk:\n        diskName: d\n        diskURI: u"))
    document = audit_json(str(root), "--compare", str(previous))
    trend = document["views"]["trend"]
    assert (trend["new"]["count"], trend["fixed"]["count"], trend["unchanged"]["count"]) == (1, 1, 0)
    assert trend["new"]["by_vendor"] == {"azure": 1} and trend["fixed"]["by_vendor"] == {"gcp": 1}
    assert trend["fixed"]["items"][0]["line"] == 11
    same = audit_json(str(root), "--compare", str(tmp_path / "previous.json"))
    assert same["views"]["trend"]["unchanged"]["count"] == 0  # compared with the old state still


@pytest.mark.parametrize("line", [
    "--upload-pack=touch /tmp/pwned",
    "-c core.sshCommand=evil",
    "ext::sh -c touch% /tmp/pwned",
    "http://example.com/repo.git",
    "git://example.com/repo.git",
    "ftp://example.com/repo.git",
    "git@example.com:org/repo.git",
    "fd::17",
    "https://example.com/repo.git --branch=x",
    "https://example.com/repo.git -b",
])
def test_repos_refuses_option_like_lines_and_other_schemes(line):
    with pytest.raises(units.RepositoryRefused):
        units.parse_line(line, "/")


def test_repos_accepts_https_ssh_file_urls_and_paths():
    assert units.parse_line("https://github.com/o/r.git v1.2", "/") == (None, "https://github.com/o/r.git", "v1.2")
    assert units.parse_line("ssh://git@host/o/r", "/")[1] == "ssh://git@host/o/r"
    assert units.parse_line("file:///srv/r", "/")[1] == "file:///srv/r"
    assert units.parse_line("repos/r", "/base") == ("/base/repos/r", None, None)


def test_refused_lines_are_reported_and_never_cloned(tmp_path, monkeypatch):
    calls = []
    real_run = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a) or real_run(*a, **k))
    repos = tmp_path / "repos.txt"
    repos.write_text("# estate\n--upload-pack=touch /tmp/pwned\next::sh -c id\nhttp://example.com/r.git\n")
    result = CliRunner().invoke(main, ["audit", "--repos", str(repos), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    jsonschema.validate(document, schema())
    assert [r["status"] for r in document["repositories"]] == ["refused"] * 3
    assert not [c for c in calls if "clone" in c[0]]
    assert "3 failed or refused" in result.stderr


def test_repos_clones_file_urls_into_a_removed_temporary_directory(tmp_path):
    root = app(tmp_path)
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@e", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@e")
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "x"]):
        subprocess.run(["git", "-C", str(root), *command], check=True, env=env)
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    repos = tmp_path / "repos.txt"
    repos.write_text(f"file://{root}\n")
    document = audit_json("--repos", str(repos))
    record, = document["repositories"]
    assert (record["name"], record["url"], record["commit"], record["status"]) == ("app", f"file://{root}", head,
                                                                                  "audited")
    assert not os.path.exists(record["root"])  # the clone is gone
    assert [f["line"] for f in record["findings"]] == [11]


def test_shard_parsing_and_partition(monkeypatch):
    assert units.parse_shard("2/5") == (2, 5)
    assert units.parse_shard("auto/3", {"JOB_COMPLETION_INDEX": "1"}) == (1, 3)
    for bad in ("5/5", "-1/2", "a/2", "1/0", "1"):
        with pytest.raises(ValueError):
            units.parse_shard(bad)
    with pytest.raises(ValueError):
        units.parse_shard("auto/3", {})
    lines = [f"repo-{i}" for i in range(100)]
    shards = [[line for line in lines if units.in_shard(line, i, 4)] for i in range(4)]
    assert sorted(sum(shards, [])) == sorted(lines) and all(shards)
    assert units.stable_hash("repo-1") == units.stable_hash(" repo-1 ")


def test_markdown_and_html_keep_scanned_values_inert(tmp_path):
    root = app(tmp_path)
    result = invoke("audit", str(root), "--format", "markdown")
    assert result.exit_code == 0
    text = result.stdout
    assert "<script>" not in text and "\\<script\\>" in text
    assert "@team" not in text and "@\u2060team" in text
    row = next(line for line in text.splitlines() if "LK301" in line and "pod.yaml" in line)
    assert row.count(" | ") + 2 == row.count("|") - row.count("\\|")  # the name's | is escaped
    html = tmp_path / "report.html"
    assert invoke("audit", str(root), "--output", str(html)).exit_code == 0  # format from the suffix
    page = html.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing fetched


def test_markdown_cells_defuse_issue_references_too():
    # the shared helper (lintra/report/escape.py) escapes markup and mentions; the audit's PR
    # comments must not link issues either
    assert markdown_cell("see #12 and GH-7, not #x") == "see \\#\u206012 and GH-\u20607, not \\#x"
    assert markdown_cell("a|b @team") == "a\\|b @\u2060team"


def test_markdown_stays_under_githubs_comment_limit(tmp_path):
    estate = tmp_path / "estate"
    for i in range(60):
        root = app(estate, f"repo-{i:02}")
        for j in range(20):
            (root / f"pod{j}.yaml").write_text(POD.replace("mongo-disk", f"disk-{j}"))
    text = invoke("audit", str(estate), "--format", "markdown").stdout
    assert len(text) < MARKDOWN_LIMIT
    assert "more not shown" in text


def test_real_subprocess(tmp_path):
    root = app(tmp_path)
    out = tmp_path / "a.md"
    proc = subprocess.run([sys.executable, "-m", "lintra", "audit", str(root), "-o", str(out)], capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, LANG="C.UTF-8"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # no progress bar when stderr is not a terminal
    assert "**Portability score: 50/100**" in out.read_text(encoding="utf-8")


@pytest.mark.corpus
def test_shared_corpus_and_vsphere_audit(tmp_path):
    corpus, vsphere = os.path.join(SHARED, "corpus"), os.path.join(SHARED, "vsphere")
    if not os.path.isdir(corpus) or not os.path.isdir(vsphere):
        pytest.skip("../shared is absent (it sits beside the checkout in CI)")
    whole = audit_json(corpus, vsphere)
    names = [r["name"] for r in whole["repositories"]]
    # the corpus's checkouts sit side by side (each with its LICENSE); the vSphere exports form one tree
    assert names == ["examples", "heat-templates", "tripleo-heat-templates", "vsphere", "vsphere-csi-driver"]
    views = whole["views"]
    assert {k for k, v in views["scores"]["layers"].items() if v["objects"]} == {"vm", "iaas", "platform"}
    assert views["vms"] and views["vms"][0]["blockers"] >= views["vms"][-1]["blockers"]
    # every finding of a per-repository `check` is in the audit, at the same place
    check = json.loads(invoke("check", os.path.join(corpus, "examples"), "--format", "json").stdout)
    record = whole["repositories"][0]
    assert sorted((os.path.relpath(f["file"], os.path.join(corpus, "examples")), f["line"], f["rule_id"])
                  for f in check["findings"]) == sorted((f["file"], f["line"], f["rule_id"]) for f in record["findings"])
    parts = []
    for path in [os.path.join(corpus, name) for name in sorted(os.listdir(corpus))] + [vsphere]:
        out = tmp_path / (os.path.basename(path) + ".json")
        assert invoke("audit", path, "-o", str(out)).exit_code == 0
        parts += ["--merge", str(out)]
    assert volatile_free(audit_json(*parts)) == volatile_free(whole)
    md_text = invoke("audit", "--merge", parts[1], "--format", "markdown").stdout
    assert len(md_text) < MARKDOWN_LIMIT and "## Dependency inventory" in md_text


PV = """apiVersion: v1
kind: PersistentVolume
metadata: {name: pv0001}
spec:
  capacity: {storage: 2Gi}
  vsphereVolume:
    volumePath: "[datastore1] volumes/myDisk"
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports: [{port: 80}]
"""


def test_kustomize_objects_count_once_per_identity_at_the_file_that_writes_them(tmp_path):
    root = tmp_path / "repo"
    (root / "base").mkdir(parents=True)
    (root / "LICENSE").write_text("x\n")
    (root / "base" / "deploy.yaml").write_text(PV)
    (root / "base" / "kustomization.yaml").write_text("resources:\n  - deploy.yaml\n")
    # the base is read on its own and rendered unchanged by its kustomization: two objects, not four
    document = audit_json(str(root))
    assert document["repositories"][0]["objects"] == [{"file": "base/deploy.yaml", "layer": "platform",
                                                        "objects": 2}]
    # check reports the coupling on its own and as built by the kustomization: one object either way
    findings = document["repositories"][0]["findings"]
    assert {(f["file"], f["line"], f["object"]) for f in findings} == {
        ("base/deploy.yaml", 6, "base/deploy.yaml#v1/PersistentVolume//pv0001")}
    assert document["views"]["summary"]["score"] == 50.0
    # an overlay that renames them deploys two more objects
    (root / "overlay").mkdir()
    (root / "overlay" / "kustomization.yaml").write_text("resources:\n  - ../base\nnamePrefix: prod-\n")
    assert audit_json(str(root))["views"]["summary"]["objects"] == 4


@pytest.mark.skipif(not shutil.which("script"), reason="util-linux `script` (a pseudo-terminal) is not installed")
def test_progress_bar_only_on_a_terminal(tmp_path):
    first, second = app(tmp_path / "estate", "first"), app(tmp_path / "estate", "second")
    command = f"{sys.executable} -m lintra audit {first} {second} -o {tmp_path / 'a.md'}"
    on_tty = subprocess.run(["script", "-qec", command, "/dev/null"], capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, LANG="C.UTF-8"))
    assert on_tty.returncode == 0, on_tty.stdout
    assert "auditing" in on_tty.stdout and "100%" in on_tty.stdout
    off_tty = subprocess.run(command.split(), capture_output=True, text=True, timeout=120)
    assert off_tty.returncode == 0 and off_tty.stderr == "" and off_tty.stdout == ""


def test_head_commit_read_from_git_metadata_agrees_with_git(tmp_path):
    root = app(tmp_path)
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@e", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@e")
    subprocess.run(["sh", "-c", "git init -q && git add -A && git commit -qm x"], cwd=root, env=env, check=True)
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert units.git_state(str(root)) == (head, False)  # a loose ref, a clean tree
    subprocess.run(["git", "-C", str(root), "pack-refs", "--all"], check=True)
    assert units._head(str(root)) == head  # a packed ref
    (root / "pod.yaml").write_text(POD.replace("mongo-disk", "other"))
    assert units.git_state(str(root)) == (head, True)  # dirty: the cache keys on the tree digest too
    os.remove(root / ".git" / "HEAD")
    os.mkfifo(root / ".git" / "HEAD")  # a hostile checkout: never blocks, git is asked instead
    assert units._head(str(root)) is None


@pytest.mark.corpus
def test_stack_view_highlights_a_vendor_at_several_layers(tmp_path):
    vmx = os.path.join(SHARED, "vsphere", "vmx", "test-i-vmx-7.vmx")
    if not os.path.isfile(vmx):
        pytest.skip("../shared/vsphere is absent (it sits beside the checkout in CI)")
    root = tmp_path / "stack"
    root.mkdir()
    (root / "LICENSE").write_text("x\n")
    (root / "pv.yaml").write_text(PV)  # a vSphere volume in Kubernetes (platform layer) ...
    shutil.copy(vmx, root / "node.vmx")  # ... on a VM with a VMXNET3 adapter (LV111, VM layer)
    document = audit_json(str(root))
    row, = document["views"]["stack"]
    assert row["locked_at_several_layers"] == [{"vendor": "vmware", "layers": ["vm", "platform"]}]
    assert [v["vendor"] for v in row["layers"]["vm"]] == ["vmware"]
    vm, = document["views"]["vms"]
    assert vm["rules"] == ["LV111"] and vm["blockers"] == 0


ORG_PACK = """pack: {name: example-org, version: 1, description: Images from our mirror only}
rules:
  - id: ORG001
    name: image-outside-registry
    title: Image pulled from outside registry.example.org
    vendor: other
    category: image
    strength: soft
    severity: warning
    kinds: [k8s]
    rationale: Images must come from our mirror.
    remediation: Mirror the image into registry.example.org.
    match:
      path: "@containers.image"
      type: string
      not: {startswith: registry.example.org/}
    message: "{kind} '{name}' runs image {value} from outside registry.example.org"
"""


def test_a_rule_without_a_service_is_grouped_under_its_title_labelled(tmp_path):
    root = app(tmp_path)
    (tmp_path / "org.yaml").write_text(ORG_PACK)
    document = audit_json(str(root), "--pack", str(tmp_path / "org.yaml"), "--select", "ORG001")
    group, = document["views"]["inventory"]
    assert (group["grouped_by"], group["service"], group["objects"]) == (
        "rule", "Image pulled from outside registry.example.org", {"Pod": 1})
    assert document["views"]["effort"]["repositories"]["app"]["unrated"] == 1
    assert "by rule" in invoke("audit", str(root), "--pack", str(tmp_path / "org.yaml"), "--select", "ORG001",
                               "--format", "markdown").stdout
