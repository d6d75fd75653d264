"""The hooks a lintra plugin can implement.

Every hook takes a ``register`` callback, as in simonw/llm: a plugin calls it once per thing it
contributes, so the signature never has to change when a plugin contributes more. Built-in rules,
loaders, formats and resolvers are plugins too and use exactly these hooks.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Callable

if TYPE_CHECKING:  # the annotations are documentation: docs/plugins.md quotes them verbatim
    import lintra

PROJECT = "lintra"


class _Marker:
    """pluggy's ``HookspecMarker``/``HookimplMarker`` for this project, without importing pluggy
    (which imports ``inspect`` and its parsers: a sixth of a one-file run's start-up). A marked
    function carries the same ``lintra_spec``/``lintra_impl`` options mapping pluggy's own markers
    set, so pluggy's ``PluginManager`` reads it as its own."""

    __slots__ = ("attribute", "defaults")
    project_name = PROJECT

    def __init__(self, attribute: str, defaults: dict) -> None:
        self.attribute = attribute
        self.defaults = defaults

    def __call__(self, function=None, **options):
        unknown = set(options) - set(self.defaults)
        if unknown:
            raise TypeError(f"unexpected marker option(s): {', '.join(sorted(unknown))}")
        opts = {**self.defaults, **options}
        if opts.get("historic") and opts.get("firstresult"):
            raise ValueError("cannot have a historic firstresult hook")

        def mark(func):
            setattr(func, self.attribute, dict(opts))
            return func
        return mark if function is None else mark(function)


hookspec = _Marker(PROJECT + "_spec", {"firstresult": False, "historic": False, "warn_on_impl": None,
                                       "warn_on_impl_args": None})
hookimpl = _Marker(PROJECT + "_impl", {"wrapper": False, "hookwrapper": False, "optionalhook": False,
                                       "tryfirst": False, "trylast": False, "specname": None})
#: what ``@hookimpl`` with no options sets: a plain implementation, called in registration order
PLAIN_IMPL = dict(hookimpl.defaults)


@hookspec
def register_rules(register: Callable[[lintra.Rule], None]) -> None:
    """Contribute rules: call ``register(rule)`` with a :class:`lintra.Rule` for each.

    Declarative policy packs become rules with ``register`` too:
    ``for rule in lintra.rules_from_pack(path): register(rule)``.
    """


@hookspec
def register_loaders(register: Callable[[lintra.Loader], None]) -> None:
    """Contribute input readers: call ``register(loader)`` with a :class:`lintra.Loader` for each.

    A loader claims files by suffix and turns bytes into documents with locations.
    """


@hookspec
def register_detectors(register: Callable[[lintra.Detector], None]) -> None:
    """Contribute document kinds: call ``register(detector)`` with a :class:`lintra.Detector`.

    Detectors look at parsed YAML/JSON data and say which kind of infrastructure object it is
    (``heat``, ``k8s`` ...), expanding containers such as Kubernetes ``List`` into their items.
    """


@hookspec
def register_formats(register: Callable[[lintra.Format], None]) -> None:
    """Contribute output formats: call ``register(fmt)`` with a :class:`lintra.Format` for each."""


@hookspec
def register_resolvers(register: Callable[[lintra.Resolver], None]) -> None:
    """Let policy-pack rules see through a document kind's indirection (Heat's ``get_param``):
    call ``register(resolver)`` with a :class:`lintra.Resolver` for each; one resolver per kind.
    """
