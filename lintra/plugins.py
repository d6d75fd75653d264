"""Plugin loading: built-ins first, then the ``lintra`` entry-point group, both through pluggy.

pluggy itself is imported only when a plugin needs more than it takes to call plain hooks (see
:class:`PluginManager`): a run with the built-ins and modules of plain ``@hookimpl`` functions
calls them directly, in pluggy's order.

``LINTRA_PLUGINS=a,b`` restricts loading to the named plugins (built-in or third-party); an empty
value loads none, which is how a plugin author tests a plugin on its own.
"""

from __future__ import annotations

import importlib
import os
from types import FunctionType, ModuleType

from lintra import hookspecs
from lintra.check.reserved import RESERVED
from lintra.model import Rule
from lintra.policy.resolvers import Resolver

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Sequence, Tuple
    import pluggy

ENTRY_POINT_GROUP = "lintra"

#: Built-in plugins, named as third-party ones would be; each module implements hooks.
DEFAULT_PLUGINS = {
    "lintra.formats": "lintra.report.builtin",
    "lintra.loaders": "lintra.load.builtin",
    "lintra.vsphere": "lintra.load.vsphere",
    "lintra.kustomize": "lintra.load.kustomize",
    "lintra.heat": "lintra.rules.heat",
    "lintra.k8s": "lintra.rules.k8s",
    "lintra.policies": "lintra.policy.builtin",
}


#: entry-point name -> distribution, so ``lintra plugins`` can show versions
_DISTS: dict = {}


class Registry:
    """Everything the plugins registered, gathered once per run."""

    __slots__ = ("rules", "loaders", "detectors", "formats", "resolvers", "_plugins")

    def __init__(self) -> None:
        self.rules: Dict[str, Rule] = {rule.id: rule for rule in RESERVED}
        self.loaders: list = []
        self.detectors: list = []
        self.formats: dict = {}
        #: document kind -> Resolver
        self.resolvers: Dict[str, Resolver] = {}
        self._plugins: List[dict] = []

    @property
    def plugins(self) -> List[dict]:
        """``{"name", "version", "hooks"}`` of each loaded plugin. Versions are looked up when
        first asked (``lintra plugins``, the map cache's key): finding lintra's own reads the
        ``sys.path`` directories, which a plain check has no use for."""
        for entry in self._plugins:
            version = entry["version"]
            if isinstance(version, _Version):
                entry["version"] = version.found()
        return self._plugins

    def add_rule(self, rule: Rule) -> None:
        if not isinstance(rule, Rule):
            raise TypeError(f"register_rules expects lintra.Rule objects, got {type(rule).__name__}")
        existing = self.rules.get(rule.id)
        if existing is not None and existing is not rule:
            raise ValueError(f"rule id {rule.id} is registered twice ({existing.origin} and {rule.origin})")
        self.rules[rule.id] = rule

    def add_resolver(self, resolver: Resolver) -> None:
        if not isinstance(resolver, Resolver):
            raise TypeError(f"register_resolvers expects lintra.Resolver objects, got {type(resolver).__name__}")
        for kind in resolver.kinds:
            existing = self.resolvers.get(kind)
            if existing is not None and existing is not resolver:
                raise ValueError(f"document kind {kind} has two resolvers ({existing.name} and {resolver.name})")
            self.resolvers[kind] = resolver


class _Version:
    """A plugin's version, not looked up yet: its distribution's, else lintra's for a built-in."""

    __slots__ = ("dist", "builtin")

    def __init__(self, dist: Any, builtin: bool) -> None:
        self.dist, self.builtin = dist, builtin

    def found(self) -> Optional[str]:
        # built-ins carry lintra's version; a plugin registered without a distribution (a local
        # file, a test) has none
        return self.dist.version if self.dist is not None else _own_version() if self.builtin else None


def _allowed() -> Optional[set]:
    value = os.environ.get("LINTRA_PLUGINS")
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


#: the hooks plugins may implement
HOOKS = tuple(name for name, value in vars(hookspecs).items()
              if isinstance(value, FunctionType) and hasattr(value, hookspecs.PROJECT + "_spec"))


class PluginManager:
    """pluggy's ``PluginManager`` for lintra, built only when it is needed.

    Registered modules whose hook implementations are all plain (``@hookimpl`` with no options,
    taking ``register``) are kept here and their hooks called directly, last registered first, as
    pluggy calls them. Anything else (a class instance, a wrapper, ``tryfirst``, a duplicate name,
    a hook with no spec) goes to pluggy, with everything registered before it, and pluggy answers
    from then on: its validation and its call order are the reference."""

    def __init__(self) -> None:
        self._plugins: List[Tuple[str, Any]] = []
        self._pluggy: Optional["pluggy.PluginManager"] = None

    def register(self, plugin: Any, name: Optional[str] = None) -> Optional[str]:
        if self._pluggy is None and name is not None and _plain_module(plugin) \
                and all(known is not plugin and known_name != name for known_name, known in self._plugins):
            self._plugins.append((name, plugin))
            return name
        return self.pluggy().register(plugin, name=name)

    def pluggy(self) -> "pluggy.PluginManager":
        if self._pluggy is None:
            import pluggy

            pm = pluggy.PluginManager(hookspecs.PROJECT)
            pm.add_hookspecs(hookspecs)
            for name, plugin in self._plugins:
                pm.register(plugin, name=name)
            self._pluggy = pm
        return self._pluggy

    def get_plugin(self, name: str) -> Any:
        if self._pluggy is not None:
            return self._pluggy.get_plugin(name)
        return next((plugin for known, plugin in self._plugins if known == name), None)

    def list_name_plugin(self) -> List[Tuple[str, Any]]:
        if self._pluggy is not None:
            return self._pluggy.list_name_plugin()
        return list(self._plugins)

    def hooks_of(self, plugin: Any) -> List[str]:
        """The names of the hooks ``plugin`` implements, sorted."""
        if self._pluggy is not None:
            return sorted(h.name for h in self._pluggy.get_hookcallers(plugin) or ())
        return sorted(name for name in HOOKS if _implementation(plugin, name) is not None)

    def call(self, name: str, register) -> None:
        """Call hook ``name``; an exception from a plugin becomes a :class:`PluginError` naming
        the plugin (found by its hook function in the traceback) and the exception."""
        if self._pluggy is not None:
            hook = getattr(self._pluggy.hook, name)
            impls = [(impl.plugin_name, impl.function) for impl in hook.get_hookimpls()]
            calls = [lambda: hook(register=register)]
        else:
            impls = [(plugin_name, function) for plugin_name, plugin in self._plugins
                     for function in (_implementation(plugin, name),) if function is not None]
            calls = [lambda function=function: function(register=register) for _, function in reversed(impls)]
        try:
            for call in calls:
                call()
        except PluginError:
            raise
        except Exception as error:  # noqa: BLE001 - third-party code: report it in one line
            codes = {function.__code__: plugin_name for plugin_name, function in impls}
            plugin, tb = None, error.__traceback__
            while tb is not None:
                plugin = codes.get(tb.tb_frame.f_code, plugin)
                tb = tb.tb_next
            raise PluginError(f"plugin {plugin or '(unknown)'}: hook {name} raised {_one_line(error)}") from None

    def __getattr__(self, name: str) -> Any:  # the rest of pluggy's API
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.pluggy(), name)


def _implementation(plugin: Any, name: str) -> Optional[FunctionType]:
    function = getattr(plugin, name, None)
    if isinstance(function, FunctionType) and isinstance(getattr(function, hookspecs.PROJECT + "_impl", None), dict):
        return function
    return None


def _plain_module(plugin: Any) -> bool:
    """Whether pluggy would call ``plugin``'s hooks exactly as :meth:`PluginManager.call` does:
    a module whose every marked function implements a known hook, plainly, with ``register``."""
    if not isinstance(plugin, ModuleType):
        return False
    for attribute in dir(plugin):
        value = getattr(plugin, attribute, None)
        opts = getattr(value, hookspecs.PROJECT + "_impl", None) if isinstance(value, FunctionType) else None
        if opts is None:
            continue
        code = value.__code__
        if (attribute not in HOOKS or opts != hookspecs.PLAIN_IMPL
                or code.co_varnames[:code.co_argcount] != ("register",)):
            return False
    return True


def plugin_manager() -> PluginManager:
    pm = PluginManager()
    allowed = _allowed()
    for name, module in DEFAULT_PLUGINS.items():
        if allowed is None or name in allowed:
            pm.register(importlib.import_module(module), name=name)
    from lintra.entrypoints import entry_points  # not importlib.metadata: see lintra/entrypoints.py

    for entry_point in entry_points(ENTRY_POINT_GROUP):
        if allowed is not None and entry_point.name not in allowed:
            continue
        if pm.get_plugin(entry_point.name) is not None:
            continue
        try:
            module = entry_point.load()
        except Exception as error:  # noqa: BLE001 - any failure of third-party code is reported, not raised
            raise PluginError(f"plugin {entry_point.name} ({getattr(entry_point, 'value', '?')}) failed on import: "
                              f"{_one_line(error)}") from None
        pm.register(module, name=entry_point.name)
        _DISTS[entry_point.name] = entry_point
    unknown = sorted((allowed or set()) - {name for name, _ in pm.list_name_plugin()})
    if unknown:  # a typo must not quietly run fewer rules
        available = sorted(set(DEFAULT_PLUGINS) | {ep.name for ep in entry_points(ENTRY_POINT_GROUP)})
        raise PluginError(f"LINTRA_PLUGINS names plugin(s) that are not installed: {', '.join(unknown)}; "
                          f"available: {', '.join(available)}")
    return pm



class PluginError(ValueError):
    """Plugins cannot be loaded as configured: a configuration error (exit 2)."""


def load_registry(pm: Optional[PluginManager] = None, *, required: Sequence[str] = (),
                  packs: Sequence[str] = (), local_plugins: Sequence[str] = (),
                  allow_local_plugins: bool = False) -> Registry:
    """Gather what every plugin registers.

    ``required`` names plugins that must be loaded; ``packs`` are extra policy-pack files or
    directories (declarative, safe to load from a scanned repository); ``local_plugins`` are
    Python files, which run code and so load only with ``allow_local_plugins``.
    """
    pm = pm or plugin_manager()
    for path in local_plugins:
        pm.register(_local_plugin(path, allow_local_plugins), name=f"local:{path}")
    missing = [name for name in required if pm.get_plugin(name) is None]
    if missing:
        installed = sorted(name for name, _ in pm.list_name_plugin())
        raise PluginError(f"required plugin(s) missing: {', '.join(missing)}; expected: "
                          f"{', '.join(required)}; installed: {', '.join(installed) or 'none'}"
                          + ("; LINTRA_PLUGINS restricts loading" if _allowed() is not None else ""))
    registry = Registry()
    _call(pm, "register_rules", registry.add_rule)
    if packs:
        from lintra.policy import PackError, rules_from_pack

        for pack in dict.fromkeys(os.path.realpath(p) for p in packs):  # named twice, loaded once
            if not os.path.exists(pack):
                raise PackError(f"{pack}: no such policy pack file or directory")
            rules = rules_from_pack(pack)
            if not rules:
                raise PackError(f"{pack}: no policy packs here (.yaml/.yml files with 'pack' and 'rules')")
            for rule in rules:
                registry.add_rule(rule)
    _call(pm, "register_loaders", registry.loaders.append)
    _call(pm, "register_detectors", registry.detectors.append)
    _call(pm, "register_formats", lambda fmt: registry.formats.__setitem__(fmt.name, fmt))
    _call(pm, "register_resolvers", registry.add_resolver)
    for name, plugin in pm.list_name_plugin():
        registry._plugins.append({"name": name, "version": _Version(_DISTS.get(name), name in DEFAULT_PLUGINS),
                                  "hooks": pm.hooks_of(plugin)})
    return registry


def _local_plugin(path: str, allowed: bool):
    if not allowed:
        raise PluginError(f"refusing to run Python plugin {path}: it is named by a configuration "
                          "file found in the scanned tree, and scanning must never run the scanned "
                          "repository's code. Pass --allow-local-plugins (or name the plugin in "
                          "your user-level configuration) if you trust it.")
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"lintra_local_{abs(hash(path))}", path)
    if spec is None or spec.loader is None:
        raise PluginError(f"cannot load Python plugin {path}")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except (OSError, SyntaxError) as error:
        raise PluginError(f"cannot load Python plugin {path}: {error}") from None
    except Exception as error:  # noqa: BLE001 - the plugin's own code raised on import
        raise PluginError(f"Python plugin {path} failed on import: {_one_line(error)}") from None
    return module


def _call(pm: PluginManager, name: str, register) -> None:
    pm.call(name, register)


def _one_line(error: BaseException) -> str:
    """``Type: message`` on one line and short: the message may quote anything."""
    from lintra.escape import terminal

    text = terminal(str(error))
    return f"{type(error).__name__}: {text[:300]}" + ("..." if len(text) > 300 else "")


def _own_version() -> str:
    from lintra import __version__

    return __version__
