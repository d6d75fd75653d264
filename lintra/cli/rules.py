"""``lintra rules``: every known rule with its vendor, category and title."""

from __future__ import annotations

import json

import click

from lintra.cli.common import ISOLATED_HELP, ConfigError, registry_or_exit, settings_or_exit


def rule_dict(rule) -> dict:
    return {"id": rule.id, "name": rule.name, "title": rule.title, "vendor": rule.vendor,
            "category": rule.category, "strength": rule.strength, "severity": rule.severity.name,
            "kinds": list(rule.kinds), "rationale": rule.rationale, "remediation": rule.remediation,
            "references": list(rule.references), "origin": rule.origin,
            # added keys: per-match attribution, the audit's inventory and effort, parameters
            "vendors": list(rule.vendors), "service": rule.service, "services": list(rule.services),
            "effort": rule.effort, "effort_reason": rule.effort_reason, "params": {name: dict(spec) for name, spec in rule.params.items()}}


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--profile", "-p", metavar="NAME",
              help="Show what each rule becomes under this profile (its level, or 'off').")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Configuration file to apply (default: the one found upward from here).")
@click.option("--isolated", is_flag=True, help=ISOLATED_HELP)
@click.option("--pack", "packs", multiple=True, metavar="PATH",
              help="Also list the rules of this policy pack file or directory of packs (repeatable).")
@click.argument("selectors", nargs=-1)
def rules(fmt, profile, config_file, packs, selectors, isolated):
    """List rules (all, or those matching SELECTORS: id prefix, name, vendor or category).

    The LEVEL column is the rule's level under the effective configuration and profile
    ("sanctioned": reported as info, for a vendor the configuration sanctions; "off": not run)."""
    from lintra.check.params import configured_values, declared_vendors
    from lintra.filter import matches

    settings = settings_or_exit(["."], config_file, isolated, flags={"profile": (profile, "--profile"),
                                                           "packs": (list(packs), "--pack")})
    registry = registry_or_exit(**settings.registry_options())
    judgement = settings.judgement()
    configured = settings.rule_params()

    def selected(rule, selector: str) -> bool:
        # a vendor selector lists every rule whose findings may name that vendor: LK601 under
        # ``vmware`` (Photon PD), or a rule a vendor_map parameter extends with the vendor
        return matches(rule, selector) or selector.strip().lower() in declared_vendors(rule, configured)

    chosen = [r for r in sorted(registry.rules.values(), key=lambda r: r.id)
              if not selectors or any(selected(r, s) for s in selectors)]
    unmatched = [s for s in selectors if not any(selected(r, s) for r in registry.rules.values())]
    if unmatched:
        raise ConfigError(f"{', '.join(repr(s) for s in unmatched)} matches no rule "
                          "(an id or id prefix, a rule name, a vendor or a category)")
    if fmt == "json":
        click.echo(json.dumps([dict(rule_dict(r), profile=judgement.profile.name, level=_level(judgement, r),
                                    vendors=list(declared_vendors(r, configured)),
                                    params={name: dict(spec, value=value)
                                            for (name, spec), value in zip(r.params.items(),
                                                                           configured_values(r, configured).values())})
                               for r in chosen], indent=2))
        return
    for rule in chosen:
        click.echo(f"{rule.id:<7} {rule.vendor:<9} {rule.category:<11} {rule.strength:<10} "
                   f"{_level(judgement, rule):<10} {rule.name}: {rule.title}")


def _level(judgement, rule) -> str:
    level = judgement.level(rule)
    if level is None:
        return "off"
    return "sanctioned" if rule.vendor in judgement.sanctioned else level.name
