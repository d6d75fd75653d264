"""Escaping for report formats: the shared helper lives in :mod:`lintra.escape`, because the load
stage and plugin loading quote scanned text in their diagnostics too (a stage may not import a
later one). Formats keep importing it from here."""

from lintra.escape import *  # noqa: F401,F403
