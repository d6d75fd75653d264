"""Declarative policy packs (rules as YAML) and the selector language they are written in."""

__all__ = ["PackError", "rules_from_pack", "run_examples"]


def __getattr__(name: str):
    # Imported on first use: lintra.policy.resolvers is needed by every run, the pack compiler and
    # the example runner only by the commands that compile or test packs.
    if name in ("PackError", "rules_from_pack"):
        from lintra.policy import pack

        value = getattr(pack, name)
    elif name == "run_examples":
        from lintra.policy.examples import run_examples as value
    else:
        raise AttributeError(f"module 'lintra.policy' has no attribute {name!r}")
    globals()[name] = value
    return value
