"""Declarative policy packs (rules as YAML) and the selector language they are written in."""

from lintra.policy.examples import run_examples
from lintra.policy.pack import PackError, rules_from_pack

__all__ = ["PackError", "rules_from_pack", "run_examples"]
