"""Checkstyle XML, the format reviewdog (``-f=checkstyle``) and Jenkins Warnings read.

One ``<file>`` per input with findings, one ``<error>`` per unsuppressed finding; the rule id goes
in ``source`` so those tools can group by rule.
"""

import xml.etree.ElementTree as ET
from collections import defaultdict


def write_checkstyle(result, stream, options):
    by_file = defaultdict(list)
    for finding in result.findings:
        if not finding.suppressed:
            by_file[finding.file].append(finding)
    root = ET.Element("checkstyle", version="4.3")
    for name in sorted(by_file):
        element = ET.SubElement(root, "file", name=name)
        for finding in by_file[name]:
            ET.SubElement(element, "error", line=str(finding.span.line), column=str(finding.span.column),
                          severity=finding.level.name, message=finding.message,
                          source=f"lintra.{finding.rule.id}")
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
