"""Run lintra as CI runs it (a subprocess, ``LANG=C.UTF-8``, a memory cap) and check every output.

Each hostile-input test goes through :func:`lintra`: the run must end within ``timeout`` seconds,
under :data:`MEMORY_LIMIT` of address space, with no traceback on standard error and output that
is strict UTF-8. :func:`every_format` renders one run in all six built-in formats and parses each.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import xml.etree.ElementTree as ET
from typing import Dict, List, Optional, Sequence

#: what a CI runner gives a job step, well above what lintra needs on these small inputs
MEMORY_LIMIT = 1 << 30
FORMATS = ("json", "text", "sarif", "junit", "github", "gitlab")
#: a control character, or ESC: nothing from a scanned file may reach a terminal raw
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def environment(home: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PYTHONIOENCODING", "LC_ALL")}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", XDG_CONFIG_HOME=home)
    return env


class Run:
    def __init__(self, proc: subprocess.CompletedProcess) -> None:
        self.code = proc.returncode
        self.stdout = proc.stdout.decode("utf-8")  # strict: lintra must write what UTF-8 can carry
        self.stderr = proc.stderr.decode("utf-8", "replace")

    def json(self) -> dict:
        return json.loads(self.stdout)

    def record(self, name: str) -> dict:
        """The ``files`` entry whose name ends with ``name``."""
        found = [r for r in self.json()["files"] if r["file"].endswith(name)]
        assert len(found) == 1, (name, self.json()["files"])
        return found[0]


def lintra(args: Sequence[str], cwd: str, stdin: bytes = b"", timeout: float = 120, home: Optional[str] = None,
           env: Optional[Dict[str, str]] = None) -> Run:
    home = home or os.path.join(str(cwd), ".xdg-empty")
    proc = subprocess.run([sys.executable, "-m", "lintra", *args], cwd=cwd, input=stdin, capture_output=True,
                          env=dict(environment(home), **(env or {})), timeout=timeout, preexec_fn=_limit_memory)
    run = Run(proc)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.code in (0, 1, 2), (run.code, run.stderr)
    return run


def every_format(paths: Sequence[str], cwd: str, extra: Sequence[str] = (), stdin: bytes = b"") -> Dict[str, object]:
    """Run once with every built-in format, parse each, and return the parsed outputs (``code``
    and ``stderr`` too). Text and GitHub output must hold no control character but newlines."""
    args: List[str] = ["check", "--verbose"]
    for name in FORMATS[1:]:  # the N-th --output belongs to the N-th --format; JSON goes to stdout
        args += ["--format", name, "--output", os.path.join(str(cwd), f".out.{name}")]
    args += ["--format", "json"]
    run = lintra([*args, *extra, "--", *paths], cwd, stdin=stdin)
    out: Dict[str, object] = {"code": run.code, "stderr": run.stderr, "json": run.json()}
    for name in FORMATS[1:]:
        with open(os.path.join(str(cwd), f".out.{name}"), "rb") as handle:
            text = handle.read().decode("utf-8")
        if name in ("sarif", "gitlab"):
            out[name] = json.loads(text)
        elif name == "junit":
            out[name] = ET.fromstring(text.encode("utf-8"))
        else:
            assert not _CONTROL.search(text), (name, text)
            out[name] = text
    for line in str(out["github"]).splitlines():  # one workflow command per line lintra meant
        assert line.startswith(("::error ", "::warning ", "::notice ", "lintra: ")), line
    return out


#: a StorageClass provisioned by the vSphere CSI driver: one coupling finding, for tests that need one
COUPLED = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: csi.vsphere.vmware.com\n"


def coupled_repo(tmp_path) -> "os.PathLike":
    """A repository (its ``.git`` marks the root) holding :data:`COUPLED` as ``s.yaml``."""
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "s.yaml").write_text(COUPLED)
    return tmp_path / "repo"
