"""Example lintra plugin: one module of hook implementations, as the ``lintra`` entry point names it.

It teaches lintra a new document kind (Docker Compose files, through a detector: they are YAML,
so the built-in YAML loader already reads them with locations), one rule on that kind, and one
output format. See lintra's docs/plugins.md for the hooks.
"""

import lintra

from lintra_example_plugin.checkstyle import write_checkstyle
from lintra_example_plugin.compose import detect_compose
from lintra_example_plugin.logging_driver import RULE


@lintra.hookimpl
def register_detectors(register):
    register(lintra.Detector("compose", detect_compose))


@lintra.hookimpl
def register_rules(register):
    register(RULE)


@lintra.hookimpl
def register_formats(register):
    register(lintra.Format("checkstyle", write_checkstyle, "Checkstyle XML (reviewdog, Jenkins Warnings)"))
