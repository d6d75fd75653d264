"""--changed-since with file names git quotes in its patch headers.

``git diff`` writes a path holding a double quote, a backslash or a control character as a
C-quoted string (``+++ "b/tab\\there.yaml"``, whatever ``core.quotePath`` says), and ends an
unquoted ``---``/``+++`` name that holds a space with a tab. Each such changed file was left out
of the gate (the run passed with it unchecked); now each is linted, and ``--new-only`` keeps the
findings on its changed lines only.
"""

import json
import shutil
import subprocess
import sys

import pytest

from lintra.discover.changes import _parse

pytestmark = pytest.mark.skipif(shutil.which("git") is None or sys.platform != "linux",
                                reason="git and a file system that takes any character in names")

HEAT = "heat_template_version: 2018-08-31\nresources:\n  net:\n    type: OS::ContrailV2::VirtualNetwork\n"
ADDED = "  net2:\n    type: OS::ContrailV2::VirtualNetwork\n"
NAMES = ["with space.yaml", 'quote"d.yaml', "tab\there.yaml", "new\nline.yaml", "back\\slash.yaml", "café.yaml",
         "x b/y.yaml", "plain.yaml"]


def git(repo, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True,
                   capture_output=True)


@pytest.fixture
def repo(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "x b").mkdir()
    for name in NAMES:
        (tmp_path / name).write_text(HEAT)
    (tmp_path / "untouched.yaml").write_text(HEAT)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    for name in NAMES:
        (tmp_path / name).write_text(HEAT + ADDED)
    return tmp_path


def check(repo, *args):
    proc = subprocess.run([sys.executable, "-m", "lintra", "check", "-f", "json", *args, "."], cwd=repo,
                          capture_output=True)
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)


def test_every_changed_file_is_linted_whatever_its_name(repo):
    report = check(repo, "--changed-since", "HEAD")
    assert sorted(f["file"] for f in report["files"]) == sorted(NAMES)
    assert sorted((f["file"], f["line"]) for f in report["findings"]) == sorted(
        (name, line) for name in NAMES for line in (4, 6))


def test_new_only_keeps_the_changed_lines_of_quoted_names(repo):
    report = check(repo, "--changed-since", "HEAD", "--new-only")
    assert sorted((f["file"], f["line"]) for f in report["findings"]) == sorted((name, 6) for name in NAMES)


def test_parse_reads_quoted_and_tab_ended_headers():
    diff = ('diff --git "a/tab\\there.yaml" "b/tab\\there.yaml"\nindex 1..2 100644\n--- "a/tab\\there.yaml"\n'
            '+++ "b/tab\\there.yaml"\n@@ -4,0 +5,2 @@\n+a\n+b\n'
            'diff --git a/sp ace.yaml b/sp ace.yaml\nindex 1..2 100644\n--- a/sp ace.yaml\t\n+++ b/sp ace.yaml\t\n'
            '@@ -1 +1 @@\n-x\n+y\n'
            'diff --git "a/caf\\303\\251 b/\\"q.yaml" "b/caf\\303\\251 b/\\"q.yaml"\nnew file mode 100644\n'
            'index 0..2\nBinary files /dev/null and "b/caf\\303\\251 b/\\"q.yaml" differ\n'
            'diff --git a/m b/x.yaml b/m b/x.yaml\nold mode 100644\nnew mode 100755\n')
    assert _parse(diff) == [("tab\there.yaml", {5, 6}), ("sp ace.yaml", {1}), ('café b/"q.yaml', None),
                            ("m b/x.yaml", None)]


@pytest.mark.parametrize("args", [["--changed-since", ""], ["--changed-since=", "--new-only"], ["--changed-since", " "]])
def test_an_empty_ref_is_a_usage_error_not_a_full_scan(repo, args):
    """``--changed-since "$BASE_REF"`` with the variable unset scanned everything as if the flag
    were absent (git itself refuses an empty revision)."""
    proc = subprocess.run([sys.executable, "-m", "lintra", "check", *args, "."], cwd=repo, capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith(f"Error: --changed-since: {args[-1] if args[-1] == ' ' else ''!r} is no git ref")


@pytest.mark.parametrize("setting", ["diff.noprefix=true", "diff.mnemonicPrefix=true", "diff.interHunkContext=10",
                                     "diff.relative=true"])
def test_new_only_keeps_the_changed_lines_whatever_the_users_diff_settings(tmp_path, setting):
    """A user's (or the checkout's) git configuration shapes ``git diff``: ``diff.noprefix`` and
    ``diff.mnemonicPrefix`` change the ``b/`` of the headers, which made every changed file count
    as wholly changed, and ``diff.interHunkContext`` merges nearby hunks, counting the unchanged
    lines between them as changed. Either way ``--new-only`` reported the unchanged finding."""
    template = "heat_template_version: 2018-08-31\ndescription: a\nresources:\n  net:\n" \
               "    type: OS::ContrailV2::VirtualNetwork\n"
    git(tmp_path, "init", "-q")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "t.yaml").write_text(template)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    git(tmp_path, "config", *setting.split("="))
    (tmp_path / "sub" / "t.yaml").write_text(template.replace("description: a", "description: b") + ADDED)
    report = check(tmp_path, "--changed-since", "HEAD", "--new-only")
    assert [(f["file"], f["line"]) for f in report["findings"]] == [("sub/t.yaml", 7)]
