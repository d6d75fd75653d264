"""Class 9: the README's limits table is the code's: every limit constant of lintra/load/limits.py
is listed with its value, every row names a constant that exists, and every row but the
configuration's own size bound is configurable (Helm's chart and evaluator bounds, the Heat
reference cap and the RE2 memory budget included)."""

import os
import re

from lintra.load import limits
from tests.conftest import ROOT


def documented():
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    section = text.split("\n## Limits\n", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `limits\.(MAX_[A-Z_]+)` \| ([^|]+?) \|", section, re.M))


def shown(value: int, name: str) -> str:
    if name.endswith(("BYTES", "MEMORY")):
        return f"{value // (1024 * 1024)} MiB"
    return f"{value:,}"


def constants():
    return {name: value for name, value in vars(limits).items() if name.startswith("MAX_")}


def test_every_limit_is_documented_with_its_value():
    table = documented()
    code = constants()
    assert set(table) == set(code)
    assert {name: shown(value, name) for name, value in code.items()} == table


def test_every_documented_limit_but_the_configurations_own_is_configurable():
    assert set(documented()) - {"MAX_CONFIG_BYTES"} == set(limits.CONFIGURABLE.values())
    assert limits.DEFAULTS == {name.lower(): value for name, value in constants().items()
                               if name != "MAX_CONFIG_BYTES"}


def test_no_other_module_keeps_a_limit_of_its_own():
    """A bound defined elsewhere would escape the table and --limit: the Helm, Heat-reference and
    regex bounds used to live in their modules."""
    stray = []
    for directory, _, files in os.walk(os.path.join(ROOT, "lintra")):
        for name in files:
            path = os.path.join(directory, name)
            if name.endswith(".py") and not path.endswith(os.path.join("load", "limits.py")):
                for number, line in enumerate(open(path, encoding="utf-8"), 1):
                    if re.match(r"MAX_[A-Z_]+\s*=", line):
                        stray.append(f"{os.path.relpath(path, ROOT)}:{number}: {line.strip()}")
    assert stray == []
