"""A rule's documentation in ruff's structure, for ``lintra explain`` and ``docs/rules/<ID>.md``.

Everything comes from the rule object (its title, rationale, remediation, examples, references,
and whatever options it declares), so a new rule, parameter or example only needs
``lintra docs --output docs/rules`` to be documented; tests/test_rule_docs.py fails when the pages
are stale.
"""

from __future__ import annotations

import json
import os

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Iterable, List, Optional

#: where the project lives; SARIF, GitLab and GitHub outputs link rule pages below it
PROJECT_URL = "https://github.com/lintra/lintra"
RULE_DOCS_URL = PROJECT_URL + "/blob/main/docs/rules/"

_FENCES = {".json": "json", ".vmx": "ini", ".ovf": "xml", ".csv": "csv"}


def is_builtin(rule) -> bool:
    """Rules lintra ships (its Python rules and the packs in ``policies/``): the ones with a page."""
    from lintra.resources import policies_dir

    if rule.origin.startswith("lintra."):
        return True
    pack = rule.origin.split(" (pack ", 1)[0]
    return os.path.dirname(os.path.abspath(pack)) == os.path.abspath(policies_dir())


def help_uri(rule) -> Optional[str]:
    """The rule's page for a built-in rule; else the rule's first reference, or None."""
    if is_builtin(rule):
        return f"{RULE_DOCS_URL}{rule.id}.md"
    return rule.references[0] if rule.references else None


def _origin(rule) -> str:
    if rule.origin.startswith("lintra."):
        return f"Python rule `{rule.origin}`"
    pack, _, name = rule.origin.partition(" (pack ")
    return f"policy pack `{name.rstrip(')')}` (`policies/{os.path.basename(pack)}`)" if name else rule.origin


def _examples(rule, expect: str) -> List[tuple]:
    """[(file name or None, content)] of the rule's ``fail`` or ``pass`` examples."""
    out = []
    for example in (rule.examples or {}).get(expect) or ():
        if isinstance(example, dict):
            out.append((example.get("filename"), str(example.get("content", ""))))
        else:
            out.append((None, str(example)))
    return out


def _options(rule) -> List[str]:
    """The rule's own parameters, whatever shape a rule declares them in (``params`` mapping)."""
    params: Any = getattr(rule, "params", None) or {}
    lines = []
    for name, spec in (params.items() if isinstance(params, dict) else ()):
        if isinstance(spec, dict):
            description = " ".join(str(spec.get("description", "")).split())
            kind = f"{spec['type']}, " if spec.get("type") else ""
            default = f"default `{json.dumps(spec['default'])}`" if "default" in spec else ""
            lines.append(f"- `{name}` ({kind}{default}): {description}".rstrip(": "))
        else:
            lines.append(f"- `{name}` (default: `{spec}`)")
    return lines


def _known_problems(rule) -> str:
    return str(getattr(rule, "known_problems", "") or "").strip()


def sections(rule) -> List[tuple]:
    """[(heading, [paragraph or ("code", file name, text)])] in ruff's order."""
    facts = (f"Vendor `{rule.vendor}`, category `{rule.category}`, coupling strength `{rule.strength}`, "
             f"default severity `{rule.severity.name}`; checks {', '.join(f'`{k}`' for k in rule.kinds)} "
             f"documents; defined by {_origin(rule)}.")
    if rule.service:
        facts += f" Proprietary service: {rule.service}."
    if rule.effort is not None:
        facts += f" Migration effort: {rule.effort}."
    flags = [rule.title + ".", facts]
    why = [" ".join(rule.rationale.split())] if rule.rationale else ["(The rule states no rationale.)"]
    example = [("code", name, text) for name, text in _examples(rule, "fail")] or [
        "No failing example is recorded with this rule."]
    instead = [" ".join(rule.remediation.split())] if rule.remediation else []
    instead += [("code", name, text) for name, text in _examples(rule, "pass")]
    problems = [_known_problems(rule) or "None recorded."]
    options = _options(rule) + ([
        f"Set a parameter in `.lintra.yaml`: `rules: {{{rule.id}: {{params: {{NAME: VALUE}}}}}}` (a list or "
        "mapping replaces the default; `rules: {\"*\": {params: ...}}` sets it for every rule declaring it)."]
        if _options(rule) else []) + [
        f"Select or ignore the rule by id (`{rule.id}`), name (`{rule.name}`), vendor or category "
        f"(`--select`, `--ignore`, `select:`/`ignore:`); set its level with `severity: {{{rule.id}: warning}}`; "
        f"suppress one finding with `# lintra: ignore[{rule.id}] reason` or `# lintra: ignore[{rule.name}] reason`."]
    references = [f"- <{ref}>" for ref in rule.references] or ["None."]
    return [("What it does", flags), ("Why is this bad?", why), ("Example", example),
            ("Use instead", instead or ["(The rule names no open alternative.)"]),
            ("Known problems", problems), ("Options", ["\n".join(options)]), ("References", ["\n".join(references)])]


def markdown(rule) -> str:
    out = [f"# {rule.id} {rule.name}", ""]
    for heading, parts in sections(rule):
        out += [f"## {heading}", ""]
        for part in parts:
            if isinstance(part, tuple):
                _, name, text = part
                fence = _FENCES.get(os.path.splitext(name or "")[1], "yaml")
                out += ([f"`{name}`:", ""] if name else []) + [f"```{fence}", text.rstrip("\n"), "```", ""]
            else:
                out += [part, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def text(rule) -> str:
    """The same content for a terminal: headings underlined, code indented."""
    out = [f"{rule.id} {rule.name}", "=" * len(f"{rule.id} {rule.name}"), ""]
    for heading, parts in sections(rule):
        out += [heading, "-" * len(heading)]
        for part in parts:
            if isinstance(part, tuple):
                _, name, code = part
                out += ([f"{name}:"] if name else []) + ["    " + line for line in code.rstrip("\n").splitlines()]
            else:
                out += [part]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def index(rules: Iterable) -> str:
    rows = ["# lintra rules", "", "Generated by `lintra docs --output docs/rules`; do not edit by hand.", "",
            "| id | name | vendor | category | strength | severity |", "|---|---|---|---|---|---|"]
    for rule in rules:
        rows.append(f"| [{rule.id}]({rule.id}.md) | {rule.name} | {rule.vendor} | {rule.category} | "
                    f"{rule.strength} | {rule.severity.name} |")
    return "\n".join(rows) + "\n"


def pages(rules: Iterable) -> dict:
    """{file name: content} for a docs/rules directory: one page per built-in rule and an index."""
    chosen = sorted((r for r in rules if is_builtin(r)), key=lambda r: r.id)
    out = {f"{rule.id}.md": markdown(rule) for rule in chosen}
    out["README.md"] = index(chosen)
    return out
