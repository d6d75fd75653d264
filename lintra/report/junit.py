"""JUnit XML for GitLab and Jenkins test reports: a testsuite per input family, a testcase per
(file, rule), and a passing testcase per scanned file.

Test history (Jenkins' trends, GitLab's "recently failed") keys on testcase names, so names hold
no line or column: ``LK101 k8s/pv.yaml`` stays the same test when lines move, and each finding's
place is in the case's text. Every scanned file is a passing testcase (``k8s/pv.yaml`` in
``lintra.k8s.files``), so a clean run is a green suite and never ``<testsuites tests="0"/>``, which
Jenkins' junit step rejects by default.

Families come from the document kind (``heat-env`` -> ``heat``) or the rule's kinds; reserved
rules (syntax, unreadable) land in ``lintra``. Both consumers count a ``<failure>`` as a failed
test, so a (file, rule) case fails only when one of its findings fails the run
(:func:`lintra.filter.failing`: the ``fail_on`` of the judgement for its file): a report that
exits 0 shows no failed test. A case whose findings do not fail (below the threshold, or on
sanctioned vendors) passes and carries them in ``<system-out>``, which Jenkins shows on the
test's page. A case whose findings are all suppressed is ``<skipped>`` with the justification.
Where lintra itself could not run (a file it cannot read, a reader or rule that crashed:
:data:`lintra.check.reserved.COULD_NOT_RUN`) no test failed, one could not run: that case is an
``<error>``, counted in ``errors``, as JUnit consumers (GitLab, Jenkins) tell the two apart. A
syntax error or a limit is a verdict on the file, a ``<failure>`` like a finding.
GitLab links ``file`` from the repository root, so paths are relative to it
(:mod:`lintra.report.paths`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from lintra.check.reserved import COULD_NOT_RUN
from lintra.filter import failing
from lintra.report import cell
from lintra.report.escape import xml_tree
from lintra.report.paths import ci_path

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, Optional

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


def _file_family(record) -> str:
    for kind in record.kinds:
        head = kind.split("-")[0]
        if head in FAMILIES:
            return head
    return "lintra"


def to_element(result, root: Optional[str] = None) -> ET.Element:
    fails = {id(f) for f in failing(result.findings, result.judgement)}  # each file's fail_on, as the exit code
    groups: Dict = defaultdict(list)  # (family, file, rule id) -> findings, in report order
    for finding in result.findings:
        groups[(family(finding), ci_path(finding.file, root), finding.rule.id)].append(finding)
    suites: Dict[str, list] = defaultdict(list)  # family -> [(testcase element, failed, skipped, erred)]
    for (name, file, rule_id), findings in groups.items():
        case = ET.Element("testcase", name=f"{rule_id} {file}", classname=f"lintra.{name}.{rule_id}",
                          file=file, line=str(findings[0].span.line))
        failed = [f for f in findings if id(f) in fails]
        text = "\n".join(describe(f, f"{file}:{f.span.line}:{f.span.column}{cell(f.span)}") for f in findings)
        erred = rule_id in COULD_NOT_RUN and not all(f.suppressed for f in findings)
        if erred:
            error = ET.SubElement(case, "error", message=findings[0].message if len(findings) == 1
                                  else f"{len(findings)} findings of {rule_id}", type=rule_id)
            error.text = text
            failed = []
        elif failed:
            failure = ET.SubElement(case, "failure", message=failed[0].message
                                    if len(failed) == 1 else f"{len(failed)} findings of {rule_id}",
                                    type=failed[0].level.name)
            failure.text = text
        elif all(f.suppressed for f in findings):
            ET.SubElement(case, "skipped", message="; ".join(dict.fromkeys(f.suppression or "suppressed"
                                                                            for f in findings)))
        else:
            ET.SubElement(case, "system-out").text = text
        suites[name].append((case, bool(failed), not failed and not erred and all(f.suppressed for f in findings),
                             erred))
    for record in result.files:
        if record.status != "scanned":
            continue
        file = ci_path(record.file, root)
        name = _file_family(record)
        case = ET.Element("testcase", name=file, classname=f"lintra.{name}.files", file=file)
        ET.SubElement(case, "system-out").text = (f"scanned: {record.documents} document(s)"
                                                  f" ({', '.join(record.kinds) or 'no kind'})")
        suites[name].append((case, False, False, False))
    report = ET.Element("testsuites", name="lintra")
    total = failures = errors = 0
    for name in sorted(suites):
        cases = suites[name]
        failed = sum(1 for _, f, _, _ in cases if f)
        skipped = sum(1 for _, _, s, _ in cases if s)
        erred = sum(1 for _, _, _, e in cases if e)
        suite = ET.SubElement(report, "testsuite", name=name, tests=str(len(cases)),
                              failures=str(failed), errors=str(erred), skipped=str(skipped))
        suite.extend(case for case, _, _, _ in cases)
        total += len(cases)
        failures += failed
        errors += erred
    report.set("tests", str(total))
    report.set("failures", str(failures))
    report.set("errors", str(errors))
    return report


def write(result, stream, options: Dict[str, Any]) -> None:
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    report = to_element(result, options.get("root"))
    xml_tree(report)
    stream.write(ET.tostring(report, encoding="unicode"))
    stream.write("\n")
