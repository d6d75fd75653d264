"""Built-in plugin: the declarative packs shipped in ``policies/``."""

from lintra.hookspecs import hookimpl
from lintra.policy.pack import rules_from_pack
from lintra.resources import policies_dir


@hookimpl
def register_rules(register):
    # Not schema-validated on every run: that would import jsonschema for each ``lintra check``;
    # the test suite validates the shipped packs (tests/test_pack_schema.py) instead, and compiles
    # every rule eagerly, so they are trusted: cached, and compiled per rule on first use. Their
    # cache entry also ships in the package (lintra/shipped/), so a first run need not make it.
    for rule in rules_from_pack(policies_dir(), validate=False, trusted=True, shipped=True):
        register(rule)
