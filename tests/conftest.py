import os
import textwrap

import pytest

from lintra.filter import Judgement
from lintra.pipeline import run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
CORPUS = os.path.join(SHARED, "corpus")


@pytest.fixture(scope="session", autouse=True)
def own_cache_directory(tmp_path_factory):
    """The suite's runs (and the processes they start) cache in a directory of their own, not in
    the developer's ~/.cache/lintra: a full scan's map outcomes are cached, and a test that
    patches lintra's code must not leave entries a later run of the real code would read."""
    if "LINTRA_CACHE_DIR" in os.environ:
        yield
        return
    os.environ["LINTRA_CACHE_DIR"] = str(tmp_path_factory.mktemp("lintra-cache"))
    try:
        yield
    finally:
        os.environ.pop("LINTRA_CACHE_DIR", None)


@pytest.fixture(autouse=True)
def no_user_config(tmp_path_factory, monkeypatch):
    """A developer's own ~/.config/lintra/config.yaml must not change what tests see."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg")))


@pytest.fixture
def corpus():
    """The real repositories in ../shared/corpus; skipped where that checkout is absent."""
    if not os.path.isdir(CORPUS):
        pytest.skip("../shared/corpus is absent (it sits beside the checkout in CI)")
    return CORPUS


@pytest.fixture(scope="session")
def corpus_result():
    """One full scan of ../shared/corpus, shared by every corpus test."""
    if not os.path.isdir(CORPUS):
        pytest.skip("../shared/corpus is absent (it sits beside the checkout in CI)")
    return run([CORPUS])


@pytest.fixture
def lint(tmp_path):
    """lint(text, name="t.yaml", **judgement) -> Result of a scan of that one file."""

    def _lint(text, name="t.yaml", **judgement):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return run([str(path)], Judgement(**judgement))
    return _lint


def where(result, rule_id=None):
    """[(rule_id, line, column)] of a result's findings, optionally of one rule."""
    return [(f.rule.id, f.span.line, f.span.column) for f in result.findings
            if rule_id is None or f.rule.id == rule_id]
