"""One place, one finding: the run-level merge of the findings two readings of the same place give.

Two loaders read a place more than once, and both used to merge their own duplicates:

- A Kustomize base is read on its own and again by each overlay that builds it (its findings are
  :attr:`lintra.model.Finding.built`). Its coupling is reported once, at the base file, however
  many overlays include it, and not again when the base was also read directly. A built finding
  that lands where another finding already is joins it: when that one is itself built, it gains
  the other overlays as related locations; the first message stays.
- A Helm template is rendered once with the values in effect and again per explored branch, and
  one values line can feed several objects; so can an OpenShift Template's parameter or label
  (their spans are ``rendered``). Of the rendered findings at one place one is kept, the first
  that is not conditional when there is one.

Findings read once (plain manifests, Heat, vSphere) are never merged, even when a rule reports
the same place twice. A place is (rule, file, line, column). The merge runs once, over the whole
run, after the cross-object rules: a base and the overlays of other roots meet only there.
"""

from __future__ import annotations


from lintra.model import Finding

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Dict, Iterable, List, Set


def merge(findings: Iterable[Finding]) -> List[Finding]:
    findings = list(findings)
    if not any(finding.built or finding.span.rendered for finding in findings):
        return findings
    # what was read directly claims its place before anything an overlay built
    ordered = [finding for finding in findings if not finding.built] + [f for f in findings if f.built]
    holder: Dict[tuple, Finding] = {}  # the first finding at a place, that built ones join
    gathers: Set[int] = set()  # built findings kept: only those gather the other overlays' locations
    best: Dict[tuple, Finding] = {}  # the rendered finding kept at a place
    dropped: Set[int] = set()
    for finding in ordered:
        key = place(finding)
        held = holder.get(key)
        if finding.built and held is not None:
            dropped.add(id(finding))
            if id(held) in gathers:
                known = {(related.file, related.span.line) for related in held.related}
                extra = tuple(r for r in finding.related if (r.file, r.span.line) not in known)
                if extra:
                    held.related = tuple(held.related) + extra
            continue
        if held is None:
            holder[key] = finding
            if finding.built:
                gathers.add(id(finding))
        if not finding.span.rendered:
            continue
        kept = best.get(key)
        if kept is None:
            best[key] = finding
        elif kept.conditional and not finding.conditional:
            dropped.add(id(kept))
            best[key] = finding
        else:
            dropped.add(id(finding))
    return [finding for finding in ordered if id(finding) not in dropped]


def place(finding: Finding) -> tuple:
    return finding.rule.id, finding.file, finding.span.line, finding.span.column


__all__ = ["merge", "place"]
