"""The independent attack's regressions (tests/hostile/attack_cases.py): each case here once gave
a traceback, a hang, more than 500 MB or a file missing from ``files``; now each must run in every
output format with none of the problems :func:`attack` looks for. The remaining cases of the
attack run with ``python -m tests.hostile.attack_cases`` (they held when written)."""

import pytest

from tests.hostile.attack_cases import attack

REGRESSIONS = [
    "helm_values_merge_key_bomb",       # 2**29 merged pairs: 1 GB, minutes
    "helm_indent_bomb",                 # indent 999999999: a 1 GB string
    "helm_nested_repeat",               # repeat 100000 (repeat 100000 "x"): 10**10 characters
    "helm_set_values_hostile",          # --helm-set a[99999999]=x: a list that long
    "helm_templates_dir_symlink_out",   # a linked templates/ was missing from files
    "helm_tgz_gzip_bomb_of_skipped_members",
    "helm_doubling_variable",
    "helm_self_nesting_list",
    "pack_wildcard_explosion",          # thirty ** steps in a pack path: 1 GB
    "pod_fields_with_every_injection",  # ESC, BEL and bidi overrides raw in the audit HTML
    "file_name_invalid_utf8",           # audit HTML: UnicodeEncodeError traceback
    "file_name_with_controls_and_bidi",
    "xlsx_unsupported_zip_version",     # found by the fuzz test at 3000 examples: LT900
]


@pytest.mark.parametrize("name", REGRESSIONS)
def test_attack_regression(tmp_path, name):
    assert attack(name, str(tmp_path)) == []
