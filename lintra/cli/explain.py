"""``lintra explain RULE``: a rule's documentation; ``lintra docs``: the same as Markdown pages."""

from __future__ import annotations

import os

import click

from lintra.cli.common import ConfigError, registry_or_exit


def _find(registry, wanted: str):
    for rule in registry.rules.values():
        if wanted.upper() == rule.id or wanted.lower() == rule.name.lower():
            return rule
    return None


@click.command()
@click.argument("rule")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
@click.option("--pack", "packs", multiple=True, metavar="PATH", help="Also know the rules of this policy pack.")
def explain(rule, fmt, packs):
    """Explain RULE (an id such as LK101 or a name such as k8s-vsphere-volume): what it flags, why it
    couples, a failing example and the open alternative, known problems, options, references."""
    from lintra.report import ruledoc

    registry = registry_or_exit(packs=list(packs))
    found = _find(registry, rule)
    if found is None:
        import difflib

        names = [r.id for r in registry.rules.values()] + [r.name for r in registry.rules.values()]
        close = difflib.get_close_matches(rule, names, n=3)
        raise ConfigError(f"no rule {rule!r}" + (f"; did you mean {', '.join(close)}?" if close else
                                                  "; `lintra rules` lists them"))
    click.echo(ruledoc.markdown(found) if fmt == "markdown" else ruledoc.text(found), nl=False)


@click.command()
@click.option("--output", "-o", default=os.path.join("docs", "rules"), show_default=True, metavar="DIR",
              type=click.Path(file_okay=False), help="Directory to write one page per built-in rule to.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a page is missing, stale or left over.")
def docs(output, check):
    """Generate docs/rules/<ID>.md from the built-in rules (what `lintra explain` prints)."""
    from lintra.report import ruledoc

    pages = ruledoc.pages(registry_or_exit().rules.values())
    existing = {name for name in os.listdir(output) if name.endswith(".md")} if os.path.isdir(output) else set()
    stale = sorted(name for name, content in pages.items()
                   if name not in existing or open(os.path.join(output, name), encoding="utf-8").read() != content)
    extra = sorted(existing - set(pages))
    if check:
        for name in stale:
            click.echo(f"{os.path.join(output, name)}: missing or stale")
        for name in extra:
            click.echo(f"{os.path.join(output, name)}: no such rule")
        raise SystemExit(1 if stale or extra else 0)
    os.makedirs(output, exist_ok=True)
    for name in stale:
        with open(os.path.join(output, name), "w", encoding="utf-8", newline="\n") as handle:
            handle.write(pages[name])
    for name in extra:
        os.remove(os.path.join(output, name))
    click.echo(f"{len(pages)} pages in {output}: {len(stale)} written, {len(extra)} removed")
