"""Class 9: the README's limits table is the code's: every limit constant is listed with its value,
and every row names a constant that exists."""

import os
import re

from lintra.load import limits, references
from lintra.load.helm import chart
from lintra.policy import regex_safety
from tests.conftest import ROOT


def documented():
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    section = text.split("\n## Limits\n", 1)[1].split("\n## ", 1)[0]
    return {name: value for name, value in re.findall(r"^\| `(?:limits\.|references\.|regex_safety\.)?((?:chart\.)?MAX_[A-Z_]+)` \| ([^|]+?) \|",
                                                                  section, re.M)}


def shown(value: int, name: str) -> str:
    if name.endswith(("BYTES", "MEMORY")):
        return f"{value // (1024 * 1024)} MiB"
    return f"{value:,}"


def constants():
    found = {name: value for name, value in vars(limits).items() if name.startswith("MAX_")}
    found["MAX_REFERENCED"] = references.MAX_REFERENCED
    found["MAX_PATTERN_MEMORY"] = regex_safety.MAX_PATTERN_MEMORY
    found.update({f"chart.{name}": value for name, value in vars(chart).items() if name.startswith("MAX_")})
    return found


def test_every_limit_is_documented_with_its_value():
    table = documented()
    code = constants()
    assert set(table) == set(code)
    assert {name: shown(value, name) for name, value in code.items()} == table
