"""The forms of lintra's own packs and profiles that ship inside the package (``lintra/shipped/``).

A run reads the shipped packs and profiles from the cache entry it made of them the first time
(:mod:`lintra.cache`); this module writes those entries into the package itself, keyed as the
cache keys them, so that even a first run with an empty cache directory parses and compiles
nothing. A run uses a shipped entry only while its key is that of the files (and, for the packs,
of the code deriving the entry) read then; after an edit it falls back to compiling and caching.
After editing a pack, a profile, ``lintra/policy/pack.py`` or ``lintra/policy/selector.py``, run::

    python -m lintra.policy.shipped

``tests/test_shipped.py`` fails until the files are what this command writes. The packs are
compiled eagerly and checked against the pack schema here, as the test suite checks them.
"""

from __future__ import annotations

import os
import sys

from lintra import cache
from lintra.policy import pack
from lintra.resources import policies_dir

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Dict, List, Optional

COMMAND = "python -m lintra.policy.shipped"

#: how deep each kind's lists break into lines (:func:`lintra.cache.shipped_text`): a pack's rules
#: one a line, a profile one a line
DEPTHS = {pack.CACHE_KIND: 3, "profiles": 2}


def forms() -> Dict[str, str]:
    """``kind -> text`` of every entry lintra ships, made afresh from the packs and profiles."""
    from lintra.filter import profiles

    files = pack.pack_files(policies_dir())
    parsed: List[object] = []
    for file in files:
        pack._compile_file(file, True, parsed)  # eagerly, schema included: a bad pack stops here
    entry = pack.entry_of(parsed)
    key = pack._cache_key(files)
    if entry is None or key is None:
        raise ValueError("the shipped packs do not make a JSON cache entry")
    paths = profiles.profile_files()
    data = profiles.parse_profiles(paths)
    profiles_key = cache.file_digest(paths)
    if profiles_key is None or not cache.round_trips(data):
        raise ValueError("the shipped profiles do not make a JSON cache entry")
    return {pack.CACHE_KIND: cache.shipped_text(key, entry, DEPTHS[pack.CACHE_KIND]),
            profiles.CACHE_KIND: cache.shipped_text(profiles_key, data, DEPTHS[profiles.CACHE_KIND])}


def path(kind: str, directory: Optional[str] = None) -> str:
    return os.path.join(directory or cache.SHIPPED, f"{kind}.json")


def stale(directory: Optional[str] = None) -> List[str]:
    """What is out of date in ``directory`` (the package's ``shipped/``), one line each."""
    found = []
    for kind, text in forms().items():
        try:
            with open(path(kind, directory), encoding="utf-8") as handle:
                current: Optional[str] = handle.read()
        except OSError:
            current = None
        if current != text:
            state = "missing" if current is None else "stale"
            found.append(f"{path(kind, directory)} is {state}: run `{COMMAND}` to write it again")
    return found


def write(directory: Optional[str] = None) -> List[str]:
    """Write every shipped entry; the paths that changed."""
    written = []
    for kind, text in forms().items():
        where = path(kind, directory)
        try:
            with open(where, encoding="utf-8") as handle:
                if handle.read() == text:
                    continue
        except OSError:
            pass
        os.makedirs(os.path.dirname(where), exist_ok=True)
        with open(where, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(where)
    return written


def main(argv: Optional[List[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args:
        print(f"usage: {COMMAND}\n\n{__doc__}", file=sys.stderr)
        return 2
    try:
        written = write()
    except (pack.PackError, ValueError) as error:
        print(f"not written: {error}", file=sys.stderr)
        return 1
    for where in written:
        print(f"wrote {os.path.relpath(where)}")
    if not written:
        print("up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
