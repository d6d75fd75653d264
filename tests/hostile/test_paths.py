"""Classes 1 and 7: what a user names, or a walk meets, that is not a regular file inside the
boundary is refused with a reason, never opened, and listed in ``files``.

Each test runs lintra in a subprocess under the harness (LANG=C.UTF-8, memory cap, timeout): a FIFO
that were opened for reading would block the run until the timeout fails the test.
"""

import json
import os
import socket
import sys

import pytest
from click.testing import CliRunner

from lintra.cli import main
from tests.hostile.harness import every_format, lintra

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="POSIX special files")
COUPLED = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: csi.vsphere.vmware.com\n"


@pytest.fixture
def repo(tmp_path):
    (tmp_path / ".git").mkdir()  # the boundary: a repository root
    return tmp_path


def test_a_named_link_out_of_the_repository_is_not_read(repo):
    os.symlink("/etc/passwd", repo / "x.vmx")
    out = every_format(["x.vmx"], str(repo))
    [record] = out["json"]["files"]
    assert record["status"] == "skipped" and record["reason"] == \
        f"symbolic link to /etc/passwd, outside its repository {repo}: not read"
    assert out["code"] == 0 and not out["json"]["findings"]
    assert "root:" not in json.dumps(out["json"]) + out["text"] + out["stderr"]


def test_a_link_inside_the_repository_is_read(repo):
    (repo / "real.yaml").write_text(COUPLED)
    os.symlink("real.yaml", repo / "alias.yaml")
    run = lintra(["check", "-f", "json", "--", "alias.yaml"], str(repo))
    assert run.code == 1 and run.record("alias.yaml")["status"] == "scanned"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null", "/dev/fd/0", "/dev/stdin",
                                    "/proc/self/environ"])
def test_named_devices_are_refused_with_the_stdin_hint(repo, device):
    run = lintra(["check", "-f", "json", "--", device], str(repo), stdin=b"a: 1\n")
    [record] = run.json()["files"]
    assert record["status"] == "skipped" and record["reason"].endswith("not read; use - for standard input")
    assert run.code == 0


def test_a_named_fifo_is_refused_without_blocking(repo):
    os.mkfifo(repo / "pipe.yaml")
    run = lintra(["check", "-f", "json", "--", "pipe.yaml"], str(repo), timeout=60)
    assert run.record("pipe.yaml") == {"file": "pipe.yaml", "status": "skipped", "kind": None, "documents": 0,
                                       "reason": "a FIFO (named pipe), not a regular file: not read; "
                                                 "use - for standard input"}


def test_a_walk_accounts_for_fifos_sockets_links_and_duplicates(repo):
    (repo / "k8s").mkdir()
    (repo / "k8s" / "storage.yaml").write_text(COUPLED)
    os.mkfifo(repo / "k8s" / "pipe.yaml")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(repo / "k8s" / "sock.yaml"))
    os.symlink("storage.yaml", repo / "k8s" / "second.yaml")
    os.symlink("/dev/zero", repo / "k8s" / "zero.yaml")
    os.symlink("missing.yaml", repo / "k8s" / "broken.yaml")
    try:
        out = every_format(["k8s"], str(repo))
    finally:
        server.close()
    records = {r["file"]: (r["status"], r["reason"]) for r in out["json"]["files"]}
    assert records == {
        "k8s/broken.yaml": ("skipped", "broken symbolic link"),
        "k8s/pipe.yaml": ("skipped", "a FIFO (named pipe), not a regular file: not read"),
        "k8s/second.yaml": ("scanned", None),
        "k8s/sock.yaml": ("skipped", "a socket, not a regular file: not read"),
        "k8s/storage.yaml": ("skipped", "the same file as k8s/second.yaml: read once"),
        "k8s/zero.yaml": ("skipped", "a character device, not a regular file: not read"),
    }
    assert out["code"] == 1


def test_a_file_over_the_size_limit_is_refused_unread(repo):
    with open(repo / "huge.yaml", "wb") as handle:  # sparse: no disk used, and never read
        handle.truncate(33 * 1024 * 1024)
    run = lintra(["check", "-f", "json", "--", "huge.yaml"], str(repo))
    assert run.code == 1
    assert run.record("huge.yaml")["status"] == "error" and run.record("huge.yaml")["reason"] == "larger than 32 MiB"
    assert [f["rule_id"] for f in run.json()["findings"]] == ["LT002"]


def test_an_unreadable_directory_is_an_error_and_exits_2(repo, monkeypatch):
    (repo / "locked").mkdir()
    (repo / "open.yaml").write_text(COUPLED)
    real_scandir = os.scandir

    def scandir(path="."):  # tests run as root, for whom mode 000 is no barrier
        if os.path.basename(str(path)) == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)
    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["check", "-f", "json", "--", "."])
    assert result.exit_code == 2, result.output
    records = {r["file"]: (r["status"], r["reason"]) for r in json.loads(result.output)["files"]}
    assert records == {"locked": ("error", "cannot read: directory cannot be listed: Permission denied"),
                       "open.yaml": ("scanned", None)}


def test_a_tree_1000_directories_deep(repo):
    levels = [str(repo)]
    for _ in range(1000):  # os.makedirs and shutil.rmtree recurse: build and remove by hand
        levels.append(os.path.join(levels[-1], "d"))
        os.mkdir(levels[-1])
    with open(os.path.join(levels[-1], "storage.yaml"), "w") as handle:
        handle.write(COUPLED)
    try:
        run = lintra(["check", "-f", "json", "--", "d"], str(repo))
        assert run.code == 1 and run.json()["summary"]["files"]["scanned"] == 1
    finally:
        os.remove(os.path.join(levels[-1], "storage.yaml"))
        for level in reversed(levels[1:]):
            os.rmdir(level)
