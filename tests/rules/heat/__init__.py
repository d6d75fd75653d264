"""Tests of the Heat rules; what several of their modules share."""

import textwrap


def write(root, name, text):
    """Write the dedented ``text`` to ``root/name`` (parents made); its path as a string."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)
