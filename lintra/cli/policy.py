"""``lintra policy``: check policy packs before they are used.

``validate`` holds packs to the pack JSON Schema and compiles their selectors (exit 2 when one is
invalid); ``test`` runs every rule's inline examples (exit 1 when one misbehaves). Both accept
pack files and directories of packs, as ``lintra check --pack`` does.
"""

from __future__ import annotations

import sys
from typing import List, Tuple

import click

from lintra.cli.common import registry_or_exit
from lintra.load import yamltree
from lintra.policy import PackError, rules_from_pack
from lintra.policy.examples import example_results
from lintra.policy.pack import pack_files

PACKS = click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))


@click.group()
def policy() -> None:
    """Validate and test declarative policy packs."""


@policy.command()
@PACKS
def validate(paths) -> None:
    """Check that each pack meets the pack schema and that its selectors compile."""
    invalid = 0
    for file, rules, problems in _compile(paths):
        if problems:
            invalid += 1
            for problem in problems:
                click.echo(problem)
        else:
            click.echo(f"{file}: ok ({_plural(len(rules), 'rule')})")
    sys.exit(2 if invalid else 0)


@policy.command()
@PACKS
def test(paths) -> None:
    """Run each rule's inline examples: fail examples must be flagged, pass examples not."""
    registry = registry_or_exit()
    failed = invalid = 0
    for file, rules, problems in _compile(paths):
        if problems:
            invalid += 1
            for problem in problems:
                click.echo(problem)
            continue
        locator = _locator(file)
        for position, rule in enumerate(rules):
            examples = rule.examples or {}
            if not examples.get("fail") or not examples.get("pass"):
                failed += 1
                click.echo(f"{file} {rule.id} FAILED: needs at least one fail and one pass example")
                continue
            results = example_results(rule, registry.loaders, registry.detectors, registry.resolvers)
            bad = [r for r in results if not r.ok]
            if not bad:
                click.echo(f"{file} {rule.id} ok ({len(examples['fail'])} fail, {len(examples['pass'])} pass examples)")
                continue
            failed += 1
            click.echo(f"{file} {rule.id} FAILED")
            for result in bad:
                line = locator.span(("rules", position, "examples", result.expect, result.index)).line
                click.echo(f"  {file}:{line}: {result.expect} example {result.index + 1} "
                           f"({result.filename}): {result.problem}")
                for text in result.content.splitlines() or [""]:
                    click.echo(f"    | {text}")
    sys.exit(2 if invalid else 1 if failed else 0)


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
