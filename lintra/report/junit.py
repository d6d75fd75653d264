"""JUnit XML for GitLab and Jenkins test reports: a testsuite per input family, a testcase per finding.

Families come from the document kind (``heat-env`` -> ``heat``) or the rule's kinds; reserved
rules (syntax, unreadable) land in ``lintra``. Suppressed findings are ``<skipped>`` with their
justification, so the report shows them without failing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import Any, Dict

FAMILIES = ("heat", "k8s", "vsphere")


def family(finding) -> str:
    for kind in ((finding.kind,) if finding.kind else ()) + tuple(finding.rule.kinds):
        head = kind.split("-")[0]
        if head in FAMILIES:
            return head
    return "lintra"


def to_element(result) -> ET.Element:
    suites = defaultdict(list)
    for finding in result.findings:
        suites[family(finding)].append(finding)
    root = ET.Element("testsuites", name="lintra")
    total = failures = 0
    for name in sorted(suites):
        findings = suites[name]
        failed = sum(1 for f in findings if not f.suppressed)
        suite = ET.SubElement(root, "testsuite", name=name, tests=str(len(findings)),
                              failures=str(failed), errors="0", skipped=str(len(findings) - failed))
        for f in findings:
            place = f"{f.file}:{f.span.line}:{f.span.column}"
            case = ET.SubElement(suite, "testcase", name=f"{f.rule.id} {place}", classname=f"lintra.{name}.{f.rule.id}",
                                 file=f.file, line=str(f.span.line))
            if f.suppressed:
                ET.SubElement(case, "skipped", message=f.suppression or "suppressed")
            else:
                failure = ET.SubElement(case, "failure", message=f.message, type=f.level.name)
                failure.text = f"{place}: {f.rule.id} {f.message}\nOpen alternative: {f.rule.remediation}"
        total += len(findings)
        failures += failed
    root.set("tests", str(total))
    root.set("failures", str(failures))
    return root


def write(result, stream, options: Dict[str, Any]) -> None:
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(to_element(result), encoding="unicode"))
    stream.write("\n")
