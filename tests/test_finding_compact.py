"""A finding holds what its identity and anchor follow from, not their strings
(:meth:`lintra.Finding.derived`): a run holds every finding until its report, and those strings
were half of a finding's memory. What they read stays what they read."""

import os

import pytest

from lintra.check import identity
from lintra.check import object_name
from lintra.model import Finding, Rule, Span
from lintra.pipeline import run

from tests.conftest import SHARED

ROLE = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules:
  - apiGroups: ["cns.vmware.com"]
    resources: ["cnsvolumeoperationrequests"]
    verbs: ["get"]
"""


def test_an_anchor_or_identity_set_by_hand_is_what_it_was_set_to(lint):
    finding = next(f for f in lint(ROLE, "role.yaml").findings if f.rule.id == "LK126")
    finding.anchor = "somewhere#/else"
    finding.identity_parts = ("object", "/pointer", "value")
    assert (finding.anchor, finding.identity_parts, finding.identity_object) == (
        "somewhere#/else", ("object", "/pointer", "value"), "object")
    finding.anchor = None
    assert finding.anchor is None


def test_a_finding_made_directly_has_its_position_as_identity_and_no_anchor():
    rule = Rule("LK900", "test-rule", "a test rule", "aws", "network", "hard", "warning", ("k8s",), "why", "instead",
                check=lambda document, scan: ())
    finding = Finding(rule, "m", "f.yaml", Span(1, 1), document=2, pointer=("a", 0))
    assert (finding.identity_parts, finding.anchor) == (("#2", "/a/0", ""), None)


@pytest.mark.parametrize("tree", ["corpus/examples", "vsphere", "helm-kustomize"])
def test_identities_and_anchors_are_what_the_documents_say(tree, monkeypatch):
    """Each finding's identity parts and anchor, derived, against those made from its document
    while it is alive (lintra.check.identity.parts, lintra.check.object_name), on real trees."""
    path = os.path.join(SHARED, tree)
    if not os.path.isdir(path):
        pytest.skip(f"../shared/{tree} is absent (it sits beside the checkout in CI)")
    from lintra import check

    made = {}
    locate = check.locate

    def located(rule, doc, hit, last=None):
        finding = locate(rule, doc, hit, last)
        where = hit.document or doc
        name = object_name(where)
        made[id(finding)] = (finding, (where.source.name, where.index, where.base, where.kind), identity.parts(where, hit.pointer, where.get(hit.pointer)),
                             None if name is None else name + "#" + identity.normalised_pointer({}, ())
                             + "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in hit.pointer))
        return finding

    monkeypatch.setattr(check, "locate", located)
    run([path], jobs=1)
    assert len(made) > 20
    objects = {}
    for finding, where, parts, anchor in made.values():
        if not parts[0].startswith("\0template\0"):  # the run made those repository-relative
            assert finding.identity_parts == parts
            objects.setdefault(where, set()).add(id(finding.identity_object))
        assert finding.anchor == anchor
    # the findings of one document share one string for its object, not one a finding
    assert any(len(found) > 1 for found in made_by_document(made).values())
    assert all(len(strings) == 1 for strings in objects.values())


def made_by_document(made):
    documents = {}
    for finding, where, _, _ in made.values():
        documents.setdefault(where, []).append(finding)
    return documents


def test_records_share_their_kinds_also_when_they_come_from_a_worker():
    """A run holds one record per file (33k at 16 copies of the corpus): records of the same kinds
    share one tuple, also those unpickled from a worker's batches, which share its strings."""
    import pickle

    from lintra.model import FileRecord

    first = FileRecord("a.yaml", "scanned", ["k8s"], documents=1)
    second = FileRecord("b.yaml", "scanned", ("k8s",), documents=2)
    assert first.kinds is second.kinds
    back = pickle.loads(pickle.dumps([first, second]))
    assert [(r.file, r.status, r.kinds, r.reason, r.documents, r.notes) for r in back] == [
        ("a.yaml", "scanned", ("k8s",), None, 1, ()), ("b.yaml", "scanned", ("k8s",), None, 2, ())]
    assert back[0].kinds is first.kinds and back[0].status is first.status
