"""Helm charts analysed in place, without a helm binary.

A directory holding ``Chart.yaml`` is a chart: discovery hands its ``Chart.yaml`` to this
loader, which reads the whole chart (templates, values, ``crds/``, subcharts under ``charts/`` as
directories or vendored ``.tgz`` archives, ``file://`` dependencies inside the repository),
renders every template with a small Go-template evaluator (:mod:`.evaluate`) and returns the
rendered Kubernetes documents. Their locator answers in the file a user edits: the template line
of a literal, or the values line of a printed value (with the consuming template line as a
related place). Templates are rendered once with the values in effect and again exploring the
branches those values switch off; output only those branches produce is *conditional*.

Every file of the chart is accounted for (:attr:`ChartLoad.records`), and whatever the
evaluator could not resolve is a note in the chart's file entry.
"""

from __future__ import annotations

import os

from lintra.load.helm import template as T
from lintra.load.helm.chart import (ArchiveError, ChartFiles, chart_metadata, read_archive, read_directory,
                                    subchart_dirs)
from lintra.load.helm.evaluate import Renderer, Scope, Template
from lintra.load.helm.render import FileLocator, Lines, documents
from lintra.load.helm.values import Layer, ValuesOrigin, coalesce, parse_set, set_tree
from lintra.load import limits
from lintra.load.limits import LimitExceeded
from lintra.model import FileRecord

TYPE_CHECKING = False  # typing is the type checker's, not imported at run time (lintra/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Sequence, Tuple

_MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


class ChartLoad(list):
    """The chart's rendered documents as ``(data, locator)`` pairs, plus what the file entry of
    ``Chart.yaml`` says (``reason``, ``notes``) and a record for every other file of the chart."""

    def __init__(self) -> None:
        super().__init__()
        self.records: List[FileRecord] = []
        self.notes: List[str] = []
        self.reason: Optional[str] = None
        #: ``(file, text)`` of chart files holding ``lintra:`` comments (suppressions)
        self.comments: List[Tuple[str, str]] = []


class HelmOptions:
    """``--helm-values`` files (later wins; a :class:`Layer` stands for values written inside
    another file) and ``--helm-set``/``--helm-set-string`` pairs."""

    __slots__ = ("values_files", "sets")

    def __init__(self, values_files: Sequence[str] = (), sets: Sequence[Tuple[str, bool]] = ()) -> None:
        self.values_files = list(values_files)
        self.sets = list(sets)  # (expression, as_string) in command-line order


class _Chart:
    """One chart of the tree: files, metadata, values layers, subcharts."""

    def __init__(self, files: ChartFiles, meta: dict, layers: List[Layer], cond: Optional[str]) -> None:
        self.files = files
        self.meta = meta
        self.layers = layers
        self.cond = cond
        self.values: dict = coalesce(layers)
        self.children: List["_Chart"] = []
        self.rendered: Dict[str, int] = {}  # template rel -> documents rendered with the values in effect
        self.explored: Dict[str, int] = {}  # template rel -> further documents of switched-off branches
        self.own_files: set = set()
        #: the chart's path in Helm's template namespace (``parent/charts/<name or alias>``)
        self.path = str(meta.get("name") or "chart") if isinstance(meta, dict) else "chart"
        #: the top chart of the tree: its values hold the ``tags:`` every dependency reads
        self.top: "_Chart" = self
        #: the subchart's name (or alias) in its parent's values, and how many of its first
        #: layers are the parent's (the rest are its own values.yaml and what it imported)
        self.key: Optional[str] = None
        self.inherited = 0
        #: layers this chart's dependencies' import-values added to its values
        self.imported: List[Layer] = []


def load_chart(source, text: str, options: Optional[Dict[str, Any]] = None):
    """The loader for ``Chart.yaml``; any other ``*chart.yaml`` is read as plain YAML."""
    from lintra.load.builtin import load_yaml

    if os.path.basename(source.name) != "Chart.yaml" or source.path is None:
        return load_yaml(source, text)
    helm = (options or {}).get("helm") or HelmOptions()
    root, display = os.path.dirname(os.path.abspath(source.path)), os.path.dirname(source.name)
    try:
        return analyse(root, display, helm)
    except Exception as error:
        # discovery handed on only Chart.yaml: the chart's other files are listed here, or a
        # failed chart would leave them out of the output
        error.accounted = _unread_files(root, display, source.name)
        raise


def _unread_files(root: str, display: str, chart_file: str) -> List[FileRecord]:
    """A record for every other file below a chart that could not be read (at most
    ``MAX_CHART_FILES``; links are not followed)."""
    prefix = display + "/" if display and display != "." else ""
    reason = f"in the Helm chart of {chart_file}, which could not be read: not checked"
    records: List[FileRecord] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != ".git" and not os.path.islink(os.path.join(dirpath, d)))
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        for name in sorted(filenames):
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if rel != "Chart.yaml":
                records.append(FileRecord(prefix + rel, "skipped", reason=reason))
            if len(records) >= limits.MAX_CHART_FILES:
                return records
    return records


def analyse(root: str, display: str, helm: HelmOptions) -> ChartLoad:
    from lintra.repository import repository_root

    result = ChartLoad()
    notes = result.notes
    boundary = repository_root(os.path.realpath(root)) or os.path.realpath(root)
    prefix = display + "/" if display and display != "." else ""
    files = read_directory(root, prefix, boundary)
    meta, problem = chart_metadata(files)
    if problem:
        notes.append(problem)
    if files.ignore is not None and files.ignore.dropped:
        notes.append(f".helmignore: only its first {files.ignore.MAX_RULES} patterns are applied "
                     f"({files.ignore.dropped} more are not)")
    for rule in files.ignore.refused if files.ignore is not None else ():
        notes.append(f".helmignore: Helm refuses the pattern {rule!r} "
                     f"({'double-star (**) syntax is not supported' if '**' in rule else 'syntax error in pattern'}) "
                     "and then does not load the chart; the line is not applied")
    top_layers = _top_layers(files, helm, notes)
    top = _Chart(files, meta, top_layers, None)
    _children(top, root, boundary, notes, 0)
    _pass_down(top)
    # every named template of the chart tree: Helm shares one namespace between parent and subcharts
    parsed: Dict[Tuple[int, str], Template] = {}
    defines: Dict[str, Tuple[Template, List[T.Node]]] = {}
    found: List[Tuple[str, Template, T.Parsed]] = []
    texts: Dict[str, Lines] = {}
    for chart in _walk(top):
        for rel in sorted(chart.files.files):
            if not rel.startswith("templates/") or rel.endswith("NOTES.txt"):
                continue
            if _library(chart) and not os.path.basename(rel).startswith("_"):
                continue  # Helm reads only a library chart's _ templates (engine isTemplateValid)
            name = chart.files.display(rel)
            text = chart.files.text(rel)
            if text is None:
                notes.append(f"{name}: not UTF-8 text; not rendered")
                continue
            try:
                tree = T.parse(text)
            except T.TemplateSyntaxError as error:
                line, column = Lines(text).position(min(error.offset, len(text)))
                notes.append(f"{name}:{line}:{column}: template does not parse ({error}); not rendered")
                continue
            texts[name] = Lines(text)
            tpl = Template(name, tree)
            parsed[(id(chart), rel)] = tpl
            found.append((chart.path + "/" + rel, tpl, tree))
    # Helm parses the files deepest path first (more "/" first, then reverse alphabetical) and a
    # later define of a name replaces an earlier one, so a parent chart's define overrides a
    # subchart's (pkg/engine/engine.go sortTemplates, byPathLen)
    for _, tpl, tree in sorted(found, key=lambda entry: (entry[0].count("/"), entry[0]), reverse=True):
        for define, nodes in tree.defines.items():
            defines[define] = (tpl, nodes)
    for chart in _walk(top):
        try:
            _render_chart(chart, parsed, defines, texts, result, notes)
        except RecursionError:  # a bound of ours missed a shape of recursion: the chart still counts
            notes.append(f"{chart.files.prefix or 'chart'}: rendering stopped: nested too deeply")
    _records(top, result)
    for chart in _walk(top):
        for rel, raw in chart.files.files.items():
            if b"lintra:" in raw and not rel.endswith((".tgz", ".tar.gz")):
                text = chart.files.text(rel)
                if text is not None:
                    result.comments.append((chart.files.display(rel), text))
    for layer in top_layers:
        if layer.file and layer.locator is not None and layer.file in helm.values_files:
            text = _read(layer.file)
            if text and "lintra:" in text:
                result.comments.append((layer.file, text))
    rendered = sum(sum(c.rendered.values()) for c in _walk(top))
    charts = len(list(_walk(top)))
    result.reason = (f"Helm chart {meta.get('name') or os.path.basename(root)}: {rendered} object(s) rendered"
                     + (f" from {charts} chart(s) with subcharts" if charts > 1 else "")
                     + (f"; {len(notes)} note(s)" if notes else ""))
    return result


def _walk(chart: _Chart):
    yield chart
    for child in chart.children:
        yield from _walk(child)


def _top_layers(files: ChartFiles, helm: HelmOptions, notes: List[str]) -> List[Layer]:
    layers: List[Layer] = []
    for expression, as_string in reversed(helm.sets):
        try:
            layers.append(Layer(set_tree(parse_set(expression, as_string)), None))
        except ValueError as error:
            notes.append(f"--helm-set{'-string' if as_string else ''} {expression}: {error}")
    for path in reversed(helm.values_files):
        # a Layer is values written inside another file (a kustomization's helmCharts valuesInline)
        layer, problem = (path, None) if isinstance(path, Layer) else read_values(path)
        if problem:
            notes.append(f"{problem}; not applied")
        if layer is not None:
            layers.append(layer)
    text = files.text("values.yaml")
    if text is not None:
        layer = _values_text(files.display("values.yaml"), text, notes)
        if layer is not None:
            layers.append(layer)
    return layers


def _read(path: str) -> Optional[str]:
    from lintra.filesystem import read_regular  # a FIFO or device would block or never end
    from lintra.load.limits import MAX_FILE_BYTES

    try:
        return read_regular(path, MAX_FILE_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def values_file_problem(path: str) -> Optional[str]:
    """Why the ``--helm-values`` file at ``path`` cannot be applied (``file[:line:column]: why``),
    or None. ``helm template -f FILE`` fails on a file it cannot read or parse or whose top level
    is no mapping (an empty file is no values); lintra refuses it before scanning (exit 2) rather
    than render every chart without the values the user named."""
    return read_values(path)[1]


def read_values(path: str) -> Tuple[Optional[Layer], Optional[str]]:
    """The values file at ``path`` as a layer (None for no values), or why it cannot be applied."""
    from lintra.filesystem import read_regular  # a FIFO or device would block or never end
    from lintra.load.limits import MAX_FILE_BYTES

    try:
        text = read_regular(path, MAX_FILE_BYTES).decode("utf-8")
    except OSError as error:
        return None, f"{path}: {error.strerror or error}"
    except UnicodeDecodeError as error:
        return None, f"{path}: not valid UTF-8 text (byte 0x{error.object[error.start]:02x} at offset {error.start})"
    return values_layer(path, text)


def values_layer(name: str, text: str) -> Tuple[Optional[Layer], Optional[str]]:
    """Values text as a layer, or why it cannot be applied. An empty or ``null`` document is no
    values (Helm's chartutil.ReadValues: what unmarshals to nothing is an empty map); a top level
    other than a mapping is refused, as Helm's unmarshalling into a map refuses it."""
    from lintra.load import yamltree

    try:
        parsed = yamltree.parse(text)
    except (yamltree.YamlSyntaxError, LimitExceeded) as error:
        return None, f"{name}:{error.line}:{error.column}: values do not parse: {error}"
    if not parsed or parsed[0][0] is None:
        return None, None
    data, locator = parsed[0]
    if not isinstance(data, dict):
        return None, f"{name}: values are a {type(data).__name__}, not a mapping"
    return Layer(data, name, locator), None


def _values_text(name: str, text: str, notes: List[str]) -> Optional[Layer]:
    """A chart's own ``values.yaml``; what keeps it from applying is a note."""
    layer, problem = values_layer(name, text)
    if problem:
        notes.append(f"{problem}; not applied")
    return layer


def _sub_layers(parent: _Chart, key: str, imports: bool = True) -> List[Layer]:
    """The parent's ``<key>:`` block and its globals, mounted in a subchart's values: from the
    parent's own layers and, with ``imports``, from what its dependencies' import-values put
    there (at the root, under ``<key>``, or under ``global``)."""
    own = [layer for layer in parent.layers if imports or not any(layer is i for i in parent.imported)]
    layers: List[Layer] = []
    for layer in own:
        if layer.mount == ():
            block = layer.data.get(key) if isinstance(layer.data, dict) else None
            if isinstance(block, dict):
                layers.append(Layer(block, layer.file, layer.locator, layer.prefix + (key,)))
        elif layer.mount[0] == key:
            layers.append(Layer(layer.data, layer.file, layer.locator, layer.prefix, layer.mount[1:]))
    for layer in own:
        if layer.mount == ():
            glob = layer.data.get("global") if isinstance(layer.data, dict) else None
            if isinstance(glob, dict):
                layers.append(Layer(glob, layer.file, layer.locator, layer.prefix + ("global",), ("global",)))
        elif layer.mount[0] == "global":
            layers.append(layer)
    return layers


def _pass_down(chart: _Chart, changed: bool = False) -> None:
    """Every subchart's values once the whole tree's import-values are in: Helm imports them
    bottom-up for the whole tree (chart/v2/util/dependencies.go processDependencyImportValues)
    and only then coalesces each parent's values, imports included, over its subcharts'
    (chartutil/coalesce.go coalesceDeps), so a subchart listed before the dependency that
    imports into its block, or a block a dependency imports below ``<key>.``, still reaches it.
    Below a chart that imported nothing (``changed``: nor any chart above it) the values
    :func:`_add_child` made are already these."""
    changed = changed or bool(chart.imported)
    for child in chart.children:
        if changed:
            inherited = _sub_layers(chart, child.key or "")
            child.layers = inherited + child.layers[child.inherited:]
            child.inherited = len(inherited)
            child.values = coalesce(child.layers)
        _pass_down(child, changed)


def _children(chart: _Chart, root: Optional[str], boundary: str, notes: List[str], depth: int) -> None:
    """Subcharts: ``charts/`` directories and archives, and ``file://`` dependencies."""
    if depth >= limits.MAX_CHART_DEPTH:
        notes.append(f"{chart.files.prefix}: subcharts nested deeper than {limits.MAX_CHART_DEPTH} levels are not read")
        return
    deps = chart.meta.get("dependencies") if isinstance(chart.meta.get("dependencies"), list) else []
    if not deps and chart.files.text("requirements.yaml"):  # apiVersion v1 charts
        try:
            data = next((d for d, _ in _parse(chart.files.text("requirements.yaml")) if isinstance(d, dict)), {})
            deps = data.get("dependencies") if isinstance(data.get("dependencies"), list) else []
        except ValueError:
            deps = []
    found: Dict[str, Tuple[ChartFiles, dict, Optional[str]]] = {}  # chart name -> files, meta, dir
    if root is not None:
        ignore = chart.files.ignore
        for directory in subchart_dirs(root):
            if ignore is not None and ignore.hides(directory, True):
                continue  # .helmignore hides it: Helm never loads it (its files are the parent's, skipped)
            rel = os.path.relpath(directory, root).replace(os.sep, "/") + "/"
            # Helm loads the chart directory once, so its .helmignore also decides inside charts/*/
            files = read_directory(directory, chart.files.prefix + rel, boundary, ignore)
            meta, _ = chart_metadata(files)
            found.setdefault(str(meta.get("name") or os.path.basename(directory)), (files, meta, directory))
    for rel in sorted(chart.files.files):
        if rel.startswith("charts/") and rel.count("/") == 1 and rel.endswith((".tgz", ".tar.gz")):
            try:
                for files in read_archive(chart.files.files[rel], chart.files.display(rel) + "/"):
                    meta, _ = chart_metadata(files)
                    found.setdefault(str(meta.get("name") or rel), (files, meta, None))
            except ArchiveError as error:
                notes.append(f"{chart.files.display(rel)}: {error}")
    used = set()
    # Helm decides every dependency's condition and tags before it imports any values
    # (chartutil ProcessDependencies: processDependencyEnabled, then processDependencyImportValues),
    # so one dependency's import-values never enables or disables another
    decided = []
    for dep in deps:
        if not isinstance(dep, dict) or not dep.get("name"):
            continue
        name = str(dep["name"])
        key = str(dep.get("alias") or name)
        entry = found.get(name)
        repository = str(dep.get("repository") or "")
        if entry is None and repository.startswith("file://") and root is not None:
            entry = _file_dependency(chart, root, repository[len("file://"):], boundary, notes)
        if entry is None:
            where = f" from {repository}" if repository else ""
            notes.append(f"dependency {name}{where} is not vendored under charts/ (run helm dependency build); "
                         "its templates are not analysed")
            continue
        used.add(name)
        cond = _enabled(_with_defaults(chart.values, key, entry[0]), dep, _tags(chart))
        decided.append((dep, key, entry, cond))
    for dep, key, (files, meta, directory), cond in decided:
        if dep.get("alias") and isinstance(meta, dict):
            meta = dict(meta, name=key)  # Helm renames an aliased copy: its .Chart.Name is the alias
        child = _add_child(chart, files, meta, directory, key, cond, boundary, notes, depth)
        if cond is None and isinstance(dep.get("import-values"), list):
            _import_values(chart, child, dep["import-values"], notes)
    for name, (files, meta, directory) in found.items():
        if name not in used:
            _add_child(chart, files, meta, directory, name, None, boundary, notes, depth)


def _file_dependency(chart: _Chart, root: str, relative: str, boundary: str, notes: List[str]):
    from lintra.repository import is_within

    directory = os.path.realpath(os.path.join(root, relative))
    if not is_within(directory, boundary):
        notes.append(f"dependency file://{relative} lies outside the repository ({directory}): not read")
        return None
    if not os.path.isfile(os.path.join(directory, "Chart.yaml")):
        notes.append(f"dependency file://{relative}: no Chart.yaml there")
        return None
    display_root = os.path.normpath(os.path.join(chart.files.prefix or ".", relative)).replace(os.sep, "/")
    files = read_directory(directory, display_root + "/", boundary)
    meta, _ = chart_metadata(files)
    inside = os.path.relpath(directory, os.path.realpath(root)).replace(os.sep, "/")
    if not inside.startswith(".."):  # the parent's own files below it belong to the subchart
        for rel in [r for r in chart.files.files if r.startswith(inside + "/")]:
            del chart.files.files[rel]
        for rel in [r for r in chart.files.skipped if r.startswith(inside + "/")]:
            del chart.files.skipped[rel]
    return files, meta, directory


def _add_child(parent: _Chart, files: ChartFiles, meta: dict, directory: Optional[str], key: str,
               cond: Optional[str], boundary: str, notes: List[str], depth: int) -> "_Chart":
    own = None
    text = files.text("values.yaml")
    if text is not None:
        own = _values_text(files.display("values.yaml"), text, notes)
    # conditions and imports below read the parent's values before its own imports
    # (ProcessDependencies: conditions first; processImportValues reads CoalesceValues of the
    # chart as it was); _pass_down gives the subchart the imports once they are all in
    inherited = _sub_layers(parent, key, imports=False)
    layers = inherited + ([own] if own else [])
    base = parent.cond
    if cond:
        base = f"{base} and {cond}" if base else cond
    child = _Chart(files, meta, layers, base)
    child.key = key
    child.inherited = len(inherited)
    child.path = f"{parent.path}/charts/{key}"
    child.top = parent.top
    parent.children.append(child)
    _children(child, directory, boundary, notes, depth + 1)
    return child


def _import_values(parent: _Chart, child: _Chart, imports: list, notes: List[str]) -> None:
    """A dependency's ``import-values`` (https://helm.sh/docs/topics/charts/#importing-child-values-via-dependencies):
    ``- name`` copies the child's ``exports.<name>`` map into the parent's values, ``- child: a.b``
    / ``parent: c`` copies the child's ``a.b`` map to the parent's ``c`` (``.`` is the root).
    The parent's own values win over imported ones and only maps are imported (Helm's
    processImportValues: ``CoalesceTables(parent values, imported)``; a missing or non-map
    table is skipped with a warning). Imported values keep the place the child's layers wrote
    them, so a finding on one lands on the child's (or the parent's ``<child>:``) values line."""
    imported: List[Layer] = []
    for item in imports:
        if isinstance(item, str):
            source, target = "exports." + item, "."
        elif isinstance(item, dict) and isinstance(item.get("child"), str) and isinstance(item.get("parent"), str):
            source, target = item["child"], item["parent"]
        else:
            continue
        path = tuple(source.split("."))
        if not isinstance(_lookup(child.values, path), dict):
            notes.append(f"{child.path}: import-values {source}: no such table in the subchart's values; not imported")
            continue
        mount = () if target == "." else tuple(target.split("."))
        for layer in child.layers:
            if layer.mount != ():
                continue
            data = layer.lookup(path)
            if isinstance(data, dict):
                imported.append(Layer(data, layer.file, layer.locator, layer.prefix + path, mount))
    if imported:
        parent.imported.extend(imported)
        parent.layers = parent.layers + imported
        parent.values = coalesce(parent.layers)


def _lookup(values: Any, path: Tuple[str, ...]) -> Any:
    node = values
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _with_defaults(values: dict, key: str, files: ChartFiles) -> dict:
    """The values a dependency's ``condition`` is read in: the parent's, with the subchart's own
    ``values.yaml`` under its name (or alias) below what the parent sets, as Helm coalesces them
    before it processes conditions (chartutil ProcessDependencies: CoalesceValues then
    processDependencyConditions), so ``enabled: false`` in the subchart's values disables it."""
    try:
        own = next((d for d, _ in _parse(files.text("values.yaml")) if isinstance(d, dict)), None)
    except ValueError:
        own = None
    if not isinstance(own, dict):
        return values
    block = values.get(key)
    if block is not None and not isinstance(block, dict):
        return values
    view = dict(values)
    view[key] = coalesce([Layer(block or {}, None), Layer(own, None)])
    return view


def _tags(chart: _Chart) -> dict:
    """The ``tags:`` a dependency of ``chart`` reads: the top parent's (https://helm.sh/docs/topics/charts/#tags:
    "In the top parent's values, all charts with tags can be enabled or disabled"), over the
    ``tags:`` of ``chart``'s own values.yaml (Helm coalesces each chart's values into the top's
    at the root before reading ``tags``: chartutil processDependencyEnabled)."""
    def of(values: Any) -> dict:
        found = values.get("tags") if isinstance(values, dict) else None
        return found if isinstance(found, dict) else {}

    if chart.top is chart:
        return of(chart.values)
    own = next((layer.data for layer in chart.layers if layer.mount == () and layer.prefix == ()), None)
    merged = dict(of(own))
    merged.update(of(chart.top.values))
    return merged


def _enabled(values: dict, dep: dict, given: Optional[dict] = None) -> Optional[str]:
    """None when the dependency is enabled; else the condition that would enable it. ``given``
    are the tags in effect (the parent's own ``tags:`` when not said)."""
    conditions = [c.strip() for c in str(dep.get("condition") or "").split(",") if c.strip()]
    for condition in conditions:
        node: Any = values
        for part in condition.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, bool):
            return None if node else f"{condition} is true"
    tags = dep.get("tags") if isinstance(dep.get("tags"), list) else []
    if tags:
        if given is None:
            given = values.get("tags") if isinstance(values.get("tags"), dict) else {}
        states = [given.get(str(t)) for t in tags if isinstance(given.get(str(t)), bool)]
        if states and not any(states):
            return "tags." + " or tags.".join(str(t) for t in tags) + " is true"
    return None


def _parse(text: Optional[str]):
    from lintra.load import yamltree

    if text is None:
        return []
    try:
        return yamltree.parse(text)
    except (yamltree.YamlSyntaxError, LimitExceeded) as error:
        raise ValueError(str(error)) from None


def _render_chart(chart: _Chart, parsed, defines, texts: Dict[str, Lines], result: ChartLoad,
                  notes: List[str]) -> None:
    meta = chart.meta
    chart_object = {_chart_key(k): v for k, v in meta.items()} if isinstance(meta, dict) else {}
    origin = ValuesOrigin(chart.layers)
    if _library(chart):
        return  # a library chart only defines named templates for others
    for rel in sorted(chart.files.files):
        tpl = parsed.get((id(chart), rel))
        if tpl is None or os.path.basename(rel).startswith("_"):
            continue
        scope = Scope(chart.values, origin, chart_object, defines, tpl.name, chart.cond)
        effective = Renderer(scope, None, notes)
        segs = effective.render(tpl)
        counts = [0, 0]
        seen = set()
        outputs = [segs]
        for mode in range(min(effective.chains, limits.MAX_TEMPLATE_PASSES)):
            explored = Renderer(scope, mode, notes).render(tpl)
            outputs.append(explored)
        for number, out in enumerate(outputs):
            text = "".join(seg.text for seg in out)
            if text in seen:
                continue
            seen.add(text)
            for data, locator in documents(out, texts, tpl.name, notes):
                result.append((data, locator))
                counts[min(number, 1)] += 1
        chart.rendered[rel], chart.explored[rel] = counts
    for rel in sorted(chart.files.files):
        if rel.startswith("crds/") and rel.endswith(_MANIFEST_SUFFIXES):
            name = chart.files.display(rel)
            text = chart.files.text(rel)
            try:
                parsed_docs = _parse(text)
            except ValueError as error:
                notes.append(f"{name}: {error}")
                continue
            for data, locator in parsed_docs:
                result.append((data, FileLocator(locator, name)))
            chart.rendered[rel] = len(parsed_docs)


def _library(chart: _Chart) -> bool:
    return isinstance(chart.meta, dict) and str(chart.meta.get("type") or "").lower() == "library"


def _chart_key(key: str) -> str:
    """``.Chart`` fields are Chart.yaml keys with the first letter upper-cased (``.Chart.AppVersion``)."""
    return key[:1].upper() + key[1:] if isinstance(key, str) else key


_FILE_ROLES = (
    ("values.yaml", "scanned", "chart values: findings on values point here"),
    ("values.schema.json", "skipped", "values schema: validation only (Helm applies no defaults from it)"),
    ("Chart.lock", "skipped", "dependency lock file (no manifests)"),
    ("requirements.lock", "skipped", "dependency lock file (no manifests)"),
    ("requirements.yaml", "scanned", "chart dependencies (apiVersion v1)"),
    (".helmignore", "skipped", "Helm's ignore list (no manifests): the files it matches are not loaded"),
)


def _records(top: _Chart, result: ChartLoad) -> None:
    for chart in _walk(top):
        files = chart.files
        for rel in sorted(set(files.files) | set(files.skipped)):
            name = files.display(rel)
            if chart is top and rel == "Chart.yaml":
                continue
            if rel in files.skipped:
                result.records.append(FileRecord(name, "skipped", reason=files.skipped[rel]))
                continue
            result.records.append(_record(chart, rel, name))


def _record(chart: _Chart, rel: str, name: str) -> FileRecord:
    base = os.path.basename(rel)
    for role, status, reason in _FILE_ROLES:
        if rel == role:
            return FileRecord(name, status, reason=reason)
    if rel == "Chart.yaml":
        return FileRecord(name, "scanned", reason="subchart metadata")
    if rel.startswith("templates/"):
        if base == "NOTES.txt":
            return FileRecord(name, "skipped", reason="Helm NOTES.txt: printed after install, not a manifest")
        if base.startswith("_"):
            return FileRecord(name, "scanned", reason="named templates (define), rendered where they are included")
        if _library(chart):
            return FileRecord(name, "skipped", reason="template of a library chart: Helm reads only its _ templates")
        count = chart.rendered.get(rel)
        if count is None:
            return FileRecord(name, "skipped", reason="template not rendered (see the chart's notes)")
        explored = chart.explored.get(rel, 0)
        kinds = ("k8s",) if count or explored else ()
        return FileRecord(name, "scanned", kinds, reason=f"Helm template: {count} object(s) rendered"
                          + (f", {explored} more in branches the values switch off" if explored else ""))
    if rel.startswith("crds/"):
        count = chart.rendered.get(rel)
        if count is None:
            return FileRecord(name, "skipped", reason="not a YAML manifest")
        return FileRecord(name, "scanned", ("k8s",), reason=f"CRD manifest: {count} object(s)")
    if rel.startswith("charts/") and rel.endswith((".tgz", ".tar.gz")):
        return FileRecord(name, "scanned", reason="vendored subchart archive, read in memory")
    if rel.startswith("ci/") and rel.endswith((".yaml", ".yml")):
        return FileRecord(name, "skipped", reason="chart CI values file: apply it with --helm-values")
    return FileRecord(name, "skipped", reason="chart file outside templates/ and crds/: not rendered")
