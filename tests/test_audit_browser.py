"""The HTML audit report in a real browser: headless Chromium (installed by .ci/run from Debian
packages) loads it with no console message, draws every chart, shows the JSON's numbers, and
loads a generated 100,000-finding estate within Chromium's own 5 s timeout.

The report itself runs no script (its Content-Security-Policy forbids any); the test loads a
copy with a probe script added that measures the page from inside Chromium and writes what it
found into the DOM Chromium dumps."""

import html as html_
import json
import os
import re
import shutil
import subprocess

import pytest

from tests.conftest import SHARED
from tests.test_audit import invoke

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
LOAD_BUDGET_MS = 5000
PROBE = """<script>
window.addEventListener("load", function () {
  var nav = performance.getEntriesByType("navigation")[0];
  var text = function (id) { var e = document.getElementById(id); return e ? e.textContent.trim() : null; };
  var rows = function (sel) { return document.querySelectorAll(sel).length; };
  var out = {
    load_ms: nav.loadEventStart,
    svgs: [].map.call(document.querySelectorAll("svg.chart"), function (svg) {
      var box = svg.getBoundingClientRect();
      return [box.width, box.height, svg.querySelectorAll("rect").length]; }),
    tables_behind_charts: rows("figure.chart table.chart-data"),
    score: text("estate-score"), findings: text("count-findings"), hard: text("count-hard"),
    objects: text("count-objects"),
    inventory_rows: rows("#inventory tbody tr"), blocker_rows: rows("#blockers table.blockers tbody tr"),
    footer: text("formula")
  };
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


@pytest.fixture
def chromium():
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Chromium is missing: .ci/run installs it with apt-get install chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium); CI runs this test")
    return CHROMIUM


def _run(browser, *args):
    return subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                           "--enable-logging=stderr", "--v=0", f"--timeout={LOAD_BUDGET_MS}", *args],
                          capture_output=True, text=True, timeout=120)


def _console(stderr):
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def probe(browser, page, tmp_path):
    """What the probe saw in ``page``; asserts Chromium logged no console message for the page as
    shipped or for the probed copy."""
    shipped = _run(browser, "--dump-dom", "file://" + str(page))
    assert shipped.returncode == 0, shipped.stderr[-2000:]
    assert not _console(shipped.stderr), _console(shipped.stderr)
    text = page.read_text(encoding="utf-8")
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text, count=1)
    probed = tmp_path / ("probed-" + page.name)
    probed.write_text(text.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    done = _run(browser, "--dump-dom", "file://" + str(probed))
    assert not _console(done.stderr), _console(done.stderr)
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, "the page did not finish loading within Chromium's --timeout"
    return json.loads(html_.unescape(found.group(1)))


def _check_page(seen, document):
    summary = document["views"]["summary"]
    assert len(seen["svgs"]) == 4 == seen["tables_behind_charts"]
    assert all(width > 0 and height > 0 for width, height, _ in seen["svgs"])
    assert seen["score"] == ("n/a" if summary["score"] is None else str(summary["score"]))
    assert (seen["findings"], seen["hard"], seen["objects"]) == (str(summary["findings"]), str(summary["hard"]),
                                                                 str(summary["objects"]))
    assert seen["inventory_rows"] == len(document["views"]["inventory"]) > 0
    assert seen["blocker_rows"] == len(document["views"]["blockers"]["items"]) > 0
    assert document["score_formula"] in seen["footer"]
    assert seen["load_ms"] < LOAD_BUDGET_MS


@pytest.mark.corpus
def test_shared_corpus_report_in_chromium(chromium, tmp_path):
    corpus, vsphere = os.path.join(SHARED, "corpus"), os.path.join(SHARED, "vsphere")
    if not os.path.isdir(corpus):
        pytest.skip("../shared is absent (it sits beside the checkout in CI)")
    assert invoke("audit", corpus, vsphere, "-o", str(tmp_path / "estate.json")).exit_code == 0
    assert invoke("audit", "--merge", str(tmp_path / "estate.json"), "-o", str(tmp_path / "estate.html")).exit_code == 0
    document = json.loads((tmp_path / "estate.json").read_text(encoding="utf-8"))
    seen = probe(chromium, tmp_path / "estate.html", tmp_path)
    _check_page(seen, document)
    assert all(rects > 0 for _, _, rects in seen["svgs"])  # every chart has bars on the corpus
    shot = tmp_path / "estate.png"
    taken = _run(chromium, f"--screenshot={shot}", "--window-size=1280,2400", "file://" + str(tmp_path / "estate.html"))
    assert taken.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10000


def generated_estate(repositories=200, per_repository=500):
    """An audit JSON of ``repositories`` x ``per_repository`` findings over the vocabulary of
    the built-in rules, written as records (what shards produce)."""
    from lintra import __version__
    from lintra.audit import document
    from lintra.audit.record import base_record, rule_dict
    from lintra.plugins import load_registry

    rules = [rule for rule in load_registry().rules.values() if rule.vendor != "lintra"]
    records = []
    for r in range(repositories):
        record = base_record(f"repo-{r:04}", f"https://github.com/example/repo-{r:04}.git",
                             f"https://github.com/example/repo-{r:04}.git", None, None, "0" * 40, None, __version__,
                             "d" * 32, "balanced")
        findings = []
        for n in range(per_repository):
            rule = rules[(r * 31 + n) % len(rules)]
            layer = {"vsphere-vm": "vm", "k8s": "platform"}.get(rule.kinds[0] if rule.kinds else "", "iaas")
            file = f"dir-{n % 25}/file-{n // 5}.yaml"
            findings.append({
                "rule_id": rule.id, "vendor": rule.vendor, "service": rule.service or None,
                "category": rule.category, "strength": rule.strength, "layer": layer, "level": rule.severity.name,
                "effort": rule.effort, "file": file, "line": 1 + n % 300, "column": 3, "object": f"{file}#{n % 5}",
                "object_type": "VM" if layer == "vm" else "Deployment", "object_name": f"object-{n}",
                "message": f"{rule.title} on object-{n} <in> a|generated estate", "fingerprint": f"{r:08x}{n:024x}",
                "status": "baselined" if n % 7 == 0 else "open",
                "fails": {"conservative": rule.strength == "hard", "balanced": rule.strength != "soft",
                          "agile": True, "configured": rule.strength != "soft"}})
        record["findings"] = findings
        record["objects"] = [{"file": f"dir-{d}/file-{f}.yaml", "layer": "platform", "objects": 8}
                             for d in range(25) for f in range(0, per_repository // 5, 25)]
        record["files"] = {"total": 100, "scanned": 100, "skipped": 0, "error": 0}
        records.append(record)
    return document(records, {rule.id: rule_dict(rule) for rule in rules})


@pytest.mark.slow
def test_100000_finding_estate_is_small_and_loads_within_5_seconds(chromium, tmp_path):
    estate = generated_estate()
    assert sum(len(r["findings"]) for r in estate["repositories"]) == 100000
    (tmp_path / "big.json").write_text(json.dumps(estate), encoding="utf-8")
    assert invoke("audit", "--merge", str(tmp_path / "big.json"), "-o", str(tmp_path / "big.html")).exit_code == 0
    size = (tmp_path / "big.html").stat().st_size
    assert size < 20 * 1024 * 1024, size
    seen = probe(chromium, tmp_path / "big.html", tmp_path)
    merged = json.loads(invoke("audit", "--merge", str(tmp_path / "big.json"), "--format", "json").stdout)
    _check_page(seen, merged)
    print(f"100,000-finding estate: HTML {size / 1e6:.1f} MB, Chromium load event at {seen['load_ms']:.0f} ms")
