"""Name resolution's distances (lintra.rules.k8s.nearest) are remembered per working directory:
a relative file name means another directory once the process changes its directory."""

import os

from lintra.model import Document, Source
from lintra.rules.k8s.nearest import distance


def _doc(name):
    return Document(Source(name, name), 0, "k8s", {"kind": "ServiceAccount", "metadata": {"name": "a"}}, None)


def test_distances_follow_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / "app" / "deep").mkdir(parents=True)
    referrer, candidate = _doc("deep/pod.yaml"), _doc("../app/sa.yaml")
    monkeypatch.chdir(tmp_path / "app")
    assert distance(referrer, candidate) == (2, 1)  # app/deep below app: an ancestor, one level up
    monkeypatch.chdir(tmp_path)
    assert distance(referrer, candidate) is None  # tmp/deep and the sibling app: out of scope
    assert distance(referrer, _doc("deep/sa.yaml")) == (1, 0)
    assert distance(referrer, _doc("deep/pod.yaml")) == (0, 0)
    assert distance(_doc(os.path.join(str(tmp_path), "deep", "x", "p.yaml")), _doc("sa.yaml")) == (2, 2)
