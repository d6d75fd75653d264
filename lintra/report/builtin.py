"""Built-in plugin: the output formats that ship with lintra."""

from lintra.hookspecs import hookimpl
from lintra.report import Format
from lintra.report import github as github_format
from lintra.report import gitlab as gitlab_format
from lintra.report import json as json_format
from lintra.report import junit as junit_format
from lintra.report import sarif as sarif_format
from lintra.report import text as text_format


@hookimpl
def register_formats(register):
    register(Format("text", text_format.write, "path:line:col: LEVEL RULE message, and a summary"))
    register(Format("json", json_format.write, "the documented JSON contract (lintra/report/schemas)"))
    register(Format("sarif", sarif_format.write, "SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDEs)"))
    register(Format("junit", junit_format.write, "JUnit XML: a testsuite per input family (GitLab, Jenkins)"))
    register(Format("github", github_format.write, "GitHub Actions annotations (default when GITHUB_ACTIONS=true)"))
    register(Format("gitlab", gitlab_format.write, "GitLab Code Quality JSON"))
