"""Files shipped with lintra, found the same way from a wheel and from a source checkout."""

import os

_HERE = os.path.dirname(os.path.abspath(__file__))
#: strictness profiles live beside policy packs in ``policies/`` but are not packs
PROFILE_SUFFIX = ".profile.yaml"


def policies_dir() -> str:
    """``policies/`` ships inside the wheel as ``lintra/policies``; in a checkout it sits beside
    the package."""
    packaged = os.path.join(_HERE, "policies")
    return packaged if os.path.isdir(packaged) else os.path.join(os.path.dirname(_HERE), "policies")


def schema_path(name: str) -> str:
    return os.path.join(_HERE, "report", "schemas", name)
