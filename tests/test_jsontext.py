"""The JSON writer of the reports (lintra/report/jsontext.py) writes what
``json.dump(for_json(value), stream, indent=2)`` writes, byte for byte, in a few large writes."""

import io
import json
import math
import os
import subprocess
import sys
from enum import IntEnum

import pytest
from hypothesis import given, settings, strategies as st

from lintra.escape import for_json
from lintra.report import jsontext

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def reference(value):
    stream = io.StringIO()
    json.dump(for_json(value), stream, indent=2)
    return stream.getvalue() + "\n"


def written(value):
    stream = io.StringIO()
    jsontext.write(value, stream)
    return stream.getvalue()


class Level(IntEnum):
    error = 3


class Name(str):
    pass


keys = st.one_of(st.text(max_size=6), st.integers(-5, 5), st.booleans(), st.none(),
                 st.floats(allow_nan=False, width=32), st.sampled_from(["\ud800", "\\ud800", "é", "\udcff"]))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8),
                    st.sampled_from(["\ud800x", "line\nbreak", "\x1b[31m", "\x7f", "é", "\u202e", Name("sub"),
                                     Name("\udc80"),
                                     Level.error, math.inf, -math.inf]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.lists(inner, max_size=3).map(tuple),
    st.dictionaries(keys, inner, max_size=5)), max_leaves=25)


@settings(max_examples=400, deadline=None)
@given(values)
def test_any_value_is_written_as_json_dump_writes_it(value):
    assert written(value) == reference(value)
    assert jsontext.dumps(value) == reference(value)[:-1]


@pytest.mark.parametrize("value", [
    {}, [], {"a": {}}, {"a": []}, [[]], [{}], {"a": [1, [2, {"b": None}]]},
    {"\ud800": 1, "\\ud800": 2},  # two keys that for_json makes one: the later value wins, at the first place
    {1: "one", 2.5: "x", True: "t", None: "n"},
    {"nan": math.nan, "inf": [math.inf, -math.inf]},
    {"finding": {"related": [{"message": "é \ud83d", "line": 3}], "level": Level.error}},
    ("a", ("b",)),
    {"\x7f": "a\x7fb"}, ["\x7f"],  # DEL: ASCII, yet escaped by the ASCII-escaping encoder
])
def test_edge_cases(value):
    assert written(value) == reference(value)


def test_what_json_refuses_is_refused_as_json_refuses_it():
    for value in ({"a": object()}, {("tuple", "key"): 1}, [1, {2, 3}]):
        with pytest.raises(TypeError) as ours:
            written(value)
        with pytest.raises(TypeError) as theirs:
            reference(value)
        assert str(ours.value) == str(theirs.value)


def test_a_large_report_reaches_the_stream_in_few_pieces_and_never_whole():
    class Counting(io.StringIO):
        writes = []

        def write(self, text):
            self.writes.append(len(text))
            return super().write(text)

    value = {"findings": [{"rule_id": f"LK{i}", "line": i, "message": "m" * 40, "related": [{"line": i}]}
                          for i in range(20000)]}
    stream = Counting()
    jsontext.write(value, stream)
    assert stream.getvalue() == reference(value)
    # json.dump writes each key, value and bracket apart (each a system call on an unbuffered
    # stream): about 20 writes per finding here
    assert len(stream.writes) < len(stream.getvalue()) // jsontext.PIECE + 8
    assert max(stream.writes) < 4 * jsontext.PIECE


def test_the_report_formats_write_json_dumps_text_unbuffered(tmp_path):
    """A whole run through a real process with unbuffered standard output (PYTHONUNBUFFERED, as
    CI images set it): every JSON format is the text json.dump writes, one piece per line
    ending the write."""
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n"
                                       "    note: \"caf\\xe9\"\nspec:\n  volumes:\n  - name: d\n"
                                       "    awsElasticBlockStore:\n      volumeID: vol-1\n")
    env = dict(os.environ, LANG="C.UTF-8", PYTHONUNBUFFERED="1")
    for fmt in ("json", "sarif", "gitlab"):
        proc = subprocess.run([sys.executable, "-m", "lintra", "check", "--isolated", "--no-cache", "-f", fmt,
                               str(tmp_path)], capture_output=True, cwd=ROOT, env=env)
        assert proc.returncode == 1, proc.stderr
        text = proc.stdout.decode("utf-8")
        assert text == json.dumps(json.loads(text), indent=2) + "\n", fmt


def test_the_shared_corpus_report_is_the_text_json_dump_writes(corpus):
    """The JSON and SARIF reports of the whole shared corpus, written by json.dump and by the
    writer, byte for byte (the findings, files and summary of a real run: escaped text,
    related locations, regions, nulls)."""
    from lintra.pipeline import run
    from lintra.report import json as json_report, sarif

    result = run([corpus], jobs=1, options={"cache": False})
    for value in (json_report.to_dict(result), sarif.to_dict(result, {})):
        assert written(value) == reference(value)
