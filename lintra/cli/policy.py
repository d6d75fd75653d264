"""``lintra policy``: check policy packs before they are used.

``validate`` holds packs to the pack JSON Schema and compiles their selectors (exit 2 when one is
invalid); ``test`` runs every rule's inline examples (exit 1 when one misbehaves). Both accept
pack files and directories of packs, as ``lintra check --pack`` does.
"""

from __future__ import annotations

import json
import sys

import click

from lintra.cli.common import registry_or_exit
from lintra.load import yamltree
from lintra.policy import PackError, rules_from_pack
from lintra.policy.examples import example_results
from lintra.policy.pack import pack_files, pack_warnings

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import List, Tuple

PACKS = click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))


@click.group()
def policy() -> None:
    """Validate and test declarative policy packs."""


@policy.command()
@PACKS
def validate(paths) -> None:
    """Check that each pack meets the pack schema and that its selectors compile.

    A rule whose severity contradicts its coupling strength is a warning (the exit status stays 0)."""
    invalid = 0
    for file, rules, problems in _compile(paths):
        if problems:
            invalid += 1
            for problem in problems:
                click.echo(problem)
        else:
            for warning in pack_warnings(file, rules):
                click.echo(warning)
            click.echo(f"{file}: ok ({_plural(len(rules), 'rule')})")
    sys.exit(2 if invalid else 0)


@policy.command()
@PACKS
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def test(paths, fmt) -> None:
    """Run each rule's inline examples: fail examples must be flagged, pass examples not."""
    registry = registry_or_exit()
    reports, invalid = [], []
    for file, rules, problems in _compile(paths):
        if problems:
            invalid.extend(problems)
            continue
        locator = _locator(file)
        for position, rule in enumerate(rules):
            reports.append(_test_rule(file, position, rule, locator, registry))
    failed = [r for r in reports if r["status"] != "ok"]
    if fmt == "json":
        click.echo(json.dumps({"rules": reports, "invalid": invalid}, indent=2))
    else:
        for problem in invalid:
            click.echo(problem)
        for report in reports:
            _echo(report)
    sys.exit(2 if invalid else 1 if failed else 0)


def _test_rule(file: str, position: int, rule, locator, registry) -> dict:
    """One rule's example results: ``status`` ok or failed, and each misbehaving example."""
    examples = rule.examples or {}
    report = {"file": file, "rule": rule.id, "status": "ok", "fail_examples": len(examples.get("fail") or ()),
              "pass_examples": len(examples.get("pass") or ()), "problems": []}
    if not report["fail_examples"] or not report["pass_examples"]:
        report.update(status="failed", problems=[{"problem": "needs at least one fail and one pass example"}])
        return report
    for result in example_results(rule, registry.loaders, registry.detectors, registry.resolvers):
        if not result.ok:
            line = locator.span(("rules", position, "examples", result.expect, result.index)).line
            report["status"] = "failed"
            report["problems"].append({"expect": result.expect, "example": result.index + 1, "line": line,
                                       "filename": result.filename, "problem": result.problem,
                                       "content": result.content})
    return report


def _echo(report: dict) -> None:
    file, rule = report["file"], report["rule"]
    if report["status"] == "ok":
        click.echo(f"{file} {rule} ok ({report['fail_examples']} fail, {report['pass_examples']} pass examples)")
        return
    if "line" not in report["problems"][0]:
        click.echo(f"{file} {rule} FAILED: {report['problems'][0]['problem']}")
        return
    click.echo(f"{file} {rule} FAILED")
    for problem in report["problems"]:
        click.echo(f"  {file}:{problem['line']}: {problem['expect']} example {problem['example']} "
                   f"({problem['filename']}): {problem['problem']}")
        for text in problem["content"].splitlines() or [""]:
            click.echo(f"    | {text}")


def _compile(paths) -> List[Tuple[str, list, List[str]]]:
    """(file, rules, problems) per pack file under ``paths``; rules are validated against the schema."""
    out = []
    for path in paths:
        files = pack_files(path)
        if not files:
            out.append((path, [], [f"{path}: no .yaml or .yml policy packs here"]))
        for file in files:
            try:
                out.append((file, rules_from_pack(file), []))
            except PackError as error:
                out.append((file, [], error.problems))
    return out


def _locator(file: str):
    with open(file, encoding="utf-8") as handle:
        return yamltree.parse(handle.read())[0][1]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
