"""``lintra check``: lint paths (or ``-`` for standard input) and gate CI by exit code."""

from __future__ import annotations

import sys

import click

from lintra.cli import outputs
from lintra.cli.common import ConfigError, baseline_or_exit, registry_or_exit, settings_or_exit, split_list
from lintra.discover import PathNotFound
from lintra.discover.changes import ChangesError, on_changed_lines, select_paths
from lintra.discover.changes import changed_since as changed_since_
from lintra.model import Level
from lintra.pipeline import run

LEVELS = click.Choice([level.name for level in Level], case_sensitive=False)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "-f", "fmt", multiple=True,
              help="Output format: text, json, sarif, junit, github, gitlab, or one a plugin adds (repeatable; "
                   "default text, or github when GITHUB_ACTIONS=true).")
@click.option("--output", "-o", multiple=True, metavar="FILE",
              help="Write the N-th --format to FILE (repeatable); a format without one goes to standard output.")
@click.option("--force-exclude", is_flag=True,
              help="Apply --exclude also to files named explicitly (as pre-commit passes them).")
@click.option("--changed-since", metavar="REF",
              help="Only files changed since git REF (working tree included) plus untracked ones.")
@click.option("--new-only", is_flag=True,
              help="With --changed-since: report only findings on changed lines (all of a new file).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip paths matching GLOB (repeatable).")
@click.option("--select", multiple=True, metavar="SEL",
              help="Only rules matching SEL: id or id prefix, rule name, vendor or category (repeatable, comma-separated).")
@click.option("--ignore", multiple=True, metavar="SEL", help="Skip rules matching SEL (same forms as --select).")
@click.option("--fail-on", type=LEVELS, default=None,
              help="Lowest level that makes the exit code 1 (default: the profile's, error for the built-in ones).")
@click.option("--profile", "-p", metavar="NAME",
              help="Strictness profile: conservative, balanced (default), agile, or one the configuration defines.")
@click.option("--sanction", multiple=True, metavar="VENDOR",
              help="Accept coupling to VENDOR: its findings drop to info (repeatable, comma-separated).")
@click.option("--hide-sanctioned", is_flag=True, help="Leave findings on sanctioned vendors out entirely.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Configuration file to use instead of the .lintra.yaml / pyproject.toml found upward.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Report only findings not accepted by this baseline (default: the configuration's 'baseline').")
@click.option("--no-baseline", is_flag=True, help="Ignore the configured baseline: report every finding.")
@click.option("--isolated", is_flag=True, help="Read no configuration file.")
@click.option("--allow-local-plugins", is_flag=True,
              help="Run the Python plugin files the project's configuration names (they run code).")
@click.option("--heat-env", "-e", "heat_env", multiple=True, type=click.Path(exists=True, dir_okay=False),
              metavar="ENV", help="Heat environment file applied to every template, as `openstack stack create -e` "
                                  "(repeatable, later files win); it is checked too.")
@click.option("--heat-env-auto", is_flag=True,
              help="Also resolve Heat parameters and resource_registry aliases from every environment file of "
                   "the template's own repository.")
@click.option("--stdin-filename", default="-", metavar="NAME",
              help="Name to report for standard input (its suffix picks the reader).")
@click.option("--verbose", "-v", is_flag=True, help="Also list skipped files and suppressed findings.")
@click.option("--sarif-include-suppressed", is_flag=True,
              help="SARIF: keep suppressed findings, marked with their justification.")
@click.option("--color/--no-color", default=None, help="Colour text output (default: when on a terminal).")
@click.option("--pack", "packs", multiple=True, metavar="PATH",
              help="Also run the rules of this policy pack file or directory of packs (repeatable).")
def check(paths, fmt, output, force_exclude, changed_since, new_only, exclude, select, ignore, fail_on, profile,
          sanction, hide_sanctioned, config_file, baseline_file, no_baseline, isolated, allow_local_plugins, heat_env,
          heat_env_auto, stdin_filename, verbose,
          sarif_include_suppressed, color, packs):
    """Check PATHS (files, directories, or - for standard input) for vendor coupling."""
    settings = settings_or_exit(paths, config_file, isolated, {
        "select": (split_list(select), "--select"), "ignore": (split_list(ignore), "--ignore"),
        "fail_on": (fail_on, "--fail-on"), "profile": (profile, "--profile"),
        "sanctioned_vendors": ([v.lower() for v in split_list(sanction)], "--sanction"),
        "hide_sanctioned": (hide_sanctioned, "--hide-sanctioned"), "exclude": (list(exclude), "--exclude"),
        "baseline": (baseline_file, "--baseline"), "packs": (list(packs), "--pack")})
    if allow_local_plugins:
        settings.trust_local_plugins()
    registry = registry_or_exit(**settings.registry_options())
    pairs = outputs.pair(fmt, output, registry.formats)
    judgement = settings.judgement()
    baseline = None if no_baseline else baseline_or_exit(settings["baseline"])
    changes = None
    if changed_since:
        try:
            changes = changed_since_(changed_since)
        except ChangesError as error:
            raise ConfigError(str(error)) from None
        suffixes = {suffix for loader in registry.loaders for suffix in loader.suffixes}
        paths, force_exclude = select_paths(changes, paths, suffixes), True
    elif new_only:
        raise ConfigError("--new-only needs --changed-since REF")
    elif not paths:
        paths = ["."]
    if heat_env:  # Heat refuses a file that is not an environment; so does lintra
        from lintra.rules.heat.environments import not_an_environment

        for env in heat_env:
            problem = not_an_environment(env, registry.loaders, registry.detectors)
            if problem:
                raise ConfigError(f"-e {problem}")
    paths = list(paths) + [env for env in heat_env if env not in paths]
    try:
        result = run(paths, judgement, exclude=settings["exclude"], registry=registry, stdin_name=stdin_filename,
                     options={"force_exclude": force_exclude, "heat_env": heat_env, "heat_env_auto": heat_env_auto},
                     baseline=baseline)
    except PathNotFound as missing:
        raise ConfigError(f"no such file or directory: {missing}") from None
    if new_only:
        result.findings = on_changed_lines(result.findings, changes)
    options = {"color": sys.stdout.isatty() if color is None else color, "verbose": verbose,
               "include_suppressed": sarif_include_suppressed}
    outputs.write_all(pairs, result, sys.stdout, options)
    sys.exit(result.exit_code)
