"""The JSON report is written one file and one finding at a time (lintra.report.json.write): the
same bytes as ``json.dump(to_dict(result), indent=2)``, without the dictionaries of a whole run
(and their escaped copies) alive at once."""

import io
import json
import os
import tracemalloc

import pytest

from lintra.escape import for_json
from lintra.filter import Judgement
from lintra.model import FileRecord, Finding, Related, Rule, Span
from lintra.pipeline import Result, run
from lintra.plugins import load_registry
from lintra.report import json as json_report

from tests.conftest import SHARED


def _whole(result):
    """What the writer wrote before it streamed: the whole report as one object."""
    out = io.StringIO()
    json.dump(for_json(json_report.to_dict(result)), out, indent=2)
    out.write("\n")
    return out.getvalue()


def _streamed(result):
    out = io.StringIO()
    json_report.write(result, out, {})
    return out.getvalue()


RULE = Rule("LK900", "test-rule", "a test rule", "aws", "network", "hard", "warning", ("k8s",),
            "why", "what to do instead", check=lambda document, scan: ())


def _finding(i, message="m"):
    finding = Finding(RULE, f"{message} {i}", f"dir/f{i}.yaml", Span(i + 1, 3, i + 1, 9), document=0,
                      pointer=("spec", "items", i, "name"), value=f"v{i}",
                      related=(Related("see there", "other.yaml", Span(2, 1)),) if i % 2 else ())
    finding.suppression = "lintra: ignore" if i % 3 == 0 else None
    finding.conditional = "if .Values.x" if i % 5 == 0 else None
    return finding


def _result(files, findings):
    return Result(files, findings, Judgement(), load_registry(), unreadable=False)


@pytest.mark.parametrize("files, findings", [
    ([], []),
    ([FileRecord("a.yaml", "skipped", reason="not an infrastructure document")], []),
    ([], [_finding(0)]),
    ([FileRecord("a\nb.yaml", "scanned", ("k8s", "heat"), documents=2, notes=("a note\nwith a line",))],
     [_finding(1, "line\nbreak \u2028 \udcff caf\u00e9 \"quoted\" \\ back\tslash")]),
])
def test_the_streamed_report_is_the_whole_report_byte_for_byte(files, findings):
    result = _result(files, findings)
    assert _streamed(result) == _whole(result)


@pytest.mark.parametrize("tree", ["corpus/examples", "vsphere", "helm-kustomize"])
def test_the_streamed_report_of_a_shared_tree_is_the_whole_report(tree):
    path = os.path.join(SHARED, tree)
    if not os.path.isdir(path):
        pytest.skip(f"../shared/{tree} is absent (it sits beside the checkout in CI)")
    result = run([path])
    assert result.findings and result.files
    assert _streamed(result) == _whole(result)


class _Discard:
    def write(self, text):
        return len(text)


def _peak_of_writing(count):
    result = _result([FileRecord(f"dir/f{i}.yaml", "scanned", ("k8s",), documents=1) for i in range(count)],
                     [_finding(i) for i in range(count)])
    result.summary()  # once before: what the summary imports and caches is not the writer's
    tracemalloc.start()
    try:
        json_report.write(result, _Discard(), {})
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_writing_four_times_the_files_and_findings_does_not_hold_more_per_item():
    """Whole, the report's objects grow with the run (about 1.5 KB a finding and its file, twice
    with the escaped copy); streamed, the writer holds one item at a time: 1,500 more files and
    findings may not cost it 64 bytes each."""
    _peak_of_writing(100)  # what the first write imports or caches is not the writer's
    small, large = _peak_of_writing(500), _peak_of_writing(2000)
    assert large - small < 64 * 1500
