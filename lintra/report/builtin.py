"""Built-in plugin: the output formats that ship with lintra."""

from lintra.hookspecs import hookimpl
from lintra.report import Format
from lintra.report import json as json_format
from lintra.report import sarif as sarif_format
from lintra.report import text as text_format


@hookimpl
def register_formats(register):
    register(Format("text", text_format.write, "path:line:col: LEVEL RULE message, and a summary"))
    register(Format("json", json_format.write, "the documented JSON contract (lintra/report/schemas)"))
    register(Format("sarif", sarif_format.write, "SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDEs)"))
