"""Built-in plugin: the output formats that ship with lintra.

Each format's module is imported when a report in that format is written, so a run pays only for
the formats it writes."""

import importlib

from lintra.hookspecs import hookimpl
from lintra.report import Format


def _writer(module: str):
    def write(result, stream, options):
        return importlib.import_module(f"lintra.report.{module}").write(result, stream, options)
    write.__name__ = write.__qualname__ = f"{module}.write"
    return write


@hookimpl
def register_formats(register):
    register(Format("text", _writer("text"), "path:line:col: LEVEL RULE message, and a summary"))
    register(Format("json", _writer("json"), "the documented JSON contract (lintra/report/schemas)"))
    register(Format("sarif", _writer("sarif"), "SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDEs)"))
    register(Format("junit", _writer("junit"), "JUnit XML: a testsuite per input family (GitLab, Jenkins)"))
    register(Format("github", _writer("github"), "GitHub Actions annotations (default when GITHUB_ACTIONS=true)"))
    register(Format("gitlab", _writer("gitlab"), "GitLab Code Quality JSON"))
