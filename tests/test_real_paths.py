"""lintra.repository.RealPaths gives os.path.realpath's answers with fewer look-ups, and the
nested-template follower that uses it still reads each file once by real path.

Every answer is compared with os.path.realpath itself on trees of symbolic links (to files and
directories, relative and absolute, chained, broken, looping, in the middle of a path and at its
end), for paths written with ``.``, ``..`` and doubled separators, relative and absolute."""

import itertools
import os

import pytest
import yaml

from lintra.load.references import References
from lintra.model import Document, Source
from lintra.repository import RealPaths

pytestmark = pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")


def _tree(root):
    """A repository with every kind of link a path can pass through."""
    for directory in ("repo/lib/deep", "repo/env", "repo/other", "outside/lib"):
        os.makedirs(os.path.join(root, directory), exist_ok=True)
    for name in ("repo/lib/net.yaml", "repo/lib/deep/port.yaml", "repo/env/e.yaml", "repo/other/t.yaml",
                 "outside/lib/net.yaml", "repo/LICENSE"):
        with open(os.path.join(root, name), "w") as handle:
            handle.write("x: 1\n")
    links = {
        "repo/env/linked.yaml": "../lib/net.yaml",              # a file link, relative
        "repo/env/renamed.yaml": "../other/t.yaml",            # its real name differs
        "repo/env/chain.yaml": "linked.yaml",                  # a link to a link
        "repo/env/libdir": "../lib",                           # a directory link, relative
        "repo/env/absdir": os.path.join(root, "repo/lib/deep"),  # a directory link, absolute
        "repo/env/out": os.path.join(root, "outside/lib"),     # leaving the repository
        "repo/env/broken.yaml": "nowhere.yaml",                # broken
        "repo/env/loop.yaml": "loop.yaml",                     # a loop
        "repo/envlink": "env",                                 # a directory link one level up
    }
    for name, target in links.items():
        os.symlink(target, os.path.join(root, name))


REFERENCES = ["net.yaml", "../lib/net.yaml", "./../lib/net.yaml", "..//lib/./net.yaml", "linked.yaml",
              "renamed.yaml", "chain.yaml", "libdir/net.yaml", "libdir/../env/e.yaml", "libdir/deep/../net.yaml",
              "absdir/port.yaml", "absdir/../net.yaml", "out/net.yaml", "out/../../repo/LICENSE", "broken.yaml",
              "loop.yaml", "missing/../e.yaml", "missing.yaml", "../../../../../../../../../x.yaml",
              "../envlink/linked.yaml", "../envlink/../lib/net.yaml", "e.yaml", ".", "..", "deep/"]
DIRECTORIES = ["repo/env", "repo/envlink", "repo/env/libdir", "repo/env/absdir", "repo/./env", "repo//env",
               "repo/lib/../env", "repo/env/libdir/..", "repo/env/out", "repo/missing", "repo"]


@pytest.fixture
def tree(tmp_path, monkeypatch):
    _tree(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return str(tmp_path)


def test_below_answers_as_realpath_for_every_reference(tree):
    paths = RealPaths()
    for directory, reference in itertools.product(DIRECTORIES + [os.path.join(tree, d) for d in DIRECTORIES],
                                                  REFERENCES + [os.path.join(tree, "repo/env/linked.yaml")]):
        expected = os.path.realpath(os.path.join(directory, reference))
        assert paths.below(directory, reference) == expected, (directory, reference)
        assert RealPaths().below(directory, reference) == expected, (directory, reference)  # cold cache


def test_of_answers_as_realpath_for_every_path(tree):
    paths = RealPaths()
    for directory, reference in itertools.product(DIRECTORIES, REFERENCES):
        for path in (os.path.join(directory, reference), os.path.join(tree, directory, reference)):
            assert paths.of(path) == os.path.realpath(path), path
    for path in ("", ".", "..", "net.yaml", "repo", "repo/", "/"):
        assert paths.of(path) == os.path.realpath(path), path


def _heat(source, text):
    return Document(source, 0, "heat", yaml.safe_load(text), None)


def test_a_nested_template_named_through_a_link_of_another_name_is_read_once(tree):
    """``renamed.yaml`` links to ``other/t.yaml``: a reference to ``../other/t.yaml`` names a file
    the run already reads, although no path the run was given is called ``t.yaml``."""
    references = References()
    named = Source("repo/env/renamed.yaml", "repo/env/renamed.yaml")
    references.named(named)
    parent = Source("repo/env/e.yaml", "repo/env/e.yaml")
    references.named(parent)
    text = "heat_template_version: 2018-08-31\nresources:\n  a: {type: ../other/t.yaml}\n  b: {type: ../lib/net.yaml}\n" \
           "  c: {type: linked.yaml}\n  d: {type: libdir/net.yaml}\n"
    found = references.follow([_heat(parent, text)])
    # t.yaml is renamed.yaml, already named; net.yaml is read once though named three ways
    assert [source.name for source in found] == ["repo/lib/net.yaml"]
    assert references.follow([_heat(parent, text)]) == []


def test_a_named_file_of_the_same_name_elsewhere_is_not_taken_for_the_reference(tree):
    references = References()
    references.named(Source("repo/other/net.yaml", "repo/other/net.yaml"))  # same name, not the same file
    os.rename(os.path.join(tree, "repo/other/t.yaml"), os.path.join(tree, "repo/other/net.yaml"))
    parent = Source("repo/env/e.yaml", "repo/env/e.yaml")
    found = references.follow([_heat(parent, "resources:\n  a: {type: ../lib/net.yaml}\n")])
    assert [source.name for source in found] == ["repo/lib/net.yaml"]


def test_directory_answers_as_realpath_with_one_look_up_per_new_directory(tree, monkeypatch):
    paths = RealPaths()
    candidates = DIRECTORIES + [os.path.join(tree, d) for d in DIRECTORIES] + \
        [os.path.join(tree, d, r) for d in DIRECTORIES for r in REFERENCES] + ["/", "//", "//repo", tree + "/"]
    for directory in candidates:
        assert paths.directory(directory) == os.path.realpath(directory), directory
        assert RealPaths().directory(directory) == os.path.realpath(directory), directory  # cold cache
    looked = []
    real_lstat = os.lstat
    monkeypatch.setattr(os, "lstat", lambda path, *a, **k: looked.append(path) or real_lstat(path, *a, **k))
    paths = RealPaths()
    deep = os.path.join(tree, "repo", "lib", "deep")
    expected = os.path.join(paths.directory(deep), "a")
    looked.clear()
    paths.directory(os.path.join(deep, "a"))  # a directory below one resolved: its own part only
    assert looked == [expected]



@pytest.fixture
def deep_tree(tmp_path):
    """A directory more levels below ``tmp_path`` than Python's recursion limit (a path of about
    3,000 characters), made and removed one level at a time: os.makedirs and shutil.rmtree (and
    so pytest's clean-up of old temporary directories) recurse once per level."""
    import sys

    deep = str(tmp_path)
    for _ in range(max(1500, sys.getrecursionlimit() + 100)):
        deep = os.path.join(deep, "d")
        os.mkdir(deep)
    yield deep
    while deep != str(tmp_path):
        for name in os.listdir(deep):
            if not os.path.isdir(os.path.join(deep, name)):
                os.remove(os.path.join(deep, name))
        os.rmdir(deep)
        deep = os.path.dirname(deep)


def test_a_tree_deeper_than_the_recursion_limit_is_resolved_and_checked(tmp_path, deep_tree):
    """Each directory is resolved from its parent's real path in a loop, not a call per level:
    the deep template is read, its nested template followed, both reported."""
    from lintra.pipeline import run

    with open(os.path.join(deep_tree, "top.yaml"), "w") as handle:
        handle.write("heat_template_version: 2018-08-31\nresources:\n  c:\n    type: child.yaml\n")
    with open(os.path.join(deep_tree, "child.yaml"), "w") as handle:
        handle.write("heat_template_version: 2018-08-31\nresources:\n  n:\n    type: OS::Neutron::Net\n")
    assert RealPaths().directory(deep_tree) == os.path.realpath(deep_tree)
    top = os.path.join(deep_tree, "top.yaml")
    assert RealPaths().of(top) == os.path.realpath(top)
    result = run([str(tmp_path)])
    assert sorted((os.path.basename(r.file), r.status) for r in result.files) == [("child.yaml", "scanned"),
                                                                                  ("top.yaml", "scanned")]
