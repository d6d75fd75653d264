import pytest

from lintra.pipeline import run


@pytest.fixture
def scan_tree(tmp_path):
    """scan_tree({relative path: text}, rule_id) -> that rule's findings in one scan of the tree,
    the way cross-object rules see a repository (directories are created as needed); with
    rule_id None, every finding."""

    def _scan(files, rule_id):
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return [f for f in run([str(tmp_path)]).findings if rule_id is None or f.rule.id == rule_id]
    return _scan
