"""The audit document rendered: one self-contained HTML file, GitHub-flavoured Markdown, JSON.

HTML goes through autoescaped jinja2 templates shipped in the package (``templates/``), with
inline CSS and SVG; nothing is fetched. Markdown passes every value through
:func:`lintra.report.escape.markdown` and stays under GitHub's comment limit by shortening its
lists (each says how many were left out).
"""

from __future__ import annotations

import json

from lintra.audit.record import LAYER_TITLES
from lintra.report.escape import markdown_cell

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, List, Sequence, Tuple

#: GitHub rejects a comment or issue body longer than this
MARKDOWN_LIMIT = 65536
#: findings listed in the HTML's per-repository sections, all repositories together
HTML_FINDINGS_LIMIT = 5000
#: rows of a long HTML table shown before the rest folds into <details>
HTML_VISIBLE_ROWS = 25


def md(text: Any, limit: int = 0) -> str:
    """A value from a scanned file as literal Markdown, shortened to ``limit`` characters first."""
    value = "" if text is None else str(text)
    if limit and len(value) > limit:
        value = value[:limit - 1] + "\u2026"
    return markdown_cell(value)


def json_text(report: Dict[str, Any]) -> str:
    return json.dumps(report, indent=1, ensure_ascii=False) + "\n"


# --- charts ------------------------------------------------------------------------------------

def bar_chart(title: str, rows: Sequence[Tuple[str, float]], maximum: float = 0.0, unit: str = "") -> Dict[str, Any]:
    """A horizontal bar chart as data the template draws (label, value, bar width)."""
    maximum = maximum or max([value for _, value in rows] + [1.0])
    height = 22
    label_width, bar_width = 300, 420
    bars = [{"label": label, "value": value, "y": 8 + i * height,
             "width": max(1.0, round(bar_width * (value / maximum), 1)) if value else 0.0}
            for i, (label, value) in enumerate(rows)]
    return {"title": title, "bars": bars, "height": 16 + max(1, len(rows)) * height, "label_width": label_width,
            "width": label_width + bar_width + 80, "unit": unit}


def _score(value) -> float:
    return 0.0 if value is None else float(value)


def charts(report: Dict[str, Any]) -> List[Dict[str, Any]]:
    views = report["views"]
    repos = sorted(views["scores"]["repositories"], key=lambda r: (_score(r["score"]), r["repository"]))[:30]
    vendors: Dict[str, int] = {}
    for cell in views["matrix"]:
        vendors[cell["vendor"]] = vendors.get(cell["vendor"], 0) + cell["findings"]
    layers = views["scores"]["layers"]
    return [
        bar_chart("Portability score by layer", [(LAYER_TITLES[k], _score(v["score"])) for k, v in layers.items()
                                                 if v["objects"]], 100.0),
        bar_chart("Least portable repositories (score)", [(r["repository"], _score(r["score"])) for r in repos],
                  100.0),
        bar_chart("Findings by vendor", sorted(vendors.items(), key=lambda x: (-x[1], x[0]))),
        bar_chart("Failing findings by profile", [(name, views["profiles"][name]["failing"])
                                                 for name in ("conservative", "balanced", "agile", "configured")]),
    ]


# --- HTML --------------------------------------------------------------------------------------

def _inert(value: Any) -> Any:
    """Every value the HTML template prints, before autoescaping: autoescaping stops markup, not
    terminal controls, bidi overrides (a finding that reads backwards) or lone surrogates (which
    strict UTF-8 cannot write); those are shown as escapes. Lines stay lines."""
    import markupsafe

    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        from lintra.escape import terminal

        return "\n".join(terminal(line) for line in value.split("\n"))
    return value


def html(report: Dict[str, Any]) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("lintra.audit", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, finalize=_inert)
    template = env.get_template("audit.html.j2")
    remaining = HTML_FINDINGS_LIMIT
    listed = []
    for record in report["repositories"]:
        shown = record["findings"][:max(0, remaining)]
        remaining -= len(shown)
        listed.append((record, shown))
    return template.render(report=report, views=report["views"], charts=charts(report), layers=LAYER_TITLES,
                           listed=listed, visible=HTML_VISIBLE_ROWS, findings_limit=HTML_FINDINGS_LIMIT)


# --- Markdown ----------------------------------------------------------------------------------

def markdown(report: Dict[str, Any]) -> str:
    for rows in (50, 20, 10, 5, 0):
        text = _markdown(report, rows)
        if len(text) < MARKDOWN_LIMIT:
            return text
    return text[:MARKDOWN_LIMIT - 200] + "\n\n(report cut at GitHub's comment limit; see the JSON or HTML report)\n"


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], limit: int, total: int = -1) -> List[str]:
    total = len(rows) if total < 0 else total
    lines = ["| " + " | ".join(md(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md(cell, 200) for cell in row) + " |" for row in rows[:limit]]
    if total > limit:
        lines.append(f"\n{total - min(limit, len(rows))} more not shown (see the JSON or HTML report).")
    return lines + [""]


def _fmt_score(value) -> str:
    return "n/a" if value is None else f"{value:g}"


def _markdown(report: Dict[str, Any], limit: int) -> str:
    views = report["views"]
    summary = views["summary"]
    out = ["# lintra estate audit", "",
           f"**Portability score: {_fmt_score(summary['score'])}/100** over {summary['objects']} objects in "
           f"{summary['repositories']} repositories; {summary['findings']} coupling findings "
           f"({summary['open']} open, {summary['accepted']} accepted), {summary['hard']} hard.", ""]
    out += ["## Layers", ""]
    out += _table(["layer", "objects", "score"], [(LAYER_TITLES[k], v["objects"], _fmt_score(v["score"]))
                                                  for k, v in views["scores"]["layers"].items()], 10)
    out += ["## Repositories", ""]
    repos = sorted(views["scores"]["repositories"], key=lambda r: (_score(r["score"]), r["repository"]))
    effort = views["effort"]["repositories"]
    out += _table(["repository", "objects", "score", "effort"],
                  [(r["repository"], r["objects"], _fmt_score(r["score"]), effort.get(r["repository"], {}).get("effort", 0))
                   for r in repos], max(limit, 10))
    out += ["## Blockers (hard coupling)", ""]
    blockers = views["blockers"]
    out += _table(["where", "rule", "message", "status"],
                  [(f"{b['repository']}: {b['file']}:{b['line']}", b["rule_id"], b["message"], b["status"])
                   for b in blockers["items"]], limit, blockers["total"])
    out += ["## Dependency inventory", ""]
    out += _table(["vendor", "service", "objects", "repositories", "open alternative"],
                  [(g["vendor"], g["service"] + (" (by rule)" if g["grouped_by"] == "rule" else ""),
                    ", ".join(f"{n} {t}" for t, n in g["objects"].items()), len(g["repositories"]),
                    (g["alternatives"] or [""])[0]) for g in views["inventory"]], limit)
    out += ["## Coupling matrix", ""]
    out += _table(["vendor", "layer", "category", "findings", "accepted"],
                  [(c["vendor"], c["layer"], c["category"], c["findings"], c["accepted"]) for c in views["matrix"]],
                  max(limit, 10))
    out += ["## Profile comparison", ""]
    out += _table(["profile", "failing findings", "failing repositories"],
                  [(name, views["profiles"][name]["failing"], views["profiles"][name]["failing_repositories"])
                   for name in ("conservative", "balanced", "agile", "configured")], 4)
    if views["vms"]:
        out += ["## VMs ranked by blockers", ""]
        out += _table(["repository", "VM", "blockers", "findings"],
                      [(v["repository"], v["name"] or v["object"], v["blockers"], v["findings"]) for v in views["vms"]],
                      limit)
    trend = views.get("trend")
    if trend:
        out += ["## Trend", "", f"{trend['new']['count']} new, {trend['fixed']['count']} fixed, "
                f"{trend['unchanged']['count']} unchanged.", ""]
        for name in ("new", "fixed"):
            out += _table([name, "rule", "message"], [(f"{i['repository']}: {i['file']}:{i['line']}", i["rule_id"],
                                                      i["message"]) for i in trend[name]["items"]],
                          limit, trend[name]["count"])
    out += ["---", "", md(report["score_formula"]), ""]
    return "\n".join(out)
