"""JUnit XML for GitLab and Jenkins test reports: a testsuite per input family, a testcase per finding.

Families come from the document kind (``heat-env`` -> ``heat``) or the rule's kinds; reserved
rules (syntax, unreadable) land in ``lintra``. Both consumers count a ``<failure>`` as a failed
test, so only findings that fail the run (:func:`lintra.filter.failing`: the ``fail_on`` of the
judgement for their file) are failures: a report that exits 0 shows no failed test. The others
(below the threshold, or on sanctioned vendors) are passing testcases that carry the finding in
``<system-out>``, which Jenkins shows on the test's page (GitLab shows the testcase name, which
holds rule and place, but reads ``<system-out>`` of failures only). Suppressed findings are
``<skipped>`` with their justification. GitLab links ``file`` from the repository root, so paths
are relative to it (:mod:`lintra.report.paths`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import Any, Dict, Optional

from lintra.filter import failing
from lintra.report.escape import xml_tree
from lintra.report.paths import ci_path

FAMILIES = ("heat", "k8s", "vsphere")


def family(finding) -> str:
    for kind in ((finding.kind,) if finding.kind else ()) + tuple(finding.rule.kinds):
        head = kind.split("-")[0]
        if head in FAMILIES:
            return head
    return "lintra"


def describe(finding, place: str) -> str:
    sanctioned = f" (sanctioned vendor {finding.vendor})" if finding.sanctioned else ""
    return (f"{place}: {finding.level.name} {finding.rule.id} {finding.message}{sanctioned}\n"
            f"Open alternative: {finding.rule.remediation}")


def to_element(result, root: Optional[str] = None) -> ET.Element:
    suites = defaultdict(list)
    for finding in result.findings:
        suites[family(finding)].append(finding)
    fails = {id(f) for f in failing(result.findings, result.judgement)}  # each file's fail_on, as the exit code
    report = ET.Element("testsuites", name="lintra")
    total = failures = 0
    for name in sorted(suites):
        findings = suites[name]
        failed = sum(1 for f in findings if id(f) in fails)
        skipped = sum(1 for f in findings if f.suppressed)
        suite = ET.SubElement(report, "testsuite", name=name, tests=str(len(findings)),
                              failures=str(failed), errors="0", skipped=str(skipped))
        for f in findings:
            file = ci_path(f.file, root)
            place = f"{file}:{f.span.line}:{f.span.column}"
            case = ET.SubElement(suite, "testcase", name=f"{f.rule.id} {place}", classname=f"lintra.{name}.{f.rule.id}",
                                 file=file, line=str(f.span.line))
            if f.suppressed:
                ET.SubElement(case, "skipped", message=f.suppression or "suppressed")
            elif id(f) in fails:
                failure = ET.SubElement(case, "failure", message=f.message, type=f.level.name)
                failure.text = describe(f, place)
            else:
                ET.SubElement(case, "system-out").text = describe(f, place)
        total += len(findings)
        failures += failed
    report.set("tests", str(total))
    report.set("failures", str(failures))
    return report


def write(result, stream, options: Dict[str, Any]) -> None:
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    report = to_element(result, options.get("root"))
    xml_tree(report)
    stream.write(ET.tostring(report, encoding="unicode"))
    stream.write("\n")
