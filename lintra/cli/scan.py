"""What every scanning command shares (``check``, ``baseline create|prune``): the options that
decide what is scanned and how it is judged, and the run they set up. A baseline made with the
same options as the check that reads it matches that check's findings.

click is imported only by :func:`scan_options` (when a command is declared), so the click-free
``lintra check`` path (lintra/cli/entry.py) can run a :class:`ScanSetup` without it."""

from __future__ import annotations

import os

from lintra.cli.common import (ISOLATED_HELP, LIMIT_HELP, config_error, limit_flags, registry_or_exit, settings_or_exit,
                               split_list)
from lintra.discover import PathNotFound
from lintra.pipeline import Result, run

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Optional, Sequence


def _options(scan_cache: bool = True) -> list:
    import click

    options = [
        click.option("--exclude", multiple=True, metavar="GLOB", help="Skip paths matching GLOB (repeatable)."),
        click.option("--force-exclude", is_flag=True,
                     help="Apply --exclude also to files named explicitly (as pre-commit passes them)."),
        click.option("--select", multiple=True, metavar="SEL",
                     help="Only rules matching SEL: id or id prefix, rule name, vendor or category "
                          "(repeatable, comma-separated)."),
        click.option("--ignore", multiple=True, metavar="SEL", help="Skip rules matching SEL (same forms as --select)."),
        click.option("--profile", "-p", metavar="NAME",
                     help="Strictness profile: conservative, balanced (default), agile, or one the configuration defines."),
        click.option("--sanction", multiple=True, metavar="VENDOR",
                     help="Accept coupling to VENDOR: its findings drop to info (repeatable, comma-separated)."),
        click.option("--pack", "packs", multiple=True, metavar="PATH",
                     help="Also run the rules of this policy pack file or directory of packs (repeatable)."),
        click.option("--heat-env", "-e", "heat_env", multiple=True, type=click.Path(exists=True, dir_okay=False),
                     metavar="ENV", help="Heat environment file applied to every template, as `openstack stack create -e` "
                                         "(repeatable, later files win); it is checked too."),
        click.option("--heat-env-auto", is_flag=True,
                     help="Also resolve Heat parameters and resource_registry aliases from every environment file of "
                          "the template's own repository."),
        click.option("--helm-values", "helm_values", multiple=True, type=click.Path(exists=True, dir_okay=False),
                     metavar="FILE", help="Helm values file applied to every chart, as `helm template -f` (repeatable, "
                                          "later files win); findings its values cause point into it."),
        click.option("--helm-set", "helm_set", multiple=True, metavar="KEY=VALUE",
                     help="Helm value as `helm template --set` writes it (a.b=x, a.b[0]=x, a\\.b=x, comma lists; "
                          "repeatable)."),
        click.option("--helm-set-string", "helm_set_string", multiple=True, metavar="KEY=VALUE",
                     help="Like --helm-set, but every value stays a string (`helm template --set-string`)."),
        click.option("--config", "config_file", type=click.Path(dir_okay=False), metavar="FILE",
                     help="Configuration file to use instead of the .lintra.yaml / pyproject.toml found upward."),
        click.option("--isolated", is_flag=True, help=ISOLATED_HELP),
        click.option("--allow-local-plugins", is_flag=True,
                     help="Run the Python plugin files the project's configuration names (they run code)."),
        click.option("--stdin-filename", default="-", metavar="NAME",
                     help="Name to report for standard input (its suffix picks the reader)."),
        click.option("--limit", "limits", multiple=True, metavar="NAME=VALUE", help=LIMIT_HELP),
        click.option("--no-cache", is_flag=True,
                     help="Read every context file afresh instead of from the cache of what earlier runs kept of it "
                          "(README \"Cache\"; `lintra cache clear` empties it)."),
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
                     help="Processes that load and check files: this one and N-1 forked workers (default: the CPUs "
                          "this process may use; 1: this one only). Runs of fewer than 96 files stay in one "
                          "process; the output is the same."),
    ]
    if scan_cache:
        options.append(click.option(
            "--cache", "cache_scans", is_flag=True,
            help="Also reuse each unchanged checked file's outcome from the persistent cache (repeated "
                 "full scans on one machine; a first run pays for writing it: README \"Cache\")."))
    return options


def scan_options(command: Callable) -> Callable:
    for option in reversed(_options()):
        command = option(command)
    return command


def audit_scan_options(command: Callable) -> Callable:
    """:func:`scan_options` without ``--cache``: an audit summarises each file's live documents, so
    it never reads map outcomes back, and its own ``--cache DIR`` keeps whole audited records."""
    for option in reversed(_options(scan_cache=False)):
        command = option(command)
    return command


class ScanSetup:
    """Settings, plugins and judgement for one scan, ready to run over paths."""

    __slots__ = ("settings", "registry", "judgement", "options")

    def __init__(self, paths: Sequence[str], options: Dict[str, Any], extra_flags: Optional[Dict[str, Any]] = None,
                 registries: Optional[Dict[str, Any]] = None):
        """``registries`` (one dict per command) keeps each distinct plugin set loaded once when
        one command scans many repositories (``audit``)."""
        self.options = options
        flags = {
            "select": (split_list(options["select"]), "--select"), "ignore": (split_list(options["ignore"]), "--ignore"),
            "profile": (options["profile"], "--profile"),
            "sanctioned_vendors": ([v.lower() for v in split_list(options["sanction"])], "--sanction"),
            "exclude": (list(options["exclude"]), "--exclude"), "packs": (list(options["packs"]), "--pack"),
            "limits": (limit_flags(options.get("limits") or ()), "--limit"),
            **(extra_flags or {})}
        self.settings = settings_or_exit(paths, options["config_file"], options["isolated"], flags)
        if options["allow_local_plugins"]:
            self.settings.trust_local_plugins()
        registry_options = self.settings.registry_options()
        from lintra.load import limits

        with limits.applied(self.settings["limits"]):  # packs compile their regexes within the run's RE2 budget
            if registries is None:
                self.registry = registry_or_exit(**registry_options)
            else:
                key = repr(sorted(registry_options.items()) + sorted(self.settings["limits"].items()))
                if key not in registries:
                    registries[key] = registry_or_exit(**registry_options)
                self.registry = registries[key]
        if not self.registry.loaders:  # every file would be skipped and the run would pass
            raise config_error("no plugin provides a loader, so no file can be read"
                              + ("; LINTRA_PLUGINS leaves out lintra.loaders" if "LINTRA_PLUGINS" in os.environ else ""))
        unknown = self.settings.unknown_selectors(self.registry.rules.values())
        unknown += self.settings.param_problems(self.registry.rules.values())
        if unknown:
            raise config_error("\n".join(unknown))
        if options["heat_env"]:  # Heat refuses a file that is not an environment; so does lintra
            from lintra.load.heat_environment import not_an_environment

            for env in options["heat_env"]:
                problem = not_an_environment(env, self.registry.loaders, self.registry.detectors)
                if problem:
                    raise config_error(f"-e {problem}")
        self.judgement = self.settings.judgement()

    def helm_options(self):
        values, sets, strings = (self.options.get(key) or () for key in ("helm_values", "helm_set", "helm_set_string"))
        if not (values or sets or strings):
            return None  # the chart loader's defaults; importing the Helm package costs a small run dearly
        from lintra.load.helm import HelmOptions, values_file_problem

        for path in values:  # helm template -f refuses a file it cannot apply; so does lintra
            problem = values_file_problem(path)
            if problem:
                raise config_error(f"--helm-values {problem}")
        for expression in (*sets, *strings):
            if "=" not in expression:
                raise config_error(f"--helm-set {expression}: expected KEY=VALUE")
        # helm applies -f files, then --set, then --set-string: later wins
        return HelmOptions(values, [(e, False) for e in sets] + [(e, True) for e in strings])

    def run(self, paths: Sequence[str], force_exclude: bool = False, baseline=None, observe=None,
            context: Sequence[str] = ()) -> Result:
        heat_env = self.options["heat_env"]
        paths = list(paths) + [env for env in heat_env if env not in paths]
        try:
            return run(paths, self.judgement, exclude=self.settings["exclude"], registry=self.registry,
                       stdin_name=self.options["stdin_filename"], baseline=baseline, jobs=self.options["jobs"],
                       observe=observe,
                       context=context,
                       options={"force_exclude": force_exclude or self.options["force_exclude"],
                                "heat_env": heat_env, "heat_env_auto": self.options["heat_env_auto"],
                                "helm": self.helm_options(), "rule_params": self.settings.rule_params(),
                                "limits": self.settings["limits"], "cache": not self.options.get("no_cache"),
                                "cache_scans": bool(self.options.get("cache_scans")) and not self.options.get("no_cache")})
        except PathNotFound as missing:
            raise config_error(f"no such file or directory: {missing}") from None
