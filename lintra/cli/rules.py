"""``lintra rules``: every known rule with its vendor, category and title."""

from __future__ import annotations

import json

import click

from lintra.cli.common import registry_or_exit


def rule_dict(rule) -> dict:
    return {"id": rule.id, "name": rule.name, "title": rule.title, "vendor": rule.vendor,
            "category": rule.category, "strength": rule.strength, "severity": rule.severity.name,
            "kinds": list(rule.kinds), "rationale": rule.rationale, "remediation": rule.remediation,
            "references": list(rule.references), "origin": rule.origin}


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.argument("selectors", nargs=-1)
def rules(fmt, selectors):
    """List rules (all, or those matching SELECTORS: id prefix, name, vendor or category)."""
    from lintra.filter import matches

    registry = registry_or_exit()
    chosen = [r for r in sorted(registry.rules.values(), key=lambda r: r.id)
              if not selectors or any(matches(r, s) for s in selectors)]
    if fmt == "json":
        click.echo(json.dumps([rule_dict(r) for r in chosen], indent=2))
        return
    for rule in chosen:
        click.echo(f"{rule.id:<7} {rule.vendor:<9} {rule.category:<11} {rule.strength:<10} "
                   f"{rule.severity.name:<8} {rule.name}: {rule.title}")
