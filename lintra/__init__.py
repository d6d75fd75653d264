"""lintra: find proprietary coupling (vendor lock-in) in Heat, Kubernetes and vSphere configs.

The public API is what this module exports; everything else is private to lintra and may change.
"""

from importlib import metadata as _metadata

from lintra.check import Scan
from lintra.hookspecs import hookimpl
from lintra.load import Detector, LoadError, Loader, Skip
from lintra.model import (CATEGORIES, STRENGTHS, VENDORS, Document, FileRecord, Finding, Hit, Level,
                          Locator, Related, Rule, Source, Span)
from lintra.policy import rules_from_pack
from lintra.policy.resolvers import Candidate, Resolver
from lintra.report import Format

try:
    __version__ = _metadata.version("lintra")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a checkout, not installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "CATEGORIES", "STRENGTHS", "VENDORS", "Candidate", "Detector", "Document", "FileRecord", "Finding",
    "Format", "Hit", "Level", "LoadError", "Loader", "Locator", "Related", "Resolver", "Rule", "Scan", "Skip",
    "Source", "Span", "hookimpl", "rules_from_pack", "__version__",
]
