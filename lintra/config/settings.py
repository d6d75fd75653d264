"""The effective configuration: defaults, then the user file, the project file, the command line.

Each value remembers where it came from, so ``lintra config --show`` can say why a rule is off.
Paths in a file (``packs``, ``local_plugins``, ``baseline``, ``exclude`` and ``per_path`` globs)
are relative to that file's directory.
"""

from __future__ import annotations

import os

from lintra.config.files import (ConfigFile, ConfigFileError, boundary, confine, find_project_file, find_upward, read,
                                 user_file)
from lintra.filter.profiles import DEFAULT_PROFILE, ProfileError, resolve

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Sequence

DEFAULTS: Dict[str, Any] = {
    "profile": DEFAULT_PROFILE, "sanctioned_vendors": [], "hide_sanctioned": False, "select": [],
    "ignore": [], "severity": {}, "fail_on": None, "exclude": [], "per_path": {}, "plugins": [],
    "packs": [], "local_plugins": [], "baseline": None, "profiles": {}, "rules": {}, "limits": {},
}
#: keys whose command-line values add to the files' instead of replacing them
EXTENDING = ("sanctioned_vendors", "exclude", "plugins", "packs")
_PATH_KEYS = ("packs", "local_plugins")
_WHAT = {"packs": "policy pack", "local_plugins": "Python plugin", "baseline": "baseline"}


class Setting:
    __slots__ = ("value", "origin")

    def __init__(self, value: Any, origin: str) -> None:
        self.value = value
        self.origin = origin


class Settings:
    __slots__ = ("values", "files", "root", "trusted_plugins", "limit_origins", "param_origins")

    def __init__(self) -> None:
        self.values: Dict[str, Setting] = {key: Setting(value, "default") for key, value in DEFAULTS.items()}
        self.files: List[ConfigFile] = []
        #: the directory globs are relative to: the project file's, else the working directory
        self.root = os.getcwd()
        #: Python plugin files a user-level file (or --allow-local-plugins) vouches for
        self.trusted_plugins: List[str] = []
        #: limit name -> where its value was set (``lintra config --show`` lists each limit)
        self.limit_origins: Dict[str, str] = {}
        #: (rule id, parameter name or None for the rule's entry) -> where .lintra.yaml set it
        self.param_origins: Dict[tuple, str] = {}

    def __getitem__(self, key: str) -> Any:
        return self.values[key].value

    def add_file(self, config: ConfigFile) -> None:
        self.files.append(config)
        for key, value in config.data.items():
            if key in _PATH_KEYS:
                value = [os.path.normpath(os.path.join(config.directory, v)) for v in value]
            elif key == "exclude":
                # a glob with a directory part is anchored at the file's directory, as in .gitignore
                value = [os.path.join(config.directory, v) if "/" in v.rstrip("/") else v for v in value]
            elif key == "baseline":
                value = os.path.normpath(os.path.join(config.directory, value))
            if not config.user and key in _PATH_KEYS:
                value = [confine(v, boundary(config.path), config.where((key, i)), _WHAT[key], key == "packs")
                         for i, v in enumerate(value)]
            elif not config.user and key == "baseline":
                value = confine(value, boundary(config.path), config.where((key,)), _WHAT[key])
            elif key == "profiles":
                value = {**self["profiles"], **{name: (data, config.where((key, name)))
                                                for name, data in value.items()}}
            elif key == "limits":
                value = self._limits(value, {name: config.where((key, name)) for name in value},
                                     raising_allowed=config.user)
            elif key == "rules":  # a project file sets a rule's parameters over the user file's
                for rule_id, entry in value.items():
                    self.param_origins[(rule_id, None)] = config.where((key, rule_id))
                    for name in (entry or {}).get("params") or {}:
                        self.param_origins[(rule_id, name)] = config.where((key, rule_id, "params", name))
                value = {rule_id: {"params": {**(self["rules"].get(rule_id) or {}).get("params", {}),
                                              **((entry or {}).get("params") or {})}}
                         for rule_id, entry in {**self["rules"], **value}.items()}
            self.values[key] = Setting(value, config.where((key,)))
        if config.user:
            self.trusted_plugins.extend(self.values["local_plugins"].value)
        else:
            self.root = config.directory

    def add_flags(self, flags: Dict[str, Any]) -> None:
        """Command-line values; None or empty means the flag was not given."""
        for key, (value, flag) in flags.items():
            if value in (None, (), [], {}, False):
                continue
            if key == "sanctioned_vendors":
                _check_vendors(value, flag)
            if key == "limits":
                value = self._limits(value, {name: f"command line ({flag} {name}=)" for name in value},
                                     raising_allowed=True)
            if key in EXTENDING:
                value = list(self[key]) + [v for v in value if v not in self[key]]
            self.values[key] = Setting(list(value) if isinstance(value, tuple) else value,
                                       f"command line ({flag})")

    def _limits(self, values: Dict[str, Any], origins: Dict[str, str], raising_allowed: bool) -> Dict[str, int]:
        """The limits with ``values`` set over them. A repository's file may only lower a limit: a
        pull request must not lift the bounds that protect whoever scans it."""
        from lintra.load import limits

        for name, value in values.items():
            problem = limits.problem(name, value)
            if problem:
                raise ConfigFileError(f"{origins[name]}: limits.{name}: {problem}")
            if not raising_allowed and value > limits.DEFAULTS[name]:
                raise ConfigFileError(f"{origins[name]}: limits.{name}: {value} is above the default "
                                      f"{limits.DEFAULTS[name]}; a repository's configuration may only lower a "
                                      "limit, raising one needs --limit NAME=VALUE or the user-level configuration")
        self.limit_origins.update(origins)
        return {**self["limits"], **values}

    def trust_local_plugins(self) -> None:
        """``--allow-local-plugins``: the user vouches for the Python files the project names."""
        self.trusted_plugins.extend(self["local_plugins"])

    def judgement(self):
        """The :class:`lintra.filter.Judgement` these settings describe."""
        base = self._judgement(self["profile"], self.values["profile"].origin, {})
        per_path = [([glob], self._judgement(entry.get("profile", self["profile"]),
                                             f"{self.values['per_path'].origin}: per_path.{glob}", entry))
                    for glob, entry in self["per_path"].items()]
        base.per_path = tuple(per_path)
        return base

    def _judgement(self, profile_name: str, origin: str, override: Dict[str, Any]):
        from lintra.filter import Judgement

        try:
            profile = resolve(profile_name, self["profiles"])
        except ProfileError as error:
            raise ConfigFileError(f"{origin}: profile: {error}") from None
        pick = lambda key: override.get(key, self[key])  # noqa: E731 - a local lookup, named for reading
        return Judgement(select=pick("select"), ignore=pick("ignore"),
                         severity={**self["severity"], **override.get("severity", {})},
                         fail_on=self["fail_on"], profile=profile, sanctioned=pick("sanctioned_vendors"),
                         hide_sanctioned=pick("hide_sanctioned"), root=self.root)

    def unknown_selectors(self, rules) -> List[str]:
        """``origin: key: selector`` for every selector that names no known rule, id prefix,
        name, vendor or category: a typo there silently turns a check off."""
        from lintra.filter.select import may_match

        problems = []
        places = [(key, self.values[key].origin, self[key]) for key in ("select", "ignore", "severity")]
        places += [(f"per_path.{glob}.{key}", self.values["per_path"].origin, entry[key])
                   for glob, entry in self["per_path"].items() for key in ("select", "ignore", "severity")
                   if key in entry]
        for name, (data, origin) in self["profiles"].items():  # the configuration's own profiles
            places.append((f"profiles.{name}.rules", origin, data.get("rules") or {}))
            places.append((f"profiles.{name}.suppressions.non_suppressible", origin,
                           (data.get("suppressions") or {}).get("non_suppressible") or []))
        rules = list(rules)
        for key, origin, selectors in places:
            for selector in selectors:
                if not any(may_match(rule, selector) for rule in rules):
                    problems.append(f"{origin}: {key}: {selector!r} matches no rule (an id or id prefix, "
                                    "a rule name, a vendor or a category)")
        return problems

    def param_problems(self, rules) -> List[str]:
        """``origin: rules.ID.params.NAME: why`` for every configured parameter that the rule does
        not declare or whose value is not of its type."""
        from lintra.check.params import problems

        return problems(self["rules"], {rule.id: rule for rule in rules}, self.values["rules"].origin,
                        lambda rule_id, name: self.param_origins.get((rule_id, name)))

    def rule_params(self) -> Dict[str, Dict[str, Any]]:
        """``rule id -> {name: value}``: the scan option rules read through lintra.check.params."""
        return {rule_id: dict((entry or {}).get("params") or {}) for rule_id, entry in self["rules"].items()}

    def registry_options(self) -> Dict[str, Any]:
        local = self["local_plugins"]
        return {"required": self["plugins"], "packs": self["packs"], "local_plugins": local,
                "allow_local_plugins": all(path in self.trusted_plugins for path in local)}

    def show(self) -> List[Dict[str, Any]]:
        rows = []
        for key, setting in self.values.items():
            value, origin = setting.value, setting.origin
            if key == "profiles":
                value = sorted(value)
            elif key == "fail_on" and value is None:
                value, origin = self.judgement().fail_on.name, f"profile {self['profile']}"
            elif key == "limits":
                from lintra.load.limits import DEFAULTS as LIMITS

                rows.extend({"key": f"limits.{name}", "value": value.get(name, default),
                             "origin": self.limit_origins.get(name, "default")} for name, default in LIMITS.items())
                continue
            rows.append({"key": key, "value": value, "origin": origin})
        return rows


def _check_vendors(vendors: Sequence[str], flag: str) -> None:
    from lintra.model import VENDORS

    unknown = [v for v in vendors if v not in VENDORS]
    if unknown:
        raise ConfigFileError(f"command line ({flag}): unknown vendor {', '.join(unknown)}; "
                              f"known: {', '.join(VENDORS)}")


def load(paths: Sequence[str], config_path: Optional[str] = None, isolated: bool = False) -> Settings:
    """Settings for a run over ``paths``; ``config_path`` overrides discovery, ``isolated`` reads no file."""
    settings = Settings()
    if isolated:
        return settings
    user = user_file()
    if user:
        settings.add_file(read(user, user=True))
    project = config_path or find_project_file(paths)
    if project:
        if not os.path.lexists(project):
            raise ConfigFileError(f"{project}: no such configuration file")
        if not config_path:  # found in the scanned tree: it may not be a link out of it
            _found_in_repository(project, "configuration file")
        settings.add_file(read(project))
    if settings["baseline"] is None:
        from lintra.filter.baseline import DEFAULT_NAME

        found = find_upward(paths, [DEFAULT_NAME])
        if found:
            _found_in_repository(found, "baseline")
            settings.values["baseline"] = Setting(found, "found upward from the scanned path")
    return settings


def _found_in_repository(path: str, what: str) -> None:
    """A file found upward from the scanned path must be a regular file of that repository."""
    from lintra.repository import repository_root

    directory = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    confine(path, repository_root(directory) or directory, f"{path}:1:1", what)
