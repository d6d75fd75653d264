"""One notion of repository root, shared by configuration discovery, nested templates and
--heat-env-auto."""

import os

from lintra.config.files import find_upward
from lintra.repository import is_within, repository_root


def tree(tmp_path, *paths):
    for path in paths:
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.endswith("/"):
            target.mkdir(exist_ok=True)
        else:
            target.write_text("x\n")
    return str(tmp_path)


def test_version_control_wins_over_a_nearer_project_marker(tmp_path):
    root = tree(tmp_path, "repo/.git/", "repo/LICENSE", "repo/sub/pyproject.toml", "repo/sub/deep/t.yaml")
    assert repository_root(os.path.join(root, "repo/sub/deep/t.yaml")) == os.path.join(root, "repo")
    assert repository_root(os.path.join(root, "repo/sub")) == os.path.join(root, "repo")


def test_a_git_file_marks_a_worktree_or_submodule(tmp_path):
    root = tree(tmp_path, "repo/.git/", "repo/vendor/lib/.git", "repo/vendor/lib/t.yaml")
    assert repository_root(os.path.join(root, "repo/vendor/lib/t.yaml")) == os.path.join(root, "repo/vendor/lib")


def test_without_version_control_the_nearest_project_marker_stands_in(tmp_path):
    root = tree(tmp_path, "corpus/a/LICENSE", "corpus/a/env/e.yaml", "corpus/b/.zuul.yaml", "corpus/b/t.yaml",
                "corpus/loose/t.yaml")
    assert repository_root(os.path.join(root, "corpus/a/env/e.yaml")) == os.path.join(root, "corpus/a")
    assert repository_root(os.path.join(root, "corpus/b/t.yaml")) == os.path.join(root, "corpus/b")
    assert repository_root(os.path.join(root, "corpus/loose/t.yaml")) is None


def test_a_shared_cache_gives_each_directory_its_own_answer(tmp_path):
    root = tree(tmp_path, "top/LICENSE", "top/sub/setup.cfg", "top/sub/deep/t.yaml", "top/other/t.yaml")
    cache = {}
    assert repository_root(os.path.join(root, "top/sub/deep/t.yaml"), cache) == os.path.join(root, "top/sub")
    assert repository_root(os.path.join(root, "top/other/t.yaml"), cache) == os.path.join(root, "top")
    assert repository_root(os.path.join(root, "top/sub/deep/t.yaml"), cache) == os.path.join(root, "top/sub")


def test_configuration_is_not_looked_up_beyond_the_repository_root(tmp_path):
    root = tree(tmp_path, ".lintra.yaml", "repo/LICENSE", "repo/stacks/t.yaml")
    assert find_upward([os.path.join(root, "repo/stacks/t.yaml")], [".lintra.yaml"]) is None
    assert find_upward([os.path.join(root, "elsewhere.yaml")], [".lintra.yaml"]) == os.path.join(root, ".lintra.yaml")


def test_is_within(tmp_path):
    assert is_within("/a/b/c", "/a/b") and is_within("/a/b", "/a/b")
    assert not is_within("/a/bc", "/a/b") and not is_within("/a", "/a/b")
