"""The overlays of one base read the base's files again, and the plain scan of a directory that
holds a kustomization reads the files its build reads: each text is parsed once while it is
remembered (lintra/load/kustomize/files.py ``recall``/``remember``), every reader gets data of its
own, and the memory of the memo is bounded by the characters of text it remembers."""

import json

from lintra.cli import main as cli
from lintra.load import limits, yamltree
from lintra.load.kustomize import files
from click.testing import CliRunner

from tests.kustomize.helpers import built, by_name, origin, write

BASE = {
    "base/kustomization.yaml": "resources:\n- deployment.yaml\n",
    "base/deployment.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          template:
            spec:
              containers:
              - name: web
                image: nginx:1.25
        """,
    "one/kustomization.yaml": """
        resources:
        - ../base
        images:
        - name: nginx
          newName: 123456789012.dkr.ecr.us-east-1.amazonaws.com/nginx
        """,
    "two/kustomization.yaml": "resources:\n- ../base\nnamePrefix: two-\n",
}


def _counting(monkeypatch):
    texts = []  # every text libyaml parses (yamltree.parse reads through stream)
    stream = yamltree.stream

    def streamed(text):
        texts.append(text)
        return stream(text)

    monkeypatch.setattr(yamltree, "stream", streamed)
    monkeypatch.setattr(files, "_PARSED", files.OrderedDict())
    monkeypatch.setattr(files, "_PARSED_SIZE", [0])
    return texts


def test_overlays_of_one_base_parse_its_files_once_and_build_on_their_own(tmp_path, monkeypatch):
    root = write(tmp_path / "repo", BASE)
    texts = _counting(monkeypatch)
    one = built(root, "one")
    two = built(root, "two")
    again = built(root, "one")
    deployment = (root / "base" / "deployment.yaml").read_text()
    assert texts.count(deployment) == 1
    # the first overlay's image and the second's prefix do not reach each other's objects
    image = by_name(one, "Deployment", "web").data["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image == "123456789012.dkr.ecr.us-east-1.amazonaws.com/nginx:1.25"
    assert by_name(two, "Deployment", "two-web").data["spec"]["template"]["spec"]["containers"][0]["image"] == \
        "nginx:1.25"
    assert [doc.data for doc in again] == [doc.data for doc in one]
    # spans still land in the file that wrote the value: the base's line, the overlay's newName
    assert origin(root, by_name(two, "Deployment", "two-web"), "spec", "template", "spec", "containers", 0,
                  "name") == ("base/deployment.yaml", 9)
    assert origin(root, by_name(one, "Deployment", "web"), "spec", "template", "spec", "containers", 0,
                  "image") == ("one/kustomization.yaml", 5)


def test_a_changed_file_is_parsed_again(tmp_path, monkeypatch):
    root = write(tmp_path / "repo", BASE)
    texts = _counting(monkeypatch)
    built(root, "one")
    path = root / "base" / "deployment.yaml"
    path.write_text(path.read_text().replace("nginx:1.25", "nginx:1.26"))
    two = built(root, "two")
    assert texts.count(path.read_text()) == 1
    assert by_name(two, "Deployment", "two-web").data["spec"]["template"]["spec"]["containers"][0]["image"] == \
        "nginx:1.26"


def test_the_memo_forgets_the_oldest_texts_past_its_bound(tmp_path, monkeypatch):
    _counting(monkeypatch)
    monkeypatch.setattr(files, "PARSED_MEMO_CHARS", 4000)
    for i in range(40):
        files._parsed(f"a: {i}\n" + "b: text\n" * 100, "f.yaml")  # 800+ characters each
    assert files._PARSED_SIZE[0] == sum(len(key[0]) for key in files._PARSED) <= 4000
    assert len(files._PARSED) == 4
    files._parsed("x: " + "y" * 2000 + "\n", "big.yaml")  # over a quarter of the bound: not remembered
    assert len(files._PARSED) == 4


def test_a_stricter_limit_is_not_bypassed_by_a_remembered_parse(tmp_path, monkeypatch):
    _counting(monkeypatch)
    text = "a:\n  b:\n    c: [1]\n"
    files._parsed(text, "f.yaml")
    monkeypatch.setattr(limits, "MAX_DEPTH", 1)
    assert files.recall(text) is None  # remembered under other limits: parsed (and refused) again


def test_the_plain_scan_and_the_build_of_one_directory_parse_each_file_once(tmp_path, monkeypatch):
    root = write(tmp_path / "repo", {
        "app/kustomization.yaml": "resources:\n- deployment.yaml\n- service.yaml\nnamePrefix: p-\n",
        "app/deployment.yaml": BASE["base/deployment.yaml"],
        "app/service.yaml": """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              annotations:
                service.beta.kubernetes.io/aws-load-balancer-type: nlb
            spec:
              type: LoadBalancer
            """,
    })
    texts = _counting(monkeypatch)
    monkeypatch.setattr(files, "_PARSED", files.OrderedDict())
    result = CliRunner().invoke(cli, ["check", "--isolated", "--no-cache", "--jobs", "1", "-f", "json",
                                      str(root / "app")])
    report = json.loads(result.output)
    for name in ("deployment.yaml", "service.yaml"):  # before and after the kustomization in the scan
        assert texts.count((root / "app" / name).read_text()) == 1, name
    # the annotation is reported on the plain file and, merged, where the build read it: one place
    places = {(f["file"].rsplit("/", 1)[-1], f["line"]) for f in report["findings"]
              if f["rule_id"] == "LK602" or "load-balancer" in f["message"]}
    assert ("service.yaml", 6) in places
