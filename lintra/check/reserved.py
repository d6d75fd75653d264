"""Rule ids lintra reserves for its own diagnostics. They are listed by ``lintra rules`` and can be
selected or ignored like any rule, but they name no vendor: they say a file could not be judged."""

from lintra.model import Rule


def _no_check(document, scan):
    return ()


def _reserved(id: str, name: str, title: str, rationale: str, remediation: str,
              severity: str = "error") -> Rule:
    return Rule(id=id, name=name, title=title, vendor="lintra", category="lintra", strength="-",
                severity=severity, kinds=(), rationale=rationale, remediation=remediation,
                check=_no_check, origin=__name__)


SYNTAX_ERROR = _reserved(
    "LT000", "syntax-error", "File does not parse",
    "A file lintra reads (YAML, JSON, XML, vmx) has a syntax error, so nothing in it can be judged.",
    "Fix the syntax at the reported position; if the file is a template, lint its rendered output.")
UNREADABLE = _reserved(
    "LT001", "unreadable-file", "File cannot be read as text",
    "The file could not be opened or is not valid UTF-8/UTF-16 text.",
    "Check permissions and the file's encoding (save it as UTF-8).")
LIMIT_EXCEEDED = _reserved(
    "LT002", "input-limit-exceeded", "File exceeds a safety limit",
    "The file is larger, nests deeper or expands more aliases/entities than lintra reads safely, or "
    "references more nested templates than a run reads; such input is usually generated or hostile "
    "(an alias or entity bomb).",
    "Split or simplify the file, or exclude it if it is generated.")
UNUSED_SUPPRESSION = _reserved(
    "LT003", "unused-suppression", "Suppression that matches no finding",
    "A lintra: ignore comment or lintra.io/ignore annotation suppresses nothing: the coupling it "
    "accepted is gone or the rule id is wrong, and a stale suppression would hide future coupling.",
    "Remove the suppression, or correct its rule id.", severity="warning")
INVALID_SUPPRESSION = _reserved(
    "LT004", "invalid-suppression", "Suppression the profile does not allow",
    "The strictness profile requires a reason on every suppression, or marks the suppressed rule "
    "non-suppressible (a file that could not be read was never judged; hiding that hides all of it).",
    "Add the reason after the rule list (# lintra: ignore[LK101] storage is vSphere until Q3), or fix "
    "the finding instead of suppressing it.")
UNBUILDABLE = _reserved(
    "LT005", "kustomization-not-built", "Kustomization cannot be built",
    "A Kustomize root names a file or directory that does not exist, includes itself, leaves the "
    "repository, or holds a field or patch kustomize refuses, so its overlay objects were not judged "
    "(the files it names are still checked on their own).",
    "Fix the entry at the reported line; run `kustomize build` on the directory to see the same error.")
INTERNAL_ERROR = _reserved(
    "LT900", "internal-error", "A rule crashed on this document",
    "A rule raised an exception; its result for this document is unknown. Other rules and files "
    "were still checked.",
    "Report the message and the file to the rule's author (the rule's origin is in the message).")

#: the diagnostics that say lintra itself could not run on a file (it could not read it, or a
#: reader or rule crashed), as opposed to a verdict on what the file holds (a syntax error, a limit)
COULD_NOT_RUN = frozenset({UNREADABLE.id, INTERNAL_ERROR.id})

RESERVED = (SYNTAX_ERROR, UNREADABLE, LIMIT_EXCEEDED, UNUSED_SUPPRESSION, INVALID_SUPPRESSION, UNBUILDABLE,
            INTERNAL_ERROR)
BY_ID = {rule.id: rule for rule in RESERVED}
