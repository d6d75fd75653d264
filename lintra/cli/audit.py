"""``lintra audit``: an estate report (score, layers, inventory, blockers, profiles, trend) from
the same scan as ``check``, one repository at a time; merged, compared, sharded and cached."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import click

from lintra.cli.common import ConfigError, baseline_or_exit
from lintra.cli.scan import ScanSetup, audit_scan_options

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

FORMATS = ("html", "markdown", "json")
SUFFIXES = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown", ".json": "json"}


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS),
              help="Report format (default: from the --output suffix, else markdown).")
@click.option("--output", "-o", metavar="FILE", help="Write the report to FILE (default: standard output).")
@click.option("--merge", "merges", multiple=True, type=click.Path(exists=True, dir_okay=False), metavar="RESULT.json",
              help="Include this audit JSON or `lintra check --format json` result (repeatable).")
@click.option("--compare", "previous_file", type=click.Path(exists=True, dir_okay=False), metavar="PREVIOUS.json",
              help="Report new, fixed and unchanged findings since this earlier audit JSON.")
@click.option("--repos", "repos_file", type=click.Path(exists=True, dir_okay=False), metavar="REPOS.txt",
              help="Audit the repositories listed here, one local path or 'URL [REF]' a line "
                   "(https, ssh and file URLs are cloned shallow into a temporary directory).")
@click.option("--shard", metavar="I/N",
              help="With --repos: only the lines whose stable hash mod N is I (0-based); auto/N reads "
                   "JOB_COMPLETION_INDEX.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Reuse the record of a repository already audited at the same commit (or tree), lintra "
                   "version and ruleset.")
@click.option("--no-baseline", is_flag=True, help="Ignore configured baselines (their findings count as open).")
@audit_scan_options
def audit(paths, fmt, output, merges, previous_file, repos_file, shard, cache_dir, no_baseline, **options):
    """Audit PATHS (and --repos, --merge results) for an estate report: each repository is scanned
    on its own, as `lintra check` would scan it."""
    from lintra.audit import ResultError, document, read
    from lintra.audit import units as units_

    fmt = fmt or SUFFIXES.get(os.path.splitext(output or "")[1].lower()) or "markdown"
    if shard and not repos_file:
        raise ConfigError("--shard needs --repos")
    if not (paths or merges or repos_file):
        paths = (".",)
    jobs: List[Any] = [("unit", unit) for unit in units_.from_paths(paths)] if paths else []
    if repos_file:
        index, count = 0, 1
        if shard:
            try:
                index, count = units_.parse_shard(shard)
            except ValueError as error:
                raise ConfigError(str(error)) from None
        base = os.path.dirname(os.path.abspath(repos_file))
        jobs += [("line", (line, base)) for line in units_.read_lines(repos_file)
                 if units_.in_shard(line, index, count)]
    records: List[Dict[str, Any]] = []
    rules: Dict[str, Any] = {}
    registry = None
    if merges or previous_file:
        registry = ScanSetup([], options).registry
    for path in merges:
        try:
            found, cited, _ = read(path, registry)
        except ResultError as error:
            raise ConfigError(str(error)) from None
        records.extend(found)
        rules.update(cited)
    previous = None
    if previous_file:
        try:
            previous = read(previous_file, registry)[2]
        except ResultError as error:
            raise ConfigError(str(error)) from None
    auditor = _Auditor(options, no_baseline, cache_dir)
    if jobs and sys.stderr.isatty():
        with click.progressbar(jobs, label="auditing", file=sys.stderr, item_show_func=_job_name) as bar:
            for job in bar:
                auditor.audit(job, records, rules)
    else:
        for job in jobs:
            auditor.audit(job, records, rules)
    report = document(records, rules, previous)
    if repos_file or cache_dir:
        click.echo(f"lintra audit: {auditor.audited} audited, {auditor.cached} from cache, "
                   f"{auditor.failed} failed or refused", err=True)
    _write(report, fmt, output)
    sys.exit(2 if auditor.failed else 0)


def _job_name(job) -> str:
    if job is None:
        return ""
    return job[1].name if job[0] == "unit" else job[1][0]


def _write(report: Dict[str, Any], fmt: str, output: Optional[str]) -> None:
    from lintra.audit import render

    writer = {"html": render.html, "markdown": render.markdown, "json": render.json_text}[fmt]
    text = writer(report)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        with open(output, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as error:
        raise ConfigError(f"cannot write {output}: {error.strerror}") from None


class _Auditor:
    """Audits one repository at a time: scan set-up (its own configuration), cache, record."""

    def __init__(self, options: Dict[str, Any], no_baseline: bool, cache_dir: Optional[str]) -> None:
        from lintra import __version__

        self.options = options
        self.no_baseline = no_baseline
        self.cache_dir = cache_dir
        self.version = __version__
        self.audited = self.cached = self.failed = 0
        self.registries: Dict[str, Any] = {}

    def audit(self, job, records: List[Dict[str, Any]], rules: Dict[str, Any]) -> None:
        from lintra.audit import record as record_
        from lintra.audit import units as units_

        if job[0] == "unit":
            record, cited = self._local(job[1])
        else:
            line, base = job[1]
            try:
                path, url, ref = units_.parse_line(line, base)
            except units_.RepositoryRefused as refused:
                record, cited = record_.base_record(line, line, None, None, None, None, None, self.version, None,
                                                    None, status="refused", error=str(refused)), {}
            else:
                if path is not None:
                    if not os.path.isdir(path):
                        record, cited = record_.base_record(os.path.basename(path), line, None, None, None, None,
                                                            None, self.version, None, None, status="error",
                                                            error=f"no such directory: {path}"), {}
                    else:
                        unit = units_.Unit(os.path.basename(path), line, path, [path])
                        record, cited = self._local(unit)
                else:
                    record, cited = self._remote(line, url, ref)
        if record["status"] != "audited":
            self.failed += 1
        records.append(record)
        rules.update(cited)

    def _setup(self, unit) -> Tuple[Any, str]:
        from lintra.audit.record import ruleset_digest

        setup = ScanSetup(unit.paths, self.options, registries=self.registries)
        return setup, ruleset_digest(setup.registry.rules.values(), setup.judgement)

    def _local(self, unit, commit: Optional[str] = None, dirty: Optional[bool] = None,
               key_digest: Optional[str] = None):
        from lintra.audit import record as record_
        from lintra.audit import units as units_

        try:
            setup, digest = self._setup(unit)
            if dirty is None:
                commit, dirty = units_.git_state(unit.root)
            tree = units_.tree_digest(unit.paths) if dirty else None
            key = self._key(unit.source, commit, tree, key_digest or digest)
            cached = self._cached(key)
            if cached is not None:
                self.cached += 1
                cached[0]["root"] = unit.root
                return cached
            baseline = None if self.no_baseline else baseline_or_exit(setup.settings["baseline"])
            index = record_.ObjectIndex(unit.root)
            result = setup.run(unit.paths, baseline=baseline, observe=index)
            found = record_.from_result(result, unit, index, self.version, digest, commit, tree)
        except click.ClickException as error:  # a repository's broken configuration fails that repository only
            return record_.base_record(unit.name, unit.source, unit.url, unit.ref, unit.root, commit, None,
                                       self.version, None, None, status="error", error=error.format_message()), {}
        self.audited += 1
        self._store(key, found)
        return found

    def _remote(self, line: str, url: str, ref: Optional[str]):
        from lintra.audit import record as record_
        from lintra.audit import units as units_

        name = units_.url_name(url)
        try:
            # a clone's own configuration is part of its commit, so the key's ruleset is this run's
            digest = self._setup(units_.Unit(name, line, os.getcwd(), [os.getcwd()]))[1] if self.cache_dir else None
            commit = _remote_commit(url, ref) if self.cache_dir else None
            cached = self._cached(self._key(line, commit, None, digest)) if commit else None
            if cached is not None:
                self.cached += 1
                cached[0]["root"] = None
                return cached
            with units_.cloned(url, ref) as root:
                commit, _ = units_.git_state(root, clean=True)
                unit = units_.Unit(name, line, root, [root], url, ref)
                return self._local(unit, commit, False, digest)
        except subprocess.CalledProcessError as error:
            message = (error.stderr or "").strip().splitlines()
            reason = f"git clone failed: {message[-1] if message else error.returncode}"
        except subprocess.TimeoutExpired:
            reason = "git clone timed out"
        except OSError as error:
            reason = f"git clone failed: {error}"
        return record_.base_record(name, line, url, ref, None, None, None, self.version, None, None,
                                   status="error", error=reason), {}

    def _key(self, source: str, commit: Optional[str], tree: Optional[str], digest: str) -> Optional[str]:
        if not self.cache_dir:
            return None
        identity = json.dumps([source, commit, tree, self.version, digest])
        return hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()[:32]

    def _cached(self, key: Optional[str]):
        if key is None:
            return None
        try:
            with open(os.path.join(self.cache_dir, key + ".json"), encoding="utf-8") as handle:
                data = json.load(handle)
            return data["record"], data["rules"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _store(self, key: Optional[str], found) -> None:
        if key is None:
            return
        os.makedirs(self.cache_dir, exist_ok=True)
        path = os.path.join(self.cache_dir, key + ".json")
        with open(path + ".tmp", "w", encoding="utf-8") as handle:
            json.dump({"record": found[0], "rules": found[1]}, handle)
        os.replace(path + ".tmp", path)


def _remote_commit(url: str, ref: Optional[str]) -> Optional[str]:
    """The commit ``url`` serves for ``ref`` (HEAD by default), without cloning; None when unknown."""
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0")
    done = subprocess.run(["git", "-c", "protocol.ext.allow=never", "ls-remote", "--", url, ref or "HEAD"],
                          env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    if done.returncode != 0:
        return None
    lines = [line.split("\t") for line in done.stdout.splitlines() if "\t" in line]
    exact = [sha for sha, name in lines if name in (ref or "HEAD", f"refs/heads/{ref}", f"refs/tags/{ref}^{{}}")]
    return (exact or [sha for sha, _ in lines] or [None])[-1]
